"""Tests of numerics.hidden_neurons: exact enumeration against finite differences, samplers against it."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

from derive.errors import InputError
from numerics.hidden_neurons import (CanonicalExact, QuarticNeurons, SpinGlass, all_spin_states, canonical_exact,
                                     metropolis_quartic, metropolis_spins, quartic_exact, quartic_free_energy,
                                     random_spin_glass, spin_energy, spin_force, spin_free_energy)
from numerics.strategies import spin_hamiltonians


def _fd_grad(F, q, h=1e-5):
    return np.array([(F(q + h * e) - F(q - h * e)) / (2 * h) for e in np.eye(q.size)])


def _fd_hess(F, q, h=1e-3):
    k = q.size
    H = np.empty((k, k))
    E = np.eye(k)
    for i in range(k):
        for j in range(k):
            H[i, j] = (F(q + h * E[i] + h * E[j]) - F(q + h * E[i] - h * E[j])
                       - F(q - h * E[i] + h * E[j]) + F(q - h * E[i] - h * E[j])) / (4 * h * h)
    return H


class TestSpinGlass:
    def test_properties(self):
        m = random_spin_glass(5, 3, seed=0)
        assert (m.n_neurons, m.n_trainable) == (5, 3)
        assert not m.J.flags.writeable

    @pytest.mark.parametrize("kw", [dict(J=np.array([[0.0, 1.0], [2.0, 0.0]])),
                                    dict(J=np.array([[1.0, 0.0], [0.0, 0.0]])),
                                    dict(beta=0.0), dict(beta=-1.0), dict(h0=np.zeros(3)),
                                    dict(A=np.zeros((3, 1))), dict(C=np.array([[1.0, 2.0], [0.0, 1.0]]))])
    def test_bad_input(self, kw):
        base = dict(J=np.zeros((2, 2)), h0=np.zeros(2), A=np.ones((2, 2)), C=np.eye(2), beta=1.0)
        base.update(kw)
        with pytest.raises(InputError):
            SpinGlass(**base)

    def test_energy_and_force_agree_with_finite_differences(self):
        m = random_spin_glass(6, 2, seed=3)
        s = all_spin_states(6)[17]
        q = np.array([0.3, -0.7])
        g = _fd_grad(lambda x: float(spin_energy(m, s, x)), q)
        assert np.allclose(spin_force(m, s, q), g, atol=1e-8)

    def test_all_states(self):
        s = all_spin_states(3)
        assert s.shape == (8, 3) and len({tuple(r) for r in s}) == 8
        with pytest.raises(InputError):
            all_spin_states(0)


class TestCanonicalExact:
    @settings(max_examples=25, deadline=None)
    @given(spin_hamiltonians(max_neurons=7, max_trainable=2))
    def test_identities_against_finite_differences(self, m):
        q = np.linspace(-0.4, 0.5, m.n_trainable)
        ex = canonical_exact(m, q)
        assert isinstance(ex, CanonicalExact)
        F = lambda x: spin_free_energy(m, x)  # noqa: E731
        assert ex.F == pytest.approx(F(q), abs=1e-12)
        assert np.allclose(ex.mean_force, _fd_grad(F, q), atol=1e-6)          # ∂F = ⟨∂H⟩
        assert np.allclose(ex.hessian, _fd_hess(F, q), atol=1e-4)             # ∂²F = ⟨∂²H⟩ − β Cov
        b, h = m.beta, 1e-5
        bF = lambda bb: bb * spin_free_energy(m, q, bb)  # noqa: E731
        assert ex.U == pytest.approx((bF(b + h) - bF(b - h)) / (2 * h), abs=1e-5)   # U = ∂(βF)/∂β
        dU = (canonical_exact(m, q, b + h).U - canonical_exact(m, q, b - h).U) / (2 * h)
        assert -ex.var_H == pytest.approx(dU, abs=1e-4)                        # ∂U/∂β = −Var H

    def test_brute_force_small_case(self):
        m = random_spin_glass(3, 1, seed=5, beta=0.7)
        q = np.array([0.4])
        e = spin_energy(m, all_spin_states(3), q)
        assert spin_free_energy(m, q) == pytest.approx(-np.log(np.exp(-0.7 * e).sum()) / 0.7, rel=1e-12)

    def test_chunked_enumeration_matches(self):
        m = random_spin_glass(16, 1, seed=2)            # 65536 states: two chunks
        q = np.array([0.1])
        ex = canonical_exact(m, q)
        assert np.allclose(ex.mean_force, _fd_grad(lambda x: spin_free_energy(m, x), q), atol=1e-5)

    def test_bad_q(self):
        m = random_spin_glass(4, 2, seed=0)
        with pytest.raises(InputError):
            canonical_exact(m, [0.0])
        with pytest.raises(InputError):
            canonical_exact(m, [0.0, 0.0], beta=-1.0)


class TestMetropolisSpins:
    def test_against_enumeration(self):
        m = random_spin_glass(8, 2, seed=11, beta=0.8)
        q = np.array([0.2, -0.1])
        ex = canonical_exact(m, q)
        s = metropolis_spins(m, q, n_chains=300, n_sweeps=200, burn_in=50, seed=0)
        g = spin_force(m, s, q).mean(axis=0)                   # chain means
        z = (g.mean(axis=0) - ex.mean_force) / (g.std(axis=0, ddof=1) / math.sqrt(300))
        assert np.all(np.abs(z) < 4.5)
        e = spin_energy(m, s, q).mean(axis=0)
        assert abs(e.mean() - ex.U) < 4.5 * e.std(ddof=1) / math.sqrt(300)

    def test_wrong_beta_is_detected(self):
        m = random_spin_glass(8, 1, seed=11, beta=0.8)
        q = np.array([0.2])
        ex = canonical_exact(m, q)
        e = spin_energy(m, metropolis_spins(m, q, n_chains=300, n_sweeps=200, seed=0, beta=2.0), q).mean(axis=0)
        assert abs(e.mean() - ex.U) > 10 * e.std(ddof=1) / math.sqrt(300)

    def test_reproducible(self):
        m = random_spin_glass(5, 1, seed=0)
        a = metropolis_spins(m, [0.0], n_chains=4, n_sweeps=3, seed=7)
        b = metropolis_spins(m, [0.0], n_chains=4, n_sweeps=3, seed=7)
        assert np.array_equal(a, b) and set(np.unique(a)) <= {-1, 1}

    @pytest.mark.parametrize("kw", [dict(n_chains=0), dict(n_sweeps=0), dict(burn_in=-1), dict(seed=-3),
                                    dict(beta=0.0), dict(n_chains=2.5)])
    def test_bad_input(self, kw):
        m = random_spin_glass(4, 1, seed=0)
        base = dict(n_chains=2, n_sweeps=2)
        base.update(kw)
        with pytest.raises(InputError):
            metropolis_spins(m, [0.0], **base)


class TestQuarticNeurons:
    M = QuarticNeurons(a=1.0, b=-0.5, h0=np.array([0.1, -0.3, 0.2]),
                       A=np.array([[1.0, 0.2], [-0.5, 0.7], [0.3, 0.3]]), C=np.eye(2), beta=1.3)

    @pytest.mark.parametrize("kw", [dict(a=0.0), dict(a=-1.0), dict(beta=0.0), dict(b=float("nan")),
                                    dict(h0=np.zeros(2)), dict(C=np.eye(3))])
    def test_bad_input(self, kw):
        base = dict(a=1.0, b=0.0, h0=np.zeros(3), A=np.ones((3, 2)), C=np.eye(2))
        base.update(kw)
        with pytest.raises(InputError):
            QuarticNeurons(**base)

    def test_gaussian_limit_is_exact(self):
        # a → 0⁺ is excluded, so compare the quadrature with the direct 1-D integral at one site
        m = QuarticNeurons(a=0.5, b=1.0, h0=np.array([0.3]), A=np.ones((1, 1)), C=np.eye(1), beta=1.0)
        from scipy.integrate import quad
        z = quad(lambda x: math.exp(-(0.5 * x**4 / 4 + x**2 / 2 - 0.3 * x)), -np.inf, np.inf)[0]
        assert quartic_free_energy(m, [0.0]) == pytest.approx(-math.log(z), rel=1e-10)

    def test_identities_against_finite_differences(self):
        q = np.array([0.2, -0.4])
        ex = quartic_exact(self.M, q)
        F = lambda x: quartic_free_energy(self.M, x)  # noqa: E731
        assert np.allclose(ex.mean_force, _fd_grad(F, q), atol=1e-7)
        assert np.allclose(ex.hessian, _fd_hess(F, q), atol=1e-5)

    def test_sampler_against_quadrature(self):
        q = np.array([0.2, -0.4])
        ex = quartic_exact(self.M, q)
        x = metropolis_quartic(self.M, q, n_chains=500, n_steps=400, seed=1)
        g = ((-x @ self.M.A) + self.M.C @ q).mean(axis=0)
        z = (g.mean(axis=0) - ex.mean_force) / (g.std(axis=0, ddof=1) / math.sqrt(500))
        assert np.all(np.abs(z) < 4.5)

    def test_bad_sampler_input(self):
        with pytest.raises(InputError):
            metropolis_quartic(self.M, [0.0, 0.0], n_chains=2, n_steps=2, step_size=0.0)
