"""Statistical verdicts: a sampled estimate against the value an identity predicts.

A cross-check states a statistic with its expected value under the identity, a standard
error SE, the z-score

    z = (estimate − expected) / SE,

and a threshold z* chosen from the false-alarm rate accepted over the *whole* suite.  With k checks,
each treated as a two-sided normal test, Bonferroni gives

    z* = Φ⁻¹(1 − α / (2k)),

so the probability that any correct check raises a false alarm is at most α = 10⁻³; k is the length of
the check registry (:mod:`numerics.checks`), never a number typed in.  A verdict passes iff |z| < z* *and* its
power check detected the planted error (|z_planted| ≥ z*): a check that cannot see a planted error of
stated size is not evidence.

Standard errors come from independent replicas: chains, walkers, or groups of them (jackknife, batch
means).  A check that samples nothing (grid windings, pathwise identities, a split-step residual) is not
a statistic: it gives a :class:`DeterministicVerdict`, its residual against a stated tolerance and
the residual of its own planted error, next to the numerical error estimate of the method.

>>> v = make_verdict(identity="dF/dq = <dH/dq>", step="canonical.force", statistic="mean",
...                  estimate=1.01, expected=1.0, stderr=0.01, n_samples=400, seed=0,
...                  planted="beta' = 1.1 beta", planted_z=-20.0, threshold=suite_threshold(20))
>>> round(v.z, 9), v.passed, v.power.detected
(1.0, True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special
from scipy import stats as _sps

from derive.errors import InputError
from numerics.validate import check_int, check_real

__all__ = [
    "DEFAULT_FALSE_ALARM",
    "PowerCheck",
    "StatVerdict",
    "PlantedResidual",
    "DeterministicVerdict",
    "suite_threshold",
    "z_score",
    "p_value",
    "make_verdict",
    "rate_upper",
    "mean_se",
    "batch_means_se",
    "jackknife",
    "ratio_se",
    "probit_upper",
]

#: False-alarm probability accepted for the whole cross-check suite (any correct check failing).
DEFAULT_FALSE_ALARM = 1e-3
_finite = check_real


def suite_threshold(n_checks: int, false_alarm: float = DEFAULT_FALSE_ALARM) -> float:
    """Two-sided Bonferroni threshold z* = Φ⁻¹(1 − α/(2k)) for k checks at suite false-alarm rate α.

    >>> round(suite_threshold(20), 3)
    4.056
    >>> round(suite_threshold(1, 1e-3), 3)
    3.291
    """
    alpha = _finite("false_alarm", false_alarm)
    if not 0.0 < alpha < 1.0:
        raise InputError(f"false_alarm must be in (0, 1), got {false_alarm!r}")
    k = check_int("n_checks", n_checks, 1)
    # ndtri(1 - x) loses precision for tiny x; -ndtri(x) is the same quantile, exactly.
    return float(-special.ndtri(alpha / (2.0 * k)))


def p_value(z: float) -> float:
    """Two-sided normal p-value 2Φ(−|z|) of a z-score.

    >>> round(p_value(1.959964), 4), p_value(0.0)
    (0.05, 1.0)
    """
    return float(2.0 * special.ndtr(-abs(_finite("z", z))))


def rate_upper(k: int, n: int, confidence: float = 0.95) -> float:
    """One-sided Clopper–Pearson upper bound of a rate after k events in n trials.

    >>> round(rate_upper(0, 200), 4)
    0.0149
    """
    k = check_int("k", k, 0)
    n = check_int("n", n, 1)
    if k > n:
        raise InputError(f"k must be <= n, got k = {k}, n = {n}")
    return 1.0 if k == n else float(_sps.beta.ppf(confidence, k + 1, n - k))


def z_score(estimate: float, expected: float, stderr: float) -> float:
    """z = (estimate − expected)/SE; SE must be > 0.

    >>> z_score(3.0, 1.0, 0.5)
    4.0
    """
    se = _finite("stderr", stderr)
    if se <= 0.0:
        raise InputError(f"stderr must be > 0, got {stderr!r}")
    return (_finite("estimate", estimate) - _finite("expected", expected)) / se


def probit_upper(p_value: float) -> float:
    """z = Φ⁻¹(1 − p): maps a p-value that is U(0,1) under the null to a N(0,1) z-score (one-sided).

    >>> abs(probit_upper(0.5)) < 1e-12, round(probit_upper(0.025), 3)
    (True, 1.96)
    """
    p = _finite("p_value", p_value)
    if not 0.0 <= p <= 1.0:
        raise InputError(f"p_value must be in [0, 1], got {p_value!r}")
    # Clip so that p = 0 (underflow of a very small p-value) gives a large finite z, not inf.
    p = min(max(p, 1e-300), 1.0 - 1e-16)
    return float(-special.ndtri(p))


@dataclass(frozen=True)
class PowerCheck:
    """The planted error of a cross-check, the z it produced, and whether it crossed the threshold."""

    planted: str
    z: float
    detected: bool

    def __post_init__(self) -> None:
        if not isinstance(self.planted, str) or not self.planted.strip():
            raise InputError("planted must be a non-empty description of the planted error")
        object.__setattr__(self, "z", _finite("power z", self.z))
        if not isinstance(self.detected, (bool, np.bool_)):
            raise InputError(f"detected must be a bool, got {self.detected!r}")
        object.__setattr__(self, "detected", bool(self.detected))

    def to_json(self) -> dict:
        return {"planted": self.planted, "z": self.z, "detected": self.detected}


@dataclass(frozen=True)
class StatVerdict:
    """One statistical cross-check of one identity.

    Invariants enforced here so that a verdict cannot lie: SE > 0, z = (estimate − expected)/SE,
    ``power.detected`` iff |z_planted| ≥ threshold, and ``passed`` iff |z| < threshold and the
    planted error was detected.
    """

    identity: str
    step: str
    statistic: str
    estimate: float
    expected: float
    stderr: float
    z: float
    threshold: float
    n_samples: int
    seed: int
    passed: bool
    power: PowerCheck

    def __post_init__(self) -> None:
        for name in ("identity", "step", "statistic"):
            val = getattr(self, name)
            if not isinstance(val, str) or not val.strip():
                raise InputError(f"{name} must be a non-empty string, got {val!r}")
        for name in ("estimate", "expected", "stderr", "z", "threshold"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        if self.stderr <= 0.0:
            raise InputError(f"stderr must be > 0, got {self.stderr!r}")
        if self.threshold <= 0.0:
            raise InputError(f"threshold must be > 0, got {self.threshold!r}")
        for name, low in (("n_samples", 1), ("seed", 0)):
            val = getattr(self, name)
            if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < low:
                raise InputError(f"{name} must be an integer >= {low}, got {val!r}")
            object.__setattr__(self, name, int(val))
        if not isinstance(self.power, PowerCheck):
            raise InputError("power must be a PowerCheck")
        z_expected = (self.estimate - self.expected) / self.stderr
        if not math.isclose(self.z, z_expected, rel_tol=1e-9, abs_tol=1e-9):
            raise InputError(f"z = {self.z!r} is not (estimate - expected)/stderr = {z_expected!r}")
        if self.power.detected != (abs(self.power.z) >= self.threshold):
            raise InputError("power.detected must equal |power.z| >= threshold")
        ok = abs(self.z) < self.threshold and self.power.detected
        if bool(self.passed) != ok:
            raise InputError("passed must equal (|z| < threshold and power.detected)")
        object.__setattr__(self, "passed", bool(self.passed))

    kind = "statistical"

    @property
    def p_value(self) -> float:
        """Two-sided normal p-value of z."""
        return p_value(self.z)

    def to_json(self) -> dict:
        """The keys of the ``eqnn crosscheck --json`` contract, in that order, then kind and p."""
        return {
            "identity": self.identity,
            "step": self.step,
            "statistic": self.statistic,
            "estimate": self.estimate,
            "expected": self.expected,
            "stderr": self.stderr,
            "z": self.z,
            "threshold": self.threshold,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "passed": self.passed,
            "power": self.power.to_json(),
            "kind": self.kind,
            "p_value": self.p_value,
        }

    def describe(self) -> str:
        """One line saying what was compared and, on failure, what differed."""
        status = "pass" if self.passed else "FAIL"
        line = (f"{status} {self.step}: {self.identity}: estimate {self.estimate:.6g} vs expected "
                f"{self.expected:.6g} (SE {self.stderr:.3g}, z {self.z:+.2f}, |z*| {self.threshold:.2f}); "
                f"planted '{self.power.planted}' z {self.power.z:+.3g}")
        if not self.power.detected:
            line += " NOT DETECTED"
        return line


@dataclass(frozen=True)
class PlantedResidual:
    """The planted error of a deterministic check: the residual it produced and whether it exceeded the
    tolerance.  ``z`` is that residual in units of the tolerance (a margin, not a z-score; it lets
    readers of :class:`PowerCheck` show both kinds)."""

    planted: str
    residual: float
    tolerance: float

    def __post_init__(self) -> None:
        if not isinstance(self.planted, str) or not self.planted.strip():
            raise InputError("planted must be a non-empty description of the planted error")
        object.__setattr__(self, "residual", _finite("planted residual", self.residual))
        object.__setattr__(self, "tolerance", _finite("tolerance", self.tolerance))
        if self.tolerance <= 0:
            raise InputError(f"tolerance must be > 0, got {self.tolerance!r}")

    @property
    def detected(self) -> bool:
        return abs(self.residual) > self.tolerance

    @property
    def z(self) -> float:
        return abs(self.residual) / self.tolerance

    def to_json(self) -> dict:
        return {"planted": self.planted, "residual": self.residual, "detected": self.detected}


@dataclass(frozen=True)
class DeterministicVerdict:
    """A check that samples nothing: its residual against a stated tolerance.

    ``error_estimate`` is the method's own estimate of its numerical error (Richardson, roundoff bound);
    it must lie below the tolerance, or the check cannot resolve it.  ``passed`` iff residual ≤ tolerance,
    error_estimate ≤ tolerance and the planted error's residual exceeds the tolerance.  The seed is
    recorded but does not enter.  ``estimate``, ``expected``, ``stderr``, ``z`` and ``threshold`` are the
    residual, 0, the tolerance, residual/tolerance and 1, so that tables made for
    :class:`StatVerdict` can show both (``kind`` tells them apart).

    >>> v = DeterministicVerdict(identity="W + J = dF", step="multivalued.driven-loop", statistic="max |W + J - dF|",
    ...                          residual=1e-14, error_estimate=1e-13, tolerance=1e-9, n_samples=10, seed=0,
    ...                          power=PlantedResidual("jumps ignored", 0.3, 1e-9))
    >>> v.passed, v.power.detected, v.kind
    (True, True, 'deterministic')
    """

    identity: str
    step: str
    statistic: str
    residual: float
    error_estimate: float
    tolerance: float
    n_samples: int
    seed: int
    power: PlantedResidual

    kind = "deterministic"
    expected = 0.0
    threshold = 1.0
    p_value = None

    def __post_init__(self) -> None:
        for name in ("identity", "step", "statistic"):
            val = getattr(self, name)
            if not isinstance(val, str) or not val.strip():
                raise InputError(f"{name} must be a non-empty string, got {val!r}")
        for name in ("residual", "error_estimate", "tolerance"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        if self.residual < 0 or self.error_estimate < 0:
            raise InputError(f"residual and error_estimate must be >= 0, got {self.residual}, {self.error_estimate}")
        if self.tolerance <= 0:
            raise InputError(f"tolerance must be > 0, got {self.tolerance!r}")
        object.__setattr__(self, "n_samples", check_int("n_samples", self.n_samples, 1))
        object.__setattr__(self, "seed", check_int("seed", self.seed, 0))
        if not isinstance(self.power, PlantedResidual) or self.power.tolerance != self.tolerance:
            raise InputError("power must be a PlantedResidual against the same tolerance")

    @property
    def passed(self) -> bool:
        return self.residual <= self.tolerance and self.error_estimate <= self.tolerance and self.power.detected

    @property
    def estimate(self) -> float:
        return self.residual

    @property
    def stderr(self) -> float:
        return self.tolerance

    @property
    def z(self) -> float:
        return self.residual / self.tolerance

    def to_json(self) -> dict:
        return {"identity": self.identity, "step": self.step, "statistic": self.statistic, "kind": self.kind,
                "residual": self.residual, "error_estimate": self.error_estimate, "tolerance": self.tolerance,
                "n_samples": self.n_samples, "seed": self.seed, "passed": self.passed, "power": self.power.to_json()}

    def describe(self) -> str:
        status = "pass" if self.passed else "FAIL"
        return (f"{status} {self.step}: {self.identity}: residual {self.residual:.3g} vs tolerance {self.tolerance:.3g} "
                f"(numerical error {self.error_estimate:.3g}); planted '{self.power.planted}' residual "
                f"{self.power.residual:.3g}" + ("" if self.power.detected else " NOT DETECTED"))


def make_verdict(*, identity: str, step: str, statistic: str, estimate: float, expected: float,
                 stderr: float, n_samples: int, seed: int, planted: str, planted_z: float,
                 threshold: float) -> StatVerdict:
    """Build a :class:`StatVerdict`, computing z, pass and detection from the numbers."""
    thr = _finite("threshold", threshold)
    z = z_score(estimate, expected, stderr)
    pz = _finite("planted_z", planted_z)
    power = PowerCheck(planted=planted, z=pz, detected=abs(pz) >= thr)
    return StatVerdict(identity=identity, step=step, statistic=statistic, estimate=float(estimate),
                       expected=float(expected), stderr=float(stderr), z=z, threshold=thr,
                       n_samples=n_samples, seed=seed, passed=abs(z) < thr and power.detected,
                       power=power)


def _as_samples(x, name: str = "x", min_len: int = 2) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim == 0 or a.shape[0] < min_len:
        raise InputError(f"{name} must hold at least {min_len} samples along axis 0, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name} must be finite")
    return a


def mean_se(x) -> tuple[float, float]:
    """Mean and SE sd/√n of independent replicas (axis 0).

    >>> mean_se([1.0, 2.0, 3.0])
    (2.0, 0.5773502691896258)
    """
    a = _as_samples(x)
    return float(a.mean()), float(a.std(ddof=1) / math.sqrt(a.shape[0]))


def batch_means_se(x, n_batches: int = 20) -> tuple[float, float]:
    """Mean and batch-means SE of a correlated series: split into ``n_batches`` contiguous batches.

    Valid when each batch is much longer than the autocorrelation time; leftover samples at the end
    are dropped from the SE (not from the mean).

    >>> m, se = batch_means_se(np.arange(100.0), 4)
    >>> m
    49.5
    """
    a = _as_samples(x).ravel()
    n_batches = check_int("n_batches", n_batches, 2)
    size = a.size // n_batches
    if size < 1:
        raise InputError(f"need at least n_batches = {n_batches} samples, got {a.size}")
    means = a[: size * n_batches].reshape(n_batches, size).mean(axis=1)
    return float(a.mean()), float(means.std(ddof=1) / math.sqrt(n_batches))


def jackknife(estimator: Callable[[np.ndarray], float], groups, n_groups: int | None = None, *,
              pooled: str = "mean") -> tuple[float, float]:
    """Delete-one-group jackknife of a (possibly nonlinear) estimator: the package's one jackknife.

    ``groups`` has shape (G, ...): per-group sufficient statistics.  With ``pooled="mean"`` the
    estimator receives an array of shape (G', ...) and *averages over axis 0* itself before combining
    nonlinearly (e.g. per-walker moments); with ``pooled="sum"`` it receives the sum over the kept groups
    (shape (...), e.g. per-bin counts and sums).  If ``n_groups`` is given, the rows are first pooled into
    that many contiguous groups of equal size.  Returns (estimate on all data, SE
    √((G−1)/G Σ (θ_{−g} − θ̄)²)).

    >>> est, se = jackknife(lambda m: m[:, 0].mean() / m[:, 1].mean(), np.c_[np.arange(1., 9), np.ones(8)])
    >>> est
    4.5
    >>> x = np.stack([np.arange(20.0), np.ones(20)], axis=1)   # (value, count) per group
    >>> est, se = jackknife(lambda s: s[0] / s[1], x, pooled="sum")
    >>> float(est), round(se, 4), round(float(np.arange(20.0).std(ddof=1) / np.sqrt(20)), 4)
    (9.5, 1.3229, 1.3229)
    """
    if pooled not in ("mean", "sum"):
        raise InputError(f"pooled must be 'mean' or 'sum', got {pooled!r}")
    if pooled == "sum":
        a = np.asarray(groups, dtype=float)
        g = a.shape[0] if a.ndim else 0
        if g < 2:
            raise InputError(f"the jackknife needs >= 2 groups, got {g}")
        total = a.sum(axis=0)
        loo = np.array([float(estimator(total - a[i])) for i in range(g)])
        return float(estimator(total)), math.sqrt((g - 1) / g * float(np.sum((loo - loo.mean()) ** 2)))
    a = _as_samples(groups, "groups")
    if n_groups is not None:
        n_groups = check_int("n_groups", n_groups, 2)
        if a.shape[0] < n_groups:
            raise InputError(f"need at least n_groups = {n_groups} rows, got {a.shape[0]}")
        size = a.shape[0] // n_groups
        a = a[: size * n_groups].reshape((n_groups, size) + a.shape[1:]).mean(axis=1)
    g = a.shape[0]
    full = float(estimator(a))
    total = a.sum(axis=0)
    # Leave-one-out means without re-summing: (total - a_i)/(g - 1).
    loo = np.array([float(estimator(((total - a[i]) / (g - 1))[None, ...])) for i in range(g)])
    se = math.sqrt((g - 1) / g * float(np.sum((loo - loo.mean()) ** 2)))
    return full, se


def ratio_se(num, den) -> tuple[float, float]:
    """Ratio of means r = ⟨a⟩/⟨b⟩ over independent replicas, with delta-method SE sd(a − r b)/(√n |⟨b⟩|).

    >>> ratio_se([2.0, 4.0, 6.0], [1.0, 2.0, 3.0])
    (2.0, 0.0)
    """
    a = _as_samples(num, "num")
    b = _as_samples(den, "den")
    if a.shape != b.shape:
        raise InputError(f"num and den must have the same shape, got {a.shape} and {b.shape}")
    mb = float(b.mean())
    if mb == 0.0:
        raise InputError("den must have a nonzero mean")
    r = float(a.mean()) / mb
    se = float(np.std(a - r * b, ddof=1) / (math.sqrt(a.shape[0]) * abs(mb)))
    return r, se

