"""Cross-checks on wave functions evolved by split-step Fourier (C6–C9).

Deterministic (no sampling; a residual against a stated tolerance, next to the method's own error
estimate): the Madelung residuals of an evolved ψ, the Wallstrom grid state, the circulation of an
evolved vortex.  Sampled: Ehrenfest from coupled Born samples, and the interference pattern and its
invariance under S → S + μ from Born samples (probit of a KS p-value, N(0, 1) under the null).
Grids and evolved states are built on first use.

>>> from numerics.checks import REGISTRY
>>> REGISTRY.run_check("wallstrom", seed=0).passed
True
"""

from __future__ import annotations

import math
from functools import cache
from typing import Callable

import numpy as np
from scipy import stats as sps

from derive.seeds import rng
from numerics import wavefunction as wf
from numerics.checks.registry import Check, DeterministicCheck, Estimate, Residual
from numerics.stats import mean_se, probit_upper

__all__ = ["CHECKS"]

EPS = float(np.finfo(float).eps)


# --- C6: Madelung residuals of a split-step-evolved ψ; Ehrenfest from Born samples ----------------

@cache
def _trap1():
    g = wf.Grid(n=512, length=40.0, dim=1)
    return g, 0.5 * g.x**2 + 0.1 * g.x**4, np.pi**-0.25 * np.exp(-((g.x - 2.0) ** 2) / 2)


def _madelung_fields(dt: float, hq):
    g, V, psi0 = _trap1()
    a = wf.split_step(psi0, g, V, dt=dt, n_steps=int(round(1.0 / dt)) - 1)
    b = wf.split_step(a, g, V, dt=dt, n_steps=1)
    c = wf.split_step(b, g, V, dt=dt, n_steps=1)
    return wf.madelung_residuals(a, b, c, g, V, dt=dt, hbar_quantum=hq)


def compute_madelung(planted: bool) -> Residual:
    """‖R_ext‖, R_ext = (4R(Δt/2) − R(Δt))/3, with the Richardson error estimate ‖R(Δt) − R(Δt/2)‖/3."""
    g = _trap1()[0]
    hq, dt = (1.1 if planted else None), 2e-3
    coarse, fine = _madelung_fields(dt, hq), _madelung_fields(dt / 2, hq)
    nrm = lambda fs: math.sqrt(sum(wf.weighted_rms(x, g) ** 2 for x in fs))  # noqa: E731
    return Residual(nrm([(4 * f - c) / 3 for c, f in zip(coarse, fine)]),
                    nrm([(c - f) / 3 for c, f in zip(coarse, fine)]), g.n)


@cache
def _ehrenfest_states():
    g, V, psi0 = _trap1()
    t, delta, dt = 1.0, 0.01, 1e-3
    psi_m = wf.split_step(psi0, g, V, dt=dt, n_steps=int(round((t - delta) / dt)))
    psi_0 = wf.split_step(psi_m, g, V, dt=dt, n_steps=int(round(delta / dt)))
    psi_p = wf.split_step(psi_0, g, V, dt=dt, n_steps=int(round(delta / dt)))
    return psi_m, psi_0, psi_p, delta


def sample_ehrenfest(seed: int, planted: bool) -> Estimate:
    g = _trap1()[0]
    psi_m, _, psi_p, delta = _ehrenfest_states()
    n = 20000
    u = rng(seed, "ehrenfest").random(n)
    xm, xp = wf.born_sample(psi_m, g, n, uniforms=u), wf.born_sample(psi_p, g, n, uniforms=u)
    est, se = mean_se((xp - xm) / (2 * delta))
    return Estimate(est, se, n)


def exact_ehrenfest(mass: float = 1.0) -> float:
    g = _trap1()[0]
    psi_0 = _ehrenfest_states()[1]
    j = np.imag(np.conj(psi_0) * wf.spectral_gradient(psi_0, g)[0]) / mass
    return float(np.sum(j) * g.dx)


def planted_ehrenfest() -> float:
    return exact_ehrenfest(2.0)                            # m' = 2m


# --- C7: circulation of an evolved 2-D vortex: ħΣ arg(ψ_{j+1}/ψ_j) = nμ with ħ = μ/2π -------------
_MU = 1.0


def compute_vortex(planted: bool) -> Residual:
    """max over loops of |Γ/μ − n·[loop encloses the core]|; error estimate 64 ε L (roundoff of L phase
    increments, L the longest loop)."""
    hbar = _MU / (2 * np.pi * (0.9 if planted else 1.0))
    g = wf.Grid(n=64, length=12.0, dim=2)
    omega, ell = 1.0, 1.0
    mass = hbar / (omega * ell**2)                     # makes ℓ² = ħ/(mω): the trap eigenstate
    V = wf.harmonic_potential(g, omega, mass)
    worst, longest = 0.0, 0
    for n in (1, 2):
        psi = wf.split_step(wf.vortex_state(g, n, ell), g, V, dt=0.01, n_steps=200, hbar=hbar, mass=mass)
        loops = [(wf.square_loop(g, w), n) for w in (3, 5, 11)]
        loops.append((wf.square_loop(g, 3, center=(g.n // 2 + 11, g.n // 2)), 0))   # off-core
        for lp, expect in loops:
            worst = max(worst, abs(wf.circulation(psi, lp, hbar) / _MU - expect))
            longest = max(longest, lp[0].size)
    return Residual(worst, 64 * EPS * longest, longest)


# --- C8: the Wallstrom state on a grid: integer ν is stationary, ν = 3/7 is not ---------------------

def _wallstrom_change(nu: float, dt: float) -> np.ndarray:
    g = wf.Grid(n=64, length=12.0, dim=2)
    psi = wf.wallstrom_state(g, nu)
    out = wf.split_step(psi, g, wf.harmonic_potential(g), dt=dt, n_steps=int(round(0.5 / dt)))
    return np.abs(out) ** 2 - np.abs(psi) ** 2


def compute_wallstrom(planted: bool) -> Residual:
    """L1 change of |ψ|² over t = 0.5, Richardson-extrapolated from Δt = 0.01, 0.005, with its Richardson
    error estimate; ν = 1 (ν = 3/7 when planted)."""
    nu = 3.0 / 7.0 if planted else 1.0
    cell = wf.Grid(n=64, length=12.0, dim=2).cell
    c, f = _wallstrom_change(nu, 0.01), _wallstrom_change(nu, 0.005)
    return Residual(float(np.sum(np.abs((4 * f - c) / 3)) * cell), float(np.sum(np.abs(c - f)) * cell / 3), 64 * 64)


# --- C9: interference of |ψ₁ + ψ₂|² from Born samples, and its invariance under S₂ → S₂ + μ --------
_MU9 = 2 * np.pi          # chemical potential of the interference checks; ħ = μ/2π = 1 evolves the packets


@cache
def _grid9() -> wf.Grid:
    return wf.Grid(n=1024, length=60.0, dim=1)


@cache
def _packets():
    g, hbar = _grid9(), _MU9 / (2 * np.pi)
    x = g.x
    p1 = np.exp(-((x + 4.0) ** 2) / 2 + 1.5j * x / hbar)
    p2 = np.exp(-((x - 4.0) ** 2) / 2 - 1.5j * x / hbar)
    V = np.zeros_like(x)
    # evolve each packet separately (free), so that they overlap and interfere at t = 2.5
    e1 = wf.split_step(p1, g, V, dt=0.01, n_steps=250, hbar=hbar, mass=1.0)
    e2 = wf.split_step(p2, g, V, dt=0.01, n_steps=250, hbar=hbar, mass=1.0)
    nrm = math.sqrt(np.sum(np.abs(e1 + e2) ** 2) * g.dx)
    return e1 / nrm, e2 / nrm


def _grid_cdf(dens: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    g = _grid9()
    edges = np.concatenate([g.x - g.dx / 2, [g.x[-1] + g.dx / 2]])
    c = np.concatenate([[0.0], np.cumsum(dens)])
    c /= c[-1]
    return lambda v: np.interp(v, edges, c)


def sample_pattern(seed: int, planted: bool) -> Estimate:
    """Probit of the one-sample KS p-value of Born samples of ψ₁+ψ₂ against the formula density (against
    p₁ + p₂, the cross term dropped, when planted)."""
    n = 20000
    e1, e2 = _packets()
    xs = wf.born_sample(e1 + e2, _grid9(), n, seed=rng(seed, "interference"))
    p1, p2 = np.abs(e1) ** 2, np.abs(e2) ** 2
    dS = np.angle(e1 * np.conj(e2))                    # (S₁ − S₂)/ħ from the separately evolved packets
    dens = p1 + p2 if planted else p1 + p2 + 2 * np.sqrt(p1 * p2) * np.cos(dS)
    return Estimate(probit_upper(sps.kstest(xs, _grid_cdf(dens)).pvalue), 1.0, n)


def sample_invariance(seed: int, planted: bool) -> Estimate:
    """Probit of the two-sample KS p-value between Born samples of ψ₁ + ψ₂ and ψ₁ + e^{iμ/ħ}ψ₂."""
    n = 20000
    e1, e2 = _packets()
    hbar = _MU9 / (2 * np.pi * (0.9 if planted else 1.0))
    g = rng(seed, "invariance-planted" if planted else "invariance")
    a = wf.born_sample(e1 + e2, _grid9(), n, seed=g)
    b = wf.born_sample(e1 + np.exp(1j * _MU9 / hbar) * e2, _grid9(), n, seed=g)
    return Estimate(probit_upper(sps.ks_2samp(a, b).pvalue), 1.0, 2 * n)


CHECKS = (
    DeterministicCheck(name="madelung-residuals", step="madelung.schrodinger",
                       identity="psi = sqrt(p) e^{iS/hbar} obeys continuity and quantum Hamilton-Jacobi",
                       statistic="p-weighted L2 norm of (continuity, QHJ) residuals at t = 1, Richardson-extrapolated "
                                 "from dt = 2e-3 and 1e-3 (1-D anharmonic trap, 512 modes); numerical error = "
                                 "Richardson estimate |R(dt) - R(dt/2)|/3; tolerance 1e-3",
                       planted="hbar' = 1.1 hbar in the quantum potential", compute=compute_madelung, tolerance=1e-3),
    Check(name="ehrenfest", step="madelung.schrodinger", identity="d<q>/dt = <dS/dq>/m",
          statistic="mean of (x(t+d) - x(t-d))/2d over 20000 Born samples coupled by common uniforms (d = 0.01, "
                    "t = 1); expected sum of j = Im(psi* psi')/m on the grid; SE = sd/sqrt(n)",
          planted="m' = 2m", sample=sample_ehrenfest, expected=exact_ehrenfest, planted_expected=planted_ehrenfest),
    DeterministicCheck(name="wallstrom", step="wallstrom.counterexample",
                       identity="Madelung does not imply Schroedinger: only integer nu survives on a grid psi",
                       statistic="L1 change of |psi|^2 over t = 0.5 in the harmonic trap (Richardson from dt = 0.01, "
                                 "0.005) for nu = 1; numerical error = |dp(dt) - dp(dt/2)|_1/3; tolerance 1e-4",
                       planted="nu = 3/7 (Madelung solution with fractional winding) taken as stationary",
                       compute=compute_wallstrom, tolerance=1e-4),
    DeterministicCheck(name="vortex-circulation", step="quantization.vortex",
                       identity="circulation of f(r) e^{in theta} = n mu with hbar = mu/2pi",
                       statistic="max over loops (half-widths 3, 5, 11 cells around the core; one off-core) and "
                                 "n = 1, 2 of |Gamma/mu - n_enclosed|, Gamma = hbar sum arg(psi_{j+1}/psi_j) after "
                                 "split-step to t = 2; numerical error = 64 eps L (roundoff of L phase increments); "
                                 "tolerance 1e-9",
                       planted="hbar = mu/(2 pi 0.9)", compute=compute_vortex, tolerance=1e-9),
    Check(name="interference-pattern", step="superposition.interference",
          identity="|psi1 + psi2|^2 = p1 + p2 + 2 sqrt(p1 p2) cos((S1 - S2)/hbar)",
          statistic="probit z = Phi^-1(1 - p) of the one-sample KS p-value of 20000 Born samples of the evolved "
                    "psi1 + psi2 against the formula density (N(0,1) under the null)",
          planted="cross term dropped (p1 + p2)", sample=sample_pattern, expected=0.0),
    Check(name="interference-invariance", step="superposition.interference",
          identity="interference invariant under S -> S + mu iff hbar = mu/(2 pi k)",
          statistic="probit z = Phi^-1(1 - p) of the two-sample KS p-value between 20000 Born samples of psi1 + psi2 "
                    "and of psi1 + e^{i mu/hbar} psi2 at hbar = mu/2pi",
          planted="hbar = mu/(2 pi 0.9)", sample=sample_invariance, expected=0.0),
)
