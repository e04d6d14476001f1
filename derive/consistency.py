r"""Consistency of the two ħ's: the Madelung coefficient ħ_c and ħ_b = |μ|/(2πk) (referee.md E4, gap G3).

The canonical chain fixes ħ_c through the quantum potential, :math:`\hbar_c^2 = (4Ds_4\lambda - \gamma)/(\gamma\lambda^2)`
(s₂ = ±1), the grand canonical chain ħ_b = |μ|/(2πk).  They agree iff

.. math::

    \Big(\frac{|\mu|}{2\pi k}\Big)^2 = \frac{4D\lambda - \gamma}{\gamma\lambda^2}
    \iff \mu^2\gamma\lambda^2 - 16\pi^2k^2D\lambda + 4\pi^2k^2\gamma = 0 ,

whose discriminant in λ is :math:`16\pi^2k^2(4\pi kD - \gamma\mu)(4\pi kD + \gamma\mu)`: a real λ exists iff
:math:`|\mu| \le 4\pi k\,T_q` (T_q = D/γ), with equality exactly at the learning-equilibrium value
λ* = γ/(2D), where ħ_b = ħ_c = 2T_q (``madelung.bound``).  If they do not agree, ψ = √p e^{iS/ħ_b} obeys

.. math::

    i\hbar_b\partial_t\psi = -\frac{\hbar_b^2}{2m}\nabla^2\psi + V\psi
        + \frac{\hbar_b^2 - \hbar_c^2}{2m}\frac{\nabla^2|\psi|}{|\psi|}\psi ,

a nonlinear equation: superposition is lost.

>>> consistent_lambdas(mu=1, k=1, D=1, gamma=1)[0] > 0
True
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.errors import InputError
from derive.grand_canonical import upstream
from derive.quantization import _integer, _real
from derive.schrodinger import _lap, _madelung, hbar_b
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, S, Tq, V, coords, field, gamma, k_branch, lam, m, mu, p, psi, t

__all__ = ["steps", "consistent_lambdas", "discriminant"]

_K = 2
_x = sp.Symbol("x", real=True)
_HB, _HC = sp.Symbol("hbar_b", positive=True), sp.Symbol("hbar_c")  # display names (see `given`)
_SRC = Source("referee", "§1 E4", "", Provenance.RECONSTRUCTED,
              "paper-derivation.md Step 13 completed with k and the solvability bound (r02(iv), r04)")

#: the discriminant in lambda of mu^2 gamma lambda^2 - 16 pi^2 k^2 D lambda + 4 pi^2 k^2 gamma
discriminant = 16 * sp.pi ** 2 * k_branch ** 2 * (4 * sp.pi * k_branch * D - gamma * mu) \
    * (4 * sp.pi * k_branch * D + gamma * mu)


def consistent_lambdas(mu, k=1, D=1.0, gamma=1.0) -> tuple:
    """The multipliers λ at which ħ_c(λ) = |μ|/(2πk) (s₄ = +1), or () when |μ| > 4πk D/γ."""
    muv, kk = _real(mu, "mu"), _integer(k, "the branch k", positive=True)
    Dv, gv = _real(D, "D"), _real(gamma, "gamma")
    if not (Dv > 0 and gv > 0):
        raise InputError(f"D and gamma must be > 0, got D={D!r}, gamma={gamma!r}")
    if muv == 0:
        raise InputError("mu = 0: no quantization, hbar_b is not defined (choose mu != 0)")
    # floats are converted exactly (their binary value) so that the roots are not lost to cancellation
    muv, Dv, gv = (sp.Rational(v) if isinstance(v, sp.Float) else v for v in (muv, Dv, gv))
    a, b, c = muv ** 2 * gv, -16 * sp.pi ** 2 * kk ** 2 * Dv, 4 * sp.pi ** 2 * kk ** 2 * gv
    disc = b ** 2 - 4 * a * c
    if disc < 0:
        return ()
    return tuple(sorted(((-b + s * sp.sqrt(disc)) / (2 * a)) for s in (-1, 1)))


def _poly(ctx: Context, mad):
    from derive.action import s2, s4

    hc2 = _madelung(ctx, mad)[4].subs({s2: 1, s4: 1})
    hb = ctx["quantization.single-valued"].statement[1].rhs
    # clear the denominators: 4 pi^2 k^2 gamma lambda^2 (hbar_b^2 - hbar_c^2), a quadratic in lambda
    return sp.Poly(sp.expand(4 * sp.pi ** 2 * k_branch ** 2 * gamma * lam ** 2 * (hb ** 2 - hc2)), lam), hb


def _d_match(mad, bound):
    def derive(ctx: Context):
        poly, hb = _poly(ctx, mad)
        quadratic, disc_claim, solv, lam_eq, hb_eq = ctx.step.statement
        disc = sp.discriminant(poly, lam)
        a, b, _ = poly.all_coeffs()
        at_edge = {mu: 4 * sp.pi * k_branch * D / gamma}  # |mu| = 4 pi k T_q (mu > 0 representative)
        lam_double = (-b / (2 * a)).subs(at_edge)
        from derive.action import s4
        lam_star = ctx[bound].statement[1].rhs.subs(s4, 1) if bound \
            else gamma / (2 * D)
        hb_star = ctx[bound].statement[2].rhs if bound else 2 * Tq
        return [Obligation("4 pi^2 k^2 gamma lambda^2 (hbar_b^2 - hbar_c^2): the quadratic in lambda", poly.as_expr(),
                           quadratic.rhs),
                Obligation("discriminant in lambda", disc, disc_claim.rhs),
                Obligation("disc/(16 pi^2 k^2 gamma^2) = (4 pi k T_q)^2 - mu^2", (disc / (16 * sp.pi ** 2 *
                           k_branch ** 2 * gamma ** 2)).subs(D, Tq * gamma), solv.rhs),
                Obligation("double root at |mu| = 4 pi k T_q is lambda* = gamma/(2D)", sp.cancel(lam_double),
                           lam_eq.rhs),
                Obligation("lambda at equality = madelung.bound's lambda*", lam_eq.rhs, lam_star),
                Obligation("hbar_b at equality |mu| = 4 pi k T_q", hb.subs(at_edge).subs(D, Tq * gamma), hb_eq.rhs),
                Obligation("hbar_b at equality = hbar_c(lambda*) of madelung.bound", hb_eq.rhs, hb_star),
                Obligation("|mu| > 4 pi k T_q: no real lambda", disc, 0, expect_zero=False,
                           where=sp.Abs(mu) > 4 * sp.pi * k_branch * D / gamma, domain=((mu, -60.0, 60.0),))]
    return derive


def _d_mismatch(mad):
    def derive(ctx: Context):
        q = coords(_K)
        P, Sq = field(p, q), field(S, q)
        cont, qhj, hbar_c, _, _ = _madelung(ctx, mad)
        hb = ctx["quantization.single-valued"].statement[1].rhs
        wave = sp.sqrt(P) * sp.exp(sp.I * Sq / hb)
        mine = ctx.step.statement[0]
        psi_q = field(psi, q)
        # insert psi built with hbar_b while (p, S) obey Madelung with hbar_c: eliminate d_t p, d_t S
        cont_d, qhj_d = cont.doit(), qhj.doit()
        pt = sp.Derivative(P, t)
        St = sp.Derivative(Sq, t)
        sol_pt = -cont_d.subs(pt, 0) / sp.diff(cont_d, pt)
        sol_St = -qhj_d.subs(St, 0) / sp.diff(qhj_d, St)
        lhs_rhs = (mine.lhs - mine.rhs).subs(sp.Abs(psi_q), sp.sqrt(P)).subs(psi_q, wave).doit()
        derived = (lhs_rhs / wave).subs({pt: sol_pt, St: sol_St})
        # the extra term is all that remains: compare with zero after moving it to the left
        return [Obligation("psi_b with Madelung(hbar_c): the residual is the Bohm-potential mismatch", derived, 0)]
    return derive


def _d_nonlinear(ctx: Context):
    # N[psi] = (lap|psi|/|psi|) psi on a 1-D slice: psi_1 = e^{ix}, psi_2 = e^{-ix} have |psi| = 1, N = 0;
    # psi_1 + psi_2 = 2 cos x has |psi| = 2|cos x|, N = -2 cos x (|x| < pi/2).
    def N_(w):
        mod = sp.sqrt(sp.expand(w * sp.conjugate(w)).rewrite(sp.cos).expand())
        return sp.diff(mod, _x, 2) / mod * w
    w1, w2 = sp.exp(sp.I * _x), sp.exp(-sp.I * _x)
    # evaluated at x = 0 (exact), where the sum gives -2 and each plane wave 0
    defect = (N_(w1 + w2) - N_(w1) - N_(w2)).subs(_x, 0)
    value = next(r for r in ctx.step.statement if isinstance(r, sp.Equality))
    return [Obligation("N[psi_1 + psi_2] - N[psi_1] - N[psi_2] at x = 0", defect, value.rhs),
            Obligation("N[psi_1 + psi_2] - N[psi_1] - N[psi_2] != 0 at x = 0", defect, 0, expect_zero=False)]


@cache
def steps() -> tuple[Step, ...]:
    """The consistency condition, its solvability bound, and the nonlinear mismatch."""
    q = coords(_K)
    psi_q = field(psi, q)
    mad, bound = upstream("madelung.equations"), upstream("madelung.bound")
    prem = tuple(x for x in (mad, bound) if x) + ("quantization.single-valued",)
    pending = "" if (mad and bound) else " Should rest on madelung.equations and madelung.bound (not yet available)."
    lam_eq = sp.Symbol("lambda_=", positive=True)
    match = Step(
        label="consistency.match",
        title="hbar_c = |mu|/(2 pi k) has a real lambda iff |mu| <= 4 pi k T_q; equality at learning equilibrium",
        kind=Kind.CONDITIONAL, premises=prem,
        statement=(sp.Eq(4 * sp.pi ** 2 * k_branch ** 2 * gamma * lam ** 2 * (_HB ** 2 - _HC ** 2),
                         mu ** 2 * gamma * lam ** 2 - 16 * sp.pi ** 2 * k_branch ** 2 * D * lam
                         + 4 * sp.pi ** 2 * k_branch ** 2 * gamma, evaluate=False),
                   sp.Eq(sp.Symbol("Disc_lambda"), discriminant, evaluate=False),
                   sp.Eq(sp.Symbol("Disc_lambda") / (16 * sp.pi ** 2 * k_branch ** 2 * gamma ** 2),
                         (4 * sp.pi * k_branch * Tq) ** 2 - mu ** 2, evaluate=False),
                   sp.Eq(lam_eq, gamma / (2 * D), evaluate=False),
                   sp.Eq(sp.Symbol("hbar_b(|mu| = 4 pi k T_q)"), 2 * Tq, evaluate=False)),
        given=(sp.Eq(_HB, hbar_b, evaluate=False),
               sp.Eq(_HC ** 2, (4 * D * lam - gamma) / (gamma * lam ** 2), evaluate=False),
               sp.Eq(Tq, D / gamma, evaluate=False)),
        conditions=("the multivaluedness postulate multivalued.postulate", "k a positive integer",
                    "s4 = +1, s2 = +-1 (for s4 = -1 replace lambda by -lambda)", "T_q = D/gamma"),
        variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "+"), ("k", "any")),
        source=_SRC,
        transformation=("clear the denominators of hbar_b^2 = hbar_c^2(lambda): "
                        "mu^2 gamma lambda^2 - 16 pi^2 k^2 D lambda + 4 pi^2 k^2 gamma = 0; Disc_lambda is its "
                        "discriminant in lambda; double root at the edge"),
        note=("So 'Planck's constant determined by the chemical potential' is a constraint tying mu, D, gamma and "
              "lambda together (|mu| <= 4 pi k T_q), not a free relabelling (referee.md E4, G3)." + pending),
        derive=_d_match(mad, bound),
    )
    mismatch = Step(
        label="consistency.mismatch",
        title="If hbar_b != hbar_c, psi obeys Schrodinger plus ((hbar_b^2 - hbar_c^2)/2m)(lap|psi|/|psi|) psi",
        kind=Kind.IDENTITY, premises=prem,
        statement=(sp.Eq(sp.I * hbar_b * sp.Derivative(psi_q, t),
                         -hbar_b ** 2 / (2 * m) * _lap(psi_q, q) + field(V, q) * psi_q
                         + (hbar_b ** 2 - sp.Symbol("hbar_c") ** 2) / (2 * m)
                         * _lap(sp.Abs(psi_q), q) / sp.Abs(psi_q) * psi_q, evaluate=False),),
        variant=(("s2", "any"), ("s4", "any"), ("lambda", "either")),
        source=_SRC,
        transformation=("insert psi = sqrt(p) e^{iS/hbar_b}, |psi| = sqrt(p), and eliminate d_t p, d_t S with the "
                        "Madelung pair of coefficient hbar_c"),
        note="The extra term is the Bohm-potential mismatch; it is nonlinear in psi (consistency.nonlinear)." + pending,
        derive=_d_mismatch(mad),
    )
    nonlinear = Step(
        label="consistency.nonlinear",
        title="The mismatch term (lap|psi|/|psi|) psi is not linear: superposition is lost",
        kind=Kind.NEGATIVE, premises=("consistency.mismatch",),
        statement=(sp.Ne(sp.Symbol("N[psi_1 + psi_2]"), sp.Symbol("N[psi_1]") + sp.Symbol("N[psi_2]")),
                   sp.Eq(sp.Symbol("(N[psi_1 + psi_2] - N[psi_1] - N[psi_2])(x = 0)"), -2, evaluate=False)),
        given=(sp.Eq(sp.Symbol("N[psi]"), sp.Symbol("(d_x^2 |psi| / |psi|) psi"), evaluate=False),),
        source=_SRC, variant=(("example", "psi_1 = e^{ix}, psi_2 = e^{-ix}"),),
        transformation="evaluate N[psi] = (d^2|psi|/|psi|) psi on two plane waves and on their sum",
        note="N[e^{ix}] = N[e^{-ix}] = 0 but N[2 cos x] = -2 cos x.",
        derive=_d_nonlinear,
    )
    return (match, mismatch, nonlinear)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("consistency")
