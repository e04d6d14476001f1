r"""Wallstrom's objection: the Madelung equations do not imply the Schrödinger equation.

Referee.md E14 (paper-derivation.md Step 9): in two dimensions, for **every real ν > 0**,

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

from derive.madelung import hbar_c
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import S, V, coords, field, hbar, m, n, p, t

__all__ = ["steps", "nu", "omega", "state"]

nu = sp.Symbol("nu", positive=True)
omega = sp.Symbol("omega", positive=True)
_m = sp.Symbol("m", positive=True)  # a trap needs a positive mass
_theta = sp.Symbol("theta", real=True)
_R = sp.Symbol("R", positive=True)


def state(winding: sp.Expr = nu) -> dict:
    """p, S, V of the harmonic-trap state with winding ``winding`` (Cartesian q₁, q₂; θ = atan2(q₂, q₁))."""
    q1, q2 = coords(2)
    r2 = q1**2 + q2**2
    ell2 = hbar / (_m * omega)
    return {"p": r2**winding * sp.exp(-r2 / ell2), "S": hbar * winding * sp.atan2(q2, q1)
            - hbar * omega * (winding + 1) * t, "V": _m * omega**2 * r2 / 2}


def _derivation(ctx: Context):
    q = coords(2)
    q1, q2 = q
    P, Sq, Vq = field(p, q), field(S, q), field(V, q)
    _, cont_rel, qhj_rel, _, _ = ctx["madelung.equations"].statement
    p_def, S_def, V_def, psi_def = ctx.step.given
    sub = {P: p_def.rhs, Sq: S_def.rhs, Vq: V_def.rhs}
    at = {m: _m, hbar_c: hbar}
    cont = (cont_rel.lhs - cont_rel.rhs).subs(at).subs(sub).doit()
    qhj = (qhj_rel.lhs - qhj_rel.rhs).subs(at).subs(sub).doit()
    cont_claim, qhj_claim, mono_claim, not_one, circ, quantised = ctx.step.statement
    # psi continued once around the origin: theta -> theta + 2 pi
    psi_q = psi_def.rhs.subs(sub)
    turn = lambda e, a: e.subs(sp.atan2(q2, q1), a)  # noqa: E731
    monodromy = sp.powsimp(turn(psi_q, _theta + 2 * sp.pi) / turn(psi_q, _theta))
    # circulation of grad S around the circle of radius R about the origin
    loop = {q1: _R * sp.cos(_theta), q2: _R * sp.sin(_theta)}
    integrand = sp.trigsimp(sum(sp.diff(S_def.rhs, qk).subs(loop) * sp.diff(loop[qk], _theta) for qk in q))
    away = sp.Gt(q1**2 + q2**2, sp.Rational(1, 4))
    return [Obligation("continuity", cont, cont_claim.rhs, where=away),
            Obligation("quantum Hamilton-Jacobi", qhj, qhj_claim.rhs, where=away),
            Obligation("monodromy of psi = exp(2 pi i nu)", monodromy, mono_claim.rhs),
            Obligation("psi not single-valued: exp(2 pi i nu) != 1", monodromy, not_one.rhs, expect_zero=False,
                       where=sp.Gt(sp.Abs(nu - sp.floor(nu + sp.Rational(1, 2))), sp.Rational(1, 10))),
            Obligation("circulation 2 pi hbar nu", sp.Integral(integrand, (_theta, 0, 2 * sp.pi)), circ.rhs),
            Obligation("integer winding: psi single-valued", monodromy.subs(nu, n), quantised.rhs)]


@cache
def steps() -> tuple[Step, ...]:
    """Wallstrom's counterexample (always two-dimensional)."""
    q = coords(2)
    P, Sq = field(p, q), field(S, q)
    st = state()
    psi = sp.Function("psi")
    counter = Step(
        label="wallstrom.counterexample",
        title="Madelung does not imply Schrodinger: a non-integer winding nu solves the Madelung equations",
        kind=Kind.NEGATIVE, premises=("madelung.equations",),
        given=(sp.Eq(P, st["p"], evaluate=False), sp.Eq(Sq, st["S"], evaluate=False),
               sp.Eq(field(V, q), st["V"], evaluate=False),
               sp.Eq(field(psi, q), sp.sqrt(P) * sp.exp(sp.I * Sq / hbar), evaluate=False)),
        statement=(sp.Eq(sp.Symbol("continuity(p, S, V)"), 0, evaluate=False),
                   sp.Eq(sp.Symbol("quantum HJ(p, S, V)"), 0, evaluate=False),
                   sp.Eq(psi(_theta + 2 * sp.pi) / psi(_theta), sp.exp(2 * sp.pi * sp.I * nu), evaluate=False),
                   sp.Ne(psi(_theta + 2 * sp.pi) / psi(_theta), 1),
                   sp.Eq(sp.Symbol("oint grad S . dl"), 2 * sp.pi * hbar * nu, evaluate=False),
                   sp.Eq(sp.exp(2 * sp.pi * sp.I * n), 1, evaluate=False)),
        source=Source("Wallstrom1994", "", "harmonic-trap form of the counterexample", Provenance.SECONDARY,
                      "referee.md E14 (r13a); Wikipedia 'Madelung equations': 'not equivalent to Schrodinger's "
                      "equation without the addition of a quantization condition'"),
        assumptions=("K = 2; nu > 0 real (symbolic); hbar_c = hbar; m > 0; ell^2 = hbar/(m omega)",
                     "away from the origin (r > 1/2 at the sample points), where p > 0"),
        transformation=("insert p, S, V in the continuity and quantum Hamilton-Jacobi equations of madelung.equations; "
                        "continue psi once around the origin; integrate grad S along a circle"),
        note=("psi(theta + 2 pi) != psi(theta) (lines 3, 4) for non-integer nu: that is the counterexample, a solution "
              "of the Madelung pair (lines 1, 2) whose psi is multivalued. Line 6 is the quantization condition (integer "
              "winding) that restores it. The velocity grad S/m = "
              "hbar nu e_theta/(m r) is single-valued for every nu, so a (p, v) description cannot exclude it; a "
              "grid-psi solver enforces integer winding automatically (referee.md E14)."),
        variant=(("winding", "nu > 0 real"), ("K", "2")),
        derive=_derivation,
    )
    return (counter,)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("wallstrom")
