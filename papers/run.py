r"""``eqnn run``: the main job — verify every step, run the cross-checks, write the document, print a table.

The verification (SymPy, one core) and the sampled cross-checks (NumPy) are independent, so the
cross-checks run in a forked worker process while the main process verifies: on a 2-core machine the
job takes about as long as the slower of the two, plus the LaTeX export and, where TeX is installed,
the PDF.  Progress lines go to stderr; the summary table and the totals to stdout.  The exit status is 0
iff no step is ``failed`` or ``inconclusive``, every cross-check passed and the document was written.

By default the summary fits a terminal (at most 40 lines): one row per part of the argument, the rows
that need a reader's attention (failures, gaps, negative results), the experiment's verdict and the files
written; ``--all`` adds the full per-step table and ``--json`` prints everything as JSON.

>>> from derive.contents import derivation
>>> table = summary_table(derivation().verify(["canonical.ensemble"]), ())
>>> table.splitlines()[0].split()[:3]
['step', 'source', 'status']
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from derive.command import Command, seed_type
from derive.verify import DEFAULT_SEED, Verdict

__all__ = ["RunResult", "main_job", "summary_table", "section_table", "attention", "totals", "summary",
           "to_json", "COMMAND", "MAX_LINES"]

#: the default summary's height budget (a terminal)
MAX_LINES = 40


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
    site: Path | None = None

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
    rows = [("step", "source", "status", "chain", "witnesses", "cross-check z", "s")]
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
        rows.append((v.label, f"{src.paper} {where}".strip(), v.status.value, v.chain.status if v.chain else "-",
                     _witnesses(v), z, f"{v.seconds:.2f}"))
    widths = [min(max(len(r[i]) for r in rows), cap) for i, cap in enumerate((44, 28, 12, 12, 26, 16, 7))]

    def fmt(row):
        cells = [(c if len(c) <= w else c[: w - 1] + "~").ljust(w) for c, w in zip(row, widths)]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]])


def totals(result: RunResult) -> str:
    """The closing lines: counts by status, cross-checks passed, seconds per part, files written."""
    counts: dict[str, int] = {}
    for v in result.verdicts:
        counts[v.status.value] = counts.get(v.status.value, 0) + 1
    order = ("verified", "conditional", "assumed", "vacuous", "inconclusive", "failed")
    lines = [f"steps: {len(result.verdicts)} (" + ", ".join(f"{k} {counts[k]}" for k in order if k in counts) + ")"]
    chain: dict[str, int] = {}
    for v in result.verdicts:
        if v.chain is not None:
            chain[v.chain.status] = chain.get(v.chain.status, 0) + 1
    if chain:  # what each verdict inherits: postulates, conditions, failures below it
        lines.append("chain status: " + ", ".join(f"{k} {chain[k]}" for k in order[:3] + ("unsupported",) + order[3:]
                                                if k in chain))
    passed = sum(1 for c in result.crosschecks if c.passed)
    lines.append(f"cross-checks: {passed} passed of {len(result.crosschecks)}"
                 + (f" ({result.crosscheck_note})" if result.crosscheck_note else ""))
    lines.append("seconds: " + ", ".join(f"{k} {s:.1f}" for k, s in result.seconds))
    if result.tex is not None:
        lines.append(f"wrote: {result.tex}" + (f", {result.pdf}" if result.pdf else "")
                     + (f", {result.site}" if result.site else ""))
    if result.tex_error:
        lines.append(f"TeX error: {result.tex_error}")
    lines.append("result: " + ("ok" if result.ok else "NOT ok (see the rows above)"))
    return "\n".join(lines)



_OTHER = ("inconclusive", "failed", "vacuous", "none")


def section_table(verdicts: Sequence[Verdict], crosschecks: Sequence) -> str:
    """One row per part of the argument: steps, verified, conditional, assumed, other, cross-checks."""
    from papers.content import build

    doc = build(verdicts, crosschecks, steps=[v.step for v in verdicts])
    rows = [("part", "steps", "verified", "conditional", "assumed", "failed/other", "cross-checks")]
    for sec in doc.sections:
        st = [e.verdict.status.value if e.verdict is not None else "none" for e in sec.steps]
        checks = [c for e in sec.steps for c in e.checks]
        rows.append((sec.short, str(len(st)), str(st.count("verified")), str(st.count("conditional")),
                     str(st.count("assumed")), str(sum(st.count(k) for k in _OTHER)),
                     f"{sum(c.passed for c in checks)}/{len(checks)}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]])


def attention(verdicts: Sequence[Verdict], crosschecks: Sequence, limit: int = 14) -> list[str]:
    """The rows that need a reader's attention: failed or undecided steps and cross-checks, the gaps, the
    negative results (at most ``limit`` lines; the rest is counted)."""
    from derive.step import Kind
    from papers.content import GAPS

    by = {v.label: v for v in verdicts}
    rows: list[str] = []
    for v in verdicts:
        if v.status.value in ("failed", "inconclusive", "vacuous"):
            reason = v.reason if len(v.reason) <= 60 else v.reason[:59] + "~"
            rows.append(f"{v.status.value:<12} {v.label}: {reason}")
    for c in crosschecks:
        if not c.passed:
            rows.append(f"{'check FAIL':<12} {c.step}: z = {c.z:+.2f} ({c.identity[:40]})")
    always = []  # the gaps and the negative results are always shown; failures fill the rest
    for g in GAPS:
        shown = [f"{lab} ({by[lab].status.value})" for lab in g.labels if lab in by]
        if shown:
            always.append(f"{'gap ' + g.key:<12} " + _wrap(", ".join(shown)))
    negative = [v.label for v in verdicts if v.step.kind is Kind.NEGATIVE]
    if negative:
        always.append(f"{'negative':<12} " + _wrap(", ".join(negative)))
    room = max(limit - len(always), 2)
    if len(rows) > room:
        rows = rows[: room - 1] + [f"... and {len(rows) - room + 1} more (eqnn run --all, --json)"]
    return rows + always


def _wrap(line: str, width: int = 92) -> str:
    return line if len(line) <= width else line[: width - 1] + "~"


def _experiment_line() -> str:
    from papers.content import experiment

    exp = experiment()
    if exp is None:
        return "experiment: circulation not recorded"
    f = exp.figures
    alpha = f.get("alpha_B1_kex1")
    detail = f" (Gamma ~ R^{alpha:.2f}, dGamma/dmu = {f['dGamma_dmu']:+.4f})" if alpha is not None and \
        "dGamma_dmu" in f else ""
    return f"experiment: circulation -> {exp.outcome}{detail}"


def _equilibrium() -> tuple:
    from papers.content import ROOT
    from papers.recorded import equilibrium_experiments

    return equilibrium_experiments(ROOT)


def _equilibrium_records() -> list[dict]:
    """The recorded experiments at learning equilibrium for ``eqnn run --json``."""
    return [{"key": e.key, "name": e.name, "verdict": e.verdict, "passed": e.passed, "source": e.source,
             "size": e.size, "command": e.command} for e in _equilibrium()]


def _equilibrium_lines() -> list[str]:
    """One line per recorded experiment at learning equilibrium (papers.recorded): its key and verdict."""
    found = _equilibrium()
    if not found:
        return ["experiments at learning equilibrium: not recorded"]
    return ["experiments at learning equilibrium (recorded full runs, eqnn experiment NAME):"] + [
        "  " + _wrap(f"{e.key:<14} {e.verdict}", 90) for e in found]


def summary(result: RunResult, wide: bool = False) -> str:
    """What ``eqnn run`` prints: the short summary (at most :data:`MAX_LINES` lines) or, with ``wide``,
    the full per-step table before it."""
    parts = []
    if wide:
        parts += [summary_table(result.verdicts, result.crosschecks), ""]
    parts += [section_table(result.verdicts, result.crosschecks), ""]
    rows = attention(result.verdicts, result.crosschecks)
    if rows:
        parts += ["needs attention:"] + ["  " + r for r in rows] + [""]
    parts += [_experiment_line()] + _equilibrium_lines() + [totals(result)]
    return "\n".join(parts)


def to_json(result: RunResult) -> dict:
    """Everything the run produced, for ``--json``: per-step rows, attention rows, totals, files."""
    by_step: dict[str, list] = {}
    for c in result.crosschecks:
        by_step.setdefault(c.step, []).append(c)
    steps = []
    for v in result.verdicts:
        src = v.step.source
        steps.append({"label": v.label, "status": v.status.value, "reason": v.reason,
                      "source": f"{src.paper} {src.section or src.equation}".strip(), "seconds": v.seconds,
                      "symbolic_ok": None if v.symbolic is None else v.symbolic.as_expected,
                      "numeric_points": None if v.numeric is None else v.numeric.points,
                      "numeric_max_abs_residual": None if v.numeric is None else v.numeric.max_abs_residual,
                      "crosschecks": [{"z": c.z, "passed": c.passed, "identity": c.identity}
                                      for c in by_step.get(v.label, [])]})
    return {"ok": result.ok, "steps": steps, "attention": attention(result.verdicts, result.crosschecks, 10 ** 6),
            "experiment": _experiment_line(), "experiments_at_equilibrium": _equilibrium_records(),
            "crosscheck_note": result.crosscheck_note,
            "seconds": dict(result.seconds), "tex": str(result.tex) if result.tex else None,
            "pdf": str(result.pdf) if result.pdf else None, "tex_error": result.tex_error,
            "site": str(result.site) if result.site else None}


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
    t = time.perf_counter()
    from papers.site import blueprint  # the blueprint site beside the PDF (build/site)

    site = blueprint(Path(out_dir) / "site", verdicts=verdicts, crosschecks=checks, seed=seed, crosscheck_note=note)
    t_site = time.perf_counter() - t
    say(f"wrote {site}")
    seconds = (("verify", t_verify), ("cross-checks (wait)" if pending is not None else "cross-checks", t_checks),
               ("latex", t_tex), ("pdf", t_pdf), ("site", t_site), ("total", time.perf_counter() - t0))
    return RunResult(tuple(verdicts), tuple(checks), note, tex, built, seconds, error, site)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=seed_type, default=None, help="seed of the numeric witness and the samplers")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default ./build)")
    p.add_argument("--no-pdf", action="store_true", help="write the .tex only, even where TeX is installed")
    p.add_argument("--all", action="store_true", help="also print the full per-step table")
    p.add_argument("--json", action="store_true", help="print everything as JSON (per-step rows included)")


def _run(args: argparse.Namespace) -> int:
    result = main_job(seed=args.seed, out_dir=args.output, pdf=not args.no_pdf)
    if args.json:
        print(json.dumps(to_json(result), indent=1, default=str))
    else:
        print(summary(result, wide=args.all))
    return 0 if result.ok else 1


COMMAND = Command("run", "the main job: verify, cross-check, write the LaTeX (and PDF), print a summary",
                  _configure, _run)
