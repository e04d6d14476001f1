"""Tests for derive.quantization: hbar = |mu|/(2 pi k) and its API."""

from __future__ import annotations

import cmath
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import quantization as qz
from derive.contents import derivation
from derive.errors import InputError
from derive.symbols import beta, hbar, k_branch, mu, n
from derive.verify import Status
from tests.derive.helpers import replaced, verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestSingleValued:
    def test_conditional_with_named_conditions(self):
        v = verify_label("quantization.single-valued")
        assert v.status is Status.CONDITIONAL
        assert any("k a positive integer" in c for c in v.step.conditions)

    @pytest.mark.parametrize("wrong", [mu / 3, sp.Abs(mu) / k_branch, sp.Abs(mu) / (4 * sp.pi * k_branch + 1)])
    def test_planted_hbar_fails(self, wrong):
        st_ = replaced(_statement("quantization.single-valued"), 1, wrong)
        v = verify_planted("quantization.single-valued", st_)
        assert v.status is Status.FAILED

    def test_conditions_are_machine_readable(self):
        s = derivation().step("quantization.single-valued")
        assert {c.form for c in s.conditions} == {"postulate", "holds"}

    def test_off_lattice_factor_is_minus_one_not_one(self):
        # the "only if": hbar off the lattice gives -1; claiming +1 there fails
        st_ = replaced(_statement("quantization.single-valued"), 3, 1)
        assert verify_planted("quantization.single-valued", st_).status is Status.FAILED

    def test_planted_loop_factor_fails(self):
        st_ = replaced(_statement("quantization.single-valued"), 0, sp.exp(2 * sp.I * n * mu / hbar))
        assert verify_planted("quantization.single-valued", st_).status is Status.FAILED


class TestLargest:
    def test_conditional(self):
        assert verify_label("quantization.largest").status is Status.CONDITIONAL

    def test_planted_h_fails(self):
        st_ = replaced(_statement("quantization.largest"), 1, 2 * sp.Abs(mu))
        assert verify_planted("quantization.largest", st_).status is Status.FAILED

    def test_largest_is_an_inequality_with_a_signed_form(self):
        v = verify_label("quantization.largest")
        assert v.counts.inequalities == 1 and v.status is Status.CONDITIONAL

    def test_planted_reversed_inequality_fails(self):
        st_ = list(_statement("quantization.largest"))
        st_[2] = sp.Le(st_[2].lhs, st_[2].rhs - sp.Abs(mu), evaluate=False)  # hbar_1 <= hbar_k - |mu|: no
        assert not verify_planted("quantization.largest", st_).status.ok


class TestVariants:
    def test_phase_beta(self):
        v = verify_label("quantization.phase-beta")
        assert v.status is Status.CONDITIONAL and dict(v.step.variant)["phase"] == "beta F"

    def test_phase_beta_planted_without_beta_fails(self):
        st_ = _statement("quantization.phase-beta")
        planted = replaced(st_, 0, st_[0].rhs / beta * 3)
        assert verify_planted("quantization.phase-beta", planted).status is Status.FAILED

    def test_phase_beta_negative_has_an_exact_point(self):
        v = verify_label("quantization.phase-beta")
        assert any(value.endswith(": -2") for _, value in v.exact)

    def test_windings(self):
        v = verify_label("quantization.windings-d")
        assert v.status is Status.CONDITIONAL and dict(v.step.variant)["winding"] == "n in d Z"

    def test_windings_planted_fails(self):
        st_ = _statement("quantization.windings-d")
        planted = replaced(st_, 0, st_[0].rhs * (qz.d_wind + 1) / qz.d_wind)
        assert verify_planted("quantization.windings-d", planted).status is Status.FAILED


class TestVortex:
    def test_conditional(self):
        assert verify_label("quantization.vortex").status is Status.CONDITIONAL

    def test_planted_dropped_two_fails(self):
        a, b, c = _statement("quantization.vortex")
        planted = sp.Eq(b.lhs, sp.pi * n * hbar, evaluate=False)
        assert verify_planted("quantization.vortex", [a, planted, c]).status is Status.FAILED


class TestFacts:
    @pytest.mark.parametrize("label", ["quantization.single-valued", "quantization.windings-d", "quantization.phase-beta"])
    def test_planted_hbar_fact_fails(self, label):
        import dataclasses

        from derive.verify import verify_step
        d = derivation()
        s = d.step(label)
        planted = dataclasses.replace(s, facts=(("hbar", 2 * s.fact["hbar"]),))
        assert verify_step(planted, d.premises_of(label)).status is Status.FAILED

    def test_api_reads_the_facts(self):
        assert qz.hbar_of() == derivation().step("quantization.windings-d").fact["hbar"].subs(qz.d_wind, 1)
        assert qz.hbar_of(phase_beta=True) == derivation().step("quantization.phase-beta").fact["hbar"]


class TestQuantizeAPI:
    def test_values(self):
        assert qz.quantize(2).hbar == 1 / sp.pi
        assert qz.quantize(-2, k=2).hbar == 1 / (2 * sp.pi)  # a negative mu is legitimate
        assert qz.quantize(Fraction(1, 2), d=3).hbar == sp.Rational(3, 4) / sp.pi
        assert qz.quantize(1, phase="beta F", beta_value=2).hbar == 1 / sp.pi

    def test_k_one_is_largest(self):
        assert all(qz.quantize(1.5, k=1).hbar > qz.quantize(1.5, k=k).hbar for k in range(2, 6))

    def test_mu_zero_gives_a_verdict(self):
        out = qz.quantize(0)
        assert out.quantized is False and out.hbar is None and "no quantization" in out.verdict

    @pytest.mark.parametrize("k", [0, -1, 1.5, "1", True, None, float("nan")])
    def test_bad_k(self, k):
        with pytest.raises(InputError):
            qz.quantize(1, k=k)

    @pytest.mark.parametrize("m_", [float("inf"), "x", 1j, None])
    def test_bad_mu(self, m_):
        with pytest.raises(InputError):
            qz.quantize(m_)

    def test_beta_phase_needs_beta(self):
        with pytest.raises(InputError):
            qz.quantize(1, phase="beta F")
        with pytest.raises(InputError):
            qz.quantize(1, phase="F/T")

    def test_integral_float_k_accepted(self):
        assert qz.quantize(2, k=2.0).k == 2


class TestCirculationAPI:
    def test_values(self):
        assert qz.circulation(3, mu=2) == 6
        assert qz.circulation(-1, mu=-0.5) == pytest.approx(-0.5)

    @pytest.mark.parametrize("w", [0.5, 1.25, "2", None])
    def test_non_integer_winding(self, w):
        with pytest.raises(InputError, match="integer"):
            qz.circulation(w, mu=1)

    def test_mu_zero(self):
        with pytest.raises(InputError, match="mu = 0"):
            qz.circulation(1, mu=0)

    def test_winding_factor_bad_input(self):
        with pytest.raises(InputError):
            qz.winding_factor(1.5, 1, 1)
        with pytest.raises(InputError):
            qz.winding_factor(1, 1, 0)

    @settings(max_examples=60, deadline=None)
    @given(st.integers(-20, 20), st.integers(1, 9),
           st.floats(0.01, 50).flatmap(lambda a: st.sampled_from([a, -a])))
    def test_psi_single_valued_at_quantized_hbar(self, w, k, m_):
        hb = float(qz.quantize(m_, k=k).hbar)
        assert abs(qz.winding_factor(w, m_, hb) - 1) < 1e-9

    @settings(max_examples=40, deadline=None)
    @given(st.integers(1, 9), st.floats(0.1, 10))
    def test_off_lattice_hbar_is_multivalued(self, k, m_):
        hb = m_ / (2 * cmath.pi * (k + 0.5))
        assert abs(qz.winding_factor(1, m_, hb) + 1) < 1e-9
