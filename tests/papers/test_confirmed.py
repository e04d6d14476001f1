"""A user's file of the paper's equations (eqnn match --file) shows as a provenance in the PDF and the site."""

from pathlib import Path

import pytest

from derive.contents import derivation
from derive.match import confirmations
from papers.content import build
from papers.document import document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "paper-equations.tex"


@pytest.fixture(scope="module")
def confirmed():
    conf = confirmations(EXAMPLE)
    assert conf, "the shipped example file confirms some steps"
    return conf


def test_model_marks_confirmed_steps_only(confirmed):
    d = derivation()
    labels = list(confirmed)[:2]
    doc = build([], (), steps=[d.step(lab) for lab in labels] + [d.step("canonical.force")],
                confirmations=confirmed, read_experiment=lambda: None)
    for lab in labels:
        assert "line" in doc.entry(lab).confirmed and EXAMPLE.name in doc.entry(lab).confirmed
    if "canonical.force" not in confirmed:
        assert doc.entry("canonical.force").confirmed == ""


def test_pdf_and_site_show_it(confirmed, tmp_path):
    from papers.site import write_site
    d = derivation()
    lab = next(iter(confirmed))
    tex = document([], (), steps=[d.step(lab)], confirmations=confirmed)
    assert "Confirmed verbatim by the user's file" in tex
    assert "Confirmed verbatim by the user's file" not in document([], (), steps=[d.step(lab)])
    doc = build([], (), steps=[d.step(lab)], confirmations=confirmed, read_experiment=lambda: None)
    pages = write_site(doc, tmp_path)
    html = "".join(p.read_text(encoding="utf-8") for p in pages if p.suffix == ".html")
    assert "confirmed verbatim by the user" in html
