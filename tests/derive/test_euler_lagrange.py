import dataclasses

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.chain import Derivation
from derive.euler_lagrange import first_variation, steps, RATIO_DIGITS
from derive.action import steps as action_steps, s4
from derive.symbols import gamma
from derive.contents import derivation
from derive.verify import Status, verify_step

from .helpers import verify_label, verify_planted


class TestEulerLagrangeSteps:
    @pytest.mark.parametrize("label", ["el.equations", "el.first-variation"])
    def test_each_step_passes(self, label):
        assert verify_label(label).status is Status.VERIFIED

    def test_drift_factor_planted_fails(self):
        st_ = verify_label("el.equations").step.statement
        planted = [sp.Eq(st_[0].lhs, st_[0].rhs.subs(s4, sp.Rational(3, 2) * s4), evaluate=False), st_[1]]
        assert verify_planted("el.equations", planted).status is Status.FAILED

    def test_first_variation_says_it_checks_examples(self):
        v = verify_label("el.first-variation")
        assert v.depth.startswith("examples: ") and "20^3 grid" in v.depth

    def test_equations_read_the_displayed_lagrangian(self):
        """A wrong Lagrangian display (item 4 doubled) changes delta S/delta F: el.equations fails."""
        from derive.symbols import lam
        d = derivation()
        lag = d.step("action.lagrangian")
        L = lag.statement[0]
        wrong = dataclasses.replace(lag, statement=(sp.Eq(L.lhs, L.rhs + L.rhs.coeff(s4) * s4, evaluate=False),)
                                    + lag.statement[1:])
        premises = dict(d.premises_of("el.equations"))
        premises["action.lagrangian"] = wrong
        assert verify_step(d.step("el.equations"), premises).status is Status.FAILED

    def test_k_other(self):
        chain = Derivation(action_steps(3) + steps(3))
        v = verify_step(chain.step("el.equations"), chain.premises_of("el.equations"))
        assert v.status is Status.VERIFIED


class TestFirstVariation:
    @settings(max_examples=6, deadline=None)
    @given(case=st.sampled_from([(1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1)]), lam=st.floats(0.3, 2.0),
           which=st.sampled_from(["F", "p"]), sign=st.sampled_from([1, -1]))
    def test_agrees_with_claimed_derivative(self, case, lam, which, sign):
        r = first_variation(which, *case, sign * lam)
        assert abs(r.discrete / r.continuum - 1) < 10 ** -RATIO_DIGITS

    def test_planted_claim_is_detected_by_the_grid(self):
        """A wrong factor in the claimed delta S/delta F shows in the grid witness, without euler_equations."""
        el = verify_label("el.equations").step
        wrong = sp.Eq(el.statement[0].lhs, el.statement[0].rhs.subs(gamma, 2 * gamma), evaluate=False)
        planted_el = dataclasses.replace(el, statement=(wrong, el.statement[1]))
        from derive.contents import derivation
        d = derivation()
        prem = dict(d.premises_of("el.first-variation"))
        prem["el.equations"] = planted_el
        v = verify_step(d.step("el.first-variation"), prem)
        assert v.status is Status.FAILED

    def test_bad_field_name(self):
        with pytest.raises(ValueError):
            first_variation("V", 1, 1, 0.5)
