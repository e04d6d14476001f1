"""Tests for derive.grand_canonical: the grand canonical ensemble of hidden neurons (KV2021 §3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import grand_canonical as gc
from derive.contents import derivation
from derive.notation import Avg
from derive.symbols import N, T, beta, coords, mu
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted

q = coords(2)


def _statement(label):
    return derivation().step(label).statement


class TestEnsemble:
    def test_is_a_definition_with_facts(self):
        s = derivation().step("grand.ensemble")
        assert s.kind.is_input and {"Xi", "Omega", "F_0", "F_1", "F_2"} <= set(s.fact)
        assert verify_label("grand.ensemble").status is Status.ASSUMED

    def test_planted_fact_fails(self):
        import dataclasses

        from derive.verify import verify_step
        d = derivation()
        s = d.step("grand.ensemble")
        facts = tuple((k, v * 2 if k == "Omega" else v) for k, v in s.facts)
        v = verify_step(dataclasses.replace(s, facts=facts), d.premises_of(s.label))
        assert v.status is Status.FAILED

    def test_realise_mean_is_the_weighted_sum(self):
        expr = gc.realise(Avg(N))
        assert expr.has(gc.F_state(2)(*q)) and not expr.has(Avg)


class TestMeanNumber:
    def test_verified(self):
        assert verify_label("grand.mean-number").status is Status.VERIFIED

    def test_planted_factor_two_fails(self):
        (eq,) = _statement("grand.mean-number")
        assert eq.rhs == Avg(N)  # the typed-out result; -dOmega/dmu is what the derivation computes
        v = verify_planted("grand.mean-number", [sp.Eq(eq.lhs, 2 * eq.rhs, evaluate=False)])
        assert v.status is Status.FAILED and v.numeric.counterexample


class TestNumberVariance:
    def test_verified(self):
        assert verify_label("grand.number-variance").status is Status.VERIFIED

    def test_planted_beta_fails(self):
        a, b = _statement("grand.number-variance")
        v = verify_planted("grand.number-variance", [sp.Eq(a.lhs, beta * a.rhs, evaluate=False), b])
        assert v.status is Status.FAILED

    def test_planted_second_form_fails(self):
        a, b = _statement("grand.number-variance")
        v = verify_planted("grand.number-variance", [a, sp.Eq(b.lhs, 2 * b.rhs, evaluate=False)])
        assert v.status is Status.FAILED


class TestForce:
    def test_verified(self):
        assert verify_label("grand.force").status is Status.VERIFIED

    def test_planted_sign_fails(self):
        a, b = _statement("grand.force")
        v = verify_planted("grand.force", [sp.Eq(a.lhs, -a.rhs, evaluate=False), b])
        assert v.status is Status.FAILED


class TestRatio:
    def test_verified(self):
        assert verify_label("grand.ratio").status is Status.VERIFIED

    def test_planted_factor_two_fails(self):
        (eq,) = _statement("grand.ratio")
        planted = sp.Eq(eq.lhs, mu + 2 * (eq.rhs - mu), evaluate=False)  # mu - 2 (F_{N+1} - F_N)
        assert verify_planted("grand.ratio", [planted]).status is Status.FAILED

    @settings(max_examples=25, deadline=None)
    @given(st.floats(0.2, 3), st.floats(-2, 2), st.lists(st.floats(-2, 2), min_size=3, max_size=3),
           st.lists(st.floats(0.1, 5), min_size=3, max_size=3))
    def test_ratio_identity_numerically(self, b, m_, Fs, gs):
        # independent of SymPy: P_N ∝ g_N exp(beta (mu N - Fset_N)), F_N = Fset_N - T log g_N
        w = np.array([g * math.exp(b * (m_ * j - f)) for j, (f, g) in enumerate(zip(Fs, gs))])
        P = w / w.sum()
        F = np.array([f - math.log(g) / b for f, g in zip(Fs, gs)])
        for j in range(2):
            assert math.log(P[j + 1] / P[j]) / b == pytest.approx(m_ - (F[j + 1] - F[j]), abs=1e-9)


class TestMode:
    def test_conditional_on_the_mode(self):
        v = verify_label("grand.mode")
        assert v.status is Status.CONDITIONAL and v.counts.inequalities == 2

    def test_planted_shifted_gap_fails(self):
        up, down, a, b, ne = _statement("grand.mode")
        planted = sp.Le(mu, b.rhs - 1 / beta, evaluate=False)  # a bracket tighter than the slack allows
        assert verify_planted("grand.mode", [up, down, a, planted, ne]).status is Status.FAILED

    def test_planted_exact_gap_fails(self):
        up, down, a, b, ne = _statement("grand.mode")
        planted = sp.Eq(up.lhs, 2 * up.rhs, evaluate=False)  # gap = 2 T log(P_{N*}/P_{N*+1}): no
        assert verify_planted("grand.mode", [planted, down, a, b, ne]).status is Status.FAILED

    def test_inequalities_without_signed_form_are_inconclusive(self):
        import dataclasses

        from derive.verify import verify_step
        d = derivation()
        s = d.step("grand.mode")
        orig = s.derive

        def unsigned(ctx):
            return [dataclasses.replace(x, signed=None) if x.signed is not None else x for x in orig(ctx)]
        v = verify_step(dataclasses.replace(s, derive=unsigned), d.premises_of(s.label))
        assert v.status is Status.INCONCLUSIVE and "signed form" in v.reason

    def test_poisson_toy_gap_is_exactly_nonzero(self):
        v = verify_label("grand.mode")
        assert any("log(8/7)" in text for _, text in v.exact)

    def test_statement_holds_equations_the_bracket_and_the_negative(self):
        kinds = [type(r) for r in _statement("grand.mode")]
        assert kinds == [sp.Equality, sp.Equality, sp.LessThan, sp.LessThan, sp.Unequality]


class TestCombinatorialFactor:
    @pytest.mark.parametrize("label", ["grand.poisson", "grand.binomial", "grand.geometric", "grand.labelled"])
    def test_verified(self, label):
        assert verify_label(label).status is Status.VERIFIED

    def test_variants_are_tagged(self):
        d = derivation()
        assert dict(d.step("grand.poisson").variant)["factor"] == "1/N!"
        assert dict(d.step("grand.binomial").variant)["factor"] == "C(M,N)"
        assert dict(d.step("grand.geometric").variant)["factor"] == "none"

    def test_planted_poisson_ratio_fails(self):
        (eq,) = _statement("grand.poisson")
        x = next(iter(eq.rhs.free_symbols - {N}))
        assert verify_planted("grand.poisson", [sp.Eq(eq.lhs, x / (N + 2), evaluate=False)]).status is Status.FAILED

    def test_planted_labelled_without_counting_fails(self):
        eq, ne = _statement("grand.labelled")
        dropped = eq.rhs.subs(T, 0)  # mu - (Fset_{N+1} - Fset_N): the counting term dropped
        v = verify_planted("grand.labelled", [sp.Eq(eq.lhs, dropped, evaluate=False), ne])
        assert v.status is Status.FAILED


class TestUpstream:
    def test_registered_canonical_chain_is_used(self):
        assert gc.upstream("madelung.equations") == "madelung.equations"

    def test_unknown_module_gives_none(self):
        assert gc.upstream("nosuchmodule.step") is None
