r"""The dependency graph of the steps, drawn with TikZ: one band per section, columns by depth.

Within its section's band a step sits one column right of its deepest premise in the same section; a
column with more than ``per_column`` steps wraps into neighbouring sub-columns.  Nodes carry the step's
number and short title (the label's tail), are filled by status, and mark the main line (thick border)
and the gap steps (dashed red border).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from derive.step import Step
from derive.verify import Verdict
from papers.style import STATUS_COLOURS, status_of as _status
from papers.tex import escape

__all__ = ["graph_layout", "dependency_graph", "short_title"]


def short_title(label: str, limit: int = 15) -> str:
    """The label's tail as a node title: ``madelung.fp-factor-two`` → ``fp-factor-two``."""
    tail = label.split(".", 1)[1]
    return tail if len(tail) <= limit else tail[: limit - 1] + "."


def _local_depths(members: Sequence[Step]) -> dict[str, int]:
    inside = {s.label: s for s in members}
    depth: dict[str, int] = {}

    def visit(label: str) -> int:
        if label not in depth:
            pre = [p for p in inside[label].premises if p in inside]
            depth[label] = 0 if not pre else 1 + max(visit(p) for p in pre)
        return depth[label]

    for s in members:
        visit(s.label)
    return depth


def graph_layout(steps: Sequence[Step], per_column: int = 7,
                 clusters: Sequence[Sequence[Step]] | None = None) -> dict[str, tuple[float, float]]:
    """Node positions (column, row): bands per cluster (default: one band), columns by depth in the band.

    >>> from derive.contents import derivation
    >>> pos = graph_layout(derivation().steps)
    >>> pos["canonical.ensemble"][0] < pos["canonical.hessian"][0]
    True
    """
    clusters = [list(steps)] if clusters is None else [list(c) for c in clusters if c]
    pos: dict[str, tuple[float, float]] = {}
    top = 0.0
    for members in clusters:
        depth = _local_depths(members)
        column = 0
        height = 0
        for d in range(max(depth.values(), default=-1) + 1):
            layer = [s.label for s in members if depth[s.label] == d]
            for start in range(0, len(layer), per_column):
                chunk = layer[start:start + per_column]
                for j, lab in enumerate(chunk):
                    pos[lab] = (float(column), top + j)
                height = max(height, len(chunk))
                column += 1
        top += height + 1.0  # one row for the band's heading
    return pos


def dependency_graph(steps: Sequence[Step], verdicts: Mapping[str, Verdict], numbers: Mapping[str, int],
                     clusters: Sequence[tuple[str, Sequence[Step]]] = (), main_line: frozenset = frozenset(),
                     gap_steps: frozenset = frozenset(), per_column: int = 7) -> str:
    """TikZ picture of the steps (numbered, titled nodes coloured by status) and their premises (arrows)."""
    groups = list(clusters) or [("", steps)]
    pos = graph_layout(steps, per_column, [members for _, members in groups])
    # band headings sit one row above each band
    columns = max((x for x, _ in pos.values()), default=0) + 1
    dx = min(1.95, 16.4 / max(columns, 1))
    out = [r"\begin{tikzpicture}[x=%.3fcm, y=-0.56cm, >=stealth," % dx,
           r"  stepnode/.style={rectangle, rounded corners=1.5pt, draw, line width=0.5pt, inner sep=1.2pt,"
           r" minimum height=3.6mm, text width=%.2fcm, align=center, font=\sffamily\fontsize{5}{6}\selectfont}," % (dx - 0.22),
           r"  main/.style={line width=1.6pt}, gap/.style={dashed, draw=red!75!black, line width=1.1pt}]"]
    top = 0.0
    for title, members in groups:
        members = [s for s in members if s.label in pos]
        if not members:
            continue
        rows = [pos[s.label][1] for s in members]
        first = min(rows)
        if title:
            out.append(r"\node[anchor=west, font=\sffamily\bfseries\scriptsize, text=black!70] at (-0.45,%.2f) {%s};"
                       % (first - 0.85, escape(title)))
        top = max(rows)
    for s in steps:
        if s.label not in pos:
            continue
        x, y = pos[s.label]
        colour = STATUS_COLOURS.get(_status(verdicts.get(s.label)), STATUS_COLOURS["none"])[0]
        styles = ["stepnode", "draw=%s!80!black" % colour, "fill=%s!20" % colour]
        if s.label in main_line:
            styles.append("main")
        if s.label in gap_steps:
            styles.append("gap")
        out.append(r"\node[%s] (n%d) at (%.2f,%.2f) {\hyperref[%s]{\textbf{%d} %s}};"
                   % (", ".join(styles), numbers[s.label], x, y, s.label, numbers[s.label],
                      escape(short_title(s.label))))
    # why: edges go on the background layer so that they pass behind the nodes
    out.append(r"\begin{pgfonlayer}{background}")
    for s in steps:
        for p in s.premises:
            if p in pos and s.label in pos:
                out.append(r"\draw[->, gray!55, line width=0.3pt] (n%d) -- (n%d);" % (numbers[p], numbers[s.label]))
    out.append(r"\end{pgfonlayer}")
    out.append(r"\end{tikzpicture}")
    del top
    return "\n".join(out)
