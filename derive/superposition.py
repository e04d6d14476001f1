r"""Quantum superpositions (KV2021 v2, "added a new section on quantum superpositions").

**Reconstruction.**  The text of that section was not available (see the ``seen`` note of KV2021 in
``papers/bibliography.py``); these steps are the standard content any such construction must have, and
they say so in their sources.

* ``superposition.linearity``: solutions of ``schrodinger.equation`` superpose.
* ``superposition.interference``: with ψᵢ = √pᵢ e^{iSᵢ/ħ} (``madelung.schrodinger``),

  .. math::

      |\psi_1 + \psi_2|^2 = p_1 + p_2 + 2\sqrt{p_1p_2}\cos\frac{S_1 - S_2}{\hbar} ,

  invariant under the discrete shifts :math:`S_i \to S_i + n_i\mu` at ħ = |μ|/(2πk)
  (``quantization.single-valued``); the shift S₁ → S₁ + μ changes the pattern by
  −4√(p₁p₂) sin(μ/2ħ) sin((2S₁ − 2S₂ + μ)/2ħ), which vanishes for all S exactly when μ/2ħ ∈ πℤ, and is
  shown nonzero at ħ = |μ|/3: interference depends on free-energy differences modulo the chemical
  potential.
* ``superposition.fields-nonlinear``: the (p, F) of a superposition is a nonlinear function of
  (p₁, F₁, p₂, F₂): p[ψ₁ + ψ₂] − p₁ − p₂ is the interference term, and F = S + c log p
  (``madelung.equations``) gives F[2ψ₁] = F[ψ₁] + c log 4 ≠ 2F[ψ₁]: the linear structure lives in ψ, not
  in (p, F).
* ``superposition.vortices``: in 2-D, superpositions generically carry ±1 vortices (three plane
  waves: zeros with winding +1 and −1), where p → 0 quadratically and F = S + c log p → ±∞, outside
  the range of a finite network's free energy.  Checked on the three-wave example (depth
  ``examples``).

>>> [s.label for s in steps()][1]
'superposition.interference'
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.chain_rule import derivative, doit
from derive.proof import Condition, Nonzero, Realise, Show, examples
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import coords, field, hbar, mu, psi

__all__ = ["steps", "three_waves", "ZEROS"]

_p1, _p2 = sp.symbols("p_1 p_2", positive=True)
_S1, _S2 = sp.symbols("S_1 S_2", real=True)
_n1, _n2 = sp.symbols("n_1 n_2", integer=True)
_mup = sp.Symbol("mu_+", positive=True)
_a, _b = sp.symbols("a b")

_SECTION = "v2, new section (quantum superpositions)"
_SRC = Source("KV2021", _SECTION, "", Provenance.RECONSTRUCTED,
              "the section's text was not available (section number unknown): the package's own reconstruction "
              "of the standard content any such construction must have")

_q1, _q2 = coords(2)
#: the wave vectors of three unit plane waves at 120 degrees
_KS = ((1, 0), (-sp.Rational(1, 2), sp.sqrt(3) / 2), (-sp.Rational(1, 2), -sp.sqrt(3) / 2))
#: zeros of three_waves(): phases (0, 2pi/3, 4pi/3) -> winding +1, (0, 4pi/3, 2pi/3) -> winding -1
ZEROS = {+1: (-2 * sp.pi / 3, -2 * sp.pi / (3 * sp.sqrt(3))), -1: (-2 * sp.pi / 3, 2 * sp.pi / (3 * sp.sqrt(3)))}


def three_waves() -> sp.Expr:
    """ψ = Σ_j e^{i k_j·q}: a superposition of three unit plane waves in a 2-D slice of q-space."""
    return sp.Add(*(sp.exp(sp.I * (kx * _q1 + ky * _q2)) for kx, ky in _KS))


# ----------------------------------------------------------------------------- display symbols

_DENS = sp.Symbol("|psi_1 + psi_2|^2")
_SHIFT_N = sp.Symbol("Delta_(S_i -> S_i + n_i mu) |psi_1 + psi_2|^2")
_SHIFT_1 = sp.Symbol("Delta_(S_1 -> S_1 + mu) |psi_1 + psi_2|^2")
_P_SUP = sp.Symbol("p[psi_1 + psi_2]")
_TAN = sp.Symbol("tan(S/hbar)")
_F1, _F2PSI = sp.Symbol("F[psi_1]"), sp.Symbol("F[2 psi_1]")
_PSI3 = sp.Function("Psi")
#: the zeros q^+ (winding +1) and q^- (winding -1), coordinates given with the statement
_ZERO_SYMS = {+1: sp.symbols("q_1^+ q_2^+", real=True), -1: sp.symbols("q_1^- q_2^-", real=True)}
#: the winding of a simple zero, w = sign Im(conj(d_1 psi) d_2 psi) there
_WINDING = {+1: sp.Symbol("w_+"), -1: sp.Symbol("w_-")}


def _polar(ctx: Context):
    """(p, S) ↦ √p e^{iS/ħ}: the polar form ψ = √p e^{iS/ħ} displayed by madelung.schrodinger."""
    rel = next(r for r in ctx["madelung.schrodinger"].statement
               if isinstance(r, sp.Equality) and isinstance(r.lhs, AppliedUndef) and r.lhs.func == psi)
    apps = {a.func.__name__: a for a in rel.rhs.atoms(AppliedUndef)}
    p_app, S_app = apps["p"], apps["S"]
    return lambda pp, SS: rel.rhs.xreplace({p_app: pp, S_app: SS})


def _density(wave, S1=_S1, S2=_S2) -> sp.Expr:
    """|ψ₁ + ψ₂|² as ψ ψ̄ (no rewriting: the witnesses evaluate it)."""
    w = wave(_p1, S1) + wave(_p2, S2)
    return w * sp.conjugate(w)


# ----------------------------------------------------------------------------- derivations

def _d_linearity(ctx: Context):
    eq = next(r for r in ctx["schrodinger.equation"].statement if isinstance(r, sp.Equality) and r.has(psi))
    q = coords(2)
    psi_q = field(psi, q)
    L = eq.lhs - eq.rhs  # L[psi] = 0 is the displayed Schrodinger equation
    w1, w2 = field(sp.Function("psi_1"), q), field(sp.Function("psi_2"), q)
    rules = {sp.Symbol("L[a psi_1 + b psi_2]"): L.subs(psi_q, _a * w1 + _b * w2),
             sp.Symbol("L[psi_1]"): L.subs(psi_q, w1), sp.Symbol("L[psi_2]"): L.subs(psi_q, w2)}
    return [Show(0, Realise(rules, lambda e: e.doit()))]


def _d_interference(ctx: Context):
    wave = _polar(ctx)

    def exp_form(e: sp.Expr) -> sp.Expr:  # cos, sin -> exponentials, multiplied out (a witnessed rewrite)
        return ctx.rewrite(e.doit(), lambda x: sp.expand(x.rewrite(sp.exp)), name="exp form")

    def euler(rules: dict) -> Realise:  # both sides in the exponential form
        return Realise(rules, exp_form)
    hb = ctx["quantization.single-valued"].rules()[hbar]  # |mu|/(2 pi k)
    dens = _density(wave)
    shifted_n = _density(wave, _S1 + _n1 * mu, _S2 + _n2 * mu)
    shifted_1 = _density(wave, _S1 + mu)
    shows = [Show(0, euler({_DENS: dens}), name="(1) |psi_1 + psi_2|^2 = psi psi-bar")]
    # at the premise's hbar the shift by n_i mu is a whole number of turns: mu > 0 and mu < 0 separately
    for case, sign in (("mu > 0", 1), ("mu < 0", -1)):
        shows.append(Show(1, {_SHIFT_N: shifted_n - dens, hbar: hb, mu: sign * _mup},
                          name=f"(2) invariant under S_i -> S_i + n_i mu at hbar = |mu|/(2 pi k), {case}"))
    shows.append(Show(2, euler({_SHIFT_1: shifted_1 - dens}), name="(3) the shift S_1 -> S_1 + mu, any hbar"))
    # only if: off the lattice (hbar = |mu|/3) the pattern changes.  Relation (3), shown above for every hbar,
    # gives the value of the shift; at hbar = |mu|/3 it is -4 sqrt(p_1 p_2) sin(3 sgn(mu)/2) sin(...), nonzero at
    # the exact point p_i = 1, S_i = 0, mu = 1: -4 sin(3/2)^2
    by_three = ctx.step.statement[2]
    off = ctx.step.statement[3].lhs  # the shift at the displayed hbar off the lattice (|mu|/3)
    content = by_three.rhs.subs(dict(zip(off.variables, off.point)))
    shows.append(Show(3, Realise({by_three.lhs: by_three.rhs}, lambda e: e.doit()),
                      nonzero=Nonzero(content, {_p1: 1, _p2: 1, _S1: 0, _S2: 0, mu: 1}),
                      name="(4) only if: hbar = |mu|/3 is not invariant (by relation (3))"))
    return shows


def _d_fields(ctx: Context):
    wave = _polar(ctx)
    dens = next(r.rhs for r in ctx["superposition.interference"].statement if r.lhs == _DENS)
    Fdef = next(g for g in ctx["madelung.equations"].given
                if isinstance(g, sp.Equality) and isinstance(g.lhs, AppliedUndef) and g.lhs.func.__name__ == "F")
    apps = {a.func.__name__: a for a in Fdef.rhs.atoms(AppliedUndef)}

    def free_energy(pp, SS):  # F = S + c log p (madelung.equations)
        return Fdef.rhs.xreplace({apps["p"]: pp, apps["S"]: SS})

    w = wave(_p1, _S1) + wave(_p2, _S2)
    psi1, twice = wave(_p1, _S1), 2 * wave(_p1, _S1)
    # the polar form of 2 psi_1: p = |2 psi_1|^2, S = S_1 + hbar arg(2 psi_1 / psi_1)
    p_twice = twice * sp.conjugate(twice)
    S_twice = _S1 + hbar * sp.arg(twice / psi1)
    rules = {_P_SUP: dens, _TAN: sp.im(w) / sp.re(w),
             _F1: free_energy(_p1, _S1), _F2PSI: free_energy(p_twice, S_twice)}
    interference_term = ctx.step.statement[0].rhs  # the positive content of the first negative result
    c = Fdef.rhs.coeff(sp.log(apps["p"]))
    F_gap = sp.log(4) * c - free_energy(_p1, _S1)  # F[2 psi_1] - 2 F[psi_1] = c log 4 - F[psi_1]
    return [Show(0, rules), Show(1, rules, nonzero=Nonzero(interference_term, {_p1: 1, _p2: 1, _S1: 0, _S2: 0,
                                                                                hbar: 1})),
            Show(2, rules), Show(3, rules),
            Show(4, rules, nonzero=Nonzero(F_gap, {_p1: 1, _S1: 0, c: 1}))]


def _d_vortices(ctx: Context):
    psi_def = next(g for g in ctx.step.given if isinstance(g.lhs, AppliedUndef) and g.lhs.func == _PSI3)
    w = psi_def.rhs  # the three-wave superposition shown with the statement
    zero_defs = {g.lhs: g.rhs for g in ctx.step.given if isinstance(g.lhs, sp.Symbol)}
    shows = []
    for k, (sign, (x0, y0)) in enumerate(_ZERO_SYMS.items()):
        at = {_q1: zero_defs[x0], _q2: zero_defs[y0]}
        # the given definitions (Psi, the zeros, the winding w = sign Im(conj(d_1 psi) d_2 psi)) to a fixed point
        realise = Realise({g.lhs: g.rhs for g in ctx.step.given},
                          lambda e: ctx.rewrite(doit(e), sp.expand_complex, name="Euler's formula at the zeros"))
        shows.append(Show(3 * k, realise, name=f"psi = 0 at the winding {sign:+d} zero"))
        shows.append(Show(3 * k + 1, realise, name=f"winding {sign:+d}"))
        # p = |psi|^2 vanishes quadratically, not faster: d_1^2 p = 2 |d_1 psi|^2 at the zero is exact, nonzero
        a_ = ctx.rewrite(derivative(w, _q1).subs(at), sp.expand_complex, name=f"d_1 psi at the {sign:+d} zero")
        shows.append(Show(3 * k + 2, realise, nonzero=Nonzero(sp.expand(2 * a_ * sp.conjugate(a_))),
                          name=f"p ~ |d_1 psi|^2 r^2 at the {sign:+d} zero"))
    return shows


@cache
def steps() -> tuple[Step, ...]:
    """Superposition steps (a reconstruction: the paper's section was not available)."""
    L1, L2 = sp.Symbol("L[psi_1]"), sp.Symbol("L[psi_2]")
    linearity = Step(
        label="superposition.linearity", title="Solutions of the Schrödinger equation superpose",
        kind=Kind.IDENTITY, premises=("schrodinger.equation",),
        statement=(sp.Eq(sp.Symbol("L[a psi_1 + b psi_2]"), _a * L1 + _b * L2, evaluate=False),),
        source=_SRC, transformation="insert a ψ_1 + b ψ_2 in L[ψ] = lhs - rhs of schrodinger.equation",
        note="Holds only for the linear equation: with ħ_b != ħ_c the mismatch term breaks it (consistency.nonlinear).",
        derive=_d_linearity,
    )
    interference = Step(
        label="superposition.interference",
        title="|ψ_1 + ψ_2|^2 = p_1 + p_2 + 2 √(p_1 p_2) cos((S_1 - S_2)/ħ), invariant under S_i -> S_i + n mu",
        kind=Kind.CONDITIONAL, premises=("madelung.schrodinger", "quantization.single-valued"),
        statement=(sp.Eq(_DENS, _p1 + _p2 + 2 * sp.sqrt(_p1 * _p2) * sp.cos((_S1 - _S2) / hbar), evaluate=False),
                   sp.Eq(_SHIFT_N, 0, evaluate=False),
                   sp.Eq(_SHIFT_1, -4 * sp.sqrt(_p1 * _p2) * sp.sin(mu / (2 * hbar))
                         * sp.sin((2 * _S1 - 2 * _S2 + mu) / (2 * hbar)), evaluate=False),
                   sp.Ne(sp.Subs(_SHIFT_1, hbar, sp.Abs(mu) / 3), 0)),
        conditions=(Condition("the multivaluedness postulate: F has periods n mu, n in Z", postulate="multivalued.postulate"),
                    Condition("mu != 0 (quantization.single-valued: no period, no quantization at mu = 0)",
                              holds=sp.Ne(mu, 0))),
        source=Source("KV2021", _SECTION, "", Provenance.RECONSTRUCTED,
                      "the section's text was not available: the package's own reconstruction, with hbar = |mu|/(2 pi k) "
                      "from quantization.single-valued"),
        variant=(("phase", "F"), ("k", "any")),
        transformation=("multiply ψ_1 + ψ_2 (ψ_i = √p_i e^{i S_i/ħ}, madelung.schrodinger) by its conjugate; "
                        "(2) shift S_i by n_i mu at the premise's ħ = |mu|/(2 pi k), for mu > 0 and mu < 0; "
                        "(3) the shift S_1 -> S_1 + mu at any ħ, a product of sines that vanishes for all S exactly "
                        "when mu/(2 ħ) is a multiple of pi; (4) nonzero at ħ = |mu|/3 (the 'only if')"),
        note="In network language: interference depends only on free-energy differences modulo the chemical potential.",
        derive=_d_interference,
    )
    from derive.madelung import c_shift as c  # the Madelung shift F = S + c log p

    fields = Step(
        label="superposition.fields-nonlinear",
        title="The (p, F) of a superposition is a nonlinear function of (p_1, F_1, p_2, F_2)",
        kind=Kind.NEGATIVE, premises=("superposition.interference", "madelung.schrodinger", "madelung.equations"),
        statement=(sp.Eq(_P_SUP - _p1 - _p2, 2 * sp.sqrt(_p1 * _p2) * sp.cos((_S1 - _S2) / hbar), evaluate=False),
                   sp.Ne(_P_SUP, _p1 + _p2),
                   sp.Eq(_TAN, (sp.sqrt(_p1) * sp.sin(_S1 / hbar) + sp.sqrt(_p2) * sp.sin(_S2 / hbar))
                         / (sp.sqrt(_p1) * sp.cos(_S1 / hbar) + sp.sqrt(_p2) * sp.cos(_S2 / hbar)), evaluate=False),
                   sp.Eq(_F2PSI, _F1 + c * sp.log(4), evaluate=False),
                   sp.Ne(_F2PSI, 2 * _F1)),
        source=_SRC,
        transformation=("read p = |ψ|^2 (superposition.interference) and tan(S/ħ) = Im ψ / Re ψ off ψ_1 + ψ_2; "
                        "F = S + c log p (madelung.equations): 2 ψ_1 has p = 4 p_1 and the phase S_1, so "
                        "F[2 ψ_1] = F[ψ_1] + c log 4; the negative results at the exact points p_i = 1, S_i = 0"),
        note="The linear structure lives in ψ, not in (p, F): a superposition of two networks' free energies is "
             "not a free energy of a superposed network (F[ψ_1 + ψ_2] != F[ψ_1] + F[ψ_2], e.g. at ψ_2 = ψ_1).",
        derive=_d_fields,
    )
    statement, given = [], [sp.Eq(_PSI3(_q1, _q2), three_waves(), evaluate=False)]
    for sign, (x0, y0) in _ZERO_SYMS.items():
        zero = (x0, y0)
        d1, d2 = (sp.Subs(sp.Derivative(_PSI3(_q1, _q2), v), (_q1, _q2), zero) for v in (_q1, _q2))
        statement += [sp.Eq(sp.Subs(_PSI3(_q1, _q2), (_q1, _q2), zero), 0, evaluate=False),
                      sp.Eq(_WINDING[sign], sign, evaluate=False),
                      sp.Ne(sp.Subs(sp.Derivative(_PSI3(_q1, _q2) * sp.conjugate(_PSI3(_q1, _q2)), (_q1, 2)),
                                    (_q1, _q2), zero), 0)]
        given += [sp.Eq(x0, ZEROS[sign][0], evaluate=False), sp.Eq(y0, ZEROS[sign][1], evaluate=False),
                  sp.Eq(_WINDING[sign], sp.sign(sp.im(sp.conjugate(d1) * d2)), evaluate=False)]
    vortices = Step(
        label="superposition.vortices",
        title="2-D superpositions carry +-1 vortices, where p -> 0 and F = S + c log p -> +-∞",
        kind=Kind.THEOREM, premises=(),
        statement=tuple(statement), given=tuple(given),
        source=Source("KV2021", _SECTION, "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction (not the paper's text): zeros of superposed plane waves"),
        transformation=("evaluate the superposition of three unit plane waves at its zeros (the cube roots of unity "
                        "sum to 0); the winding of a simple zero is w = sign Im(conj(d_1 ψ) d_2 ψ); p = |ψ|^2 "
                        "vanishes quadratically there (d_1^2 p = 2|d_1 ψ|^2 != 0)"),
        assumptions=("a 2-D slice of q-space",),
        depth=examples("three unit plane waves at 120 degrees in a 2-D slice: one zero of winding +1 and one of "
                       "winding -1 ('generically' is the reconstruction's claim)"),
        note=("At each zero log p ~ 2 log r, so F = S + c log p -> -sign(c) ∞: superposed states lie outside the range "
              "of a finite network's free energy (the package's reconstruction). Any superposition of solutions is a "
              "solution (superposition.linearity)."),
        derive=_d_vortices,
    )
    return (linearity, interference, fields, vortices)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("superposition")
