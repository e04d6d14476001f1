r"""Canonical ensemble ⇒ single-valued F ⇒ zero circulation (paper-derivation.md Step 8, referee.md E6).

For a fixed number of hidden neurons :math:`F(q) = -\beta^{-1}\log\sum_i e^{-\beta h_i(q)}` is an
ordinary single-valued smooth function of q, and so is :math:`S = F - c\log p` wherever p > 0 (log p is single-valued).  Hence

.. math:: \oint_C \partial_kF\,dq_k = 0 \quad\text{for every closed loop } C,

no quantized vortices: the canonical ensemble gives Madelung, not Schrödinger.  Checked three ways:
the curl of the learning force :math:`\langle\partial_kH\rangle` vanishes (Stokes, for any loop
bounding a region); along an arbitrary circle the integrand is the exact θ-derivative of the periodic
function F(γ(θ)) (generic cubic family); and the loop integral of the generic quadratic family is 0
(symbolic integration, and quadrature in the numeric witness).  Counter-case: the multivalued
:math:`F = n\mu\theta/2\pi` is curl-free away from the origin yet has circulation :math:`n\mu`.

>>> from derive.singlevalued import steps
>>> [s.label for s in steps()]
['singlevalued.theorem', 'singlevalued.counter-case']

Run ``python -m derive.singlevalued`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.canonical import N_STATES, realise
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import coords, mu, n

__all__ = ["steps", "circulation_integrand", "polynomial_family"]

_theta = sp.Symbol("theta", real=True)
_R = sp.Symbol("R", positive=True)
_x0, _y0 = sp.symbols("x_0 y_0", real=True)
_oint = sp.Symbol(r"\oint_C \partial_k F\, dq_k")


def polynomial_family(degree: int = 3) -> sp.Expr:
    """Σ_{i+j ≤ degree} c_ij q₁^i q₂^j with independent real symbolic coefficients."""
    q1, q2 = coords(2)
    return sp.Add(*(sp.Symbol(f"c_{i}{j}", real=True) * q1**i * q2**j
                    for i in range(degree + 1) for j in range(degree + 1 - i)))


def circulation_integrand(Fq: sp.Expr, centre=(_x0, _y0), radius=_R) -> sp.Expr:
    """∂ₖF(γ(θ)) γₖ'(θ) on the circle γ(θ) = centre + radius (cos θ, sin θ)."""
    q1, q2 = coords(2)
    loop = {q1: centre[0] + radius * sp.cos(_theta), q2: centre[1] + radius * sp.sin(_theta)}
    return sum(sp.diff(Fq, qk).subs(loop) * sp.diff(loop[qk], _theta) for qk in (q1, q2))


def _derivation_theorem(ctx: Context):
    q1, q2 = coords(2)
    force = ctx["canonical.force"].statement  # d_k F = <d_k H>, realised over the microstates
    f1, f2 = (realise(force[k].rhs, 2, N_STATES) for k in range(2))
    claim = ctx.step.statement[0].rhs
    family = polynomial_family()
    loop = {q1: _x0 + _R * sp.cos(_theta), q2: _y0 + _R * sp.sin(_theta)}
    return [
        # the learning force <d_k H> is curl-free (Stokes: zero circulation on every loop bounding a region)
        Obligation("curl <d H> = 0 (canonical force)", sp.diff(f2, q1) - sp.diff(f1, q2), claim),
        # the integrand is the theta-derivative of the periodic function F(gamma(theta)): its loop integral is 0
        Obligation("integrand = d/d theta F(gamma(theta)) (cubic family)", circulation_integrand(family),
                   sp.diff(family.subs(loop), _theta)),
        Obligation("loop integral of a generic quadratic = 0",
                   sp.Integral(sp.expand(circulation_integrand(polynomial_family(2))), (_theta, 0, 2 * sp.pi)), claim)]


def _derivation_counter(ctx: Context):
    q1, q2 = coords(2)
    (F_def,) = ctx.step.given
    F_multi = F_def.rhs
    circ, curl, jump = ctx.step.statement
    integrand = sp.simplify(circulation_integrand(F_multi, (0, 0)))
    return [Obligation("circulation around the origin = n mu", sp.Integral(integrand, (_theta, 0, 2 * sp.pi)),
                       circ.rhs),
            Obligation("curl-free away from the origin", sp.diff(F_multi, q1, q2) - sp.diff(F_multi, q2, q1),
                       curl.rhs, where=sp.Gt(q1**2 + q2**2, sp.Rational(1, 4))),
            Obligation("F continued once around the origin gains n mu",
                       (F_multi.subs(sp.atan2(q2, q1), _theta + 2 * sp.pi) - F_multi.subs(sp.atan2(q2, q1), _theta)),
                       jump.rhs)]


@cache
def steps() -> tuple[Step, ...]:
    """The single-valuedness theorem and its counter-case (K = 2: loops need two dimensions)."""
    q1, q2 = coords(2)
    theorem = Step(
        label="singlevalued.theorem",
        title="Canonical ensemble => single-valued F => zero circulation of grad F around every loop",
        kind=Kind.THEOREM, premises=("canonical.ensemble", "canonical.force"),
        statement=(sp.Eq(_oint, 0, evaluate=False),),
        source=Source("referee", "§1 E6(a, d), §3 row 8", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md Step 8; KV2021 abstract: Madelung 'can be derived from a canonical "
                      "ensemble' [verbatim, in words]"),
        assumptions=("fixed number of hidden neurons; F = -log(sum_i exp(-beta h_i(q)))/beta with smooth single-valued "
                     "h_i (canonical.ensemble, 4 microstates, K = 2)",
                     "a single-valued C^1 function has zero circulation on every closed loop: F(end) - F(start) = 0"),
        transformation=("the learning force <d_k H> is curl-free (Stokes); along any circle the integrand is the exact "
                        "theta-derivative of the periodic F(gamma(theta)) (cubic family); explicit loop integral for "
                        "the quadratic family"),
        note=("Also holds for the grand potential Omega (equilibrium exchange) and for any finite network with bounded "
              "d_q H (referee.md E6): multivaluedness must be postulated."),
        variant=(("ensemble", "canonical (fixed N)"),),
        derive=_derivation_theorem,
    )
    theta = sp.atan2(q2, q1)
    counter = Step(
        label="singlevalued.counter-case",
        title="Counter-case F = n mu theta/(2 pi): curl-free, multivalued, circulation n mu",
        kind=Kind.IDENTITY,
        given=(sp.Eq(sp.Symbol("F_n"), n * mu * theta / (2 * sp.pi), evaluate=False),),
        statement=(sp.Eq(_oint, n * mu, evaluate=False),
                   sp.Eq(sp.Symbol("curl grad F_n"), 0, evaluate=False),
                   sp.Eq(sp.Symbol("F_n(theta + 2 pi) - F_n(theta)"), n * mu, evaluate=False)),
        source=Source("referee", "§3 row 8", "", Provenance.RECONSTRUCTED, "the multivaluedness of 2012.05082 §3"),
        assumptions=("loop: circle around the origin; F_n defined on the plane minus a cut",),
        transformation="integrate grad F_n along the circle; continue F_n across the cut",
        note=("Circulation n mu needs F multivalued around a codimension-2 set, where p -> 0 (referee.md E6(d)); a "
              "canonical F is never of this form."),
        variant=(("winding", "n integer"),),
        derive=_derivation_counter,
    )
    return (theorem, counter)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("singlevalued")
