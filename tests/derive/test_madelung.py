import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import dataclasses

from derive.action import s2, s4
from derive.contents import derivation
from derive.errors import InputError
from derive.madelung import REGIMES, hbar_c, hbar_c_sq_of, m_of, regime, steps
from derive.symbols import D, Tq, gamma, hbar, lam, m
from derive.verify import Status, verify_step

from .helpers import replaced, verify_label, verify_planted

LABELS = [s.label for s in steps()]


class TestMadelungSteps:
    @pytest.mark.parametrize("label", LABELS)
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.VERIFIED, Status.CONDITIONAL), v.reason

    def test_required_facts(self):
        fact = {s.label: s for s in steps()}["madelung.equations"].fact
        for sign4 in (1, -1):  # the facts hold for every nonzero s4; at s4 = +1, -1 they are the displayed values
            assert sp.simplify(fact["m"].subs(s4, sign4) - sign4 / (2 * gamma)) == 0
            assert sp.simplify(fact["hbar_c_sq"].subs({s2: 1, s4: sign4})
                               - (4 * D * sign4 * lam - gamma) / (gamma * lam**2)) == 0
        assert fact["hbar_c_sq"].free_symbols <= {s2, s4, lam, gamma, D}

    def test_every_step_has_a_variant(self):
        assert all(s.variant for s in steps())


class TestPlantedErrors:
    def test_hbar_factor(self):
        s = verify_label("madelung.equations").step
        planted = replaced(s.statement, 4, (3 * D * s4 * lam - s2**2 * gamma) / (gamma * lam**2))
        assert verify_planted("madelung.equations", planted).status is Status.FAILED

    def test_mass_factor(self):
        s = verify_label("madelung.equations").step
        planted = replaced(s.statement, 3, s4 / gamma)
        # the PDE obligations use the general forms; the reduction to the sign-case forms catches it
        assert verify_planted("madelung.equations", planted).status is Status.FAILED

    def test_shift_sign(self):
        s = verify_label("madelung.equations").step
        planted = replaced(s.statement, 0, -s.statement[0].rhs)
        assert verify_planted("madelung.equations", planted).status is Status.FAILED

    def test_schrodinger_mass(self):
        s = verify_label("madelung.schrodinger").step
        sch = s.statement[0]
        planted = [sp.Eq(sch.lhs, sch.rhs.subs(m, 2 * m), evaluate=False), s.statement[1]]
        assert verify_planted("madelung.schrodinger", planted).status is Status.FAILED

    def test_bound_lambda_star(self):
        s = verify_label("madelung.bound").step
        planted = replaced(s.statement, 1, s4 * gamma / (3 * D))
        assert verify_planted("madelung.bound", planted).status is Status.FAILED

    def test_factor_two_sign(self):
        s = verify_label("madelung.fp-factor-two").step
        planted = replaced(s.statement, 1, 2)  # (s2=-1, s4=+1) claimed +2 x descent instead of -2
        assert verify_planted("madelung.fp-factor-two", planted).status is Status.FAILED

    def test_nelson_hbar(self):
        s = verify_label("madelung.nelson").step
        planted = replaced(s.statement, 2, s.statement[2].rhs / 2)
        assert verify_planted("madelung.nelson", planted).status is Status.FAILED

    def test_nelson_mass(self):
        s = verify_label("madelung.nelson").step
        planted = replaced(s.statement, 1, 1 / (2 * gamma))
        assert verify_planted("madelung.nelson", planted).status is Status.FAILED

    def test_euclidean_product(self):
        s = verify_label("madelung.euclidean").step
        planted = replaced(s.statement, 2, 2 * s.statement[2].rhs)
        assert verify_planted("madelung.euclidean", planted).status is Status.FAILED

    def test_schrodinger_phase(self):
        s = verify_label("madelung.schrodinger").step
        psi = s.statement[1]
        planted = [s.statement[0], sp.Eq(psi.lhs, psi.rhs.subs(hbar, 2 * hbar), evaluate=False)]
        assert verify_planted("madelung.schrodinger", planted).status is Status.FAILED

    def test_ehrenfest_force_sign(self):
        s = verify_label("madelung.ehrenfest").step
        planted = replaced(s.statement, 1, -s.statement[1].rhs)
        assert verify_planted("madelung.ehrenfest", planted).status is Status.FAILED

    def test_definitions_are_given(self):
        by = {s.label: s for s in steps()}
        assert len(by["madelung.equations"].given) == 1 and len(by["madelung.equations"].statement) == 6
        assert len(by["madelung.nelson"].given) == 1 and len(by["madelung.euclidean"].given) == 3

    def test_statement_shape_read_by_codegen(self):
        """numerics.codegen reads the continuity and quantum HJ residuals as statement[1].lhs, statement[2].lhs."""
        s = {s.label: s for s in steps()}["madelung.equations"]
        assert s.statement[1].rhs == 0 and s.statement[2].rhs == 0 and s.statement[2].lhs.has(hbar_c)
        assert s.statement[1].lhs == s.fact["continuity"] and s.statement[2].lhs == s.fact["qhj"]


class TestNegativeAndInequality:
    """The regressions of issue 11: a planted Ne right-hand side, a planted bound, the positive content."""

    def test_not_sgd_ne_rhs_planted(self):
        s = verify_label("madelung.not-sgd").step
        for i in (2, 5):  # the two negative results, their right-hand sides changed
            planted = list(s.statement)
            planted[i] = sp.Ne(planted[i].lhs, 2 * planted[i].rhs, evaluate=False)
            assert verify_planted("madelung.not-sgd", planted).status is Status.FAILED, i

    def test_not_sgd_positive_content(self):
        v = verify_label("madelung.not-sgd")
        assert v.status is Status.VERIFIED, v.reason
        assert isinstance(v.step.statement[0], sp.Eq) and isinstance(v.step.statement[3], sp.Eq)
        # each != carried by an exact point, recorded for the JSON: drift (s4 = +1, -1), diffusion (s2 = +1, -1)
        values = [text.rsplit(": ", 1)[1] for _, text in v.exact]
        assert sorted(values) == sorted(["3", "-1", "-1", "-3"])

    def test_not_sgd_paper_drift_fails(self):
        """Claiming the paper's drift -gamma dF for the E-L reading fails."""
        s = verify_label("madelung.not-sgd").step
        planted = replaced(s.statement, 0, s.statement[1].rhs)
        assert verify_planted("madelung.not-sgd", planted).status is Status.FAILED

    def test_bound_is_proven(self):
        v = verify_label("madelung.bound")
        assert v.status is Status.CONDITIONAL, v.reason
        assert v.counts.inequalities == 4  # one signed form per sign case

    @pytest.mark.parametrize("shift", [100, -sp.Rational(1, 7)])
    def test_bound_shifted(self, shift):
        s = verify_label("madelung.bound").step
        planted = list(s.statement)
        planted[6] = sp.Le(hbar_c**2, (2 * Tq) ** 2 + shift, evaluate=False)
        assert verify_planted("madelung.bound", planted).status is Status.FAILED


class TestRegime:
    def test_regimes(self):
        assert regime(-1, 1, 0.5, 1.0, 1.0) == "Schrodinger"
        assert regime(1, 1, 0.25, 1.0, 1.0) == "Hamilton-Jacobi"
        assert regime(1, 1, -0.5, 1.0, 1.0) == "Euclidean"
        assert set(REGIMES) == {"Schrodinger", "Hamilton-Jacobi", "Euclidean"}

    @pytest.mark.parametrize("bad", [dict(s2=2), dict(s4=0), dict(lam=0), dict(gamma=-1.0), dict(D=0.0)])
    def test_bad_input(self, bad):
        args = dict(s2=1, s4=1, lam=0.5, gamma=1.0, D=1.0)
        args.update(bad)
        with pytest.raises(InputError):
            regime(**args)

    @settings(max_examples=60, deadline=None)
    @given(sign2=st.sampled_from([1, -1]), sign4=st.sampled_from([1, -1]), lam_=st.floats(-5, 5).filter(
        lambda x: abs(x) > 1e-3), g=st.floats(0.1, 3), d=st.floats(0.1, 3))
    def test_bound_property(self, sign2, sign4, lam_, g, d):
        """hbar_c^2 <= (2D/gamma)^2 for every lambda (madelung.bound), and regime agrees with its sign."""
        value = float(hbar_c_sq_of(sign2, sign4).subs({lam: lam_, gamma: g, D: d}))
        assert value <= (2 * d / g) ** 2 * (1 + 1e-12)
        r = regime(sign2, sign4, lam_, g, d)
        assert (r == "Schrodinger") == (value > 1e-12 * 4 * d / (g * abs(lam_)))

    def test_mass_helper(self):
        assert m_of(1) == 1 / (2 * gamma)
        assert m_of(-1) == -1 / (2 * gamma)

    def test_regime_reads_the_fact(self, monkeypatch):
        """regime() computes from madelung.equations' fact: a planted fact changes its answer (and fails the step)."""
        import derive.madelung as mad

        planted = 2 * mad._equations_fact("hbar_c_sq") - 4 * D / (gamma * lam)
        assert regime(1, 1, 0.25, 1.0, 1.0) == "Hamilton-Jacobi"
        monkeypatch.setattr(mad, "_equations_fact", lambda name: planted)
        mad._hbar_c_sq_numeric.cache_clear()
        try:
            assert regime(1, 1, 0.25, 1.0, 1.0) != "Hamilton-Jacobi"
        finally:
            mad._hbar_c_sq_numeric.cache_clear()
        step = {s.label: s for s in steps()}["madelung.equations"]
        facts = tuple((k, planted if k == "hbar_c_sq" else v) for k, v in step.facts)
        v = verify_step(dataclasses.replace(step, facts=facts), derivation().premises_of(step.label))
        assert v.status is Status.FAILED


class TestBoundFacts:
    """madelung.bound's facts hold in every sign case (Show.case), not only at s4 = +1."""

    def test_lambda_star_carries_s4(self):
        from derive.action import s4 as s4_
        assert verify_label("madelung.bound").step.fact["lambda_star"] == s4_ * gamma / (2 * D)

    def test_the_s4_plus_one_value_fails_at_s4_minus_one(self):
        # the earlier fact gamma/(2D) was right at s4 = +1 only: read in every case it must fail
        import dataclasses
        from derive.contents import derivation
        from derive.verify import verify_step
        d = derivation()
        step = d.step("madelung.bound")
        facts = tuple((k, gamma / (2 * D) if k == "lambda_star" else v) for k, v in step.facts)
        v = verify_step(dataclasses.replace(step, facts=facts), d.premises_of("madelung.bound"), seed=7)
        assert v.status is Status.FAILED and "lambda_star (s2, s4) = (1, -1)" in v.reason

    def test_a_case_outside_the_variant_is_refused(self):
        import dataclasses
        from derive.contents import derivation
        from derive.verify import verify_step
        d = derivation()
        step = d.step("madelung.bound")
        only_plus = dataclasses.replace(step, variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "either")))
        v = verify_step(only_plus, d.premises_of("madelung.bound"), seed=7)
        assert v.status is Status.INCONCLUSIVE and "not among the variant's values" in v.reason
