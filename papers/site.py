r"""``eqnn blueprint``: the argument as a static web site that works from the file system.

The site renders the same model as the PDF (:mod:`papers.content`): a front page (the claim, the main
line, the gaps, the experiment with its figures, the counts by status and by chain status, an index of
every step with a status filter and a search), the dependency graph as SVG, and one page per part of the
argument with one entry per step (statement, premises and uses linked both ways, conditions, variant,
source, verdict with its witnesses, cross-checks).  Mathematics is presentation MathML
(:mod:`papers.html`); nothing is fetched at view time: no CDN, no web font, no server.

>>> import tempfile
>>> from derive.contents import derivation
>>> from papers.content import build
>>> doc = build(derivation().verify(["canonical.force"]), ())
>>> out = write_site(doc, tempfile.mkdtemp())
>>> sorted(p.name for p in out)[:4]
['graph.html', 'graph.svg', 'index.html', 'part-grand.html']
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import sympy as sp

from derive.command import Command, seed_type
from derive.verify import DEFAULT_SEED, Status, Verdict
from papers import bibliography as bib
from papers.content import Document, SectionEntry, StepEntry, build
from papers.document import unresolved
from papers.graph import graph_layout, short_title
from papers.html import esc, mathml, num, pm, prose_html, tex_text_html
from papers.style import STATUS_COLOURS, status_of

__all__ = ["write_site", "blueprint", "graph_svg", "step_href", "page_of", "COMMAND", "OWN_STATUSES",
           "CHAIN_STATUSES"]

#: own statuses and chain statuses, in the order of the legends
OWN_STATUSES = ("verified", "conditional", "assumed", "vacuous", "inconclusive", "failed", "none")
CHAIN_STATUSES = ("verified", "conditional", "assumed", "unsupported", "vacuous", "inconclusive", "failed", "none")


def _hex(rgb: str) -> str:
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgb.split(","))


#: status → CSS colour: the PDF's colours, and one for the chain status ``unsupported``
COLOURS = {key: _hex(rgb) for key, (_, rgb) in STATUS_COLOURS.items()}
COLOURS["unsupported"] = "#b8336a"

_OUTCOMES = {"classical-current": "a classical current, not quantization", "quantization": "quantization",
             "no-circulation": "no circulation (only the sector n = 0)", "neither": "neither reading"}


# ----------------------------------------------------------------------------------------- links

def page_of(section_key: str) -> str:
    return f"part-{section_key}.html"


def step_href(e: StepEntry) -> str:
    return f"{page_of(e.section)}#{e.label}"


def _own(e: StepEntry) -> str:
    return status_of(e.verdict)


def _chain(e: StepEntry) -> str:
    v = e.verdict
    return v.chain.status if v is not None and v.chain is not None else "none"


def _badge(status: str, chain: bool = False) -> str:
    text = ("chain: " if chain else "") + ("not verified" if status == "none" else status)
    return '<span class="badge %s st-%s">%s</span>' % ("chain" if chain else "own", esc(status), esc(text))


class _Links:
    """Step references of one document: ``link(label, text)`` for :mod:`papers.html`."""

    def __init__(self, doc: Document) -> None:
        self.by = {e.label: e for e in doc.steps}

    def __call__(self, label: str, text: str = "") -> str:
        e = self.by.get(label)
        if e is None:
            return "<code>%s</code>" % esc(label)
        shown = str(e.number) if text == "#" else (text or label)
        return '<a class="ref st-%s" href="%s" title="%s">%s</a>' % (
            _own(e), step_href(e), esc(f"Step {e.number}: {e.step.title} ({_own(e)})"), esc(shown))

    def chip(self, label: str) -> str:
        """A reference with number, label and status colour (premises, uses, gap steps)."""
        e = self.by.get(label)
        if e is None:
            return '<span class="chip missing"><code>%s</code> (not in this chain)</span>' % esc(label)
        return ('<a class="chip" href="%s" title="%s"><span class="dot st-%s"></span>%d <code>%s</code></a>'
                % (step_href(e), esc(e.step.title), _own(e), e.number, esc(label)))


def _prose(text: str, links: _Links) -> str:
    try:
        return prose_html(text, links)
    except Exception:  # noqa: BLE001 (free text the TeX reading cannot parse is shown as text)
        return esc(text)


def _cite(key: str) -> str:
    try:
        p = bib.paper(key)
    except Exception:  # noqa: BLE001
        return "<cite>%s</cite>" % esc(key)
    href = (f"https://arxiv.org/abs/{p.eprint}" if p.eprint else f"https://doi.org/{p.doi}" if p.doi
            else p.url if p.url.startswith("http") else "")
    authors = ", ".join(a.split(",")[0] for a in p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
    label = f"{authors} {p.year or ''}".strip()
    title = esc(f"{'; '.join(p.authors)}, {p.title}")
    return ('<cite><a href="%s" title="%s">%s</a></cite>' % (esc(href), title, esc(label)) if href
            else '<cite title="%s">%s</cite>' % (title, esc(label)))


def _tex_html(tex: str, links: _Links) -> str:
    try:
        return tex_text_html(tex, links, _cite)
    except Exception:  # noqa: BLE001
        return esc(tex)


# ----------------------------------------------------------------------------------------- page frame

def _page(title: str, body: str, doc: Document, current: str = "") -> str:
    nav = ['<a href="index.html"%s>Overview</a>' % (' class="here"' if current == "index" else ""),
           '<a href="graph.html"%s>Graph</a>' % (' class="here"' if current == "graph" else "")]
    for sec in doc.sections:
        if sec.steps:
            nav.append('<a href="%s"%s title="%s">%s</a>' % (page_of(sec.key), ' class="here"' if current == sec.key
                                                              else "", esc(sec.title), esc(sec.short)))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:">
<title>{esc(title)}</title>
<link rel="stylesheet" href="style.css">
<script src="site.js" defer></script>
</head>
<body class="page-{esc(current or 'other')}">
<nav class="top"><span class="brand">Emergent quantumness · blueprint</span> {' '.join(nav)}</nav>
<p class="nomathml" hidden>This browser does not render MathML: the formulas below show as plain text. Chromium ≥ 109, Firefox or Safari render them.</p>
<main>
{body}
</main>
<footer>Written by <code>eqnn blueprint</code> from the same model as the PDF (<code>eqnn latex</code>); works offline, fetches nothing.</footer>
</body>
</html>
"""


# ----------------------------------------------------------------------------------------- a step

def _display(relations: Iterable[sp.Basic]) -> str:
    return "".join('<div class="eq">%s</div>' % mathml(r, display=True) for r in relations)


def _list(title: str, items: Sequence[str], cls: str = "") -> str:
    if not items:
        return ""
    return '<div class="field %s"><h4>%s</h4><ul>%s</ul></div>' % (cls, title,
                                                                  "".join(f"<li>{it}</li>" for it in items))


def _source(e: StepEntry, links: _Links) -> str:
    src = e.step.source
    where = ", ".join(x for x in (src.section, src.equation and ("eq. " + src.equation.removeprefix("eq. ")
                                                                  .removeprefix("eqs. "))) if x)
    out = "%s%s <span class=\"prov prov-%s\">%s</span>" % (_cite(src.paper), (", " + _prose(where, links)) if where
                                                           else "", esc(src.provenance.value),
                                                           esc(src.provenance.value))
    if src.note and not unresolved(src.note):
        out += ": " + _prose(src.note, links)
    if e.confirmed:
        out += " <span class=\"prov prov-confirmed\">confirmed verbatim by the user's file</span> (%s)" % esc(e.confirmed)
    return out


def _witnesses(v: Verdict) -> str:
    rows = []
    sym, nu = v.symbolic, v.numeric
    if sym is not None:
        if all(r == "0" for r in sym.residuals):
            what = "residual 0 (by %s)" % esc(", ".join(sorted(set(sym.methods))) or "substitution")
        elif sym.as_expected:
            what = "nonzero where the claim says so: <code>%s</code>" % esc("; ".join(sym.residuals))
        else:
            what = "<strong>not reduced</strong>: <code>%s</code>" % esc("; ".join(sym.residuals)[:400])
        rows.append("<tr><th>symbolic</th><td>%s; %.2f s</td></tr>" % (what, sym.seconds))
    if nu is not None:
        rows.append("<tr><th>numeric</th><td>%d points at %d digits (seed %d): max |r| = %s, tolerance %s%s</td></tr>"
                    % (nu.points, nu.dps, nu.seed, num(nu.max_abs_residual, 2), num(nu.tolerance, 2),
                       "" if nu.as_expected else " — <strong>not as claimed</strong>"))
        if nu.counterexample:
            what = "counterexample" if v.status is Status.FAILED else "witness point"
            rows.append("<tr><th>%s</th><td>%s</td></tr>" % (what, _pairs(nu.counterexample)))
        if nu.note and not unresolved(nu.note):
            rows.append("<tr><th>note</th><td>%s</td></tr>" % esc(nu.note))
    if v.exact:
        rows.append("<tr><th>exact values</th><td>%s</td></tr>" % _pairs(v.exact))
    if v.satisfied_at:
        rows.append("<tr><th>conditions hold at</th><td>%s</td></tr>" % _pairs(v.satisfied_at))
    c = v.counts
    if c.total:
        rows.append("<tr><th>obligations</th><td>%d in all: %d by substitution, %d inequalities, %d rewrites "
                    "witnessed</td></tr>" % (c.total, c.restatements, c.inequalities, c.rewrites_witnessed))
    rows.append("<tr><th>depth</th><td>%s</td></tr>" % esc(v.depth))
    rows.append("<tr><th>time</th><td>%.2f s%s (SymPy %s)</td></tr>" % (v.seconds, ", cached" if v.cached else "",
                                                                     esc(v.sympy_version)))
    return '<table class="witness">%s</table>' % "".join(rows)


def _pairs(pairs) -> str:
    return "; ".join("<code>%s</code> = <code>%s</code>" % (esc(k), esc(_short_number(val))) for k, val in pairs)


def _short_number(text: str) -> str:
    try:
        x = float(text)
    except (TypeError, ValueError):
        return str(text)
    return f"{x:.6g}" if len(str(text)) > 12 else str(text)


def _chain_record(v: Verdict, links: _Links) -> str:
    ch = v.chain
    if ch is None:
        return ""
    parts = ["%s" % _badge(ch.status, chain=True)]
    if ch.unsupported_by:
        parts.append("rests on steps that do not pass: " + ", ".join(links.chip(x) for x in ch.unsupported_by))
    if ch.postulates:
        parts.append("postulates in its closure: " + ", ".join(links.chip(x) for x in ch.postulates))
    out = '<p class="chain-line">' + " ".join(parts[:1]) + (" " + "; ".join(parts[1:]) if parts[1:] else "") + "</p>"
    if ch.conditions:
        items = []
        for c in ch.conditions:
            label, _, text = c.partition(": ")
            items.append("%s: %s" % (links(label, label) if label in links.by else esc(label), _prose(text, links)))
        out += ('<details class="inherited"><summary>%d inherited condition%s</summary><ul>%s</ul></details>'
                % (len(items), "" if len(items) == 1 else "s", "".join(f"<li>{x}</li>" for x in items)))
    return out


def _checks(checks: Sequence) -> str:
    if not checks:
        return ""
    rows = []
    for c in checks:
        det = getattr(c, "kind", "statistical") == "deterministic"
        p = getattr(c, "p_value", None)
        power = c.power
        rows.append("<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td>%s</td></tr>"
                    % ("pass" if c.passed else "fail", _badge("verified" if c.passed else "failed").replace(
                        ">verified<", ">pass<").replace(">failed<", ">fail<"),
                       esc(c.identity), esc(c.statistic),
                       ("residual " + num(c.estimate, 3) + " (tolerance " + num(c.stderr, 2) + ")") if det
                       else pm(c.estimate, c.stderr) + " vs " + num(c.expected),
                       ("%+.2f" % c.z).replace("-", "−"), num(p, 3) if p is not None else "–", c.n_samples, c.seed,
                       esc(f"planted {power.planted}: z = {power.z:+.3g}, "
                           f"{'detected' if power.detected else 'NOT detected'}")))
    thr = checks[0].threshold
    return ('<div class="field"><h4>Cross-checks against sampled ensembles</h4><table class="checks"><thead><tr>'
            "<th></th><th>identity</th><th>statistic</th><th>estimate ± SE vs expected</th><th>z</th><th>p</th>"
            "<th>n</th><th>seed</th><th>power</th></tr></thead><tbody>%s</tbody></table>"
            '<p class="small">Pass: |z| &lt; %s and the planted error detected.</p></div>'
            % ("".join(rows), num(thr, 3)))


def _facts(e: StepEntry) -> str:
    items = []
    for name, value in e.step.facts:
        if isinstance(value, sp.Basic) and not isinstance(value, sp.logic.boolalg.Boolean):
            items.append(mathml(sp.Eq(sp.Symbol(name), value, evaluate=False)))
    if not items:
        return ""
    return ('<details class="facts"><summary>Values handed to later steps (%d)</summary><ul>%s</ul></details>'
            % (len(items), "".join(f"<li>{x}</li>" for x in items)))


def _entry(e: StepEntry, links: _Links) -> str:
    s, v = e.step, e.verdict
    own, chain = _own(e), _chain(e)
    marks = []
    if e.main_line:
        marks.append('<a class="mark main" href="index.html#main-line" title="on the main line">★ main line</a>')
    for g in e.gaps:
        marks.append('<a class="mark gap" href="index.html#gap-%s" title="shows gap %s">gap %s</a>' % (g, g, g))
    out = ['<article class="step" id="%s" data-status="%s" data-chain="%s" data-search="%s">'
           % (esc(s.label), own, chain, esc(f"{e.number} {s.label} {s.title}".lower())),
           '<header><span class="num">Step %d</span> <h3>%s</h3> %s %s %s</header>'
           % (e.number, _prose(s.title, links), _badge(own), _badge(chain, chain=True), " ".join(marks)),
           '<p class="meta"><code>%s</code> · %s%s · <a href="graph.html#node-%s">in the graph</a></p>'
           % (esc(s.label), esc(s.kind.value), (" · " + esc(s.depth)) if s.depth != "proof" else "",
              esc(s.label)),
           '<div class="statement">%s</div>' % _display(s.statement)]
    if s.given:
        out.append('<div class="given"><span class="where">where</span>%s</div>' % _display(s.given))
    uses = " ".join(links.chip(p) for p in e.uses) or '<span class="none">none: an input of the chain</span>'
    used = " ".join(links.chip(p) for p in e.used_by) or '<span class="none">no later step</span>'
    out.append('<dl class="links"><dt>Uses</dt><dd>%s</dd><dt>Used by</dt><dd>%s</dd></dl>' % (uses, used))
    out.append(_list("Assumptions", [_prose(a, links) for a in s.assumptions]))
    out.append(_list("Conditions", [_prose(str(c), links) for c in s.conditions], "conditions"))
    if s.variant:
        out.append('<div class="field"><h4>Variant</h4><p>%s</p></div>'
                   % "; ".join("%s = %s" % (_prose(k, links), _prose(val, links)) for k, val in s.variant))
    out.append(_facts(e))
    if s.transformation:
        out.append('<div class="field"><h4>Proof</h4><p>%s</p></div>' % _prose(s.transformation, links))
    if s.note and not unresolved(s.note):
        out.append('<div class="field"><h4>Note</h4><p>%s</p></div>' % _prose(s.note, links))
    out.append('<div class="field"><h4>Source</h4><p>%s</p></div>' % _source(e, links))
    if v is None:
        out.append('<div class="field verdict"><h4>Verdict</h4><p>%s not verified in this build.</p></div>'
                   % _badge("none"))
    else:
        reason = "" if unresolved(v.reason) else _prose(v.reason, links)
        out.append('<div class="field verdict"><h4>Verdict</h4><p>%s %s</p>%s%s</div>'
                   % (_badge(own), reason, _chain_record(v, links), _witnesses(v)))
    out.append(_checks(e.checks))
    out.append("</article>")
    return "\n".join(x for x in out if x)


def _part_page(doc: Document, sec: SectionEntry, links: _Links) -> str:
    intro = '<p class="intro">%s</p>' % _prose(sec.intro, links) if sec.intro else ""
    paper = '<p class="meta">In the papers: %s</p>' % esc(sec.paper_section) if sec.paper_section else ""
    toc = "".join('<li><a href="#%s"><span class="dot st-%s"></span>%d %s</a></li>'
                  % (esc(e.label), _own(e), e.number, _prose(e.step.title, links)) for e in sec.steps)
    body = (f'<h1>{esc(sec.title)}</h1>{intro}{paper}'
            f'{_filter_bar(doc, "article.step")}'
            f'<details class="toc"><summary>{len(sec.steps)} steps in this part</summary><ol class="plain">{toc}</ol>'
            f'</details>'
            + "\n".join(_entry(e, links) for e in sec.steps))
    return _page(sec.title, body, doc, sec.key)


# ----------------------------------------------------------------------------------------- front page

def _filter_bar(doc: Document, target: str) -> str:
    own = sorted({_own(e) for e in doc.steps}, key=OWN_STATUSES.index)
    chain = sorted({_chain(e) for e in doc.steps}, key=lambda s: CHAIN_STATUSES.index(s) if s in CHAIN_STATUSES else 99)
    opts = lambda xs: "".join(f'<option value="{x}">{x}</option>' for x in xs)  # noqa: E731
    return (f'<form class="filter" data-target="{target}">'
            f'<label>Search <input type="search" name="q" placeholder="label or title"></label> '
            f'<label>Status <select name="status"><option value="">any</option>{opts(own)}</select></label> '
            f'<label>Chain status <select name="chain"><option value="">any</option>{opts(chain)}</select></label> '
            f'<output name="shown"></output></form>')


def _counts(doc: Document) -> str:
    own = [s for s in OWN_STATUSES if any(_own(e) == s for e in doc.steps)]
    chain = [s for s in CHAIN_STATUSES if any(_chain(e) == s for e in doc.steps)]
    head = "<tr><th>own status \\ chain status</th>%s<th>all</th></tr>" % "".join(
        f"<th>{_badge(c, chain=True)}</th>" for c in chain)
    rows = []
    for o in own:
        cells = "".join("<td>%s</td>" % (sum(1 for e in doc.steps if _own(e) == o and _chain(e) == c) or "")
                        for c in chain)
        rows.append(f"<tr><th>{_badge(o)}</th>{cells}<td><strong>{sum(1 for e in doc.steps if _own(e) == o)}"
                    f"</strong></td></tr>")
    rows.append("<tr><th>all</th>%s<td><strong>%d</strong></td></tr>" % ("".join(
        "<td><strong>%d</strong></td>" % sum(1 for e in doc.steps if _chain(e) == c) for c in chain), len(doc.steps)))
    parts = []
    for sec in doc.sections:
        ck = [c for e in sec.steps for c in e.checks]
        cells = "".join("<td>%s</td>" % (sum(1 for e in sec.steps if _own(e) == o) or "") for o in own)
        parts.append('<tr><th><a href="%s">%s</a></th><td>%d</td>%s<td>%s</td></tr>'
                     % (page_of(sec.key), esc(sec.short), len(sec.steps), cells,
                        f"{sum(1 for c in ck if c.passed)} of {len(ck)}" if ck else "–"))
    return ('<div class="tables"><table class="counts"><caption>Steps by own status (rows) and chain status '
            '(columns)</caption>%s%s</table>'
            '<table class="counts"><caption>By part</caption><tr><th>part</th><th>steps</th>%s<th>cross-checks '
            'passed</th></tr>%s</table></div>'
            % (head, "".join(rows), "".join(f"<th>{_badge(o)}</th>" for o in own), "".join(parts)))


def _plot(series: Sequence, xlabel: str, title: str, width: int = 340, height: int = 220) -> str:
    """A small SVG plot of y ± se against x (one colour per series), drawn from the recorded numbers."""
    if not series:
        return ""
    xs = [x for s in series for x in s.x]
    ys = [y + k * e for s in series for y, e in zip(s.y, s.se) for k in (-1, 1)] + [0.0]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    padx, pady = (x1 - x0) * 0.08 or 1.0, (y1 - y0) * 0.08 or 1.0
    x0, x1, y0, y1 = x0 - padx, x1 + padx, y0 - pady, y1 + pady
    L, R, T, B = 52, 10, 24, 34
    sx = lambda x: L + (x - x0) / (x1 - x0) * (width - L - R)  # noqa: E731
    sy = lambda y: T + (y1 - y) / (y1 - y0) * (height - T - B)  # noqa: E731
    palette = ["#1f6fb4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d"]
    out = [f'<svg class="plot" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="{esc(title)}">',
           f'<text x="{width / 2}" y="14" class="ptitle">{esc(title)}</text>',
           f'<line x1="{L}" y1="{sy(0):.1f}" x2="{width - R}" y2="{sy(0):.1f}" class="zero"/>',
           f'<rect x="{L}" y="{T}" width="{width - L - R}" height="{height - T - B}" class="frame"/>']
    for k in range(5):
        yv = y0 + (y1 - y0) * k / 4
        xv = x0 + (x1 - x0) * k / 4
        out.append(f'<text x="{L - 4}" y="{sy(yv) + 3:.1f}" class="tick" text-anchor="end">{num(yv, 2)}</text>')
        out.append(f'<text x="{sx(xv):.1f}" y="{height - B + 13}" class="tick" text-anchor="middle">{num(xv, 2)}</text>')
    out.append(f'<text x="{(L + width - R) / 2}" y="{height - 4}" class="axis" text-anchor="middle">{esc(xlabel)}</text>')
    out.append(f'<text x="12" y="{(T + height - B) / 2}" class="axis" text-anchor="middle" '
               f'transform="rotate(-90 12 {(T + height - B) / 2})">Γ</text>')
    for i, s in enumerate(series):
        col = palette[i % len(palette)]
        pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(s.x, s.y))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{col}" stroke-width="1.2" opacity="0.7"/>')
        for x, y, e in zip(s.x, s.y, s.se):
            out.append(f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{sy(y - e):.1f}" y2="{sy(y + e):.1f}" '
                       f'stroke="{col}"/><circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.6" fill="{col}">'
                       f'<title>{esc(s.name)}: Γ = {pm(y, e)} at {num(x)}</title></circle>')
    out.append("</svg>")
    names = [s.name for s in series]
    legend = "" if len(names) < 2 else '<div class="plegend">%s</div>' % " ".join(
        f'<span><i style="background:{palette[i % len(palette)]}"></i>{esc(n)}</span>' for i, n in enumerate(names))
    return '<figure class="plot">%s%s</figure>' % ("".join(out), legend)


def _experiment(doc: Document, links: _Links) -> str:
    exp = doc.experiment
    out = ['<section id="experiment"><h2>The experiment the paper did not run: does learning quantize '
           'circulation?</h2>']
    if exp is None:
        out.append("<p>The circulation experiment has not been recorded in this build.</p></section>")
        return "".join(out)
    f = exp.figures
    out.append(f"<p>If the free energy were multivalued with periods in <math><mi>μ</mi><mi>ℤ</mi></math>, the "
               f"circulation Γ of the learned current around a loop in trainable space would be a multiple of μ, "
               f"independent of the loop. The package trains a grand canonical ensemble of "
               f"{exp.n_networks or 'many':,} networks for {exp.n_steps or 'many':,} steps of mini-batch SGD with "
               f"neuron exchange (seed {exp.seed}; <code>{esc(exp.command)}</code>) and measures Γ, calibrated "
               f"against the exact Brownian-gyrator formula, with two controls.</p>")
    out.append('<p class="verdict-line"><strong>Verdict: %s.</strong></p>' % esc(_OUTCOMES.get(exp.outcome,
                                                                                                 exp.outcome)))
    rows = [("Γ ∝ R<sup>α</sup>, α", pm(f.get("alpha_B1_kex1"), f.get("alpha_se")), "quantization: 0; area law: 2"),
            ("dΓ/dμ", pm(f.get("dGamma_dmu"), f.get("dGamma_dmu_se")), "quantization: a nonzero integer"),
            ("Γ(μ = 0)", pm(f.get("Gamma_mu0"), f.get("Gamma_mu0_se")), "quantization: 0"),
            ("largest effect of the exchange rate on Γ", num(f.get("max_exchange_effect_over_mu"), 2) + " μ",
             "quantization: Γ set by μ"),
            ("controls (commuting data give 0, mirrored data flip the sign)",
             "passed" if f.get("controls_passed", True) else "failed", "")]
    out.append('<table class="figures"><tr><th>figure</th><th>measured</th><th>what quantization predicts</th></tr>%s'
               "</table>" % "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows))
    radius = [s for s in exp.series if s.figure == "radius"]
    mu = [s for s in exp.series if s.figure == "mu"]
    if radius or mu:
        out.append('<div class="plots">%s%s</div>' % (_plot(radius, "loop radius R", "Γ against the loop radius"),
                                                      _plot(mu, "chemical potential μ", "Γ against μ (R = 0.05)")))
    if exp.criteria:
        out.append('<ul class="criteria">%s</ul>' % "".join(
            '<li class="%s">%s %s</li>' % ("met" if met else "unmet", "✓" if met else "✗", _prose(c, links))
            for c, met in exp.criteria))
    out.append(f'<p class="small">Recorded in <code>{esc(exp.source)}</code>. This does not refute the paper for '
               f'every network; it shows that the quantization is not what learning produces here, in line with '
               f'<a href="#gap-G2">G2</a>.</p></section>')
    return "".join(out)


def _record_section(sec, links: _Links) -> str:
    """A section of recorded experiments (:class:`papers.content.RecordSection`), as the PDF shows it."""
    from papers.recorded import measured

    out = [f'<section id="rec-{esc(sec.key)}"><h2>{esc(sec.title)}</h2><p>{_prose(sec.intro, links)}</p>']
    if not sec.experiments:
        out.append("<p><em>No experiment of this section is recorded in this build.</em></p></section>")
        return "".join(out)
    for exp in sec.experiments:
        rows = []
        for f in exp.figures:
            value, se = measured(f)
            rows.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                        % (_prose(f.quantity, links), esc(value + (" ± " + se if se is not None else "")),
                           _prose(f.reference, links), "–" if f.z is None else esc(f"{f.z:+.2f}")))
        out.append(f'<h3 id="rec-{esc(sec.key)}-{esc(exp.key)}">{esc(exp.name)}</h3>'
                   '<table class="figures"><tr><th>figure</th><th>measured ± SE</th><th>compared with</th>'
                   '<th>z</th></tr>' + "".join(rows) + "</table>"
                   f'<p class="verdict-line"><strong>Verdict: {esc(exp.verdict)}.</strong></p>'
                   f'<p class="small">Recorded in <code>{esc(exp.source)}</code> ({esc(exp.size)}): '
                   f'<code>{esc(exp.command)}</code>.</p>')
    out.append("</section>")
    return "".join(out)


def _gaps(doc: Document, links: _Links) -> str:
    out = ['<section id="gaps"><h2>Where the argument has gaps</h2><p>The algebra of the reconstruction holds; '
           'three steps of the argument do not follow. Each gap is shown by steps whose verdicts say so.</p>']
    for g in doc.gaps:
        out.append('<div class="gap" id="gap-%s"><h3>%s. %s</h3><p>%s</p>' % (g.key, g.key, _tex_html(g.title, links),
                                                                             _tex_html(g.tex, links)))
        if g.key in doc.gap_display:
            label, rels = doc.gap_display[g.key]
            if rels:
                out.append('<div class="with-ref">%s<span class="eqref">%s</span></div>'
                           % (_display(rels), links(label, "Step %d" % links.by[label].number)))
        if g.labels:
            out.append('<p class="steps">Steps: %s</p>' % " ".join(
                links.chip(lab) + " " + (_badge(_own(links.by[lab])) if lab in links.by else "") for lab in g.labels))
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _index(doc: Document, links: _Links) -> str:
    out = ['<section id="steps"><h2>Every step</h2><p>One click to any step: filter by status, or search by '
           'label or title. Own status: does the step follow from its premises\' displays. Chain status: what it '
           'inherits from every step it rests on.</p>', _filter_bar(doc, "tr.row")]
    for sec in doc.sections:
        if not sec.steps:
            continue
        out.append('<table class="index"><caption><a href="%s">%s</a></caption>' % (page_of(sec.key), esc(sec.title)))
        for e in sec.steps:
            marks = ("★ " if e.main_line else "") + " ".join(e.gaps)
            out.append('<tr class="row" data-status="%s" data-chain="%s" data-search="%s"><td class="n">%d</td>'
                       '<td><a href="%s"><code>%s</code></a></td><td>%s</td><td>%s</td><td>%s</td><td class="marks">'
                       '%s</td></tr>'
                       % (_own(e), _chain(e), esc(f"{e.number} {e.label} {e.step.title}".lower()), e.number,
                          step_href(e), esc(e.label), _prose(e.step.title, links), _badge(_own(e)),
                          _badge(_chain(e), chain=True), esc(marks)))
        out.append("</table>")
    out.append("</section>")
    return "".join(out)


def _front(doc: Document, links: _Links) -> str:
    c = doc.counts
    n = len(doc.steps)
    others = ", ".join(f"{c[k]} {'not verified' if k == 'none' else k}" for k in c
                       if k not in ("verified", "conditional", "assumed"))
    claim = (f'<p class="lead">{_cite("KV2021")} argue that the learning dynamics of a neural network, with the '
             f'hidden neurons in a canonical ensemble and a varying number of active neurons, is described by a '
             f'Schrödinger equation with Planck\'s constant set by the chemical potential, '
             f'<math><mi>ħ</mi><mo>=</mo><mrow><mo stretchy="false">|</mo><mi>μ</mi><mo stretchy="false">|</mo>'
             f'</mrow><mo>/</mo><mn>2</mn><mi>π</mi></math>. This site rebuilds the argument as a chain of {n} '
             f'steps, each stated in the paper\'s notation and checked by computer algebra and by an independent '
             f'numerical witness: {c.get("verified", 0)} verified, {c.get("conditional", 0)} verified under '
             f'conditions they name, {c.get("assumed", 0)} definitions or postulates'
             f'{", " + others if others else ""}. The algebra holds; the argument has three gaps '
             f'(<a href="#gaps">G1–G3</a>), and the experiment the paper did not run finds '
             f'{esc(_OUTCOMES.get(doc.experiment.outcome, doc.experiment.outcome)) if doc.experiment else "—"} '
             f'(<a href="#experiment">below</a>).</p>')
    quick = ('<p class="quick"><a href="graph.html">The dependency graph</a> · <a href="#main-line">the main line'
             '</a> · <a href="#gaps">the gaps</a> · <a href="#experiment">the experiment</a> · '
             + "".join(f'<a href="#rec-{esc(sec.key)}">{esc(sec.title[0].lower() + sec.title[1:])}</a> · '
                       for sec in doc.record_sections)
             + '<a href="#counts">counts</a> · <a href="#steps">every step</a></p>')
    main = ['<section id="main-line"><h2>The argument in ten equations</h2><p>Each display is the statement of a '
            'step of the chain, as verified; the tag links to the step.</p><ol class="main-line">']
    for item in doc.main_line:
        e = links.by.get(item.label)
        tag = links(item.label, f"Step {e.number}") if e else ""
        badge = _badge(_own(e)) if e else ""
        body = _display(item.relations) if item.relations else "<p><em>no such relation in this build</em></p>"
        main.append('<li><p>%s</p><div class="with-ref">%s<span class="eqref">%s %s</span></div></li>'
                    % (_prose(item.caption[0].upper() + item.caption[1:], links), body, tag, badge))
    main.append("</ol></section>")
    variants = ""
    if doc.variants:
        rows = "".join('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>'
                       % (_prose(r.reading, links), "".join(mathml(x) + " " for x in r.relations) or "–",
                          links.chip(r.label), _prose(r.note, links)) for r in doc.variants)
        variants = ('<section id="variants"><h2>Readings of m and ħ</h2><p>The available text does not fix the mass '
                    'and the constant; each reading is read from the facts of the step that establishes it.</p>'
                    f'<table class="variants"><tr><th>reading</th><th>value</th><th>step</th><th>remark</th></tr>'
                    f'{rows}</table></section>')
    checks = doc.crosschecks
    note = (f"{sum(1 for c in checks if c.passed)} of {len(checks)} sampled cross-checks passed."
            if checks else (doc.crosscheck_note or "No cross-check was run for this build."))
    counts = ('<section id="counts"><h2>Counts</h2>' + _counts(doc) +
              f'<p class="small">{esc(note)} Seed {doc.seed if doc.seed is not None else DEFAULT_SEED}.</p></section>')
    body = ("<h1>Emergent quantumness in neural networks: the argument as a machine-checked chain</h1>"
            + claim + quick + "".join(main) + _gaps(doc, links) + _experiment(doc, links)
            + "".join(_record_section(sec, links) for sec in doc.record_sections) + counts + variants
            + '<section id="graph-link"><h2>The dependency graph</h2><p><a href="graph.html"><img src="graph.svg" '
              'alt="the dependency graph" class="thumb"></a></p><p><a href="graph.html">Open the graph</a>: every '
              'node links to its step.</p></section>'
            + _index(doc, links))
    return _page("Emergent quantumness: blueprint", body, doc, "index")


# ----------------------------------------------------------------------------------------- the graph

NODE_W, NODE_H, COL_W, ROW_H, BAND_GAP = 156, 30, 184, 42, 30


def _positions(doc: Document, per_column: int = 7) -> dict[str, tuple[float, float]]:
    clusters = [[e.step for e in sec.steps] for sec in doc.sections if sec.steps]
    grid = graph_layout([e.step for e in doc.steps], per_column, clusters)
    return {lab: (20 + col * COL_W, 40 + row * ROW_H) for lab, (col, row) in grid.items()}


def graph_svg(doc: Document, standalone: bool = False) -> str:
    """The dependency graph as SVG: one band per part, nodes filled by own status and outlined by chain
    status, the main line starred, the gap steps in a dashed red frame; each node links to its step."""
    pos = _positions(doc)
    if not pos:
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>"
    width = max(x for x, _ in pos.values()) + NODE_W + 30
    height = max(y for _, y in pos.values()) + NODE_H + 20
    by = {e.label: e for e in doc.steps}
    out = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="graph" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
           'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">']
    if standalone:
        out.append("<style>%s</style>" % _GRAPH_CSS)
    out.append('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
               'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>')
    for sec in doc.sections:
        labs = [e.label for e in sec.steps if e.label in pos]
        if not labs:
            continue
        ys = [pos[lab][1] for lab in labs]
        xs = [pos[lab][0] for lab in labs]
        top, bottom = min(ys) - 28, max(ys) + NODE_H + 8
        out.append(f'<g class="band"><rect x="8" y="{top:.0f}" width="{max(xs) + NODE_W + 12 - 8:.0f}" '
                   f'height="{bottom - top:.0f}" rx="6"/><a href="{page_of(sec.key)}"><text x="16" y="{top + 16:.0f}">'
                   f'{esc(sec.short)} ({len(labs)} steps)</text></a></g>')
    out.append('<g class="edges">')
    for e in doc.steps:
        for p in e.uses:
            if p not in pos or e.label not in pos:
                continue
            (x0, y0), (x1, y1) = pos[p], pos[e.label]
            if x1 > x0 + 1:
                a, b = (x0 + NODE_W, y0 + NODE_H / 2), (x1, y1 + NODE_H / 2)
                dx = (b[0] - a[0]) / 2
                d = f"M{a[0]:.0f},{a[1]:.0f} C{a[0] + dx:.0f},{a[1]:.0f} {b[0] - dx:.0f},{b[1]:.0f} {b[0]:.0f},{b[1]:.0f}"
            else:
                a, b = (x0 + NODE_W / 2, y0 + NODE_H), (x1 + NODE_W / 2, y1)
                if y1 <= y0:
                    a, b = (x0 + NODE_W / 2, y0), (x1 + NODE_W / 2, y1 + NODE_H)
                dy = (b[1] - a[1]) / 2
                d = f"M{a[0]:.0f},{a[1]:.0f} C{a[0]:.0f},{a[1] + dy:.0f} {b[0]:.0f},{b[1] - dy:.0f} {b[0]:.0f},{b[1]:.0f}"
            out.append(f'<path d="{d}" data-from="{esc(p)}" data-to="{esc(e.label)}" marker-end="url(#arrow)"/>')
    out.append("</g><g class=\"nodes\">")
    for e in doc.steps:
        if e.label not in pos:
            continue
        x, y = pos[e.label]
        own, chain = _own(e), _chain(e)
        title = f"Step {e.number}: {e.step.title} — {e.label}; own status {own}, chain status {chain}"
        if e.main_line:
            title += "; on the main line"
        if e.gaps:
            title += "; shows gap " + ", ".join(e.gaps)
        cls = "node" + (" main" if e.main_line else "") + (" gapstep" if e.gaps else "")
        text = f"{e.number} {short_title(e.label, 19)}"
        parts = [f'<a href="{step_href(e)}" id="node-{esc(e.label)}" class="{cls}" data-label="{esc(e.label)}">'
                 f'<title>{esc(title)}</title>']
        if e.gaps:
            parts.append(f'<rect class="gapframe" x="{x - 4}" y="{y - 4}" width="{NODE_W + 8}" height="{NODE_H + 8}" '
                         f'rx="7"/><text class="gaptag" x="{x + NODE_W - 2}" y="{y - 6}" text-anchor="end">'
                         f'{esc(" ".join(e.gaps))}</text>')
        parts.append(f'<rect class="box own-{own} chain-{chain}" x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" '
                     f'rx="5" fill="{_tint(COLOURS.get(own, COLOURS["none"]))}" stroke="{COLOURS.get(chain, COLOURS["none"])}"/>')
        parts.append(f'<rect x="{x}" y="{y}" width="7" height="{NODE_H}" rx="3" fill="{COLOURS.get(own, COLOURS["none"])}"/>')
        star = "★ " if e.main_line else ""
        parts.append(f'<text x="{x + 13}" y="{y + NODE_H / 2 + 4}">{star}{esc(text)}</text></a>')
        out.append("".join(parts))
    out.append("</g></svg>")
    del by
    return "\n".join(out)


def _tint(hex_colour: str, amount: float = 0.78) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _legend(doc: Document) -> str:
    own = [s for s in OWN_STATUSES if any(_own(e) == s for e in doc.steps)] or ["none"]
    chain = [s for s in CHAIN_STATUSES if any(_chain(e) == s for e in doc.steps)] or ["none"]
    fills = " ".join(f'<span class="key"><i class="fill" style="background:{_tint(COLOURS[s])};border-left:6px solid '
                     f'{COLOURS[s]}"></i>{esc(s)}</span>' for s in own)
    borders = " ".join(f'<span class="key"><i class="border" style="border-color:{COLOURS[s]}"></i>{esc(s)}</span>'
                       for s in chain)
    return ('<div class="legend"><p><strong>Fill</strong> (and left bar): the step\'s own status — does it follow '
            f'from its premises\' displays. {fills}</p><p><strong>Border</strong>: its chain status — what it '
            f'inherits from every step it rests on. {borders}</p><p><span class="key">★ on the main line</span> '
            '<span class="key"><i class="gapkey"></i>shows a gap (G1–G3)</span> <span class="key">arrow: from a '
            'premise to the step that uses it</span> · bands are the parts of the paper; click a node to open its '
            'step, a band title to open its part.</p></div>')


def _graph_page(doc: Document, svg: str) -> str:
    body = (f"<h1>The dependency graph</h1><p>{len(doc.steps)} steps; within a band a step sits right of its "
            f"premises in the same part. Hover a node for its title and statuses.</p>{_legend(doc)}"
            f'<div class="graph-wrap">{svg}</div>')
    return _page("Dependency graph", body, doc, "graph")


# ----------------------------------------------------------------------------------------- assets

_GRAPH_CSS = """
.band rect { fill: #f6f7f9; stroke: #d9dde3; }
.band text { font-size: 13px; font-weight: bold; fill: #444; }
.edges path { fill: none; stroke: #9aa0a6; stroke-width: 1; opacity: .45; }
.edges path.hot { stroke: #1a1a1a; opacity: 1; stroke-width: 1.8; }
.nodes text { font-size: 11.5px; fill: #111; }
.nodes .main text { font-weight: bold; }
.nodes .box { stroke-width: 2.6; }
.gapframe { fill: none; stroke: #c0392b; stroke-width: 1.6; stroke-dasharray: 5 3; }
.gaptag { font-size: 9.5px; fill: #c0392b; font-weight: bold; }
.nodes a:hover .box, .nodes a:focus .box { stroke-width: 4; }
"""


def _css() -> str:
    st = "\n".join(f".st-{k} {{ --c: {v}; }}" for k, v in COLOURS.items())
    return f"""/* written by eqnn blueprint: no web fonts, nothing fetched */
:root {{ --ink: #1d2125; --muted: #5f6b76; --line: #dfe3e8; --link: #174ea6; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font: 16px/1.5 "DejaVu Serif", Georgia, "Times New Roman", serif; color: var(--ink); background: #fff; }}
math {{ font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre", "Cambria Math", "DejaVu Serif", serif; font-size: 1.06em; }}
math[display="block"] {{ margin: .35em 0; overflow-x: auto; overflow-y: hidden; padding: 2px 0; }}
main {{ max-width: 1120px; margin: 0 auto; padding: 0 24px 48px; }}
body.page-graph main {{ max-width: none; }}
nav.top {{ position: sticky; top: 0; z-index: 5; background: #1d2b3a; color: #fff; padding: 8px 20px;
  font: 14px/1.4 "DejaVu Sans", Helvetica, Arial, sans-serif; }}
nav.top a {{ color: #dbe7ff; margin-right: 14px; text-decoration: none; }}
nav.top a.here {{ color: #fff; font-weight: bold; border-bottom: 2px solid #fff; }}
nav.top .brand {{ font-weight: bold; margin-right: 22px; }}
footer {{ color: var(--muted); font-size: 13px; text-align: center; padding: 20px; border-top: 1px solid var(--line); }}
h1 {{ font-size: 1.7em; line-height: 1.25; margin: 1em 0 .4em; }}
h2 {{ font-size: 1.35em; margin: 1.6em 0 .4em; border-bottom: 1px solid var(--line); padding-bottom: 3px; }}
h3 {{ font-size: 1.1em; margin: 0; display: inline; }}
h4 {{ font: bold 13px/1.4 "DejaVu Sans", Helvetica, Arial, sans-serif; margin: .7em 0 .2em; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; }}
a {{ color: var(--link); }}
code {{ font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .86em; }}
.lead {{ font-size: 1.08em; }}
.quick {{ font-family: "DejaVu Sans", sans-serif; font-size: 14px; }}
.small, .meta {{ font-size: 13.5px; color: var(--muted); }}
{st}
.badge {{ display: inline-block; font: bold 11.5px/1.5 "DejaVu Sans", Helvetica, Arial, sans-serif; padding: 0 7px;
  border-radius: 9px; vertical-align: middle; white-space: nowrap; }}
.badge.own {{ background: var(--c); color: #fff; }}
.badge.chain {{ background: #fff; color: var(--c); border: 2px solid var(--c); padding: 0 6px; }}
.dot {{ display: inline-block; width: .7em; height: .7em; border-radius: 50%; background: var(--c); margin-right: 4px; }}
.chip {{ display: inline-block; border: 1px solid var(--line); border-radius: 12px; padding: 0 8px 0 6px; margin: 2px 3px 2px 0;
  text-decoration: none; font-size: 14px; background: #fafbfc; }}
.chip:hover {{ background: #eef3fd; }}
.chip.missing {{ color: var(--muted); }}
a.ref {{ text-decoration: none; border-bottom: 2px solid var(--c); }}
.mark {{ font: bold 11.5px "DejaVu Sans", sans-serif; text-decoration: none; padding: 0 6px; border-radius: 9px; }}
.mark.main {{ color: #7a5b00; background: #fff4cc; }}
.mark.gap {{ color: #fff; background: #c0392b; }}
article.step {{ border: 1px solid var(--line); border-left: 7px solid var(--c, #888); border-radius: 6px; padding: 12px 18px;
  margin: 18px 0; scroll-margin-top: 48px; }}
article.step:target {{ box-shadow: 0 0 0 3px #ffd54f; }}
article.step[data-status="verified"] {{ --c: {COLOURS["verified"]}; }}
article.step[data-status="conditional"] {{ --c: {COLOURS["conditional"]}; }}
article.step[data-status="assumed"] {{ --c: {COLOURS["assumed"]}; }}
article.step[data-status="inconclusive"] {{ --c: {COLOURS["inconclusive"]}; }}
article.step[data-status="failed"] {{ --c: {COLOURS["failed"]}; }}
article.step[data-status="vacuous"] {{ --c: {COLOURS["vacuous"]}; }}
.step header .num {{ font: bold 14px "DejaVu Sans", sans-serif; color: var(--muted); margin-right: 4px; }}
.statement, .given {{ margin: 8px 0; padding: 4px 14px; background: #fbfbfd; border-radius: 4px; }}
.given .where {{ font-style: italic; color: var(--muted); font-size: 14px; }}
dl.links {{ display: grid; grid-template-columns: 5.5em 1fr; gap: 2px 10px; margin: 8px 0; }}
dl.links dt {{ font: bold 13px/2 "DejaVu Sans", sans-serif; color: var(--muted); }}
dl.links dd {{ margin: 0; }}
.none {{ color: var(--muted); font-style: italic; font-size: 14px; }}
.field p, .field ul {{ margin: .2em 0; }}
table {{ border-collapse: collapse; }}
table.witness th {{ text-align: left; font: 13px "DejaVu Sans", sans-serif; color: var(--muted); padding: 2px 12px 2px 0;
  vertical-align: top; white-space: nowrap; }}
table.witness td {{ font-size: 14px; padding: 2px 0; overflow-wrap: anywhere; }}
table.checks, table.counts, table.index, table.figures, table.variants {{ font: 13.5px/1.4 "DejaVu Sans", sans-serif; margin: 6px 0; }}
table.checks td, table.checks th, table.counts td, table.counts th, table.figures td, table.figures th,
table.variants td, table.variants th {{ border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }}
table.counts td {{ text-align: center; }}
table.index {{ width: 100%; }}
table.index caption {{ text-align: left; font-weight: bold; padding: 10px 0 4px; font-size: 15px; }}
table.index td {{ padding: 2px 8px; border-bottom: 1px solid #f0f2f4; }}
table.index td.n {{ color: var(--muted); text-align: right; width: 2.5em; }}
.tables {{ display: flex; flex-wrap: wrap; gap: 28px; }}
caption {{ font: bold 13.5px "DejaVu Sans", sans-serif; text-align: left; padding-bottom: 4px; }}
.main-line li {{ margin: 10px 0; }}
.main-line li > p {{ margin: 0; }}
.with-ref {{ display: flex; align-items: center; gap: 12px; }}
.with-ref > div {{ flex: 1; min-width: 0; }}
.eqref {{ white-space: nowrap; font-size: 14px; }}
.gap {{ border-left: 5px solid #c0392b; padding: 4px 16px; margin: 14px 0; background: #fdf6f5; }}
.gap h3 {{ display: block; margin-top: 6px; }}
.criteria {{ list-style: none; padding-left: 0; font-size: 14.5px; }}
.criteria .met {{ color: #1e6b1e; }} .criteria .unmet {{ color: #b00020; }}
.plots {{ display: flex; flex-wrap: wrap; gap: 24px; }}
figure.plot {{ margin: 0; }}
svg.plot .frame {{ fill: none; stroke: #bbb; }} svg.plot .zero {{ stroke: #888; stroke-dasharray: 4 3; }}
svg.plot text {{ font: 10px "DejaVu Sans", sans-serif; fill: #333; }} svg.plot .ptitle {{ font-weight: bold; text-anchor: middle; font-size: 11.5px; }}
svg.plot .axis {{ font-size: 11px; }}
.plegend {{ font: 11px "DejaVu Sans", sans-serif; max-width: 340px; }}
.plegend span {{ margin-right: 10px; white-space: nowrap; }} .plegend i {{ display: inline-block; width: 9px; height: 9px; margin-right: 3px; }}
form.filter {{ font: 14px "DejaVu Sans", sans-serif; background: #f3f5f8; padding: 8px 12px; border-radius: 6px; margin: 10px 0;
  position: sticky; top: 38px; z-index: 4; }}
form.filter label {{ margin-right: 14px; }}
form.filter input {{ width: 16em; }}
form.filter output {{ color: var(--muted); }}
.legend {{ font: 13.5px/1.9 "DejaVu Sans", sans-serif; }}
.legend .key {{ margin-right: 12px; white-space: nowrap; }}
.legend i {{ display: inline-block; width: 26px; height: 14px; vertical-align: middle; margin-right: 4px; border-radius: 3px; }}
.legend i.border {{ border: 3px solid; background: #fff; }}
.legend i.gapkey {{ border: 2px dashed #c0392b; }}
.graph-wrap {{ overflow: auto; border: 1px solid var(--line); border-radius: 6px; }}
img.thumb {{ max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }}
details.toc ol.plain {{ columns: 2; font-size: 14px; }}
details summary {{ cursor: pointer; color: var(--muted); font-size: 14px; }}
code.math-fallback {{ background: #fff3e0; }}
.nomathml {{ background: #fff3e0; padding: 8px 20px; margin: 0; }}
[hidden] {{ display: none !important; }}
{_GRAPH_CSS}
"""


_JS = r"""// written by eqnn blueprint: filtering, search, graph highlighting; nothing is fetched
(function () {
  "use strict";
  function filter(form) {
    var q = form.elements.q.value.trim().toLowerCase();
    var st = form.elements.status.value, ch = form.elements.chain.value;
    var items = document.querySelectorAll(form.getAttribute("data-target")), shown = 0;
    items.forEach(function (el) {
      var ok = (!q || el.getAttribute("data-search").indexOf(q) >= 0) &&
               (!st || el.getAttribute("data-status") === st) && (!ch || el.getAttribute("data-chain") === ch);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    form.elements.shown.value = shown + " of " + items.length + " shown";
  }
  document.querySelectorAll("form.filter").forEach(function (form) {
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("input", function () { filter(form); });
    form.addEventListener("change", function () { filter(form); });
    filter(form);
  });
  document.querySelectorAll("svg.graph .nodes a").forEach(function (node) {
    var label = node.getAttribute("data-label");
    function hot(on) {
      document.querySelectorAll('svg.graph .edges path').forEach(function (p) {
        if (p.getAttribute("data-from") === label || p.getAttribute("data-to") === label) {
          p.classList.toggle("hot", on);
        }
      });
    }
    node.addEventListener("mouseenter", function () { hot(true); });
    node.addEventListener("mouseleave", function () { hot(false); });
  });
  // MathML check: a browser that renders MathML gives every <math> a box; else say so on the page
  var maths = document.querySelectorAll("math"), rendered = 0;
  var native = typeof window.MathMLElement === "function";
  maths.forEach(function (m) {
    if (native && m instanceof window.MathMLElement && m.getBoundingClientRect().width > 0) { rendered += 1; }
  });
  document.documentElement.setAttribute("data-math", rendered + "/" + maths.length);
  if (maths.length && rendered < maths.length) {
    var warn = document.querySelector(".nomathml");
    if (warn) { warn.hidden = false; }
  }
}());
"""


# ----------------------------------------------------------------------------------------- writing

def write_site(doc: Document, out_dir: str | Path) -> list[Path]:
    """Write the site of ``doc`` into ``out_dir``; return the files written (index.html first)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    links = _Links(doc)
    svg = graph_svg(doc)
    files = {"index.html": _front(doc, links), "graph.html": _graph_page(doc, svg),
             "graph.svg": '<?xml version="1.0" encoding="utf-8"?>\n' + graph_svg(doc, standalone=True),
             "style.css": _css(), "site.js": _JS}
    for sec in doc.sections:
        files[page_of(sec.key)] = _part_page(doc, sec, links)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _stderr(line: str) -> None:
    print(f"eqnn blueprint: {line}", file=sys.stderr, flush=True)


def blueprint(out_dir: str | Path = "build/site", *, verdicts: Sequence[Verdict] | None = None,
              crosschecks: Sequence | None = None, seed: int | None = None, crosscheck: bool = True,
              crosscheck_note: str = "", say: Callable[[str], None] = _stderr,
              confirmed: str | Path | None = None) -> Path:
    """Verify (cached verdicts are reused), run the cross-checks unless given or ``crosscheck`` is false
    (in a forked worker while verifying, as ``eqnn run`` does), and write the site; return index.html."""
    from papers.export import _confirmations, run_crosschecks, writable_folder

    out = writable_folder(out_dir)
    pending = None
    if crosschecks is None and crosscheck:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            from papers.run import _Background

            pending = _Background(seed)
    if verdicts is None:
        from derive.contents import verify

        say("verifying (cached verdicts are reused) ...")
        verdicts = verify(seed=DEFAULT_SEED if seed is None else seed)
    if crosschecks is None:
        if pending is not None:
            crosschecks, crosscheck_note = pending.result()
        elif crosscheck:
            crosschecks, crosscheck_note = run_crosschecks(seed)
        else:
            crosschecks, crosscheck_note = (), "Cross-checks were skipped (--no-crosscheck)."
    doc = build(verdicts, crosschecks, seed=seed, crosscheck_note=crosscheck_note,
                confirmations=_confirmations(confirmed))
    written = write_site(doc, out)
    return written[0]


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="build/site", metavar="DIR", help="output folder (default ./build/site)")
    p.add_argument("--seed", type=seed_type, default=None, help="seed of the numeric witness and the samplers")
    p.add_argument("--no-crosscheck", action="store_true", help="do not run the sampled cross-checks")
    p.add_argument("--confirmed", metavar="F", default=None,
                   help="a file of the paper's equations (eqnn match --file): the steps it confirms say so")


def _run(args: argparse.Namespace) -> int:
    t = time.perf_counter()
    index = blueprint(args.output, seed=args.seed, crosscheck=not args.no_crosscheck, confirmed=args.confirmed)
    _stderr(f"wrote the site in {time.perf_counter() - t:.1f} s")
    print(index)
    return 0


COMMAND = Command("blueprint", "write the blueprint: an offline web site of the whole chain and its graph",
                  _configure, _run)

del json, math
