"""Tests for derive.superposition: interference, its invariance, nonlinear (p, F), vortices."""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.contents import derivation
from derive.superposition import ZEROS, three_waves
from derive.symbols import hbar
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestLinearity:
    def test_verified(self):
        assert verify_label("superposition.linearity").status is Status.VERIFIED


class TestInterference:
    def test_conditional_with_reconstruction_source(self):
        v = verify_label("superposition.interference")
        assert v.status is Status.CONDITIONAL and v.step.source.provenance.value == "reconstructed"

    def test_planted_half_phase_fails(self):
        a, b = _statement("superposition.interference")
        planted = sp.Eq(a.lhs, a.rhs.subs(hbar, 2 * hbar), evaluate=False)
        assert verify_planted("superposition.interference", [planted, b]).status is Status.FAILED

    def test_planted_dropped_two_fails(self):
        a, b = _statement("superposition.interference")
        cross = next(t for t in sp.Add.make_args(a.rhs) if t.has(sp.cos))
        planted = sp.Eq(a.lhs, a.rhs - cross / 2, evaluate=False)
        assert verify_planted("superposition.interference", [planted, b]).status is Status.FAILED

    @settings(max_examples=50, deadline=None)
    @given(st.floats(0.01, 5), st.floats(0.01, 5), st.floats(-5, 5), st.floats(-5, 5), st.floats(0.1, 3))
    def test_numerically(self, p1, p2, S1, S2, hb):
        psi = np.sqrt(p1) * np.exp(1j * S1 / hb) + np.sqrt(p2) * np.exp(1j * S2 / hb)
        expected = p1 + p2 + 2 * np.sqrt(p1 * p2) * np.cos((S1 - S2) / hb)
        assert abs(abs(psi) ** 2 - expected) < 1e-9 * max(1, expected)


class TestFieldsNonlinear:
    def test_verified(self):
        v = verify_label("superposition.fields-nonlinear")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"


class TestVortices:
    def test_verified(self):
        assert verify_label("superposition.vortices").status is Status.VERIFIED

    def test_planted_winding_sign_fails(self):
        z1, z2, w1, w2 = _statement("superposition.vortices")
        planted = [z1, z2, sp.Eq(w1.lhs, -1, evaluate=False), w2]
        assert verify_planted("superposition.vortices", planted).status is Status.FAILED

    def test_planted_nonzero_value_fails(self):
        z1, z2, w1, w2 = _statement("superposition.vortices")
        planted = [z1, sp.Eq(z2.lhs, 1, evaluate=False), w1, w2]
        assert verify_planted("superposition.vortices", planted).status is Status.FAILED

    def test_definitions_are_given_not_claimed(self):
        s = derivation().step("superposition.vortices")
        assert s.given[0].rhs == three_waves()
        assert tuple(s.given[1].rhs) == ZEROS[+1] and tuple(s.given[2].rhs) == ZEROS[-1]

    def test_numeric_winding_on_a_small_circle(self):
        f = sp.lambdify(sp.symbols("q_1 q_2", real=True), three_waves(), "numpy")
        for wind, (x0, y0) in ZEROS.items():
            th = np.linspace(0, 2 * np.pi, 401)
            vals = f(float(x0) + 1e-3 * np.cos(th), float(y0) + 1e-3 * np.sin(th))
            total = np.sum(np.angle(vals[1:] / vals[:-1]))
            assert round(total / (2 * np.pi)) == wind
