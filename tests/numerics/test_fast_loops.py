"""The buffered step loops (issue 15 §5) against the plain NumPy loops they replaced: same draws, same
arithmetic, so the results must be bitwise equal."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics.exchange_network import (EpsilonTable, NetworkModel, _norm_c, initial_state, linearization, mean_active,
                                       run_isotropic, run_minibatch, sample_spin_sum)
from numerics.witten import WittenModel, simulate_frozen


def _exchange(n, x, model, kex, rng):
    m = model.n_slots
    nn = np.arange(m + 1, dtype=float)
    with np.errstate(divide="ignore"):
        log_ins, log_del = np.log(m - nn) - np.log(nn + 1.0), np.log(nn) - np.log(m - nn + 1.0)
    for _ in range(kex):
        u = rng.random((2, n.size))
        insert = u[0] < 0.5
        log_acc = np.where(insert, log_ins[n] - x, log_del[n] + x)
        acc = np.log(u[1]) < log_acc
        n = n + np.where(acc, np.where(insert, 1, -1), 0)
    return n


def _reference(arm, model, mu, eta, kex, w, steps, rng, batch=1, t_q=1.0):
    """The plain loop of the isotropic / mini-batch arm (the code before the buffers)."""
    table = EpsilonTable.build(model.T, model.n_gauss_hermite)
    c, k = model.covariance(), np.asarray(model.k_diag)
    n_ref = int(round(float(mean_active(model, np.zeros(2), mu))))
    if arm == "isotropic":
        q, n = initial_state(model, mu, w, rng, t_q * np.linalg.inv(model.stiffness() - model.beta * n_ref * c))
    else:
        from scipy.linalg import solve_discrete_lyapunov

        a_ref, q_ref = linearization(model, min(max(n_ref, 1), model.n_slots), batch, eta)
        q, n = initial_state(model, mu, w, rng, solve_discrete_lyapunov(np.eye(2) - eta * a_ref, q_ref))
    l11, l21, l22 = np.linalg.cholesky(c)[[0, 1, 1], [0, 0, 1]]
    noise = math.sqrt(2.0 * eta * t_q)
    for _ in range(steps):
        if kex:
            n = _exchange(n, model.beta * (table.epsilon(_norm_c(q, c)) - mu), model, kex, rng)
        q_new = np.empty_like(q)
        if arm == "isotropic":
            ng = n * table.slope(_norm_c(q, c))
            cq0 = c[0, 0] * q[:, 0] + c[0, 1] * q[:, 1]
            cq1 = c[1, 0] * q[:, 0] + c[1, 1] * q[:, 1]
            xi = rng.standard_normal((2, w))
            q_new[:, 0] = q[:, 0] - eta * (k[0] * q[:, 0] + ng * cq0) + noise * xi[0]
            q_new[:, 1] = q[:, 1] - eta * (k[1] * q[:, 1] + ng * cq1) + noise * xi[1]
        else:
            z = rng.standard_normal((2, w, batch))
            u1, u2 = l11 * z[0], l21 * z[0] + l22 * z[1]
            m = sample_spin_sum(n[:, None], q[:, 0:1] * u1 + q[:, 1:2] * u2, model.beta, rng)
            q_new[:, 0] = q[:, 0] - eta * (k[0] * q[:, 0] - (m * u1).mean(axis=1))
            q_new[:, 1] = q[:, 1] - eta * (k[1] * q[:, 1] - (m * u2).mean(axis=1))
        q = q_new
    return q, n


@pytest.mark.parametrize("arm,kex,batch,t_q", [("isotropic", 1, 1, 1.0), ("isotropic", 3, 1, 1.0),
                                               ("isotropic", 0, 1, 4.0), ("isotropic", 1, 1, 40.0),
                                               ("minibatch", 1, 1, 1.0), ("minibatch", 10, 4, 1.0),
                                               ("minibatch", 0, 3, 1.0)])
def test_buffered_arms_are_bitwise_the_plain_loops(arm, kex, batch, t_q):
    model = NetworkModel()
    q_ref, n_ref = _reference(arm, model, 0.5, 0.01, kex, 200, 40, np.random.default_rng(3), batch, t_q)
    kw = dict(mu=0.5, eta=0.01, kex=kex, n_networks=200, n_steps=40, burn_in=10, rng=np.random.default_rng(3))
    seen = []
    obs = lambda q0, q1, n: seen.append((q0.copy(), q1.copy(), n.copy()))  # noqa: E731
    if arm == "isotropic":
        final = run_isotropic(model, t_q=t_q, observe=obs, **kw)
    else:
        final = run_minibatch(model, batch=batch, observe=obs, **kw)
    assert np.array_equal(final.q, q_ref) and np.array_equal(final.n_active, n_ref)
    assert len(seen) == 30 and np.array_equal(seen[-1][1], q_ref) and np.array_equal(seen[-1][2], n_ref)
    assert final.mean_n == pytest.approx(np.mean([s[2].mean() for s in seen]), abs=1e-12)
    if t_q == 40.0:  # some s beyond the table: the step falls back to the quadrature
        assert np.abs(q_ref).max() > 5.0 / math.sqrt(0.5)


def test_frozen_langevin_is_bitwise_the_plain_loop():
    model, eta, w = WittenModel.frozen(), 0.005, 200
    net = model.network
    table = EpsilonTable.build(net.T, net.n_gauss_hermite)
    c, k = net.covariance(), np.asarray(net.k_diag)
    g = np.random.default_rng(7)
    q = g.standard_normal((w, 2)) @ np.linalg.cholesky(model.T_q * np.linalg.inv(model.hessian_at_zero())).T
    x, y = q[:, 0].copy(), q[:, 1].copy()
    noise = math.sqrt(2.0 * eta * model.T_q)
    ref = []
    for _ in range(30):
        cq0, cq1 = c[0, 0] * x + c[0, 1] * y, c[1, 0] * x + c[1, 1] * y
        ng = table.slope(np.sqrt(np.maximum(x * cq0 + y * cq1, 0.0))) * (-eta * 15.0)
        xi = g.standard_normal((2, w)) * noise
        x = x * (1.0 - eta * k[0]) + ng * cq0 + xi[0]
        y = y * (1.0 - eta * k[1]) + ng * cq1 + xi[1]
        ref.append(np.stack([x, y], axis=1))
    got = []
    simulate_frozen(model, eta, w, 30, 0, np.random.default_rng(7), lambda t, q: got.append(q.copy()))
    assert len(got) == 30 and all(np.array_equal(a, b) for a, b in zip(got, ref))


def test_lookup_is_bitwise_the_table_interpolation():
    """_Lookup (one take along the table's cell axis into (2k, W) rows) against EpsilonTable._interp."""
    from numerics.exchange_network import _Lookup

    table = EpsilonTable.build(1.0, 80)
    g = np.random.default_rng(11)
    look = _Lookup(table, 500)
    for s in (np.abs(g.standard_normal(500)), np.linspace(0.0, table.s_max * (1 - 1e-12), 500)):
        look.locate(s)
        assert look.fast
        e, d = look.both()
        assert np.array_equal(e, table.epsilon(s)) and np.array_equal(d, table.slope(s))
        assert np.array_equal(look.epsilon(), table.epsilon(s)) and np.array_equal(look.slope(), table.slope(s))
    s = np.abs(g.standard_normal(500)) * 3.0  # some beyond the table: the quadrature fallback
    look.locate(s)
    assert not look.fast and np.array_equal(look.both()[1], table.slope(s))


@pytest.mark.parametrize("radii,halfwidths,bins,steps", [((0.9,), (0.05,), (144,), 16),
                                                          ((0.9,), (0.05,), (144,), 1),
                                                          ((0.6, 0.9, 1.2), (0.05, 0.05, 0.05), (144, 144, 144), 4),
                                                          ((0.3, 0.34), (0.05, 0.02), (144, 36), 7)])
def test_step_binner_is_bitwise_the_accumulator_calls(radii, halfwidths, bins, steps):
    """The two-temperature arm's binner (``steps`` steps per batch; 25 steps end on a partial batch, some
    steps have no point in the annuli) against add_increments + add_conditional_pair: equal sums."""
    from numerics.circulation_estimator import Annulus, CirculationAccumulator

    w = 3000
    annuli = [Annulus(r, h, b) for r, h, b in zip(radii, halfwidths, bins)]
    ref = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    new = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    binner = new[0].binner(new[1], steps=steps)
    g = np.random.default_rng(5)
    q = g.standard_normal((2, w)) * 0.7
    q[:, :4] = [[radii[0] - halfwidths[0], 0.0, -radii[-1], 0.0], [0.0, radii[0] + halfwidths[0], 0.0, -1e-300]]
    n = g.integers(0, 21, w)
    for t in range(25):
        q1 = q * 0.98 + 0.1 * g.standard_normal((2, w))
        n1 = np.clip(n + g.integers(-1, 2, w), 0, 20)
        a, b = (q + 10.0, q1 + 10.0) if t in (3, 4) else (q, q1)  # far outside every annulus: no points
        ref[0].add_increments(a.T, b.T)
        ref[0].add_conditional_pair(a.T, n1, ref[1], n)
        binner.add(a, b, n1, n)
        q, n = q1, n1
    binner.flush()
    for a, b in zip(ref, new):
        assert all(np.array_equal(x, y) for x, y in zip(a._v, b._v))
        assert all(np.array_equal(x, y) for x, y in zip(a._n, b._n))
    assert sum(float(m[0].sum()) for m in new[0]._v) > 0 and sum(float(m[0].sum()) for m in new[1]._n) > 0


def test_step_binner_steps_reach_the_estimates_and_keep_their_order():
    """Buffered steps are binned before an estimate is read and before a direct add on either accumulator,
    so the sums are those of the calls in the order they were made."""
    from numerics.circulation_estimator import Annulus, CirculationAccumulator

    w = 2000
    annuli = [Annulus(0.6, 0.2, 36)]
    ref = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    new = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    binner = new[0].binner(new[1], steps=100)
    g = np.random.default_rng(2)
    q = g.standard_normal((2, w)) * 0.6
    n = g.integers(0, 21, w)
    for t in range(40):
        q1 = q * 0.95 + 0.2 * g.standard_normal((2, w))
        n1 = np.clip(n + g.integers(-1, 2, w), 0, 20)
        if t == 20:  # a direct call between binned steps
            ref[1].add_conditional(q.T, None, n)
            new[1].add_conditional(q.T, None, n)
        ref[0].add_increments(q.T, q1.T)
        ref[0].add_conditional_pair(q.T, n1, ref[1], n)
        binner.add(q, q1, n1, n)
        q, n = q1, n1
    assert ref[0].stratonovich(0.01) == new[0].stratonovich(0.01)  # flushes the last 19 steps
    eps = lambda r, th: r * np.cos(th)  # noqa: E731
    assert ref[1].conditional(eps) == new[1].conditional(eps) and ref[1].conditional(eps)[0] is not None
    assert all(np.array_equal(x, y) for a, b in zip(ref, new) for x, y in zip(a._n, b._n))


def test_conditional_pair_is_bitwise_two_conditional_calls():
    """Regression (one moment-sum helper behind both): binning q0 once for two accumulators gives the
    sums of two separate add_conditional calls, bit for bit."""
    from numerics.circulation_estimator import Annulus, CirculationAccumulator

    w = 2000
    annuli = [Annulus(0.6, 0.05, 144), Annulus(0.9, 0.02, 36)]
    pair = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    single = CirculationAccumulator(annuli, w), CirculationAccumulator(annuli, w)
    g = np.random.default_rng(11)
    for _ in range(10):
        q0 = g.standard_normal((w, 2)) * 0.7
        n_a, n_b = g.integers(0, 21, w), g.integers(0, 21, w)
        pair[0].add_conditional_pair(q0, n_a, pair[1], n_b)
        single[0].add_conditional(q0, None, n_a)
        single[1].add_conditional(q0, None, n_b)
    for a, b in zip(pair, single):
        assert all(np.array_equal(x, y) for x, y in zip(a._n, b._n))
    assert sum(float(m[0].sum()) for m in pair[0]._n) > 0


class _Preset:
    """A stand-in generator whose ``random(out=u)`` fills u with preset values (edge cases included)."""

    def __init__(self, u):
        self.u = u

    def random(self, out):
        out[...] = self.u[:out.shape[0]]


def test_metropolis_decisions_are_the_select_of_the_plain_code():
    """_Metropolis.attempt against the plain where/log code, with ln u = −inf (u = 0), x = ±inf and NaN, and N at
    0 and M (where one of the log ratios is −inf)."""
    from numerics.exchange_network import _log_ratios, _Metropolis

    g = np.random.default_rng(11)
    m, w = 12, 4000
    li, ld = _log_ratios(m)
    n0 = g.integers(0, m + 1, w)
    n0[:40:2], n0[1:40:2] = 0, m
    x = g.normal(0, 2, w)
    x[40:46] = [np.inf, -np.inf, np.nan, np.inf, -np.inf, np.nan]
    u = g.random((3, w))
    u[1, 46:50] = 0.0
    for frac in (None, 0.4):
        insert = u[0] < 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            acc = np.log(u[1]) < np.where(insert, li[n0] - x, ld[n0] + x)
        if frac is not None:
            acc &= u[2] < frac
        ref = n0 + np.where(acc, np.where(insert, 1, -1), 0)
        n = n0.astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            tried, up, down = _Metropolis(li, ld, w).attempt(n, x, _Preset(u), frac)
        assert np.array_equal(n, ref) and n.min() >= 0 and n.max() <= m
        assert up == int((acc & insert).sum()) and down == int((acc & ~insert).sum())
        assert tried == (w if frac is None else int((u[2] < frac).sum()))
