"""``eqnn crosscheck``: every cross-check, tied to the ``derive`` step whose identity it tests.

The checks are values in :data:`numerics.checks.REGISTRY` (one module per ensemble).  This module
selects them by step label or check name, runs them on the executor (:mod:`derive.executor`: local
processes, or a Dask cluster with ``--scheduler``), and prints a table or one JSON object.
``--seeds A:B`` runs the suite over a range of seeds and reports its calibration
(:mod:`numerics.calibration`).  The default seed is :data:`derive.seeds.DEFAULT_SEED`; every JSON says
the seed it used.

>>> [v.step for v in run(["canonical.force"], workers=1)]
['canonical.force', 'canonical.force']
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Iterable, Optional, Sequence

from derive import executor as ex
from derive.command import Command, seed_type
from derive.errors import InputError
from derive.seeds import DEFAULT_SEED, check_seed, parse_seeds
from numerics.calibration import calibrate, calibration_table, run_group
from numerics.checks import REGISTRY, Registry
from numerics.tables import format_table, tally

__all__ = ["run", "select", "table", "COMMAND", "DEFAULT_SEED"]


def select(labels: Optional[Iterable[str]], registry: Registry = REGISTRY) -> tuple[str, ...]:
    """Check names for the given derive labels or check names (all if None)."""
    return registry.select(labels)


def run(labels: Optional[Iterable[str]] = None, seed: int = DEFAULT_SEED, workers: Optional[int] = None,
        progress: bool = False, *, registry: Registry = REGISTRY, executor: Optional[ex.Executor] = None) -> tuple:
    """Run the selected checks (all by default) at ``seed``; verdicts in the registry's order.

    One job per ensemble (its checks share cached runs) on ``executor`` (default: ``workers`` local
    processes, or the Dask scheduler of ``$EQNN_SCHEDULER``).  The numbers depend on the seed only.
    """
    seed = check_seed(seed)
    names = registry.select(labels)
    executor = executor or ex.from_arguments(workers=workers)
    t0 = time.perf_counter()

    def done(i, out):
        if progress:
            for name, v in out:
                print(f"  crosscheck {name}: {'z = %+.2f' % v.z if v.kind == 'statistical' else 'deterministic'} "
                      f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    jobs = [(registry, g, seed) for g in registry.groups(names)]
    results = dict(pair for out in executor.map(run_group, jobs, on_result=done) for pair in out)
    return tuple(results[n] for n in names)


def table(verdicts: Sequence) -> str:
    """Sampled checks: estimate, expected, SE, z, planted z; deterministic: residual, tolerance, planted residual."""
    rows = [("step", "identity", "estimate", "expected", "SE / tol", "z", "planted", "n", "pass")]
    for v in verdicts:
        if v.kind == "deterministic":
            rows.append((v.step, v.identity[:44], f"{v.residual:.3g}", "0", f"tol {v.tolerance:.0e}", "det",
                         f"{v.power.residual:.3g}", str(v.n_samples), "yes" if v.passed else "NO"))
        else:
            rows.append((v.step, v.identity[:44], f"{v.estimate:.6g}", f"{v.expected:.6g}", f"{v.stderr:.2g}",
                         f"{v.z:+.2f}", f"z {v.power.z:+.1f}", str(v.n_samples), "yes" if v.passed else "NO"))
    sampled = [v for v in verdicts if v.kind == "statistical"]
    thr = sampled[0].threshold if sampled else REGISTRY.threshold
    return (format_table(rows) + f"\n\n{tally(verdicts)}; threshold |z| < {thr:.2f} (Bonferroni, alpha = "
            f"{REGISTRY.false_alarm:g} over {len(REGISTRY.sampled)} sampled checks), deterministic checks within "
            f"their tolerance, every planted error detected; seed {verdicts[0].seed if verdicts else '-'}")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("labels", nargs="*", metavar="LABEL", help="derive step labels or check names (default: all)")
    p.add_argument("--seed", type=seed_type, default=DEFAULT_SEED, help=f"seed of every sampler (default {DEFAULT_SEED})")
    p.add_argument("--seeds", metavar="A:B", default=None,
                   help="calibrate: run the suite at seeds A..B-1 and report false-alarm rates, z against N(0,1), power")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    ex.add_arguments(p)


def _run(args: argparse.Namespace) -> int:
    executor = ex.from_arguments(args)
    progress = sys.stderr.isatty()
    if args.seeds is not None:
        seeds = parse_seeds(args.seeds)
        registry = REGISTRY.subset(REGISTRY.select(args.labels or None)) if args.labels else REGISTRY
        say = (lambda line: print(line, file=sys.stderr, flush=True))
        cal = calibrate(seeds, registry=registry, executor=executor, progress=say)
        print(cal.to_json() if args.json else calibration_table(cal))
        return 0
    verdicts = run(args.labels or None, seed=args.seed, progress=progress, executor=executor)
    if args.json:
        print(json.dumps({"seed": args.seed, "threshold": REGISTRY.threshold, "false_alarm": REGISTRY.false_alarm,
                          "n_sampled_checks": len(REGISTRY.sampled), "checks": [v.to_json() for v in verdicts]},
                         indent=1))
    else:
        print(table(verdicts))
    return 0 if all(v.passed for v in verdicts) else 1


COMMAND = Command("crosscheck", "statistical cross-checks of the identities against sampled ensembles",
                  _configure, _run)
