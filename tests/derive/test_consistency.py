"""Tests for derive.consistency: hbar_c = |mu|/(2 pi k), the bound |mu| <= 4 pi k T_q, the nonlinear mismatch."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.consistency import consistent_lambdas, discriminant
from derive.contents import derivation
from derive.errors import InputError
from derive.symbols import D, Tq, gamma, k_branch, mu
from derive.verify import Status
from tests.derive.helpers import replaced, verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestMatch:
    def test_conditional(self):
        v = verify_label("consistency.match")
        assert v.status is Status.CONDITIONAL and any("k a positive integer" in c for c in v.step.conditions)
        assert v.counts.inequalities == 2  # no real lambda beyond the bound, both signs of mu, in signed form

    def test_planted_discriminant_fails(self):
        st_ = list(_statement("consistency.match"))
        wrong = discriminant.subs(4 * sp.pi * k_branch * D - gamma * mu, 2 * sp.pi * k_branch * D - gamma * mu)
        st_[1] = sp.Eq(st_[1].lhs, wrong, evaluate=False)
        assert verify_planted("consistency.match", st_).status is Status.FAILED

    def test_planted_quadratic_fails(self):
        st_ = list(_statement("consistency.match"))
        st_[0] = sp.Eq(st_[0].lhs, st_[0].rhs.subs(16 * sp.pi ** 2, 8 * sp.pi ** 2), evaluate=False)
        assert st_[0].rhs != _statement("consistency.match")[0].rhs
        assert verify_planted("consistency.match", st_).status is Status.FAILED

    def test_planted_hbar_at_edge_fails(self):
        st_ = list(_statement("consistency.match"))
        st_[5] = sp.Eq(st_[5].lhs, 4 * st_[5].rhs, evaluate=False)  # 4 T_q: no
        assert verify_planted("consistency.match", st_).status is Status.FAILED

    def test_hbars_are_realised_from_the_premises_not_given(self):
        s = derivation().step("consistency.match")
        assert [g.lhs for g in s.given] == [Tq]
        assert {"madelung.equations", "quantization.single-valued"} <= set(verify_label("consistency.match").premises_used)

    @pytest.mark.parametrize("i", [7, 8])
    def test_no_real_lambda_claim_planted_inside_the_bound_fails(self, i):
        # issue 11: a 'no real lambda' claim where the discriminant is positive must not pass
        st_ = list(_statement("consistency.match"))
        (arg,) = st_[i].lhs.args
        st_[i] = sp.StrictLessThan(st_[i].lhs.func(arg / 2), 0)  # |mu| = 2 pi k T_q + epsilon/2: inside
        assert verify_planted("consistency.match", st_).status is Status.FAILED

    def test_no_real_lambda_is_proven_not_sampled(self):
        v = verify_label("consistency.match")
        assert "signed form" not in v.reason and v.status is Status.CONDITIONAL

    def test_planted_fact_roots_fail(self):
        d = derivation()
        s = d.step("consistency.match")
        facts = [(k, v.subs(16 * sp.pi ** 2, 8 * sp.pi ** 2) if k == "lambda_plus" else v) for k, v in s.facts]
        assert facts != list(s.facts)
        import dataclasses
        from derive.verify import verify_step
        assert verify_step(dataclasses.replace(s, facts=tuple(facts)), d.premises_of(s.label)).status is Status.FAILED

    def test_planted_edge_lambda_fails(self):
        st_ = list(_statement("consistency.match"))
        st_[3] = sp.Eq(st_[3].lhs, gamma / D, evaluate=False)
        assert verify_planted("consistency.match", st_).status is Status.FAILED


class TestConsistentLambdas:
    def test_two_roots_below_the_bound_none_above(self):
        assert len(consistent_lambdas(mu=1, k=1, D=1, gamma=1)) == 2
        assert consistent_lambdas(mu=4 * 3.14159265 * 1.01, k=1, D=1, gamma=1) == ()

    def test_edge_is_learning_equilibrium(self):
        lo, hi = consistent_lambdas(mu=4 * sp.pi * 2, k=2, D=1, gamma=1)
        assert sp.simplify(lo - sp.Rational(1, 2)) == 0 and sp.simplify(hi - lo) == 0

    @pytest.mark.parametrize("kw", [dict(k=0), dict(k=1.5), dict(D=-1), dict(gamma=0), dict(mu=0)])
    def test_bad_input(self, kw):
        args = dict(mu=1, k=1, D=1, gamma=1) | kw
        with pytest.raises(InputError):
            consistent_lambdas(**args)

    @settings(max_examples=40, deadline=None)
    @given(st.floats(0.05, 5), st.integers(1, 4), st.floats(0.1, 3), st.floats(0.1, 3))
    def test_roots_solve_the_matching(self, m_, k, Dv, gv):
        for lam_ in consistent_lambdas(mu=m_, k=k, D=Dv, gamma=gv):
            hc2 = (4 * Dv * float(lam_) - gv) / (gv * float(lam_) ** 2)
            assert hc2 == pytest.approx((m_ / (2 * 3.141592653589793 * k)) ** 2, rel=1e-6)  # float roots
        assert (len(consistent_lambdas(mu=m_, k=k, D=Dv, gamma=gv)) > 0) == \
            (m_ <= 4 * 3.141592653589793 * k * Dv / gv + 1e-12)


class TestMismatch:
    def test_verified(self):
        assert verify_label("consistency.mismatch").status is Status.VERIFIED

    def test_planted_dropped_two_fails(self):
        (eq,) = _statement("consistency.mismatch")
        m = sp.Symbol("m", real=True, nonzero=True)
        extra = next(a for a in sp.Add.make_args(eq.rhs) if a.has(sp.Symbol("hbar_c")))
        planted = sp.Eq(eq.lhs, eq.rhs + extra, evaluate=False)  # (hbar_b^2 - hbar_c^2)/m
        assert m in extra.free_symbols
        assert verify_planted("consistency.mismatch", [planted]).status is Status.FAILED


class TestNonlinear:
    def test_negative_result_verified(self):
        v = verify_label("consistency.nonlinear")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"

    def test_planted_defect_fails(self):
        planted = replaced(_statement("consistency.nonlinear"), 2, -1)
        assert verify_planted("consistency.nonlinear", planted).status is Status.FAILED

    def test_counterexample_is_an_exact_point(self):
        v = verify_label("consistency.nonlinear")
        assert any(value.endswith(": -2") for _, value in v.exact)

    def test_planted_ne_rhs_fails(self):
        st_ = list(_statement("consistency.nonlinear"))
        st_[3] = sp.Ne(st_[3].lhs, st_[3].lhs, evaluate=False)  # "N[psi_1 + psi_2] != N[psi_1 + psi_2]": false
        assert verify_planted("consistency.nonlinear", st_).status is Status.FAILED
        st_[3] = sp.Ne(st_[3].lhs, _statement("consistency.nonlinear")[3].rhs + 1)
        assert verify_planted("consistency.nonlinear", st_).status is Status.FAILED

    def test_nonlinearity_is_read_from_the_mismatch_term(self):
        assert verify_label("consistency.nonlinear").premises_used == ("consistency.mismatch",)
