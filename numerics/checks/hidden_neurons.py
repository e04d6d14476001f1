"""Cross-checks on the canonical ensemble of hidden neurons (C1, C2, the energy variance).

Binary neurons: 12 SK spins, q ∈ ℝ², 4096 states enumerated for the exact side, 400 Metropolis chains
for the sampled side (one run at β feeds the three checks; the planted run is at 1.1β).  Continuous
neurons: 6 quartic sites, quadrature for the exact side.  Models are built on first use.

>>> from numerics.checks import REGISTRY
>>> REGISTRY.run_check("canonical-force", seed=0).passed
True
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import numpy as np

from derive.seeds import rng
from numerics import hidden_neurons as hn
from numerics.checks.registry import Check, Estimate
from numerics.stats import mean_se

__all__ = ["CHECKS"]

_U = np.array([1.0, 1.0]) / math.sqrt(2.0)          # directional derivative ∂_u
_Q = np.array([0.3, -0.2])
_CHAINS, _SWEEPS, _BURN = 400, 300, 100
_PLANTED_BETA = 1.1


@cache
def _model() -> hn.SpinGlass:
    return hn.random_spin_glass(12, 2, beta=1.0, seed=20201209, coupling=1.0, field=0.3, gain=1.5)


@lru_cache(maxsize=4)
def _run(seed: int, planted: bool):
    m = _model()
    factor = _PLANTED_BETA if planted else 1.0
    s = hn.metropolis_spins(m, _Q, n_chains=_CHAINS, n_sweeps=_SWEEPS, burn_in=_BURN,
                            seed=rng(seed, f"canonical/{factor}"), beta=m.beta * factor)
    return hn.spin_force(m, s, _Q) @ _U, hn.spin_energy(m, s, _Q)     # ∂_uH and H per sweep and chain


@cache
def _exact() -> tuple[float, float, float]:
    m, q, u = _model(), _Q, _U
    F = lambda x: hn.spin_free_energy(m, x)  # noqa: E731
    h1, h2, hb = 1e-4, 1e-3, 1e-4
    dF = (F(q + h1 * u) - F(q - h1 * u)) / (2 * h1)
    d2F = (F(q + h2 * u) - 2 * F(q) + F(q - h2 * u)) / h2**2
    dU = (hn.canonical_exact(m, q, m.beta + hb).U - hn.canonical_exact(m, q, m.beta - hb).U) / (2 * hb)
    return dF, d2F, dU


def _estimate(mean_and_se: tuple[float, float]) -> Estimate:
    return Estimate(mean_and_se[0], mean_and_se[1], _CHAINS * _SWEEPS)


def sample_force(seed: int, planted: bool) -> Estimate:
    g, _ = _run(seed, planted)
    return _estimate(mean_se(g.mean(axis=0)))


def sample_hessian(seed: int, planted: bool) -> Estimate:
    # Global centring: per-chain mean squares about the mean of all chains.
    g, _ = _run(seed, planted)
    m = _model()
    mean, se = mean_se(((g - g.mean()) ** 2).mean(axis=0))
    return _estimate((float(_U @ m.C @ _U) - m.beta * mean, m.beta * se))


def sample_energy_variance(seed: int, planted: bool) -> Estimate:
    _, e = _run(seed, planted)
    mean, se = mean_se(((e - e.mean()) ** 2).mean(axis=0))
    return _estimate((-mean, se))


def exact_force() -> float:
    return _exact()[0]


def exact_hessian() -> float:
    return _exact()[1]


def exact_energy_derivative() -> float:
    return _exact()[2]


# continuous hidden neurons: quartic sites, quadrature reference

@cache
def _quartic() -> hn.QuarticNeurons:
    return hn.QuarticNeurons(a=1.0, b=-0.5, h0=np.array([0.1, -0.2, 0.3, 0.0, 0.25, -0.1]),
                             A=np.array([[1.0, 0.5], [0.3, -1.0], [0.2, 0.2], [-0.6, 0.4], [0.5, 0.9], [0.8, -0.3]]),
                             C=np.eye(2), beta=1.0)


_QN_Q = np.array([0.2, -0.1])


def sample_continuous_force(seed: int, planted: bool) -> Estimate:
    m = _quartic()
    beta = m.beta * (_PLANTED_BETA if planted else 1.0)
    x = hn.metropolis_quartic(m, _QN_Q, n_chains=1000, n_steps=600, burn_in=200, step_size=1.2,
                              seed=rng(seed, "quartic-planted" if planted else "quartic"), beta=beta)
    g = (-x @ m.A + m.C @ _QN_Q) @ _U
    mean, se = mean_se(g.mean(axis=0))
    return Estimate(mean, se, 1000 * 600)


def exact_continuous_force() -> float:
    m, h = _quartic(), 1e-4
    return (hn.quartic_free_energy(m, _QN_Q + h * _U) - hn.quartic_free_energy(m, _QN_Q - h * _U)) / (2 * h)


_PLANTED = "sampler at beta' = 1.1 beta"

CHECKS = (
    Check(name="canonical-force", step="canonical.force", identity="dF/dq = <dH/dq>",
          statistic="mean over 400 Metropolis chains of the chain-mean of d_u H (12 SK spins, q in R^2); expected "
                    "d_u F by central difference of enumerated F; SE = sd(chain means)/sqrt(chains)",
          planted=_PLANTED, sample=sample_force, expected=exact_force),
    Check(name="canonical-force-continuous", step="canonical.force", identity="dF/dq = <dH/dq> (continuous neurons)",
          statistic="mean over 1000 Metropolis chains of d_u H for 6 quartic neurons; expected central difference "
                    "of F by quadrature; SE = sd(chain means)/sqrt(chains)",
          planted=_PLANTED, sample=sample_continuous_force, expected=exact_continuous_force),
    Check(name="canonical-hessian", step="canonical.hessian", identity="d2F/dq2 = <d2H/dq2> - beta Var(dH/dq)",
          statistic="u.C.u - beta * mean over chains of per-chain mean of (d_u H - global mean)^2; expected second "
                    "central difference of enumerated F; SE = beta sd(per-chain)/sqrt(chains)",
          planted=_PLANTED, sample=sample_hessian, expected=exact_hessian),
    Check(name="canonical-energy-variance", step="canonical.energy-variance", identity="dU/dbeta = -Var H",
          statistic="-(mean over chains of per-chain mean of (H - global mean)^2); expected central beta-difference "
                    "of enumerated U; SE = sd(per-chain)/sqrt(chains)",
          planted=_PLANTED, sample=sample_energy_variance, expected=exact_energy_derivative),
)
