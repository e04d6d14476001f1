"""The experiments of issue 15 beside ``circulation``, as named values run by ``eqnn experiment NAME``.

Each entry maps a name to ``run(args) -> exit status``; ``args`` carries ``--full``/``--quick``, ``--seed``,
``--json`` and the executor options of ``eqnn experiment``.  Adding an experiment is one entry here (and its
module); :mod:`numerics.circulation.report` reads the names for the command's choices.

* ``width``: the estimator's width check on every mini-batch arm (:mod:`numerics.circulation.width`);
* ``witten``: the Witten-map spectrum on the network (:mod:`numerics.witten`);
* ``circulation2t``: two-temperature exchange circulation at a fixed exchange rate per unit learning time
  (:mod:`numerics.circulation.twotemp`);
* ``softspin``: the circulation measurement and verdict on a second architecture, continuous hidden neurons
  (:mod:`numerics.circulation.softspin`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

__all__ = ["EXPERIMENTS", "run"]


def _progress(args):
    return (lambda line: print(line, file=sys.stderr, flush=True)) if getattr(args, "full", False) else None


def _width(args: argparse.Namespace) -> int:
    from derive import executor as ex
    from numerics.circulation.results import FULL, QUICK
    from numerics.circulation.width import format_width, run_width, to_json

    result = run_width(FULL if args.full else QUICK, args.seed, executor=ex.from_arguments(args))
    print(to_json(result) if args.json else format_width(result))
    return 0 if result["passed"] else 1


def _witten(args: argparse.Namespace) -> int:
    from numerics.witten import format_result, run_witten, to_json

    result = run_witten(full=bool(args.full), seed=args.seed, progress=_progress(args))
    print(to_json(result) if args.json else format_result(result))
    return 0


def _twotemp(args: argparse.Namespace) -> int:
    from derive import executor as ex
    from numerics.circulation.twotemp import format_result, run_twotemp, to_json

    result = run_twotemp(full=bool(args.full), seed=args.seed, executor=ex.from_arguments(args),
                         progress=_progress(args))
    print(to_json(result) if args.json else format_result(result))
    return 0


def _softspin(args: argparse.Namespace) -> int:
    from derive import executor as ex
    from numerics.circulation.softspin import format_result, run_softspin, to_json

    result = run_softspin(full=bool(args.full), seed=args.seed, executor=ex.from_arguments(args),
                          progress=_progress(args))
    print(to_json(result) if args.json else format_result(result))
    return 0 if result["controls_passed"] else 1


EXPERIMENTS: dict[str, Callable[[argparse.Namespace], int]] = {
    "width": _width,
    "witten": _witten,
    "circulation2t": _twotemp,
    "softspin": _softspin,
}


def run(args: argparse.Namespace) -> int:
    return EXPERIMENTS[args.name](args)
