"""The sections of recorded experiments ("Experiments at learning equilibrium"): declared once in
papers.content.RECORD_SECTIONS, shown by both renderers (PDF source and site), every number read from the
records (a changed record changes the table; a missing record drops its experiment)."""

import json
import shutil

import pytest

from papers import latex
from papers.content import RECORD_SECTIONS, ROOT, build
from papers.recorded import RecordFigure, equilibrium_experiments, measured
from papers.site import write_site

FILES = ("papers/data/witten_full.json", "papers/data/circulation2t_full.json", "papers/data/width_pooled_quick.json",
         "papers/data/softspin_full.json", "papers/data/softspin_width_pooled_full.json",
         "derive/data/circulation2t.json")


@pytest.fixture(scope="module")
def steps():
    from derive.contents import derivation

    return derivation().steps[:3]  # the section does not depend on the chain


def _copy(tmp_path):
    for rel in FILES:
        if (ROOT / rel).is_file():
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / rel, tmp_path / rel)
    return tmp_path


def test_the_section_is_declared_once_and_shown_by_both_renderers(tmp_path, steps):
    assert [s.title for s in RECORD_SECTIONS].count("Experiments at learning equilibrium") == 1
    doc = build((), steps=steps)
    (sec,) = [s for s in doc.record_sections if s.key == "equilibrium"]
    assert len(sec.experiments) == 4
    tex = latex.document((), steps=steps)
    assert r"\section{Experiments at learning equilibrium}\label{sec:rec-equilibrium}" in tex
    html = (tmp_path / "site")
    write_site(doc, html)
    front = (html / "index.html").read_text(encoding="utf-8")
    assert 'id="rec-equilibrium"' in front and 'href="#rec-equilibrium"' in front
    for exp in sec.experiments:
        assert exp.name.replace("'", "&#x27;") in front and exp.verdict in front.replace("&#x27;", "'")
        for f in exp.figures:
            value, se = measured(f)
            cell = value + (" ± " + se if se is not None else "")
            assert cell in front, (exp.key, f.quantity)
            assert (value + (r" \pm " + se if se is not None else "")) in tex, (exp.key, f.quantity)


def test_the_figures_are_the_records_values():
    exps = {e.key: e for e in equilibrium_experiments(ROOT)}
    soft = json.loads((ROOT / "papers/data/softspin_full.json").read_text())
    alpha = next(f for f in exps["softspin"].figures if f.quantity.endswith(": alpha"))
    rad = soft["figures"]["radius"]["minibatch B=1 kex=1"]
    assert (alpha.value, alpha.se) == (rad["alpha"], rad["alpha_se"])
    pooled = json.loads((ROOT / "papers/data/softspin_width_pooled_full.json").read_text())["pooled"]["linear"]
    width = next(f for f in exps["softspin"].figures if f.quantity.startswith("width: rho"))
    assert (width.value, width.se, width.z) == (pooled["rho"], pooled["se"], pooled["z"])
    two = json.loads((ROOT / "papers/data/circulation2t_full.json").read_text())
    main = next(e["conditional"] for e in two["extrapolations"] if (e["T_q"], e["R"]) == (4.0, 0.9))
    fig = exps["circulation2t"].figures[0]
    assert (fig.value, fig.se, fig.z) == (main["gamma0"], main["se"], main["z"])
    wit = json.loads((ROOT / "papers/data/witten_full.json").read_text())
    mb = next(f for f in exps["witten"].figures if f.quantity.startswith("mini-batch"))
    assert (mb.value, mb.se, mb.z) == (wit["minibatch"]["value"], wit["minibatch"]["se"], wit["minibatch"]["z"])


def test_a_changed_record_changes_both_tables_and_a_missing_one_drops_out(tmp_path, steps):
    root = _copy(tmp_path)
    path = root / "papers/data/softspin_full.json"
    rec = json.loads(path.read_text())
    rec["figures"]["radius"]["minibatch B=1 kex=1"].update(alpha=1.2345678, alpha_se=0.0123)
    path.write_text(json.dumps(rec))
    planted = measured(RecordFigure("alpha", 1.2345678, 0.0123))
    assert planted == ("1.235", "0.012")
    tex = latex.document((), steps=steps, records_root=root)
    assert r"1.235 \pm 0.012" in tex
    doc = build((), steps=steps, records_root=root)
    write_site(doc, tmp_path / "site")
    assert "1.235 ± 0.012" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    (root / "papers/data/witten_full.json").unlink()
    (sec,) = build((), steps=steps, records_root=root).record_sections
    assert [e.key for e in sec.experiments] == ["circulation2t", "width", "softspin"]
    empty = build((), steps=steps, records_root=tmp_path / "nowhere").record_sections[0]
    assert empty.experiments == ()
    assert "No experiment of this section is recorded" in latex.document((), steps=steps,
                                                                          records_root=tmp_path / "nowhere")
