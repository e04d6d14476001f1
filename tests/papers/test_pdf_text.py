"""The real document (the whole chain verified, the cross-checks run) compiles without an overfull box, and
the text a reader extracts from the PDF holds no trace of code, ASCII math or a file that is not in the
repository (issue 12).  Needs a TeX engine and pdftotext (CI installs both)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

import derive.cli as cli
from papers import latex
from papers import run as run_module

FORBIDDEN = ("referee.md", "paper-derivation.md", "design.md", "np.float64", "Schrodinger", "hbar", "sqrt",
             "ointgrad", "<=>", "eq. eq.")
HAS_TOOLS = shutil.which("pdftotext") is not None and (shutil.which("latexmk") or shutil.which("pdflatex"))


@pytest.mark.skipif(not HAS_TOOLS, reason="needs pdftotext and a TeX engine (CI installs both)")
def test_pdf_text_reads_as_a_paper(tmp_path, monkeypatch):
    # `eqnn latex --pdf`, with this package's sub-commands registered (as the installed entry points would)
    monkeypatch.setattr(cli, "_plugin_commands", lambda: [latex.COMMAND, run_module.COMMAND])
    assert cli.main(["latex", "--pdf", "-o", str(tmp_path)]) == 0
    pdf = tmp_path / "eqnn.pdf"
    assert pdf.exists()
    log = (tmp_path / "eqnn.log").read_text(errors="replace")
    assert "Overfull" not in log, re.findall(r"Overfull.*", log)[:5]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = {word: text.count(word) for word in FORBIDDEN if word in text}
    assert not found, found
    assert "Schr" in text and "G3" in text and "Readings of" in text
