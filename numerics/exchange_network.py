r"""A grand-canonical ensemble of SGD-trained networks (the model of the circulation experiment, issue 8).

Each network has a shared trainable weight vector q ∈ ℝ² and M hidden-neuron slots, of which N are
active ±1 neurons, all with field q·u.  Visible inputs are Gaussian, u ~ N(0, C) with

    C = c · R(φ) diag(1, a) R(φ)ᵀ          (c = 0.5, a = 0.2, φ = 35° by default),

the loss is H = −Σ_active s_i q·u + ½ qᵀKq (K = diag(12, 24)), the hidden temperature T = 1/β.
Summing the spins exactly and averaging over the data gives the free energy of N active neurons

    F_N(q) = ½ qᵀKq + N ε(q) − T ln C(M, N),     ε(q) = −T E_z ln 2cosh(β |q|_C z),

with |q|_C = √(qᵀCq) and z ~ N(0, 1) (Gauss–Hermite quadrature).  Its gradient is
∇F_N = Kq + N g(s) Cq with s = |q|_C and g(s) = ε′(s)/s = −E_z[z tanh(βsz)]/s.

Two learning dynamics, vectorised over W independent networks:

* **mini-batch SGD** (no artificial noise): draw B data points u_b, sample the hidden spins exactly
  from p(s | q, u_b) ∝ e^{β s·(q·u_b)}, i.e. the number of up-spins k_b ~ Binomial(N, σ(2βq·u_b)),
  m_b = 2k_b − N, and step q ← q − η [Kq − (1/B) Σ_b m_b u_b].  The mean step is −η∇F_N(q) exactly;
  the noise covariance is ≈ η² N C / B near q = 0, anisotropic and not commuting with K
  (canonical.noise-fluctuation).
* **isotropic control**: q ← q − η ∇F_N(q) + √(2ηT_q) ξ, ξ ~ N(0, I) (KV's assumption D ∝ G).

Neuron exchange with a reservoir at chemical potential μ: before each step, ``kex`` Metropolis
attempts at fixed q, each proposing insert or delete with probability ½ and accepting with
min(1, exp(−β(ΔF ∓ μ))), ΔF the exact change of F_N(q).  The conditional law is then
P(N | q) ∝ C(M, N) e^{−βN(ε(q) − μ)} (binomial), with E[N | q] = M / (1 + e^{β(ε(q) − μ)}).
``kex = 0`` freezes N.

Example (a few steps of 100 networks; the observer sees each step's increment):

>>> import numpy as np
>>> model = NetworkModel()
>>> seen = []
>>> final = run_minibatch(model, mu=0.5, eta=0.01, batch=1, kex=1, n_networks=100, n_steps=20,
...                       burn_in=10, rng=np.random.default_rng(0),
...                       observe=lambda q0, q1, n: seen.append(q1.shape))
>>> len(seen), seen[0], final.q.shape
(10, (100, 2), (100, 2))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

import numpy as np

from derive.errors import InputError
from numerics.validate import check_int, check_positive, check_real

__all__ = [
    "NetworkModel",
    "EpsilonTable",
    "FinalState",
    "data_covariance",
    "epsilon_exact",
    "epsilon_slope_exact",
    "free_energy",
    "mean_active",
    "linearization",
    "initial_state",
    "run_minibatch",
    "run_isotropic",
    "sample_spin_sum",
]

Observer = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------------
# validation helpers (one clear line each)


_positive, _finite, _integer = check_positive, check_real, check_int  # numerics.validate


# ---------------------------------------------------------------------------------------------
# the model


def data_covariance(phi_deg: float, scale: float = 0.5, aspect: float = 0.2) -> np.ndarray:
    """C = scale · R(φ) diag(1, aspect) R(φ)ᵀ, the covariance of the visible inputs.

    >>> np.allclose(data_covariance(0.0), [[0.5, 0.0], [0.0, 0.1]])
    True
    """
    phi = math.radians(_finite("phi_deg", phi_deg))
    rot = np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])
    return _positive("scale", scale) * rot @ np.diag([1.0, _positive("aspect", aspect)]) @ rot.T


@dataclass(frozen=True)
class NetworkModel:
    """Parameters of the model (defaults: the experiment's design, issue 8).

    >>> float(NetworkModel(phi_deg=0.0).covariance()[0, 1])
    0.0
    >>> NetworkModel(T=-1.0)
    Traceback (most recent call last):
    ...
    derive.errors.InputError: T must be > 0 and finite, got -1.0
    """

    phi_deg: float = 35.0
    c_scale: float = 0.5
    c_aspect: float = 0.2
    n_slots: int = 20
    k_diag: tuple[float, float] = (12.0, 24.0)
    T: float = 1.0
    n_gauss_hermite: int = 80

    def __post_init__(self) -> None:
        _finite("phi_deg", self.phi_deg)
        _positive("c_scale", self.c_scale)
        _positive("c_aspect", self.c_aspect)
        _integer("n_slots (M)", self.n_slots, 1)
        if len(self.k_diag) != 2:
            raise InputError(f"k_diag must have 2 entries, got {self.k_diag!r}")
        for k in self.k_diag:
            _positive("k_diag entry", k)
        _positive("T", self.T)
        _integer("n_gauss_hermite", self.n_gauss_hermite, 2)

    @property
    def beta(self) -> float:
        return 1.0 / self.T

    def covariance(self) -> np.ndarray:
        return data_covariance(self.phi_deg, self.c_scale, self.c_aspect)

    def stiffness(self) -> np.ndarray:
        return np.diag(np.asarray(self.k_diag, dtype=float))

    def mirrored(self) -> "NetworkModel":
        """The mirror image of the data, φ → −φ."""
        return NetworkModel(-self.phi_deg, self.c_scale, self.c_aspect, self.n_slots, self.k_diag,
                            self.T, self.n_gauss_hermite)


@lru_cache(maxsize=8)
def _gauss_hermite(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes z_i and weights w_i with E_z f(z) ≈ Σ w_i f(z_i) for z ~ N(0, 1) (computed once per n; read-only)."""
    x, w = np.polynomial.hermite.hermgauss(n)
    z, wt = math.sqrt(2.0) * x, w / math.sqrt(math.pi)
    z.setflags(write=False)
    wt.setflags(write=False)
    return z, wt


def _log_2cosh(x: np.ndarray) -> np.ndarray:
    # ln 2cosh x = |x| + ln(1 + e^{−2|x|}): no overflow at large |x|
    ax = np.abs(x)
    return ax + np.log1p(np.exp(-2.0 * ax))


def epsilon_exact(s: np.ndarray | float, T: float = 1.0, n_gh: int = 80) -> np.ndarray:
    """ε(s) = −T E_z ln 2cosh(s z / T) by Gauss–Hermite quadrature, s = |q|_C ≥ 0.

    With 80 nodes the error is < 10⁻¹² for s ≤ 0.4 and < 10⁻⁹ for s ≤ 1.3; the kink of ln 2cosh(sz) at
    z = 0 limits it at larger s (≈ 5·10⁻⁶ at s = 2.5).  The mini-batch arms stay at s < 0.15.

    >>> abs(float(epsilon_exact(0.0)) + math.log(2.0)) < 1e-14
    True
    """
    z, w = _gauss_hermite(n_gh)
    s = np.asarray(s, dtype=float)
    return -T * (_log_2cosh(s[..., None] * z / T) @ w)


def epsilon_slope_exact(s: np.ndarray | float, T: float = 1.0, n_gh: int = 80) -> np.ndarray:
    """g(s) = ε′(s)/s = −E_z[z tanh(sz/T)]/s, with the limit g(0) = −1/T.

    >>> float(epsilon_slope_exact(0.0))
    -1.0
    """
    z, w = _gauss_hermite(n_gh)
    s = np.asarray(s, dtype=float)
    small = s < 1e-6
    safe = np.where(small, 1.0, s)
    g = -(np.tanh(safe[..., None] * z / T) * z) @ w / safe
    # tanh(x) = x − x³/3: g(s) = −1/T + s² E z⁴ /(3T³) = −1/T + s²/T³ for small s
    return np.where(small, -1.0 / T + s**2 / T**3, g)


@dataclass(frozen=True)
class EpsilonTable:
    """ε(s) and g(s) = ε′(s)/s tabulated on a uniform grid s ∈ [0, s_max] (spacing h).

    Linear interpolation; its error is ≤ h²/8 · max|ε″| ≤ h²/(8T) (≈ 3·10⁻⁸ at the default
    h = 5·10⁻⁴), far below every statistical error here.  Points beyond s_max fall back to the
    quadrature.  Build it with :meth:`build`.

    >>> tab = EpsilonTable.build(T=1.0)
    >>> s = np.array([0.0, 0.3, 7.0])
    >>> bool(np.allclose(tab.epsilon(s), epsilon_exact(s), atol=1e-7))
    True
    """

    T: float
    n_gh: int
    h: float
    eps_values: np.ndarray = field(repr=False)
    g_values: np.ndarray = field(repr=False)
    # values[i + 1] − values[i], precomputed for the step loops (the same floats _interp computes on the fly)
    eps_diff: np.ndarray = field(init=False, repr=False, compare=False)
    g_diff: np.ndarray = field(init=False, repr=False, compare=False)
    _cells_eg: np.ndarray = field(init=False, repr=False, compare=False)
    _cells_e: np.ndarray = field(init=False, repr=False, compare=False)
    _cells_g: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _positive("T", self.T)
        _positive("h", self.h)
        if self.eps_values.shape != self.g_values.shape or self.eps_values.ndim != 1 or self.eps_values.size < 2:
            raise InputError("eps_values and g_values must be 1-D arrays of equal length >= 2")
        for name, values in (("eps_diff", self.eps_values), ("g_diff", self.g_values)):
            d = np.diff(np.asarray(values, dtype=float))
            d.setflags(write=False)
            object.__setattr__(self, name, d)
        # per grid cell i: the columns (values..., differences...) of a (2k, cells) array, gathered with one
        # take along axis 1 per step by the step loops (contiguous (2k, W) rows: the arithmetic runs on 1-D rows)
        e, g = np.asarray(self.eps_values, dtype=float)[:-1], np.asarray(self.g_values, dtype=float)[:-1]
        for name, cols in (("_cells_eg", (e, g, self.eps_diff, self.g_diff)), ("_cells_e", (e, self.eps_diff)),
                           ("_cells_g", (g, self.g_diff))):
            rows = np.ascontiguousarray(np.stack(cols, axis=0))
            rows.setflags(write=False)
            object.__setattr__(self, name, rows)

    @classmethod
    def build(cls, T: float = 1.0, n_gh: int = 80, s_max: float = 5.0, h: float = 5e-4) -> "EpsilonTable":
        """The table for (T, n_gh, s_max, h); built once per process and shared (it is immutable)."""
        _positive("T", T)
        _integer("n_gh", n_gh, 2)
        _positive("s_max", s_max)
        _positive("h", h)
        return _built_table(cls, float(T), int(n_gh), float(s_max), float(h))

    @classmethod
    def _build(cls, T: float, n_gh: int, s_max: float, h: float) -> "EpsilonTable":
        n = int(math.ceil(s_max / h)) + 1
        grid = np.arange(n) * h
        eps = epsilon_exact(grid, T, n_gh)
        g = epsilon_slope_exact(grid, T, n_gh)
        eps.setflags(write=False)
        g.setflags(write=False)
        return cls(T=T, n_gh=n_gh, h=h, eps_values=eps, g_values=g)

    @property
    def s_max(self) -> float:
        return (self.eps_values.size - 1) * self.h

    def _interp(self, values: np.ndarray, s: np.ndarray, exact: Callable) -> np.ndarray:
        x = s / self.h
        i = np.minimum(x.astype(np.int64), values.size - 2)
        frac = x - i
        out = values[i] + frac * (values[i + 1] - values[i])
        outside = s > self.s_max
        if outside.any():
            out[outside] = exact(s[outside], self.T, self.n_gh)
        return out

    def epsilon(self, s: np.ndarray) -> np.ndarray:
        return self._interp(self.eps_values, np.asarray(s, dtype=float), epsilon_exact)

    def slope(self, s: np.ndarray) -> np.ndarray:
        return self._interp(self.g_values, np.asarray(s, dtype=float), epsilon_slope_exact)


@lru_cache(maxsize=16)
def _built_table(cls, T: float, n_gh: int, s_max: float, h: float) -> EpsilonTable:
    return cls._build(T, n_gh, s_max, h)


class _Lookup:
    """ε(s) and g(s) from an :class:`EpsilonTable` at W points per step, into preallocated buffers.

    The arithmetic is that of ``EpsilonTable._interp`` (x = s/h, i = ⌊x⌋, v[i] + (x − i)(v[i+1] − v[i])), so
    the values are bitwise the same; the (value, difference) columns of the cell come with one take along the
    table's axis 1 into contiguous (2k, W) rows (a (W, 2k) layout would make every ufunc loop run over rows of
    length k).  A step with some s outside the table falls back to ``_interp``."""

    def __init__(self, table: EpsilonTable, w: int) -> None:
        self.table = table
        self.last = table.eps_values.size - 1  # x = s/h must stay below this for i + 1 to be on the grid
        self.x = np.empty(w)
        self.xi = np.empty(w)
        self.i = np.empty(w, dtype=np.intp)
        self.frac = np.empty(w)
        self.cells = {2: np.empty((2, w)), 4: np.empty((4, w))}
        self.out = {1: np.empty((1, w)), 2: np.empty((2, w))}
        self.s: Optional[np.ndarray] = None
        self.fast = True

    def locate(self, s: np.ndarray) -> None:
        """Find the grid cell of every s (once per step, shared by ε and g)."""
        t = self.table
        top = s.max()
        self.fast = bool(top <= t.s_max and top / t.h < self.last)  # False for NaN as well
        if not self.fast:
            self.s = s.copy()
            return
        np.divide(s, t.h, out=self.x)
        np.trunc(self.x, out=self.xi)
        np.copyto(self.i, self.xi, casting="unsafe")
        np.subtract(self.x, self.xi, out=self.frac)  # x − i

    def _values(self, rows: np.ndarray, k: int) -> np.ndarray:
        """(k, W) values from the (2k, cells) columns (values, differences) of the located cells."""
        cells, out = self.cells[2 * k], self.out[k]
        rows.take(self.i, axis=1, out=cells, mode="clip")  # i is on the grid: "clip" only avoids a buffered copy
        np.multiply(cells[k:], self.frac, out=out)
        np.add(cells[:k], out, out=out)  # v[i] + (x − i)·d[i]
        return out

    def epsilon(self) -> np.ndarray:
        """ε at the located s (a (W,) view of a buffer)."""
        if not self.fast:
            return self.table.epsilon(self.s)
        return self._values(self.table._cells_e, 1)[0]

    def slope(self) -> np.ndarray:
        """g at the located s (a (W,) view of a buffer)."""
        if not self.fast:
            return self.table.slope(self.s)
        return self._values(self.table._cells_g, 1)[0]

    def both(self) -> tuple[np.ndarray, np.ndarray]:
        """ε and g at the located s (views of one buffer)."""
        if not self.fast:
            return self.table.epsilon(self.s), self.table.slope(self.s)
        out = self._values(self.table._cells_eg, 2)
        return out[0], out[1]


def _norm_c(q: np.ndarray, c: np.ndarray) -> np.ndarray:
    """s = |q|_C = √(qᵀCq) for q of shape (..., 2)."""
    x, y = q[..., 0], q[..., 1]
    return np.sqrt(np.maximum(c[0, 0] * x * x + 2.0 * c[0, 1] * x * y + c[1, 1] * y * y, 0.0))


def free_energy(model: NetworkModel, q: np.ndarray, n_active: np.ndarray | int) -> np.ndarray:
    """F_N(q) = ½qᵀKq + N ε(q) − T ln C(M, N) (exact, quadrature).

    >>> m = NetworkModel()
    >>> round(float(free_energy(m, np.zeros(2), 0)), 12)
    0.0
    """
    q = np.asarray(q, dtype=float)
    n = np.asarray(n_active)
    if np.any(n < 0) or np.any(n > model.n_slots):
        raise InputError(f"N must lie in 0..{model.n_slots}, got {n!r}")
    k = np.asarray(model.k_diag)
    quad = 0.5 * (k[0] * q[..., 0] ** 2 + k[1] * q[..., 1] ** 2)
    eps = epsilon_exact(_norm_c(q, model.covariance()), model.T, model.n_gauss_hermite)
    log_binom = _log_binomial(model.n_slots, n)
    return quad + n * eps - model.T * log_binom


def _log_binomial(m: int, n: np.ndarray | int) -> np.ndarray:
    from scipy.special import gammaln

    n = np.asarray(n, dtype=float)
    return gammaln(m + 1.0) - gammaln(n + 1.0) - gammaln(m - n + 1.0)


def mean_active(model: NetworkModel, q: np.ndarray, mu: float) -> np.ndarray:
    """E[N | q] = M / (1 + e^{β(ε(q) − μ)}) when N is at equilibrium with the reservoir at fixed q.

    >>> round(float(mean_active(NetworkModel(), np.zeros(2), 0.0)), 6)   # ε(0) = −T ln 2
    13.333333
    """
    eps = epsilon_exact(_norm_c(np.asarray(q, dtype=float), model.covariance()), model.T, model.n_gauss_hermite)
    return model.n_slots / (1.0 + np.exp(model.beta * (eps - _finite("mu", mu))))


def linearization(model: NetworkModel, n_active: int, batch: int, eta: float) -> tuple[np.ndarray, np.ndarray]:
    """The mini-batch SGD chain linearised at q = 0 for fixed N: q′ = q − ηAq + ξ, ξ ~ N(0, Q).

    A = K − βN C (the Hessian of F_N at 0, from tanh x ≈ x) and Q = η² N C / B (the covariance of
    (1/B)Σ m_b u_b at q = 0, where E[m²] = N).  Raises if the linear chain is unstable.

    >>> a, q = linearization(NetworkModel(phi_deg=0.0), 10, 1, 0.01)
    >>> np.allclose(a, np.diag([7.0, 23.0])), np.allclose(q, 1e-4 * np.diag([5.0, 1.0]))
    (True, True)
    """
    n = _integer("N", n_active, 0)
    if n > model.n_slots:
        raise InputError(f"N must be <= M = {model.n_slots}, got {n}")
    b = _integer("batch B", batch, 1)
    eta = _positive("eta", eta)
    c = model.covariance()
    a = model.stiffness() - model.beta * n * c
    lam = np.linalg.eigvalsh(a)
    if lam.min() <= 0 or eta * lam.max() >= 2.0:
        raise InputError(f"linearised SGD chain unstable: eigenvalues of A = {lam}, eta = {eta}")
    return a, eta**2 * n * c / b


# ---------------------------------------------------------------------------------------------
# samplers


def sample_spin_sum(n_active: np.ndarray, field: np.ndarray, beta: float, rng: np.random.Generator) -> np.ndarray:
    """m = Σ_i s_i for N independent ±1 spins with P(s_i) ∝ e^{β s_i h}, sampled exactly:
    the number of up-spins is Binomial(N, σ(2βh)), σ(x) = 1/(1 + e^{−x}), and m = 2·ups − N.

    >>> rng = np.random.default_rng(0)
    >>> m = sample_spin_sum(np.full(200000, 15), np.full(200000, 0.1), 1.0, rng)
    >>> bool(abs(m.mean() - 15 * np.tanh(0.1)) < 0.05), bool(np.all((m + 15) % 2 == 0))
    (True, True)
    """
    h = np.asarray(field, dtype=float)
    n = np.broadcast_to(np.asarray(n_active, dtype=np.int64), h.shape)
    p_up = 1.0 / (1.0 + np.exp(-2.0 * beta * h))
    return 2 * rng.binomial(n, p_up) - n


@dataclass(frozen=True)
class FinalState:
    """The ensemble after the last step: weights q (W, 2), neuron numbers N (W,), and the mean of
    N and the exchange acceptance rate over the measured steps."""

    q: np.ndarray
    n_active: np.ndarray
    mean_n: float
    acceptance: float

    def __post_init__(self) -> None:
        if self.q.ndim != 2 or self.q.shape[1] != 2 or self.n_active.shape != (self.q.shape[0],):
            raise InputError("FinalState needs q of shape (W, 2) and N of shape (W,)")


def _validate_run(n_networks: int, n_steps: int, burn_in: int, eta: float, kex: int) -> None:
    _integer("n_networks", n_networks, 1)
    _integer("n_steps", n_steps, 1)
    _integer("burn_in", burn_in, 0)
    if burn_in >= n_steps:
        raise InputError(f"burn_in must be < n_steps, got burn_in={burn_in}, n_steps={n_steps}")
    _positive("eta", eta)
    _integer("kex", kex, 0)


def initial_state(model: NetworkModel, mu: float, n_networks: int, rng: np.random.Generator,
                  spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """N from the grand-canonical law at q = 0 (binomial), q ~ N(0, spread).  Starting near the
    stationary law shortens the burn-in; the burn-in removes the rest."""
    p0 = 1.0 / (1.0 + math.exp(model.beta * (-model.T * math.log(2.0) - _finite("mu", mu))))
    n = rng.binomial(model.n_slots, p0, size=n_networks).astype(np.int64)
    chol = np.linalg.cholesky(spread)
    q = rng.standard_normal((n_networks, 2)) @ chol.T
    return q, n


class _Metropolis:
    """One Metropolis insert/delete attempt for W networks at a time, in place on N, with preallocated buffers.

    The arithmetic and the draws are those of the original per-attempt code::

        u = rng.random((2, W))                      # (3, W) for a fractional attempt: u[2] < frac decides it
        insert = u[0] < 0.5
        log_acc = np.where(insert, log_ins[N] − x, log_del[N] + x)
        acc = np.log(u[1]) < log_acc
        N += where(acc, where(insert, 1, −1), 0)

    so the decisions are bitwise the same.  The select is never formed: ln u < where(insert, a, b) is
    where(insert, ln u < a, ln u < b), so both comparisons are made (one byte per network each) and the
    accepted insertions are (ln u < a) ∧ insert, the accepted deletions (ln u < b) ∧ ¬insert — the same
    decisions as the select on the float64 values, in cheaper passes."""

    def __init__(self, log_ins: np.ndarray, log_del: np.ndarray, w: int) -> None:
        self.log_ins, self.log_del = log_ins, log_del
        self.u2 = np.empty((2, w))
        self.u3 = np.empty((3, w))
        self.la = np.empty(w)
        self.lb = np.empty(w)
        self.insert = np.empty(w, dtype=bool)
        self.up = np.empty(w, dtype=bool)
        self.down = np.empty(w, dtype=bool)
        self.flag = np.empty(w, dtype=bool)
        self.step = np.empty(w, dtype=np.int8)

    def attempt(self, n: np.ndarray, x: np.ndarray, rng: np.random.Generator,
                frac: Optional[float] = None) -> tuple[int, int, int]:
        """One attempt on every network (with probability ``frac`` each if given); N (int64) is updated in
        place.  Returns (attempts made, insertions accepted, deletions accepted)."""
        u = self.u2 if frac is None else self.u3
        rng.random(out=u)
        ins, up, down, la, lb = self.insert, self.up, self.down, self.la, self.lb
        np.less(u[0], 0.5, out=ins)
        self.log_ins.take(n, out=la, mode="clip")  # N is in 0..M: "clip" only avoids a buffered copy
        np.subtract(la, x, out=la)  # ln of the insertion's acceptance ratio
        self.log_del.take(n, out=lb, mode="clip")
        np.add(lb, x, out=lb)  # ... and the deletion's
        lu = np.log(u[1], out=u[1])
        np.less(lu, la, out=up)
        np.logical_and(up, ins, out=up)  # accepted insertions
        np.less(lu, lb, out=down)
        np.greater(down, ins, out=down)  # accepted deletions: ln u < b and not an insertion
        if frac is None:
            tried = n.size
        else:
            flag = np.less(u[2], frac, out=self.flag)
            np.logical_and(up, flag, out=up)
            np.logical_and(down, flag, out=down)
            tried = int(np.count_nonzero(flag))
        np.subtract(up.view(np.int8), down.view(np.int8), out=self.step)
        np.add(n, self.step, out=n)
        return tried, int(np.count_nonzero(up)), int(np.count_nonzero(down))


def _log_ratios(m: int) -> tuple[np.ndarray, np.ndarray]:
    """ln((M−N)/(N+1)) and ln(N/(M−N+1)): the combinatorial part of −βΔF; −inf blocks N→M+1, N→−1."""
    nn = np.arange(m + 1, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(m - nn) - np.log(nn + 1.0), np.log(nn) - np.log(m - nn + 1.0)


class _Exchanger:
    """kex Metropolis insert/delete attempts at fixed q (exact ΔF, chemical potential μ)."""

    def __init__(self, model: NetworkModel, mu: float, kex: int) -> None:
        m = model.n_slots
        self.log_ins, self.log_del = _log_ratios(m)
        self.beta, self.mu, self.kex, self.m = model.beta, mu, kex, m
        self.attempts = 0
        self.accepted = 0
        self._kernel: Optional[_Metropolis] = None

    def kernel(self, w: int) -> _Metropolis:
        if self._kernel is None or self._kernel.la.size != w:
            self._kernel = _Metropolis(self.log_ins, self.log_del, w)
        return self._kernel

    def exchange_inplace(self, n: np.ndarray, x: np.ndarray, rng: np.random.Generator) -> int:
        """The kex attempts on N (int64, updated in place) given x = β(ε(q) − μ); returns the change of ΣN."""
        kern = self.kernel(n.size)
        change = 0
        for _ in range(self.kex):
            tried, up, down = kern.attempt(n, x, rng)
            self.attempts += tried
            self.accepted += up + down
            change += up - down
        return change

    def __call__(self, n: np.ndarray, eps: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.kex == 0:
            return n
        x = self.beta * (eps - self.mu)  # −βΔF_insert = −x + ln((M−N)/(N+1))
        n = np.array(n, dtype=np.int64)  # a new array: the caller's N is left as it was
        self.exchange_inplace(n, x, rng)
        return n


def _table_for(model: NetworkModel, table: Optional[EpsilonTable]) -> EpsilonTable:
    if table is None:
        return EpsilonTable.build(model.T, model.n_gauss_hermite)
    if table.T != model.T or table.n_gh != model.n_gauss_hermite:
        raise InputError(f"eps_table was built for T={table.T}, n_gh={table.n_gh}; the model has "
                         f"T={model.T}, n_gh={model.n_gauss_hermite}")
    return table


class _StepLoop:
    """The buffers and bookkeeping the fast step loops of both arms share.

    The state is kept as Q (2, W) (rows q₁, q₂); each step makes a new Q, so the observer may keep the arrays
    it is given (``Q.T``: the (W, 2) layout of the original loop, as a view).  N (int64) is a new array per
    step when there is an observer, and is updated in place otherwise."""

    def __init__(self, model: NetworkModel, table: EpsilonTable, w: int) -> None:
        c = model.covariance()
        self.c = c
        self.w = w
        self.lookup = _Lookup(table, w)
        # s² = c₁₁q₁q₁ + 2c₁₂q₁q₂ + c₂₂q₂q₂, evaluated as _norm_c does: ((c₁₁q₁)q₁ + ((2c₁₂)q₁)q₂) + (c₂₂q₂)q₂
        self.s_coef = np.array([[c[0, 0]], [2.0 * c[0, 1]]])
        self.c11 = c[1, 1]
        self.u = np.empty((2, w))
        self.s = np.empty(w)
        self.tmp = np.empty(w)
        self.x = np.empty(w)
        self.want_slope = False
        self.g: Optional[np.ndarray] = None

    def norm_c(self, q: np.ndarray) -> np.ndarray:
        """s = |q|_C for Q (2, W), bitwise as ``_norm_c(Q.T, C)``."""
        u, s, tmp = self.u, self.s, self.tmp
        np.multiply(self.s_coef, q[0], out=u)
        u *= q  # [(c₁₁q₁)q₁, ((2c₁₂)q₁)q₂]
        np.add(u[0], u[1], out=s)
        np.multiply(self.c11, q[1], out=tmp)
        tmp *= q[1]
        s += tmp
        np.maximum(s, 0.0, out=s)
        return np.sqrt(s, out=s)

    def exchange(self, exch: _Exchanger, q: np.ndarray, n: np.ndarray, rng: np.random.Generator) -> int:
        """kex attempts at fixed q, N in place (x = β(ε(q) − μ) as the _Exchanger computes it); returns the
        change of ΣN.  With ``want_slope`` set, g(s) at this q is kept in ``self.g`` for the learning step."""
        lk = self.lookup
        lk.locate(self.norm_c(q))
        if self.want_slope:
            eps, self.g = lk.both()
        else:
            eps = lk.epsilon()
        x = np.subtract(eps, exch.mu, out=self.x)
        if exch.beta != 1.0:  # β·y = y exactly at β = 1
            np.multiply(x, exch.beta, out=x)
        return exch.exchange_inplace(n, x, rng)


def _run_loop(q: np.ndarray, n: np.ndarray, *, exch: _Exchanger, loop: _StepLoop, step, n_steps: int, burn_in: int,
              rng: np.random.Generator, observe: Optional[Observer], progress: Optional[Progress]) -> FinalState:
    """The loop both fast arms share (the order of _drive): exchange at fixed q, then ``step(Q, N)`` → new Q."""
    Q = np.ascontiguousarray(np.asarray(q, dtype=float).T)
    n = np.array(n, dtype=np.int64)
    w = n.size
    n_sum = int(n.sum())  # ΣN, kept exact from the accepted moves
    n_total, attempts0, accepted0 = 0.0, 0, 0
    for t in range(n_steps):
        if t == burn_in:
            attempts0, accepted0 = exch.attempts, exch.accepted
        if exch.kex:
            if observe is not None:
                n = n.copy()
            n_sum += loop.exchange(exch, Q, n, rng)
        Q_new = step(Q, n)
        if t >= burn_in:
            n_total += n_sum / w  # = float(n.mean()) exactly (an integer sum, then one division)
            if observe is not None:
                observe(Q.T, Q_new.T, n)
        Q = Q_new
        if progress is not None:
            progress(t + 1, n_steps)
    measured = n_steps - burn_in
    att = exch.attempts - attempts0
    return FinalState(q=np.ascontiguousarray(Q.T), n_active=n, mean_n=n_total / measured,
                      acceptance=(exch.accepted - accepted0) / att if att else float("nan"))


def run_minibatch(model: NetworkModel, *, mu: float, eta: float, batch: int, kex: int, n_networks: int,
                  n_steps: int, burn_in: int, rng: np.random.Generator, observe: Optional[Observer] = None,
                  progress: Optional[Progress] = None, eps_table: Optional[EpsilonTable] = None) -> FinalState:
    """Mini-batch SGD with exact hidden-spin sampling and neuron exchange (kex = 0: N frozen).

    ``observe(q_before, q_after, N)`` is called after each of the last n_steps − burn_in steps,
    where N is the neuron number used in that step.

    Per step: the exchange at fixed q (``kex`` attempts, 2 uniforms each), then B data points
    u_b = L z_b (z: a (2, W, B) block of normals), the spin sums m_b = 2·Binomial(N, σ(2βq·u_b)) − N (one
    binomial per network and data point, :func:`sample_spin_sum`), and q ← q − η[Kq − (1/B)Σ_b m_b u_b].  The
    loop runs in preallocated buffers; the draws and the arithmetic are those of the plain NumPy version.
    """
    _validate_run(n_networks, n_steps, burn_in, eta, kex)
    b = _integer("batch B", batch, 1)
    mu = _finite("mu", mu)
    table = _table_for(model, eps_table)
    c, k = model.covariance(), np.asarray(model.k_diag)
    l11, l21, l22 = np.linalg.cholesky(c)[[0, 1, 1], [0, 0, 1]]
    n_ref = int(round(float(mean_active(model, np.zeros(2), mu))))
    a_ref, q_ref = linearization(model, min(max(n_ref, 1), model.n_slots), b, eta)
    from scipy.linalg import solve_discrete_lyapunov

    spread = solve_discrete_lyapunov(np.eye(2) - eta * a_ref, q_ref)
    q, n = initial_state(model, mu, n_networks, rng, spread)
    exch = _Exchanger(model, mu, kex)
    loop = _StepLoop(model, table, n_networks)
    w = n_networks
    z = np.empty((2, w, b))
    u = np.empty((2, w, b))  # the data points (u₁, u₂)
    tmp = np.empty((2, w, b))
    h = np.empty((w, b))
    mean = np.empty((2, w))
    kq = np.empty((2, w))
    l_first = np.array([l11, l21]).reshape(2, 1, 1)
    k_col = k.reshape(2, 1)
    two_beta = -2.0 * model.beta

    def step(Q: np.ndarray, n: np.ndarray) -> np.ndarray:
        rng.standard_normal(out=z)
        np.multiply(l_first, z[0], out=u)  # u₁ = l₁₁z₁, and l₂₁z₁ of u₂
        np.multiply(l22, z[1], out=h)
        np.add(u[1], h, out=u[1])  # u₂ = l₂₁z₁ + l₂₂z₂
        np.multiply(Q[:, :, None], u, out=tmp)
        np.add(tmp[0], tmp[1], out=h)  # the field q·u_b
        # Σ_i s_i ~ p(s | q, u_b), exactly (sample_spin_sum's arithmetic and draw)
        np.multiply(h, two_beta, out=h)
        np.exp(h, out=h)
        np.add(h, 1.0, out=h)
        np.divide(1.0, h, out=h)
        nb = n[:, None]  # (W, 1): the binomial and the subtraction broadcast it over the B data points
        m = rng.binomial(nb, h)
        m *= 2
        m -= nb
        np.multiply(m, u, out=tmp)  # m_b u_b
        if b == 1:
            mb = tmp[:, :, 0]  # the mean over one data point is the value itself
        else:
            np.add.reduce(tmp, axis=2, out=mean)
            mb = np.divide(mean, b, out=mean)
        np.multiply(k_col, Q, out=kq)
        np.subtract(kq, mb, out=kq)
        np.multiply(kq, eta, out=kq)
        return np.subtract(Q, kq)

    return _run_loop(q, n, exch=exch, loop=loop, step=step, n_steps=n_steps, burn_in=burn_in, rng=rng,
                     observe=observe, progress=progress)


def _drive(q: np.ndarray, n: np.ndarray, *, exch: "_Exchanger", eps_of, move, n_steps: int, burn_in: int,
           rng: np.random.Generator, observe: Optional[Observer], progress: Optional[Progress]) -> FinalState:
    """The generic loop (soft-spin arm): exchange neurons at fixed q, then one learning step ``move(q, N)``."""
    n_sum, attempts0, accepted0 = 0.0, 0, 0
    for t in range(n_steps):
        if t == burn_in:
            attempts0, accepted0 = exch.attempts, exch.accepted
        if exch.kex:
            n = exch(n, eps_of(q), rng)
        q_new = move(q, n)
        if t >= burn_in:
            n_sum += float(n.mean())
            if observe is not None:
                observe(q, q_new, n)
        q = q_new
        if progress is not None:
            progress(t + 1, n_steps)
    measured = n_steps - burn_in
    att = exch.attempts - attempts0
    return FinalState(q=q, n_active=n, mean_n=n_sum / measured,
                      acceptance=(exch.accepted - accepted0) / att if att else float("nan"))


def run_isotropic(model: NetworkModel, *, mu: float, eta: float, t_q: float, kex: int, n_networks: int,
                  n_steps: int, burn_in: int, rng: np.random.Generator, observe: Optional[Observer] = None,
                  progress: Optional[Progress] = None, eps_table: Optional[EpsilonTable] = None) -> FinalState:
    """Control arm: exact gradient of F_N plus isotropic Gaussian noise at temperature T_q,
    q ← q − η∇F_N(q) + √(2ηT_q) ξ, with the same neuron exchange (at the hidden temperature T).

    Per step: the exchange at fixed q, then ∇F_N = Kq + N g(s) Cq (ε-table), ξ (a (2, W) block of normals)
    and the update, in preallocated buffers with the arithmetic of the plain NumPy version."""
    _validate_run(n_networks, n_steps, burn_in, eta, kex)
    t_q = _positive("T_q", t_q)
    mu = _finite("mu", mu)
    table = _table_for(model, eps_table)
    c, k = model.covariance(), np.asarray(model.k_diag)
    n_ref = int(round(float(mean_active(model, np.zeros(2), mu))))
    a_ref = model.stiffness() - model.beta * n_ref * c
    q, n = initial_state(model, mu, n_networks, rng, t_q * np.linalg.inv(a_ref))
    exch = _Exchanger(model, mu, kex)
    noise = math.sqrt(2.0 * eta * t_q)
    loop = _StepLoop(model, table, n_networks)
    grad = _GradientStep(c, k, eta, noise, n_networks)

    loop.want_slope = True

    def step(Q: np.ndarray, n: np.ndarray) -> np.ndarray:
        if exch.kex:  # the exchange has looked up g(s) at this q already
            g = loop.g
        else:
            loop.lookup.locate(loop.norm_c(Q))
            g = loop.lookup.slope()
        ng = np.multiply(n, g, out=grad.ng)  # N g(s): ∇(Nε) = N g(s) C q
        return grad.step(Q, ng, rng)

    return _run_loop(q, n, exch=exch, loop=loop, step=step, n_steps=n_steps, burn_in=burn_in, rng=rng,
                     observe=observe, progress=progress)


class _GradientStep:
    """q ← q − η(Kq + N g(s) Cq) + noise·ξ for Q (2, W), given ng = N g(s): the arithmetic of the isotropic
    arm (cq₁ = c₁₁q₁ + c₁₂q₂, cq₂ = c₂₁q₁ + c₂₂q₂; q₁ − η(k₁q₁ + ng·cq₁) + noise·ξ₁), in preallocated buffers."""

    def __init__(self, c: np.ndarray, k: np.ndarray, eta: float, noise: float, w: int) -> None:
        self.c_first, self.c_second = c[:, 0:1].copy(), c[:, 1:2].copy()  # columns (c₁₁, c₂₁), (c₁₂, c₂₂)
        self.k_col = np.asarray(k, dtype=float).reshape(2, 1)
        self.eta, self.noise = eta, noise
        self.cq = np.empty((2, w))
        self.a = np.empty((2, w))
        self.xi = np.empty((2, w))
        self.ng = np.empty(w)

    def step(self, Q: np.ndarray, ng: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        cq, a, xi = self.cq, self.a, self.xi
        np.multiply(self.c_first, Q[0], out=cq)
        np.multiply(self.c_second, Q[1], out=a)
        cq += a  # Cq
        rng.standard_normal(out=xi)
        np.multiply(self.k_col, Q, out=a)
        cq *= ng
        a += cq  # Kq + N g Cq
        a *= self.eta
        q_new = np.subtract(Q, a)
        xi *= self.noise
        q_new += xi
        return q_new
