"""Tests for derive.multivalued: the multivaluedness postulate and why it cannot be derived."""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import multivalued as mv
from derive.contents import derivation
from derive.symbols import T, mu, n
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestPostulate:
    def test_is_an_assumed_input(self):
        s = derivation().step("multivalued.postulate")
        assert s.kind.value == "postulate" and s.kind.is_input
        assert verify_label("multivalued.postulate").status is Status.ASSUMED

    def test_consequences_name_it(self):
        s = derivation().step("quantization.single-valued")
        assert "multivalued.postulate" in s.premises and any("multivalued.postulate" in c for c in s.conditions)


class TestOmegaSingleValued:
    def test_verified_theorem_with_counter_case(self):
        v = verify_label("multivalued.omega-single-valued")
        assert v.status is Status.VERIFIED and v.step.kind.value == "theorem"

    def test_counter_case_circulation(self):
        assert sp.simplify(mv._circulation(mv.vortex_free_energy()) - n * mu) == 0


class TestBoundedGradient:
    def test_verified_negative_result(self):
        v = verify_label("multivalued.bounded-gradient")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"

    def test_planted_dropped_two_fails(self):
        a, b, c = _statement("multivalued.bounded-gradient")
        planted = sp.Eq(b.lhs, b.rhs * 2, evaluate=False)  # |n mu|/(pi r): a dropped 2
        assert verify_planted("multivalued.bounded-gradient", [a, planted, c]).status is Status.FAILED


class TestDrivenLoop:
    def test_verified(self):
        assert verify_label("multivalued.driven-loop").status is Status.VERIFIED

    def test_planted_book_fails(self):
        a, b = _statement("multivalued.driven-loop")
        planted = sp.Eq(a.lhs, a.rhs + mu, evaluate=False)  # "the loop adds n mu": no
        assert verify_planted("multivalued.driven-loop", [planted, b]).status is Status.FAILED

    @settings(max_examples=30, deadline=None)
    @given(st.lists(st.integers(0, 9), min_size=5, max_size=5), st.integers(0, 2**31 - 1))
    def test_pathwise_identity_numerically(self, Ns, seed):
        # a random F_N(q) on a random closed polygon with jumps: W + J = F_{N_end}(q0) - F_{N_start}(q0)
        rng = np.random.default_rng(seed)
        c = rng.normal(size=(10, 3))
        F = lambda N, x: c[N, 0] * np.sin(x[0]) + c[N, 1] * x[1] ** 2 + c[N, 2] * x[0] * x[1]  # noqa: E731
        pts = rng.normal(size=(4, 2))
        W = sum(F(Ns[i], pts[(i + 1) % 4]) - F(Ns[i], pts[i]) for i in range(4))
        J = sum(F(Ns[i + 1], pts[(i + 1) % 4]) - F(Ns[i], pts[(i + 1) % 4]) for i in range(4))
        assert W + J == np.float64(W + J)
        assert abs(W + J - (F(Ns[4], pts[0]) - F(Ns[0], pts[0]))) < 1e-9


class TestCurvature:
    def test_verified_approximation(self):
        v = verify_label("multivalued.curvature")
        assert v.status is Status.VERIFIED and v.step.kind.value == "approximation"

    def test_planted_dropped_half_fails(self):
        a, b = _statement("multivalued.curvature")
        planted = sp.Eq(a.lhs, a.rhs + n ** 2 * T / (2 * mv._VarN), evaluate=False)  # n^2 T/Var N
        assert verify_planted("multivalued.curvature", [planted, b]).status is Status.FAILED
