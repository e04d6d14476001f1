"""``eqnn``: the command line (``python -m derive`` is the same).

A thin layer over the public API: ``list``, ``show`` and ``verify`` are defined here; the other
sub-commands (``crosscheck``, ``experiment``, ``latex``, ``run``) come from ``numerics`` and
``papers`` through the ``eqnn.commands`` entry points.  Bad input gets one line and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from typing import Sequence

from derive.command import Command, positive_int, seed_type
from derive.errors import InputError

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse protocol
        raise InputError(f"{message} (see `{self.prog} --help`)")


def _list(args: argparse.Namespace) -> int:
    from derive.contents import derivation

    d = derivation()
    if args.json:
        print(json.dumps([{"label": s.label, "title": s.title, "kind": s.kind.value} for s in d.steps], indent=1))
    else:
        width = max(len(s.label) for s in d.steps)
        for s in d.steps:
            print(f"{s.label.ljust(width)}  {s.title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from derive.report import describe
    from derive.user import step as lookup

    step = lookup(args.label)
    print(describe(step))
    return 0


def _check_labels(labels) -> None:
    """Every label known (a near-miss gets a "did you mean"), none repeated."""
    if not labels:
        return
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated:
        raise InputError(f"label(s) given more than once: {', '.join(repeated)}")
    from derive.user import step

    for label in labels:
        step(label)


def _check_cache_folder() -> None:
    """$EQNN_CACHE_DIR, when set, must be a folder that can be written (or created)."""
    import os

    base = os.environ.get("EQNN_CACHE_DIR")
    if base is None:
        return
    if not base.strip():
        raise InputError("EQNN_CACHE_DIR is empty (unset it, or name a folder)")
    path = os.path.abspath(base)
    probe = path
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if not os.path.isdir(probe):
        raise InputError(f"EQNN_CACHE_DIR={base!r} is not a folder ({probe} is a file); "
                         "name a folder, or pass --no-cache")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"EQNN_CACHE_DIR={base!r} cannot be written ({probe}); name another folder, "
                         "or pass --no-cache")


def _verify(args: argparse.Namespace) -> int:
    from derive import cache

    use_cache = not args.no_cache and cache.enabled()
    if use_cache:
        _check_cache_folder()
    if len(set(args.labels)) != len(args.labels):
        _check_labels(args.labels)  # repeated labels: refused before any cached answer
    if use_cache:  # the same code, libraries, seed and selection: print what that run printed
        # (only runs whose labels were valid are stored, so a hit needs no label check)
        hit = cache.load_run(args.seed, args.labels)
        if hit is not None:
            print(hit["json"] if args.json else hit["table"])
            if getattr(args, "confirmed", None) and not args.json:
                from derive.match import confirmed_table

                print(confirmed_table(args.confirmed))
            return hit["exit"]
    _check_labels(args.labels)
    import sympy

    from derive.contents import verify
    from derive.report import tally, verdict_table

    verdicts = verify(args.labels or None, seed=args.seed, workers=args.workers, use_cache=use_cache,
                      scheduler=args.scheduler)
    code = 0 if all(v.status.ok for v in verdicts) else 1

    def as_json(cached: bool) -> str:
        steps = [dict(v.to_json(), cached=cached or v.cached) for v in verdicts]
        return json.dumps({"sympy": sympy.__version__, "seed": args.seed, "summary": tally(verdicts),
                           "steps": steps}, indent=1)
    table = verdict_table(verdicts)
    print(as_json(False) if args.json else table)
    if getattr(args, "confirmed", None) and not args.json:  # provenance only: no verdict changes
        from derive.match import confirmed_table

        print(confirmed_table(args.confirmed))
    if use_cache:
        cache.store_run(args.seed, args.labels, {"json": as_json(True), "table": table, "exit": code})
    return code


def _builtin_commands() -> list[Command]:
    from derive.seeds import DEFAULT_SEED

    def conf_list(p):
        p.add_argument("--json", action="store_true", help="print JSON")

    def conf_show(p):
        p.add_argument("label", help="a step label (see `eqnn list`)")

    def conf_verify(p):
        p.add_argument("labels", nargs="*", metavar="LABEL", help="steps to verify (default: all)")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.add_argument("--seed", type=seed_type, default=DEFAULT_SEED, help="seed of the numeric witness")
        p.add_argument("--workers", type=positive_int, default=None, help="processes, >= 1 (default: all cores)")
        p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="verify on the Dask cluster whose scheduler is at ADDRESS (default: $EQNN_SCHEDULER, "
                            "else local processes); needs the [dask] extra")
        p.add_argument("--confirmed", metavar="F", help="list the steps the user's file F of paper equations "
                       "confirms (eqnn match --file)")
        p.add_argument("--no-cache", action="store_true",
                       help="verify every step afresh (default: reuse verdicts of identical code and libraries)")

    return [Command("list", "the steps in the paper's order", conf_list, _list),
            Command("show", "one step: statement, premises, assumptions, source, LaTeX", conf_show, _show),
            Command("verify", "verify steps with both witnesses", conf_verify, _verify),
            # derive.match (the LaTeX parser) is imported only when `match` runs
            Command("match", "match an equation typed from the paper (LaTeX) to the steps and their readings",
                    lambda p: _match()._configure(p), lambda a: _match()._run(a))]


def _match():
    import derive.match

    return derive.match


def _unavailable(name: str, err: Exception) -> Command:
    def run(args):
        raise InputError(f"sub-command {name!r} is unavailable: {type(err).__name__}: {err}")
    return Command(name, f"(unavailable: {type(err).__name__})", lambda p: p.add_argument("rest", nargs="*"), run)


def _plugin_commands() -> list[Command]:
    found = []
    for ep in sorted(metadata.entry_points(group="eqnn.commands"), key=lambda e: e.name):
        try:
            command = ep.load()
        except Exception as err:  # noqa: BLE001 - a broken plug-in must not take the whole CLI down
            found.append(_unavailable(ep.name, err))
            continue
        if isinstance(command, Command):
            found.append(command)
    return found


_BUILTIN = ("list", "show", "verify", "match")


def build_parser(plugins: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """The ``eqnn`` parser; ``plugins=False`` leaves out the entry-point sub-commands, ``only`` configures
    the options of that sub-command alone (both for a faster start)."""
    parser = _Parser(prog="eqnn", description="Machine-checked reconstruction of Katsnelson & Vanchurin, "
                     "'Emergent Quantumness in Neural Networks' (arXiv:2012.05082).")
    parser.add_argument("--version", action="version", version=f"eqnn {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in _builtin_commands() + (_plugin_commands() if plugins else []):
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        if only is None or command.name == only:
            command.configure(p)
        p.set_defaults(_run=command.run)
    return parser


def _version() -> str:
    try:
        return metadata.version("emergent-quantumness")
    except metadata.PackageNotFoundError:  # a source checkout that was not installed
        from derive import __version__

        return __version__


# option values every sub-command must refuse, whoever defines the option (plug-ins included)
_COUNTS = ("workers", "n", "count", "samples", "n_samples", "repeats", "points", "networks", "steps")
_PATHS = ("output", "out", "output_dir")


def _check_common(args: argparse.Namespace) -> None:
    """Counts must be >= 1 and output paths not empty, for every sub-command (one line, exit 2)."""
    for name in _COUNTS:
        value = getattr(args, name, None)
        if isinstance(value, int) and not isinstance(value, bool) and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be an integer >= 1, got {value}")
    for name in _PATHS:
        value = getattr(args, name, None)
        if isinstance(value, str) and not value.strip():
            raise InputError(f"--{name.replace('_', '-')}: an empty path is not a folder "
                             "(give a folder name, e.g. build)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``eqnn``; return the exit status (0 ok, 1 something failed, 2 bad input)."""
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        # a built-in sub-command does not need the plug-ins (importing them costs more than the command)
        builtin = bool(argv) and argv[0] in _BUILTIN
        args = build_parser(plugins=not builtin, only=argv[0] if builtin else None).parse_args(argv)
        _check_common(args)
        return args._run(args)
    except InputError as err:
        print(f"eqnn: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `eqnn list | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
