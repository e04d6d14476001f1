r"""The circulation of an ensemble's current velocity, estimated from increments, and its exact value
on a linear-Gaussian chain (the Brownian gyrator).

**Definition** (the estimator of the circulation experiment, issue 8).  For a loop |q| = R traversed counter-clockwise,

    Γ(R) = (1/η) ∮ v·dl,     v = J/p the current velocity, η the SGD step (γ = η per step).

**Stratonovich estimator.**  Bin each increment Δq = q_{t+1} − q_t at its midpoint q̄ = (q_t + q_{t+1})/2
in n_bins angular bins of an annulus R − w < |q̄| < R + w; then

    Γ̂ = R² Σ_k ⟨v_θ/r⟩_k Δθ / η,     v_θ/r = (q̄_x Δq_y − q̄_y Δq_x)/|q̄|².

For a linear field v = Ωq̄, v_θ/r depends on the angle only, so the annulus adds no bias.  Coarse bins
do (the density varies inside a bin): ≥ 72 bins keep it below the SE.  For a nonlinear
field v_θ/r varies across the annulus, and the bin mean picks up a first-order bias from
the θ-dependent radial weighting (≈ 2% of Γ on the network at R = 0.05); the default therefore takes,
in each bin, the intercept at r = R of a straight-line fit of v_θ/r against r − R (unbiased to first
order in w; identical in expectation to the mean for linear fields).

**Low-variance estimator** for isotropic constant noise D = T_q η: v = −η(Kq + E[N|q]∇ε) − D∇ln p, and
the last term is a gradient, so Γ = −∮ E[N | q] dε(q) exactly in continuous time.  Bin N at q_t, and

    Γ̂ = −Σ_k N̄_k [ε(R, θ_{k+1}) − ε(R, θ_k)],

with N̄_k the linear-fit intercept at r = R (bin means would be biased by up to 1.2·10⁻³ at R = 0.9,
T_q = T, where the exact value is 0).

**Standard error**: jackknife over G walker groups (walkers are independent; steps of one walker are
correlated, so groups of walkers are the independent units).

**Exact gyrator value.**  For q′ = Bq + ξ, B = I − ηA, ξ ~ N(0, Q), the stationary covariance solves
Σ = BΣBᵀ + Q, and the conditional mean increment at the midpoint is E[Δq | q̄] = Ω q̄ with

    Ω = ½(BΣ − ΣBᵀ) · [¼(2Σ + BΣ + ΣBᵀ)]⁻¹,       Γ = πR² (Ω₂₁ − Ω₁₂) / η.

Example (the exact value, and the estimator on a simulated chain):

>>> import numpy as np
>>> a = np.array([[8.0, 2.0], [2.0, 20.0]]); q = 1e-4 * np.array([[5.0, 1.0], [1.0, 1.0]])
>>> exact = gyrator_gamma(a, q, eta=0.01, radius=0.05)
>>> round(exact, 4)
-0.1352
>>> acc = CirculationAccumulator([Annulus(0.05, 0.0125)], n_walkers=2000)
>>> simulate_linear_chain(a, q, 0.01, 2000, 600, 100, np.random.default_rng(1), acc.add_increments)
>>> est = acc.stratonovich(0.01)[0]
>>> abs(est.gamma - exact) < 4.5 * est.se
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np
from scipy.linalg import solve_discrete_lyapunov

from derive.errors import InputError
from numerics.stats import jackknife  # the one jackknife (pooled="sum": per-group sums)

__all__ = [
    "Annulus",
    "GammaEstimate",
    "CirculationAccumulator",
    "jackknife",
    "midpoint_drift_matrix",
    "gyrator_gamma",
    "binned_expectation_linear",
    "simulate_linear_chain",
]

DEFAULT_BINS = 144  # binning bias ∝ 1/n²; at R = 0.05 it is 1.2% of Γ at 24 bins, 0.1% at 72, 0.03% at 144
DEFAULT_GROUPS = 20
MIN_BIN_COUNT = 50


@dataclass(frozen=True)
class Annulus:
    """The loop |q| = R and the annulus R ± halfwidth whose samples estimate it, in n_bins angular bins.

    >>> Annulus(0.05, 0.0125).n_bins
    144
    >>> Annulus(0.05, 0.06)
    Traceback (most recent call last):
    ...
    derive.errors.InputError: annulus needs 0 < halfwidth < R, got R=0.05, halfwidth=0.06
    """

    radius: float
    halfwidth: float
    n_bins: int = DEFAULT_BINS

    def __post_init__(self) -> None:
        if not (math.isfinite(self.radius) and math.isfinite(self.halfwidth) and 0 < self.halfwidth < self.radius):
            raise InputError(f"annulus needs 0 < halfwidth < R, got R={self.radius}, halfwidth={self.halfwidth}")
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, (int, np.integer)) or self.n_bins < 3:
            raise InputError(f"n_bins must be an integer >= 3, got {self.n_bins!r}")

    @property
    def bin_edges(self) -> np.ndarray:
        """Angles θ_0 = −π < θ_1 < ... < θ_n = π."""
        return np.linspace(-math.pi, math.pi, self.n_bins + 1)


@dataclass(frozen=True)
class GammaEstimate:
    """Γ with its jackknife standard error and the number of samples that entered it."""

    gamma: float
    se: float
    n_samples: int

    def __post_init__(self) -> None:
        if not math.isfinite(self.gamma) or not (math.isfinite(self.se) and self.se >= 0):
            raise InputError(f"GammaEstimate needs finite gamma and se >= 0, got {self.gamma}, {self.se}")
        if self.n_samples < 0:
            raise InputError(f"n_samples must be >= 0, got {self.n_samples}")

    def z(self, expected: float) -> float:
        """(Γ̂ − expected)/SE."""
        return (self.gamma - expected) / self.se if self.se > 0 else math.copysign(math.inf, self.gamma - expected)


class CirculationAccumulator:
    """Per-group, per-bin moments for the two estimators on several annuli at once.

    Walkers are assigned to G contiguous groups (walker w → group wG/W).  For each (group, bin) it keeps
    the count, Σd, Σd², Σy and Σy·d, where y is v_θ/r (Stratonovich) or N (conditional) and d = r − R.
    The value of y on the loop is then either the bin mean (``radial="mean"``, the experiment's estimator)
    or the intercept at d = 0 of a straight-line fit of y against d in the bin (``radial="linear"``),
    which removes the O(w²) bias that a y varying across the annulus, weighted by a density varying
    with θ, gives the bin mean.  For a linear field v_θ/r does not depend on r and both are unbiased.
    This is the one object that accumulates; the estimates are pure functions of its sums.
    """

    def __init__(self, annuli: Sequence[Annulus], n_walkers: int, n_groups: int = DEFAULT_GROUPS) -> None:
        if not annuli:
            raise InputError("at least one annulus is needed")
        if isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)) or n_groups < 2:
            raise InputError(f"n_groups must be an integer >= 2, got {n_groups!r}")
        if isinstance(n_walkers, bool) or not isinstance(n_walkers, (int, np.integer)) or n_walkers < n_groups:
            raise InputError(f"n_walkers must be an integer >= n_groups = {n_groups}, got {n_walkers!r}")
        self.annuli = tuple(annuli)
        self.n_groups = int(n_groups)
        self.n_walkers = int(n_walkers)
        self._group = (np.arange(n_walkers) * n_groups) // n_walkers
        self._outer = max(a.radius + a.halfwidth for a in annuli)
        self._inner = min(a.radius - a.halfwidth for a in annuli)
        # moments[i] has shape (5, G·n_bins): count, Σd, Σd², Σy, Σy·d
        self._v = [np.zeros((5, self.n_groups * a.n_bins)) for a in annuli]
        self._n = [np.zeros((5, self.n_groups * a.n_bins)) for a in annuli]
        self._binners: list["_StepBinner"] = []  # binners that may hold steps not yet in the sums

    def _binned(self, x: np.ndarray, y: np.ndarray):
        """Per annulus: the indices (into the points inside any annulus) of its points, their d = r − R and
        flat (group, bin) index."""
        r2 = x * x + y * y
        inside = np.flatnonzero((r2 < self._outer**2) & (r2 > self._inner**2))
        xs, ys = x[inside], y[inside]
        r = np.sqrt(r2[inside])
        theta = np.arctan2(ys, xs)
        grp = self._group[inside]
        for i, a in enumerate(self.annuli):
            d = r - a.radius
            sel = np.flatnonzero(np.abs(d) < a.halfwidth)
            b = ((theta[sel] + math.pi) * (a.n_bins / (2 * math.pi))).astype(np.int64)
            np.minimum(b, a.n_bins - 1, out=b)
            yield i, inside, sel, d[sel], grp[sel] * a.n_bins + b

    @staticmethod
    def _moment_sums(flat: np.ndarray, d: np.ndarray, ys: Sequence[np.ndarray], size: int) -> np.ndarray:
        """One bincount over the stacked moments: rows 1, d, d², then y, y·d for each y of ``ys``."""
        w = _moment_rows(d, 0.0, ys)  # d − 0 is d exactly
        rows = w.shape[0]
        idx = (flat + np.arange(0, rows * size, size)[:, None]).ravel()
        return np.bincount(idx, weights=w.ravel(), minlength=rows * size).reshape(rows, size)

    @classmethod
    def _accumulate(cls, moments: np.ndarray, flat: np.ndarray, d: np.ndarray, y: np.ndarray) -> None:
        moments += cls._moment_sums(flat, d, (y,), moments.shape[1])

    def add_increments(self, q0: np.ndarray, q1: np.ndarray, _n: Optional[np.ndarray] = None) -> None:
        """Add one step of every walker: Δq = q1 − q0 binned at the midpoint (Stratonovich)."""
        self._flush_binners()  # a binner's buffered steps come first
        mx, my = 0.5 * (q0[:, 0] + q1[:, 0]), 0.5 * (q0[:, 1] + q1[:, 1])
        v = None
        for i, inside, sel, d, flat in self._binned(mx, my):
            if v is None:
                xs, ys = mx[inside], my[inside]
                dx, dy = q1[inside, 0] - q0[inside, 0], q1[inside, 1] - q0[inside, 1]
                v = (xs * dy - ys * dx) / (xs * xs + ys * ys)
            self._accumulate(self._v[i], flat, d, v[sel])

    def add_conditional(self, q0: np.ndarray, _q1: np.ndarray, n: np.ndarray) -> None:
        """Add the neuron numbers N used at the states q0 (for Γ = −∮E[N|q]dε)."""
        self._flush_binners()
        nf = None
        for i, inside, sel, d, flat in self._binned(q0[:, 0], q0[:, 1]):
            if nf is None:
                nf = n[inside].astype(float)
            self._accumulate(self._n[i], flat, d, nf[sel])

    def add_both(self, q0: np.ndarray, q1: np.ndarray, n: np.ndarray) -> None:
        self.add_increments(q0, q1)
        self.add_conditional(q0, q1, n)

    def add_conditional_pair(self, q0: np.ndarray, n: np.ndarray, other: "CirculationAccumulator",
                             n_other: np.ndarray) -> None:
        """``self.add_conditional(q0, _, n)`` and ``other.add_conditional(q0, _, n_other)`` with q0 binned once
        (the same sums as the two calls; ``other`` must have the same annuli, walkers and groups)."""
        if other.annuli != self.annuli or other.n_groups != self.n_groups or other.n_walkers != self.n_walkers:
            raise InputError("add_conditional_pair needs two accumulators with the same annuli, walkers and groups")
        self._flush_binners()
        other._flush_binners()
        nf = nf_other = None
        for i, inside, sel, d, flat in self._binned(q0[:, 0], q0[:, 1]):
            if nf is None:
                nf, nf_other = n[inside].astype(float), n_other[inside].astype(float)
            # one bincount: count, Σd, Σd² (the same for both), Σy, Σy·d, Σy', Σy'·d
            sums = self._moment_sums(flat, d, (nf[sel], nf_other[sel]), self._n[i].shape[1])
            self._n[i] += sums[:5]
            mine = other._n[i]
            mine[:3] += sums[:3]
            mine[3:] += sums[5:]

    def binner(self, before: "CirculationAccumulator", steps: int = 16) -> "_StepBinner":
        """A per-step binner: ``binner.add(q0, q1, n_after, n_before)`` with (2, W) state rows is
        ``self.add_increments(q0.T, q1.T)`` and ``self.add_conditional_pair(q0.T, n_after, before, n_before)``,
        bitwise (see _StepBinner); it bins ``steps`` steps at a time (16: at 5000 networks 4 was slower and 64
        no faster), and ``binner.flush()`` (or an estimate or add on either accumulator) bins the rest."""
        return _StepBinner(self, before, steps)

    def _flush_binners(self) -> None:
        for b in self._binners:
            b.flush()

    def _per_group(self, moments: np.ndarray, a: Annulus) -> Optional[np.ndarray]:
        """(G, 5, n_bins) moments, or None if some bin has fewer than MIN_BIN_COUNT samples in total or
        none once a group is left out (a bin average from a handful of tail samples is not an estimate)."""
        per = moments.reshape(5, self.n_groups, a.n_bins).transpose(1, 0, 2)
        counts = per[:, 0]
        if counts.sum(axis=0).min() < MIN_BIN_COUNT:
            return None
        return None if ((counts.sum(axis=0) - counts) < 3).any() else per

    @staticmethod
    def _on_loop(tot: np.ndarray, radial: str) -> np.ndarray:
        """The value of y on the loop in each bin from pooled moments: bin mean or linear-fit intercept."""
        n, s1, s2, t0, t1 = tot
        if radial == "mean":
            return t0 / n
        return (s2 * t0 - s1 * t1) / (n * s2 - s1 * s1)

    def stratonovich(self, eta: float, radial: str = "linear") -> list[Optional[GammaEstimate]]:
        """Γ̂ = R² Σ_k ⟨v_θ/r⟩_k Δθ / η for each annulus (jackknife SE); None where a bin is too sparse.

        ⟨v_θ/r⟩_k is the value on the loop (default: linear-fit intercept at r = R; ``"mean"``: the bin
        mean of the experiment)."""
        if not (math.isfinite(eta) and eta > 0):
            raise InputError(f"eta must be > 0, got {eta!r}")
        _check_radial(radial)
        self._flush_binners()
        out: list[Optional[GammaEstimate]] = []
        for a, mom in zip(self.annuli, self._v):
            per = self._per_group(mom, a)
            if per is None:
                out.append(None)
                continue
            scale = a.radius**2 * (2 * math.pi / a.n_bins) / eta
            gam, se = jackknife(lambda tot: scale * float(self._on_loop(tot, radial).sum()), per, pooled="sum")
            out.append(GammaEstimate(gam, se, int(mom[0].sum())))
        return out

    def conditional(self, epsilon_on_loop: Callable[[float, np.ndarray], np.ndarray],
                    radial: str = "linear") -> list[Optional[GammaEstimate]]:
        """Γ̂ = −Σ_k N̄_k Δε_k for each annulus, where ``epsilon_on_loop(R, theta)`` = ε(R cos θ, R sin θ)
        and N̄_k is the value of E[N | q] on the loop in bin k (default: the linear-fit intercept, since
        E[N | q] varies across the annulus); None where a bin is too sparse."""
        _check_radial(radial)
        self._flush_binners()
        out: list[Optional[GammaEstimate]] = []
        for a, mom in zip(self.annuli, self._n):
            per = self._per_group(mom, a)
            if per is None:
                out.append(None)
                continue
            d_eps = np.diff(epsilon_on_loop(a.radius, a.bin_edges))
            gam, se = jackknife(lambda tot: -float((self._on_loop(tot, radial) * d_eps).sum()), per, pooled="sum")
            out.append(GammaEstimate(gam, se, int(mom[0].sum())))
        return out


class _StepBinner:
    """``acc.add_increments(q0.T, q1.T)`` and ``acc.add_conditional_pair(q0.T, n_after, before, n_before)`` for
    each step, with the state given as (2, W) rows (q₁, q₂), in a fraction of the NumPy calls.

    A step's ``add`` only finds the points inside the annuli (passes over all W networks) and gathers their
    values; every ``steps`` steps, and at ``flush``, the gathered points of the buffered steps are binned
    together.  About 8 % of the networks lie in the annuli, so a step's gathered arrays are a few hundred
    long and a per-step pass over them is mostly call overhead: the batch does each operation once.

    The sums are bitwise those of the per-step calls: every point enters the same (group, bin) cell with the
    same floating-point values (r² = x·x + y·y, r = √r², θ = atan2(y, x), d = r − R, the midpoint 0.5(q0 +
    q1), Δq = q1 − q0, v = (x·Δy − y·Δx)/r², N as a float, the bin ⌊(θ + π)·n/2π⌋ capped at n − 1).  The
    rows with non-integer values (Σd, Σd², Σv, Σy·d) are summed by one bincount per step, which adds each
    cell's points of that step in walker order, and added to the accumulator one step at a time, in step
    order, as the per-step calls did; the rows whose values are integers (the count, ΣN) are exact in any
    order and are summed over the whole batch at once (see _Batch).  Only the bookkeeping differs: which
    midpoints lie in the annuli is decided on s = q0 + q1 against the doubled radii (halving is exact, so it
    is the same set), the bin index is computed in floats (exact small integers), and an annulus that holds
    every gathered point skips the selection.

    The accumulators hold a step's sums only once the flush that bins it has run: their estimators and add
    methods flush first."""

    def __init__(self, acc: CirculationAccumulator, before: CirculationAccumulator, steps: int = 16) -> None:
        if before.annuli != acc.annuli or before.n_groups != acc.n_groups or before.n_walkers != acc.n_walkers:
            raise InputError("the binner needs two accumulators with the same annuli, walkers and groups")
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
            raise InputError(f"steps must be an integer >= 1, got {steps!r}")
        self.acc, self.before, self.steps = acc, before, int(steps)
        w = acc.n_walkers
        self.outer2, self.inner2 = acc._outer**2, acc._inner**2
        self.qs = np.empty((2, w))
        self.r2 = np.empty(w)
        self.sq = np.empty(w)
        self.lo = np.empty(w, dtype=bool)
        self.hi = np.empty(w, dtype=bool)
        self.grp = acc._group.astype(float)
        self.n_bins = sorted({a.n_bins for a in acc.annuli})
        self._mid: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per step: indices, q0 + q1, Δq
        self._cond: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # indices, q0, N after, before
        acc._binners.append(self)
        before._binners.append(self)

    def _inside(self, x: np.ndarray, y: np.ndarray, scale2: float) -> np.ndarray:
        """The indices with inner² < (x·x + y·y)/scale2 < outer² (as _binned; scale2 is 1 or 4, exact)."""
        r2, sq, lo, hi = self.r2, self.sq, self.lo, self.hi
        np.multiply(x, x, out=r2)
        np.multiply(y, y, out=sq)
        r2 += sq
        np.less(r2, self.outer2 * scale2, out=lo)
        np.greater(r2, self.inner2 * scale2, out=hi)
        lo &= hi
        return np.flatnonzero(lo)

    def add(self, q0: np.ndarray, q1: np.ndarray, n_after: np.ndarray, n_before: np.ndarray) -> None:
        """q0, q1: (2, W) rows of the state before/after the learning step; N after/before the exchange at q0.
        Gathers the step's points in the annuli; bins them with the buffered steps every ``steps`` steps."""
        # Stratonovich: the midpoints (q0 + q1)/2, found on q0 + q1 against the doubled radii
        qs = np.add(q0, q1, out=self.qs)
        inside = self._inside(qs[0], qs[1], 4.0)
        dq = q1.take(inside, axis=1)
        dq -= q0.take(inside, axis=1)
        self._mid.append((inside, qs.take(inside, axis=1), dq))
        # the conditional pair: the state before the step
        inside = self._inside(q0[0], q0[1], 1.0)
        self._cond.append((inside, q0.take(inside, axis=1), n_after.take(inside), n_before.take(inside)))
        if len(self._mid) == self.steps:
            self.flush()

    def flush(self) -> None:
        """Bin the buffered steps into the accumulators."""
        if not self._mid:
            return
        acc, before = self.acc, self.before
        mid, cond, self._mid, self._cond = self._mid, self._cond, [], []
        # Stratonovich: y = v_θ/r at the midpoints
        step, idx = self._points([m[0] for m in mid])
        x, y = np.concatenate([m[1] for m in mid], axis=1)
        x *= 0.5
        y *= 0.5
        dx, dy = np.concatenate([m[2] for m in mid], axis=1)
        r2, r, flats = self._flat(x, y, self.grp.take(idx))
        v = np.multiply(x, dy)
        v -= np.multiply(y, dx)
        v /= r2
        for i, a in enumerate(acc.annuli):
            m = acc._v[i]
            size = m.shape[1]
            batch = _Batch(r - a.radius, a.halfwidth, flats[a.n_bins], step, len(mid))
            m[0] += batch.exact_sums((), size)[0]
            for sums in batch.step_sums((v,), (v,), size):
                m[1:] += sums  # Σd, Σd², Σv, Σv·d
        # the conditional pair: y = N after and before the exchange at q0
        step, idx = self._points([c[0] for c in cond])
        x, y = np.concatenate([c[1] for c in cond], axis=1)
        _, r, flats = self._flat(x, y, self.grp.take(idx))
        na = np.concatenate([c[2] for c in cond]).astype(float)
        nbf = np.concatenate([c[3] for c in cond]).astype(float)
        for i, a in enumerate(acc.annuli):
            mine, other = acc._n[i], before._n[i]
            size = mine.shape[1]
            batch = _Batch(r - a.radius, a.halfwidth, flats[a.n_bins], step, len(cond))
            count, s_a, s_b = batch.exact_sums((na, nbf), size)
            mine[0] += count
            mine[3] += s_a
            other[0] += count
            other[3] += s_b
            for sums in batch.step_sums((), (na, nbf), size):  # Σd, Σd², ΣN·d, ΣN′·d
                mine[1:3] += sums[:2]
                mine[4] += sums[2]
                other[1:3] += sums[:2]
                other[4] += sums[3]

    @staticmethod
    def _points(indices: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The step number and the walker index of every gathered point of the buffered steps."""
        return np.repeat(np.arange(len(indices)), [i.size for i in indices]), np.concatenate(indices)

    def _flat(self, x: np.ndarray, y: np.ndarray, grp: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
        """r², r and, per n_bins, the flat (group, bin) index in floats of the gathered points."""
        r2 = np.multiply(x, x)
        r2 += y * y
        r = np.sqrt(r2)
        t = np.arctan2(y, x)
        t += math.pi
        flats = {}
        for nb in self.n_bins:
            b = np.multiply(t, nb / (2 * math.pi))
            np.trunc(b, out=b)  # θ + π ≥ 0: trunc is the int64 cast of _binned
            np.minimum(b, nb - 1, out=b)
            b += grp * nb  # group·n_bins + bin, exact in floats
            flats[nb] = b
        return r2, r, flats


class _Batch:
    """The gathered points of several steps that lie in one annulus (|d| < halfwidth), in step order and in
    walker order within a step, with their flat (group, bin) cell; sums of weights per cell.

    Sums of integers (the count, ΣN: far below 2⁵³) are exact in any order, so they are summed over the whole
    batch at once (``exact_sums``); the other rows are summed step by step, each step's points in walker
    order (``step_sums``), so that the accumulator adds them one step at a time as the per-step calls did."""

    def __init__(self, d: np.ndarray, halfwidth: float, flat: np.ndarray, step: np.ndarray, n_steps: int) -> None:
        keep = np.abs(d) < halfwidth
        if np.count_nonzero(keep) != d.size:
            sel = np.flatnonzero(keep)
            d, flat, step = d[sel], flat[sel], step[sel]
            self.sel: Optional[np.ndarray] = sel
        else:
            self.sel = None
        self.d = d
        self.cell = flat.astype(np.intp)
        self.bounds = np.searchsorted(step, np.arange(n_steps + 1))  # step t: points bounds[t]:bounds[t+1]

    def _kept(self, y: np.ndarray) -> np.ndarray:
        return y if self.sel is None else y[self.sel]

    def exact_sums(self, ys: Sequence[np.ndarray], size: int) -> np.ndarray:
        """(1 + len(ys), size): the count and Σy per cell over all the batch's points (integer-valued sums)."""
        k = 1 + len(ys)
        idx = np.add.outer(np.arange(0, k * size, size), self.cell).ravel()
        w = np.empty((k, self.d.size))
        w[0] = 1.0
        for j, y in enumerate(ys):
            w[1 + j] = self._kept(y)
        return np.bincount(idx, weights=w.ravel(), minlength=k * size).reshape(k, size)

    def step_sums(self, ys: Sequence[np.ndarray], yds: Sequence[np.ndarray], size: int):
        """Per step with points, in step order: the (k, size) sums per cell of the rows d, d², each y of ``ys``,
        y·d for each y of ``yds``.  The weights are laid out (point, row), so that a step's points are one
        contiguous block (a point's rows go to distinct cells, so the order within it does not matter)."""
        d = self.d
        k = 2 + len(ys) + len(yds)
        w = np.empty((d.size, k))
        w[:, 0] = d
        np.multiply(d, d, out=w[:, 1])
        for j, y in enumerate(ys):
            w[:, 2 + j] = self._kept(y)
        for j, y in enumerate(yds):
            np.multiply(self._kept(y), d, out=w[:, 2 + len(ys) + j])
        idx = np.empty((d.size, k), dtype=np.intp)
        for j in range(k):
            np.add(self.cell, j * size, out=idx[:, j])  # row j of a point into cell j·size + flat
        b = self.bounds
        for t in range(b.size - 1):
            lo, hi = b[t], b[t + 1]
            if hi > lo:  # a step without points would add +0.0 to every cell, which changes no sum
                yield np.bincount(idx[lo:hi].ravel(), weights=w[lo:hi].ravel(), minlength=k * size).reshape(k, size)


def _moment_rows(r: np.ndarray, radius: float, ys: Sequence[np.ndarray]) -> np.ndarray:
    """The weight rows of one stacked bincount: 1, d, d², then y, y·d for each y of ``ys``, d = r − radius
    (y as float64, as ``y.astype(float)`` gives it)."""
    w = np.empty((3 + 2 * len(ys), r.size))
    w[0] = 1.0
    d = np.subtract(r, radius, out=w[1])
    np.multiply(d, d, out=w[2])
    for k, y in enumerate(ys):
        w[3 + 2 * k] = y
        np.multiply(w[3 + 2 * k], d, out=w[4 + 2 * k])
    return w


def _check_radial(radial: str) -> None:
    if radial not in ("mean", "linear"):
        raise InputError(f"radial must be 'mean' or 'linear', got {radial!r}")


def _stationary(a: np.ndarray, q: np.ndarray, eta: float) -> tuple[np.ndarray, np.ndarray]:
    a, q = np.asarray(a, dtype=float), np.asarray(q, dtype=float)
    if a.shape != (2, 2) or q.shape != (2, 2):
        raise InputError(f"A and Q must be 2x2, got {a.shape} and {q.shape}")
    if not (math.isfinite(eta) and eta > 0):
        raise InputError(f"eta must be > 0, got {eta!r}")
    b = np.eye(2) - eta * a
    if np.max(np.abs(np.linalg.eigvals(b))) >= 1.0:
        raise InputError("the linear chain q' = (I - eta A) q + xi is unstable (spectral radius >= 1)")
    if not np.allclose(q, q.T) or np.linalg.eigvalsh(q).min() <= 0:
        raise InputError("the noise covariance Q must be symmetric positive definite")
    return b, solve_discrete_lyapunov(b, q)


def midpoint_drift_matrix(a: np.ndarray, q: np.ndarray, eta: float) -> np.ndarray:
    """Ω with E[q_{t+1} − q_t | midpoint q̄] = Ω q̄ for the stationary chain q′ = (I − ηA)q + ξ."""
    b, sigma = _stationary(a, q, eta)
    cov_dm = 0.5 * (b @ sigma - sigma @ b.T)
    cov_m = 0.25 * (2 * sigma + b @ sigma + sigma @ b.T)
    return cov_dm @ np.linalg.inv(cov_m)


def gyrator_gamma(a: np.ndarray, q: np.ndarray, eta: float, radius: float) -> float:
    """The exact Brownian-gyrator circulation Γ = πR²(Ω₂₁ − Ω₁₂)/η (0 when A and Q commute).

    >>> round(gyrator_gamma(np.diag([1.0, 2.0]), np.diag([1e-4, 3e-4]), 0.01, 0.5), 12)
    0.0
    """
    om = midpoint_drift_matrix(a, q, eta)
    return math.pi * radius**2 * float(om[1, 0] - om[0, 1]) / eta


def binned_expectation_linear(a: np.ndarray, q: np.ndarray, eta: float, annulus: Annulus,
                              n_quad: int = 16) -> float:
    """The large-sample limit of the Stratonovich estimator on the linear chain, bins and annulus included.

    Each bin average converges to ∫_bin (ê_θᵀΩê_r) w(θ) dθ / ∫_bin w(θ) dθ, where w(θ) = ∫ p_m(r, θ) r dr
    over the annulus and p_m = N(0, Σ_m) is the midpoint law.  The difference from
    :func:`gyrator_gamma` is the binning bias (Gauss–Legendre quadrature, n_quad points per bin and
    in r).
    """
    b, sigma = _stationary(a, q, eta)
    om = midpoint_drift_matrix(a, q, eta)
    prec = np.linalg.inv(0.25 * (2 * sigma + b @ sigma + sigma @ b.T))
    x, wq = np.polynomial.legendre.leggauss(n_quad)
    r = annulus.radius + annulus.halfwidth * x
    edges = annulus.bin_edges
    total = 0.0
    for k in range(annulus.n_bins):
        lo, hi = edges[k], edges[k + 1]
        th = 0.5 * (lo + hi) + 0.5 * (hi - lo) * x
        c, s = np.cos(th), np.sin(th)
        f = -s * (om[0, 0] * c + om[0, 1] * s) + c * (om[1, 0] * c + om[1, 1] * s)  # ê_θᵀ Ω ê_r
        quad = prec[0, 0] * c * c + 2 * prec[0, 1] * c * s + prec[1, 1] * s * s
        dens = np.exp(-0.5 * np.outer(r**2, quad)) * r[:, None]  # (r, θ)
        w = wq @ dens  # ∫ p_m r dr (up to constants) at each θ node
        total += float((wq * w * f).sum() / (wq * w).sum())
    return annulus.radius**2 * total * (2 * math.pi / annulus.n_bins) / eta


def simulate_linear_chain(a: np.ndarray, q: np.ndarray, eta: float, n_walkers: int, n_steps: int, burn_in: int,
                          rng: np.random.Generator, observe: Callable[[np.ndarray, np.ndarray], None]) -> None:
    """Run W walkers of q′ = (I − ηA)q + ξ, ξ ~ N(0, Q), from the stationary law; call
    ``observe(q_t, q_{t+1})`` after each of the last n_steps − burn_in steps."""
    b, sigma = _stationary(a, q, eta)
    for name, v, lo in (("n_walkers", n_walkers, 1), ("n_steps", n_steps, 1), ("burn_in", burn_in, 0)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise InputError(f"{name} must be an integer >= {lo}, got {v!r}")
    if burn_in >= n_steps:
        raise InputError(f"burn_in must be < n_steps, got {burn_in} >= {n_steps}")
    lq = np.linalg.cholesky(q)
    x = rng.standard_normal((n_walkers, 2)) @ np.linalg.cholesky(sigma).T
    bt, lqt = b.T, lq.T
    for t in range(n_steps):
        x_new = x @ bt + rng.standard_normal((n_walkers, 2)) @ lqt
        if t >= burn_in:
            observe(x, x_new)
        x = x_new
