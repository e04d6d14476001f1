"""Two-temperature exchange circulation (issue 15 §2): the fixed-rate exchange move, the detailed-balance and
frozen-N controls, and the extrapolation helpers.  Fixed seeds, no timing."""

import math

import numpy as np

from numerics.circulation import twotemp as tt


def _tables(m=20):
    nn = np.arange(m + 1, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(m - nn) - np.log(nn + 1.0), np.log(nn) - np.log(m - nn + 1.0)


def test_fractional_attempts_are_a_probability_per_step():
    li, ld = _tables()
    g = np.random.default_rng(0)
    n = np.full(100000, 10)
    _, tried, _ = tt._exchange(n, np.zeros(n.size), li, ld, 0.3, g)
    assert abs(tried / n.size - 0.3) < 4.5 * math.sqrt(0.3 * 0.7 / n.size)
    _, tried, _ = tt._exchange(n, np.zeros(n.size), li, ld, 2.25, g)
    assert abs(tried / n.size - 2.25) < 4.5 * math.sqrt(0.25 * 0.75 / n.size)


def test_exchange_keeps_the_binomial_law():
    # at fixed x = beta(eps - mu) = 0 the stationary N law is Binomial(M, 1/2)
    li, ld = _tables()
    g = np.random.default_rng(1)
    n = np.full(20000, 0)
    for _ in range(300):
        n, _, _ = tt._exchange(n, np.zeros(n.size), li, ld, 1.5, g)
    assert abs(n.mean() - 10.0) < 4.5 * math.sqrt(5.0 / n.size) * 3  # (correlated chains: a 3x margin)
    assert abs(n.var() - 5.0) < 0.5


def test_detailed_balance_and_frozen_controls():
    # T_q = T: detailed balance, Gamma = 0; kappa = 0 (frozen N) at T_q = 4T: each N is an equilibrium, Gamma = 0
    for arm in (tt.Arm2T(1.0, 0.005, 100.0, (0.3,)), tt.Arm2T(4.0, 0.005, 0.0, (0.6,))):
        row = tt.measure_2t(arm, n_networks=2000, time=3.0, burn_in=0.5, seed=4)[0]
        assert row["gamma"] is not None and abs(row["gamma"]) < 4.5 * row["se"], row


def test_line_and_two_point_recover_planted_values():
    etas = [0.01, 0.005, 0.0025, 0.00125]
    fit = tt._line(etas, [0.002 + 0.5 * e for e in etas], [1e-4] * 4)
    assert math.isclose(fit["gamma0"], 0.002, abs_tol=1e-12) and fit["linear_adequate"]
    bent = tt._line(etas, [0.002 + 400 * e * e for e in etas], [1e-4] * 4)
    assert not bent["linear_adequate"]  # power: a planted curvature is flagged
    tp = tt._two_point({"gamma": 0.004, "se": 1e-4}, {"gamma": 0.003, "se": 1e-4})
    assert math.isclose(tp["gamma0"], 0.002)
