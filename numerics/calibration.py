"""Calibrated verdicts: the cross-check suite over a range of seeds (``eqnn crosscheck --seeds A:B``).

For every sampled check, over n seeds: the empirical false-alarm rate at the suite threshold (with its
Clopper–Pearson 95 % upper bound), the distribution of z against N(0, 1) (KS p-value, mean, variance),
and the power on the planted error (the fraction of seeds at which it was detected, and the smallest
|z| it gave).  For the suite: the fraction of seeds at which any correct check raised a false alarm,
against the nominal α.  Deterministic checks do not depend on the seed: they run once.

>>> from numerics.checks import REGISTRY
>>> from derive.executor import Executor
>>> cal = calibrate(range(3), registry=REGISTRY.subset(["sgd-noise", "sgd-stationary"]), executor=Executor(workers=1))
>>> [c.name for c in cal.checks], cal.n_seeds, cal.suite_false_alarms
(['sgd-noise', 'sgd-stationary'], 3, 0)
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional, Sequence

import numpy as np
from scipy import stats as sps

from derive.errors import InputError
from derive.executor import Executor
from derive.seeds import check_seed, parse_seeds
from numerics.checks import REGISTRY, Registry
from numerics.stats import rate_upper
from numerics.tables import format_table

__all__ = ["CheckCalibration", "SuiteCalibration", "calibrate", "run_group", "calibration_table", "merge_files"]


def run_group(job: tuple[Registry, tuple[str, ...], int]) -> list:
    """One job of the executor: the checks ``names`` (one ensemble) of ``registry`` at one seed."""
    registry, names, seed = job
    return [(n, registry.run_check(n, seed)) for n in names]


@dataclass(frozen=True)
class CheckCalibration:
    """One sampled check over n seeds: its z and planted z at every seed (in seed order), and the figures."""

    name: str
    step: str
    threshold: float
    z: tuple[float, ...]
    planted_z: tuple[float, ...]

    def __post_init__(self) -> None:
        z, pz = tuple(map(float, self.z)), tuple(map(float, self.planted_z))
        if not z or len(z) != len(pz):
            raise InputError(f"check {self.name}: z and planted_z must be non-empty and of one length")
        object.__setattr__(self, "z", z)
        object.__setattr__(self, "planted_z", pz)

    @property
    def n_seeds(self) -> int:
        return len(self.z)

    @property
    def false_alarms(self) -> int:
        return sum(abs(x) >= self.threshold for x in self.z)

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.n_seeds

    @property
    def false_alarm_upper95(self) -> float:
        return rate_upper(self.false_alarms, self.n_seeds)

    @property
    def z_mean(self) -> float:
        return float(np.mean(self.z))

    @property
    def z_variance(self) -> float:
        return float(np.var(self.z, ddof=1)) if self.n_seeds > 1 else float("nan")

    @property
    def ks_p(self) -> float:
        """KS p-value of the z's against N(0, 1)."""
        return float(sps.kstest(np.array(self.z), "norm").pvalue)

    @property
    def power_detected(self) -> int:
        return sum(abs(x) >= self.threshold for x in self.planted_z)

    @property
    def planted_min_abs_z(self) -> float:
        return float(min(abs(x) for x in self.planted_z))

    @property
    def max_abs_z(self) -> float:
        return float(max(abs(x) for x in self.z))

    def to_dict(self) -> dict:
        return {"name": self.name, "step": self.step, "n_seeds": self.n_seeds, "false_alarms": self.false_alarms,
                "false_alarm_rate": self.false_alarm_rate, "false_alarm_upper95": self.false_alarm_upper95,
                "z_mean": self.z_mean, "z_variance": self.z_variance, "ks_p": self.ks_p,
                "power_detected": self.power_detected, "planted_min_abs_z": self.planted_min_abs_z,
                "max_abs_z": self.max_abs_z, "z": list(self.z), "planted_z": list(self.planted_z)}


@dataclass(frozen=True)
class SuiteCalibration:
    """The whole suite over the seeds A:B (``seeds``); deterministic checks as their JSON (run once)."""

    seeds: tuple[int, int]
    threshold: float
    nominal_false_alarm: float
    checks: tuple[CheckCalibration, ...]
    deterministic: tuple[dict, ...]
    engine: str
    seconds: float

    def __post_init__(self) -> None:
        n = self.seeds[1] - self.seeds[0]
        if n < 1 or any(c.n_seeds != n for c in self.checks):
            raise InputError(f"every check must have one z per seed of {self.seeds[0]}:{self.seeds[1]}")

    @property
    def n_seeds(self) -> int:
        return self.seeds[1] - self.seeds[0]

    @property
    def suite_false_alarms(self) -> int:
        """Seeds at which any sampled check had |z| >= threshold."""
        return sum(any(abs(c.z[i]) >= self.threshold for c in self.checks) for i in range(self.n_seeds))

    @property
    def suite_false_alarm_rate(self) -> float:
        return self.suite_false_alarms / self.n_seeds

    @property
    def suite_false_alarm_upper95(self) -> float:
        return rate_upper(self.suite_false_alarms, self.n_seeds)

    @property
    def pooled_ks_p(self) -> float:
        return float(sps.kstest(np.concatenate([c.z for c in self.checks]), "norm").pvalue)

    def to_dict(self) -> dict:
        return {"calibration": "crosscheck", "seeds": f"{self.seeds[0]}:{self.seeds[1]}",
                "n_seeds": self.n_seeds, "threshold": self.threshold,
                "nominal_false_alarm": self.nominal_false_alarm,
                "suite_false_alarms": self.suite_false_alarms, "suite_false_alarm_rate": self.suite_false_alarm_rate,
                "suite_false_alarm_upper95": self.suite_false_alarm_upper95, "pooled_ks_p": self.pooled_ks_p,
                "checks": [c.to_dict() for c in self.checks], "deterministic": list(self.deterministic),
                "engine": self.engine, "seconds": self.seconds}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=True)

    @classmethod
    def from_dict(cls, data: dict) -> "SuiteCalibration":
        """Read back :meth:`to_dict` (the figures are recomputed from the recorded z's)."""
        try:
            a, b = parse_seeds(data["seeds"]).start, parse_seeds(data["seeds"]).stop
            checks = tuple(CheckCalibration(c["name"], c["step"], data["threshold"], c["z"], c["planted_z"])
                           for c in data["checks"])
            return cls((a, b), float(data["threshold"]), float(data["nominal_false_alarm"]), checks,
                       tuple(data["deterministic"]), str(data["engine"]), float(data["seconds"]))
        except (KeyError, TypeError) as err:
            raise InputError(f"not a crosscheck calibration record: {err}") from None

    @classmethod
    def merge(cls, parts: Sequence["SuiteCalibration"]) -> "SuiteCalibration":
        """Join sweeps over adjacent seed ranges (same checks, same threshold) into one."""
        parts = sorted(parts, key=lambda p: p.seeds[0])
        if not parts:
            raise InputError("nothing to merge")
        for p, q in zip(parts, parts[1:]):
            if p.seeds[1] != q.seeds[0] or p.threshold != q.threshold or \
                    [c.name for c in p.checks] != [c.name for c in q.checks]:
                raise InputError(f"cannot merge seeds {p.seeds} and {q.seeds}: not adjacent or not the same checks")
        first = parts[0]
        checks = tuple(CheckCalibration(c.name, c.step, first.threshold,
                                        sum((p.checks[k].z for p in parts), ()),
                                        sum((p.checks[k].planted_z for p in parts), ()))
                       for k, c in enumerate(first.checks))
        return cls((first.seeds[0], parts[-1].seeds[1]), first.threshold, first.nominal_false_alarm, checks,
                   first.deterministic, "; ".join(sorted({p.engine for p in parts})),
                   sum(p.seconds for p in parts))


def calibrate(seeds: range, *, registry: Registry = REGISTRY, executor: Optional[Executor] = None,
              progress: Optional[Callable[[str], None]] = None) -> SuiteCalibration:
    """Run the sampled checks of ``registry`` at every seed of ``seeds`` (one job per ensemble and seed)
    and the deterministic checks once, on ``executor``; summarise."""
    seeds = range(check_seed(seeds.start, "first seed"), seeds.stop)
    if len(seeds) < 1:
        raise InputError(f"seeds must be a non-empty range A:B, got {seeds!r}")
    executor = executor or Executor()
    t0 = time.perf_counter()
    groups = registry.groups(c.name for c in registry.sampled)
    jobs = [(registry, g, s) for s in seeds for g in groups]
    det = [c.name for c in registry if c.kind == "deterministic"]
    if det:
        jobs.append((registry, tuple(det), seeds.start))
    say = progress or (lambda line: None)
    count = [0]

    def done(i, r):
        count[0] += 1
        if count[0] % max(1, len(jobs) // 20) == 0:
            say(f"  {count[0]}/{len(jobs)} jobs ({time.perf_counter() - t0:.0f} s)")

    results = executor.map(run_group, jobs, on_result=done)
    by_name: dict[str, list] = {}
    for out in results:                      # jobs are seed-major: each list is in seed order
        for name, v in out:
            by_name.setdefault(name, []).append(v)
    thr = registry.threshold
    per = tuple(CheckCalibration(c.name, c.step, thr, [v.z for v in by_name[c.name]],
                                 [v.power.z for v in by_name[c.name]]) for c in registry.sampled)
    deterministic = tuple(v.to_json() for n in det for v in by_name[n])
    return SuiteCalibration(seeds=(seeds.start, seeds.stop), threshold=thr, nominal_false_alarm=registry.false_alarm,
                            checks=per, deterministic=deterministic, engine=executor.describe(),
                            seconds=time.perf_counter() - t0)


def calibration_table(cal: SuiteCalibration) -> str:
    """Per-check figures, then the suite line."""
    rows = [("check", "false alarms", "rate (95% up)", "z mean", "z var", "KS p", "power", "min |z_planted|")]
    for c in cal.checks:
        rows.append((c.name, f"{c.false_alarms}/{c.n_seeds}", f"{c.false_alarm_rate:.3f} ({c.false_alarm_upper95:.3f})",
                     f"{c.z_mean:+.3f}", f"{c.z_variance:.3f}", f"{c.ks_p:.3f}", f"{c.power_detected}/{c.n_seeds}",
                     f"{c.planted_min_abs_z:.1f}"))
    lines = [format_table(rows, right=range(1, 8))]
    for d in cal.deterministic:
        lines.append(f"{'pass' if d['passed'] else 'FAIL'} {d['step']}: {d['identity']}: residual {d['residual']:.3g} "
                     f"vs tolerance {d['tolerance']:.3g} (numerical error {d['error_estimate']:.3g}); planted "
                     f"residual {d['power']['residual']:.3g} (deterministic: run once)")
    lines.append(f"\nsuite over seeds {cal.seeds[0]}:{cal.seeds[1]} ({cal.n_seeds} seeds, threshold |z| < "
                 f"{cal.threshold:.2f}): false alarms at {cal.suite_false_alarms} seeds, rate "
                 f"{cal.suite_false_alarm_rate:.4f} (95% upper bound {cal.suite_false_alarm_upper95:.4f}) against "
                 f"nominal {cal.nominal_false_alarm:g}; pooled z KS p = {cal.pooled_ks_p:.3f}; {cal.engine}, "
                 f"{cal.seconds:.0f} s")
    return "\n".join(lines)


def merge_files(paths: Sequence[str]) -> SuiteCalibration:
    """Join the ``eqnn crosscheck --seeds A:B --json`` outputs of adjacent seed ranges (e.g. sweeps run
    as separate jobs) into one calibration: ``python -m numerics.calibration OUT.json PART.json ...``."""
    parts = []
    for p in paths:
        try:
            with open(p, encoding="utf-8") as fh:
                parts.append(SuiteCalibration.from_dict(json.load(fh)))
        except (OSError, ValueError) as err:
            if isinstance(err, InputError):
                raise
            raise InputError(f"cannot read calibration part {p}: {err}") from None
    return SuiteCalibration.merge(parts)


if __name__ == "__main__":  # pragma: no cover - a two-line tool
    import sys

    merged = merge_files(sys.argv[2:])
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        fh.write(merged.to_json() + "\n")
    print(calibration_table(merged))
