r"""Wallstrom's objection: the Madelung equations do not imply the Schrödinger equation.

Wallstrom (1994), in the harmonic-trap form the package reconstructs: in two dimensions, for **every real ν > 0**,

.. math::

    p = r^{2\nu}e^{-r^2/\ell^2},\qquad S = \hbar\nu\theta - \hbar\omega(\nu+1)t,\qquad
    V = \tfrac12 m\omega^2 r^2,\quad \ell^2 = \hbar/(m\omega)

solves the continuity and quantum Hamilton–Jacobi equations of ``madelung.equations`` (with
ħ_c = ħ), and the velocity ∇S/m is single-valued; yet ψ = √p e^{iS/ħ} picks up e^{2πiν} around the
origin, so it is single-valued only for integer ν.  The circulation is ∮∇S·dl = 2πħν.  A quantization
condition (∮∇S·dl ∈ 2πħℤ) must be added: this is the gap the grand-canonical part has to close.

The identities are symbolic in ν (a positive symbol), in Cartesian coordinates q₁, q₂ with
θ = atan2(q₂, q₁), away from the origin.

>>> from derive.wallstrom import steps
>>> steps()[0].label
'wallstrom.counterexample'

Run ``python -m derive.wallstrom`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.chain_rule import doit  # derivatives carried out by the chain rule (derive.chain_rule)
from derive.madelung import hbar_c
from derive.notation import At, Functional, Named, Oint
from derive.proof import Nonzero, Realise, Show
from derive.singlevalued import oint_on_circle
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import S, V, coords, field, hbar, m, n, p, psi, t

__all__ = ["steps", "nu", "omega", "state"]

nu = sp.Symbol("nu", positive=True)
omega = sp.Symbol("omega", positive=True)
_m = sp.Symbol("m", positive=True)  # a trap needs a positive mass


def state(winding: sp.Expr = nu) -> dict:
    """p, S, V of the harmonic-trap state with winding ``winding`` (Cartesian q₁, q₂; θ = atan2(q₂, q₁))."""
    q1, q2 = coords(2)
    r2 = q1**2 + q2**2
    ell2 = hbar / (_m * omega)
    return {"p": r2**winding * sp.exp(-r2 / ell2), "S": hbar * winding * sp.atan2(q2, q1)
            - hbar * omega * (winding + 1) * t, "V": _m * omega**2 * r2 / 2}


def _continued(e: sp.Expr) -> sp.Expr:
    """``e`` continued once around the origin: θ = atan2(q₂, q₁) → θ + 2π."""
    q1, q2 = coords(2)
    return e.subs(sp.atan2(q2, q1), sp.atan2(q2, q1) + 2 * sp.pi)


def _derivation(ctx: Context):
    q = coords(2)
    q1, q2 = q
    P, Sq, Vq = field(p, q), field(S, q), field(V, q)
    mad = ctx["madelung.equations"]
    cont_rel, qhj_rel = mad.statement[1], mad.statement[2]
    at = {m: _m, hbar_c: hbar}  # the trap's mass; hbar_c = hbar
    # the step's own definitions of p, S, V, psi, applied to a fixed point (psi is built from p and S)
    defs = {g.lhs: g.rhs for g in ctx.step.given}

    def realise(e: sp.Expr) -> sp.Expr:
        def madelung(node):  # continuity[p, S, V], quantum HJ[p, S, V]: madelung.equations' lhs - rhs
            rel = cont_rel if node.args[0] == _CONT else qhj_rel
            a, b, c = node.args[1]
            return doit((rel.lhs - rel.rhs).xreplace(at).subs({P: a, Sq: b, Vq: c}))
        e = e.replace(lambda a: isinstance(a, Functional) and a.args[0] in (_CONT, _QHJ), madelung)
        e = e.replace(lambda a: isinstance(a, Functional) and a.args[0] == _AROUND, lambda a: _continued(a.args[1]))
        return e.replace(lambda a: isinstance(a, At), lambda a: a.args[0].subs(a.args[1].lhs, a.args[1].rhs))

    R = Realise(defs, realise)
    away = sp.Gt(q1**2 + q2**2, sp.Rational(1, 4))  # away from the origin, where p > 0
    not_integer = sp.Gt(sp.Abs(nu - sp.floor(nu + sp.Rational(1, 2))), sp.Rational(1, 10))
    return [Show(0, R, where=away), Show(1, R, where=away), Show(2, R),
            # psi(theta + 2 pi)/psi(theta) - 1 = exp(2 pi i nu) - 1: at nu = 1/2 it is -2
            Show(3, R, nonzero=Nonzero(sp.exp(2 * sp.pi * sp.I * nu) - 1, {nu: sp.Rational(1, 2)}),
                 where=not_integer),
            Show(4, Realise(defs, oint_on_circle(ctx))), Show(5, R), Show(6, R, where=away)]


_CONT, _QHJ = sp.Symbol("continuity"), sp.Symbol("quantum HJ")
_AROUND = Named("around", r"\circlearrowleft", "↺")  # continued once around the origin


@cache
def steps() -> tuple[Step, ...]:
    """Wallstrom's counterexample (always two-dimensional)."""
    q = coords(2)
    P, Sq, Vq = field(p, q), field(S, q), field(V, q)
    st = state()
    Psi = field(psi, q)
    dq = sp.symbols("dq_1 dq_2", real=True)
    monodromy = Functional(_AROUND, Psi) / Psi
    counter = Step(
        label="wallstrom.counterexample",
        title="Madelung does not imply Schrödinger: a non-integer winding nu solves the Madelung equations",
        kind=Kind.NEGATIVE, premises=("madelung.equations",),
        given=(sp.Eq(P, st["p"], evaluate=False), sp.Eq(Sq, st["S"], evaluate=False),
               sp.Eq(Vq, st["V"], evaluate=False),
               sp.Eq(Psi, sp.sqrt(P) * sp.exp(sp.I * Sq / hbar), evaluate=False)),
        statement=(sp.Eq(Functional(_CONT, sp.Tuple(P, Sq, Vq)), 0, evaluate=False),
                   sp.Eq(Functional(_QHJ, sp.Tuple(P, Sq, Vq)), 0, evaluate=False),
                   sp.Eq(monodromy, sp.exp(2 * sp.pi * sp.I * nu), evaluate=False),
                   sp.Ne(monodromy, 1, evaluate=False),
                   sp.Eq(Oint(sp.Derivative(Sq, q[0]) * dq[0] + sp.Derivative(Sq, q[1]) * dq[1]), 2 * sp.pi * hbar * nu,
                         evaluate=False),
                   sp.Eq(At(monodromy, sp.Eq(nu, n, evaluate=False)), 1, evaluate=False),
                   sp.Eq(Psi, (q[0]**2 + q[1]**2) ** (nu / 2) * sp.exp(-(q[0]**2 + q[1]**2) * _m * omega / (2 * hbar))
                         * sp.exp(sp.I * nu * sp.atan2(q[1], q[0])) * sp.exp(-sp.I * omega * (nu + 1) * t),
                         evaluate=False)),
        source=Source("Wallstrom1994", "", "harmonic-trap form of the counterexample", Provenance.SECONDARY,
                      "Wikipedia 'Madelung equations': 'not equivalent to Schrodinger's equation without the addition "
                      "of a quantization condition'; the harmonic-trap form is the package's own reconstruction"),
        assumptions=("K = 2; nu > 0 real (symbolic); ħ_c = ħ; m > 0; ell^2 = ħ/(m omega)",
                     "lines 1, 2 sampled away from the origin (r > 1/2), where p > 0; line 4 sampled where nu is at "
                     "least 1/10 from an integer, its exact point nu = 1/2",
                     "line 5: the circle of radius R about the origin"),
        transformation=("insert p, S, V in the continuity and quantum Hamilton-Jacobi equations of madelung.equations "
                        "(continuity[p, S, V], quantum HJ[p, S, V]); continue ψ once around the origin "
                        "(↺: theta -> theta + 2 pi); integrate grad S along a circle"),
        note=("ψ(theta + 2 pi) != ψ(theta) (lines 3, 4) for non-integer nu: that is the counterexample, a solution "
              "of the Madelung pair (lines 1, 2) whose ψ is multivalued. Line 6 is the quantization condition (integer "
              "winding) that restores it; line 7 is the state as a wavefunction (numerics.wavefunction.wallstrom_state). The velocity grad S/m = "
              "ħ nu e_theta/(m r) is single-valued for every nu, so a (p, v) description cannot exclude it; a "
              "grid-ψ solver enforces integer winding automatically (numerics: check_wallstrom)."),
        variant=(("winding", "nu > 0 real"), ("K", "2")),
        derive=_derivation,
    )
    return (counter,)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("wallstrom")
