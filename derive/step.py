r"""A step of the argument: a frozen, validated value.

A step carries its statement typed out in the paper's notation, the labels of the steps it rests on,
and (unless it is a definition or a postulate) a *derivation*: a pure function that applies the
transformation (differentiate, vary the action, substitute, integrate by parts, ...) to the premises
and returns :class:`Obligation` s, each a pair (derived, claimed) whose difference must vanish.  The
claimed side is typed out from the paper's statement; the derived side is computed from the premises.
A claim computed from the same expression it is checked against would be a tautology.

>>> import sympy as sp
>>> from derive.step import Step, Source, Kind, Provenance
>>> x = sp.Symbol("x", real=True)
>>> s = Step(label="demo.square", title="a definition", kind=Kind.DEFINITION,
...          statement=(sp.Eq(sp.Symbol("y"), x**2),),
...          source=Source("KV2021", "§2", "(2.1)", Provenance.RECONSTRUCTED))
>>> s.kind.value
'definition'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

import sympy as sp

__all__ = ["Kind", "Provenance", "Source", "Obligation", "Step", "Context"]

_LABEL = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


class Kind(str, Enum):
    """What a step claims (design.md §3)."""

    DEFINITION = "definition"
    POSTULATE = "postulate"
    IDENTITY = "identity"
    CONDITIONAL = "conditional identity"
    APPROXIMATION = "approximation"
    THEOREM = "theorem"
    NEGATIVE = "negative result"

    @property
    def is_input(self) -> bool:
        """Definitions and postulates are inputs of the argument: nothing to verify."""
        return self in (Kind.DEFINITION, Kind.POSTULATE)


class Provenance(str, Enum):
    """Whether a statement was seen in the paper, only in a secondary source, or rebuilt by us."""

    VERBATIM = "verbatim"
    RECONSTRUCTED = "reconstructed"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Source:
    """Where a step comes from: paper key (see ``papers``), section, equation, provenance."""

    paper: str
    section: str
    equation: str
    provenance: Provenance
    note: str = ""

    def __post_init__(self) -> None:
        if not self.paper:
            raise ValueError("a source needs a paper key")
        if not (self.section or self.equation):
            raise ValueError(f"source {self.paper!r} needs a section or an equation")
        if not isinstance(self.provenance, Provenance):
            object.__setattr__(self, "provenance", Provenance(self.provenance))

    def to_json(self) -> dict:
        return {"paper": self.paper, "section": self.section, "equation": self.equation,
                "provenance": self.provenance.value, "note": self.note}


@dataclass(frozen=True)
class Obligation:
    r"""One thing a derivation must show: ``derived - claimed`` is 0 (or, for a counterexample, not 0).

    ``domain`` narrows the sampling interval of a symbol for the numeric witness (``(symbol, lo, hi)``);
    ``where`` is a condition (a SymPy Boolean) that sampled points must satisfy, e.g. ħ_c² > 0.
    """

    name: str
    derived: sp.Expr
    claimed: sp.Expr
    expect_zero: bool = True
    domain: tuple[tuple[sp.Symbol, float, float], ...] = ()
    where: sp.Basic | None = None

    def __post_init__(self) -> None:
        for side in ("derived", "claimed"):
            value = getattr(self, side)
            if not isinstance(value, sp.Basic):
                object.__setattr__(self, side, sp.sympify(value))
        for sym, lo, hi in self.domain:
            if not (isinstance(sym, sp.Symbol) and lo < hi):
                raise ValueError(f"obligation {self.name!r}: bad domain entry {(sym, lo, hi)!r}")

    @property
    def residual(self) -> sp.Expr:
        return self.derived - self.claimed


@dataclass(frozen=True)
class Context:
    """What a derivation may use: its own step (for the claimed statement) and its premises."""

    step: "Step"
    premises: Mapping[str, "Step"]

    def __getitem__(self, label: str) -> "Step":
        if label not in self.premises:
            raise KeyError(f"step {self.step.label!r} used {label!r}, which is not among its premises")
        return self.premises[label]


Derive = Callable[[Context], Sequence[Obligation]]


@dataclass(frozen=True)
class Step:
    """One step of the argument (design.md §3).

    ``statement``: the claim in the paper's notation (SymPy ``Eq``/relations, unevaluated).  Every
    equation in it is a claim that the derivation checks: its right-hand side is the typed-out result,
    its left-hand side names what the transformation computes (a test perturbs each right-hand side and
    requires the step to fail);
    ``given``: definitions and notation shown with the statement ("where T_q = D/γ"), not claims;
    ``facts``: named expressions the step establishes for later steps (e.g. ``F`` as a function of the
    microstate energies); ``variant``: the reading the step holds in, as ``(name, value)`` pairs
    (sign case, drift convention, combinatorial factor, ...); ``conditions``: the extra conditions a
    conditional step holds under; ``transformation``: the proof in words.
    """

    label: str
    title: str
    kind: Kind
    statement: tuple[sp.Basic, ...]
    source: Source
    premises: tuple[str, ...] = ()
    given: tuple[sp.Basic, ...] = ()
    assumptions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    variant: tuple[tuple[str, str], ...] = ()
    facts: tuple[tuple[str, sp.Basic], ...] = ()
    transformation: str = ""
    derive: Derive | None = field(default=None, compare=False)
    note: str = ""

    def __post_init__(self) -> None:
        if not _LABEL.match(self.label):
            raise ValueError(f"step label {self.label!r} must look like 'module.name' (lower case, dots)")
        if not isinstance(self.kind, Kind):
            object.__setattr__(self, "kind", Kind(self.kind))
        if not self.title:
            raise ValueError(f"step {self.label!r} needs a title")
        if not self.statement or not all(isinstance(s, sp.Basic) for s in self.statement):
            raise ValueError(f"step {self.label!r}: statement must be a non-empty tuple of SymPy objects")
        if any(s in (sp.true, sp.false) for s in self.statement):
            raise ValueError(f"step {self.label!r}: a statement evaluated to True/False; use evaluate=False")
        if self.label in self.premises:
            raise ValueError(f"step {self.label!r} lists itself as a premise")
        if self.kind.is_input and self.derive is not None:
            raise ValueError(f"step {self.label!r} is a {self.kind.value}: it has no derivation")
        if not self.kind.is_input and self.derive is None:
            raise ValueError(f"step {self.label!r} is a {self.kind.value}: it needs a derivation")
        if self.kind is Kind.CONDITIONAL and not self.conditions:
            raise ValueError(f"conditional step {self.label!r} must name its conditions")
        for name, value in self.variant:
            if not (isinstance(name, str) and isinstance(value, str)):
                raise ValueError(f"step {self.label!r}: variant entries are (name, value) strings")
        if not all(isinstance(g, sp.Basic) for g in self.given):
            raise ValueError(f"step {self.label!r}: given must be SymPy objects")
        for tup in ("premises", "given", "assumptions", "conditions"):
            object.__setattr__(self, tup, tuple(getattr(self, tup)))

    @property
    def fact(self) -> Mapping[str, sp.Basic]:
        """The named expressions this step establishes, read-only."""
        return MappingProxyType(dict(self.facts))

    @property
    def module(self) -> str:
        return self.label.split(".", 1)[0]

    def to_latex(self) -> str:
        """The statement as LaTeX (one ``\\\\``-separated line per relation)."""
        from derive.printing import latex

        return r" \\ ".join(latex(s) for s in self.statement)

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.to_latex().replace(r" \\ ", r",\quad ") + "$"
