r"""``eqnn latex``: the document of the whole verified chain (LaTeX, and PDF where TeX is installed).

The work is split by job: :mod:`papers.tex` (TeX of text and mathematics), :mod:`papers.content` (the
document's model), :mod:`papers.document` (the model as LaTeX), :mod:`papers.graph` (the dependency
graph), :mod:`papers.style` (colours, badges, preamble) and :mod:`papers.export` (files and the PDF).
This module is the command, and keeps the public names other code imports.
"""

from __future__ import annotations

import argparse
import shutil  # noqa: F401  (tests patch latex.shutil.which: the same module object as export's)

from derive.command import Command, seed_type
from papers.content import Document, VariantRow, build
from papers.document import document
from papers.export import TexError, compile_pdf, export, run_crosschecks, tex_engine, writable_folder, _stderr
from papers.graph import dependency_graph, graph_layout
from papers.style import STATUS_COLOURS, badge
from papers.tex import BUDGET, equations, escape, math_tex, prose, width

__all__ = [
    "escape", "prose", "math_tex", "equations", "width", "badge", "VariantRow", "Document", "build",
    "graph_layout", "dependency_graph", "document", "export", "compile_pdf", "tex_engine", "writable_folder",
    "run_crosschecks", "TexError", "COMMAND", "BUDGET", "STATUS_COLOURS",
]


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default ./build)")
    p.add_argument("--pdf", action="store_true", help="also build eqnn.pdf where a TeX engine is installed")
    p.add_argument("--seed", type=seed_type, default=None, help="seed of the numeric witness and the samplers")
    p.add_argument("--no-crosscheck", action="store_true", help="do not run the sampled cross-checks")
    p.add_argument("--confirmed", metavar="F", default=None,
                   help="a file of the paper's equations (eqnn match --file): the steps it confirms say so")


def _run(args: argparse.Namespace) -> int:
    writable_folder(args.output)  # fail fast, before minutes of work
    try:
        tex = export(args.output, pdf=args.pdf, seed=args.seed, crosscheck=not args.no_crosscheck,
                     confirmed=args.confirmed)
    except TexError as err:
        _stderr(f"eqnn: error: {err}")
        return 1
    print(tex)
    if args.pdf and tex.with_suffix(".pdf").exists():
        print(tex.with_suffix(".pdf"))
    return 0


COMMAND = Command("latex", "write the LaTeX document of the whole chain (and the PDF with --pdf)", _configure, _run)
