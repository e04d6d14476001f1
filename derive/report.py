"""Plain-text reports of steps and verdicts (what ``eqnn`` and ``python -m derive.<module>`` print)."""

from __future__ import annotations

import importlib
from typing import Sequence

from derive.printing import text
from derive.step import Step
from derive.verify import Verdict

__all__ = ["verdict_table", "describe", "print_module", "tally"]


def tally(verdicts: Sequence[Verdict]) -> dict:
    """Counts per own status and per chain status (the ``summary`` of ``eqnn verify --json``)."""
    own: dict[str, int] = {}
    chain: dict[str, int] = {}
    for v in verdicts:
        own[v.status.value] = own.get(v.status.value, 0) + 1
        if v.chain is not None:
            chain[v.chain.status] = chain.get(v.chain.status, 0) + 1
    restated = sum(v.counts.restatements for v in verdicts)
    total = sum(v.counts.total for v in verdicts)
    return {"steps": len(verdicts), "status": dict(sorted(own.items())), "chain": dict(sorted(chain.items())),
            "obligations": total, "restatements": restated,
            "examples_only": sum(1 for v in verdicts if v.step.depth != "proof")}


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    """A fixed-width table: label, kind, source, own status, chain status, depth, residual, seconds."""
    rows = [("step", "kind", "source", "status", "chain", "depth", "max|residual|", "s")]
    for v in verdicts:
        src = v.step.source
        num = v.numeric
        depth = "proof" if v.step.depth == "proof" else "examples"
        if v.counts.total and v.counts.restatements == v.counts.total:
            depth = "substitution"
        rows.append((v.label, v.step.kind.value, f"{src.paper} {src.section or src.equation} [{src.provenance.value}]",
                     v.status.value, v.chain.status if v.chain else "-", depth,
                     "-" if num is None else f"{num.max_abs_residual:.1e}", f"{v.seconds:.2f}"))
    widths = [min(max(len(r[i]) for r in rows), 40) for i in range(len(rows[0]))]

    def fmt(r):
        return "  ".join((c if len(c) <= w else c[: w - 1] + "~").ljust(w) for c, w in zip(r, widths)).rstrip()

    lines = [fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]]
    t = tally(verdicts)
    lines.append("")
    lines.append("own status: " + ", ".join(f"{k} {c}" for k, c in t["status"].items()))
    if t["chain"]:
        lines.append("chain status: " + ", ".join(f"{k} {c}" for k, c in t["chain"].items()))
    problems = [v for v in verdicts if not v.status.ok or v.status.value == "vacuous"]
    for v in problems:
        lines.append(f"  {v.label} [{v.status.value}]: {v.reason[:200]}")
    return "\n".join(lines)


def describe(step: Step) -> str:
    """Everything about a step: statement, premises, assumptions, conditions, variant, source, LaTeX."""
    s = step
    out = [f"{s.label}: {s.title}", f"  kind: {s.kind.value}"]
    out.append("  statement:")
    out.extend(f"    {text(rel)}" for rel in s.statement)
    if s.given:
        out.append("  where:")
        out.extend(f"    {text(rel)}" for rel in s.given)
    out.append("  premises: " + (", ".join(s.premises) or "none"))
    if s.depth != "proof":
        out.append(f"  depth: {s.depth}")
    if s.assumptions:
        out.append("  assumptions:")
        out.extend(f"    - {a}" for a in s.assumptions)
    if s.conditions:
        out.append("  conditions:")
        out.extend(f"    - {c}" for c in s.conditions)
    if s.variant:
        out.append("  variant: " + ", ".join(f"{k} = {v}" for k, v in s.variant))
    src = s.source
    out.append(f"  source: {src.paper}, {src.section}" + (f", eq. {src.equation}" if src.equation else "")
               + f" [{src.provenance.value}]" + (f" ({src.note})" if src.note else ""))
    if s.transformation:
        out.append(f"  transformation: {s.transformation}")
    if s.note:
        out.append(f"  note: {s.note}")
    out.append("  LaTeX: " + s.to_latex())
    return "\n".join(out)


def print_module(name: str) -> None:
    """Verify and print the steps of ``derive.<name>`` (the module's ``__main__``)."""
    from derive.contents import derivation

    module = importlib.import_module(f"derive.{name}")
    labels = [s.label for s in module.steps()]
    verdicts = derivation().verify(labels)
    print(verdict_table(verdicts))
