"""Two-temperature exchange circulation (issue 15 §2): the fixed-rate exchange move, the detailed-balance and
frozen-N controls, and the extrapolation helpers.  Fixed seeds, no timing."""

import math

import numpy as np
import pytest

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


def test_line_recovers_planted_values_and_flags_curvature():
    etas = [0.01, 0.005, 0.0025, 0.00125]
    fit = tt._line(etas, [0.002 + 0.5 * e for e in etas], [1e-4] * 4)
    assert math.isclose(fit["gamma0"], 0.002, abs_tol=1e-12) and fit["linear_adequate"]
    bent = tt._line(etas, [0.002 + 400 * e * e for e in etas], [1e-4] * 4)
    assert not bent["linear_adequate"]  # power: a planted curvature is flagged


def _row(tag, eta, gamma, kappa=100.0, mu=0.5, T_q=4.0, R=0.9, se=1e-4):
    return {"tag": tag, "T_q": T_q, "R": R, "eta": eta, "kappa": kappa, "mu": mu, "gamma": gamma, "se": se,
            "gamma_before": gamma, "se_before": se, "gamma_strat": None, "se_strat": None}


def test_sweeps_use_the_four_eta_line_with_its_linearity_check():
    # planted Gamma(eta) = g0(kappa) + 0.5 eta on the scan and the kappa- and mu-sweeps; kappa = 30 planted curved
    rows = [_row("scan", e, 0.01 + 0.5 * e, T_q=tq, R=R) for tq, radii in tt.RADII.items() for R in radii for e in tt.ETAS]
    rows += [_row("kappa", e, 0.001 * k ** 0.5 + (400 * e * e if k == 30 else 0.5 * e), kappa=k)
             for k in tt.KAPPAS if k != 100 for e in tt.SWEEP_ETAS]
    rows += [_row("mu", e, 0.002 * m + 0.5 * e, mu=m) for m in tt.MUS if m != 0.5 for e in tt.SWEEP_ETAS]
    out = tt.summarise(rows, [], sizes=tt.QUICK, seed=1, full=False)
    assert len(tt.SWEEP_ETAS) >= 4 and min(tt.SWEEP_ETAS) <= 0.00125
    kap = {p["kappa"]: p for p in out["sweeps"]["kappa"]}
    assert sorted(kap) == sorted(tt.KAPPAS)
    for k, p in kap.items():
        assert p["etas"] == sorted(tt.SWEEP_ETAS, reverse=True) and p["dof"] == len(tt.SWEEP_ETAS) - 2
        if k == 100:  # the base point is the eta-scan's own rows
            assert math.isclose(p["gamma0"], 0.01, abs_tol=1e-9)
        elif k != 30:
            assert math.isclose(p["gamma0"], 0.001 * k ** 0.5, abs_tol=1e-9) and p["linear_adequate"]
    assert not kap[30.0]["linear_adequate"]
    assert "NOT linear at kappa = 30" in out["verdict"]["text"]
    mus = {p["mu"]: p for p in out["sweeps"]["mu"]}
    assert sorted(mus) == sorted(tt.MUS) and math.isclose(mus[2.0]["gamma0"], 0.004, abs_tol=1e-9)
    assert [p["R"] for p in out["sweeps"]["R"]] == list(tt.RADII[4.0])


def _plain_2t(arm, w, n_steps, g, model):
    """The two-temperature loop in plain NumPy ((W, 2) state, tt._exchange): the reference of simulate_2t."""
    from numerics.exchange_network import EpsilonTable, initial_state, mean_active

    table = EpsilonTable.build(model.T, model.n_gauss_hermite)
    c, k = model.covariance(), np.asarray(model.k_diag)
    li, ld = _tables(model.n_slots)
    a_ref = model.stiffness() - model.beta * float(mean_active(model, np.zeros(2), arm.mu)) * c
    q, n = initial_state(model, arm.mu, w, g, arm.T_q * np.linalg.inv(a_ref))
    noise = math.sqrt(2.0 * arm.eta * arm.T_q)
    seen, tried = [], 0
    for _ in range(n_steps):
        q1, q2 = q[:, 0], q[:, 1]
        s = np.sqrt(np.maximum(c[0, 0] * (q1 * q1) + (2 * c[0, 1] * q1) * q2 + c[1, 1] * (q2 * q2), 0.0))
        n_before = n
        n, tr, _ = tt._exchange(n, table.epsilon(s) - arm.mu, li, ld, arm.kappa * arm.eta, g)
        tried += tr
        ng = n * table.slope(s)
        xi = g.standard_normal((2, w))
        q_new = np.empty_like(q)
        q_new[:, 0] = q1 - arm.eta * (k[0] * q1 + ng * (c[0, 0] * q1 + c[0, 1] * q2)) + noise * xi[0]
        q_new[:, 1] = q2 - arm.eta * (k[1] * q2 + ng * (c[1, 0] * q1 + c[1, 1] * q2)) + noise * xi[1]
        seen.append((q.copy(), q_new.copy(), n.copy(), np.array(n_before)))
        q = q_new
    return seen, tried


@pytest.mark.parametrize("arm", [tt.Arm2T(4.0, 0.005, 100.0, (0.9,)), tt.Arm2T(1.0, 0.01, 250.0, (0.3,)),
                                 tt.Arm2T(4.0, 0.01, 0.0, (0.6,)), tt.Arm2T(2.0, 0.0025, 30.0, (0.45,), mu=1.0)])
def test_simulate_2t_is_bitwise_the_plain_loop(arm):
    from numerics.exchange_network import NetworkModel

    model, w, steps = NetworkModel(), 300, 25
    ref, tried = _plain_2t(arm, w, steps, np.random.default_rng(7), model)
    got = []
    run = tt.simulate_2t(arm, n_networks=w, n_steps=steps, burn=5, g=np.random.default_rng(7), model=model,
                         observe=lambda q0, q1, na, nb: got.append((q0.T.copy(), q1.T.copy(), na.copy(), nb.copy())))
    assert len(got) == steps - 5 and run.measured_steps == steps - 5
    for a, b in zip(got, ref[5:]):
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
    # without an observer N is updated in place: the same decisions, counts and Σ⟨N⟩
    assert tt.simulate_2t(arm, n_networks=w, n_steps=steps, burn=5, g=np.random.default_rng(7), model=model) == run
    if arm.kappa == 0:
        assert run.tried == 0 and all(np.array_equal(a[2], a[3]) for a in got)


@pytest.mark.parametrize("kw,msg", [({"n_networks": 0}, "n_networks"), ({"n_steps": 0}, "n_steps"),
                                    ({"burn": 5}, "burn"), ({"burn": -1}, "burn"), ({"g": 3}, "Generator"),
                                    ({"observe": 1}, "observe")])
def test_simulate_2t_refuses_bad_input(kw, msg):
    from derive.errors import InputError

    args = dict(n_networks=50, n_steps=5, burn=0, g=np.random.default_rng(0)) | kw
    with pytest.raises(InputError, match=msg):
        tt.simulate_2t(tt.Arm2T(4.0, 0.01, 100.0, (0.6,)), **args)
