"""papers.html and papers.site: MathML of every statement, the site's pages and links, and the site in a
real browser (Debian's headless chromium; skipped only where no chromium binary is installed)."""

import dataclasses
import html
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy as sp

from derive.contents import derivation
from derive.step import Kind, Provenance, Source, Step
from derive.verify import NumericWitness, Status
from papers.content import ROOT, build
from papers.document import document
from papers.html import MathMLError, mathml, prose_html, tex_mathml
from papers.site import write_site
from tests.papers._standin import check, verdict

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and os.path.exists(p)), None)
RAW = re.compile(r"\\[A-Za-z]+|np\.float64|Symbol\(|Function\(|AppliedUndef|Derivative\(|\$")


def _relations(step):
    return tuple(step.statement) + tuple(step.given)


# ----------------------------------------------------------------------------- MathML

@pytest.mark.parametrize("label", derivation().labels)
def test_every_relation_prints_as_mathml(label):
    step = derivation().step(label)
    for rel in _relations(step):
        out = mathml(rel, display=True, strict=True)  # no fallback: every display object has its MathML
        assert out.startswith('<math display="block">') and out.endswith("</math>")
        assert not RAW.search(re.sub(r"&#?\w+;", "", out)), (label, out[:300])


def test_tex_mathml_reads_the_printing_rules():
    assert tex_mathml(r"\hbar_{c}^{2}") == "<msubsup><mi>ħ</mi><mi>c</mi><mn>2</mn></msubsup>"
    assert "<mfrac>" in tex_mathml(r"\frac{\delta\mathcal{S}_e}{\delta F}")
    assert "ℒ" in tex_mathml(r"\mathcal{L}")
    assert "<mtext>stationary</mtext>" in tex_mathml(r"\text{stationary}")
    with pytest.raises(MathMLError):
        tex_mathml(r"\unknownmacro{x}")


def test_a_new_display_object_prints_by_its_latex():
    class Bracket(sp.Function):
        nargs = 1

        def _latex(self, printer):
            return r"\left\{ %s \right\}" % printer._print(self.args[0])

    out = html.unescape(mathml(Bracket(sp.Symbol("beta")), strict=True))
    assert "<mi>β</mi>" in out and "{" in out


def test_prose_of_every_step_is_html_without_tex():
    for step in derivation().steps:
        for text in (step.title, step.transformation, *step.assumptions, *(str(c) for c in step.conditions)):
            out = prose_html(text)
            plain = re.sub(r"<[^>]+>", "", out)
            assert not re.search(r"\\[A-Za-z]+|\\[{}_]", plain), (step.label, text, plain)


# ----------------------------------------------------------------------------- the site on disk

class _Pages(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.srcs, self.nodes = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "href" in a:
            self.hrefs.append((tag, a["href"]))
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "a" and "node" in (a.get("class") or "").split():
            self.nodes.append(a["href"])


@pytest.fixture(scope="module")
def site():
    """The site of the whole chain: real verdicts for the canonical part (cheap), a failed stand-in with a
    counterexample and a cross-check stand-in; every other step is shown as not verified."""
    d = derivation()
    verdicts = list(d.verify([s.label for s in d.steps if s.module == "canonical"]))
    bad = verdict(d.step("learning.langevin"), Status.FAILED)
    num = NumericWitness(5, 0.25, 1e-20, 7, 30, False, (("q_1", "0.5"), ("beta", "1.25")), 0.01)
    verdicts.append(dataclasses.replace(bad, numeric=num, reason="a planted failure"))
    doc = build(verdicts, (check("canonical.force", z=1.5),))
    out = Path(tempfile.mkdtemp(prefix="eqnn-site-"))
    write_site(doc, out)
    return doc, out


def _parse(path):
    p = _Pages()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_step_has_one_entry_and_every_link_resolves(site):
    doc, out = site
    pages = {p.name: _parse(p) for p in out.glob("*.html")}
    ids = {name: set(p.ids) for name, p in pages.items()}
    entries = [i for name, p in pages.items() if name.startswith("part-") for i in p.ids if i in doc.numbers]
    assert sorted(entries) == sorted(doc.numbers), "each step once, on its part's page"
    for name, p in pages.items():
        for tag, href in p.hrefs:
            if href.startswith(("https://arxiv.org/", "https://doi.org/")) and tag == "a":
                continue  # a citation is a link, never fetched
            assert not re.match(r"[a-z]+:|//", href), (name, href)
            target, _, frag = href.partition("#")
            target = target or name
            assert (out / target).exists(), (name, href)
            if frag and target.endswith(".html"):
                assert frag in ids[target], (name, href)
        for src in p.srcs:
            assert not re.match(r"[a-z]+:|//", src) and (out / src).exists(), (name, src)
    nodes = pages["graph.html"].nodes
    assert len(nodes) == len(doc.steps)
    assert {n.split("#")[1] for n in nodes} == set(doc.numbers)


def test_entries_link_premises_and_uses_both_ways(site):
    doc, out = site
    text = (out / "part-madelung.html").read_text(encoding="utf-8")
    e = doc.entry("madelung.equations")
    block = text[text.index('id="madelung.equations"'):]
    block = block[:block.index("</article>")]
    for label in e.uses + e.used_by:
        assert f'#{label}"' in block, label


def test_front_page_has_claim_gaps_experiment_counts_and_index(site):
    doc, out = site
    text = (out / "index.html").read_text(encoding="utf-8")
    for anchor in ('id="main-line"', 'id="gap-G1"', 'id="gap-G2"', 'id="gap-G3"', 'id="experiment"', 'id="counts"',
                   'id="steps"', 'href="graph.html"'):
        assert anchor in text
    assert text.count('class="row"') == len(doc.steps)  # one click from the front page to any step
    if doc.experiment is not None:
        assert "classical current" in text or doc.experiment.outcome in text
        assert '<svg class="plot"' in text


def test_verdict_detail_counterexample_and_crosscheck(site):
    _, out = site
    learning = (out / "part-learning.html").read_text(encoding="utf-8")
    block = learning[learning.index('id="learning.langevin"'):]
    block = block[:block.index("</article>")]
    assert "counterexample" in block and "1.25" in block and 'st-failed' in block
    hidden = (out / "part-hidden.html").read_text(encoding="utf-8")
    block = hidden[hidden.index('id="canonical.force"'):]
    block = block[:block.index("</article>")]
    assert "Cross-checks" in block and "±" in block and "+1.50" in block


def test_a_new_step_appears_in_the_pdf_and_the_site():
    x = sp.Symbol("x", real=True)
    extra = Step(label="extra.new-step", title="A step added to the model", kind=Kind.DEFINITION,
                 statement=(sp.Eq(sp.Symbol("y"), x ** 2, evaluate=False),),
                 source=Source("KV2021", "§2", "(2.1)", Provenance.RECONSTRUCTED))
    steps = tuple(derivation().steps[:3]) + (extra,)
    doc = build((), (), steps=steps)
    out = Path(tempfile.mkdtemp(prefix="eqnn-site-"))
    write_site(doc, out)
    html = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.html"))
    assert 'id="extra.new-step"' in html and "A step added to the model" in html
    assert r"\label{extra.new-step}" in document((), (), steps=steps)


def test_the_command_writes_the_site(monkeypatch, tmp_path):
    import derive.cli as cli
    import derive.contents
    from papers import site as site_module

    d = derivation()
    monkeypatch.setattr(derive.contents, "verify", lambda **kw: d.verify(["canonical.ensemble"]))
    monkeypatch.setattr(cli, "_plugin_commands", lambda: [site_module.COMMAND])
    assert cli.main(["blueprint", "-o", str(tmp_path / "site"), "--no-crosscheck"]) == 0
    assert (tmp_path / "site" / "index.html").exists() and (tmp_path / "site" / "graph.html").exists()


# ----------------------------------------------------------------------------- in a real browser

def _chromium(args, timeout=120):
    with tempfile.TemporaryDirectory(prefix="eqnn-chromium-") as profile:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--host-resolver-rules=MAP * ~NOTFOUND",  # any network request would fail, and be logged
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars"] + args
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if ":CONSOLE" in line or "Uncaught" in line or "net::ERR_" in line or "Refused to" in line]


def test_ci_has_a_browser():
    """.ci/run installs chromium: under CI the browser test must not be skipped."""
    if os.environ.get("CI") == "true":
        assert CHROMIUM is not None, "CI=true but no chromium binary (.ci/run installs Debian's chromium)"


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary installed (CI installs it)")
def test_site_in_headless_chromium(site):
    doc, out = site
    shots = ROOT / "build" / "site-screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for page in sorted(out.glob("*.html")):
        done = _chromium(["--dump-dom", page.as_uri()])
        assert done.returncode == 0, done.stderr[-2000:]
        dom = done.stdout
        assert not _console_errors(done.stderr), (page.name, _console_errors(done.stderr))
        m = re.search(r'<html[^>]*data-math="(\d+)/(\d+)"', dom)
        assert m, f"{page.name}: the page's script did not run"
        rendered, total = int(m.group(1)), int(m.group(2))
        assert rendered == total, f"{page.name}: {total - rendered} of {total} <math> not rendered as MathML"
        assert "math-fallback" not in dom
        if page.name.startswith("part-"):
            for sec in doc.sections:
                if page.name == f"part-{sec.key}.html":
                    for e in sec.steps:
                        i = dom.index(f'id="{e.label}"')
                        statement = dom[dom.index('class="statement"', i):]
                        statement = statement[:statement.index("</div>\n") if "</div>\n" in statement else 4000]
                        assert "<math" in statement, e.label
                        visible = re.sub(r"<[^>]+>", "", statement)
                        assert not RAW.search(visible), (e.label, visible[:200])
        if page.name == "graph.html":
            assert len(re.findall(r'<a [^>]*class="node[ "]', dom)) == len(doc.steps)
    for page, name, size in (("index.html", "front.png", "1280,2400"), ("graph.html", "graph.png", "1700,1500"),
                             ("part-madelung.html", "part-madelung.png", "1280,2400")):
        target = shots / name
        done = _chromium([f"--window-size={size}", f"--screenshot={target}", (out / page).as_uri()])
        assert done.returncode == 0 and target.exists() and target.stat().st_size > 10_000, done.stderr[-2000:]
        assert not _console_errors(done.stderr)
