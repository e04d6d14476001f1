r"""Quantum superpositions (KV2021 v2, "added a new section on quantum superpositions").

**Reconstruction.**  The text of that section was not available (paper-derivation.md Step 14); these
steps are the standard content any such construction must have, and they say so in their sources.

* ``superposition.linearity``: solutions of ``schrodinger.equation`` superpose.
* ``superposition.interference``:

  .. math::

      |\psi_1 + \psi_2|^2 = p_1 + p_2 + 2\sqrt{p_1p_2}\cos\frac{S_1 - S_2}{\hbar} ,

  invariant under the discrete shifts :math:`S_i \to S_i + n_i\mu` exactly when ħ = |μ|/(2πk): interference
  depends on free-energy differences modulo the chemical potential.
* ``superposition.fields-nonlinear``: the (p, F) of a superposition is a nonlinear function of
  (p₁, F₁, p₂, F₂): the linear structure lives in ψ, not in (p, F).
* ``superposition.vortices``: in 2-D, superpositions generically carry ±1 vortices (three plane
  waves: zeros with winding +1 and −1), where p → 0 quadratically and F = S + c log p → ±∞, outside
  the range of a finite network's free energy (referee.md E15).

>>> [s.label for s in steps()][1]
'superposition.interference'
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import coords, field, hbar, mu, psi

__all__ = ["steps", "three_waves", "ZEROS"]

_p1, _p2 = sp.symbols("p_1 p_2", positive=True)
_S1, _S2 = sp.symbols("S_1 S_2", real=True)
_n1, _n2 = sp.symbols("n_1 n_2", integer=True)
_mup = sp.Symbol("mu_+", positive=True)
_a, _b = sp.symbols("a b")
_c = sp.Symbol("c", real=True, nonzero=True)
_p, _S = sp.Symbol("p", positive=True), sp.Symbol("S", real=True)

_SRC = Source("KV2021", "§5 (v2, quantum superpositions)", "", Provenance.RECONSTRUCTED,
              "the section's text was not available: standard content any such construction must have "
              "(paper-derivation.md Step 14, check 7b)")
_REF = Source("referee", "§1 E15", "", Provenance.RECONSTRUCTED, "reconstruction, not the paper's text (r14)")

_q1, _q2 = coords(2)
#: the wave vectors of three unit plane waves at 120 degrees
_KS = ((1, 0), (-sp.Rational(1, 2), sp.sqrt(3) / 2), (-sp.Rational(1, 2), -sp.sqrt(3) / 2))
#: zeros of three_waves(): phases (0, 2pi/3, 4pi/3) -> winding +1, (0, 4pi/3, 2pi/3) -> winding -1
ZEROS = {+1: (-2 * sp.pi / 3, -2 * sp.pi / (3 * sp.sqrt(3))), -1: (-2 * sp.pi / 3, 2 * sp.pi / (3 * sp.sqrt(3)))}


def three_waves() -> sp.Expr:
    """ψ = Σ_j e^{i k_j·q}: a superposition of three unit plane waves in a 2-D slice of q-space."""
    return sp.Add(*(sp.exp(sp.I * (kx * _q1 + ky * _q2)) for kx, ky in _KS))


def _wave(pp, SS, hb=hbar):
    return sp.sqrt(pp) * sp.exp(sp.I * SS / hb)


def _density(hb=hbar) -> sp.Expr:
    """|ψ₁ + ψ₂|², multiplied out and rewritten with Euler's formula (cos, sin)."""
    w = _wave(_p1, _S1, hb) + _wave(_p2, _S2, hb)
    # combine e^{iS_1/hbar} e^{-iS_2/hbar} into one exponential, then Euler's formula
    return sp.expand(sp.powsimp(sp.expand(w * sp.conjugate(w))).rewrite(sp.cos))


def _d_linearity(ctx: Context):
    eq = ctx["schrodinger.equation"].statement[0]
    q = coords(2)
    psi_q = field(psi, q)
    f1, f2 = sp.Function("psi_1"), sp.Function("psi_2")
    L = eq.lhs - eq.rhs
    w1, w2 = field(f1, q), field(f2, q)
    return [Obligation("L[a psi_1 + b psi_2] = a L[psi_1] + b L[psi_2]", L.subs(psi_q, _a * w1 + _b * w2).doit(),
                       ctx.step.statement[0].rhs.subs({sp.Symbol("L[psi_1]"): L.subs(psi_q, w1),
                                                       sp.Symbol("L[psi_2]"): L.subs(psi_q, w2)}).doit())]


def _d_interference(ctx: Context):
    dens, inv = ctx.step.statement
    hb = ctx["quantization.single-valued"].statement[1].rhs
    obs = [Obligation("|psi_1 + psi_2|^2", _density(), dens.rhs)]
    shifted = dens.rhs.subs({_S1: _S1 + _n1 * mu, _S2: _S2 + _n2 * mu}, simultaneous=True)
    for name, sign in (("mu > 0", 1), ("mu < 0", -1)):
        change = sp.expand_trig((shifted - dens.rhs).subs(hbar, hb).subs(mu, sign * _mup))
        obs.append(Obligation(f"invariant under S_i -> S_i + n_i mu at hbar = |mu|/(2 pi k), {name}", change,
                              inv.rhs))
    # only if: hbar = |mu|/3 (not of the form |mu|/(2 pi k)) changes the pattern under S_1 -> S_1 + mu
    planted = (dens.rhs.subs(_S1, _S1 + mu) - dens.rhs).subs(hbar, sp.Abs(mu) / 3).subs(mu, _mup)
    planted = planted.subs({_S1: 0, _S2: 0, _p1: 1, _p2: 1})  # at one point: 2 (cos 3 - 1), a number
    obs.append(Obligation("only if: hbar = |mu|/3 is not invariant", planted, 0, expect_zero=False))
    return obs


def _d_fields(ctx: Context):
    dens = ctx["superposition.interference"].statement[0].rhs
    tan_claim = ctx.step.statement[1].rhs
    w = _wave(_p1, _S1) + _wave(_p2, _S2)
    re, im = (sp.expand(e) for e in sp.expand_complex(w.rewrite(sp.cos)).as_real_imag())
    # F = S + c log p of psi_1 + psi_2 at psi_1 = psi_2 (p_1 = p_2 = p, S_1 = S_2 = S): the sum is 2 psi_1,
    # p = 4p, S unchanged; compare with F_1 + F_2 = 2(S + c log p)
    F_sum = _S + _c * sp.log(dens.subs({_p1: _p, _p2: _p, _S1: _S, _S2: _S}))
    return [Obligation("p of the superposition is not p_1 + p_2", dens - _p1 - _p2, 0, expect_zero=False),
            Obligation("tan(S/hbar) = Im psi/Re psi", im / re, tan_claim),
            Obligation("F[psi_1 + psi_2] != F[psi_1] + F[psi_2] (at psi_1 = psi_2)",
                       sp.expand_log(F_sum, force=True) - 2 * (_S + _c * sp.log(_p)), 0, expect_zero=False)]


_QPLUS, _QMINUS = sp.Symbol("q_+"), sp.Symbol("q_-")


def _d_vortices(ctx: Context):
    w = ctx.step.given[0].rhs  # the three-wave superposition shown with the statement
    zeros = {+1: tuple(ctx.step.given[1].rhs), -1: tuple(ctx.step.given[2].rhs)}  # q_+, q_-
    zero_plus, zero_minus, wind_plus, wind_minus = ctx.step.statement
    claims = {+1: (zero_plus, wind_plus), -1: (zero_minus, wind_minus)}
    obs = []
    for wind, (x0, y0) in zeros.items():
        at = {_q1: x0, _q2: y0}
        zero_claim, wind_claim = claims[wind]
        value = sp.expand(sp.expand_complex(w.subs(at)))
        a_ = sp.expand_complex(sp.diff(w, _q1).subs(at))
        b_ = sp.expand_complex(sp.diff(w, _q2).subs(at))
        # near a simple zero psi ~ a dq_1 + b dq_2: winding = sign Im(conj(a) b)
        winding = sp.sign(sp.nsimplify(sp.expand(sp.im(sp.conjugate(a_) * b_))))
        obs.append(Obligation(f"psi = 0 at the winding {wind:+d} zero", value, zero_claim.rhs))
        obs.append(Obligation(f"winding {wind:+d}", winding, wind_claim.rhs))
        # p = |psi|^2 vanishes quadratically (not faster): d^2 p/dq_1^2 / 2 = |a|^2 != 0, so log p ~ 2 log r
        obs.append(Obligation(f"p ~ |a|^2 r^2 at the {wind:+d} zero", sp.expand(a_ * sp.conjugate(a_)), 0,
                              expect_zero=False))
    return obs


@cache
def steps() -> tuple[Step, ...]:
    """Superposition steps (a reconstruction: the paper's section was not available)."""
    L1, L2 = sp.Symbol("L[psi_1]"), sp.Symbol("L[psi_2]")
    linearity = Step(
        label="superposition.linearity", title="Solutions of the Schrodinger equation superpose",
        kind=Kind.IDENTITY, premises=("schrodinger.equation",),
        statement=(sp.Eq(sp.Symbol("L[a psi_1 + b psi_2]"), _a * L1 + _b * L2, evaluate=False),),
        source=_SRC, transformation="insert a psi_1 + b psi_2 in L[psi] = i hbar d_t psi + hbar^2 gamma lap psi - V psi",
        note="Holds only for the linear equation: with hbar_b != hbar_c the mismatch term breaks it (consistency.nonlinear).",
        derive=_d_linearity,
    )
    interference = Step(
        label="superposition.interference",
        title="|psi_1 + psi_2|^2 = p_1 + p_2 + 2 sqrt(p_1 p_2) cos((S_1 - S_2)/hbar), invariant under S_i -> S_i + n mu",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(sp.Symbol("|psi_1 + psi_2|^2"),
                         _p1 + _p2 + 2 * sp.sqrt(_p1 * _p2) * sp.cos((_S1 - _S2) / hbar), evaluate=False),
                   sp.Eq(sp.Symbol("Delta_(S_i -> S_i + n_i mu) |psi_1 + psi_2|^2"), 0, evaluate=False)),
        conditions=("hbar = |mu|/(2 pi k), k a positive integer (quantization.single-valued)",
                    "the multivaluedness postulate multivalued.postulate"),
        source=Source("KV2021", "§5 (v2)", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md Step 14, check 7b; the section's text was not available"),
        variant=(("phase", "F"), ("k", "any")),
        transformation=("multiply psi_1 + psi_2 by its conjugate (Euler); shift S_i by n_i mu and expand the cosine "
                        "for mu > 0 and mu < 0; a hbar off the lattice as the 'only if'"),
        note="In network language: interference depends only on free-energy differences modulo the chemical potential.",
        derive=_d_interference,
    )
    fields = Step(
        label="superposition.fields-nonlinear",
        title="The (p, F) of a superposition is a nonlinear function of (p_1, F_1, p_2, F_2)",
        kind=Kind.NEGATIVE, premises=("superposition.interference",),
        statement=(sp.Ne(sp.Symbol("p[psi_1 + psi_2]"), _p1 + _p2),
                   sp.Eq(sp.Symbol("tan(S/hbar)"),
                         (sp.sqrt(_p1) * sp.sin(_S1 / hbar) + sp.sqrt(_p2) * sp.sin(_S2 / hbar))
                         / (sp.sqrt(_p1) * sp.cos(_S1 / hbar) + sp.sqrt(_p2) * sp.cos(_S2 / hbar)), evaluate=False),
                   sp.Ne(sp.Symbol("F[psi_1 + psi_2]"), sp.Symbol("F[psi_1]") + sp.Symbol("F[psi_2]"))),
        source=_SRC,
        transformation="read p = |psi|^2 and S = hbar arg psi off psi_1 + psi_2; F = S + c log p",
        note="The linear structure lives in psi, not in (p, F): a superposition of two networks' free energies is "
             "not a free energy of a superposed network.",
        derive=_d_fields,
    )
    vortices = Step(
        label="superposition.vortices",
        title="2-D superpositions carry +-1 vortices, where p -> 0 and F = S + c log p -> +-oo",
        kind=Kind.THEOREM, premises=("superposition.linearity",),
        statement=(sp.Eq(sp.Symbol("psi_3waves(q_+)"), 0, evaluate=False),
                   sp.Eq(sp.Symbol("psi_3waves(q_-)"), 0, evaluate=False),
                   sp.Eq(sp.Symbol("winding at q_+"), 1, evaluate=False),
                   sp.Eq(sp.Symbol("winding at q_-"), -1, evaluate=False)),
        given=(sp.Eq(sp.Symbol("psi_3waves"), three_waves(), evaluate=False),
               sp.Eq(_QPLUS, sp.Tuple(*ZEROS[+1]), evaluate=False),
               sp.Eq(_QMINUS, sp.Tuple(*ZEROS[-1]), evaluate=False)),
        source=_REF,
        transformation=("evaluate the superposition of three unit plane waves at its zeros (the cube roots of unity "
                        "sum to 0); the winding of a simple zero is sign Im(conj(d_1 psi) d_2 psi); p vanishes "
                        "quadratically"),
        assumptions=("a 2-D slice of q-space", "checked on the three-wave family; 'generically' is the reconstruction's "
                     "claim (r14: 12 plaquettes +1 and 9 -1 on a grid)"),
        note=("At each zero log p ~ 2 log r, so F = S + c log p -> -sign(c) oo: superposed states lie outside the range "
              "of a finite network's free energy (referee.md E15, reconstruction)."),
        derive=_d_vortices,
    )
    return (linearity, interference, fields, vortices)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("superposition")
