"""Trainable variables: Langevin dynamics and literal mini-batch SGD (paper Step 3).

Euler–Maruyama for the Langevin equation with drift −γ∂F (descent convention),

    q_{t+Δt} = q_t − γ ∂F(q_t) Δt + √(2DΔt) ξ_t,      ξ_t ~ N(0, 1),

whose continuum stationary law is p_eq ∝ e^{−γF/D} (T_q = D/γ).  The drift is any callable acting on
arrays (the lead passes kernels generated from SymPy).  Walkers are vectorised.

For the OU case F = a q²/2 the discrete chain is exactly solvable: q_{t+1} = (1 − γaΔt) q_t + √(2DΔt) ξ,
stationary variance 2DΔt / (1 − (1 − γaΔt)²) = (T_q/a) / (1 − γaΔt/2), so the Stein statistic
T̂ = ⟨F′²⟩/⟨F″⟩ = a Var q has the exact discrete reference T_q/(1 − γaΔt/2) (learning.discrete-ou).

Mini-batch SGD on the quadratic loss ℓ(q; x) = a(q − x)²/2 with data x ~ N(0, s²), batch B:
q ← q − η ∂ℓ̄_B = q − ηa q + ηa x̄_B.  Per step (time unit one step) γ = η and the gradient noise has
variance σ² = a²s²/B, so D = η²σ²/2 (learning.sgd).

>>> r = euler_maruyama(lambda q: q, np.zeros(1000), gamma=1.0, D=1.0, dt=0.01, n_steps=200, seed=0)
>>> r.q.shape
(1000,)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from derive.errors import InputError
from numerics.codegen import kernel
from numerics.validate import check_generator as check_seed, check_int, check_positive

__all__ = [
    "LangevinRun",
    "SGDRun",
    "euler_maruyama",
    "ou_discrete_variance",
    "ou_discrete_temperature",
    "ou_discrete_rate",
    "sgd_quadratic",
]


@dataclass(frozen=True)
class LangevinRun:
    """Final walker positions ``q``, per-walker time averages of the named observables (after burn-in),
    recorded snapshots ``path`` (n_records, *q.shape) if requested, and the step count."""

    q: np.ndarray
    means: Mapping[str, np.ndarray] = field(default_factory=dict)
    path: np.ndarray | None = None
    n_steps: int = 0


def euler_maruyama(grad_F: Callable[[np.ndarray], np.ndarray], q0, *, gamma: float, D: float, dt: float,
                   n_steps: int, seed=0, burn_in: int = 0,
                   observables: Mapping[str, Callable[[np.ndarray], np.ndarray]] | None = None,
                   record_every: int = 0) -> LangevinRun:
    """Euler–Maruyama q ← q − γ ∂F(q) Δt + √(2DΔt) ξ for all walkers at once.

    ``q0``: walker positions, shape (W,) or (W, K); ``grad_F`` maps that shape to itself.
    ``observables``: name → f(q) with one value per walker; their time averages over the steps after
    ``burn_in`` are returned per walker (independent replicas for SEs).  ``record_every`` > 0 keeps a
    snapshot every that many steps (including the initial state).
    """
    g = check_positive("gamma", gamma)
    d = check_positive("D", D)
    h = check_positive("dt", dt)
    n = check_int("n_steps", n_steps, 1)
    nb = check_int("burn_in", burn_in, 0)
    if nb >= n and observables:
        raise InputError(f"burn_in must be < n_steps = {n} when observables are averaged, got {nb}")
    rec = check_int("record_every", record_every, 0)
    rng = check_seed(seed)
    q = np.array(q0, dtype=float)
    if q.ndim not in (1, 2) or q.size < 1 or not np.all(np.isfinite(q)):
        raise InputError(f"q0 must be a finite array of shape (W,) or (W, K), got shape {q.shape}")
    obs = dict(observables or {})
    sums = {k: np.zeros(q.shape[0]) for k in obs}
    noise = np.empty_like(q)
    amp = math.sqrt(2.0 * d * h)
    drift = g * h
    path = [q.copy()] if rec else None
    # the drift b = -γ ∂F is the kernel generated from derive's learning.langevin (never retyped);
    # passing γΔt for γ gives the displacement b Δt in one array operation
    displacement = kernel("langevin_drift_1d")
    for t in range(n):
        rng.standard_normal(out=noise)
        # in-place updates: the step costs one normal draw plus a few fused passes over the walkers
        q += displacement(F_q1=grad_F(q), gamma=drift)
        noise *= amp
        q += noise
        if t >= nb:
            for k, f in obs.items():
                sums[k] += f(q)
        if rec and (t + 1) % rec == 0:
            path.append(q.copy())
    means = {k: v / (n - nb) for k, v in sums.items()}
    return LangevinRun(q=q, means=means, path=None if path is None else np.array(path), n_steps=n)


def ou_discrete_variance(a: float, gamma: float, D: float, dt: float) -> float:
    """Exact stationary variance 2DΔt/(1 − (1 − γaΔt)²) of Euler–Maruyama on F = a q²/2 (needs 0 < γaΔt < 2).

    >>> round(ou_discrete_variance(1.0, 1.0, 1.0, 1e-9), 6)
    1.0
    """
    c = check_positive("a", a) * check_positive("gamma", gamma) * check_positive("dt", dt)
    if not c < 2.0:
        raise InputError(f"gamma*a*dt must be < 2 for a stationary discrete chain, got {c!r}")
    return 2.0 * check_positive("D", D) * dt / (1.0 - (1.0 - c) ** 2)


def ou_discrete_temperature(a: float, gamma: float, D: float, dt: float) -> float:
    """Stein statistic ⟨F′²⟩/⟨F″⟩ = a Var q of the discrete OU chain: T_q/(1 − γaΔt/2), T_q = D/γ."""
    return a * ou_discrete_variance(a, gamma, D, dt)


def ou_discrete_rate(rate: float, dt: float) -> float:
    """Per-unit-time decay rate of the mean of the discrete chain whose continuum rate is ``rate``:
    ⟨q⟩ ∝ (1 − rΔt)^{t/Δt} = e^{−r_d t}, r_d = −ln(1 − rΔt)/Δt."""
    r = check_positive("rate", rate)
    h = check_positive("dt", dt)
    if not r * h < 1.0:
        raise InputError(f"rate*dt must be < 1, got {r * h!r}")
    return -math.log1p(-r * h) / h


@dataclass(frozen=True)
class SGDRun:
    """Literal SGD run: increments Δq, the loss gradient ∂F at the pre-step positions (per recorded
    step, shape (n_records, W)), and the final positions."""

    dq: np.ndarray
    grad_F: np.ndarray
    q: np.ndarray


def sgd_quadratic(*, a: float, data_sd: float, batch: int, eta: float, n_walkers: int, n_steps: int,
                  burn_in: int = 0, seed=0, q0: float = 0.0, record_every: int = 1) -> SGDRun:
    """Mini-batch SGD on ℓ(q; x) = a(q − x)²/2 with fresh data x ~ N(0, data_sd²), batch size ``batch``.

    The gradient noise comes only from sampling the batch (no artificial noise): each step draws
    ``batch`` data points per walker and averages their gradients.  F(q) = E ℓ = a q²/2 + const.
    Records (Δq, ∂F(q)) every ``record_every`` steps after burn-in.

    >>> r = sgd_quadratic(a=1.0, data_sd=1.0, batch=4, eta=0.1, n_walkers=50, n_steps=20, seed=0)
    >>> r.dq.shape
    (20, 50)
    """
    av = check_positive("a", a)
    sd = check_positive("data_sd", data_sd)
    b = check_int("batch", batch, 1)
    e = check_positive("eta", eta)
    w = check_int("n_walkers", n_walkers, 1)
    n = check_int("n_steps", n_steps, 1)
    nb = check_int("burn_in", burn_in, 0)
    rec = check_int("record_every", record_every, 1)
    rng = check_seed(seed)
    q = np.full(w, float(q0))
    dqs, grads = [], []
    for t in range(nb + n):
        x = rng.normal(0.0, sd, (b, w))       # the mini-batch: literal data points
        grad = av * (q[None, :] - x)          # per-example gradients
        dq = -e * grad.mean(axis=0)
        if t >= nb and (t - nb) % rec == 0:
            dqs.append(dq)
            grads.append(av * q)
        q = q + dq
    return SGDRun(dq=np.array(dqs), grad_F=np.array(grads), q=q)
