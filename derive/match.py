r"""Match an equation typed from the paper against the steps' displayed statements.

A typed relation (LaTeX, read by :mod:`derive.latex_in` into the package's own symbols, with the
coordinates and field arguments of the step it is matched against) *matches* a displayed relation
of a step in a **reading** when the two relations are the same claim up to rearrangement: with
u = lhs − rhs of the typed relation and r = lhs − rhs of the displayed one,

* u ≡ ± r (an equation or ≠), u ≡ + r for an inequality written the same way round (a ≤ b is read
  as b − a ≥ 0), or, with ``up_to_factor=True``, u ≡ c·r for a factor c free of the unknown functions
  and nonzero (reported);
* both checked by the verifier's two witnesses (:func:`derive.verify.symbolic_residual` and
  :func:`derive.verify.numeric_residuals` on an :class:`~derive.step.Obligation` u against c·r).

A reading is one assignment of the step's ``variant`` (the sign cases s₂ ∈ {+1, −1, 0}, s₄ ∈ {+1, −1},
the sign of λ, and the step's other tags as they are).  A sign the step's display keeps symbolic is
enumerated and substituted; a sign fixed by the step is its label.  In every reading the step's own
definitions of names — displayed relations or ``given`` entries ``m = ...``, ``c = ...``,
``ħ_c² = ...`` — are substituted into both relations, so that a typed ``\partial_t p +
\nabla\cdot(2\gamma p\nabla S) = 0`` is read with m = s₄/(2γ) and holds for s₄ = +1 only.

Display objects the witnesses cannot evaluate (⟨·⟩, ∮, Var, sums, integrals, limits) are compared
as opaque atoms after normalising their insides (an average is split over sums).

>>> from derive.match import match
>>> rep = match(r"\partial_t p + \nabla\cdot\left(\frac{p\nabla S}{m}\right) = 0", "madelung.equations")
>>> rep.matched
True
>>> sorted({r.reading["s4"] for r in rep.readings if r.ok})
['+1', '-1']
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.errors import InputError
from derive.latex_in import Signature, bind, parse
from derive.step import Obligation, Step

__all__ = ["ReadingResult", "MatchReport", "Confirmation", "FileEntry", "FileReport", "match", "search",
           "readings", "read_file", "match_file", "confirmations", "confirmed_table", "PROVENANCE_CONFIRMED"]

#: the provenance a user's file confirms (distinct from the package's own ``verbatim``)
PROVENANCE_CONFIRMED = "confirmed verbatim by the user's file"

_SIGN_KEYS = ("s2", "s4", "lambda")
_POINTS, _DPS, _SEED = 4, 30, 20201209


# ----------------------------------------------------------------------------------------- readings

def _values(key: str, text: str) -> tuple[str, ...]:
    """The concrete values a variant entry allows: '+1, -1' → ('+1', '-1'); 'either' → ('+', '-')."""
    t = text.strip()
    if key == "s2":
        vals = re.findall(r"[+-]1|(?<![\w.])0(?![\w.])", t)
        return tuple(dict.fromkeys(vals)) if vals else ("+1", "-1", "0")
    if key == "s4":
        vals = re.findall(r"[+-]1", t)
        return tuple(dict.fromkeys(vals)) if vals else ("+1", "-1")
    if key == "lambda":
        if t in ("+", "-") or (t[:1] in "+-" and " or " not in t):
            return (t[0],)
        return ("+", "-")
    parts = [re.sub(r"\s*\(.*?\)\s*", " ", x).strip() for x in re.split(r"\s+and\s+", t)]
    return tuple(dict.fromkeys(x for x in parts if x)) or (t,)


def _sym(step: Step, name: str) -> sp.Symbol | None:
    from derive.action import s2, s4
    from derive.symbols import lam

    sym = {"s2": s2, "s4": s4, "lambda": lam}[name]
    if any(rel.has(sym) for rel in step.statement + step.given):
        return sym
    return None


def readings(step: Step) -> list[dict[str, str]]:
    """The readings of a step: its variant with the symbolic signs enumerated (one dict per reading).

    >>> from derive.contents import derivation
    >>> len(readings(derivation().step("madelung.equations")))
    12
    """
    fixed, enum = {}, []
    for key, value in step.variant:
        vals = _values(key, value)
        if key in _SIGN_KEYS and _sym(step, key) is not None and len(vals) > 1:
            enum.append((key, vals))
        else:
            fixed[key] = ", ".join(vals) if key in _SIGN_KEYS else value
    out = []
    for combo in itertools.product(*(v for _, v in enum)):
        r = dict(fixed)
        r.update({k: v for (k, _), v in zip(enum, combo)})
        out.append(r)
    return out or [dict(fixed)]


def _reading_subs(step: Step, reading: dict[str, str]) -> dict:
    from derive.action import s2, s4
    from derive.symbols import lam

    subs = {}
    for key, sym in (("s2", s2), ("s4", s4)):
        v = reading.get(key, "")
        if re.fullmatch(r"[+-]1|0", v):
            subs[sym] = sp.Integer(int(v))
    v = reading.get("lambda", "")
    if v in ("+", "-"):
        subs[lam] = sp.Symbol("lambda", positive=True) if v == "+" else sp.Symbol("lambda", negative=True)
    return subs


def _definitions(step: Step, skip: int | None = None) -> dict:
    """{name: value} of the step's displayed relations and given entries ``name = value`` (name a symbol),
    leaving out displayed relation ``skip`` (the one being compared)."""
    rules = {}
    own = list(step.given + step.statement)
    imposed = [c.imposed for c in step.conditions if getattr(c, "imposed", None) is not None]
    premised = []
    try:
        from derive.contents import derivation

        d = derivation()
        for label in step.premises:
            if label in d.labels:
                pre = d.step(label)
                premised += list(pre.given + pre.statement)
    except Exception:  # noqa: BLE001 - a step outside the chain: its own display only
        pass
    for j, rel in enumerate(own + imposed + premised):
        if skip is not None and j - len(step.given) == skip:
            continue
        if isinstance(rel, sp.Equality):
            lhs, rhs = rel.lhs, rel.rhs
            if isinstance(lhs, sp.Symbol) and not rhs.has(lhs) and lhs not in rules and not isinstance(rhs, sp.Symbol):
                rules[lhs] = rhs
            elif isinstance(lhs, sp.Pow) and isinstance(lhs.base, sp.Symbol) and lhs.exp == 2 and not rhs.has(lhs.base):
                rules.setdefault(lhs, rhs)
    return rules


def _apply(expr: sp.Basic, subs: dict, defs: dict) -> sp.Basic:
    out = expr
    for _ in range(4):
        new = out.xreplace(defs)
        if new == out:
            break
        out = new
    return out.xreplace(subs)


# ----------------------------------------------------------------------------------------- opaque atoms

def _opaque_types():
    from derive import notation as N

    return (N.Avg, N.Var, N.Cov, N.Oint, N.Functional, N.At, N.Norm2, N.Grad, N.Lap, N.Div, sp.Sum,
            sp.Integral, sp.Limit, sp.Product)


def _normal(e: sp.Basic) -> sp.Basic:
    from derive.notation import Avg, realise

    e = realise(e)
    e = e.replace(lambda x: isinstance(x, Avg) and isinstance(x.args[0], sp.Add),
                  lambda x: sp.Add(*(Avg(a) for a in x.args[0].args)))
    e = e.replace(lambda x: isinstance(x, Avg) and isinstance(x.args[0], sp.Mul) and x.args[0].args[0].is_Number,
                  lambda x: x.args[0].args[0] * Avg(sp.Mul(*x.args[0].args[1:])))
    return e


class _Opaque:
    """Each distinct display atom (after normalising its inside) becomes one symbol, shared by both sides."""

    def __init__(self) -> None:
        self.table: dict = {}

    def __call__(self, e: sp.Basic) -> sp.Basic:
        types = _opaque_types()
        e = _normal(e)

        def key(x):
            try:
                return sp.expand(x.doit(deep=False) if isinstance(x, sp.Subs) else x)
            except Exception:  # noqa: BLE001
                return x

        def repl(x):
            k = key(x)
            if k not in self.table:
                self.table[k] = sp.Symbol(f"atom{len(self.table)}_{type(x).__name__}")
            return self.table[k]
        return e.replace(lambda x: isinstance(x, types), repl)


# ----------------------------------------------------------------------------------------- one comparison

_KIND = {sp.Equality: "eq", sp.Unequality: "ne", sp.LessThan: "ge", sp.GreaterThan: "ge",
         sp.StrictLessThan: "gt", sp.StrictGreaterThan: "gt"}


def _oriented(rel: sp.Basic) -> tuple[str, sp.Expr]:
    """(kind, residual) with a ≤ b read as b − a ≥ 0 (and a < b as b − a > 0)."""
    if isinstance(rel, sp.core.relational.Relational) and type(rel) in _KIND:
        kind = _KIND[type(rel)]
        if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            return kind, rel.rhs - rel.lhs
        return kind, rel.lhs - rel.rhs
    return "expr", sp.sympify(rel)


def _funcs(e: sp.Basic) -> frozenset:
    return frozenset(a.func.__name__ for a in e.atoms(AppliedUndef))


@dataclass(frozen=True)
class _Outcome:
    ok: bool | None          # True both witnesses, None numeric only, False refuted
    factor: sp.Expr | None
    residual: str
    counterexample: dict | None
    method: str


def _compare(u: sp.Expr, r: sp.Expr, kind: str, up_to_factor: bool, name: str) -> _Outcome:
    from derive.verify import _jet, numeric_residuals, symbolic_residual

    if r == 0 and u == 0:
        return _Outcome(True, sp.S.One, "0", None, "by substitution")
    factors: list[sp.Expr] = [sp.S.One] if kind in ("ge", "gt") else [sp.S.One, -sp.S.One]
    if up_to_factor and r != 0:
        try:
            ju, jr = _jet(sp.Tuple(u.doit(), r.doit())).args  # one jet for both: the same dummies
            ratio = sp.cancel(sp.together(ju / jr))
        except Exception:  # noqa: BLE001
            ratio = None
        if ratio is not None and ratio != 0 and not any(isinstance(s, sp.Dummy) for s in ratio.free_symbols) \
                and not ratio.has(sp.I) and ratio not in factors and ratio.is_zero is not True:
            if kind not in ("ge", "gt") or ratio.is_positive:
                factors.insert(0, ratio)
    best = None
    for c in factors:
        ob = Obligation(name, u, c * r)
        try:
            res = numeric_residuals(ob, _SEED, _POINTS, _DPS)
        except Exception as err:  # noqa: BLE001
            res, why = None, f"{type(err).__name__}"
        else:
            why = "no admissible point"
        if res is None:  # the numeric witness cannot evaluate: the symbolic one, without simplify (it can hang)
            try:
                sym, method = symbolic_residual(ob, thorough=False)
            except Exception:  # noqa: BLE001
                sym, method = sp.Symbol("undecided"), "none"
            out = _Outcome(True if sym == 0 else False if sym != 0 and False else None, c, sp.sstr(sym)[:300],
                           None, f"symbolic only ({why})")
            if sym == 0:
                return out
            best = best or out
            continue
        bad = [(pt, rr) for pt, rr, tol in res if abs(rr) > tol]
        if not bad:
            try:
                sym, method = symbolic_residual(ob, thorough=True)
            except Exception:  # noqa: BLE001
                sym, method = sp.Symbol("undecided"), "none"
            if sym == 0:
                return _Outcome(True, c, "0", None, f"both witnesses ({method}; numeric {len(res)} points)")
            return _Outcome(None, c, sp.sstr(sym)[:300], None, "numeric witness only (SymPy did not reach 0)")
        if best is None or best.ok is False and c == 1:
            try:
                sym, _ = symbolic_residual(ob, thorough=False)
                text = sp.sstr(sym).replace("_Dummy_", "_")
            except Exception:  # noqa: BLE001
                text = sp.sstr(u - c * r)
            pt, rr = bad[0]
            point = {str(k): (float(v) if isinstance(v, float) else str(v)) for k, v in pt.items()}
            point["residual"] = f"{float(abs(rr)):.3e}"
            best = _Outcome(False, c, text[:300], point, "numeric witness")
    return best


# ----------------------------------------------------------------------------------------- reports

@dataclass(frozen=True)
class ReadingResult:
    """The typed relation against one step in one reading."""

    label: str
    reading: dict
    ok: bool | None                 # True: matches (both witnesses); None: numeric only; False: no match
    relation: int | None            # the index of the displayed relation matched (or compared, on a mismatch)
    displayed: str = ""
    factor: str = "1"
    residual: str = ""
    counterexample: dict | None = None
    method: str = ""

    def to_json(self) -> dict:
        return {"label": self.label, "reading": dict(self.reading), "matches": self.ok,
                "relation": None if self.relation is None else self.relation + 1, "displayed": self.displayed,
                "factor": self.factor, "residual": self.residual, "counterexample": self.counterexample,
                "method": self.method}


@dataclass(frozen=True)
class MatchReport:
    """A typed relation against one or more steps."""

    latex: str
    typed: str
    readings: tuple[ReadingResult, ...]

    @property
    def matched(self) -> bool:
        return any(r.ok for r in self.readings)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.label for r in self.readings if r.ok))

    def to_json(self) -> dict:
        return {"latex": self.latex, "typed": self.typed, "matched": self.matched, "labels": list(self.labels),
                "readings": [r.to_json() for r in self.readings]}

    def text(self) -> str:
        lines = [f"typed: {self.typed}"]
        for r in self.readings:
            rd = ", ".join(f"{k}={v}" for k, v in r.reading.items()) or "(no variant)"
            if r.ok:
                f = "" if r.factor in ("1", "-1") else f", factor {r.factor}"
                how = "matches" if r.ok is True else "matches numerically only"
                lines.append(f"  {r.label} [{rd}]: {how} relation ({r.relation + 1}) {r.displayed}{f}  ({r.method})")
            else:
                ce = "" if not r.counterexample else "; counterexample " + ", ".join(
                    f"{k} = {v}" for k, v in list(r.counterexample.items())[:8])
                rel = f" relation ({r.relation + 1})" if r.relation is not None else ""
                lines.append(f"  {r.label} [{rd}]: no match{rel}; residual {r.residual}{ce}")
        for label in self.labels:
            lines.append(f"holds in: {label} [{_summarise([r.reading for r in self.readings if r.ok and r.label == label])}]")
        lines.append("result: " + ("matches " + ", ".join(self.labels) if self.matched else "no match"))
        return "\n".join(lines)


def _step(label: str) -> Step:
    from derive.contents import derivation

    d = derivation()
    if label not in d.labels:
        close = [x for x in d.labels if label.split(".")[-1] in x][:3]
        raise InputError(f"unknown step label {label!r}" + (f" (did you mean {', '.join(close)}?)" if close else
                                                             "; `eqnn list` lists the labels"))
    return d.step(label)


def _candidates(step: Step, u_rel, kind_u: str) -> list[int]:
    out = []
    for i, rel in enumerate(step.statement):
        kind, _ = _oriented(rel)
        if kind == kind_u or {kind, kind_u} <= {"eq", "ne"} and False:
            out.append(i)
    return out


def _against(step: Step, typed: sp.Basic, latex: str, up_to_factor: bool, quick: bool = False) -> list[ReadingResult]:
    sig = Signature.of(step.statement + step.given)
    try:
        bound = bind(typed, sig)
    except InputError:
        if quick:
            return []
        raise
    if bound in (sp.true, sp.false):
        raise InputError(f"{latex!r} evaluates to {bound} by itself: type a relation between two expressions")
    kind_u, u0 = _oriented(bound)
    if kind_u == "expr":
        raise InputError(f"{latex!r} is an expression, not a relation: type lhs = rhs (or \\neq, \\leq, <)")
    defs = _definitions(step)
    cands = _candidates(step, bound, kind_u)
    if quick:  # the chain search: same unknown functions and kind, or nothing to compare
        fu = _funcs(u0)
        cands = [i for i in cands if _funcs(step.statement[i]) == fu or
                 _funcs(_apply(step.statement[i], {}, defs)) == fu]
        if not cands:
            return []
    from derive.printing import text as show

    results = []
    for reading in readings(step):
        subs = _reading_subs(step, reading)
        opaque = _Opaque()
        outcomes = []
        for i in cands:
            defs_i = _definitions(step, skip=i)
            u = opaque(_apply(u0, subs, defs_i))
            _, r = _oriented(step.statement[i])
            r = opaque(_apply(r, subs, defs_i))
            o = _compare(u, r, kind_u, up_to_factor, f"typed vs {step.label} ({i + 1})")
            outcomes.append((i, o))
            if o is not None and o.ok:
                break
        hit = next(((i, o) for i, o in outcomes if o is not None and o.ok), None)
        if hit is None:
            hit = next(((i, o) for i, o in outcomes if o is not None and o.ok is None), None)
        if hit is not None:
            i, o = hit
            results.append(ReadingResult(step.label, reading, o.ok, i, show(step.statement[i]),
                                         sp.sstr(o.factor), o.residual, None, o.method))
            continue
        if not outcomes:
            results.append(ReadingResult(step.label, reading, False, None, "",
                                         residual=f"no displayed relation of the same kind ({kind_u})"))
            continue
        same_lhs = [x for x in outcomes if x[1] is not None and isinstance(bound, sp.core.relational.Relational)
                    and step.statement[x[0]].lhs == bound.lhs]
        i, o = min(same_lhs or [x for x in outcomes if x[1] is not None], key=lambda x: len(x[1].residual),
                   default=(outcomes[0][0], None))
        results.append(ReadingResult(step.label, reading, False, i, show(step.statement[i]), "1",
                                     o.residual if o else "undecided", o.counterexample if o else None,
                                     o.method if o else ""))
    return results


def match(latex: str, label: str | None = None, up_to_factor: bool = False) -> MatchReport:
    """The typed relation against step ``label`` in each of its readings (or the whole chain: :func:`search`)."""
    typed = parse(latex)
    if not isinstance(typed, sp.core.relational.Relational):
        raise InputError(f"{latex!r} is an expression, not a relation: type lhs = rhs (or \\neq, \\leq, <)")
    if label is None:
        return search(latex, up_to_factor=up_to_factor, _typed=typed)
    step = _step(label)
    res = _against(step, typed, latex, up_to_factor)
    return MatchReport(latex, _typed_text(typed, step), tuple(res))


def _typed_text(typed, step: Step | None) -> str:
    from derive.printing import text as show

    try:
        return show(bind(typed, Signature.of(step.statement + step.given) if step else None))
    except Exception:  # noqa: BLE001
        return sp.sstr(typed)


def search(latex: str, up_to_factor: bool = False, labels: Iterable[str] | None = None, _typed=None) -> MatchReport:
    """The typed relation against every step of the chain (or ``labels``): the readings that match."""
    from derive.contents import derivation

    typed = _typed if _typed is not None else parse(latex)
    if not isinstance(typed, sp.core.relational.Relational):
        raise InputError(f"{latex!r} is an expression, not a relation: type lhs = rhs (or \\neq, \\leq, <)")
    d = derivation()
    steps = [d.step(x) for x in labels] if labels else list(d.steps)
    found: list[ReadingResult] = []
    for step in steps:
        try:
            res = _against(step, typed, latex, up_to_factor, quick=True)
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - a step whose display cannot be compared is skipped in a search
            continue
        found.extend(r for r in res if r.ok)
    return MatchReport(latex, _typed_text(typed, None), tuple(found))


# ----------------------------------------------------------------------------------------- files

_LINE = re.compile(r"^\s*(?P<section>§\s*[\w.\-]+|abstract|appendix\s*[\w.]*|[\w.]+)?\s*"
                   r"(?:\((?P<eq>[^()]*)\))?\s*(?:\[(?P<label>[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)\])?\s*:\s*(?P<tex>.+)$")


@dataclass(frozen=True)
class FileEntry:
    """One line of a user's file: where the paper prints it, the LaTeX, and (optionally) the step named."""

    line: int
    section: str
    equation: str
    latex: str
    label: str | None = None


def read_file(path: str | Path) -> list[FileEntry]:
    r"""The equations of a file, one per line: ``§2 (2.3): <latex>`` or ``§5 (5.2) [madelung.equations]: <latex>``.

    ``%`` starts a comment; blank lines are skipped.  The section (``§2``, ``abstract``) and the
    equation number in parentheses are optional, the colon is not.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {str(path)!r}")
    out = []
    for n, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        line = re.sub(r"(?<!\\)%.*$", "", raw).strip()
        if not line:
            continue
        m = _LINE.match(line)
        if not m or not m.group("tex").strip():
            raise InputError(f"{p.name}:{n}: expected '§<section> (<equation>): <latex>', got {line[:60]!r}")
        out.append(FileEntry(n, (m.group("section") or "").strip(), (m.group("eq") or "").strip(),
                             m.group("tex").strip(), m.group("label")))
    if not out:
        raise InputError(f"{p.name}: no equations (one per line: '§2 (2.3): <latex>')")
    return out


@dataclass(frozen=True)
class Confirmation:
    """A step confirmed by a user's file: the paper's section and equation, the line, the readings it holds in."""

    label: str
    section: str
    equation: str
    latex: str
    file: str
    line: int
    readings: tuple[dict, ...]
    provenance: str = PROVENANCE_CONFIRMED

    def to_json(self) -> dict:
        return {"label": self.label, "section": self.section, "equation": self.equation, "latex": self.latex,
                "file": self.file, "line": self.line, "readings": [dict(r) for r in self.readings],
                "provenance": self.provenance}


@dataclass(frozen=True)
class FileReport:
    path: str
    entries: tuple[tuple[FileEntry, MatchReport | None, str], ...]   # (entry, report, error)
    ruled_out: dict                                                # key -> sorted values ruled out
    universe: dict                                                 # key -> all values the chain carries

    @property
    def matched(self) -> bool:
        return any(rep is not None and rep.matched for _, rep, _ in self.entries)

    def to_json(self) -> dict:
        return {"file": self.path, "matched": self.matched,
                "equations": [{"line": e.line, "section": e.section, "equation": e.equation, "latex": e.latex,
                               "label": e.label, "error": err or None,
                               "match": rep.to_json() if rep is not None else None}
                              for e, rep, err in self.entries],
                "variants": {k: {"carried": list(v), "ruled_out": self.ruled_out.get(k, []),
                                 "remaining": [x for x in v if x not in self.ruled_out.get(k, [])]}
                             for k, v in self.universe.items()}}

    def text(self) -> str:
        rows = [("where", "step", "reading(s) it holds in", "result")]
        for e, rep, err in self.entries:
            where = " ".join(x for x in (e.section, f"({e.equation})" if e.equation else "") if x) or f"line {e.line}"
            if err:
                rows.append((where, e.label or "-", err[:70], "bad input"))
                continue
            hits = [r for r in rep.readings if r.ok]
            if not hits:
                rows.append((where, e.label or "-", "-", "no match"))
                continue
            for label in dict.fromkeys(r.label for r in hits):
                rds = [r.reading for r in hits if r.label == label]
                rows.append((where, label, _summarise(rds), "match"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        out = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        out.insert(1, "  ".join("-" * w for w in widths))
        out.append("")
        out.append("variants (carried -> remaining after the file):")
        for k, v in self.universe.items():
            gone = self.ruled_out.get(k, [])
            rest = [x for x in v if x not in gone]
            mark = f"   ruled out: {', '.join(gone)}" if gone else ""
            out.append(f"  {k}: {', '.join(v)} -> {', '.join(rest) or '(none)'}{mark}")
        n_ok = sum(1 for _, rep, err in self.entries if rep is not None and rep.matched)
        out.append(f"result: {n_ok} of {len(self.entries)} equations matched")
        return "\n".join(out)


def _summarise(rds: Sequence[dict]) -> str:
    keys = list(dict.fromkeys(k for r in rds for k in r))
    parts = []
    for k in keys:
        vals = list(dict.fromkeys(r.get(k, "?") for r in rds))
        parts.append(f"{k}={'|'.join(vals)}")
    return ", ".join(parts) or "(no variant)"


def _split(key: str, value: str) -> list[str]:
    return [x.strip() for x in value.split(",")] if key in _SIGN_KEYS else [value]


def _universe() -> dict[str, list[str]]:
    from derive.contents import derivation

    out: dict[str, list[str]] = {}
    for s in derivation().steps:
        for r in readings(s):
            for k, v in r.items():
                for x in _split(k, v):
                    if x and x not in out.setdefault(k, []):
                        out[k].append(x)
    return out


_FILE_CACHE: dict = {}


def match_file(path: str | Path, up_to_factor: bool = False) -> FileReport:
    """Every equation of the file matched (against its label if given, else the whole chain); the variants ruled out.

    Reports are kept for the process, keyed by the file's path, size, modification time and the factor flag."""
    pth = Path(path)
    key = None
    if pth.is_file():
        st = pth.stat()
        key = (str(pth.resolve()), st.st_size, st.st_mtime_ns, up_to_factor)
        if key in _FILE_CACHE:
            return _FILE_CACHE[key]
    rep = _match_file(path, up_to_factor)
    if key is not None:
        _FILE_CACHE[key] = rep
    return rep


def _match_file(path: str | Path, up_to_factor: bool) -> FileReport:
    entries = []
    for e in read_file(path):
        try:
            rep = match(e.latex, e.label, up_to_factor=up_to_factor)
            entries.append((e, rep, ""))
        except InputError as err:
            entries.append((e, None, str(err)))
    universe = _universe()
    ruled: dict[str, set] = {}
    for e, rep, err in entries:
        if rep is None or not rep.matched:
            continue
        hits = [r.reading for r in rep.readings if r.ok]
        for key, values in universe.items():
            if not all(key in h for h in hits):
                continue  # some match says nothing about this key
            allowed = {x for h in hits for x in _split(key, h[key])}
            ruled.setdefault(key, set()).update(x for x in values if x not in allowed)
    ruled_out = {k: [x for x in universe[k] if x in v] for k, v in ruled.items() if v}
    return FileReport(str(path), tuple(entries), ruled_out, universe)


def confirmations(path: str | Path, up_to_factor: bool = False) -> dict[str, Confirmation]:
    """{label: Confirmation} for every step an equation of the user's file matches (first equation wins).

    The provenance is :data:`PROVENANCE_CONFIRMED`, distinct from the package's own ``verbatim``;
    no verdict changes.
    """
    rep = match_file(path, up_to_factor=up_to_factor)
    out: dict[str, Confirmation] = {}
    for e, mrep, _ in rep.entries:
        if mrep is None:
            continue
        for label in mrep.labels:
            if label in out:
                continue
            rds = tuple(r.reading for r in mrep.readings if r.ok and r.label == label)
            out[label] = Confirmation(label, e.section, e.equation, e.latex, str(path), e.line, rds)
    return out


def main_json(report) -> str:
    return json.dumps(report.to_json(), indent=1, default=str)


# ----------------------------------------------------------------------------------------- the command line

def _configure(p) -> None:
    p.add_argument("args", nargs="*", metavar="[LABEL] LATEX",
                   help="a step label and the LaTeX of one relation, or the LaTeX alone (searches the chain)")
    p.add_argument("--file", metavar="F", help="a file of labelled equations, one per line: '§2 (2.3): <latex>'")
    p.add_argument("--up-to-factor", action="store_true",
                   help="also accept an overall nonzero factor free of the unknown functions (reported)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _run(args) -> int:
    if args.file:
        if args.args:
            raise InputError("give either --file F or [LABEL] LATEX, not both")
        rep = match_file(args.file, up_to_factor=args.up_to_factor)
        print(main_json(rep) if args.json else rep.text())
        if any(err for _, _, err in rep.entries):
            return 2
        return 0 if rep.matched else 1
    if not args.args or len(args.args) > 2:
        raise InputError("usage: eqnn match [LABEL] 'LATEX' (or --file F); quote the LaTeX")
    label, latex = (args.args if len(args.args) == 2 else (None, args.args[0]))
    rep = match(latex, label, up_to_factor=args.up_to_factor)
    print(main_json(rep) if args.json else rep.text())
    return 0 if rep.matched else 1


def _command():
    from derive.command import Command

    return Command("match", "match an equation typed from the paper (LaTeX) to the steps and their readings",
                   _configure, _run)


def confirmed_table(path: str | Path) -> str:
    """The lines ``eqnn verify --confirmed F`` prints under its table: each step the file confirms."""
    conf = confirmations(path)
    if not conf:
        return f"confirmed by {path}: no step"
    w = max(len(k) for k in conf)
    lines = [f"confirmed by {path} ({PROVENANCE_CONFIRMED}):"]
    for label, c in conf.items():
        where = " ".join(x for x in (c.section, f"({c.equation})" if c.equation else "") if x)
        lines.append(f"  {label.ljust(w)}  {where or 'line %d' % c.line}  [{_summarise(c.readings)}]")
    return "\n".join(lines)
