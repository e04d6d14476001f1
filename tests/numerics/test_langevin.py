"""Tests of numerics.langevin: Euler–Maruyama against the exact discrete OU law; literal SGD's γ and D."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from derive.errors import InputError
from numerics.langevin import (LangevinRun, SGDRun, euler_maruyama, ou_discrete_rate, ou_discrete_temperature,
                               ou_discrete_variance, sgd_quadratic)


class TestLangevinRun:
    def test_ou_stationary_variance_is_the_exact_discrete_one(self):
        a, g, D, dt, W = 2.0, 0.5, 0.3, 0.2, 4000
        rng = np.random.default_rng(0)
        r = euler_maruyama(lambda q: a * q, rng.normal(0, 0.5, W), gamma=g, D=D, dt=dt, n_steps=1500, burn_in=200,
                           seed=1, observables={"q2": lambda q: q * q})
        assert isinstance(r, LangevinRun)
        v = r.means["q2"]
        exact = ou_discrete_variance(a, g, D, dt)
        se = v.std(ddof=1) / math.sqrt(W)
        assert abs(v.mean() - exact) < 4.5 * se
        # the continuum value D/(γa) is excluded at this step size (referee E13)
        assert abs(v.mean() - D / (g * a)) > 10 * se

    def test_mean_decay_is_exact_for_linear_drift(self):
        r = euler_maruyama(lambda q: q, np.full(20000, 2.0), gamma=1.0, D=0.2, dt=0.05, n_steps=20, seed=2)
        se = r.q.std(ddof=1) / math.sqrt(r.q.size)
        assert abs(r.q.mean() - 2.0 * 0.95**20) < 4.5 * se

    def test_identity_drift_does_not_corrupt_state(self):
        # grad_F returning its argument must not be scaled in place
        r = euler_maruyama(lambda q: q, np.full(5000, 1.0), gamma=1.0, D=1e-12, dt=0.1, n_steps=1, seed=0)
        assert np.allclose(r.q, 0.9, atol=1e-5)

    def test_two_dimensional_walkers_and_path(self):
        r = euler_maruyama(lambda q: q, np.zeros((100, 2)), gamma=1.0, D=1.0, dt=0.01, n_steps=10, seed=0,
                           record_every=5)
        assert r.q.shape == (100, 2) and r.path.shape == (3, 100, 2)

    def test_reproducible(self):
        a = euler_maruyama(lambda q: q, np.zeros(10), gamma=1.0, D=1.0, dt=0.1, n_steps=5, seed=9).q
        b = euler_maruyama(lambda q: q, np.zeros(10), gamma=1.0, D=1.0, dt=0.1, n_steps=5, seed=9).q
        assert np.array_equal(a, b)

    @pytest.mark.parametrize("kw", [dict(gamma=0.0), dict(D=-1.0), dict(dt=0.0), dict(n_steps=0), dict(seed=-1),
                                    dict(burn_in=10, observables={"x": lambda q: q}), dict(q0=np.zeros((2, 2, 2)))])
    def test_bad_input(self, kw):
        base = dict(q0=np.zeros(3), gamma=1.0, D=1.0, dt=0.1, n_steps=5)
        base.update(kw)
        q0 = base.pop("q0")
        with pytest.raises(InputError):
            euler_maruyama(lambda q: q, q0, **base)


class TestDiscreteReferences:
    @given(st.floats(0.1, 10), st.floats(0.1, 10), st.floats(0.01, 10))
    def test_continuum_limit(self, a, g, D):
        assert ou_discrete_temperature(a, g, D, 1e-9 / (a * g)) == pytest.approx(D / g, rel=1e-6)

    @given(st.floats(0.01, 1.9))
    def test_exact_formula(self, c):
        # T_q/(1 − γaΔt/2) with γ = a = 1, D = 1
        assert ou_discrete_temperature(1.0, 1.0, 1.0, c) == pytest.approx(1 / (1 - c / 2), rel=1e-12)

    def test_rate(self):
        assert ou_discrete_rate(1.0, 0.01) == pytest.approx(-math.log(0.99) / 0.01)
        with pytest.raises(InputError):
            ou_discrete_rate(2.0, 0.5)
        with pytest.raises(InputError):
            ou_discrete_variance(1.0, 1.0, 1.0, 2.0)


class TestSGDRun:
    def test_gamma_equals_eta_and_D_equals_half_eta2_sigma2(self):
        a, sd, B, eta = 1.5, 0.8, 5, 0.05
        r = sgd_quadratic(a=a, data_sd=sd, batch=B, eta=eta, n_walkers=3000, n_steps=300, burn_in=50, seed=3)
        assert isinstance(r, SGDRun)
        sigma2 = a * a * sd * sd / B
        x, y = r.grad_F.ravel(), r.dq.ravel()
        gamma_hat = -np.sum(x * y) / np.sum(x * x)                  # drift −γ∂F with γ = η
        resid = y + gamma_hat * x
        se_g = resid.std() / math.sqrt(np.sum(x * x)) * math.sqrt(10)  # generous: increments correlate via q
        assert abs(gamma_hat - eta) < 5 * se_g
        d = 0.5 * (r.dq + eta * r.grad_F) ** 2          # (steps, walkers)
        m = d.mean(axis=0)
        assert abs(m.mean() - eta**2 * sigma2 / 2) < 4.5 * m.std(ddof=1) / math.sqrt(m.size)

    def test_stationary_temperature(self):
        a, eta = 1.0, 0.2
        r = sgd_quadratic(a=a, data_sd=1.0, batch=2, eta=eta, n_walkers=3000, n_steps=300, burn_in=100, seed=4)
        t = (r.grad_F**2).mean(axis=0) / a
        expect = (eta * 0.5 / 2) / (1 - eta * a / 2)
        assert abs(t.mean() - expect) < 4.5 * t.std(ddof=1) / math.sqrt(t.size)

    @pytest.mark.parametrize("kw", [dict(batch=0), dict(eta=0.0), dict(n_walkers=0), dict(data_sd=-1.0),
                                    dict(record_every=0)])
    def test_bad_input(self, kw):
        base = dict(a=1.0, data_sd=1.0, batch=1, eta=0.1, n_walkers=2, n_steps=2)
        base.update(kw)
        with pytest.raises(InputError):
            sgd_quadratic(**base)
