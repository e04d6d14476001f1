import dataclasses

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.chain import Derivation
from derive.canonical import steps as canonical_steps
from derive.errors import InputError
from derive.learning import drift_sign, steps
from derive.symbols import eta, sigma
from derive.verify import Status, verify_step

from derive.contents import derivation
from derive.step import Kind

from .helpers import replaced, verify_label, verify_planted


class TestDriftConvention:
    def test_signs(self):
        assert drift_sign("descent") == -1 and drift_sign("ascent") == 1

    def test_bad_drift(self):
        with pytest.raises(InputError, match="drift must be one of"):
            drift_sign("sideways")

    def test_ascent_variant_verifies(self):
        chain = Derivation(canonical_steps() + steps(drift="ascent"))
        for label in ("learning.fokker-planck", "learning.stationary"):
            v = verify_step(chain.step(label), chain.premises_of(label))
            assert v.status.ok and v.step.variant == (("drift", "ascent"),)

    def test_ascent_has_no_sgd_step(self):
        assert "learning.sgd" not in [s.label for s in steps(drift="ascent")]


class TestLearningSteps:
    @pytest.mark.parametrize("label", [s.label for s in steps()])
    def test_each_step_passes(self, label):
        assert verify_label(label).status.ok

    def test_sgd_dropped_factor_two_fails(self):
        s = verify_label("learning.sgd").step
        planted = replaced(s.statement, 1, eta**2 * sigma**2)
        assert verify_planted("learning.sgd", planted).status is Status.FAILED

    def test_stationary_wrong_temperature_fails(self):
        s = verify_label("learning.stationary").step
        planted = replaced(s.statement, 0, s.statement[0].rhs ** 2)  # exp(2 s F / T_q)
        assert verify_planted("learning.stationary", planted).status is Status.FAILED

    def test_discrete_ou_wrong_error_term_fails(self):
        s = verify_label("learning.discrete-ou").step
        planted = replaced(s.statement, 1, 2 * s.statement[1].rhs)
        assert verify_planted("learning.discrete-ou", planted).status is Status.FAILED


class TestFokkerPlanckFromTheGenerator:
    """d_t p is what Ito's generator of learning.langevin gives (its adjoint), not a retyped formula."""

    def test_planted_lhs_fails(self):
        s = verify_label("learning.fokker-planck").step
        fp = s.statement[0]
        planted = [sp.Eq(2 * fp.lhs, fp.rhs, evaluate=False)] + list(s.statement[1:])
        assert verify_planted("learning.fokker-planck", planted).status is Status.FAILED

    def test_planted_weak_form_boundary_term_fails(self):
        s = verify_label("learning.fokker-planck").step
        planted = replaced(s.statement, 1, 2 * s.statement[1].rhs)
        assert verify_planted("learning.fokker-planck", planted).status is Status.FAILED

    def test_wrong_langevin_drift_fails(self):
        d = derivation()
        lang = d.step("learning.langevin")
        doubled = dataclasses.replace(lang, facts=tuple((n, 2 * v if n.startswith("b_") else v) for n, v in lang.facts))
        premises = dict(d.premises_of("learning.fokker-planck"))
        premises["learning.langevin"] = doubled
        assert verify_step(d.step("learning.fokker-planck"), premises).status is Status.FAILED

    def test_langevin_facts_are_tied_to_its_display(self):
        d = derivation()
        lang = d.step("learning.langevin")
        assert verify_step(lang, d.premises_of(lang.label)).status is Status.ASSUMED
        wrong_d = dataclasses.replace(lang, facts=tuple((n, 2 * v if n == "D" else v) for n, v in lang.facts))
        assert verify_step(wrong_d, d.premises_of(lang.label)).status is Status.FAILED

    def test_langevin_display_names_the_velocity_of_each_coordinate(self):
        # regression (planted-fault probe, seed 7: learning.py q_{k+1} -> q_{k+2}): a display whose left
        # sides are the velocities of other variables than its drifts' coordinates fails
        d = derivation()
        lang = d.step("learning.langevin")
        st = list(lang.statement)
        swapped = [sp.Eq(st[1].lhs, st[0].rhs, evaluate=False), sp.Eq(st[0].lhs, st[1].rhs, evaluate=False)]
        v = verify_step(dataclasses.replace(lang, statement=tuple(swapped)), d.premises_of(lang.label))
        assert v.status is Status.FAILED and "v_1: the displayed velocity" in v.reason

    def test_is_an_identity_for_compact_test_functions(self):
        v = verify_label("learning.fokker-planck")
        assert v.step.kind is Kind.IDENTITY and v.status is Status.VERIFIED


class TestPremisesMatter:
    def test_gradient_flow_wrong_force_fails(self):
        d = derivation()
        force = d.step("canonical.force")
        wrong = dataclasses.replace(force, statement=tuple(sp.Eq(r.lhs, 2 * r.rhs, evaluate=False)
                                                           for r in force.statement))
        premises = dict(d.premises_of("learning.gradient-flow"))
        premises["canonical.force"] = wrong
        assert verify_step(d.step("learning.gradient-flow"), premises).status is Status.FAILED

    def test_discrete_ou_reads_the_stationary_law(self):
        d = derivation()
        st = d.step("learning.stationary")
        wrong = dataclasses.replace(st, facts=(("p_eq", st.fact["p_eq"] ** 2),))
        premises = dict(d.premises_of("learning.discrete-ou"))
        premises["learning.stationary"] = wrong
        assert verify_step(d.step("learning.discrete-ou"), premises).status is Status.FAILED

    def test_decaying_boundaries_is_a_postulate(self):
        assert derivation().step("learning.decaying-boundaries").kind is Kind.POSTULATE


@settings(max_examples=40, deadline=None)
@given(eta_=st.floats(1e-3, 0.5), a=st.floats(0.1, 3.0), s=st.floats(0.1, 5.0))
def test_discrete_variance_property(eta_, a, s):
    """Iterating the variance recursion converges to the stated exact value (independent of SymPy)."""
    if not 0.01 <= eta_ * a <= 1.9:
        return
    v = 0.0
    for _ in range(int(40 / (eta_ * a)) + 10):  # contraction (1 - eta a)^2 per step
        v = (1 - eta_ * a) ** 2 * v + eta_**2 * s**2
    assert v == pytest.approx(eta_ * s**2 / (a * (2 - eta_ * a)), rel=1e-6)
