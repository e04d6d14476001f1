r"""Units: every equation of the action–Madelung part is dimensionally homogeneous (the package's own check).

Base units: **E** (energy, the unit of F), **Q** (a trainable variable), **T** (learning time).
Then :math:`[\gamma] = Q^2/(ET)`, :math:`[D] = Q^2/T`, :math:`[p] = Q^{-K}`, :math:`[F] = [S] = E`,
:math:`[V] = E/T`, and the homogeneity of the equations *forces* :math:`[\lambda] = 1/E`,
:math:`[m] = ET/Q^2`, :math:`[\hbar_c] = E`: the emergent ħ carries energy units (it can be a chemical
potential times a number; it cannot be the multiplier λ).

:func:`dimension` computes the dimension of an expression term by term: every additive term of a sum
must have the same dimension, and the argument of exp, sin, cos, atan2 must be dimensionless
(log is allowed: log p is defined up to the constant log p₀, which derivatives never see).  An
inhomogeneous sum returns the *sum* of its distinct dimensions, which is never a single monomial, so a
planted wrong factor makes the step fail.

>>> from derive.units import dimension, E, Q, T
>>> from derive.symbols import D, gamma
>>> dimension(D / gamma)
E
>>> dimension(D + gamma)   # inhomogeneous
Q**2/T + Q**2/(E*T)

Run ``python -m derive.units`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.action import s2, s4
from derive.algebra import solve_zero
from derive.madelung import c_shift, hbar_c
from derive.notation import DimensionOf
from derive.proof import Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, S, Tq, beta, coords, gamma, hbar, lam, m, mu, t

__all__ = ["steps", "dimension", "E", "Q", "T", "base_dimensions", "solve_dimension"]

E, Q, T = sp.symbols("E Q T", positive=True)


def base_dimensions(K: int = 2) -> dict:
    """The dimension of every symbol and (by name) every field of this part of the argument."""
    dims = {t: T, D: Q**2 / T, gamma: Q**2 / (E * T), lam: 1 / E, m: E * T / Q**2, hbar: E, hbar_c: E,
            Tq: E, beta: 1 / E, mu: E, s2: sp.S.One, s4: sp.S.One, c_shift: E,
            sp.Symbol("kappa", real=True, nonzero=True): E, sp.Symbol("kappa", positive=True): E}
    dims.update({qk: Q for qk in coords(K)})
    fields = {"p": Q**-K, "F": E, "S": E, "S'": E, "V": E / T, "psi": Q**sp.Rational(-K, 2),
              "phi": Q**sp.Rational(-K, 2), "phibar": Q**sp.Rational(-K, 2), "u": Q**sp.Rational(-K, 2)}
    return {"symbols": dims, "fields": fields}


def _is_monomial(d: sp.Expr) -> bool:
    return not isinstance(d, sp.Add)


def dimension(expr: sp.Basic, K: int = 2, extra: dict | None = None, fields: dict | None = None) -> sp.Expr:
    """The dimension of ``expr`` as a monomial in E, Q, T (or a sum of monomials if inhomogeneous).

    ``extra`` overrides the dimensions of symbols, ``fields`` those of fields (by name)."""
    base = base_dimensions(K)
    table = {**base["symbols"], **(extra or {})}
    field_dims = {**base["fields"], **(fields or {})}

    def dim(e: sp.Basic) -> sp.Expr:
        if isinstance(e, sp.core.relational.Relational):
            return dim(e.lhs - e.rhs) if not (e.rhs == 0) else dim(e.lhs)
        if e.is_Number or e in (sp.pi, sp.E, sp.I):
            return sp.S.One
        if isinstance(e, sp.Symbol):
            if e not in table:
                raise KeyError(f"no dimension declared for the symbol {e}")
            return table[e]
        if isinstance(e, AppliedUndef):
            name = e.func.__name__
            if name not in field_dims:
                raise KeyError(f"no dimension declared for the field {name}")
            return field_dims[name]
        if isinstance(e, sp.Derivative):
            out = dim(e.expr)
            for var, count in e.variable_count:
                out = out / dim(var) ** count
            return out
        if isinstance(e, sp.Add):
            parts = {dim(a) for a in e.args}  # monomials in positive E, Q, T: SymPy's canonical form
            return parts.pop() if len(parts) == 1 else sp.Add(*parts)
        if isinstance(e, sp.Mul):
            return sp.Mul(*(dim(a) for a in e.args))
        if isinstance(e, sp.Pow):
            if e.exp.is_Number:
                return dim(e.base) ** e.exp
            return sp.S.One if dim(e.base) == 1 else 1 + dim(e.base)  # a dimensionful base to a symbolic power
        if isinstance(e, sp.log):
            return sp.S.One
        if isinstance(e, (sp.exp, sp.sin, sp.cos, sp.atan2)):
            inner = sp.Mul(*(dim(a) for a in e.args))
            return sp.S.One if inner == 1 else 1 + inner  # a dimensionful argument: never a monomial
        if isinstance(e, sp.Integral):
            out = dim(e.function)
            for lim in e.limits:
                out = out * dim(lim[0])
            return out
        raise TypeError(f"dimension of {type(e).__name__} not defined")

    return dim(expr)


def solve_dimension(term_a: sp.Expr, term_b: sp.Expr, unknown: sp.Symbol, K: int = 2,
                    fields: dict | None = None, extra: dict | None = None) -> sp.Expr:
    """The dimension of ``unknown`` that makes [term_a] = [term_b]: the exponent of each of E, Q, T in
    [term_a]/[term_b] is linear in the unknown's exponent of that base, solved exactly."""
    exps = dict(zip((E, Q, T), sp.symbols("a_E a_Q a_T", real=True)))
    guess = sp.Mul(*(b**x for b, x in exps.items()))
    table = {**(extra or {}), unknown: guess}
    ratio = dimension(term_a, K, table, fields) / dimension(term_b, K, table, fields)
    powers = ratio.as_powers_dict()
    if any(b not in exps for b in powers if b != 1):
        raise ValueError(f"[{term_a}]/[{term_b}] is not a monomial in E, Q, T: {ratio}")
    out = sp.S.One
    for b, x in exps.items():
        e = powers.get(b, sp.S.Zero)
        if not e.has(x):
            raise ValueError(f"the exponent of {b} in [{unknown}] is not fixed by [{term_a}] = [{term_b}]")
        out *= b ** solve_zero(e, x)
    return out


def _dims(K: int) -> tuple[tuple[str, sp.Expr], ...]:
    """The claimed dimension of every equation and definition checked by ``units.homogeneous``, in order."""
    psi_dim = Q**sp.Rational(-K, 2)
    return (("Lagrangian", Q**-K / T), ("delta S/delta F", Q**-K / (E * T)), ("delta S/delta p", 1 / T),
            ("shift F = S + c log p", E), ("c", E), ("continuity", Q**-K / T),
            ("quantum Hamilton-Jacobi", E / T), ("m", E * T / Q**2), ("hbar_c^2", E**2), ("S = F - c log p", E),
            ("Schrodinger", E * psi_dim / T), ("psi", psi_dim),
            ("Nelson T_q = D/gamma", E), ("Nelson continuity", Q**-K / T), ("Nelson m", E * T / Q**2),
            ("Nelson hbar", E), ("V at equilibrium", E / T), ("H psi", E * psi_dim / T), ("hbar", E),
            # the relations the premises impose as conditions (Condition.imposed), read from the premises
            ("Nelson's D = hbar/(2m)", Q**2 / T), ("hbar = hbar_c", E), ("matched lambda = gamma/(2D)", 1 / E),
            ("matched S = -T_q log Z_q", E))


def _checks(ctx: Context) -> dict:
    """name -> the premise's equation (or definition) whose dimension is checked."""
    el = ctx["el.equations"].statement
    mad, mad_given = ctx["madelung.equations"].statement, ctx["madelung.equations"].given
    schr = ctx["madelung.schrodinger"].statement
    nel, nel_given = ctx["madelung.nelson"].statement, ctx["madelung.nelson"].given
    gs = ctx["equilibrium.ground-state"].statement
    return {"Lagrangian": ctx["action.lagrangian"].fact["L"], "delta S/delta F": el[0].rhs,
            "delta S/delta p": el[1].rhs, "shift F = S + c log p": mad_given[0], "c": mad[0],
            "continuity": mad[1], "quantum Hamilton-Jacobi": mad[2], "m": mad[3], "hbar_c^2": mad[4],
            "S = F - c log p": mad[5],
            "Schrodinger": schr[0], "psi": schr[1],
            "Nelson T_q = D/gamma": nel_given[0], "Nelson continuity": nel[0], "Nelson m": nel[1],
            "Nelson hbar": nel[2], "V at equilibrium": gs[0], "H psi": gs[1], "hbar": gs[2],
            "Nelson's D = hbar/(2m)": _imposed(ctx, "madelung.nelson", D),
            "hbar = hbar_c": _imposed(ctx, "madelung.schrodinger", hbar),
            "matched lambda = gamma/(2D)": _imposed(ctx, "equilibrium.ground-state", lam),
            "matched S = -T_q log Z_q": _imposed(ctx, "equilibrium.ground-state", S)}


def _imposed(ctx: Context, label: str, lhs: sp.Symbol | sp.FunctionClass) -> sp.Equality:
    """The relation the premise ``label`` imposes on ``lhs`` as a condition (its ``Condition.imposed``)."""
    for c in ctx[label].conditions:
        rel = getattr(c, "imposed", None)
        if rel is not None and (rel.lhs == lhs or getattr(rel.lhs, "func", None) == lhs):
            return rel
    raise ValueError(f"{label} imposes no condition on {lhs}")


def _base_units(ctx: Context, K: int) -> tuple[dict, dict]:
    """The dimensions that units.base displays: symbols (q_k, t, gamma, D) and fields (F, p, V; S as F)."""
    given = {rel.lhs.name: rel.rhs for rel in ctx["units.base"].statement}
    symbols = {qk: given["q_k"] for qk in coords(K)}
    symbols.update({t: given["t"], gamma: given["gamma"], D: given["D"]})
    fields = {"F": given["F"], "S": given["F"], "p": given["p"], "V": given["V"]}
    return symbols, fields


def _derivation_homogeneous(K):
    def derive(ctx: Context):
        checks = _checks(ctx)
        symbols, fields = _base_units(ctx, K)
        # [name] is the dimension of the named premise equation, term by term (inhomogeneous: a sum, never a monomial)
        rules = {DimensionOf(name): dimension(rel, K, symbols, fields) for name, rel in checks.items()}
        return [Show(i, rules) for i in range(len(ctx.step.statement))]
    return derive


def _derivation_constants(K):
    def derive(ctx: Context):
        symbols, fields = _base_units(ctx, K)
        terms = ctx["action.lagrangian"].fact["terms"]
        mad = ctx["madelung.equations"].statement
        cont, qhj = mad[1].lhs, mad[2].lhs
        # [lambda] from item (1) = item (3); [m] from the two terms of the continuity equation;
        # [hbar_c] from the time derivative and the quantum potential of the quantum HJ equation
        lam_dim = solve_dimension(terms[0], terms[2], lam, K, fields, symbols)
        dt_p = next(a for a in cont.args if isinstance(a, sp.Derivative) and a.variables == (t,))
        m_dim = solve_dimension(dt_p, next(a for a in cont.args if a.has(m)), m, K, fields, symbols)
        dt_S = next(a for a in qhj.args if isinstance(a, sp.Derivative) and a.variables == (t,))
        hb_dim = solve_dimension(dt_S, next(a for a in qhj.args if a.has(hbar_c)), hbar_c, K, fields, symbols)
        rules = {DimensionOf("lambda"): lam_dim, DimensionOf("m"): m_dim, DimensionOf("hbar_c"): hb_dim}
        return [Show(i, rules) for i in range(3)]
    return derive


_UNITS = Source("KV2021", "§2, §4", "", Provenance.RECONSTRUCTED,
                "dimensional analysis of the action-Madelung part: the package's own reconstruction")


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The dimension-analysis steps."""
    dims = base_dimensions(K)
    box = DimensionOf
    base = Step(
        label="units.base", title="Base units E (energy of F), Q (trainable variable), T (learning time)",
        kind=Kind.DEFINITION,
        statement=(sp.Eq(box("q_k"), Q, evaluate=False), sp.Eq(box("t"), T, evaluate=False),
                   sp.Eq(box("F"), E, evaluate=False), sp.Eq(box("p"), dims["fields"]["p"], evaluate=False),
                   sp.Eq(box("V"), E / T, evaluate=False), sp.Eq(box("gamma"), Q**2 / (E * T), evaluate=False),
                   sp.Eq(box("D"), Q**2 / T, evaluate=False)),
        source=_UNITS,
        assumptions=("[gamma] from dq/dt = -gamma dF/dq; [D] from <eta eta> = 2 D delta(t - t'); [V] from lambda V "
                     "next to lambda dF/dt", "log p is defined up to a constant log p_0 (derivatives never see it)"),
    )
    homogeneous = Step(
        label="units.homogeneous", title="Every equation of the action-Madelung part is dimensionally homogeneous",
        kind=Kind.IDENTITY,
        premises=("units.base", "action.lagrangian", "el.equations", "madelung.equations", "madelung.schrodinger",
                  "madelung.nelson", "equilibrium.ground-state"),
        statement=tuple(sp.Eq(box(name), dim, evaluate=False) for name, dim in _dims(K)),
        source=_UNITS,
        transformation=("assign each symbol and field its dimension; every additive term of every equation must have "
                        "the same dimension (an inhomogeneous sum yields a sum of monomials, never the expected one)"),
        note=("One line per equation, definition or imposed condition of the premises (23): [name] is the "
              "dimension of its terms (statement, given and imposed conditions of el.equations, madelung.equations, "
              "madelung.schrodinger, madelung.nelson, equilibrium.ground-state)."),
        variant=(("units", "E, Q, T"),),
        derive=_derivation_homogeneous(K),
    )
    constants = Step(
        label="units.constants", title="[lambda] = 1/E, [m] = E T/Q^2, [ħ] = E, forced by homogeneity",
        kind=Kind.IDENTITY, premises=("units.base", "action.lagrangian", "madelung.equations"),
        statement=(sp.Eq(box("lambda"), 1 / E, evaluate=False), sp.Eq(box("m"), E * T / Q**2, evaluate=False),
                   sp.Eq(box("hbar_c"), E, evaluate=False)),
        source=_UNITS,
        transformation=("solve for the exponents of E, Q, T that make item (1) = item (3) of the Lagrangian, the two "
                        "terms of the continuity equation, and d_t S = the quantum-potential term"),
        note=("ħ carries energy units: it can be the chemical potential times a number (ħ = |mu|/(2 pi k)); it "
              "cannot be the multiplier lambda of 2008.01540, whose units are 1/E. At equilibrium ħ_c = 1/lambda* = "
              "2D/gamma = 2 T_q."),
        variant=(("units", "E, Q, T"),),
        derive=_derivation_constants(K),
    )
    return (base, homogeneous, constants)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("units")
