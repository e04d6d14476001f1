"""Shared test helpers: build one-step derivations with a chosen claim."""

from __future__ import annotations

import dataclasses

from derive.chain import Derivation
from derive.contents import derivation
from derive.step import Step
from derive.verify import Verdict, verify_step


def verify_label(label: str, seed: int = 7) -> Verdict:
    d = derivation()
    return verify_step(d.step(label), d.premises_of(label), seed=seed)


def with_statement(step: Step, statement) -> Step:
    """A copy of ``step`` claiming ``statement`` instead (for planted errors)."""
    return dataclasses.replace(step, statement=tuple(statement))


def replaced(statement, i: int, new_rhs):
    """``statement`` with the right-hand side of equation ``i`` replaced (a planted error)."""
    import sympy as sp

    out = list(statement)
    out[i] = sp.Eq(out[i].lhs, new_rhs, evaluate=False)
    return out


def verify_planted(label: str, statement, seed: int = 7) -> Verdict:
    d = derivation()
    step = with_statement(d.step(label), statement)
    return verify_step(step, d.premises_of(label), seed=seed)


__all__ = ["verify_label", "with_statement", "verify_planted", "replaced", "Derivation"]
