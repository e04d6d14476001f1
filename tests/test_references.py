"""The package cites only what a reader can open: no module, document or example names a note that is not
in the repository (referee.md, paper-derivation.md, design.md, anchors.md), nor the step numbers of such a
note ("Steps 11-12").  Cite a paper of papers/bibliography.py with its section, or a step label, instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("derive", "numerics", "papers", "examples", "docs", "README.md")
SUFFIXES = {".py", ".md", ".rst", ".json", ".txt", ".toml", ".ipynb", ".tex", ".cfg"}
MISSING = re.compile(r"referee\.md|\breferee (?:§|[ECO]\d)|paper-derivation|design\.md|anchors\.md|\bSteps? 1[0-4]\b")
#: lines whose job is to *detect* such references (not to cite them)
DETECTORS = ("_FILE_REF = re.compile(",)


def _files():
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix in SUFFIXES and "__pycache__" not in f.parts:
                    yield f


def hits() -> list[str]:
    out = []
    for f in _files():
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if MISSING.search(line) and not any(d in line for d in DETECTORS):
                out.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()[:100]}")
    return out


def test_the_pattern_finds_what_it_should():
    assert MISSING.search("see referee.md §5") and MISSING.search("paper-derivation §4.6")
    assert MISSING.search("(design.md §3)") and MISSING.search("Steps 11-12")
    assert not MISSING.search("KV2021 §4, quantization.single-valued") and not MISSING.search("README.md")


def test_no_reference_to_a_file_that_is_not_in_the_repository():
    found = hits()
    assert not found, "references to files that are not in the repository:\n" + "\n".join(found)
