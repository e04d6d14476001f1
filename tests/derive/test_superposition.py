"""Tests for derive.superposition: interference, its invariance, nonlinear (p, F), vortices."""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.contents import derivation
from derive.superposition import ZEROS, three_waves
from derive.symbols import hbar, mu
from derive.verify import Status
from tests.derive.helpers import replaced, verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestLinearity:
    def test_verified_from_the_schrodinger_equation(self):
        v = verify_label("superposition.linearity")
        assert v.status is Status.VERIFIED and v.premises_used == ("schrodinger.equation",)

    def test_planted_wrong_coefficient_fails(self):
        (rel,) = _statement("superposition.linearity")
        a, b = sp.symbols("a b")
        planted = replaced([rel], 0, rel.rhs.subs(b, a))
        assert verify_planted("superposition.linearity", planted).status is Status.FAILED


class TestInterference:
    def test_conditional_with_reconstruction_source(self):
        v = verify_label("superposition.interference")
        assert v.status is Status.CONDITIONAL and v.step.source.provenance.value == "reconstructed"
        assert set(v.premises_used) == {"madelung.schrodinger", "quantization.single-valued"}

    def test_conditions_are_machine_readable(self):
        forms = sorted(c.form for c in derivation().step("superposition.interference").conditions)
        assert forms == ["holds", "postulate"]

    def test_planted_half_phase_fails(self):
        st_ = _statement("superposition.interference")
        planted = replaced(st_, 0, st_[0].rhs.subs(hbar, 2 * hbar))
        assert verify_planted("superposition.interference", planted).status is Status.FAILED

    def test_planted_dropped_two_fails(self):
        st_ = _statement("superposition.interference")
        cross = next(t for t in sp.Add.make_args(st_[0].rhs) if t.has(sp.cos))
        planted = replaced(st_, 0, st_[0].rhs - cross / 2)
        assert verify_planted("superposition.interference", planted).status is Status.FAILED

    def test_planted_shift_formula_fails(self):
        st_ = _statement("superposition.interference")
        planted = replaced(st_, 2, st_[2].rhs.subs(sp.sin(mu / (2 * hbar)), sp.sin(mu / hbar)))
        assert verify_planted("superposition.interference", planted).status is Status.FAILED

    def test_only_if_is_an_exact_nonzero_point(self):
        v = verify_label("superposition.interference")
        (name, value), = [e for e in v.exact if "only if" in e[0]]
        assert "sin(3/2)**2" in value

    def test_regression_only_if_on_the_lattice_is_refuted(self):
        # hbar = |mu|/(2 pi) is on the lattice: the shift vanishes there, the displayed != cannot be shown
        st_ = list(_statement("superposition.interference"))
        off = st_[3].lhs
        st_[3] = sp.Ne(sp.Subs(off.expr, hbar, sp.Abs(mu) / (2 * sp.pi)), 0)
        assert verify_planted("superposition.interference", st_).status is Status.FAILED

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
        assert len(v.exact) == 2  # both negative results at an exact point

    def test_planted_linear_density_fails(self):
        # "p[psi_1 + psi_2] != p_1 + p_2 + the interference term" is false: no exact point can show it
        st_ = list(_statement("superposition.fields-nonlinear"))
        st_[1] = sp.Ne(st_[1].lhs, st_[1].rhs + st_[0].rhs)
        assert verify_planted("superposition.fields-nonlinear", st_).status is Status.FAILED

    def test_planted_log_two_fails(self):
        st_ = _statement("superposition.fields-nonlinear")
        planted = replaced(st_, 3, st_[3].rhs.subs(sp.log(4), sp.log(2)))
        assert verify_planted("superposition.fields-nonlinear", planted).status is Status.FAILED


class TestVortices:
    def test_verified_on_examples(self):
        v = verify_label("superposition.vortices")
        assert v.status is Status.VERIFIED and v.depth.startswith("examples: three unit plane waves")

    def test_planted_winding_sign_fails(self):
        st_ = _statement("superposition.vortices")
        assert verify_planted("superposition.vortices", replaced(st_, 1, -1)).status is Status.FAILED

    def test_planted_nonzero_value_fails(self):
        st_ = _statement("superposition.vortices")
        assert verify_planted("superposition.vortices", replaced(st_, 3, 1)).status is Status.FAILED

    def test_quadratic_vanishing_is_exact(self):
        v = verify_label("superposition.vortices")
        assert [value for _, value in v.exact] == ["at every point: 9/2"] * 2

    def test_definitions_are_given_not_claimed(self):
        s = derivation().step("superposition.vortices")
        assert s.given[0].rhs == three_waves()
        zeros = {g.lhs.name: g.rhs for g in s.given[1:] if g.lhs.name.startswith("q")}
        assert (zeros["q_1^+"], zeros["q_2^+"]) == ZEROS[+1] and (zeros["q_1^-"], zeros["q_2^-"]) == ZEROS[-1]

    def test_numeric_winding_on_a_small_circle(self):
        f = sp.lambdify(sp.symbols("q_1 q_2", real=True), three_waves(), "numpy")
        for wind, (x0, y0) in ZEROS.items():
            th = np.linspace(0, 2 * np.pi, 401)
            vals = f(float(x0) + 1e-3 * np.cos(th), float(y0) + 1e-3 * np.sin(th))
            total = np.sum(np.angle(vals[1:] / vals[:-1]))
            assert round(total / (2 * np.pi)) == wind
