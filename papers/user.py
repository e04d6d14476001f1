r"""A document of your own steps alone: their sections, their bibliography, none of the package's parts.

Built from the public helpers of :mod:`papers.tex` (statements as display mathematics, prose) and
:mod:`papers.style` (preamble, status badges), so it keeps the package's typography while the
package's own document (:mod:`papers.document`) changes.

>>> import sympy as sp
>>> from derive import Kind, Show, Source, Step, check
>>> x = sp.Symbol("x", real=True)
>>> s = Step(label="mine.pythagoras", title="sin^2 + cos^2 = 1", kind=Kind.IDENTITY,
...          statement=(sp.Eq(sp.sin(x)**2 + sp.cos(x)**2, 1, evaluate=False),),
...          source=Source("Euclid", "I.47", "", "reconstructed"), derive=lambda ctx: [Show(0)])
>>> tex = user_document([check(s)], title="My identities", bibliography={"Euclid": "Euclid, Elements."})
>>> "No step of this" in tex, r"\bibitem{Euclid}" in tex, "Planck" in tex
(False, True, False)
"""

from __future__ import annotations

from typing import Mapping, Sequence

from derive.errors import InputError

__all__ = ["user_document"]


def user_document(verdicts: Sequence, *, title: str = "Derivation", author: str = "",
                  sections: Mapping[str, str] | None = None, bibliography: Mapping[str, str] | None = None) -> str:
    r"""The LaTeX document of ``verdicts`` (your steps, verified): one section per module prefix of the
    labels (``sections`` maps a prefix to its title), each step with its statement, source, verdict
    and premises; a bibliography of the papers the steps cite (``bibliography``: key -> entry text;
    keys the package knows are taken from :mod:`papers.bibliography` when not given).
    """
    from papers.style import badge, preamble
    from papers.tex import equations, escape, prose

    verdicts = list(verdicts)
    if not verdicts:
        raise InputError("user_document needs at least one verdict (derive.check / derive.extend(...).verify())")
    sections = dict(sections or {})
    order: list[str] = []
    for v in verdicts:
        mod = v.label.split(".", 1)[0]
        if mod not in order:
            order.append(mod)
    cited = sorted({v.step.source.paper for v in verdicts})
    bib = dict(bibliography or {})
    for key in cited:
        if key not in bib:
            bib[key] = _package_entry(key) or key
    parts = [preamble(), r"\begin{document}", r"\title{%s}" % escape(title),
             r"\author{%s}" % escape(author), r"\date{}", r"\maketitle"]
    for mod in order:
        parts.append(r"\section{%s}" % escape(sections.get(mod, mod)))
        for v in (v for v in verdicts if v.label.split(".", 1)[0] == mod):
            s = v.step
            src = s.source
            where = ", ".join(x for x in (src.section, src.equation) if x)
            block = [r"\subsection*{%s}" % prose(s.title), r"\noindent\texttt{%s} %s\par" % (
                escape(s.label), badge(v.status.value)), equations(s.statement)]
            block.append(r"\noindent Source: \cite{%s}%s (%s).\par" % (
                src.paper, (" " + escape(where)) if where else "", escape(src.provenance.value)))
            if s.premises:
                block.append(r"\noindent Rests on: %s.\par" % ", ".join(r"\texttt{%s}" % escape(p) for p in s.premises))
            if s.conditions:
                block.append(r"\noindent Conditions: %s.\par" % escape("; ".join(str(c) for c in s.conditions)))
            block.append(r"\noindent Verdict: %s.\par" % escape(v.reason[:300]))
            parts.append("\n".join(block))
    parts.append(r"\begin{thebibliography}{9}" + "".join(
        "\n" + r"\bibitem{%s} %s" % (k, escape(bib[k])) for k in cited) + "\n" + r"\end{thebibliography}")
    parts.append(r"\end{document}")
    return "\n\n".join(parts) + "\n"


def _package_entry(key: str) -> str | None:
    try:
        from papers import bibliography
    except ImportError:  # pragma: no cover
        return None
    for name in ("ENTRIES", "BIBLIOGRAPHY", "PAPERS"):
        table = getattr(bibliography, name, None)
        if isinstance(table, Mapping) and key in table:
            e = table[key]
            return getattr(e, "text", None) or getattr(e, "title", None) or str(e)
    return None
