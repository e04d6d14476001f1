r"""``eqnn run``: the main job — verify every step, run the cross-checks, write the document, print a table.

The verification (SymPy, one core) and the sampled cross-checks (NumPy) are independent, so the
cross-checks run in a forked worker process while the main process verifies: on a 2-core machine the
job takes about as long as the slower of the two, plus the LaTeX export and, where TeX is installed,
the PDF.  Progress lines go to stderr; the summary table and the totals to stdout.  The exit status is 0
iff no step is ``failed`` or ``inconclusive``, every cross-check passed and the document was written.

>>> from derive.contents import derivation
>>> table = summary_table(derivation().verify(["canonical.ensemble"]), ())
>>> table.splitlines()[0].split()[:3]
['step', 'source', 'status']
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from derive.command import Command, seed_type
from derive.verify import DEFAULT_SEED, Verdict

__all__ = ["RunResult", "main_job", "summary_table", "totals", "COMMAND"]


def _stderr(line: str) -> None:
    print(f"eqnn run: {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class RunResult:
    """What the main job produced: verdicts, cross-checks, files written, and the seconds each part took."""

    verdicts: tuple[Verdict, ...]
    crosschecks: tuple
    crosscheck_note: str
    tex: Path | None
    pdf: Path | None
    seconds: tuple[tuple[str, float], ...] = field(default=())
    tex_error: str = ""

    @property
    def ok(self) -> bool:
        """Nothing failed: every step passes, every cross-check passes, and the document was written."""
        return (all(v.status.ok for v in self.verdicts) and all(c.passed for c in self.crosschecks)
                and self.tex is not None and not self.tex_error)


def _crosschecks_child(conn, seed: int | None) -> None:
    """Run the cross-checks in a child process and send (checks, note) or an error line back."""
    from papers.latex import run_crosschecks

    try:
        conn.send(("ok", run_crosschecks(seed, workers=1)))
    except BaseException as err:  # the parent reports it; a child must not die silently
        conn.send(("error", f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


class _Background:
    """The cross-checks in a forked, non-daemonic child (so that it may use processes of its own)."""

    def __init__(self, seed: int | None) -> None:
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_crosschecks_child, args=(send, seed), daemon=False)
        self._proc.start()
        send.close()

    def result(self) -> tuple[tuple, str]:
        try:
            kind, payload = self._recv.recv()
        except EOFError:
            kind, payload = "error", f"the cross-check process ended with status {self._proc.exitcode}"
        self._proc.join()
        if kind == "error":
            return (), f"the cross-checks did not run: {payload}"
        return payload


def _witnesses(v: Verdict) -> str:
    sym, num = v.symbolic, v.numeric
    if sym is None and num is None:
        return "-"
    s = "sym ok" if sym is not None and sym.as_expected else "sym ?"
    if num is None:
        return s
    n = f"num {num.points}pt {num.max_abs_residual:.0e}" if num.as_expected else f"num FAIL {num.max_abs_residual:.1e}"
    return f"{s} / {n}"


def summary_table(verdicts: Sequence[Verdict], crosschecks: Sequence) -> str:
    """Fixed-width table: step, source, status, witnesses, cross-check z, seconds (one row per step)."""
    by_step: dict[str, list] = {}
    for c in crosschecks:
        by_step.setdefault(c.step, []).append(c)
    rows = [("step", "source", "status", "witnesses", "cross-check z", "s")]
    for v in verdicts:
        src = v.step.source
        checks = by_step.get(v.label, [])
        if checks:
            worst = max(checks, key=lambda c: abs(c.z))
            z = f"{worst.z:+.2f}" + ("" if all(c.passed for c in checks) else " FAIL") + \
                (f" ({len(checks)})" if len(checks) > 1 else "")
        else:
            z = "-"
        where = src.section or src.equation
        rows.append((v.label, f"{src.paper} {where}".strip(), v.status.value, _witnesses(v), z, f"{v.seconds:.2f}"))
    widths = [min(max(len(r[i]) for r in rows), cap) for i, cap in enumerate((44, 28, 12, 26, 16, 7))]

    def fmt(row):
        cells = [(c if len(c) <= w else c[: w - 1] + "~").ljust(w) for c, w in zip(row, widths)]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]])


def totals(result: RunResult) -> str:
    """The closing lines: counts by status, cross-checks passed, seconds per part, files written."""
    counts: dict[str, int] = {}
    for v in result.verdicts:
        counts[v.status.value] = counts.get(v.status.value, 0) + 1
    order = ("verified", "conditional", "assumed", "inconclusive", "failed")
    lines = [f"steps: {len(result.verdicts)} (" + ", ".join(f"{k} {counts[k]}" for k in order if k in counts) + ")"]
    passed = sum(1 for c in result.crosschecks if c.passed)
    lines.append(f"cross-checks: {passed} passed of {len(result.crosschecks)}"
                 + (f" ({result.crosscheck_note})" if result.crosscheck_note else ""))
    lines.append("seconds: " + ", ".join(f"{k} {s:.1f}" for k, s in result.seconds))
    if result.tex is not None:
        lines.append(f"wrote: {result.tex}" + (f", {result.pdf}" if result.pdf else ""))
    if result.tex_error:
        lines.append(f"TeX error: {result.tex_error}")
    lines.append("result: " + ("ok" if result.ok else "NOT ok (see the rows above)"))
    return "\n".join(lines)


def main_job(seed: int | None = None, out_dir: str | Path = "build", pdf: bool = True,
             say: Callable[[str], None] = _stderr, crosscheck: bool = True) -> RunResult:
    """Verify all steps, run the cross-checks (in parallel), export LaTeX (and PDF); return everything."""
    from derive.contents import derivation, verify
    from papers.latex import TexError, compile_pdf, export, run_crosschecks, writable_folder

    t0 = time.perf_counter()
    writable_folder(out_dir)  # bad -o: one line, before any work
    chain = derivation()
    pending = None
    if crosscheck and "fork" in multiprocessing.get_all_start_methods():
        pending = _Background(seed)
        say("cross-checks started in a worker process")
    say(f"verifying {len(chain.steps)} steps ...")
    t = time.perf_counter()
    # all cores (the OS shares them with the cross-check worker); verdicts of unchanged code are cached
    verdicts = verify(seed=DEFAULT_SEED if seed is None else seed)
    t_verify = time.perf_counter() - t
    say(f"verified in {t_verify:.1f} s")
    t = time.perf_counter()
    if not crosscheck:
        checks, note = (), "skipped"
    elif pending is not None:
        checks, note = pending.result()
    else:
        checks, note = run_crosschecks(seed)
    t_checks = time.perf_counter() - t
    say(f"{len(checks)} cross-checks collected" + (f" ({note})" if note else ""))

    t = time.perf_counter()
    tex = export(out_dir, pdf=False, verdicts=verdicts, crosschecks=checks, seed=seed, say=say)
    t_tex = time.perf_counter() - t
    say(f"wrote {tex}")
    built, error, t_pdf = None, "", 0.0
    if pdf:
        t = time.perf_counter()
        try:
            built = compile_pdf(tex)
        except TexError as err:
            error = str(err)
        t_pdf = time.perf_counter() - t
        if built is None and not error:
            say("no TeX engine found (pdflatex/latexmk): wrote eqnn.tex only")
        elif built is not None:
            say(f"wrote {built}")
    seconds = (("verify", t_verify), ("cross-checks (wait)" if pending is not None else "cross-checks", t_checks),
               ("latex", t_tex), ("pdf", t_pdf), ("total", time.perf_counter() - t0))
    return RunResult(tuple(verdicts), tuple(checks), note, tex, built, seconds, error)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=seed_type, default=None, help="seed of the numeric witness and the samplers")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default ./build)")
    p.add_argument("--no-pdf", action="store_true", help="write the .tex only, even where TeX is installed")


def _run(args: argparse.Namespace) -> int:
    result = main_job(seed=args.seed, out_dir=args.output, pdf=not args.no_pdf)
    print(summary_table(result.verdicts, result.crosschecks))
    print()
    print(totals(result))
    return 0 if result.ok else 1


COMMAND = Command("run", "the main job: verify, cross-check, write the LaTeX (and PDF), print a summary",
                  _configure, _run)
