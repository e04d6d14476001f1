"""Statistical verdicts: a sampled estimate against the value an identity predicts.

A cross-check (design.md §3) states a statistic with its expected value under the identity, a standard
error SE, the z-score

    z = (estimate − expected) / SE,

and a threshold z* chosen from the false-alarm rate accepted over the *whole* suite.  With k checks,
each treated as a two-sided normal test, Bonferroni gives

    z* = Φ⁻¹(1 − α / (2k)),

so the probability that any correct check raises a false alarm is at most α.  The default α = 10⁻³
over the k = 21 checks of the suite gives z* ≈ 4.07 (k = 20: 4.06; k = 100: 4.42).  A verdict passes iff |z| < z* *and* its
power check detected the planted error (|z_planted| ≥ z*): a check that cannot see a planted error of
stated size is not evidence.

Standard errors come from independent replicas: chains, walkers, or groups of them (jackknife, batch
means).  Deterministic checks (grid windings, pathwise identities) use a stated roundoff or
resolution estimate instead; the statistic text says which.

>>> v = make_verdict(identity="dF/dq = <dH/dq>", step="canonical.force", statistic="mean",
...                  estimate=1.01, expected=1.0, stderr=0.01, n_samples=400, seed=0,
...                  planted="beta' = 1.1 beta", planted_z=-20.0, threshold=4.0)
>>> round(v.z, 9), v.passed, v.power.detected
(1.0, True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special

from derive.errors import InputError

__all__ = [
    "DEFAULT_FALSE_ALARM",
    "DEFAULT_N_CHECKS",
    "PowerCheck",
    "StatVerdict",
    "suite_threshold",
    "z_score",
    "make_verdict",
    "mean_se",
    "batch_means_se",
    "jackknife",
    "ratio_se",
    "probit_upper",
]

#: False-alarm probability accepted for the whole cross-check suite (any correct check failing).
DEFAULT_FALSE_ALARM = 1e-3
#: Number of checks the default threshold is Bonferroni-corrected for (crosscheck_checks.CHECKS has 21).
DEFAULT_N_CHECKS = 21


def _finite(name: str, x: float) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {x!r}") from None
    if not math.isfinite(x):
        raise InputError(f"{name} must be finite, got {x!r}")
    return x


def suite_threshold(false_alarm: float = DEFAULT_FALSE_ALARM, n_checks: int = DEFAULT_N_CHECKS) -> float:
    """Two-sided Bonferroni threshold z* = Φ⁻¹(1 − α/(2k)) for k checks at suite false-alarm rate α.

    >>> round(suite_threshold(1e-3, 20), 3)
    4.056
    >>> round(suite_threshold(1e-3, 1), 3)
    3.291
    """
    alpha = _finite("false_alarm", false_alarm)
    if not 0.0 < alpha < 1.0:
        raise InputError(f"false_alarm must be in (0, 1), got {false_alarm!r}")
    if isinstance(n_checks, bool) or not isinstance(n_checks, (int, np.integer)) or n_checks < 1:
        raise InputError(f"n_checks must be an integer >= 1, got {n_checks!r}")
    # ndtri(1 - x) loses precision for tiny x; -ndtri(x) is the same quantile, exactly.
    return float(-special.ndtri(alpha / (2.0 * int(n_checks))))


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
    """One statistical cross-check of one identity (design.md §3, §4).

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

    def to_json(self) -> dict:
        """The keys of the ``eqnn crosscheck --json`` contract (design.md §4), in that order."""
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


def make_verdict(*, identity: str, step: str, statistic: str, estimate: float, expected: float,
                 stderr: float, n_samples: int, seed: int, planted: str, planted_z: float,
                 threshold: float | None = None) -> StatVerdict:
    """Build a :class:`StatVerdict`, computing z, pass and detection from the numbers."""
    thr = suite_threshold() if threshold is None else _finite("threshold", threshold)
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
    if isinstance(n_batches, bool) or not isinstance(n_batches, (int, np.integer)) or n_batches < 2:
        raise InputError(f"n_batches must be an integer >= 2, got {n_batches!r}")
    size = a.size // n_batches
    if size < 1:
        raise InputError(f"need at least n_batches = {n_batches} samples, got {a.size}")
    means = a[: size * n_batches].reshape(n_batches, size).mean(axis=1)
    return float(a.mean()), float(means.std(ddof=1) / math.sqrt(n_batches))


def jackknife(estimator: Callable[[np.ndarray], float], groups, n_groups: int | None = None) -> tuple[float, float]:
    """Delete-one-group jackknife of a (possibly nonlinear) estimator.

    ``groups`` has shape (G, ...): per-group sufficient statistics that the estimator *averages over
    axis 0* before combining nonlinearly (e.g. per-walker moments).  If ``n_groups`` is given, the
    rows are first pooled into that many contiguous groups of equal size.  Returns
    (estimate on all data, jackknife SE).

    >>> est, se = jackknife(lambda m: m[:, 0].mean() / m[:, 1].mean(), np.c_[np.arange(1., 9), np.ones(8)])
    >>> est
    4.5
    """
    a = _as_samples(groups, "groups")
    if n_groups is not None:
        if isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)) or n_groups < 2:
            raise InputError(f"n_groups must be an integer >= 2, got {n_groups!r}")
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

