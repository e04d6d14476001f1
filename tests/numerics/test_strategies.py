"""Tests of numerics.strategies: what they draw is what they promise."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.integrate import quad

from derive.errors import InputError
from numerics.hidden_neurons import SpinGlass
from numerics.strategies import (SmoothPotential, parameter_sets, positive_densities, positive_parameters,
                                 smooth_potentials, spin_hamiltonians)

XS = np.linspace(-6, 6, 241)


class TestSmoothPotential:
    @settings(max_examples=40, deadline=None)
    @given(smooth_potentials(), st.floats(-3, 3))
    def test_grad_and_hess_are_derivatives(self, F, q):
        h = 1e-5
        assert F.grad(q) == pytest.approx((F(q + h) - F(q - h)) / (2 * h), rel=1e-5, abs=1e-6)
        assert F.hess(q) == pytest.approx((F.grad(q + h) - F.grad(q - h)) / (2 * h), rel=1e-5, abs=1e-6)

    @settings(max_examples=20, deadline=None)
    @given(smooth_potentials())
    def test_confining_and_stein_identity(self, F):
        # ⟨F′²⟩ = ⟨F″⟩ under e^{−F}: the Stein identity the learning.stationary check relies on
        assert F.confining
        w = lambda q: math.exp(-(F(q) - F(0.0)))  # noqa: E731
        z = quad(w, -np.inf, np.inf, limit=200)[0]
        a = quad(lambda q: F.grad(q) ** 2 * w(q), -np.inf, np.inf, limit=200)[0] / z
        b = quad(lambda q: F.hess(q) * w(q), -np.inf, np.inf, limit=200)[0] / z
        assert a == pytest.approx(b, rel=1e-5, abs=1e-8)

    def test_vectorised_and_coefficients(self):
        F = SmoothPotential(poly=(1.0, 0.0, 0.5), bumps=np.array([[0.3, 1.0, 0.5]]))
        assert F(np.zeros((2, 3))).shape == (2, 3)
        assert F.coefficients.tolist() == [1.0, 0.0, 0.5, 0.3, 1.0, 0.5]
        assert not SmoothPotential(poly=(0.0, 1.0), bumps=np.zeros((0, 3))).confining

    @pytest.mark.parametrize("kw", [dict(poly=()), dict(poly=(float("nan"),)),
                                    dict(bumps=np.array([[1.0, 0.0, 0.0]]))])
    def test_bad_input(self, kw):
        base = dict(poly=(0.0, 0.0, 1.0), bumps=np.zeros((0, 3)))
        base.update(kw)
        with pytest.raises(InputError):
            SmoothPotential(**base)


class TestOtherStrategies:
    @given(positive_parameters(1e-3, 1e3))
    def test_positive_parameters_in_range(self, x):
        assert 1e-3 <= x <= 1e3

    @given(parameter_sets())
    def test_parameter_sets(self, p):
        assert set(p) == {"beta", "gamma", "D"} and all(v > 0 for v in p.values())

    @settings(max_examples=30, deadline=None)
    @given(positive_densities(XS))
    def test_positive_densities(self, p):
        assert np.all(p > 0) and np.sum(p) * (XS[1] - XS[0]) == pytest.approx(1.0)

    @settings(max_examples=30, deadline=None)
    @given(spin_hamiltonians(max_neurons=5))
    def test_spin_hamiltonians(self, m):
        assert isinstance(m, SpinGlass) and 1 <= m.n_neurons <= 5 and m.beta > 0

    def test_bad_arguments(self):
        with pytest.raises(InputError):
            positive_parameters(0.0, 1.0)

    @settings(max_examples=1)
    @given(st.data())
    def test_bad_grid(self, data):
        with pytest.raises(InputError):
            data.draw(positive_densities(np.zeros(2)))
