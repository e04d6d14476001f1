r"""Verdicts and the two witnesses (README, "How a step is verified").

For every obligation ``derived - claimed`` of a step:

1. **Symbolic witness.**  Carry out the residual's derivatives (:mod:`derive.chain_rule`) and its
   definite integrals (by a closed formula where :mod:`derive.integrals` has one; SymPy's ``integrate``
   otherwise), replace every derivative of an unknown function
   and the function itself by an independent *jet variable* (sound: if the residual vanishes for
   independent jet values it vanishes for every function), then the zero tests of ``_ZERO_TESTS``,
   cheapest first: ``expand``, the expanded numerator over a common denominator (``together``; tried
   first when the residual divides by a sum), ``cancel(together(.))``, ``gammasimp`` (for factorials)
   and, last, ``simplify``.  The first that reaches 0 is recorded.
2. **Numeric witness**, independent of SymPy's simplifier: the unknown functions
   (p(q,t), F(q,t), V(q,t), h_i(q), ...) are replaced by random concrete test functions (sums of
   sines and a Gaussian bump; ``exp`` of that for positive functions), derivatives are taken
   exactly, and the residual is evaluated with mpmath at seeded random points of the domain the
   symbols' assumptions allow (precision raised when the residual is near the tolerance).
   Unevaluated integrals are evaluated by quadrature, never by ``integrate``
   (:mod:`derive.numeric_witness`).

Statuses: ``verified`` (both witnesses say 0), ``conditional`` (verified, under the step's named
conditions), ``assumed`` (definition or postulate), ``inconclusive`` (SymPy does not reach 0 but the
numbers do, or no admissible point could be found), ``failed`` (the numeric witness finds a nonzero
residual: the counterexample point is reported).  For an obligation that expects a *nonzero* residual
(a negative result), the roles swap: the numeric witness must exhibit a point where it is nonzero.

>>> import sympy as sp
>>> from derive.step import Obligation
>>> x = sp.Symbol("x", positive=True)
>>> symbolic_residual(Obligation("log", sp.log(x**2), 2*sp.log(x)))[0]
0
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import Enum
from typing import Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.integrals import integrated
from derive.numeric_witness import (DEFAULT_DPS, DEFAULT_POINTS, TestFunction, _assumed, _evaluated, _limit_check,  # noqa: F401
                                    _num, _series_check, numeric_residuals, random_function)
from derive.step import Context, Obligation, Step

__all__ = [
    "Status", "Counts", "ChainRecord", "SymbolicWitness", "NumericWitness", "Verdict", "verify_step", "obligations",
    "symbolic_residual", "numeric_residuals", "random_function", "TestFunction", "jet_name", "DEFAULT_SEED",
]

from derive.seeds import DEFAULT_SEED, fixed_assumption_order  # noqa: E402  (the one seed policy)


class Status(str, Enum):
    VERIFIED = "verified"
    CONDITIONAL = "conditional"
    ASSUMED = "assumed"
    INCONCLUSIVE = "inconclusive"
    FAILED = "failed"
    VACUOUS = "vacuous"

    @property
    def ok(self) -> bool:
        """Passes: everything but ``failed`` and ``inconclusive`` (a vacuous step is an honest finding)."""
        return self not in (Status.FAILED, Status.INCONCLUSIVE)


@dataclass(frozen=True)
class Counts:
    """How a step's obligations were met: in all, by substitution, inequalities, rewrites witnessed."""

    total: int = 0
    restatements: int = 0
    inequalities: int = 0
    rewrites_witnessed: int = 0

    def to_json(self) -> dict:
        return {"total": self.total, "restatements": self.restatements, "inequalities": self.inequalities,
                "rewrites_witnessed": self.rewrites_witnessed}


@dataclass(frozen=True)
class ChainRecord:
    """What a verdict inherits through the chain (see :func:`derive.chain.chain_records`).

    ``status``: the own status when it is failed, inconclusive or vacuous; ``unsupported`` when a step
    in the closure of its premises failed, is inconclusive or vacuous; ``assumed`` for an input;
    ``conditional`` when it or a step it rests on holds under conditions or rests on a postulate;
    ``verified`` otherwise.
    """

    status: str
    postulates: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    unsupported_by: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"status": self.status, "postulates": list(self.postulates), "conditions": list(self.conditions),
                "unsupported_by": list(self.unsupported_by)}


@dataclass(frozen=True)
class SymbolicWitness:
    residuals: tuple[str, ...]
    as_expected: bool
    methods: tuple[str, ...]
    seconds: float

    def to_json(self) -> dict:
        residual = "0" if all(r == "0" for r in self.residuals) else "; ".join(self.residuals)
        return {"residual": residual, "residuals": list(self.residuals), "as_expected": self.as_expected,
                "methods": list(self.methods), "seconds": round(self.seconds, 4)}


@dataclass(frozen=True)
class NumericWitness:
    points: int
    max_abs_residual: float
    tolerance: float
    seed: int
    dps: int
    as_expected: bool
    counterexample: tuple[tuple[str, str], ...] | None
    seconds: float
    note: str = ""

    def to_json(self) -> dict:
        return {"points": self.points, "max_abs_residual": self.max_abs_residual,
                "tolerance": self.tolerance, "seed": self.seed, "dps": self.dps,
                "as_expected": self.as_expected,
                "counterexample": dict(self.counterexample) if self.counterexample else None,
                "seconds": round(self.seconds, 4), "note": self.note}


@dataclass(frozen=True)
class Verdict:
    """The outcome of verifying one step, with both witnesses' records."""

    step: Step
    status: Status
    reason: str
    symbolic: SymbolicWitness | None
    numeric: NumericWitness | None
    sympy_version: str
    seconds: float
    cached: bool = False
    counts: Counts = Counts()
    premises_used: tuple[str, ...] = ()
    exact: tuple[tuple[str, str], ...] = ()
    satisfied_at: tuple[tuple[str, str], ...] | None = None
    chain: ChainRecord | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))

    @property
    def depth(self) -> str:
        return self.step.depth

    def fields(self) -> dict:
        """Everything but the step and the chain (what the cache and worker processes carry)."""
        return {"status": self.status, "reason": self.reason, "symbolic": self.symbolic, "numeric": self.numeric,
                "sympy_version": self.sympy_version, "seconds": self.seconds, "counts": self.counts,
                "premises_used": self.premises_used, "exact": self.exact, "satisfied_at": self.satisfied_at}

    @property
    def label(self) -> str:
        return self.step.label

    def to_json(self) -> dict:
        s = self.step
        return {
            "label": s.label, "title": s.title, "kind": s.kind.value, "status": self.status.value,
            "reason": self.reason, "note": s.note, "premises": list(s.premises), "assumptions": list(s.assumptions),
            "conditions": [str(c) for c in s.conditions], "variant": dict(s.variant), "source": s.source.to_json(),
            "symbolic": self.symbolic.to_json() if self.symbolic else {"residual": None, "seconds": 0.0},
            "numeric": self.numeric.to_json() if self.numeric else
            {"points": 0, "max_abs_residual": None, "tolerance": None},
            "seconds": round(self.seconds, 4), "sympy": self.sympy_version, "cached": self.cached,
            "depth": s.depth, "premises_used": list(self.premises_used), "obligations": self.counts.to_json(),
            "exact": [{"relation": k, "value": v} for k, v in self.exact],
            "conditions_hold_at": dict(self.satisfied_at) if self.satisfied_at else None,
            "chain": self.chain.to_json() if self.chain else None,
        }

    def _repr_latex_(self) -> str:
        """Jupyter: label, status, largest residual, statement; a failed verdict its counterexample."""
        from derive.display import verdict_latex

        return verdict_latex(self)

    def _repr_html_(self) -> str:
        """Jupyter: the step with its status, reason, chain status and counterexample (:mod:`derive.display`)."""
        from derive.display import verdict_html

        return verdict_html(self)


# ----------------------------------------------------------------------------- symbolic witness

def jet_name(atom: sp.Expr) -> str:
    """A readable name for a function or one of its derivatives: ``p``, ``p_q1``, ``F_q1q2``, ``h_1_beta``."""
    f = atom.expr if isinstance(atom, sp.Derivative) else atom
    name = f.func.__name__
    if isinstance(atom, sp.Derivative):
        name += "_" + "".join(str(v).replace("_", "") * c for v, c in atom.variable_count)
    return name


def _jet(expr: sp.Expr) -> sp.Expr:
    """Replace derivatives of unknown functions, then the functions, by independent symbols."""
    mapping = {}
    for d in expr.atoms(sp.Derivative):
        if isinstance(d.expr, AppliedUndef):
            mapping[d] = sp.Dummy(jet_name(d), real=True) if _assumed(d.expr.func, "real") else sp.Dummy(jet_name(d))
    for f in expr.atoms(AppliedUndef):
        mapping[f] = sp.Dummy(jet_name(f), **getattr(f.func, "_kwargs", {}))
    # one rebuild of the tree: xreplace matches top-down, so a derivative is replaced whole and the
    # function inside it is never reached; the functions elsewhere get their own symbols
    return expr.xreplace(mapping)


def _numerator(e: sp.Expr) -> sp.Expr:
    """The expanded numerator of ``e`` over one common denominator (``together`` is exact)."""
    return sp.expand(sp.fraction(sp.together(e))[0])


def _sum_in_denominator(e: sp.Expr) -> bool:
    """Whether ``e`` divides by a sum (then the numerator test goes first: expand cannot combine fractions)."""
    return any(p.exp.is_negative and p.base.is_Add for p in e.atoms(sp.Pow))


#: The symbolic witness's zero tests, cheapest first: (name, rewrite, applied to the jet residual as
#: displayed (True) or to the previous test's result (False), only when the residual has one of these).
#: "numerator": a 0 numerator over a common denominator means 0 wherever the residual is defined; it
#: reaches 0 on every residual of the chain that cancel reaches, at a third of the cost (cancel also takes
#: a polynomial gcd), and is taken from the displayed form because together of the expanded form is the
#: slow part.  "gammasimp": ratios of factorials and binomials (grand.poisson, grand.binomial), which
#: otherwise only simplify reduces, at twice the cost.
_ZERO_TESTS = (
    ("expand", sp.expand, False, ()),
    ("numerator", _numerator, True, ()),
    ("cancel", lambda e: sp.cancel(sp.together(sp.expand(e))), False, ()),
    ("gammasimp", lambda e: _numerator(sp.gammasimp(e)), True, (sp.factorial, sp.binomial, sp.gamma)),
    ("simplify", sp.simplify, False, ()),
)


def symbolic_residual(ob: Obligation, thorough: bool = True) -> tuple[sp.Expr, str]:
    """Reduce ``ob.residual`` toward 0; return (reduced expression, the rewrite that got there).

    ``thorough=False`` stops after ``cancel`` (no ``simplify``, which can run for minutes on a large
    nonzero residual): used once the numeric witness has already refuted the claim.
    """
    derived, claimed = _evaluated(ob)  # shared with the numeric witness: differentiate once
    r = derived - claimed
    if r.has(sp.Integral):
        r = integrated(r)
    if r == 0:
        return sp.S.Zero, "doit"
    j0 = j = _jet(r)
    # a counterexample is shown numerically: gammasimp and simplify would only burn time on it
    rewrites = _ZERO_TESTS if (ob.expect_zero and thorough) else _ZERO_TESTS[:3]
    if _sum_in_denominator(j0):  # expand alone reaches 0 on 13 of the chain's 32 such residuals, numerator on 30
        rewrites = (rewrites[1], rewrites[0]) + rewrites[2:]
    for method, rewrite, from_jet, needs in rewrites:
        if needs and not j0.has(*needs):
            continue
        try:
            k = rewrite(j0 if from_jet else j)
        except (NotImplementedError, sp.PolynomialError):  # pragma: no cover - SymPy limits
            continue
        if k == 0:
            return sp.S.Zero, method
        if not from_jet:  # the next rewrite starts from this one's result
            j = k
    signs = _sign_assumptions(ob.where) if (ob.where is not None and ob.expect_zero and thorough) else {}
    if signs:  # the conditions say x > 0 (or < 0): let SymPy use it
        try:
            k = sp.simplify(j.xreplace(signs))
        except (NotImplementedError, sp.PolynomialError):  # pragma: no cover
            k = j
        if k == 0:
            return sp.S.Zero, "simplify under the conditions"
    return j, "none"


def _sign_assumptions(where: sp.Basic) -> dict:
    """{x: a positive (negative) dummy} for every condition x > 0 (x < 0) among ``where``'s conjuncts."""
    out = {}
    for c in sp.And.make_args(where):
        if isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan)) and 0 in (c.lhs, c.rhs):
            sym = c.rhs if c.lhs == 0 else c.lhs
            if isinstance(sym, sp.Symbol):
                positive = (c.lhs == sym) == isinstance(c, sp.StrictGreaterThan)
                out[sym] = sp.Dummy(sym.name, positive=positive) if positive else sp.Dummy(sym.name, negative=True)
    return out


# ----------------------------------------------------------------------------- the verdict

_REL = {sp.Equality: "eq", sp.Unequality: "ne", sp.LessThan: "le", sp.StrictLessThan: "lt",
        sp.GreaterThan: "ge", sp.StrictGreaterThan: "gt"}


@dataclass
class _Item:
    """An obligation and how it is witnessed (both witnesses, or the numeric one only)."""

    ob: Obligation
    symbolic: bool = True
    rewrite: object = None  # a derive.proof.Rewrite for series/limit checks


class _Plan:
    """Everything the verifier builds from a step's display and its derivation's Shows."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.problems: list[str] = []   # structural: inconclusive
        self.refuted: list[str] = []    # exact refutations: failed
        self.vacuous: list[str] = []    # conditions shown impossible
        self.exact: list[tuple[str, str]] = []
        self.restatements = 0
        self.inequalities = 0
        self.rewrites = 0
        self.total = 0


def _text(e) -> str:
    return sp.sstr(e)[:70]


def _run_derivation(step: Step, ctx: Context, plan: _Plan) -> list:
    try:
        out = step.derive(ctx)
    except Exception as err:  # noqa: BLE001 - a user's derivation must not crash the verifier
        first = (str(err).splitlines() or [""])[0][:160]
        plan.problems.append(f"the derivation of {step.label} raised {type(err).__name__}: {first}")
        return []
    from derive.proof import Show

    try:
        shows = list(out)
    except TypeError:
        plan.problems.append(f"the derivation of {step.label} returned {type(out).__name__}; "
                             "it must return a sequence of derive.proof.Show")
        return []
    bad = [type(x).__name__ for x in shows if not isinstance(x, Show)]
    if bad:
        plan.problems.append(f"the derivation of {step.label} returned {', '.join(sorted(set(bad)))} where a "
                             "derive.proof.Show is expected (the verifier reads the claim from the display)")
        return []
    return shows


def _given_rules(step: Step, plan: _Plan) -> dict:
    rules = {}
    for g in step.given:
        if not isinstance(g, sp.Equality):
            plan.problems.append(f"given entry {_text(g)} is not an equation (a definition is lhs = rhs)")
            continue
        rules[g.lhs] = g.rhs
    shown = [r for r in step.statement] + [c.holds for c in step.conditions if getattr(c, "holds", None) is not None]
    for lhs in rules:
        if not any(isinstance(r, sp.Basic) and r.has(lhs) for r in shown):
            plan.problems.append(f"given entry {_text(lhs)} = ... is not used by the statement (a decorative "
                                 "definition: display it where it is used, or drop it)")
    return rules


def _conditions(step: Step, plan: _Plan) -> list:
    from derive.proof import Condition

    out = []
    for c in step.conditions:
        if not isinstance(c, Condition):
            plan.problems.append(f"condition {str(c)[:60]!r} is free text; give a derive.proof.Condition "
                                 "(a SymPy Boolean, an imposed relation, a postulate label or a sign case)")
            continue
        if c.case is not None and tuple(c.case) not in step.variant:
            plan.problems.append(f"condition {c.text!r} names the case {c.case} which is not in the step's variant")
        out.append(c)
    return out


def _case_problem(step: Step, case: Mapping) -> str:
    """Why ``case`` (a Show's sign case) is not one the step's variant lists, or '' when it is."""
    listed = {name.replace("_", ""): value for name, value in step.variant}
    for sym, v in case.items():
        value = listed.get(sym.name.replace("_", ""))
        if value is None:
            return f"the sign case sets {sym} = {v}, which the step's variant does not name"
        allowed = {int(x) for x in re.findall(r"[+-]?\d+", value)}
        if "any" not in value and int(v) not in allowed:
            return f"the sign case {sym} = {v} is not among the variant's values ({value})"
    return ""


def _plan(step: Step, premises: Mapping[str, Step]) -> tuple[_Plan, Context]:
    plan = _Plan()
    ctx = Context(step, premises)
    shows = _run_derivation(step, ctx, plan)
    if plan.problems:
        return plan, ctx
    given = _given_rules(step, plan) if not step.kind.is_input else {}
    conditions = _conditions(step, plan)
    holds = [c for c in conditions if c.holds is not None]
    imposed = [c for c in conditions if c.imposed is not None]
    facts = step.fact
    shown_targets: set = set()
    first_real = None
    for k, show in enumerate(shows):
        R0 = show.realise
        case = dict(show.case)
        bad_case = _case_problem(step, case)
        if bad_case:
            plan.problems.append(f"{show.name or show.target}: {bad_case}")
            continue

        def R(e, R0=R0, case=case):
            out = R0(sp.sympify(e).xreplace(given)) if given else R0(e)
            return out.xreplace(case) if case else out
        where = [R(c.holds) for c in holds]
        if show.where is not None:
            where.append(show.where)
        cond = sp.And(*where) if where else None
        if cond is sp.false:
            shown_targets.add(show.target)
            plan.vacuous.append("the conditions cannot hold: " + "; ".join(
                f"{c.text} realises to {sp.sstr(R(c.holds))}" for c in holds if R(c.holds) is not sp.true))
            continue
        if cond is sp.true:
            cond = None
        if isinstance(show.target, str):
            name = show.target[5:]
            if name not in facts:
                plan.problems.append(f"Show({show.target!r}): the step has no fact {name!r}")
                continue
            shown_targets.add(show.target)
            got, value = R(show.quantity), facts[name].xreplace(case)  # the fact as displayed, in the case
            if isinstance(value, sp.Tuple):  # a tuple-valued fact (e.g. a drift vector): component by component
                if not (isinstance(got, sp.Tuple) and len(got) == len(value)):
                    plan.problems.append(f"Show({show.target!r}): the quantity is not a tuple of {len(value)}")
                    continue
                for j, (g, v) in enumerate(zip(got, value)):
                    plan.items.append(_Item(Obligation(f"{show.name or f'fact {name}'}[{j}]", g, v,
                                                       domain=show.domain, where=cond, kind="fact")))
                continue
            plan.items.append(_Item(Obligation(show.name or f"fact {name}", got, value,
                                               domain=show.domain, where=cond, kind="fact")))
            continue
        i = show.target
        if not 0 <= i < len(step.statement):
            plan.problems.append(f"Show({i}): the statement has {len(step.statement)} relation(s)")
            continue
        if first_real is None:
            first_real = R
        shown_targets.add(i)
        rel = step.statement[i]
        kind = _REL.get(type(rel))
        name = show.name or f"({i + 1}) {_text(rel)}"
        if kind is None:
            plan.problems.append(f"statement entry {i + 1} ({_text(rel)}) is not a relation")
            continue
        lhs, rhs = R(rel.lhs), R(rel.rhs)
        if kind == "eq":
            if show.signed is not None or show.nonzero is not None:
                plan.problems.append(f"{name}: an equation takes `modulo`, not `signed`/`nonzero`")
                continue
            derived = lhs - sp.Add(*(c * d for c, d in show.modulo)) if show.modulo else lhs
            plan.items.append(_Item(Obligation(name, derived, rhs, domain=show.domain, where=cond)))
        elif kind == "ne":
            nz = show.nonzero
            if nz is None:
                plan.problems.append(f"{name}: a negative result needs its positive content "
                                     "(Show(..., nonzero=Nonzero(value, at)))")
                continue
            plan.items.append(_Item(Obligation(name + ": the difference is", lhs - rhs, nz.value,
                                               domain=show.domain, where=cond)))
            try:
                value = nz.evaluate()
            except Exception as err:  # noqa: BLE001
                plan.problems.append(f"{name}: the exact point could not be evaluated ({type(err).__name__})")
                continue
            point = ", ".join(f"{sp.sstr(k_)} = {sp.sstr(v_)}" for k_, v_ in nz.at.items())
            plan.exact.append((name, f"at {point or 'every point'}: {sp.sstr(value)}"))
            if value.free_symbols or not value.is_number:
                plan.problems.append(f"{name}: the exact point leaves {sp.sstr(value)[:60]} (give every symbol)")
            elif value.has(sp.Float):
                plan.problems.append(f"{name}: the value at the point is not exact ({sp.sstr(value)})")
            elif value.is_zero is not False:
                (plan.refuted if value.is_zero else plan.problems).append(
                    f"{name}: the difference at the exact point is {sp.sstr(value)}, not shown nonzero")
        else:
            plan.inequalities += 1
            big, small = (rhs, lhs) if kind in ("le", "lt") else (lhs, rhs)
            strict = kind in ("lt", "gt")
            plan.items.append(_Item(Obligation(name + " at every sampled point", big, small,
                                               relation="gt" if strict else "ge", domain=show.domain,
                                               where=cond, kind="sign"), symbolic=False))
            if show.signed is None:
                plan.problems.append(f"{name}: an inequality checked at sampled points only (no signed form)")
                continue
            plan.items.append(_Item(Obligation(name + ": the gap is the signed form", big - small, show.signed,
                                               domain=show.domain, where=cond)))
            sign = show.signed.is_positive if strict else show.signed.is_nonnegative
            if sign is not True:
                plan.problems.append(f"{name}: SymPy cannot prove the sign of {sp.sstr(show.signed)[:60]} "
                                     f"({'> 0' if strict else '>= 0'}) from the assumptions")
    for i, rel in enumerate(step.statement):
        if i not in shown_targets and not step.kind.is_input:
            plan.problems.append(f"relation ({i + 1}) {_text(rel)} is displayed but not shown by the derivation")
    for name in facts:
        if f"fact:{name}" not in shown_targets:
            plan.problems.append(f"fact {name!r} is not tied to the display (Show('fact:{name}', quantity=...))")
    if imposed and first_real is not None:
        for c in imposed:
            plan.items.append(_Item(Obligation(f"condition {c.text[:50]} holds in the realised model",
                                               first_real(c.imposed.lhs), first_real(c.imposed.rhs),
                                               kind="condition")))
    for rw in ctx.rewrites:
        plan.rewrites += 1
        plan.items.append(_Item(Obligation(f"{rw.kind}: {rw.name}", rw.before, rw.after, kind=rw.kind),
                                symbolic=False, rewrite=rw))
    unused = [p for p in step.premises if p not in ctx.used]
    if unused and not step.kind.is_input:  # a definition cites what it builds on; a derivation must use it
        plan.problems.append("premise(s) listed but never read by the derivation: " + ", ".join(unused))
    for it in plan.items:
        if it.ob.kind in ("claim", "fact") and it.ob.restatement:
            plan.restatements += 1
    plan.total = sum(1 for it in plan.items)
    return plan, ctx


def obligations(step: Step, premises: Mapping[str, Step]) -> tuple[Obligation, ...]:
    """What the verifier checks for ``step``: one obligation per displayed side pair, fact, condition and rewrite.

    Raises ``ValueError`` naming the problems when the display cannot be read as claims (see :func:`verify_step`).
    """
    plan, _ = _plan(step, premises)
    if plan.problems and not plan.items:
        raise ValueError(f"{step.label}: " + "; ".join(plan.problems))
    return tuple(it.ob for it in plan.items)


def verify_step(step: Step, premises: Mapping[str, Step], seed: int = DEFAULT_SEED,
                points: int = DEFAULT_POINTS, dps: int = DEFAULT_DPS) -> Verdict:
    """Verify ``step`` from its premises' displayed statements (see the module docstring).

    The claim is read from the step's display; the derivation's :class:`~derive.proof.Show` s say how
    each displayed relation is realised.  A derivation that raises or returns the wrong type gives an
    ``inconclusive`` verdict naming the error.  SymPy's assumption queries run in a fixed order
    (:func:`derive.seeds.fixed_assumption_order`).
    """
    with fixed_assumption_order():
        return _verify_step(step, premises, seed, points, dps)


def _verify_step(step: Step, premises: Mapping[str, Step], seed: int, points: int, dps: int) -> Verdict:
    t0 = time.perf_counter()
    version = sp.__version__
    if step.kind.is_input and step.derive is None:
        return Verdict(step, Status.ASSUMED, f"{step.kind.value}: an input of the argument", None, None,
                       version, time.perf_counter() - t0)
    try:
        plan, ctx = _plan(step, premises)
    except Exception as err:  # noqa: BLE001 - a realisation (Show.realise) that raises: inconclusive, no traceback
        first = (str(err).splitlines() or [""])[0][:160]
        return Verdict(step, Status.INCONCLUSIVE, f"realising the display of {step.label} raised "
                       f"{type(err).__name__}: {first}", None, None, version, time.perf_counter() - t0)
    counts = Counts(plan.total, plan.restatements, plan.inequalities, plan.rewrites)
    extra = dict(counts=counts, premises_used=ctx.used, exact=tuple(plan.exact))
    if not plan.items:
        status = Status.VACUOUS if plan.vacuous else Status.INCONCLUSIVE
        reason = "; ".join(plan.vacuous + plan.problems) or "nothing to check"
        return Verdict(step, status, reason, None, None, version, time.perf_counter() - t0, **extra)

    # the numeric witness first: where it refutes a claim, the symbolic one need not run simplify
    tn = time.perf_counter()
    max_r, tol_max, n_points, counter, num_ok, undecided = 0.0, 0.0, 0, None, [], []
    refuted_numerically, undecided_idx, satisfied = [], set(), None
    for i, it in enumerate(plan.items):
        ob = it.ob
        if ob.restatement:
            num_ok.append(True)
            refuted_numerically.append(False)
            continue
        if it.rewrite is not None and it.rewrite.kind in ("series", "limit"):
            try:
                ok, why = (_series_check if it.rewrite.kind == "series" else _limit_check)(it.rewrite, seed + i)
            except Exception as err:  # noqa: BLE001
                ok, why = None, f"{type(err).__name__}"
            if ok is None:
                undecided.append(f"{ob.name} ({why})")
                undecided_idx.add(i)
            num_ok.append(bool(ok))
            refuted_numerically.append(ok is False)
            if ok is False and counter is None:
                counter = (("obligation", ob.name), ("why", why))
            continue
        try:
            res = numeric_residuals(ob, seed + i, points, dps, signed=True)
        except Exception as err:  # a witness that cannot evaluate decides nothing
            res = None
            why = f"{ob.name} ({type(err).__name__}: {(str(err).splitlines() or [''])[0][:80]})"
        else:
            why = f"{ob.name} (no admissible point)"
        if res is None:
            undecided.append(why)
            undecided_idx.add(i)
            num_ok.append(False)
            refuted_numerically.append(False)
            continue
        if ob.where is not None and satisfied is None:
            satisfied = tuple((str(k), _num(v)) for k, v in res[0][0].items())
        n_points += len(res)
        if ob.relation == "eq":
            bad = [(pt, abs(r)) for pt, r, tol in res if abs(r) > tol]
            max_r = max([max_r] + [abs(r) for _, r, _ in res])
            tol_max = max([tol_max] + [tol for _, _, tol in res])
        elif ob.relation in ("ge", "gt"):
            bad = [(pt, r.real if isinstance(r, complex) else r) for pt, r, tol in res
                   if (abs(complex(r).imag) > tol) or (complex(r).real < -tol if ob.relation == "ge"
                                                       else complex(r).real <= tol)]
        else:
            good = [(pt, abs(r)) for pt, r, tol in res if abs(r) > 1e6 * tol]
            bad = [] if good else [(res[0][0], abs(res[0][1]))]
        num_ok.append(not bad)
        refuted_numerically.append(bool(bad))
        if bad and counter is None:
            pt, r = bad[0]
            counter = tuple((str(k), _num(v)) for k, v in pt.items()) + (
                ("obligation", ob.name), ("residual", f"{float(r):.3e}"))
    numeric = NumericWitness(n_points, max_r, tol_max, seed, dps, all(num_ok), counter,
                             time.perf_counter() - tn,
                             note=("could not evaluate: " + ", ".join(undecided)) if undecided else "")

    ts = time.perf_counter()
    residuals, methods, sym_ok = [], [], []
    for it, refuted in zip(plan.items, refuted_numerically):
        ob = it.ob
        if not it.symbolic:
            residuals.append("-")
            methods.append("numeric only")
            sym_ok.append(True)
            continue
        if ob.restatement:
            residuals.append("0")
            methods.append("by substitution")
            sym_ok.append(True)
            continue
        try:
            r, method = symbolic_residual(ob, thorough=not refuted)
        except Exception as err:  # noqa: BLE001
            r, method = sp.Symbol("error"), f"{type(err).__name__}"
        residuals.append(sp.sstr(r).replace("_Dummy_", "_")[:400])
        methods.append(method)
        sym_ok.append((r == 0) if ob.expect_zero else (r != 0))
    symbolic = SymbolicWitness(tuple(residuals), all(sym_ok), tuple(methods), time.perf_counter() - ts)

    failed_numeric = [it.ob.name for i, (it, ok) in enumerate(zip(plan.items, num_ok))
                      if not ok and i not in undecided_idx]
    failed_symbolic = [it.ob.name for it, ok in zip(plan.items, sym_ok) if not ok]
    if failed_numeric or plan.refuted:
        status = Status.FAILED
        reason = "; ".join(plan.refuted + (["numeric witness contradicts the claim in: " + ", ".join(failed_numeric)]
                                           if failed_numeric else []))
    elif plan.vacuous:
        status = Status.VACUOUS
        reason = "; ".join(plan.vacuous)
    elif plan.problems or undecided or failed_symbolic:
        status = Status.INCONCLUSIVE
        parts = list(plan.problems)
        if undecided:
            parts.append("the numeric witness could not evaluate: " + ", ".join(undecided))
        if failed_symbolic:
            parts.append("SymPy did not reduce the residual in: " + ", ".join(failed_symbolic)
                         + " (the numeric witness agrees with the claim)")
        reason = "; ".join(parts)
    elif step.kind.is_input:
        status = Status.ASSUMED
        reason = f"{step.kind.value}: an input of the argument (its facts are tied to its display)"
    elif step.conditions:
        status = Status.CONDITIONAL
        reason = "both witnesses agree, under: " + "; ".join(str(c) for c in step.conditions)
    else:
        status = Status.VERIFIED
        reason = "both witnesses agree"
    if satisfied is not None and status in (Status.CONDITIONAL, Status.VERIFIED):
        reason += " (the conditions hold at " + ", ".join(f"{k} = {v}" for k, v in satisfied[:6]) + ")"
    return Verdict(step, status, reason, symbolic, numeric, version, time.perf_counter() - t0,
                   satisfied_at=satisfied, **extra)
