"""Cross-checks as values, the registry that holds them, and the one runner.

A cross-check is a value: the ``derive`` step whose identity it tests, the identity, the statistic (in
words), the expected value, the planted error, and the function that samples.  :class:`Check` is a
sampled check; :class:`DeterministicCheck` samples nothing (a split-step residual, a grid winding, a
pathwise identity) and is judged against a stated tolerance, not by a z.  A :class:`Registry` holds the
checks; its threshold follows from its length (Bonferroni over its sampled checks at the suite
false-alarm rate α = 10⁻³), so adding a check is adding one value to one module's ``CHECKS``.

The functions of a check must be module-level (picklable), so that the executor can run a check in
another process or on a Dask worker; they draw random numbers only from
:func:`derive.seeds.rng` ``(seed, tag)`` streams, so a check's numbers depend on the seed alone.

>>> def sample(seed, planted):
...     x = rng(seed, "demo").normal(1.1 if planted else 1.0, 1.0, 10_000)
...     return Estimate(float(x.mean()), float(x.std(ddof=1) / 100), x.size)
>>> demo = Check(name="demo", step="demo.step", identity="<x> = 1", statistic="mean of 10^4 normals",
...              planted="mean 1.1", sample=sample, expected=1.0)
>>> reg = Registry((demo,))
>>> round(reg.threshold, 3)          # k = 1
3.291
>>> v = reg.run_check("demo", seed=3)
>>> v.passed, v.power.detected
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, Union

from derive.errors import InputError
from derive.seeds import check_seed, rng
from numerics.stats import (DEFAULT_FALSE_ALARM, DeterministicVerdict, PlantedResidual, StatVerdict,
                            make_verdict, suite_threshold)
from numerics.validate import check_int, check_positive, check_real, check_text

__all__ = ["Estimate", "Residual", "Check", "DeterministicCheck", "Registry", "AnyCheck", "AnyVerdict"]


@dataclass(frozen=True)
class Estimate:
    """A sampled statistic: its value, its standard error from independent replicas, the sample count."""

    value: float
    stderr: float
    n_samples: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_real("estimate", self.value))
        object.__setattr__(self, "stderr", check_positive("stderr", self.stderr))
        object.__setattr__(self, "n_samples", check_int("n_samples", self.n_samples, 1))


@dataclass(frozen=True)
class Residual:
    """A deterministic residual (≥ 0), the method's numerical error estimate (≥ 0), the points used."""

    value: float
    error_estimate: float
    n_points: int

    def __post_init__(self) -> None:
        for name in ("value", "error_estimate"):
            v = check_real(name, getattr(self, name))
            if v < 0:
                raise InputError(f"{name} must be >= 0, got {v!r}")
            object.__setattr__(self, name, v)
        object.__setattr__(self, "n_points", check_int("n_points", self.n_points, 1))


def _texts(obj) -> None:
    for name in ("name", "step", "identity", "statistic", "planted"):
        check_text(name, getattr(obj, name))
    if not callable(getattr(obj, "sample", None) or getattr(obj, "compute", None)):
        raise InputError(f"check {obj.name!r} needs a sampling function")


@dataclass(frozen=True)
class Check:
    """A sampled cross-check.

    ``sample(seed, planted)`` returns the :class:`Estimate` of the statistic, from the sampler as stated
    (``planted=False``) or with the planted error in the sampler (``planted=True``).  ``expected`` is
    the value the identity predicts (a number, or a function computing it lazily).  When the planted
    error is in the *claim* rather than the sampler, ``planted_expected`` is the value the wrong claim
    predicts, and the power z compares the unplanted sample with it.
    """

    name: str
    step: str
    identity: str
    statistic: str
    planted: str
    sample: Callable[[int, bool], Estimate]
    expected: Union[float, Callable[[], float]]
    planted_expected: Optional[Union[float, Callable[[], float]]] = None

    kind = "statistical"

    def __post_init__(self) -> None:
        _texts(self)

    @property
    def ensemble(self) -> str:
        """The module whose sampler this check uses (checks of one ensemble share cached runs)."""
        return getattr(self.sample, "__module__", "") or ""

    def run(self, seed: int, threshold: float) -> StatVerdict:
        """Sample, compare with the expected value, and check the power on the planted error."""
        s = check_seed(seed)
        est = self.sample(s, False)
        exp = _value(self.expected, "expected")
        if self.planted_expected is None:
            p = self.sample(s, True)
            pz = (p.value - exp) / p.stderr
        else:
            pz = (est.value - _value(self.planted_expected, "planted_expected")) / est.stderr
        return make_verdict(identity=self.identity, step=self.step, statistic=self.statistic, estimate=est.value,
                            expected=exp, stderr=est.stderr, n_samples=est.n_samples, seed=s, planted=self.planted,
                            planted_z=pz, threshold=threshold)


@dataclass(frozen=True)
class DeterministicCheck:
    """A check that samples nothing: ``compute(planted)`` returns the :class:`Residual` of the identity
    (``planted=False``) or of the planted error (``planted=True``); it passes when the residual and the
    numerical error estimate are within ``tolerance`` and the planted residual is not."""

    name: str
    step: str
    identity: str
    statistic: str
    planted: str
    compute: Callable[[bool], Residual]
    tolerance: float

    kind = "deterministic"

    def __post_init__(self) -> None:
        _texts(self)
        object.__setattr__(self, "tolerance", check_positive("tolerance", self.tolerance))

    @property
    def ensemble(self) -> str:
        return getattr(self.compute, "__module__", "") or ""

    def run(self, seed: int, threshold: Optional[float] = None) -> DeterministicVerdict:
        """Compute the residual and the planted residual (the seed is recorded, it does not enter)."""
        r, p = self.compute(False), self.compute(True)
        return DeterministicVerdict(identity=self.identity, step=self.step, statistic=self.statistic,
                                    residual=r.value, error_estimate=r.error_estimate, tolerance=self.tolerance,
                                    n_samples=r.n_points, seed=check_seed(seed),
                                    power=PlantedResidual(self.planted, p.value, self.tolerance))


AnyCheck = Union[Check, DeterministicCheck]
AnyVerdict = Union[StatVerdict, DeterministicVerdict]


def _value(x, name: str) -> float:
    return check_real(name, x() if callable(x) else x)


@dataclass(frozen=True)
class Registry:
    """The cross-checks, in the order they are reported; names unique.

    ``threshold`` is the two-sided Bonferroni z* for the registry's sampled checks at the suite
    false-alarm rate ``false_alarm``.
    """

    checks: tuple
    false_alarm: float = DEFAULT_FALSE_ALARM

    def __post_init__(self) -> None:
        checks = tuple(self.checks)
        if not checks:
            raise InputError("a registry needs at least one check")
        for c in checks:
            if not isinstance(c, (Check, DeterministicCheck)):
                raise InputError(f"a registry holds Check or DeterministicCheck values, got {c!r}")
        names = [c.name for c in checks]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InputError(f"check names must be unique, repeated: {', '.join(dup)}")
        object.__setattr__(self, "checks", checks)
        alpha = check_real("false_alarm", self.false_alarm)
        if not 0 < alpha < 1:
            raise InputError(f"false_alarm must be in (0, 1), got {self.false_alarm!r}")

    def __len__(self) -> int:
        return len(self.checks)

    def __iter__(self) -> Iterator[AnyCheck]:
        return iter(self.checks)

    def __getitem__(self, name: str) -> AnyCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise InputError(f"no cross-check named {name!r}; known: {', '.join(self.names)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.checks)

    @property
    def sampled(self) -> tuple[Check, ...]:
        """The checks that give a z (the ones the Bonferroni threshold is shared by)."""
        return tuple(c for c in self.checks if isinstance(c, Check))

    @property
    def threshold(self) -> float:
        return suite_threshold(max(1, len(self.sampled)), self.false_alarm)

    def with_checks(self, *checks: AnyCheck) -> "Registry":
        """A new registry with ``checks`` appended."""
        return Registry(self.checks + tuple(checks), self.false_alarm)

    def subset(self, names: Iterable[str]) -> "Registry":
        """The registry of the named checks only (same false-alarm rate; its threshold follows its length)."""
        return Registry(tuple(self[n] for n in names), self.false_alarm)

    def select(self, labels: Optional[Iterable[str]] = None) -> tuple[str, ...]:
        """Check names for the given derive step labels or check names (all when None)."""
        if labels is None:
            return self.names
        wanted: list[str] = []
        for label in labels:
            hits = [c.name for c in self.checks if label in (c.name, c.step)]
            if not hits:
                known = sorted({c.step for c in self.checks})
                raise InputError(f"no cross-check for {label!r}; steps with one: {', '.join(known)}")
            wanted.extend(h for h in hits if h not in wanted)
        return tuple(wanted)

    def run_check(self, name: str, seed: int) -> AnyVerdict:
        """Run one check at ``seed`` against the registry's threshold."""
        return self[name].run(seed, self.threshold)

    def groups(self, names: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        """``names`` grouped by ensemble (checks of one ensemble share cached runs: one job each)."""
        out: dict[str, list[str]] = {}
        for n in names:
            out.setdefault(self[n].ensemble, []).append(n)
        return tuple(tuple(v) for v in out.values())
