r"""Canonical ensemble ⇒ single-valued F ⇒ zero circulation (the package's reconstruction; KV2021 abstract).

For a fixed number of hidden neurons :math:`F(q) = -\beta^{-1}\log\sum_i e^{-\beta h_i(q)}` is an
ordinary single-valued smooth function of q, and so is :math:`S = F - c\log p` wherever p > 0 (log p is single-valued).  Hence

.. math:: \oint_C \partial_kF\,dq_k = 0 \quad\text{for every closed loop } C,

no quantized vortices: the canonical ensemble gives Madelung, not Schrödinger.  Checked two ways: the
curl of the learning force :math:`\langle\partial_kH\rangle = \partial_kF` vanishes (Stokes, for any loop
bounding a region; any smooth microstate energies); and along circles of any centre and radius the loop
integral is 0, for the canonical F with affine microstate energies (the fundamental theorem of calculus,
witnessed by quadrature) and for the generic quadratic F (closed form).  The loop integral is checked on
those examples only (``depth``).  Counter-case: the multivalued :math:`F = n\mu\theta/2\pi` is curl-free
away from the origin yet has circulation :math:`n\mu`.

>>> from derive.singlevalued import steps
>>> [s.label for s in steps()]
['singlevalued.theorem', 'singlevalued.counter-case']

Run ``python -m derive.singlevalued`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from sympy.core.function import AppliedUndef

from derive.chain_rule import derivative, doit
from derive.notation import Avg, Named, Oint
from derive.proof import Realise, Show, examples
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import H, coords, h_state, mu, n

__all__ = ["steps", "circulation_integrand", "polynomial_family", "oint_on_circle"]

_theta = sp.Symbol("theta", real=True)
_R = sp.Symbol("R", positive=True)
_x0, _y0 = sp.symbols("x_0 y_0", real=True)
_oint = Named("oint_C dF", r"\oint_C \partial_k F\,\mathrm{d}q_k", "∮_C ∂_k F dq_k")
_dq = sp.symbols("dq_1 dq_2", real=True)
_xh = sp.Symbol("x")  # the hidden state of canonical.ensemble


def polynomial_family(degree: int = 3) -> sp.Expr:
    """Σ_{i+j ≤ degree} c_ij q₁^i q₂^j with independent real symbolic coefficients."""
    q1, q2 = coords(2)
    return sp.Add(*(sp.Symbol(f"c_{i}{j}", real=True) * q1**i * q2**j
                    for i in range(degree + 1) for j in range(degree + 1 - i)))


def circulation_integrand(Fq: sp.Expr, centre=(_x0, _y0), radius=_R) -> sp.Expr:
    """∂ₖF(γ(θ)) γₖ'(θ) on the circle γ(θ) = centre + radius (cos θ, sin θ)."""
    q1, q2 = coords(2)
    loop = {q1: centre[0] + radius * sp.cos(_theta), q2: centre[1] + radius * sp.sin(_theta)}
    return sum(derivative(Fq, qk).subs(loop) * derivative(loop[qk], _theta) for qk in (q1, q2))


def oint_on_circle(ctx: Context, centre=(0, 0), radius=_R, name: str = "the circulation integrand"):
    """A realisation of ∮_C (Σ_k a_k dq_k) (:class:`derive.notation.Oint`) on the circle
    γ(θ) = centre + radius (cos θ, sin θ): ∫_0^{2π} Σ_k a_k(γ(θ)) γ_k'(θ) dθ, the integrand trigsimp-ed
    through ``ctx.rewrite`` (witnessed).  The ``dq_k`` are the symbols ``dq_1, dq_2``."""
    q1, q2 = coords(2)
    loop = {q1: centre[0] + radius * sp.cos(_theta), q2: centre[1] + radius * sp.sin(_theta)}
    dq = {_dq[0]: derivative(loop[q1], _theta), _dq[1]: derivative(loop[q2], _theta)}

    def on_circle(node):
        body = doit(node.args[0]).xreplace(dq).subs(loop)
        return sp.Integral(ctx.rewrite(body, "trigsimp", name), (_theta, 0, 2 * sp.pi))

    return lambda e: e.replace(lambda a: isinstance(a, Oint), on_circle)


def _microstate_family(n_states: int) -> dict:
    """h_i(q) ↦ an affine function in q with independent symbolic coefficients, one per microstate."""
    q1, q2 = coords(2)
    return {h_state(i)(q1, q2): sp.Add(*(sp.Symbol(f"c^{i}_{a}{b}", real=True) * q1**a * q2**b
                                          for a in range(2) for b in range(2 - a)))
            for i in range(1, n_states + 1)}


def _derivation_theorem(ctx: Context):
    q1, q2 = coords(2)
    F_can = ctx["canonical.ensemble"].fact["F"]  # -log(sum_i exp(-beta h_i(q)))/beta
    n_states = len(F_can.atoms(AppliedUndef))
    # (1) the canonical F with affine microstate energies on an arbitrary circle: the integrand is the
    # theta-derivative of the periodic F(gamma(theta)), so the loop integral is F(gamma(2 pi)) - F(gamma(0)) = 0;
    # that step (the fundamental theorem of calculus) is a rewrite witnessed by quadrature
    F_ex = F_can.xreplace(_microstate_family(n_states))
    loop = {q1: _x0 + _R * sp.cos(_theta), q2: _y0 + _R * sp.sin(_theta)}
    on_loop = F_ex.subs(loop)
    integral = sp.Integral(circulation_integrand(F_ex), (_theta, 0, 2 * sp.pi))
    closed = ctx.rewrite(integral, lambda e: on_loop.subs(_theta, 2 * sp.pi) - on_loop.subs(_theta, 0),
                         "fundamental theorem of calculus along the loop")
    # (1) the generic quadratic family: the loop integral in closed form (symbolic, and quadrature)
    quadratic = sp.Integral(sp.expand(circulation_integrand(polynomial_family(2))), (_theta, 0, 2 * sp.pi))
    # (2) the learning force <d_k H> is the gradient of F (canonical.force), F of canonical.ensemble
    force = {r.rhs: r.lhs for r in ctx["canonical.force"].statement}
    F_sym = next(iter(ctx["canonical.force"].statement)).lhs.expr  # F(beta, q_1, q_2)
    return [Show(0, {_oint: closed}, name="canonical F, affine microstate energies, any circle"),
            Show(0, {_oint: quadratic}, name="generic quadratic F, any circle"),
            Show(1, Realise(force, lambda e: e.xreplace({F_sym: F_can})), name="curl of the learning force")]


def _derivation_counter(ctx: Context):
    q1, q2 = coords(2)
    away = sp.Gt(q1**2 + q2**2, sp.Rational(1, 4))  # curl-free away from the origin
    return [Show(0, Realise({}, oint_on_circle(ctx))), Show(1, where=away), Show(2)]


@cache
def steps() -> tuple[Step, ...]:
    """The single-valuedness theorem and its counter-case (K = 2: loops need two dimensions)."""
    q1, q2 = coords(2)
    dH = [sp.Derivative(H(_xh, q1, q2), qk) for qk in (q1, q2)]
    theorem = Step(
        label="singlevalued.theorem",
        title="Canonical ensemble => single-valued F => zero circulation of grad F around every loop",
        kind=Kind.THEOREM, premises=("canonical.ensemble", "canonical.force"),
        statement=(sp.Eq(_oint, 0, evaluate=False),
                   sp.Eq(sp.Derivative(Avg(dH[1]), q1) - sp.Derivative(Avg(dH[0]), q2), 0, evaluate=False)),
        source=Source("KV2021", "abstract", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction; KV2021 abstract: Madelung 'can be derived from a canonical "
                      "ensemble' [verbatim, in words]"),
        assumptions=("fixed number of hidden neurons; F = -log(sum_i exp(-beta h_i(q)))/beta with smooth single-valued "
                     "h_i (canonical.ensemble, K = 2)",
                     "a single-valued C^1 function has zero circulation on every closed loop: F(end) - F(start) = 0"),
        transformation=("line 1: along a circle of any centre and radius the integrand is the theta-derivative of the "
                        "periodic F(gamma(theta)), integrated by the fundamental theorem of calculus (a rewrite "
                        "witnessed by quadrature) for the canonical F with affine microstate energies, and in closed "
                        "form for the generic quadratic F; line 2: the learning force <d_k H> = d_k F "
                        "(canonical.force) is curl-free, so (Stokes) its circulation vanishes on every loop bounding a "
                        "region"),
        note=("Also holds for the grand potential Omega (equilibrium exchange) and for any finite network with bounded "
              "d_q H (multivalued.omega-single-valued, multivalued.bounded-gradient): multivaluedness must be "
              "postulated (multivalued.postulate)."),
        variant=(("ensemble", "canonical (fixed N)"),),
        depth=examples("line 1: the canonical F of canonical.ensemble's microstates with affine energies h_i(q) "
                       "(symbolic coefficients, sampled), and every quadratic F, on circles of any centre and radius; "
                       "line 2 (curl-free force) for any smooth h_i"),
        derive=_derivation_theorem,
    )
    theta = sp.atan2(q2, q1)
    F_n = n * mu * theta / (2 * sp.pi)  # multivalued: continued around the origin it gains n mu
    counter = Step(
        label="singlevalued.counter-case",
        title="Counter-case F = n mu theta/(2 pi): curl-free, multivalued, circulation n mu",
        kind=Kind.IDENTITY,
        statement=(sp.Eq(Oint(sp.Derivative(F_n, q1) * _dq[0] + sp.Derivative(F_n, q2) * _dq[1]), n * mu,
                         evaluate=False),
                   sp.Eq(sp.Derivative(F_n, q1, q2) - sp.Derivative(F_n, q2, q1), 0, evaluate=False),
                   sp.Eq(F_n.subs(theta, _theta + 2 * sp.pi) - F_n.subs(theta, _theta), n * mu, evaluate=False)),
        source=Source("KV2021", "§3 (multivaluedness of the free energy)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction of the multivalued F of KV2021 §3"),
        assumptions=("loop: circle of radius R around the origin; F_n = n mu theta/(2 pi), theta = atan2(q_2, q_1), "
                     "defined on the plane minus a cut",),
        transformation=("integrate grad F_n along the circle (the integrand trigsimp-ed, witnessed); mixed partials away "
                        "from the origin; continue F_n across the cut (theta -> theta + 2 pi)"),
        note=("Circulation n mu needs F multivalued around a codimension-2 set, where p -> 0; a canonical F is never of "
              "this form (singlevalued.theorem)."),
        variant=(("winding", "n integer"),),
        derive=_derivation_counter,
    )
    return (theorem, counter)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("singlevalued")
