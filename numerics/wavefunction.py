"""Wave functions on a periodic grid: split-step Fourier evolution, vortices, Born sampling, Madelung.

Schrödinger equation (madelung.schrodinger, schrodinger.equation) in 1-D or 2-D,

    iħ ∂ₜψ = −(ħ²/2m) ∇²ψ + Vψ,

solved by Strang splitting, ψ(t+Δt) = e^{−iVΔt/2ħ} F⁻¹ e^{−iħk²Δt/2m} F e^{−iVΔt/2ħ} ψ(t) + O(Δt³)
per step, so the global error is O(Δt^ORDER) with ORDER = 2 (a test fits it).  Adjacent half-steps of
the potential are fused, so one step costs one FFT pair and two pointwise products.

Madelung variables ψ = √p e^{iS/ħ}: continuity ∂ₜp + ∇·(p∇S/m) = 0 and quantum Hamilton–Jacobi
∂ₜS + |∇S|²/2m + V − (ħ²/2m) ∇²√p/√p = 0 (madelung.equations).  Vortex states f(r)e^{inθ} have
circulation ∮∇S·dl = 2πnħ = nμ when ħ = μ/2π (§4.12).

>>> g = Grid(n=64, length=16.0, dim=1)
>>> psi = np.exp(-g.x**2 / 2).astype(complex)
>>> out = split_step(psi, g, 0.5 * g.x**2, dt=0.01, n_steps=10)
>>> round(float(norm(out, g) / norm(psi, g)), 12)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from derive.errors import InputError
from numerics.validate import check_generator as check_seed, check_int, check_positive

__all__ = [
    "ORDER",
    "Grid",
    "norm",
    "normalize",
    "split_step",
    "harmonic_potential",
    "vortex_state",
    "wallstrom_state",
    "square_loop",
    "grid_winding",
    "circulation",
    "born_sample",
    "spectral_gradient",
    "madelung_residuals",
    "weighted_rms",
    "fitted_order",
]

#: Global order in Δt of the Strang split-step scheme (a test fits it from the data).
ORDER = 2


@dataclass(frozen=True)
class Grid:
    """Periodic grid of ``n`` points per axis on [−L/2, L/2), ``dim`` ∈ {1, 2}."""

    n: int
    length: float
    dim: int = 1

    def __post_init__(self) -> None:
        check_int("n (grid points per axis)", self.n, 4, 1 << 20)
        object.__setattr__(self, "length", check_positive("length", self.length))
        if self.dim not in (1, 2) or isinstance(self.dim, bool):
            raise InputError(f"dim must be 1 or 2, got {self.dim!r}")

    @property
    def dx(self) -> float:
        return self.length / self.n

    @property
    def x(self) -> np.ndarray:
        """Coordinates along one axis."""
        return (np.arange(self.n) - self.n // 2) * self.dx

    @property
    def k(self) -> np.ndarray:
        """Angular wavenumbers along one axis, in FFT order."""
        return 2.0 * np.pi * np.fft.fftfreq(self.n, d=self.dx)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n,) * self.dim

    @property
    def cell(self) -> float:
        return self.dx**self.dim

    def mesh(self) -> tuple[np.ndarray, ...]:
        """Coordinate arrays of the grid's shape (X, Y indexed [i, j] = (x_i, y_j) in 2-D)."""
        if self.dim == 1:
            return (self.x,)
        return tuple(np.meshgrid(self.x, self.x, indexing="ij"))

    def k_squared(self) -> np.ndarray:
        if self.dim == 1:
            return self.k**2
        kx, ky = np.meshgrid(self.k, self.k, indexing="ij")
        return kx**2 + ky**2


def _psi(psi, grid: Grid) -> np.ndarray:
    a = np.asarray(psi)
    if a.shape != grid.shape:
        raise InputError(f"psi must have the grid's shape {grid.shape}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError("psi must be finite")
    return a.astype(complex)


def norm(psi, grid: Grid) -> float:
    """√(Σ|ψ|² dxᵈ)."""
    return float(np.sqrt(np.sum(np.abs(_psi(psi, grid)) ** 2) * grid.cell))


def normalize(psi, grid: Grid) -> np.ndarray:
    a = _psi(psi, grid)
    nrm = norm(a, grid)
    if nrm == 0.0:
        raise InputError("psi must not vanish everywhere")
    return a / nrm


def split_step(psi, grid: Grid, V, *, dt: float, n_steps: int, hbar: float = 1.0, mass: float = 1.0) -> np.ndarray:
    """Strang split-step Fourier evolution by ``n_steps`` steps of ``dt`` (V static, array on the grid)."""
    a = _psi(psi, grid).copy()
    pot = np.asarray(V, dtype=float)
    if pot.shape != grid.shape or not np.all(np.isfinite(pot)):
        raise InputError(f"V must be a finite real array of the grid's shape {grid.shape}")
    h = check_positive("dt", dt)
    n = check_int("n_steps", n_steps, 0)
    hb = check_positive("hbar", hbar)
    m = check_positive("mass", mass)
    if n == 0:
        return a
    fft, ifft = (np.fft.fft, np.fft.ifft) if grid.dim == 1 else (np.fft.fft2, np.fft.ifft2)
    kin = np.exp(-1j * hb * grid.k_squared() * h / (2.0 * m))
    half = np.exp(-1j * pot * h / (2.0 * hb))
    full = half * half
    a *= half
    for j in range(n):
        b = fft(a)
        b *= kin
        a = ifft(b)
        a *= full if j < n - 1 else half
    return a


def harmonic_potential(grid: Grid, omega: float = 1.0, mass: float = 1.0) -> np.ndarray:
    """V = ½ m ω² |x|²."""
    w = check_positive("omega", omega)
    m = check_positive("mass", mass)
    r2 = sum(c**2 for c in grid.mesh())
    return 0.5 * m * w * w * r2


def _polar(grid: Grid, center=(0.0, 0.0)):
    if grid.dim != 2:
        raise InputError("vortex and Wallstrom states need a 2-D grid (dim=2)")
    X, Y = grid.mesh()
    cx, cy = (float(c) for c in center)
    return np.hypot(X - cx, Y - cy), np.arctan2(Y - cy, X - cx)


def vortex_state(grid: Grid, winding: int, ell: float = 1.0, center=(0.0, 0.0)) -> np.ndarray:
    """ψ = (r/ℓ)^{|n|} e^{−r²/2ℓ²} e^{inθ}, normalised: the 2-D harmonic-trap eigenstate with angular
    momentum nħ when ℓ² = ħ/(mω).  The winding n must be an integer.

    >>> g = Grid(n=32, length=12.0, dim=2)
    >>> round(grid_winding(vortex_state(g, 2), square_loop(g, 8)), 9)
    2.0
    """
    if isinstance(winding, bool) or not isinstance(winding, (int, np.integer)):
        raise InputError(f"winding must be an integer (a single-valued psi), got {winding!r}")
    L = check_positive("ell", ell)
    r, th = _polar(grid, center)
    n = int(winding)
    return normalize((r / L) ** abs(n) * np.exp(-(r**2) / (2 * L * L)) * np.exp(1j * n * th), grid)


def wallstrom_state(grid: Grid, nu: float, ell: float = 1.0) -> np.ndarray:
    """The Wallstrom state p = r^{2ν} e^{−r²/ℓ²}, S = ħνθ with θ ∈ (−π, π] sampled on the grid, for any real ν ≥ 0.

    For non-integer ν the Madelung pair (p, S) solves the harmonic-trap equations exactly, but the grid
    ψ = √p e^{iS/ħ} jumps across θ = π: a grid ψ is single-valued and cannot carry a fractional winding.
    """
    v = float(nu)
    if not (math.isfinite(v) and v >= 0.0):
        raise InputError(f"nu must be a finite real >= 0, got {nu!r}")
    L = check_positive("ell", ell)
    r, th = _polar(grid)
    return normalize((r / L) ** v * np.exp(-(r**2) / (2 * L * L)) * np.exp(1j * v * th), grid)


def square_loop(grid: Grid, half_width: int, center: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (i, j) of a closed counter-clockwise square loop of half-width ``half_width`` cells
    around grid index ``center`` (default: the grid point at the origin).  Last point = first point."""
    if grid.dim != 2:
        raise InputError("square_loop needs a 2-D grid (dim=2)")
    w = check_int("half_width", half_width, 1)
    ci, cj = (grid.n // 2, grid.n // 2) if center is None else (int(center[0]), int(center[1]))
    if not (0 <= ci - w and ci + w < grid.n and 0 <= cj - w and cj + w < grid.n):
        raise InputError(f"loop of half-width {w} around {(ci, cj)} leaves the grid of {grid.n} points")
    s = np.arange(-w, w)
    i = np.concatenate([ci + s, np.full(2 * w, ci + w), ci - s, np.full(2 * w, ci - w), [ci - w]])
    j = np.concatenate([np.full(2 * w, cj - w), cj + s, np.full(2 * w, cj + w), cj - s, [cj - w]])
    return i, j


def grid_winding(psi, loop) -> float:
    """(1/2π) Σ_k arg(ψ_{k+1}/ψ_k) along a closed index loop: an integer for a grid ψ without zeros on it
    (each increment in (−π, π]); returned as a float so that its roundoff is visible."""
    a = np.asarray(psi)
    i, j = loop
    vals = a[np.asarray(i), np.asarray(j)] if a.ndim == 2 else a[np.asarray(i)]
    if np.any(vals == 0):
        raise InputError("psi vanishes on the loop: the winding is undefined there")
    return float(np.sum(np.angle(vals[1:] / vals[:-1])) / (2.0 * np.pi))


def circulation(psi, loop, hbar: float) -> float:
    """∮∇S·dl = ħ Σ arg(ψ_{k+1}/ψ_k) = 2πħ × winding."""
    return 2.0 * np.pi * check_positive("hbar", hbar) * grid_winding(psi, loop)


def born_sample(psi, grid: Grid, n_samples: int, seed=0, uniforms=None) -> np.ndarray:
    """Positions drawn from |ψ|²: exactly from the piecewise-constant density (|ψ_j|² on cell j,
    cells centred on grid points).  1-D: inverse CDF, so passing the same ``uniforms`` (shape (n,))
    at two times gives coupled (monotone-transport) samples.  2-D: returns shape (n, 2).

    >>> g = Grid(n=128, length=20.0)
    >>> xs = born_sample(np.exp(-g.x**2 / 2), g, 20000, seed=0)
    >>> abs(float(xs.mean())) < 0.03
    True
    """
    a = _psi(psi, grid)
    n = check_int("n_samples", n_samples, 1)
    rng = check_seed(seed)
    p = np.abs(a.ravel()) ** 2
    tot = p.sum()
    if tot == 0.0:
        raise InputError("psi must not vanish everywhere")
    cdf = np.concatenate([[0.0], np.cumsum(p) / tot])
    if uniforms is None:
        u = rng.random(n)
    else:
        u = np.asarray(uniforms, dtype=float)
        if u.shape != (n,) or np.any((u < 0) | (u >= 1)):
            raise InputError(f"uniforms must have shape ({n},) with values in [0, 1)")
    idx = np.clip(np.searchsorted(cdf, u, side="right") - 1, 0, p.size - 1)
    width = cdf[idx + 1] - cdf[idx]
    frac = np.where(width > 0, (u - cdf[idx]) / np.where(width > 0, width, 1.0), 0.5)
    x0 = grid.x[0] - 0.5 * grid.dx
    if grid.dim == 1:
        return x0 + (idx + frac) * grid.dx
    ii, jj = np.divmod(idx, grid.n)
    # In 2-D the within-cell position along y uses a fresh uniform (the CDF only orders cells).
    fy = rng.random(n)
    return np.column_stack([x0 + (ii + frac) * grid.dx, x0 + (jj + fy) * grid.dx])


def spectral_gradient(f, grid: Grid) -> list[np.ndarray]:
    """∂f/∂x_a for each axis by FFT (f periodic and smooth on the grid)."""
    a = np.asarray(f)
    out = []
    for ax in range(grid.dim):
        shape = [1] * grid.dim
        shape[ax] = grid.n
        kk = grid.k.reshape(shape)
        d = np.fft.ifft(1j * kk * np.fft.fft(a, axis=ax), axis=ax)
        out.append(d if np.iscomplexobj(a) else d.real)
    return out


def _laplacian(f, grid: Grid) -> np.ndarray:
    fft, ifft = (np.fft.fft, np.fft.ifft) if grid.dim == 1 else (np.fft.fft2, np.fft.ifft2)
    return ifft(-grid.k_squared() * fft(f)).real


def madelung_residuals(psi_prev, psi, psi_next, grid: Grid, V, *, dt: float, hbar: float = 1.0,
                       mass: float = 1.0, hbar_quantum: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Continuity and quantum-HJ residual fields at the middle time of three snapshots Δt apart.

    Time derivatives are central differences of the evolved ψ (so they come from the evolution, not
    from H): ∂ₜp ≈ (p₊ − p₋)/2Δt and ∂ₜS ≈ ħ arg(ψ₊ ψ₋*)/2Δt.  Space derivatives are spectral.
    Returns (∂ₜp + ∇·j, √p · [∂ₜS + |∇S|²/2m + V − (ħ_q²/2m) ∇²√p/√p]); the second is weighted by √p so
    that Σ r² dx is the p-weighted mean square and no division by a vanishing √p occurs.
    ``hbar_quantum`` (default ħ) is the coefficient of the quantum potential: the planted error ħ′ = 1.1ħ.
    """
    pm, p0, pp = (_psi(a, grid) for a in (psi_prev, psi, psi_next))
    h = check_positive("dt", dt)
    hb = check_positive("hbar", hbar)
    m = check_positive("mass", mass)
    hq = hb if hbar_quantum is None else check_positive("hbar_quantum", hbar_quantum)
    pot = np.asarray(V, dtype=float)
    dens = np.abs(p0) ** 2
    dpdt = (np.abs(pp) ** 2 - np.abs(pm) ** 2) / (2.0 * h)
    grads = spectral_gradient(p0, grid)
    currents = [hb / m * np.imag(np.conj(p0) * g) for g in grads]      # j = p ∇S / m
    div = sum(spectral_gradient(jc, grid)[ax] for ax, jc in enumerate(currents))
    cont = dpdt + div
    amp = np.abs(p0)
    dSdt = hb * np.angle(pp * np.conj(pm)) / (2.0 * h)
    flux2 = sum((m * jc) ** 2 for jc in currents)                        # p² |∇S|²
    safe = np.where(dens > 0, dens, 1.0)
    # p·(QHJ): p∂ₜS + p|∇S|²/2m + pV − (ħ_q²/2m)√p∇²√p, then divided by √p
    pq = dens * dSdt + np.where(dens > 0, flux2 / safe, 0.0) / (2.0 * m) + dens * pot \
        - hq * hq / (2.0 * m) * amp * _laplacian(amp, grid)
    qhj = np.where(amp > 0, pq / np.where(amp > 0, amp, 1.0), 0.0)
    return cont, qhj


def weighted_rms(field, grid: Grid) -> float:
    """√(Σ r² dxᵈ) of a residual field (already weighted)."""
    return float(np.sqrt(np.sum(np.abs(np.asarray(field)) ** 2) * grid.cell))


def fitted_order(step_sizes, errors) -> float:
    """Least-squares slope of log(error) against log(step size): the observed convergence order.

    >>> round(fitted_order([0.1, 0.05, 0.025], [1e-2, 2.5e-3, 6.25e-4]), 9)
    2.0
    """
    h = np.asarray(step_sizes, dtype=float)
    e = np.asarray(errors, dtype=float)
    if h.shape != e.shape or h.size < 2 or np.any(h <= 0) or np.any(e <= 0):
        raise InputError("step_sizes and errors must be equal-length positive arrays with >= 2 entries")
    return float(np.polyfit(np.log(h), np.log(e), 1)[0])
