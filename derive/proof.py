r"""What a derivation hands the verifier: how each *displayed* relation is shown.

The verifier, not the derivation, reads the claim: both sides of every relation a step displays
(its ``statement``), the values of its ``facts`` and its ``given`` definitions.  A derivation supplies,
for each displayed relation, a :class:`Show`: the *realisation* that turns the paper's notation into
concrete mathematics computed from the premises (F ↦ −β⁻¹ log Σᵢ e^{−βhᵢ}, ⟨·⟩ ↦ explicit sums,
∂ₜp ↦ the value the transformation computes for it, ...), and, where the relation is not an
identity, the evidence it needs:

* an equation ``lhs = rhs`` is checked as R(lhs) − R(rhs) ≡ Σⱼ cⱼ Dⱼ, where the Dⱼ (``modulo``) are
  constraints that vanish by the premises or the transformation (an Euler–Lagrange expression, a
  premise's lhs − rhs); with no ``modulo`` it is an identity, R(lhs) ≡ R(rhs);
* an inequality ``a ≤ b`` (or <, ≥, >) carries ``signed``: an expression whose sign SymPy proves from
  the assumptions, with R(b) − R(a) ≡ signed checked as an identity; the numeric witness also checks the
  inequality at every sampled point;
* a negative result ``a ≠ b`` carries ``nonzero``: the identity R(a) − R(b) ≡ value (its positive
  content) and an exact point at which ``value`` is shown nonzero in exact arithmetic;
* a fact is shown by the displayed ``quantity`` it is the value of: R(quantity) ≡ fact.

The step's own ``given`` definitions are substituted into the displayed sides before the realisation,
so that a given entry is part of the claim.  Rewrites a derivation needs (simplify, forced log
expansion, limits, series) go through :class:`~derive.step.Context` (``ctx.rewrite``, ``ctx.limit``,
``ctx.series``), which records them so that the verifier witnesses each one.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> f = sp.Function("f")
>>> Realise({f(x): x**2})(sp.Derivative(f(x), x)).doit()
2*x
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

import sympy as sp

__all__ = ["Realise", "Show", "Nonzero", "Condition", "Rewrite", "as_realise", "PROOF", "examples"]

PROOF = "proof"


def examples(family: str) -> str:
    """The ``depth`` of a theorem checked on a family of examples (the family named).

    >>> examples("n = 1, 2, 3")
    'examples: n = 1, 2, 3'
    """
    if not family or not family.strip():
        raise ValueError("name the family of examples a theorem was checked on")
    return f"examples: {family.strip()}"


@dataclass(frozen=True)
class Realise:
    """Rules (display atom ↦ concrete value, applied with ``xreplace`` to a fixed point), then a function.

    ``rules`` keys may be symbols, applied functions, derivatives or display objects; ``xreplace``
    matches a whole node before its parts, so ∂ₜp ↦ X and p ↦ Y can sit side by side.
    """

    rules: Mapping = field(default_factory=dict)
    then: Callable[[sp.Basic], sp.Basic] | None = None

    def __post_init__(self) -> None:
        rules = dict(self.rules)
        for key, value in rules.items():
            if not isinstance(key, sp.Basic):
                raise TypeError(f"realisation rule key {key!r} is not a SymPy object")
            rules[key] = sp.sympify(value)
        object.__setattr__(self, "rules", MappingProxyType(rules))
        if self.then is not None and not callable(self.then):
            raise TypeError("Realise.then must be callable")

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        out = sp.sympify(expr)
        if self.rules:
            rules = dict(self.rules)
            for _ in range(20):  # to a fixed point: F ↦ −log Z/β, then Z ↦ Σ e^{−βh}
                new = out.xreplace(rules)
                if new == out:
                    break
                out = new
            else:
                raise ValueError("realisation rules do not reach a fixed point (a cycle?)")
        if self.then is not None:
            out = self.then(out)
        return out

    def after(self, first: "Realise") -> "Realise":
        """``first`` applied, then this one."""
        return Realise({}, lambda e: self(first(e)))


def as_realise(r) -> Realise:
    """Accept a :class:`Realise`, a mapping of rules, a callable, or ``None`` (identity)."""
    if r is None:
        return Realise()
    if isinstance(r, Realise):
        return r
    if isinstance(r, Mapping):
        return Realise(r)
    if callable(r):
        return Realise({}, r)
    raise TypeError(f"a realisation must be a Realise, a mapping or a callable, got {type(r).__name__}")


@dataclass(frozen=True)
class Nonzero:
    """The positive content of a ``≠``: ``value`` = R(lhs) − R(rhs) and an exact point where it is ≠ 0.

    ``at`` maps symbols to exact numbers and unknown functions (the class, e.g. ``F``) to
    ``sp.Lambda`` s; the value there is computed in exact arithmetic and must be a nonzero number.
    """

    value: sp.Expr
    at: Mapping = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", sp.sympify(self.value))
        at = dict(self.at)
        for k, v in at.items():
            if isinstance(v, float):
                raise ValueError(f"Nonzero point: {k} = {v!r} is a float; give an exact number")
        object.__setattr__(self, "at", MappingProxyType(at))

    def evaluate(self) -> sp.Expr:
        """The value at the exact point (functions replaced first, then symbols)."""
        out = self.value
        funcs = {k: v for k, v in self.at.items() if not isinstance(k, sp.Symbol)}
        syms = {k: sp.sympify(v) for k, v in self.at.items() if isinstance(k, sp.Symbol)}
        for f, lam in funcs.items():
            out = out.subs(f, lam)
        return out.doit().xreplace(syms).doit()


@dataclass(frozen=True)
class Show:
    """How the derivation shows one displayed relation (see the module docstring).

    ``target``: the index of a relation in ``statement``, or ``"fact:NAME"``.  ``quantity`` (facts
    only): the displayed expression the fact is the value of.  ``domain`` narrows a symbol's sampling
    interval, ``where`` restricts the sampled points (both shown with the verdict).  ``case``: the sign
    case this obligation holds in, ``{s_4: -1, ...}``; the verifier substitutes it into both sides
    (the displayed fact value included) and accepts only a case the step's ``variant`` lists.
    """

    target: int | str
    realise: object = None
    modulo: tuple = ()
    signed: sp.Expr | None = None
    nonzero: Nonzero | None = None
    quantity: sp.Expr | None = None
    name: str = ""
    domain: tuple = ()
    where: sp.Basic | None = None
    case: Mapping = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "realise", as_realise(self.realise))
        case = dict(self.case)
        for k, v in case.items():
            if not isinstance(k, sp.Symbol) or not sp.sympify(v).is_Integer:
                raise TypeError(f"Show.case maps sign symbols to integers, got {k!r}: {v!r}")
        object.__setattr__(self, "case", MappingProxyType({k: sp.Integer(v) for k, v in case.items()}))
        if isinstance(self.target, bool) or not isinstance(self.target, (int, str)):
            raise TypeError(f"Show.target must be a statement index or 'fact:NAME', got {self.target!r}")
        if isinstance(self.target, str) and not self.target.startswith("fact:"):
            raise ValueError(f"Show.target {self.target!r}: a string target is 'fact:NAME'")
        if isinstance(self.target, str) and self.quantity is None:
            raise ValueError(f"Show({self.target!r}) needs the displayed quantity the fact is the value of")
        mod = []
        for pair in self.modulo:
            c, d = pair
            mod.append((sp.sympify(c), sp.sympify(d)))
        object.__setattr__(self, "modulo", tuple(mod))
        if self.signed is not None:
            object.__setattr__(self, "signed", sp.sympify(self.signed))
        if self.nonzero is not None and not isinstance(self.nonzero, Nonzero):
            raise TypeError("Show.nonzero must be a Nonzero")
        object.__setattr__(self, "domain", tuple(self.domain))


@dataclass(frozen=True)
class Condition:
    """A machine-readable condition of a conditional step.

    Exactly one of: ``holds`` (a SymPy Boolean over the step's display symbols, realised like the
    statement; the numeric witness samples where it holds, and a condition that realises to False
    makes the step *vacuous*); ``imposed`` (a relation the realisation builds in, e.g. Z = Z₁(β)Z₂(q):
    checked to hold in the realised model, which shows it satisfiable); ``postulate`` (the label of a
    postulate among the step's ancestors); ``case`` (a (name, value) pair of the step's ``variant``).
    ``text`` is what the document displays.

    >>> import sympy as sp
    >>> c = Condition("x > 1", holds=sp.Symbol("x") > 1)
    >>> str(c), c.form
    ('x > 1', 'holds')
    """

    text: str
    holds: sp.Basic | None = None
    imposed: sp.Basic | None = None
    postulate: str | None = None
    case: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.text or not self.text.strip():
            raise ValueError("a condition needs its display text")
        set_ = [k for k in ("holds", "imposed", "postulate", "case") if getattr(self, k) is not None]
        if len(set_) != 1:
            raise ValueError(f"condition {self.text!r}: give exactly one of holds, imposed, postulate, case "
                             f"(got {', '.join(set_) or 'none'})")
        if self.holds is not None and not isinstance(self.holds, (sp.logic.boolalg.Boolean, sp.core.relational.Relational)):
            raise TypeError(f"condition {self.text!r}: holds must be a SymPy Boolean")
        if self.imposed is not None and not isinstance(self.imposed, sp.Equality):
            raise TypeError(f"condition {self.text!r}: imposed must be an Eq")
        if self.case is not None:
            object.__setattr__(self, "case", tuple(self.case))

    @property
    def form(self) -> str:
        return next(k for k in ("holds", "imposed", "postulate", "case") if getattr(self, k) is not None)

    def __str__(self) -> str:
        return self.text

    def __contains__(self, s: str) -> bool:  # `"k a positive integer" in condition`
        return s in self.text

    def latex(self) -> str:
        from derive.printing import latex

        if self.holds is not None:
            return latex(self.holds)
        if self.imposed is not None:
            return latex(self.imposed)
        return r"\text{%s}" % self.text.replace("_", r"\_")

    def to_json(self) -> dict:
        out = {"text": self.text, "form": self.form}
        if self.holds is not None:
            out["holds"] = sp.sstr(self.holds)
        if self.imposed is not None:
            out["imposed"] = sp.sstr(self.imposed)
        if self.postulate is not None:
            out["postulate"] = self.postulate
        if self.case is not None:
            out["case"] = list(self.case)
        return out


@dataclass(frozen=True)
class Rewrite:
    """A rewrite a derivation used (recorded by the context; witnessed by the verifier).

    ``kind``: ``"rewrite"`` (input ≡ output at the numeric witness's points), ``"series"`` (input −
    output = O((x − x₀)^order) checked at shrinking distances) or ``"limit"``.
    """

    name: str
    kind: str
    before: sp.Expr
    after: sp.Expr
    var: sp.Symbol | None = None
    at: sp.Expr | None = None
    order: int | None = None
