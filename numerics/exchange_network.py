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


def _gauss_hermite(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes z_i and weights w_i with E_z f(z) ≈ Σ w_i f(z_i) for z ~ N(0, 1)."""
    x, w = np.polynomial.hermite.hermgauss(n)
    return math.sqrt(2.0) * x, w / math.sqrt(math.pi)


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

    def __post_init__(self) -> None:
        _positive("T", self.T)
        _positive("h", self.h)
        if self.eps_values.shape != self.g_values.shape or self.eps_values.ndim != 1 or self.eps_values.size < 2:
            raise InputError("eps_values and g_values must be 1-D arrays of equal length >= 2")

    @classmethod
    def build(cls, T: float = 1.0, n_gh: int = 80, s_max: float = 5.0, h: float = 5e-4) -> "EpsilonTable":
        n = int(math.ceil(_positive("s_max", s_max) / _positive("h", h))) + 1
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


class _Exchanger:
    """kex Metropolis insert/delete attempts at fixed q (exact ΔF, chemical potential μ)."""

    def __init__(self, model: NetworkModel, mu: float, kex: int) -> None:
        m = model.n_slots
        nn = np.arange(m + 1, dtype=float)
        with np.errstate(divide="ignore"):
            # ln((M−N)/(N+1)) and ln(N/(M−N+1)): the combinatorial part of −βΔF; −inf blocks N→M+1, N→−1
            self.log_ins = np.log(m - nn) - np.log(nn + 1.0)
            self.log_del = np.log(nn) - np.log(m - nn + 1.0)
        self.beta, self.mu, self.kex, self.m = model.beta, mu, kex, m
        self.attempts = 0
        self.accepted = 0

    def __call__(self, n: np.ndarray, eps: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.kex == 0:
            return n
        x = self.beta * (eps - self.mu)  # −βΔF_insert = −x + ln((M−N)/(N+1))
        w = n.size
        for _ in range(self.kex):
            u = rng.random((2, w))
            insert = u[0] < 0.5
            log_acc = np.where(insert, self.log_ins[n] - x, self.log_del[n] + x)
            acc = np.log(u[1]) < log_acc
            n = n + np.where(acc, np.where(insert, 1, -1), 0)
            self.attempts += w
            self.accepted += int(acc.sum())
        return n


def _table_for(model: NetworkModel, table: Optional[EpsilonTable]) -> EpsilonTable:
    if table is None:
        return EpsilonTable.build(model.T, model.n_gauss_hermite)
    if table.T != model.T or table.n_gh != model.n_gauss_hermite:
        raise InputError(f"eps_table was built for T={table.T}, n_gh={table.n_gh}; the model has "
                         f"T={model.T}, n_gh={model.n_gauss_hermite}")
    return table


def run_minibatch(model: NetworkModel, *, mu: float, eta: float, batch: int, kex: int, n_networks: int,
                  n_steps: int, burn_in: int, rng: np.random.Generator, observe: Optional[Observer] = None,
                  progress: Optional[Progress] = None, eps_table: Optional[EpsilonTable] = None) -> FinalState:
    """Mini-batch SGD with exact hidden-spin sampling and neuron exchange (kex = 0: N frozen).

    ``observe(q_before, q_after, N)`` is called after each of the last n_steps − burn_in steps,
    where N is the neuron number used in that step.
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

    def move(q: np.ndarray, n: np.ndarray) -> np.ndarray:
        z = rng.standard_normal((2, n_networks, b))
        u1 = l11 * z[0]
        u2 = l21 * z[0] + l22 * z[1]
        h = q[:, 0:1] * u1 + q[:, 1:2] * u2
        m = sample_spin_sum(n[:, None], h, model.beta, rng)  # Σ_i s_i ~ p(s | q, u_b), exactly
        q_new = np.empty_like(q)
        q_new[:, 0] = q[:, 0] - eta * (k[0] * q[:, 0] - (m * u1).mean(axis=1))
        q_new[:, 1] = q[:, 1] - eta * (k[1] * q[:, 1] - (m * u2).mean(axis=1))
        return q_new

    return _drive(q, n, exch=exch, eps_of=lambda q: table.epsilon(_norm_c(q, c)), move=move, n_steps=n_steps,
                  burn_in=burn_in, rng=rng, observe=observe, progress=progress)


def _drive(q: np.ndarray, n: np.ndarray, *, exch: "_Exchanger", eps_of, move, n_steps: int, burn_in: int,
           rng: np.random.Generator, observe: Optional[Observer], progress: Optional[Progress]) -> FinalState:
    """The loop both arms share: exchange neurons at fixed q, then one learning step ``move(q, N)``."""
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
    q ← q − η∇F_N(q) + √(2ηT_q) ξ, with the same neuron exchange (at the hidden temperature T)."""
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

    def move(q: np.ndarray, n: np.ndarray) -> np.ndarray:
        ng = n * table.slope(_norm_c(q, c))  # N g(s): ∇(Nε) = N g(s) C q
        cq0 = c[0, 0] * q[:, 0] + c[0, 1] * q[:, 1]
        cq1 = c[1, 0] * q[:, 0] + c[1, 1] * q[:, 1]
        xi = rng.standard_normal((2, n_networks))
        q_new = np.empty_like(q)
        q_new[:, 0] = q[:, 0] - eta * (k[0] * q[:, 0] + ng * cq0) + noise * xi[0]
        q_new[:, 1] = q[:, 1] - eta * (k[1] * q[:, 1] + ng * cq1) + noise * xi[1]
        return q_new

    return _drive(q, n, exch=exch, eps_of=lambda q: table.epsilon(_norm_c(q, c)), move=move, n_steps=n_steps,
                  burn_in=burn_in, rng=rng, observe=observe, progress=progress)
