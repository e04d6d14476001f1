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
from sympy.core.traversal import preorder_traversal

from derive.chain_rule import derivative

__all__ = ["Kind", "Provenance", "Source", "Obligation", "Step", "Context", "PremiseView"]

_SIGN_CASES = {"s2": {1, 0, -1}, "s4": {1, -1}}  # the signs the action's terms may carry (action.lagrangian)
_LABEL = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


class Kind(str, Enum):
    """What a step claims (README, "What a verdict certifies")."""

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
    r"""One thing the verifier checks: ``derived`` against ``claimed``.

    Built by the verifier from a step's displayed relations and the derivation's :class:`~derive.proof.Show` s
    (derivations do not build obligations themselves).  ``relation``: ``"eq"`` (derived − claimed ≡ 0),
    ``"ne"`` (the numeric witness must exhibit a point where it is not 0), ``"ge"``/``"gt"``
    (derived − claimed ≥ 0 / > 0 at every sampled point).  ``kind`` says where it comes from
    (``claim``, ``fact``, ``condition``, ``sign``, ``rewrite``, ``series``, ``limit``).
    ``domain`` narrows the sampling interval of a symbol for the numeric witness (``(symbol, lo, hi)``);
    ``where`` is a condition (a SymPy Boolean) that sampled points must satisfy.
    """

    name: str
    derived: sp.Expr
    claimed: sp.Expr
    expect_zero: bool = True
    domain: tuple[tuple[sp.Symbol, float, float], ...] = ()
    where: sp.Basic | None = None
    relation: str = "eq"
    kind: str = "claim"

    def __post_init__(self) -> None:
        for side in ("derived", "claimed"):
            value = getattr(self, side)
            if not isinstance(value, sp.Basic):
                object.__setattr__(self, side, sp.sympify(value))
        for sym, lo, hi in self.domain:
            if not (isinstance(sym, sp.Symbol) and lo < hi):
                raise ValueError(f"obligation {self.name!r}: bad domain entry {(sym, lo, hi)!r}")
        if not self.expect_zero and self.relation == "eq":
            object.__setattr__(self, "relation", "ne")
        if self.relation not in ("eq", "ne", "ge", "gt"):
            raise ValueError(f"obligation {self.name!r}: relation must be eq, ne, ge or gt")
        object.__setattr__(self, "expect_zero", self.relation != "ne")

    @property
    def residual(self) -> sp.Expr:
        return self.derived - self.claimed

    @property
    def restatement(self) -> bool:
        """Both sides identical as SymPy objects before any witness runs (shown by substitution)."""
        return self.relation == "eq" and self.derived == self.claimed


class PremiseView:
    """A premise as a derivation sees it: reading its statement, given or facts marks it *used*."""

    __slots__ = ("_step", "_ctx")

    def __init__(self, step: "Step", ctx: "Context") -> None:
        self._step, self._ctx = step, ctx

    def _use(self):
        self._ctx._used.add(self._step.label)
        return self._step

    @property
    def label(self) -> str:
        return self._step.label

    @property
    def kind(self) -> "Kind":
        return self._step.kind

    @property
    def statement(self) -> tuple:
        return self._use().statement

    @property
    def given(self) -> tuple:
        return self._use().given

    @property
    def fact(self) -> Mapping[str, sp.Basic]:
        return self._use().fact

    @property
    def facts(self) -> tuple:
        return self._use().facts

    @property
    def conditions(self) -> tuple:
        """The premise's conditions (its imposed relations are claims a later step may check, e.g. units)."""
        return self._use().conditions

    @property
    def variant(self) -> tuple:
        return self._step.variant

    def rules(self) -> dict:
        """{lhs: rhs} of the premise's displayed equations and given definitions (marks it used)."""
        s = self._use()
        return {r.lhs: r.rhs for r in s.given + s.statement if isinstance(r, sp.Equality)}

    def residual(self, i: int) -> sp.Expr:
        """lhs − rhs of the premise's displayed relation ``i``: a constraint that vanishes by the premise."""
        r = self._use().statement[i]
        return r.lhs - r.rhs


class Context:
    """What a derivation may use: its own step and its premises, read through :meth:`__getitem__`.

    The context records which premises were read (a premise never read is reported by the verifier)
    and the rewrites the derivation asks for (:meth:`rewrite`, :meth:`limit`, :meth:`series`), which the
    verifier witnesses.
    """

    def __init__(self, step: "Step", premises: Mapping[str, "Step"]) -> None:
        self.step = step
        self.premises = premises
        self._used: set[str] = set()
        self._rewrites: list = []

    def __getitem__(self, label: str) -> PremiseView:
        if label not in self.premises:
            raise KeyError(f"step {self.step.label!r} used {label!r}, which is not among its premises")
        return PremiseView(self.premises[label], self)

    @property
    def used(self) -> tuple[str, ...]:
        return tuple(p for p in self.step.premises if p in self._used)

    @property
    def rewrites(self) -> tuple:
        return tuple(self._rewrites)

    def _record(self, rw) -> sp.Expr:
        self._rewrites.append(rw)
        return rw.after

    def rewrite(self, expr: sp.Expr, how="simplify", name: str = "") -> sp.Expr:
        """Apply a rewrite (``"simplify"``, ``"cancel"``, ``"expand_log"`` (forced), ``"together"``,
        ``"trigsimp"``, ``"powsimp"`` (forced), or a callable) and record it to be witnessed."""
        from derive.proof import Rewrite

        fns = {"simplify": sp.simplify, "cancel": sp.cancel, "together": sp.together, "trigsimp": sp.trigsimp,
               "expand_log": lambda e: sp.expand_log(e, force=True), "factor": sp.factor,
               "powsimp": lambda e: sp.powsimp(e, force=True), "expand": sp.expand,
               "radsimp": sp.radsimp, "logcombine": lambda e: sp.logcombine(e, force=True)}
        fn = fns[how] if isinstance(how, str) else how
        label = how if isinstance(how, str) else getattr(how, "__name__", "rewrite")
        expr = sp.sympify(expr)
        return self._record(Rewrite(name or label, "rewrite", expr, sp.sympify(fn(expr))))

    def limit(self, expr: sp.Expr, var: sp.Symbol, at, name: str = "") -> sp.Expr:
        """``sp.limit(expr, var, at)``, recorded: the verifier evaluates ``expr`` near ``at``."""
        from derive.proof import Rewrite

        at = sp.sympify(at)
        return self._record(Rewrite(name or "limit", "limit", sp.sympify(expr), sp.limit(expr, var, at), var, at))

    def series(self, expr: sp.Expr, var: sp.Symbol, at, order: int, name: str = "") -> sp.Expr:
        """The Taylor polynomial of ``expr`` in ``var`` about ``at`` to O((var − at)^order), recorded."""
        from derive.proof import Rewrite

        at, expr = sp.sympify(at), sp.sympify(expr)
        # term by term (the series is linear): SymPy's series of a sum of logarithms costs twice the sum of
        # its terms' series (multivalued.curvature); the verifier checks the result against expr either way
        out = sp.Add(*(_taylor(term, var, at, order) or sp.series(term, var, at, order).removeO()
                       for term in sp.Add.make_args(expr)))
        return self._record(Rewrite(name or "series", "series", expr, out, var, at, order))


#: Nodes of an expression the Taylor polynomial by derivatives is taken of (elementary, analytic where finite).
_ANALYTIC = (sp.Symbol, sp.Number, sp.NumberSymbol, sp.Add, sp.Mul, sp.Pow, sp.exp, sp.log, sp.sin, sp.cos,
             sp.sinh, sp.cosh, sp.atan)


def _taylor(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, order: int) -> sp.Expr | None:
    """Σ_{k<order} f⁽ᵏ⁾(at) (var − at)ᵏ / k!, or None (then SymPy's ``series`` is used).

    Taken only of elementary expressions whose derivatives up to the order-th are finite at a finite
    point, after each logarithm's argument is put over one denominator (``cancel``, exact): there the
    Taylor polynomial is the series, and differentiating costs a seventh of SymPy's ``series`` on the
    logarithms of multivalued.curvature.  Either way the verifier checks the result (input − output
    = O(h^order) at the witness's points).

    >>> x, c = sp.symbols("x c", positive=True)
    >>> _taylor(sp.log(1 / (x * (c + 1 / x))), x, 0, 2)
    -c*x
    >>> _taylor(x * sp.log(x), x, 0, 2) is None  # 0 · log 0: SymPy's series decides
    True
    """
    at = sp.sympify(at)
    if not at.is_finite or not all(isinstance(node, _ANALYTIC) for node in preorder_traversal(expr)):
        return None
    f = expr.replace(lambda a: isinstance(a, sp.log) and a.args[0].has(var), lambda a: sp.log(sp.cancel(a.args[0])))
    bad = (sp.nan, sp.zoo, sp.oo, -sp.oo)
    terms = []
    for k in range(order + 1):  # the order-th derivative too: finite there, the remainder is O(h^order)
        value = f.subs(var, at)
        if value.has(*bad) or not value.is_finite:
            return None
        if k < order:
            terms.append(value * (var - at) ** k / sp.factorial(k))
            f = derivative(f, var)
    return sp.Add(*terms)


Derive = Callable[[Context], Sequence[Obligation]]


@dataclass(frozen=True)
class Step:
    """One step of the argument (README, "How a step is verified").

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
    conditions: tuple = ()
    variant: tuple[tuple[str, str], ...] = ()
    facts: tuple[tuple[str, sp.Basic], ...] = ()
    transformation: str = ""
    derive: Derive | None = field(default=None, compare=False)
    note: str = ""
    depth: str = "proof"

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
        if self.kind.is_input and self.derive is not None and not self.facts:
            raise ValueError(f"step {self.label!r} is a {self.kind.value}: its derivation may only tie its facts")
        if not self.kind.is_input and self.derive is None:
            raise ValueError(f"step {self.label!r} is a {self.kind.value}: it needs a derivation")
        if self.kind is Kind.CONDITIONAL and not self.conditions:
            raise ValueError(f"conditional step {self.label!r} must name its conditions")
        for name, value in self.variant:
            if not (isinstance(name, str) and isinstance(value, str)):
                raise ValueError(f"step {self.label!r}: variant entries are (name, value) strings")
            allowed = _SIGN_CASES.get(name)
            bad = [v for v in re.findall(r"[+-]?\d+", value) if allowed and int(v) not in allowed]
            if bad:  # the sign cases of the action: s2 in {+1, 0, -1}, s4 in {+1, -1}
                raise ValueError(f"step {self.label!r}: variant {name} = {value!r}: {name} is one of "
                                 f"{', '.join(f'{a:+d}' if a else '0' for a in sorted(allowed, reverse=True))}")
        if not all(isinstance(g, sp.Basic) for g in self.given):
            raise ValueError(f"step {self.label!r}: given must be SymPy objects")
        if not (self.depth == "proof" or (self.depth.startswith("examples: ") and self.depth[10:].strip())):
            raise ValueError(f"step {self.label!r}: depth is 'proof' or 'examples: <family>', got {self.depth!r}")
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
        """Jupyter: label and title, then the statement (:mod:`derive.display`)."""
        from derive.display import step_latex

        return step_latex(self)

    def _repr_html_(self) -> str:
        """Jupyter: label, title, kind, premises, statement, conditions (:mod:`derive.display`)."""
        from derive.display import step_html

        return step_html(self)
