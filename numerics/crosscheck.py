"""``eqnn crosscheck``: every sampled check, tied to the ``derive`` step whose identity it tests.

The checks themselves live in :mod:`numerics.crosscheck_checks` (one function per identity, each a
:class:`~numerics.stats.StatVerdict` with estimate, expected value, SE, z, threshold and a power check).
This module selects them by step label or check name, runs them (in parallel over processes), and
prints a table or the JSON of design.md §4.

>>> [v.step for v in run(["canonical.force"], workers=1)]
['canonical.force']
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from typing import Iterable, Sequence

from derive.command import Command, seed_type
from derive.errors import InputError
from numerics.crosscheck_checks import CHECKS
from numerics.stats import StatVerdict, suite_threshold

__all__ = ["run", "select", "table", "COMMAND", "DEFAULT_SEED"]

DEFAULT_SEED = 0


def select(labels: Iterable[str] | None) -> tuple[str, ...]:
    """Check names for the given derive labels or check names (all if None)."""
    names = tuple(CHECKS)
    if labels is None:
        return names
    wanted = []
    for label in labels:
        hits = [n for n in names if n == label or CHECKS[n].step == label]
        if not hits:
            known = sorted({c.step for c in CHECKS.values()})
            raise InputError(f"no cross-check for {label!r}; steps with one: {', '.join(known)}")
        wanted.extend(h for h in hits if h not in wanted)
    return tuple(wanted)


def _run_one(args: tuple[str, int, float | None]) -> tuple[str, StatVerdict, float]:
    name, seed, threshold = args
    t0 = time.perf_counter()
    verdict = CHECKS[name](seed=seed, threshold=threshold)
    return name, verdict, time.perf_counter() - t0


def run(labels: Iterable[str] | None = None, seed: int = DEFAULT_SEED, threshold: float | None = None,
        workers: int | None = None, progress: bool = False) -> tuple[StatVerdict, ...]:
    """Run the selected checks (all by default); results in the registry's order."""
    if not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}")
    names = select(labels)
    jobs = [(n, seed, threshold) for n in names]
    workers = min(workers or os.cpu_count() or 1, len(jobs)) if jobs else 1
    results = {}
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        it = map(_run_one, jobs)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(workers)
        it = pool.imap_unordered(_run_one, jobs)
    try:
        for name, verdict, seconds in it:
            results[name] = verdict
            if progress:
                print(f"  crosscheck {name}: z = {verdict.z:+.2f} ({seconds:.1f} s)", file=sys.stderr)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return tuple(results[n] for n in names)


def table(verdicts: Sequence[StatVerdict]) -> str:
    rows = [("step", "identity", "estimate", "expected", "stderr", "z", "planted z", "n", "pass")]
    for v in verdicts:
        rows.append((v.step, v.identity[:44], f"{v.estimate:.6g}", f"{v.expected:.6g}", f"{v.stderr:.2g}",
                     f"{v.z:+.2f}", f"{v.power.z:+.1f}", str(v.n_samples), "yes" if v.passed else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    thr = verdicts[0].threshold if verdicts else suite_threshold()
    lines.append(f"\n{sum(v.passed for v in verdicts)}/{len(verdicts)} pass; threshold |z| < {thr:.2f} "
                 f"and every planted error detected")
    return "\n".join(lines)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("labels", nargs="*", metavar="LABEL", help="derive step labels or check names (default: all)")
    p.add_argument("--seed", type=seed_type, default=DEFAULT_SEED, help="seed of every sampler (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object (design.md §4)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")


def _run(args: argparse.Namespace) -> int:
    verdicts = run(args.labels or None, seed=args.seed, workers=args.workers, progress=sys.stderr.isatty())
    if args.json:
        print(json.dumps({"seed": args.seed, "checks": [v.to_json() for v in verdicts]}, indent=1))
    else:
        print(table(verdicts))
    return 0 if all(v.passed for v in verdicts) else 1


COMMAND = Command("crosscheck", "statistical cross-checks of the identities against sampled ensembles",
                  _configure, _run)
