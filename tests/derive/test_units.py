import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.symbols import D, gamma, hbar, lam, m, t
from derive.units import E, Q, T, dimension, solve_dimension, steps
from derive.verify import Status

from .helpers import verify_label, verify_planted


class TestUnitsSteps:
    @pytest.mark.parametrize("label", ["units.homogeneous", "units.constants"])
    def test_each_step_passes(self, label):
        assert verify_label(label).status is Status.VERIFIED

    def test_statement_lists_every_check(self):
        s = verify_label("units.homogeneous").step
        assert len(s.statement) == 23
        planted = list(s.statement)
        planted[5] = sp.Eq(planted[5].lhs, Q**-2, evaluate=False)  # [continuity] without 1/T
        assert verify_planted("units.homogeneous", planted).status is Status.FAILED

    def test_planted_constant(self):
        s = verify_label("units.constants").step
        planted = [sp.Eq(s.statement[0].lhs, E, evaluate=False)] + list(s.statement[1:])
        assert verify_planted("units.constants", planted).status is Status.FAILED

    def test_planted_expected_dimension(self):
        """A wrong factor in a premise equation makes it inhomogeneous, and the step fails."""
        import dataclasses
        from derive.contents import derivation
        from derive.verify import verify_step
        d = derivation()
        mad = d.step("madelung.equations")
        cont = mad.statement[1]
        wrong = sp.Eq(cont.lhs.subs(m, 1 / m), 0, evaluate=False)  # p dS * m instead of p dS / m
        planted = dataclasses.replace(mad, statement=mad.statement[:1] + (wrong,) + mad.statement[2:])
        prem = dict(d.premises_of("units.homogeneous"))
        prem["madelung.equations"] = planted
        assert verify_step(d.step("units.homogeneous"), prem).status is Status.FAILED


    def test_planted_premise_condition(self):
        """The premises' imposed conditions are read: Nelson's relation with m squared is inhomogeneous."""
        import dataclasses
        from derive.contents import derivation
        from derive.proof import Condition
        from derive.verify import verify_step
        d = derivation()
        nel = d.step("madelung.nelson")
        wrong = tuple(Condition(c.text, imposed=sp.Eq(D, hbar / (2 * m**2), evaluate=False))
                      if c.imposed is not None and c.imposed.lhs == D else c for c in nel.conditions)
        assert wrong != nel.conditions
        prem = dict(d.premises_of("units.homogeneous"))
        prem["madelung.nelson"] = dataclasses.replace(nel, conditions=wrong)
        assert verify_step(d.step("units.homogeneous"), prem).status is Status.FAILED

    def test_planted_base_unit(self):
        """units.base is read: a wrong [D] there makes the homogeneity lines fail."""
        import dataclasses
        from derive.contents import derivation
        from derive.verify import verify_step
        d = derivation()
        base = d.step("units.base")
        st = [sp.Eq(r.lhs, Q**2, evaluate=False) if r.lhs.name == "D" else r for r in base.statement]
        prem = dict(d.premises_of("units.homogeneous"))
        prem["units.base"] = dataclasses.replace(base, statement=tuple(st))
        assert verify_step(d.step("units.homogeneous"), prem).status is Status.FAILED


class TestDimension:
    def test_basic(self):
        assert dimension(D / gamma) == E
        assert dimension(hbar**2 / m) == E * Q**2 / T
        assert isinstance(dimension(D + gamma), sp.Add)
        assert dimension(sp.exp(t)) != 1
        assert dimension(sp.log(t)) == 1

    def test_solve(self):
        assert solve_dimension(lam * D, gamma, lam) == 1 / E

    def test_unknown_symbol(self):
        with pytest.raises(KeyError):
            dimension(sp.Symbol("zzz"))

    @settings(max_examples=20, deadline=None)
    @given(a=st.integers(-3, 3), b=st.integers(-3, 3))
    def test_multiplicative(self, a, b):
        e = D**a * gamma**b
        assert sp.simplify(dimension(e) - dimension(D) ** a * dimension(gamma) ** b) == 0
