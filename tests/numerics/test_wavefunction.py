"""Tests of numerics.wavefunction: the split-step order, vortices, windings, Born sampling, Madelung residuals."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats as sps

from derive.errors import InputError
from numerics.wavefunction import (ORDER, Grid, born_sample, circulation, fitted_order, grid_winding,
                                   harmonic_potential, madelung_residuals, norm, normalize, spectral_gradient,
                                   split_step, square_loop, vortex_state, wallstrom_state, weighted_rms)

G = Grid(n=512, length=40.0)
X = G.x


def _coherent_error(dt, T=2.0):
    psi0 = np.pi**-0.25 * np.exp(-((X - 2) ** 2) / 2)
    out = split_step(psi0, G, 0.5 * X**2, dt=dt, n_steps=int(round(T / dt)))
    exact = np.pi**-0.5 * np.exp(-((X - 2 * math.cos(T)) ** 2))
    return float(np.sum(np.abs(np.abs(out) ** 2 - exact)) * G.dx)


class TestGrid:
    def test_coordinates(self):
        g = Grid(n=8, length=4.0, dim=2)
        assert g.dx == 0.5 and g.shape == (8, 8) and g.cell == 0.25
        assert g.x[g.n // 2] == 0.0 and g.k_squared().shape == (8, 8)

    @pytest.mark.parametrize("kw", [dict(n=2), dict(length=0.0), dict(dim=3), dict(n=8.0)])
    def test_bad_input(self, kw):
        base = dict(n=16, length=1.0, dim=1)
        base.update(kw)
        with pytest.raises(InputError):
            Grid(**base)


class TestSplitStep:
    def test_fitted_order_is_ORDER(self):
        dts = [0.04, 0.02, 0.01, 0.005]
        assert abs(fitted_order(dts, [_coherent_error(h) for h in dts]) - ORDER) < 0.1

    @settings(max_examples=15, deadline=None)
    @given(st.floats(1e-3, 0.2), st.integers(1, 30), st.floats(-3, 3))
    def test_unitary(self, dt, n, k0):
        psi = np.exp(-(X**2) / 2 + 1j * k0 * X)
        assert norm(split_step(psi, G, 0.5 * X**2 + 0.1 * X**4, dt=dt, n_steps=n), G) == pytest.approx(norm(psi, G), rel=1e-10)

    def test_ground_state_is_stationary_in_2d(self):
        g = Grid(n=64, length=12.0, dim=2)
        psi = vortex_state(g, 0)
        out = split_step(psi, g, harmonic_potential(g), dt=0.01, n_steps=100)
        assert np.max(np.abs(np.abs(out) ** 2 - np.abs(psi) ** 2)) < 1e-4   # O(dt²) splitting error only

    def test_zero_steps_and_bad_input(self):
        psi = np.exp(-(X**2))
        assert np.array_equal(split_step(psi, G, 0 * X, dt=0.1, n_steps=0), psi.astype(complex))
        with pytest.raises(InputError):
            split_step(psi[:-1], G, 0 * X, dt=0.1, n_steps=1)
        with pytest.raises(InputError):
            split_step(psi, G, 0 * X, dt=-0.1, n_steps=1)
        with pytest.raises(InputError):
            split_step(psi, G, 0 * X, dt=0.1, n_steps=1, hbar=0.0)


class TestVortices:
    g = Grid(n=64, length=12.0, dim=2)

    @pytest.mark.parametrize("n", [-2, -1, 0, 1, 3])
    def test_winding_and_circulation(self, n):
        psi = vortex_state(self.g, n)
        lp = square_loop(self.g, 6)
        assert grid_winding(psi, lp) == pytest.approx(n, abs=1e-12)
        mu = 0.7
        assert circulation(psi, lp, mu / (2 * np.pi)) == pytest.approx(n * mu, abs=1e-12)
        off = square_loop(self.g, 3, center=(self.g.n // 2 + 10, self.g.n // 2))
        assert grid_winding(psi, off) == pytest.approx(0.0, abs=1e-12)

    def test_non_integer_winding_rejected(self):
        with pytest.raises(InputError):
            vortex_state(self.g, 0.5)
        with pytest.raises(InputError):
            vortex_state(Grid(n=16, length=1.0), 1)

    def test_wallstrom_grid_winding_is_an_integer(self):
        lp = square_loop(self.g, 8)
        assert grid_winding(wallstrom_state(self.g, 3 / 7), lp) == pytest.approx(0.0, abs=1e-12)
        assert grid_winding(wallstrom_state(self.g, 1.0), lp) == pytest.approx(1.0, abs=1e-12)
        with pytest.raises(InputError):
            wallstrom_state(self.g, -1.0)

    def test_loop_must_fit(self):
        with pytest.raises(InputError):
            square_loop(self.g, 40)


class TestBornSample:
    def test_matches_density(self):
        psi = np.exp(-((X - 1) ** 2) / 2) + 0.6 * np.exp(-((X + 2) ** 2))
        p = np.abs(psi) ** 2
        xs = born_sample(psi, G, 20000, seed=1)
        edges = np.concatenate([X - G.dx / 2, [X[-1] + G.dx / 2]])
        cdf = np.concatenate([[0], np.cumsum(p)]) / p.sum()
        assert sps.kstest(xs, lambda v: np.interp(v, edges, cdf)).pvalue > 1e-4

    def test_common_uniforms_couple_samples(self):
        u = np.random.default_rng(0).random(100)
        a = born_sample(np.exp(-(X**2)), G, 100, uniforms=u)
        b = born_sample(np.exp(-((X - 0.1) ** 2)), G, 100, uniforms=u)
        assert np.allclose(b - a, 0.1, atol=0.02)

    def test_two_dimensional(self):
        g = Grid(n=32, length=8.0, dim=2)
        xs = born_sample(vortex_state(g, 1), g, 5000, seed=0)
        assert xs.shape == (5000, 2) and abs(xs.mean()) < 0.1

    def test_bad_input(self):
        with pytest.raises(InputError):
            born_sample(np.zeros(G.n), G, 10)
        with pytest.raises(InputError):
            born_sample(np.ones(G.n), G, 0)
        with pytest.raises(InputError):
            born_sample(np.ones(G.n), G, 2, uniforms=[0.5, 1.5])


class TestMadelung:
    V = 0.5 * X**2 + 0.1 * X**4
    psi0 = np.pi**-0.25 * np.exp(-((X - 2) ** 2) / 2)

    def _res(self, dt, hq=None):
        a = split_step(self.psi0, G, self.V, dt=dt, n_steps=int(round(0.5 / dt)))
        b = split_step(a, G, self.V, dt=dt, n_steps=1)
        c = split_step(b, G, self.V, dt=dt, n_steps=1)
        cont, qhj = madelung_residuals(a, b, c, G, self.V, dt=dt, hbar_quantum=hq)
        return weighted_rms(cont, G), weighted_rms(qhj, G)

    def test_residuals_are_second_order(self):
        r1, r2 = self._res(2e-3), self._res(1e-3)
        assert 3.5 < r1[0] / r2[0] < 4.5 and 3.5 < r1[1] / r2[1] < 4.5
        assert r2[0] < 2e-3 and r2[1] < 2e-3

    def test_wrong_quantum_potential_does_not_converge(self):
        _, q1 = self._res(2e-3, 1.1)
        _, q2 = self._res(1e-3, 1.1)
        assert q2 > 1e-2 and q1 / q2 < 1.1

    def test_spectral_gradient(self):
        d = spectral_gradient(np.exp(-(X**2)), G)[0]
        assert np.allclose(d, -2 * X * np.exp(-(X**2)), atol=1e-10)


class TestHelpers:
    def test_normalize(self):
        assert norm(normalize(np.exp(-(X**2)), G), G) == pytest.approx(1.0)
        with pytest.raises(InputError):
            normalize(np.zeros(G.n), G)

    def test_fitted_order_bad_input(self):
        with pytest.raises(InputError):
            fitted_order([0.1], [0.01])
