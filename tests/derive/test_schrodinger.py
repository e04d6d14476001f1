"""Tests for derive.schrodinger: the Schrödinger equation with hbar = |mu|/(2 pi k) and m = s4/(2 gamma)."""

from __future__ import annotations

import sympy as sp

from derive.contents import derivation
from derive.schrodinger import hbar_b
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestEquation:
    def test_conditional_and_rests_on_both_chains(self):
        v = verify_label("schrodinger.equation")
        assert v.status is Status.CONDITIONAL
        assert {"madelung.equations", "madelung.schrodinger", "quantization.single-valued"} <= set(v.step.premises)
        assert dict(v.step.variant)["s4"] == "+1"

    def test_planted_dropped_gamma_fails(self):
        (eq,) = _statement("schrodinger.equation")
        gamma = sp.Symbol("gamma", positive=True)
        planted = sp.Eq(eq.lhs, eq.rhs.subs(gamma, 1), evaluate=False)
        assert verify_planted("schrodinger.equation", [planted]).status is Status.FAILED

    def test_planted_hbar_without_two_pi_fails(self):
        (eq,) = _statement("schrodinger.equation")
        planted = sp.Eq(eq.lhs, eq.rhs.subs(sp.pi, sp.Rational(1, 2)), evaluate=False)
        assert verify_planted("schrodinger.equation", [planted]).status is Status.FAILED


class TestNegativeMass:
    def test_conditional(self):
        v = verify_label("schrodinger.negative-mass")
        assert v.status is Status.CONDITIONAL and dict(v.step.variant)["s4"] == "-1"

    def test_planted_wrong_sign_fails(self):
        (eq,) = _statement("schrodinger.negative-mass")
        planted = sp.Eq(eq.lhs, eq.rhs.subs(hbar_b ** 2, -hbar_b ** 2), evaluate=False)
        assert verify_planted("schrodinger.negative-mass", [planted]).status is Status.FAILED


class TestEuclidean:
    def test_negative_result_verified(self):
        v = verify_label("schrodinger.euclidean")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"
