"""Tests of numerics.neuron_exchange: exact grand canonical identities and the exchange samplers."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats as sps

from derive.errors import InputError
from numerics.neuron_exchange import (DrivenLoop, ExchangeModel, ExchangeSamples, GrandExact, book_free_energies,
                                      circle_loop, driven_loop, exchange_metropolis, grand_exact, grand_potential,
                                      log_factor)


def _model(**kw):
    base = dict(n_slots=20, mu=-0.4, beta=1.0, h0=0.3, w=[0.5], coupling=0.5, factor="binomial")
    base.update(kw)
    return ExchangeModel(**base)


class TestExchangeModel:
    @pytest.mark.parametrize("kw", [dict(n_slots=0), dict(beta=0.0), dict(mu=float("nan")), dict(factor="gibbs"),
                                    dict(w=[]), dict(n_slots=3.0)])
    def test_bad_input(self, kw):
        with pytest.raises(InputError):
            _model(**kw)

    def test_field(self):
        assert _model().field([2.0]) == pytest.approx(1.3)
        with pytest.raises(InputError):
            _model().field([1.0, 2.0])


class TestGrandExact:
    @settings(max_examples=30, deadline=None)
    @given(st.floats(-1.0, 1.0), st.floats(0.3, 2.0), st.floats(-1.0, 1.0), st.sampled_from(["binomial", "poisson", "none"]),
           st.floats(0.0, 1.0))
    def test_identities(self, mu, beta, q, factor, coupling):
        m = _model(mu=mu, beta=beta, factor=factor, coupling=coupling)
        ex = grand_exact(m, [q])
        assert isinstance(ex, GrandExact) and ex.P.sum() == pytest.approx(1.0)
        h = 1e-4
        Om = lambda mm=None, qq=q: grand_potential(m, [qq], mm)  # noqa: E731
        assert ex.omega == pytest.approx(Om())
        assert ex.mean_N == pytest.approx(-(Om(mu + h) - Om(mu - h)) / (2 * h), abs=1e-5)           # ⟨N⟩ = −∂Ω/∂μ
        h2 = 1e-3
        assert ex.var_N == pytest.approx(-(Om(mu + h2) - 2 * Om(mu) + Om(mu - h2)) / (beta * h2**2), abs=1e-3)
        assert ex.force[0] == pytest.approx((Om(None, q + h) - Om(None, q - h)) / (2 * h), abs=1e-5)  # ∂Ω/∂q
        # exact ratio identity for every N with P > 0: T ln(P_{N+1}/P_N) = μ − (F̃_{N+1} − F̃_N)
        ok = (ex.P[:-1] > 1e-250) & (ex.P[1:] > 1e-250)
        lhs = np.log(ex.P[1:][ok] / ex.P[:-1][ok]) / beta
        assert np.allclose(lhs, mu - np.diff(ex.F_tilde)[ok], atol=1e-8)

    def test_poisson_and_binomial_laws_for_free_neurons(self):
        q, b, mu, h = [0.4], 1.3, -0.2, 0.3 + 0.5 * 0.4
        z1 = 2 * math.cosh(b * h)
        mp = _model(coupling=0.0, factor="poisson", beta=b, mu=mu, n_slots=200)
        lam = math.exp(b * mu) * z1
        assert np.allclose(grand_exact(mp, q).P, sps.poisson.pmf(np.arange(201), lam), atol=1e-12)
        mb = _model(coupling=0.0, factor="binomial", beta=b, mu=mu, n_slots=25)
        pocc = lam / (1 + lam)
        assert np.allclose(grand_exact(mb, q).P, sps.binom.pmf(np.arange(26), 25, pocc), atol=1e-12)

    def test_book_free_energy_of_free_neurons(self):
        m = _model(coupling=0.0)
        F = book_free_energies(m, [0.0])
        assert np.allclose(F, -np.arange(21) * math.log(2 * math.cosh(0.3)))

    def test_log_factor(self):
        assert np.allclose(np.exp(log_factor("poisson", 3)), [1, 1, 0.5, 1 / 6])
        assert np.allclose(log_factor("binomial-twice", 4), 2 * log_factor("binomial", 4))
        with pytest.raises(InputError):
            log_factor("bose", 3)


class TestExchangeSamples:
    @pytest.mark.parametrize("factor,coupling", [("binomial", 0.5), ("poisson", 0.0), ("none", 0.8)])
    def test_sampler_matches_exact_P(self, factor, coupling):
        m = _model(factor=factor, coupling=coupling, n_slots=12, mu=-0.6 if factor == "none" else 0.2)
        ex = grand_exact(m, [0.1])
        r = exchange_metropolis(m, [0.1], n_chains=200, n_sweeps=150, burn_in=50, seed=4)
        assert isinstance(r, ExchangeSamples) and r.N.shape == (150, 200)
        cm = r.N.mean(axis=0)
        assert abs(cm.mean() - ex.mean_N) < 4.5 * cm.std(ddof=1) / math.sqrt(200)
        # whole law: per-chain frequencies of each N against P(N)
        freq = np.array([(r.N == k).mean(axis=0) for k in range(13)])     # (13, chains)
        se = freq.std(axis=1, ddof=1) / math.sqrt(200) + 1e-4
        assert np.all(np.abs(freq.mean(axis=1) - ex.P) < 5 * se)
        mm = (-0.5 * r.m).mean(axis=0)
        assert abs(mm.mean() - ex.force[0]) < 4.5 * mm.std(ddof=1) / math.sqrt(200)

    def test_planted_double_counting_is_visible(self):
        m = _model(n_slots=12)
        ex = grand_exact(m, [0.1])
        r = exchange_metropolis(m, [0.1], n_chains=200, n_sweeps=100, seed=4, factor="binomial-twice")
        cm = r.N.mean(axis=0)
        assert abs(cm.mean() - ex.mean_N) > 10 * cm.std(ddof=1) / math.sqrt(200)

    @pytest.mark.parametrize("kw", [dict(n_chains=0), dict(n_sweeps=0), dict(burn_in=-1), dict(factor="x"),
                                    dict(seed=1.5)])
    def test_bad_input(self, kw):
        base = dict(n_chains=2, n_sweeps=2)
        base.update(kw)
        with pytest.raises(InputError):
            exchange_metropolis(_model(), [0.0], **base)


class TestDrivenLoop:
    def test_bookkeeping_is_exact_pathwise(self):
        m = _model()
        r = driven_loop(m, circle_loop([0.0], 1.0, 50), n_loops=2000, seed=1)
        assert isinstance(r, DrivenLoop)
        assert np.max(np.abs(r.W + r.J - r.dF_book)) < 1e-11
        assert np.any(r.J != 0) and np.any(r.N_end != r.N_start)

    def test_decoupled_neurons_do_no_work(self):
        m = _model(w=[0.0, 0.0])
        r = driven_loop(m, circle_loop([0.0, 0.0], 1.0, 40), n_loops=500, seed=2)
        assert np.all(r.W == 0.0)
        assert np.allclose(r.J, r.dF_book)

    def test_jarzynski_and_planted_error(self):
        m = _model()
        loop = circle_loop([0.0], 1.0, 60)
        x = np.exp(-m.beta * driven_loop(m, loop, n_loops=20000, seed=3).W)
        assert abs(x.mean() - 1) < 4.5 * x.std(ddof=1) / math.sqrt(x.size)
        y = np.exp(-m.beta * driven_loop(m, loop, n_loops=20000, seed=3, beta_exchange=1.5).W)
        assert abs(y.mean() - 1) > 6 * y.std(ddof=1) / math.sqrt(y.size)

    def test_circle_loop_is_closed(self):
        for c in ([0.0], [0.5, -0.5], [0.0, 0.0, 1.0]):
            lp = circle_loop(c, 0.7, 13)
            assert lp.shape == (14, len(c)) and np.array_equal(lp[0], lp[-1])

    def test_bad_input(self):
        m = _model()
        with pytest.raises(InputError):
            driven_loop(m, np.array([[0.0], [1.0]]), n_loops=3)          # not closed
        with pytest.raises(InputError):
            driven_loop(m, circle_loop([0.0, 0.0], 1.0, 4), n_loops=3)   # wrong K
        with pytest.raises(InputError):
            driven_loop(m, circle_loop([0.0], 1.0, 4), n_loops=0)
        with pytest.raises(InputError):
            circle_loop([0.0], -1.0, 4)
