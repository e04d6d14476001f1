"""The Witten-map spectrum (issue 15 §1): the TICA estimator against deeptime and the exact OU spectrum, the
finite-difference H against the OU case, controls of the asymmetry.  Fixed seeds, no timing."""

import math

import numpy as np
import pytest

from numerics import witten as W


def _ou_frames(a, d, tau, n_walkers, n_frames, seed):
    """Exact OU frames q(t + tau) = e^{-A tau} q + xi (A symmetric, isotropic D), from the stationary law."""
    a = np.asarray(a, dtype=float)
    lam, u = np.linalg.eigh(a)
    prop = u @ np.diag(np.exp(-lam * tau)) @ u.T
    sig = u @ np.diag(d / lam) @ u.T
    noise = sig - prop @ sig @ prop.T
    g = np.random.default_rng(seed)
    q = g.standard_normal((n_walkers, 2)) @ np.linalg.cholesky(sig).T
    frames = [q]
    for _ in range(n_frames - 1):
        q = q @ prop.T + g.standard_normal((n_walkers, 2)) @ np.linalg.cholesky(noise).T
        frames.append(q)
    return frames, np.sqrt(np.diag(sig))


def _sums(frames, scale, degree):
    nf = (degree + 1) * (degree + 2) // 2 - 1
    s = W.TicaSums(frames[0].shape[0], nf)
    feats = [W._features(f, scale, degree) for f in frames]
    for x, y in zip(feats[:-1], feats[1:]):
        s.add(x, y)
    return s, feats


def test_tica_recovers_the_exact_ou_spectrum():
    # rotated A with eigenvalues 3 and 8: rates 3, 6, 8, 9 (n1 a1 + n2 a2), degree-3 basis spans them exactly
    rot = np.array([[math.cos(0.6), -math.sin(0.6)], [math.sin(0.6), math.cos(0.6)]])
    a = rot @ np.diag([3.0, 8.0]) @ rot.T
    tau = 0.05
    frames, scale = _ou_frames(a, 1.0, tau, 2000, 200, seed=11)
    s, _ = _sums(frames, scale, 3)
    per = s.stacked()
    exact = W.ou_rates([3.0, 8.0])
    assert np.allclose(exact, [3.0, 6.0, 8.0, 9.0])
    from numerics.stats import jackknife

    for i in range(4):
        r, se = jackknife(lambda tot: W.tica_rates(*s.unpack(tot), tau, 4)[i], per, pooled="sum")
        assert abs(r - exact[i]) < 4.5 * se, (i, r, se)
        assert abs(r - exact[i] * 1.1) > 4.5 * se  # power: a 10 % planted error is seen
    # reversible data: the asymmetry of C_tau vanishes within its SE
    a_val, a_se = jackknife(lambda tot: W.asymmetry(*s.unpack(tot)), per, pooled="sum")
    assert abs(a_val) < 4.5 * a_se


@pytest.mark.skipif(not W.have_deeptime(), reason="deeptime (the 'spectra' extra) is not installed")
def test_numpy_tica_agrees_with_deeptime():
    rot = np.array([[math.cos(0.3), -math.sin(0.3)], [math.sin(0.3), math.cos(0.3)]])
    frames, scale = _ou_frames(rot @ np.diag([2.0, 5.0]) @ rot.T, 1.0, 0.05, 500, 100, seed=3)
    s, feats = _sums(frames, scale, 3)
    mine = W.tica_rates(*s.unpack(s.stacked().sum(axis=0)), 0.05, 4)
    theirs = W._deeptime_rates(np.concatenate(feats[:-1]), np.concatenate(feats[1:]), 0.05, 4)
    assert np.allclose(mine, theirs, rtol=1e-8)


def test_fd_spectrum_of_h_is_the_ou_spectrum_when_n_is_zero():
    # N = 0: F = q.Kq/2 with K = diag(12, 24), so E_n/2hbar = 12, 24, 24, 36 (equilibrium.spectrum, OU case);
    # V comes from derive's equilibrium.ground-state through numerics.codegen
    spec = W.h_spectrum(W.WittenModel.frozen(n_active=0), n_grid=(81, 121), n_eig=5)
    assert abs(spec["E"][0]) < 0.05
    assert np.allclose(spec["r_pred"][1:], [12.0, 24.0, 24.0, 36.0], atol=0.05)
    assert spec["hbar"] == 2.0


def test_network_jet_matches_finite_differences():
    q = np.array([[0.3, -0.2], [0.004, 0.002], [1.0, 0.5]])
    h = 1e-5
    for m in (W.WittenModel.frozen(), W.WittenModel.exchange()):
        j = m.jet(q)
        for i in range(2):
            e = np.zeros(2)
            e[i] = h
            d1 = (m.jet(q + e)["F"] - m.jet(q - e)["F"]) / (2 * h)
            assert np.allclose(d1, j[f"F_q{i + 1}"], atol=1e-7)
            hp = 1e-4
            e[i] = hp
            d2 = (m.jet(q + e)["F"] - 2 * j["F"] + m.jet(q - e)["F"]) / hp**2
            assert np.allclose(d2, j[f"F_q{i + 1}q{i + 1}"], atol=1e-3)


def test_asymmetry_zero_at_detailed_balance_and_large_on_minibatch():
    sizes = W.Sizes(n_networks=1000, time=1.0, burn_in=0.2, etas=(0.005,), tau=0.02, degree=2, grids=(41, 61))
    frozen = W.measure_rates("frozen", 0.005, sizes, seed=5)
    assert abs(frozen.asymmetry) < 4.5 * frozen.asymmetry_se
    mb = W.measure_rates("minibatch", 0.01, W.Sizes(1000, 1.0, 0.2, (0.01,), 0.05, 1, (41, 61)), seed=5, n_rates=2)
    assert abs(mb.asymmetry) > 10 * mb.asymmetry_se  # no detailed balance: a stationary current


def test_extrapolation_recovers_a_planted_line():
    etas = [0.005, 0.0025, 0.00125]
    ex = W.extrapolate(etas, [7.0 + 40 * e for e in etas], [0.01] * 3)
    assert math.isclose(ex["r0"], 7.0, abs_tol=1e-9) and ex["chi2"] < 1e-12
