r"""Writing the document: ``eqnn.tex`` and ``eqnn.bib``, and the PDF where a TeX engine is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

from derive.errors import InputError
from derive.verify import DEFAULT_SEED, Verdict
from papers import bibliography as bib
from papers.document import document

__all__ = ["TexError", "tex_engine", "compile_pdf", "writable_folder", "export", "run_crosschecks"]


class TexError(RuntimeError):
    """The TeX engine stopped on an error; the message names the log file and the first error."""


def tex_engine() -> list[str] | None:
    """The command that builds the PDF here: latexmk if installed, else pdflatex; None if neither."""
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    if shutil.which("pdflatex"):
        return ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    return None


def _first_error(log: Path) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "no log written"
    for line in text.splitlines():
        if line.startswith("!") or re.match(r"^[^:\s]+\.tex:\d+:", line):
            return line.strip()
    return "see the log"


def compile_pdf(tex: Path, timeout: float = 300.0) -> Path | None:
    """Build ``tex``'s PDF beside it; None when no engine is installed; :class:`TexError` on a TeX error."""
    engine = tex_engine()
    if engine is None:
        return None
    tex = Path(tex)
    runs = [engine] if engine[0] == "latexmk" else [engine, engine]  # pdflatex twice: references
    for cmd in runs:
        try:
            done = subprocess.run(cmd + [tex.name], cwd=tex.parent, capture_output=True, text=True, errors="replace",
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TexError(f"{cmd[0]} did not finish within {timeout:.0f} s on {tex}") from None
        if done.returncode != 0:
            log = tex.with_suffix(".log")
            raise TexError(f"{cmd[0]} failed on {tex}: {_first_error(log)} (log: {log})")
    pdf = tex.with_suffix(".pdf")
    if not pdf.exists():
        raise TexError(f"{engine[0]} finished but wrote no {pdf.name}")
    return pdf


def writable_folder(out_dir: str | Path) -> Path:
    """Create ``out_dir`` if needed and make sure a file can be written in it; else :class:`InputError`."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".eqnn-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise InputError(f"cannot write to output folder {str(out)!r}: {reason} (give -o a writable folder)") \
            from None
    return out


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def export(out_dir: str | Path = "build", pdf: bool = False, *, verdicts: Sequence[Verdict] | None = None,
           crosschecks: Sequence | None = None, seed: int | None = None, crosscheck: bool = True,
           say: Callable[[str], None] = _stderr, confirmed: str | Path | None = None) -> Path:
    """Write ``eqnn.tex`` and ``eqnn.bib`` into ``out_dir`` (and ``eqnn.pdf`` if ``pdf`` and TeX is there).

    Verdicts and cross-checks are computed when not given (``crosscheck=False`` skips the samplers).
    ``confirmed``: a user's file of the paper's equations (``eqnn match --file``): the steps it confirms
    say so.
    Returns the path of ``eqnn.tex``.  An unwritable folder raises :class:`InputError`; a TeX error
    raises :class:`TexError`; no engine is one line through ``say``.
    """
    out = writable_folder(out_dir)
    note = ""
    if verdicts is None:
        from derive.contents import derivation

        verdicts = derivation().verify(seed=DEFAULT_SEED if seed is None else seed)
    if crosschecks is None:
        crosschecks, note = run_crosschecks(seed) if crosscheck else ((), "Cross-checks were skipped "
                                                                          "(--no-crosscheck).")
    tex = out / "eqnn.tex"
    try:
        tex.write_text(document(verdicts, crosschecks, seed=seed, crosscheck_note=note,
                                confirmations=_confirmations(confirmed)), encoding="utf-8")
        (out / "eqnn.bib").write_text(bib.to_bibtex(), encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write {tex}: {err.strerror or err}") from None
    if pdf:
        built = compile_pdf(tex)
        if built is None:
            say("no TeX engine found (pdflatex/latexmk): wrote eqnn.tex only")
    return tex


def _confirmations(path):
    """``derive.match.confirmations(path)``, or None without a file."""
    if path is None:
        return None
    from derive.match import confirmations

    return confirmations(path)


def run_crosschecks(seed: int | None, workers: int | None = None) -> tuple[tuple, str]:
    """``numerics.crosscheck.run(seed=seed)``, or () with a note when that module is not there yet.

    ``seed=None`` keeps the samplers' own default seed; ``workers`` is passed on where ``run`` takes it.
    """
    import inspect

    try:
        from numerics.crosscheck import run
    except ImportError as err:
        return (), f"The cross-checks were not available in this build ({err})."
    kwargs = {} if seed is None else {"seed": seed}
    if workers is not None and "workers" in inspect.signature(run).parameters:
        kwargs["workers"] = workers
    return tuple(run(**kwargs)), ""

