r"""Rich display of steps and verdicts in Jupyter (``_repr_html_``, ``_repr_latex_``).

A step shows its label, title, kind, statement and (when given a verdict) its status; a failed
verdict shows its counterexample; a collection of verdicts, :class:`VerdictTable`, renders as a table.
Plain text stays what ``eqnn verify`` prints.

>>> from derive.display import VerdictTable
>>> t = VerdictTable(())
>>> len(t), "<table" in t._repr_html_()
(0, True)
"""

from __future__ import annotations

import html
from typing import Iterable, Sequence

__all__ = ["VerdictTable", "step_html", "step_latex", "verdict_html", "verdict_latex", "tex_text"]

_COLOURS = {"verified": "#1a7f37", "conditional": "#0969da", "assumed": "#6e7781", "vacuous": "#8250df",
            "inconclusive": "#9a6700", "failed": "#cf222e", "unsupported": "#bc4c00"}


def tex_text(s: str) -> str:
    r"""Plain text made safe inside ``\text{...}``.

    >>> tex_text("a_b & 50%")
    'a\\_b \\& 50\\%'
    """
    for a, b in (("\\", r"\backslash "), ("_", r"\_"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"),
                 ("$", r"\$"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"), ("~", r"\~{}")):
        s = s.replace(a, b)
    return s


def _badge(status: str) -> str:
    colour = _COLOURS.get(status, "#57606a")
    return (f'<span class="eqnn-status" style="color:white;background:{colour};border-radius:3px;'
            f'padding:0 4px">{html.escape(status)}</span>')


def _statement_math(step) -> str:
    return r"\begin{gathered}" + r" \\ ".join(_relations(step)) + r"\end{gathered}"


def _relations(step) -> list[str]:
    from derive.printing import latex

    return [latex(s) for s in step.statement]


def step_latex(step, status: str | None = None) -> str:
    r"""The step as one LaTeX block: label, title (as text), status if known, then its statement."""
    head = r"\text{%s: %s}" % (tex_text(step.label), tex_text(step.title[:120]))
    if status:
        head += r"\ [\textbf{%s}]" % tex_text(status)
    return "$$" + head + r" \\ " + _statement_math(step) + "$$"


def step_html(step, verdict=None) -> str:
    """HTML: label, title, kind, statement (as MathJax/KaTeX TeX), status and, if failed, the counterexample."""
    status = verdict.status.value if verdict is not None else None
    rows = [f"<b>{html.escape(step.label)}</b> &mdash; {html.escape(step.title)}",
            f"<i>{html.escape(step.kind.value)}</i>"
            + (f" &middot; premises: {html.escape(', '.join(step.premises))}" if step.premises else "")]
    if status:
        rows[1] += " &middot; " + _badge(status)
    rows.append("".join(f"<div>$${html.escape(r)}$$</div>" for r in _relations(step)))
    if step.conditions:
        rows.append("conditions: " + html.escape("; ".join(str(c) for c in step.conditions)))
    if verdict is not None:
        rows.append(_verdict_detail_html(verdict))
    return '<div class="eqnn-step">' + "".join(f"<div>{r}</div>" for r in rows if r) + "</div>"


def _counterexample(verdict) -> tuple[tuple[str, str], ...]:
    num = verdict.numeric
    return tuple(num.counterexample) if (num is not None and num.counterexample) else ()


def _verdict_detail_html(v) -> str:
    parts = [f"reason: {html.escape(v.reason[:500])}"]
    if v.chain is not None:
        parts.append(f"chain: {_badge(v.chain.status)}"
                     + (f" (postulates: {html.escape(', '.join(v.chain.postulates))})" if v.chain.postulates else "")
                     + (f" (unsupported by: {html.escape(', '.join(v.chain.unsupported_by))})"
                        if v.chain.unsupported_by else ""))
    ce = _counterexample(v)
    if ce:
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(val)}</code></td></tr>"
                        for k, val in ce)
        parts.append('<div class="eqnn-counterexample">counterexample:<table>' + cells + "</table></div>")
    return "<br>".join(parts)


def verdict_html(v) -> str:
    """A verdict: the step with its status, reason, chain status and, if failed, the counterexample."""
    return step_html(v.step, v)


def verdict_latex(v) -> str:
    r"""A verdict as LaTeX: label, status, largest residual, statement; a failed one its counterexample."""
    num = "" if v.numeric is None else r",\ \max|r| = %.1e\ (%d\ \text{points})" % (
        v.numeric.max_abs_residual, v.numeric.points)
    out = r"\text{%s}\ [\textbf{%s}%s]" % (tex_text(v.label), tex_text(v.status.value), num)
    out += r" \\ " + _statement_math(v.step)
    ce = _counterexample(v)
    if ce:
        out += r" \\ \text{counterexample: %s}" % tex_text(", ".join(f"{k} = {val}" for k, val in ce)[:400])
    return "$$" + out + "$$"


class VerdictTable(Sequence):
    """A sequence of verdicts that renders as a table (text, HTML, LaTeX) with the counts.

    Indexing by position or by label: ``table["canonical.force"]``.  ``ok`` is True when nothing
    failed or is inconclusive.
    """

    def __init__(self, verdicts: Iterable) -> None:
        self._verdicts = tuple(verdicts)

    def __len__(self) -> int:
        return len(self._verdicts)

    def __getitem__(self, key):
        if isinstance(key, str):
            for v in self._verdicts:
                if v.label == key:
                    return v
            raise KeyError(key)
        if isinstance(key, slice):
            return VerdictTable(self._verdicts[key])
        return self._verdicts[key]

    @property
    def ok(self) -> bool:
        return all(v.status.ok for v in self._verdicts)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(v.label for v in self._verdicts)

    def summary(self) -> dict:
        """Counts per status and per chain status (as ``eqnn verify --json`` prints them)."""
        from derive.report import tally

        return tally(self._verdicts)

    def __str__(self) -> str:
        from derive.report import verdict_table

        return verdict_table(self._verdicts)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {c}" for k, c in self.summary()["status"].items())
        return f"<VerdictTable of {len(self)} verdicts: {counts or 'empty'}>"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("step", "title", "status", "chain", "max |residual|",
                                                   "counterexample / reason"))
        rows = []
        for v in self._verdicts:
            num = "-" if v.numeric is None else f"{v.numeric.max_abs_residual:.1e}"
            ce = _counterexample(v)
            detail = (", ".join(f"{k} = {val}" for k, val in ce) if ce
                      else (v.reason if not v.status.ok else ""))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in (
                f"<code>{html.escape(v.label)}</code>", html.escape(v.step.title[:80]), _badge(v.status.value),
                _badge(v.chain.status) if v.chain else "-", num, html.escape(detail[:300]))) + "</tr>")
        counts = ", ".join(f"{k} {c}" for k, c in self.summary()["status"].items())
        return (f'<table class="eqnn-verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
                f"</table><p>{len(self)} steps: {html.escape(counts)}</p>")

    def _repr_latex_(self) -> str:
        rows = [r"\text{step} & \text{status} & \text{chain} & \max|r| \\ \hline"]
        for v in self._verdicts:
            num = "-" if v.numeric is None else "%.1e" % v.numeric.max_abs_residual
            rows.append(r"\text{%s} & \text{%s} & \text{%s} & %s \\" % (
                tex_text(v.label), tex_text(v.status.value), tex_text(v.chain.status if v.chain else "-"), num))
        return r"$$\begin{array}{llll}" + "\n".join(rows) + r"\end{array}$$"
