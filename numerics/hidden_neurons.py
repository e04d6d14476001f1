"""Hidden neurons at fixed trainable variables: the canonical ensemble of paper Step 2.

Binary neurons s ∈ {±1}ⁿ with SK-like couplings J and fields linear in the trainable q ∈ ℝᴷ,

    H(s, q) = −½ sᵀJs − sᵀ(h₀ + A q) + ½ qᵀC q,        ∂H/∂q = −Aᵀs + C q,   ∂²H/∂q² = C,

weighted by e^{−βH}; Z(β, q) = Σ_s e^{−βH}, F = −β⁻¹ ln Z.  For n ≤ 22 everything is exact by
enumeration; for the sampled side a Metropolis sampler runs many chains side by side (vectorised over
chains, sequential over sites).

Continuous neurons x ∈ ℝⁿ with a quartic single-site potential and a q-dependent coupling,

    H(x, q) = Σᵢ [a xᵢ⁴/4 + b xᵢ²/2] − xᵀ(h₀ + A q) + ½ qᵀC q,

factorise over sites, so F = Σᵢ −β⁻¹ ln z(hᵢ(q)) + ½qᵀCq with the one-dimensional integral
z(h) = ∫ e^{−β(a x⁴/4 + b x²/2 − h x)} dx done by quadrature.

>>> model = random_spin_glass(8, 2, beta=1.0, seed=1)
>>> ex = canonical_exact(model, np.zeros(2))
>>> bool(np.allclose(ex.mean_force, [0.0, 0.0], atol=1.0))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from derive.errors import InputError
from numerics.validate import check_generator, check_int, check_positive

__all__ = [
    "SpinGlass",
    "CanonicalExact",
    "QuarticNeurons",
    "random_spin_glass",
    "spin_energy",
    "spin_force",
    "all_spin_states",
    "spin_free_energy",
    "canonical_exact",
    "metropolis_spins",
    "quartic_free_energy",
    "quartic_exact",
    "metropolis_quartic",
]

MAX_ENUMERATED = 22


# --------------------------------------------------------------------------------------------------
# validation helpers (shared by the sampler modules)

# The validators live in numerics.validate; these names stay importable from here.
check_seed = check_generator


def _matrix(name: str, x, shape: tuple[int, ...]) -> np.ndarray:
    a = np.array(x, dtype=float)
    if a.shape != shape:
        raise InputError(f"{name} must have shape {shape}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name} must be finite")
    a.setflags(write=False)
    return a


# --------------------------------------------------------------------------------------------------
# binary neurons

@dataclass(frozen=True)
class SpinGlass:
    """H(s, q) = −½ sᵀJs − sᵀ(h₀ + A q) + ½ qᵀC q at inverse temperature β.

    ``J`` is symmetric with zero diagonal (n×n), ``h0`` has shape (n,), ``A`` (n×K), ``C`` (K×K) symmetric.
    """

    J: np.ndarray
    h0: np.ndarray
    A: np.ndarray
    C: np.ndarray
    beta: float = 1.0

    def __post_init__(self) -> None:
        J = np.asarray(self.J, dtype=float)
        if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] < 1:
            raise InputError(f"J must be a square n x n matrix with n >= 1, got shape {J.shape}")
        n = J.shape[0]
        A = np.asarray(self.A, dtype=float)
        if A.ndim != 2 or A.shape[0] != n or A.shape[1] < 1:
            raise InputError(f"A must have shape (n, K) = ({n}, K>=1), got {A.shape}")
        k = A.shape[1]
        object.__setattr__(self, "J", _matrix("J", J, (n, n)))
        object.__setattr__(self, "h0", _matrix("h0", self.h0, (n,)))
        object.__setattr__(self, "A", _matrix("A", A, (n, k)))
        object.__setattr__(self, "C", _matrix("C", self.C, (k, k)))
        if not np.allclose(self.J, self.J.T) or np.any(np.diag(self.J) != 0.0):
            raise InputError("J must be symmetric with zero diagonal")
        if not np.allclose(self.C, self.C.T):
            raise InputError("C must be symmetric")
        object.__setattr__(self, "beta", check_positive("beta", self.beta))

    @property
    def n_neurons(self) -> int:
        return self.J.shape[0]

    @property
    def n_trainable(self) -> int:
        return self.A.shape[1]


def random_spin_glass(n_neurons: int, n_trainable: int, *, beta: float = 1.0, seed=0,
                      coupling: float = 1.0, field: float = 0.3, gain: float = 1.0) -> SpinGlass:
    """An SK-like model: J_ij ~ N(0, coupling²/n), h₀ ~ N(0, field²), A ~ N(0, gain²/n), C = 1.

    >>> random_spin_glass(4, 2, seed=0).J.shape
    (4, 4)
    """
    n = check_int("n_neurons", n_neurons, 1)
    k = check_int("n_trainable", n_trainable, 1)
    rng = check_seed(seed)
    g = rng.normal(0.0, coupling / math.sqrt(n), (n, n))
    J = np.triu(g, 1)
    J = J + J.T
    h0 = rng.normal(0.0, field, n)
    A = rng.normal(0.0, gain / math.sqrt(n), (n, k))
    return SpinGlass(J=J, h0=h0, A=A, C=np.eye(k), beta=beta)


def _q(model, q) -> np.ndarray:
    a = np.asarray(q, dtype=float)
    if a.shape != (model.A.shape[1],) or not np.all(np.isfinite(a)):
        raise InputError(f"q must be a finite vector of length K = {model.A.shape[1]}, got shape {a.shape}")
    return a


def spin_energy(model: SpinGlass, s, q) -> np.ndarray:
    """H(s, q) for spins s of shape (..., n)."""
    qv = _q(model, q)
    s = np.asarray(s, dtype=float)
    h = model.h0 + model.A @ qv
    return -0.5 * np.einsum("...i,ij,...j->...", s, model.J, s) - s @ h + 0.5 * qv @ model.C @ qv


def spin_force(model: SpinGlass, s, q) -> np.ndarray:
    """∂H/∂q = −Aᵀs + C q for spins of shape (..., n); returns shape (..., K)."""
    qv = _q(model, q)
    return -np.asarray(s, dtype=float) @ model.A + model.C @ qv


def all_spin_states(n: int) -> np.ndarray:
    """All 2ⁿ configurations of n ±1 spins, shape (2ⁿ, n), dtype int8.

    >>> all_spin_states(2).tolist()
    [[-1, -1], [-1, 1], [1, -1], [1, 1]]
    """
    n = check_int("n", n, 1, MAX_ENUMERATED)
    idx = np.arange(2**n, dtype=np.int64)[:, None]
    bits = (idx >> np.arange(n - 1, -1, -1)) & 1
    return (2 * bits - 1).astype(np.int8)


@dataclass(frozen=True)
class CanonicalExact:
    """Exact canonical averages at (β, q) by enumeration.

    F = −β⁻¹ ln Z, U = ⟨H⟩, var_H = Var H, mean_force = ⟨∂H/∂q⟩, force_cov = Cov(∂H/∂q),
    hessian = ⟨∂²H/∂q²⟩ − β Cov(∂H/∂q) (the Step-2 identity evaluated exactly).
    """

    F: float
    U: float
    var_H: float
    mean_force: np.ndarray
    force_cov: np.ndarray
    hessian: np.ndarray
    beta: float
    q: np.ndarray = field(repr=False)


def _chunks(n: int, size: int = 1 << 15):
    total = 1 << n
    states = all_spin_states(n) if n <= 15 else None
    for start in range(0, total, size):
        stop = min(total, start + size)
        if states is not None:
            yield states[start:stop]
        else:
            idx = np.arange(start, stop, dtype=np.int64)[:, None]
            bits = (idx >> np.arange(n - 1, -1, -1)) & 1
            yield (2 * bits - 1).astype(np.int8)


def spin_free_energy(model: SpinGlass, q, beta: float | None = None) -> float:
    """F(β, q) = −β⁻¹ ln Σ_s e^{−βH(s,q)} by enumeration (log-sum-exp; n ≤ 22)."""
    b = model.beta if beta is None else check_positive("beta", beta)
    check_int("n_neurons", model.n_neurons, 1, MAX_ENUMERATED)
    parts = [special.logsumexp(-b * spin_energy(model, s, q)) for s in _chunks(model.n_neurons)]
    return float(-special.logsumexp(parts) / b)


def canonical_exact(model: SpinGlass, q, beta: float | None = None) -> CanonicalExact:
    """Exact F, U, Var H, ⟨∂H⟩, Cov(∂H) and Hessian by enumeration of all 2ⁿ states (n ≤ 22)."""
    b = model.beta if beta is None else check_positive("beta", beta)
    qv = _q(model, q)
    check_int("n_neurons", model.n_neurons, 1, MAX_ENUMERATED)
    # Two passes: the log-partition first (stable weights), then weighted moments.
    log_z = -b * spin_free_energy(model, qv, b)
    k = model.n_trainable
    m0 = 0.0
    m_e = m_e2 = 0.0
    m_s = np.zeros(model.n_neurons)
    m_ss = np.zeros((model.n_neurons, model.n_neurons))
    for s in _chunks(model.n_neurons):
        e = spin_energy(model, s, qv)
        w = np.exp(-b * e - log_z)
        sf = s.astype(float)
        m0 += w.sum()
        m_e += w @ e
        m_e2 += w @ (e * e)
        m_s += w @ sf
        m_ss += (sf * w[:, None]).T @ sf
    U = m_e / m0
    var_h = m_e2 / m0 - U * U
    ms = m_s / m0
    cov_s = m_ss / m0 - np.outer(ms, ms)
    mean_force = -model.A.T @ ms + model.C @ qv
    force_cov = model.A.T @ cov_s @ model.A
    hessian = model.C - b * force_cov
    return CanonicalExact(F=-log_z / b, U=float(U), var_H=float(var_h), mean_force=mean_force,
                          force_cov=force_cov, hessian=hessian, beta=b, q=qv)


def metropolis_spins(model: SpinGlass, q, *, n_chains: int, n_sweeps: int, burn_in: int = 100,
                     seed=0, beta: float | None = None) -> np.ndarray:
    """Single-spin-flip Metropolis, vectorised over chains; one recorded configuration per sweep.

    Returns spins of shape (n_sweeps, n_chains, n), dtype int8.  ``beta`` overrides the model's β
    (the planted error β′ = 1.1β of cross-check C1 uses it).  Chains start from independent uniform
    configurations and are burnt in for ``burn_in`` sweeps.

    >>> m = random_spin_glass(6, 1, seed=0)
    >>> metropolis_spins(m, [0.0], n_chains=3, n_sweeps=2, burn_in=1, seed=0).shape
    (2, 3, 6)
    """
    b = model.beta if beta is None else check_positive("beta", beta)
    qv = _q(model, q)
    nc = check_int("n_chains", n_chains, 1)
    ns = check_int("n_sweeps", n_sweeps, 1)
    nb = check_int("burn_in", burn_in, 0)
    rng = check_seed(seed)
    n = model.n_neurons
    J = model.J
    h = model.h0 + model.A @ qv
    # Site-major layout (n, chains): row i is contiguous, and the local field of site i in every
    # chain is one matrix-vector product (BLAS), cheaper than updating all local fields after a flip.
    # A constant row of ones in S and the fields h as an extra column of J fold h into that product.
    S = np.ones((n + 1, nc))
    S[:n] = rng.choice(np.array([-1.0, 1.0]), size=(n, nc))
    Jh = np.hstack([J, h[:, None]])
    out = np.empty((ns, nc, n), dtype=np.int8)
    for sweep in range(nb + ns):
        # Metropolis: flip iff log u < −βΔE, ΔE = 2 sᵢ lᵢ  ⇔  sᵢ lᵢ < −log u / (2β); thresholds per sweep.
        thr = np.log(rng.random((n, nc))) * (-0.5 / b)
        for i in range(n):
            x = S[i] * (Jh[i] @ S)
            np.negative(S[i], where=x < thr[i], out=S[i])
        if sweep >= nb:
            out[sweep - nb] = S[:n].T
    return out


# --------------------------------------------------------------------------------------------------
# continuous neurons

@dataclass(frozen=True)
class QuarticNeurons:
    """H(x, q) = Σᵢ [a xᵢ⁴/4 + b xᵢ²/2] − xᵀ(h₀ + A q) + ½ qᵀC q, x ∈ ℝⁿ, at inverse temperature β (a > 0)."""

    a: float
    b: float
    h0: np.ndarray
    A: np.ndarray
    C: np.ndarray
    beta: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", check_positive("a (quartic coefficient)", self.a))
        try:
            bb = float(self.b)
        except (TypeError, ValueError):
            raise InputError(f"b must be a real number, got {self.b!r}") from None
        if not math.isfinite(bb):
            raise InputError(f"b must be finite, got {self.b!r}")
        object.__setattr__(self, "b", bb)
        A = np.asarray(self.A, dtype=float)
        if A.ndim != 2 or A.shape[0] < 1 or A.shape[1] < 1:
            raise InputError(f"A must have shape (n, K) with n, K >= 1, got {A.shape}")
        n, k = A.shape
        object.__setattr__(self, "A", _matrix("A", A, (n, k)))
        object.__setattr__(self, "h0", _matrix("h0", self.h0, (n,)))
        object.__setattr__(self, "C", _matrix("C", self.C, (k, k)))
        if not np.allclose(self.C, self.C.T):
            raise InputError("C must be symmetric")
        object.__setattr__(self, "beta", check_positive("beta", self.beta))

    @property
    def n_neurons(self) -> int:
        return self.A.shape[0]

    @property
    def n_trainable(self) -> int:
        return self.A.shape[1]


def _quad_grid(model: QuarticNeurons, h: np.ndarray, beta: float, n_nodes: int = 2001):
    # Trapezoid on a wide symmetric interval: spectrally accurate for e^{-β(...)}, which is smooth
    # and decays like e^{-βa x⁴/4}.  The interval covers where the exponent is within 40 of its max.
    scale = (40.0 / (beta * model.a / 4.0)) ** 0.25
    hmax = float(np.max(np.abs(h))) if h.size else 0.0
    half = scale + (hmax / model.a) ** (1.0 / 3.0) + abs(model.b / model.a) ** 0.5 + 1.0
    x = np.linspace(-half, half, n_nodes)
    return x, x[1] - x[0]


def _site_moments(model: QuarticNeurons, q, beta: float):
    qv = _q(model, q)
    h = model.h0 + model.A @ qv
    x, dx = _quad_grid(model, h, beta)
    expo = -beta * (model.a * x**4 / 4 + model.b * x**2 / 2)[None, :] + beta * h[:, None] * x[None, :]
    top = expo.max(axis=1, keepdims=True)
    w = np.exp(expo - top)
    z = w.sum(axis=1) * dx
    log_z = np.log(z) + top[:, 0]
    mean = (w @ x) * dx / z
    var = (w @ (x * x)) * dx / z - mean**2
    return qv, log_z, mean, var


def quartic_free_energy(model: QuarticNeurons, q, beta: float | None = None) -> float:
    """F(β, q) = Σᵢ −β⁻¹ ln z(hᵢ(q)) + ½ qᵀCq by quadrature."""
    b = model.beta if beta is None else check_positive("beta", beta)
    qv, log_z, _, _ = _site_moments(model, q, b)
    return float(-log_z.sum() / b + 0.5 * qv @ model.C @ qv)


def quartic_exact(model: QuarticNeurons, q, beta: float | None = None) -> CanonicalExact:
    """F, ⟨∂H/∂q⟩ = −Aᵀ⟨x⟩ + Cq and Hessian C − β AᵀCov(x)A by quadrature (U, Var H not computed: NaN)."""
    b = model.beta if beta is None else check_positive("beta", beta)
    qv, log_z, mean, var = _site_moments(model, q, b)
    F = float(-log_z.sum() / b + 0.5 * qv @ model.C @ qv)
    cov = model.A.T @ (var[:, None] * model.A)
    return CanonicalExact(F=F, U=float("nan"), var_H=float("nan"), mean_force=-model.A.T @ mean + model.C @ qv,
                          force_cov=cov, hessian=model.C - b * cov, beta=b, q=qv)


def metropolis_quartic(model: QuarticNeurons, q, *, n_chains: int, n_steps: int, burn_in: int = 200,
                       seed=0, step_size: float = 1.0, beta: float | None = None) -> np.ndarray:
    """Random-walk Metropolis for continuous neurons, vectorised over chains and sites.

    H is a sum of single-site terms at fixed q, so every site is updated at once with its own
    accept/reject (a product of independent exact Metropolis kernels).  Returns x of shape
    (n_steps, n_chains, n).

    >>> m = QuarticNeurons(a=1.0, b=-0.5, h0=np.zeros(3), A=np.ones((3, 1)), C=np.eye(1))
    >>> metropolis_quartic(m, [0.1], n_chains=4, n_steps=5, burn_in=2, seed=0).shape
    (5, 4, 3)
    """
    b = model.beta if beta is None else check_positive("beta", beta)
    qv = _q(model, q)
    nc = check_int("n_chains", n_chains, 1)
    ns = check_int("n_steps", n_steps, 1)
    nb = check_int("burn_in", burn_in, 0)
    step = check_positive("step_size", step_size)
    rng = check_seed(seed)
    h = model.h0 + model.A @ qv

    def site_energy(x):
        return model.a * x**4 / 4 + model.b * x**2 / 2 - h * x

    x = rng.normal(0.0, 1.0, (nc, model.n_neurons))
    e = site_energy(x)
    out = np.empty((ns, nc, model.n_neurons))
    for t in range(nb + ns):
        y = x + step * rng.standard_normal(x.shape)
        ey = site_energy(y)
        acc = np.log(rng.random(x.shape)) < -b * (ey - e)
        x = np.where(acc, y, x)
        e = np.where(acc, ey, e)
        if t >= nb:
            out[t - nb] = x
    return out
