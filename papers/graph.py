r"""The dependency graph of the steps, drawn with TikZ (rows by topological depth, nodes by status)."""

from __future__ import annotations

from typing import Mapping, Sequence

from derive.step import Step
from derive.verify import Verdict
from papers.style import STATUS_COLOURS, status_of as _status

__all__ = ["graph_layout", "dependency_graph"]


def _depths(steps: Sequence[Step]) -> dict[str, int]:
    known = {s.label for s in steps}
    by = {s.label: s for s in steps}
    depth: dict[str, int] = {}

    def visit(label: str) -> int:
        if label not in depth:
            pre = [p for p in by[label].premises if p in known]
            depth[label] = 0 if not pre else 1 + max(visit(p) for p in pre)
        return depth[label]

    for s in steps:
        visit(s.label)
    return depth


def graph_layout(steps: Sequence[Step], per_row: int = 14) -> dict[str, tuple[float, float]]:
    """Node positions (column, row) for the dependency graph: rows by topological depth.

    Within a row, nodes are ordered by the mean column of their premises (barycentre), so edges run
    mostly downwards; a row with more than ``per_row`` nodes wraps onto extra lines.

    >>> from derive.contents import derivation
    >>> pos = graph_layout(derivation().steps)
    >>> pos["canonical.ensemble"][1] < pos["canonical.hessian"][1]
    True
    """
    depth = _depths(steps)
    order = {s.label: i for i, s in enumerate(steps)}
    by = {s.label: s for s in steps}
    pos: dict[str, tuple[float, float]] = {}
    row = 0.0
    for d in range(max(depth.values(), default=-1) + 1):
        layer = [s.label for s in steps if depth[s.label] == d]

        def centre(label: str) -> float:
            xs = [pos[p][0] for p in by[label].premises if p in pos]
            return sum(xs) / len(xs) if xs else order[label] * 0.01

        layer.sort(key=lambda lab: (centre(lab), order[lab]))
        for start in range(0, len(layer), per_row):
            chunk = layer[start:start + per_row]
            # centre the chunk under its premises' mean, clamped to the page width
            want = sum(centre(lab) for lab in chunk) / len(chunk) if d else (per_row - 1) / 2
            left = min(max(want - (len(chunk) - 1) / 2, 0.0), per_row - len(chunk))
            for j, lab in enumerate(chunk):
                pos[lab] = (left + j, row)
            row += 1.0
    return pos


def dependency_graph(steps: Sequence[Step], verdicts: Mapping[str, Verdict], numbers: Mapping[str, int],
                     per_row: int = 14) -> str:
    """TikZ picture of the steps (numbered nodes, coloured by status) and their premises (arrows)."""
    pos = graph_layout(steps, per_row)
    rows = max((y for _, y in pos.values()), default=0) + 1
    dx = 1.15
    dy = min(1.25, 19.0 / max(rows, 1))
    out = [r"\begin{tikzpicture}[x=%.3fcm, y=-%.3fcm, >=stealth," % (dx, dy),
           r"  eqnode/.style={circle, draw, line width=0.6pt, inner sep=0pt, minimum size=6.2mm,"
           r" font=\sffamily\scriptsize\bfseries}]"]
    for s in steps:
        x, y = pos[s.label]
        colour = STATUS_COLOURS[_status(verdicts.get(s.label))][0]
        out.append(r"\node[eqnode, draw=%s!80!black, fill=%s!22] (n%d) at (%.2f,%.2f) {\hyperref[%s]{%d}};"
                   % (colour, colour, numbers[s.label], x, y, s.label, numbers[s.label]))
    # why: edges go on the background layer so that they pass behind the numbered nodes
    out.append(r"\begin{pgfonlayer}{background}")
    for s in steps:
        for p in s.premises:
            if p in pos:
                out.append(r"\draw[->, gray!65, line width=0.35pt] (n%d) -- (n%d);" % (numbers[p], numbers[s.label]))
    out.append(r"\end{pgfonlayer}")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out)

