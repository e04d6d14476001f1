"""Cross-checks on learning dynamics: Euler–Maruyama walkers and literal mini-batch SGD (C4, C5, E5).

* the stationary law p_eq ∝ e^{−γF/D} (Stein statistic against the exact discrete-chain value);
* SGD: D = η²σ²/2 with γ = η, and its stationary law (one SGD run feeds both);
* the stationary entropy-production balance D⟨(∂ ln p)²⟩ = γ⟨∂²F⟩ (score matching, Richardson in Δt);
* the relaxation rate against the spectrum of the Schrödinger operator built from F: E_n/ħ = 2r_n.

>>> from numerics.checks import REGISTRY
>>> REGISTRY.run_check("sgd-noise", seed=0).passed
True
"""

from __future__ import annotations

import math
from functools import cache, lru_cache, partial

import numpy as np
from scipy.linalg import eigh_tridiagonal

from derive.seeds import rng
from numerics import langevin as lg
from numerics.checks.registry import Check, Estimate
from numerics.stats import jackknife, mean_se, ratio_se

__all__ = ["CHECKS"]

# --- the OU stationary law -------------------------------------------------------------------------
_OU = dict(a=1.0, gamma=1.0, D=0.5, dt=0.1)
_OU_W, _OU_N, _OU_BURN = 4000, 2000, 200


def sample_stationary(seed: int, planted: bool) -> Estimate:
    a, gamma, D, dt = _OU["a"], _OU["gamma"], _OU["D"], _OU["dt"]
    g = rng(seed, "stationary-planted" if planted else "stationary")
    q0 = g.normal(0.0, math.sqrt(D / (gamma * a)), _OU_W)
    r = lg.euler_maruyama(lambda q: a * q, q0, gamma=gamma, D=D / 2 if planted else D, dt=dt, n_steps=_OU_N,
                          burn_in=_OU_BURN, seed=g, observables={"f2": lambda q: (a * q) ** 2})
    est, se = ratio_se(r.means["f2"], np.full(_OU_W, a))
    return Estimate(est, se, _OU_W * (_OU_N - _OU_BURN))


def exact_stationary() -> float:
    return lg.ou_discrete_temperature(_OU["a"], _OU["gamma"], _OU["D"], _OU["dt"])


# --- literal mini-batch SGD: γ = η, D = η²σ²/2 ----------------------------------------------------
_SGD = dict(a=1.0, data_sd=1.0, batch=4, eta=0.1)


@lru_cache(maxsize=2)
def _sgd_run(seed: int):
    return lg.sgd_quadratic(**_SGD, n_walkers=4000, n_steps=800, burn_in=100, seed=rng(seed, "sgd"))


def _sigma2() -> float:
    return _SGD["a"] ** 2 * _SGD["data_sd"] ** 2 / _SGD["batch"]     # per-step gradient-noise variance


def sample_sgd_noise(seed: int, planted: bool) -> Estimate:
    r = _sgd_run(seed)
    x = 0.5 * (r.dq + _SGD["eta"] * r.grad_F) ** 2          # (steps, walkers); walkers independent
    est, se = mean_se(x.mean(axis=0))
    return Estimate(est, se, x.size)


def exact_sgd_noise() -> float:
    return _SGD["eta"] ** 2 * _sigma2() / 2


def planted_sgd_noise() -> float:
    return _SGD["eta"] ** 2 * _sigma2()


def sample_sgd_stationary(seed: int, planted: bool) -> Estimate:
    r = _sgd_run(seed)
    f2 = (r.grad_F ** 2).mean(axis=0)
    est, se = ratio_se(f2, np.full(f2.size, _SGD["a"]))
    return Estimate(est, se, r.grad_F.size)


def exact_sgd_stationary(factor: float = 1.0) -> float:
    a, eta = _SGD["a"], _SGD["eta"]
    return factor * (eta ** 2 * _sigma2() / 2) / eta / (1 - eta * a / 2)


def planted_sgd_stationary() -> float:
    return exact_sgd_stationary(2.0)


# --- entropy-production balance at stationarity: D⟨(∂ ln p)²⟩ = γ⟨∂²F⟩ ---------------------------
_EB = dict(a=0.5, b=0.5, gamma=1.0, D=1.0)


def _even_power(q: np.ndarray, k: int) -> np.ndarray:
    """q^(2k) by repeated multiplication."""
    q2 = q * q
    out = q2
    for _ in range(k - 1):
        out = out * q2
    return out


def _eb_ratio(seed: int, tag: str, dt: float, D_sampler: float) -> tuple[float, float]:
    a, b, gamma, D = _EB["a"], _EB["b"], _EB["gamma"], _EB["D"]
    W, t_total, t_burn = 4000, 16.0, 3.0
    n, nb = int(round((t_total + t_burn) / dt)), int(round(t_burn / dt))
    g = rng(seed, tag)
    # even moments by products (q ** n with an integer n goes through the slow generic pow)
    obs = {f"m{2 * k}": partial(_even_power, k=k) for k in range(1, 6)}
    r = lg.euler_maruyama(lambda q: q * (a + b * (q * q)), g.normal(0.0, 1.0, W), gamma=gamma, D=D_sampler, dt=dt,
                          n_steps=n, burn_in=nb, seed=g, observables=obs)
    mom = np.column_stack([r.means[f"m{2 * k}"] for k in range(1, 6)])   # per walker: q², q⁴, …, q¹⁰

    def ratio(mm):
        m2, m4, m6, m8, m10 = mm.mean(axis=0)
        # Score matching (Hyvärinen) with basis φ = (q, q³, q⁵): the score s = cᵀφ minimising
        # E[½s² + s′] solves Gc = −d, G = E[φφᵀ], d = E[φ′]; Fisher information I = dᵀG⁻¹d.
        # The score of the sampled law is estimated from the samples alone, not from F.
        G = np.array([[m2, m4, m6], [m4, m6, m8], [m6, m8, m10]])
        d = np.array([1.0, 3 * m2, 5 * m4])
        return D * float(d @ np.linalg.solve(G, d)) / (gamma * (a + 3 * b * m2))

    return jackknife(ratio, mom, n_groups=20)


def sample_entropy_balance(seed: int, planted: bool) -> Estimate:
    tag = "entropy-planted" if planted else "entropy"
    d = _EB["D"] * (1.1 if planted else 1.0)
    r1, s1 = _eb_ratio(seed, tag + "/dt", 0.02, d)
    r2, s2 = _eb_ratio(seed, tag + "/dt2", 0.01, d)
    return Estimate(2 * r2 - r1, math.sqrt(4 * s2 * s2 + s1 * s1), 4000 * 800 * 3)


# --- FP relaxation rate against E_n/ħ = 2 r_n of H = −ħ²γ∂² + V ----------------------------------
_RS = dict(a=1.0, gamma=1.0, D=0.5, dt=0.01, q0=3.0, W=20000, t=1.0)


@cache
def _spectrum_rate() -> float:
    """E₁/(2ħ) from a finite-difference diagonalisation of H = −ħ²γ∂² + γF′² − 2DF″, ħ = 2D/γ (F = a q²/2)."""
    a, gamma, D = _RS["a"], _RS["gamma"], _RS["D"]
    hbar = 2 * D / gamma
    L, n = 12.0, 3000
    q = np.linspace(-L, L, n)
    h = q[1] - q[0]
    V = gamma * (a * q) ** 2 - 2 * D * a
    k = hbar**2 * gamma / h**2
    E = eigh_tridiagonal(V + 2 * k, -k * np.ones(n - 1), eigvals_only=True, select="i", select_range=(0, 1))
    return float((E[1] - E[0]) / (2 * hbar))


def sample_relaxation(seed: int, planted: bool) -> Estimate:
    a, W, q0, t = _RS["a"], _RS["W"], _RS["q0"], _RS["t"]
    r = lg.euler_maruyama(lambda q: a * q, np.full(W, q0), gamma=_RS["gamma"], D=_RS["D"], dt=_RS["dt"],
                          n_steps=int(round(t / _RS["dt"])), seed=rng(seed, "relax"))
    m, se_m = mean_se(r.q)
    return Estimate(-math.log(m / q0) / t, se_m / (m * t), W)      # delta method


def exact_relaxation() -> float:
    return lg.ou_discrete_rate(_spectrum_rate(), _RS["dt"])


def planted_relaxation() -> float:
    return lg.ou_discrete_rate(2 * _spectrum_rate(), _RS["dt"])      # E_n/ħ = r_n (factor 2 dropped)


CHECKS = (
    Check(name="learning-stationary", step="learning.stationary", identity="p_eq ~ exp(-gamma F / D)",
          statistic="Stein T_hat = <F'^2>/<F''> over 4000 Euler-Maruyama walkers (OU, gamma a dt = 0.1); expected "
                    "exact discrete T_q/(1 - gamma a dt/2); SE delta method over walkers",
          planted="noise sqrt(D dt) instead of sqrt(2 D dt) (factor 2 dropped)",
          sample=sample_stationary, expected=exact_stationary),
    Check(name="sgd-noise", step="learning.sgd", identity="D = eta^2 sigma^2 / 2 (with gamma = eta)",
          statistic="D_hat = mean of (dq + eta F'(q))^2 / 2 over 4000 SGD walkers x 800 steps (batch 4, gradient "
                    "noise from data sampling only); SE = sd(walker means)/sqrt(W)",
          planted="D = eta^2 sigma^2 (factor 1/2 dropped)", sample=sample_sgd_noise, expected=exact_sgd_noise,
          planted_expected=planted_sgd_noise),
    Check(name="sgd-stationary", step="learning.sgd",
          identity="SGD stationary law exp(-gamma F/D), gamma = eta, D = eta^2 sigma^2/2",
          statistic="Stein T_hat = <F'^2>/<F''> over 4000 SGD walkers; expected (D/gamma)/(1 - eta a/2) with "
                    "gamma = eta, D = eta^2 sigma^2/2 (exact discrete); SE delta method over walkers",
          planted="D = eta^2 sigma^2 (factor 1/2 dropped)", sample=sample_sgd_stationary,
          expected=exact_sgd_stationary, planted_expected=planted_sgd_stationary),
    Check(name="entropy-balance", step="entropy.balance", identity="D <(d ln p)^2> = gamma <d2F>",
          statistic="R = D I_hat / (gamma <F''>), I_hat = score-matching Fisher information (basis q, q^3, q^5) of "
                    "4000 Langevin walkers on F = q^2/4 + q^4/8; Richardson 2R(dt/2) - R(dt), dt = 0.02; SE "
                    "jackknife over 20 walker groups",
          planted="sampler noise at D' = 1.1 D", sample=sample_entropy_balance, expected=1.0),
    Check(name="equilibrium-spectrum", step="equilibrium.spectrum", identity="E_n/hbar = 2 r_n (OU, n = 1)",
          statistic="r_hat = -ln(<q>(t)/q0)/t at t = 1 over 20000 Euler-Maruyama walkers from q0 = 3; expected "
                    "E_1/(2 hbar) of the finite-difference operator, mapped to dt = 0.01; SE delta method "
                    "sd(q)/(sqrt(W) <q> t)",
          planted="E_n/hbar = r_n (factor 2 dropped)", sample=sample_relaxation, expected=exact_relaxation,
          planted_expected=planted_relaxation),
)
