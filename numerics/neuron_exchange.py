"""Neuron exchange with a reservoir: the grand canonical ensemble of grand.ensemble (KV2021 §3).

M labelled slots; N of them hold an active ±1 neuron.  All active neurons see the field
h(q) = h₀ + w·q and, when J ≠ 0, a mean-field coupling:

    H_N(s, q) = −h(q) m − (J/2M) m²,     m = Σ_{active} sᵢ,     ∂H_N/∂q = −m w.

Canonical book free energy of N neurons: F_N(q) = −T ln Z_N, Z_N = Σ_k C(N,k) e^{β(h m + J m²/2M)},
m = 2k − N.  With a combinatorial factor c_N (a modelling choice):

    P(N) ∝ c_N e^{β(μN − F_N)},   Ξ = Σ_N c_N e^{β(μN − F_N)},   Ω = −T ln Ξ,

    ⟨N⟩ = −∂Ω/∂μ,   Var N = −T ∂²Ω/∂μ²,   ∂Ω/∂q = ⟨∂H_N/∂q⟩_GC,
    T ln(P_{N+1}/P_N) = μ − (F̃_{N+1} − F̃_N)   for every N, with F̃_N = F_N − T ln c_N.

Factors: "binomial" c_N = C(M,N) (what labelled slots give), "poisson" 1/N!, "none" 1.
"binomial-twice" = C(M,N)² is the planted error "combinatorial factor counted twice".

The driven closed loop (multivalued.driven-loop) moves q around a loop while N is exchanged; W = Σ ΔF_N along q,
J = Σ jumps at exchange events, and W + J = F_{N_end}(q₀) − F_{N_start}(q₀) pathwise.

>>> model = ExchangeModel(n_slots=10, mu=-0.4, beta=1.0, h0=0.3, w=[0.5], coupling=0.0, factor="binomial")
>>> ex = grand_exact(model, [0.0])
>>> round(float(ex.P.sum()), 12)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from derive.errors import InputError
from numerics.validate import check_generator as check_seed, check_int, check_positive

__all__ = [
    "FACTORS",
    "ExchangeModel",
    "GrandExact",
    "ExchangeSamples",
    "DrivenLoop",
    "log_factor",
    "book_free_energies",
    "grand_potential",
    "grand_exact",
    "exchange_metropolis",
    "circle_loop",
    "driven_loop",
]

FACTORS = ("binomial", "poisson", "none", "binomial-twice")


def log_factor(factor: str, n_slots: int) -> np.ndarray:
    """ln c_N for N = 0..M.

    >>> np.exp(log_factor("binomial", 3)).round(6).tolist()
    [1.0, 3.0, 3.0, 1.0]
    """
    if factor not in FACTORS:
        raise InputError(f"factor must be one of {', '.join(FACTORS)}, got {factor!r}")
    n = np.arange(check_int("n_slots", n_slots, 1) + 1)
    lb = special.gammaln(n_slots + 1) - special.gammaln(n + 1) - special.gammaln(n_slots - n + 1)
    return {"binomial": lb, "poisson": -special.gammaln(n + 1), "none": np.zeros(n.size),
            "binomial-twice": 2.0 * lb}[factor]


@dataclass(frozen=True)
class ExchangeModel:
    """Slots, chemical potential μ, inverse temperature β, field h(q) = h₀ + w·q, mean-field J, factor c_N."""

    n_slots: int
    mu: float
    beta: float
    h0: float
    w: np.ndarray
    coupling: float = 0.0
    factor: str = "binomial"

    def __post_init__(self) -> None:
        check_int("n_slots", self.n_slots, 1, 2000)
        object.__setattr__(self, "beta", check_positive("beta", self.beta))
        for name in ("mu", "h0", "coupling"):
            try:
                v = float(getattr(self, name))
            except (TypeError, ValueError):
                raise InputError(f"{name} must be a real number, got {getattr(self, name)!r}") from None
            if not math.isfinite(v):
                raise InputError(f"{name} must be finite, got {v!r}")
            object.__setattr__(self, name, v)
        w = np.array(self.w, dtype=float).reshape(-1)
        if w.size < 1 or not np.all(np.isfinite(w)):
            raise InputError("w must be a finite vector of length K >= 1")
        w.setflags(write=False)
        object.__setattr__(self, "w", w)
        if self.factor not in FACTORS:
            raise InputError(f"factor must be one of {', '.join(FACTORS)}, got {self.factor!r}")

    def field(self, q) -> float:
        qv = np.asarray(q, dtype=float).reshape(-1)
        if qv.shape != self.w.shape or not np.all(np.isfinite(qv)):
            raise InputError(f"q must be a finite vector of length K = {self.w.size}, got shape {np.shape(q)}")
        return float(self.h0 + self.w @ qv)


def _canonical_tables(model: ExchangeModel, h: float, beta: float):
    """ln Z_N and ⟨m⟩_N for N = 0..M at field h (sum over k = number of up spins)."""
    M = model.n_slots
    N = np.arange(M + 1)[:, None]
    k = np.arange(M + 1)[None, :]
    valid = k <= N
    m = 2 * k - N
    logc = np.where(valid, special.gammaln(N + 1) - special.gammaln(np.minimum(k, N) + 1)
                    - special.gammaln(np.maximum(N - k, 0) + 1), -np.inf)
    expo = np.where(valid, logc + beta * (h * m + model.coupling * m * m / (2.0 * M)), -np.inf)
    log_z = special.logsumexp(expo, axis=1)
    pk = np.exp(expo - log_z[:, None])
    mean_m = (pk * np.where(valid, m, 0)).sum(axis=1)
    return log_z, mean_m


def book_free_energies(model: ExchangeModel, q, beta: float | None = None) -> np.ndarray:
    """F_N(q) = −T ln Z_N for N = 0..M (no combinatorial factor)."""
    b = model.beta if beta is None else check_positive("beta", beta)
    log_z, _ = _canonical_tables(model, model.field(q), b)
    return -log_z / b


@dataclass(frozen=True)
class GrandExact:
    """Exact grand canonical quantities: Ω, P(N), ⟨N⟩, Var N, ∂Ω/∂q (as ⟨∂H_N/∂q⟩_GC), F_N, F̃_N."""

    omega: float
    P: np.ndarray
    mean_N: float
    var_N: float
    force: np.ndarray
    F: np.ndarray
    F_tilde: np.ndarray


def grand_potential(model: ExchangeModel, q, mu: float | None = None) -> float:
    """Ω(μ, q) = −T ln Σ_N c_N e^{β(μN − F_N(q))}."""
    mu_v = model.mu if mu is None else float(mu)
    F = book_free_energies(model, q)
    n = np.arange(model.n_slots + 1)
    lf = log_factor(model.factor, model.n_slots)
    return float(-special.logsumexp(lf + model.beta * (mu_v * n - F)) / model.beta)


def grand_exact(model: ExchangeModel, q, mu: float | None = None) -> GrandExact:
    """P(N), ⟨N⟩, Var N and ∂Ω/∂q = Σ_N P(N) ⟨∂H_N/∂q⟩_N = −⟨m⟩_GC w, exactly."""
    mu_v = model.mu if mu is None else float(mu)
    b = model.beta
    log_z, mean_m = _canonical_tables(model, model.field(q), b)
    F = -log_z / b
    n = np.arange(model.n_slots + 1)
    lf = log_factor(model.factor, model.n_slots)
    expo = lf + b * (mu_v * n - F)
    log_xi = special.logsumexp(expo)
    P = np.exp(expo - log_xi)
    mean_n = float(P @ n)
    return GrandExact(omega=float(-log_xi / b), P=P, mean_N=mean_n, var_N=float(P @ (n - mean_n) ** 2),
                      force=-float(P @ mean_m) * model.w, F=F, F_tilde=F - lf / b)


@dataclass(frozen=True)
class ExchangeSamples:
    """Per-sweep neuron number N and magnetisation m, shape (n_sweeps, n_chains) each."""

    N: np.ndarray
    m: np.ndarray


def exchange_metropolis(model: ExchangeModel, q, *, n_chains: int, n_sweeps: int, burn_in: int = 100,
                        seed=0, factor: str | None = None) -> ExchangeSamples:
    """Insert/delete/flip Metropolis on M labelled slots, vectorised over chains.

    Each attempt picks a slot uniformly, then with probability ½ toggles its occupancy (insert with a
    uniform random spin, or delete) and with probability ½ flips its spin (if occupied).  Target
    weight of a labelled configuration: g(N) e^{β(μN − H_N)}, g(N) = c_N / C(M,N), so that the
    marginal is P(N) ∝ c_N Z_N e^{βμN}.  The insert/delete proposal asymmetry gives the factor 2.
    One sweep = M attempts.  ``factor`` overrides the model's (planted errors).

    >>> mdl = ExchangeModel(n_slots=6, mu=0.0, beta=1.0, h0=0.1, w=[1.0])
    >>> exchange_metropolis(mdl, [0.0], n_chains=3, n_sweeps=4, burn_in=1, seed=0).N.shape
    (4, 3)
    """
    fac = model.factor if factor is None else factor
    lg = log_factor(fac, model.n_slots) - log_factor("binomial", model.n_slots)
    nc = check_int("n_chains", n_chains, 1)
    ns = check_int("n_sweeps", n_sweeps, 1)
    nb = check_int("burn_in", burn_in, 0)
    rng = check_seed(seed)
    M, b, mu, cJ = model.n_slots, model.beta, model.mu, model.coupling / (2.0 * model.n_slots)
    h = model.field(q)
    ln2 = math.log(2.0)

    def energy(m):
        return -h * m - cJ * m * m

    occ = np.zeros((nc, M), dtype=bool)
    spin = rng.choice(np.array([-1, 1], dtype=np.int64), size=(nc, M))
    N = np.zeros(nc, dtype=np.int64)
    m = np.zeros(nc, dtype=np.int64)
    rows = np.arange(nc)
    outN = np.empty((ns, nc), dtype=np.int64)
    outm = np.empty((ns, nc), dtype=np.int64)
    for sweep in range(nb + ns):
        slots = rng.integers(0, M, size=(M, nc))
        kind = rng.random((M, nc)) < 0.5            # True: toggle occupancy, False: flip
        newspin = np.where(rng.random((M, nc)) < 0.5, -1, 1)
        logu = np.log(rng.random((M, nc)))
        for a in range(M):
            i = slots[a]
            o = occ[rows, i]
            s_old = spin[rows, i]
            tog = kind[a]
            ins = tog & ~o
            dele = tog & o
            flp = ~tog & o
            sig = np.where(ins, newspin[a], s_old)
            dm = np.where(ins, sig, np.where(dele, -s_old, np.where(flp, -2 * s_old, 0)))
            dn = ins.astype(np.int64) - dele.astype(np.int64)
            de = energy(m + dm) - energy(m)
            nn = N + dn
            loga = -b * de + b * mu * dn + lg[nn] - lg[N] + ln2 * dn
            acc = (logu[a] < loga) & (ins | dele | flp)
            occ[rows, i] = np.where(acc & tog, ~o, o)
            spin[rows, i] = np.where(acc, np.where(flp, -s_old, sig), s_old)
            N = np.where(acc, nn, N)
            m = np.where(acc, m + dm, m)
        if sweep >= nb:
            outN[sweep - nb] = N
            outm[sweep - nb] = m
    return ExchangeSamples(N=outN, m=outm)


def circle_loop(center, radius: float, n_steps: int) -> np.ndarray:
    """Closed loop q(t) = center + radius (cos φ, sin φ, 0, …), φ = 2πt/n; shape (n_steps + 1, K).

    For K = 1 the loop goes out and back: q(t) = center + radius sin φ.
    """
    c = np.asarray(center, dtype=float).reshape(-1)
    r = check_positive("radius", radius)
    n = check_int("n_steps", n_steps, 2)
    phi = 2.0 * np.pi * np.arange(n + 1) / n
    out = np.tile(c, (n + 1, 1))
    if c.size == 1:
        out[:, 0] += r * np.sin(phi)
    else:
        out[:, 0] += r * np.cos(phi) - r
        out[:, 1] += r * np.sin(phi)
    out[-1] = out[0]                      # exactly closed, not up to roundoff
    return out


@dataclass(frozen=True)
class DrivenLoop:
    """Per-loop work W, jump sum J, booked change ΔF_book = F_{N_end}(q₀) − F_{N_start}(q₀), and the
    absolute size of all booked terms (for the roundoff scale)."""

    W: np.ndarray
    J: np.ndarray
    dF_book: np.ndarray
    N_start: np.ndarray
    N_end: np.ndarray
    abs_terms: np.ndarray
    n_terms: int


def driven_loop(model: ExchangeModel, loop, *, n_loops: int, n_exchange: int = 5, seed=0,
                beta_exchange: float | None = None) -> DrivenLoop:
    """Drive q around a closed ``loop`` (shape (n+1, K)) while N is exchanged with the reservoir.

    N starts from the exact P(N | q₀).  Per step: q moves (work ΔW = F_N(q_{t+1}) − F_N(q_t) at fixed N),
    then ``n_exchange`` Metropolis attempts N → N ± 1 with target P(N | q_{t+1}) ∝ c_N e^{β(μN − F_N)}
    (accepted jumps add F_{N'} − F_N to J).  Neuron spins are integrated out (F_N), i.e. in
    instantaneous equilibrium.  ``beta_exchange`` ≠ β is the planted error of the driven loop.
    Jarzynski: ⟨e^{−βW}⟩ = Ξ(q_end)/Ξ(q₀) = 1 on a closed loop.

    >>> mdl = ExchangeModel(n_slots=8, mu=-0.4, beta=1.0, h0=0.3, w=[1.0])
    >>> r = driven_loop(mdl, circle_loop([0.0], 0.5, 10), n_loops=5, seed=0)
    >>> bool(np.allclose(r.W + r.J, r.dF_book))
    True
    """
    path = np.asarray(loop, dtype=float)
    if path.ndim != 2 or path.shape[0] < 2 or path.shape[1] != model.w.size:
        raise InputError(f"loop must have shape (n_steps + 1, K = {model.w.size}), got {path.shape}")
    if not np.array_equal(path[0], path[-1]):
        raise InputError("loop must be closed: its first and last points must be equal")
    nl = check_int("n_loops", n_loops, 1)
    nx = check_int("n_exchange", n_exchange, 0)
    bex = model.beta if beta_exchange is None else check_positive("beta_exchange", beta_exchange)
    rng = check_seed(seed)
    M = model.n_slots
    F = np.array([book_free_energies(model, qq) for qq in path])       # (n+1, M+1)
    lf = log_factor(model.factor, M)
    P0 = grand_exact(model, path[0]).P
    N = rng.choice(M + 1, size=nl, p=P0)
    N0 = N.copy()
    rows = np.arange(nl)
    W = np.zeros(nl)
    J = np.zeros(nl)
    A = np.zeros(nl)
    n_terms = 0
    for t in range(path.shape[0] - 1):
        dw = F[t + 1, N] - F[t, N]
        W += dw
        A += np.abs(F[t + 1, N]) + np.abs(F[t, N])
        n_terms += 1
        Ft = F[t + 1]
        for _ in range(nx):
            step = np.where(rng.random(nl) < 0.5, -1, 1)
            nn = N + step
            inside = (nn >= 0) & (nn <= M)
            nn_c = np.clip(nn, 0, M)
            loga = bex * (model.mu * step - (Ft[nn_c] - Ft[N])) + lf[nn_c] - lf[N]
            acc = inside & (np.log(rng.random(nl)) < loga)
            jump = np.where(acc, Ft[nn_c] - Ft[N], 0.0)
            J += jump
            A += np.where(acc, np.abs(Ft[nn_c]) + np.abs(Ft[N]), 0.0)
            N = np.where(acc, nn_c, N)
            n_terms += 1
    dF = F[0, N] - F[0, N0]
    A += np.abs(F[0, N]) + np.abs(F[0, N0])
    del rows
    return DrivenLoop(W=W, J=J, dF_book=dF, N_start=N0, N_end=N, abs_terms=A, n_terms=n_terms + 1)
