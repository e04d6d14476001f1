r"""Consistency of the two ħ's: the Madelung coefficient ħ_c and ħ_b = |μ|/(2πk) (gap G3 of the README).

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
from sympy.core.function import AppliedUndef

from derive.errors import InputError
from derive.grand_canonical import upstream
from derive.quantization import _integer, _real
from derive.schrodinger import _lap, _madelung, hbar_b
from derive.algebra import solve_linear
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, S, Tq, V, coords, field, gamma, hbar, k_branch, lam, m, mu, p, psi, t

__all__ = ["steps", "consistent_lambdas", "discriminant"]

_K = 2
_x = sp.Symbol("x", real=True)
_HB, _HC = sp.Symbol("hbar_b", positive=True), sp.Symbol("hbar_c")  # display names (see `given`)
_SRC = Source("KV2021", "§4", "", Provenance.RECONSTRUCTED,
              "the package's own reconstruction: the two hbar's of the canonical chain (madelung.equations) and of "
              "the grand canonical chain (quantization.single-valued) compared, with k and the solvability bound")

#: the discriminant in lambda of mu^2 gamma lambda^2 - 16 pi^2 k^2 D lambda + 4 pi^2 k^2 gamma (a fact of consistency.match)
discriminant = 16 * sp.pi ** 2 * k_branch ** 2 * (4 * sp.pi * k_branch * D - gamma * mu) \
    * (4 * sp.pi * k_branch * D + gamma * mu)

#: display names: the discriminant as a function of mu, the roots, the edge values
_DISC = sp.Function("Disc_lambda")
_EPS = sp.Symbol("epsilon", positive=True)
_LAM_EQ = sp.Symbol("lambda_=", positive=True)
_LAM_STAR = sp.Symbol("lambda^*", real=True)
_HB_EDGE = sp.Symbol("hbar_b(|mu| = 4 pi k T_q)")
_HC_STAR = sp.Symbol("hbar_c(lambda^*)")
_ROOTS = (sp.Symbol("lambda_-"), sp.Symbol("lambda_+"))
_N = sp.Function("N")


def _match_facts() -> dict:
    """The facts of consistency.match (the quadratic, its discriminant and roots), as verified."""
    return dict(next(s for s in steps() if s.label == "consistency.match").facts)


def consistent_lambdas(mu, k=1, D=1.0, gamma=1.0) -> tuple:
    """The multipliers λ at which ħ_c(λ) = |μ|/(2πk) (s₄ = +1), or () when |μ| > 4πk D/γ.

    The discriminant and the roots are the facts of ``consistency.match`` (tied to its display).
    """
    muv, kk = _real(mu, "mu"), _integer(k, "the branch k", positive=True)
    Dv, gv = _real(D, "D"), _real(gamma, "gamma")
    if not (Dv > 0 and gv > 0):
        raise InputError(f"D and gamma must be > 0, got D={D!r}, gamma={gamma!r}")
    if muv == 0:
        raise InputError("mu = 0: no quantization, hbar_b is not defined (choose mu != 0)")
    # floats are converted exactly (their binary value) so that the roots are not lost to cancellation
    muv, Dv, gv = (sp.Rational(v) if isinstance(v, sp.Float) else v for v in (muv, Dv, gv))
    from derive.symbols import D as D_, gamma as g_, mu as mu_

    at = {mu_: muv, k_branch: kk, D_: Dv, g_: gv}
    facts = _match_facts()
    if facts["discriminant"].subs(at) < 0:
        return ()
    return tuple(sorted(facts[name].subs(at) for name in ("lambda_minus", "lambda_plus")))


def _match_model(ctx: Context, mad):
    """ħ_b (quantization.single-valued) and ħ_c² (madelung.equations, s₂ = s₄ = +1) realising the display."""
    from derive.action import s2, s4

    hc2 = _madelung(ctx, mad)[4].subs({s2: 1, s4: 1})
    hb = ctx["quantization.single-valued"].rules()[hbar]
    return hb, {_HB: hb, _HC ** 2: hc2}


def _d_match(mad, bound):
    def derive(ctx: Context):
        from derive.action import s4

        hb, model = _match_model(ctx, mad)
        # the quadratic: clear the denominators of hbar_b^2 - hbar_c^2, as computed from the premises
        cleared = Realise(model)(4 * sp.pi ** 2 * k_branch ** 2 * gamma * lam ** 2 * (_HB ** 2 - _HC ** 2))
        a, b, c = sp.Poly(sp.expand(cleared), lam).all_coeffs()
        disc = sp.expand(b ** 2 - 4 * a * c)  # the discriminant in lambda, as a function of mu

        def disc_at(e):
            return e.replace(lambda x: isinstance(x, AppliedUndef) and x.func == _DISC,
                             lambda x: disc.subs(mu, x.args[0]))
        # the edge: Disc = 0 solved for mu^2 (linear), mu > 0
        mu_edge = sp.sqrt(solve_linear(sp.Eq(disc.subs(mu ** 2, _x), 0), _x))
        roots = {r: (-b + sgn * sp.sqrt(disc)) / (2 * a) for r, sgn in zip(_ROOTS, (-1, 1))}
        tq = {g.lhs: g.rhs for g in ctx.step.given}  # T_q = D/gamma, also in the premises' displays
        rules = {**model, _LAM_EQ: (-b / (2 * a)).subs(mu, mu_edge), _HB_EDGE: hb.subs(mu, mu_edge), **roots}
        if bound:
            st = ctx[bound].statement
            rules.update({_LAM_STAR: st[1].rhs.subs(s4, 1), _HC_STAR: st[2].rhs, **tq})
        else:  # pragma: no cover - only while the canonical chain is missing
            rules.update({_LAM_STAR: gamma / (2 * D), _HC_STAR: 2 * D / gamma})
        R = Realise(rules, disc_at)
        shows = [Show(i, R) for i in range(7)]
        # |mu| > 4 pi k T_q: the discriminant is negative (signed form: its factorisation), no real lambda
        for i in (7, 8):
            value = R(ctx.step.statement[i].lhs.xreplace(tq))
            shows.append(Show(i, R, signed=ctx.rewrite(-value, "factor", name=f"-Disc, relation {i + 1}")))
        shows += [Show("fact:quadratic", R, quantity=cleared),
                  Show("fact:discriminant", R, quantity=_DISC(mu)),
                  Show("fact:lambda_minus", R, quantity=_ROOTS[0]),
                  Show("fact:lambda_plus", R, quantity=_ROOTS[1]),
                  Show("fact:discriminant_normalised", R,
                       quantity=ctx.step.statement[2].lhs),
                  # the edge of solvability: |mu| = 2 pi k hbar_b there (hbar_b = |mu|/(2 pi k))
                  Show("fact:mu_max", R, quantity=2 * sp.pi * k_branch * _HB_EDGE)]
        return shows
    return derive


def _d_mismatch(mad, schr):
    def derive(ctx: Context):
        q = coords(_K)
        P = field(p, q)
        psi_q = field(psi, q)
        cont, qhj, hbar_c, _, _ = _madelung(ctx, mad)  # the Madelung pair with coefficient hbar_c, mass m
        hb = ctx["quantization.single-valued"].rules()[hbar]
        if schr:
            wave = ctx[schr].statement[1].rhs.subs(hbar, hb)  # psi = sqrt(p) e^{iS/hbar_b}
        else:  # pragma: no cover
            wave = sp.sqrt(P) * sp.exp(sp.I * field(S, q) / hb)
        R = Realise({sp.Abs(psi_q): sp.sqrt(P), psi_q: wave})
        # (the equation) = psi (-QHJ(hbar_c) + i hbar_b/(2p) continuity): zero when (p, S) obey the Madelung pair
        return [Show(0, R, modulo=((-wave, qhj), (sp.I * hb * wave / (2 * P), cont)))]
    return derive


def _mismatch_term(ctx: Context, x: sp.Symbol):
    """N[w] = (∂ₓ²|w|/|w|) w: the mismatch term of consistency.mismatch divided by (ħ_b² − ħ_c²)/(2m), on the
    1-D slice q₁ = x (w depends on x only)."""
    q = coords(_K)
    psi_q = field(psi, q)
    rhs = ctx["consistency.mismatch"].statement[0].rhs
    term = next(a for a in sp.Add.make_args(rhs) if a.has(sp.Symbol("hbar_c")))
    per = term / ((hbar_b ** 2 - sp.Symbol("hbar_c") ** 2) / (2 * m))

    def N_(w):
        real = ctx.rewrite(w, lambda e: e.rewrite(sp.cos), name=f"{sp.sstr(w)} in cosines")
        return per.subs({sp.Abs(psi_q): sp.Abs(real.subs(x, q[0])), psi_q: real.subs(x, q[0])}).doit().subs(q[0], x)
    return N_


def _d_nonlinear(ctx: Context):
    N_ = _mismatch_term(ctx, _x)
    w1, w2 = sp.exp(sp.I * _x), sp.exp(-sp.I * _x)
    rules = {_N(w): N_(w) for w in (w1, w2, w1 + w2)}
    R = Realise(rules, lambda e: e.doit())
    defect = R(_N(w1 + w2)) - R(_N(w1)) - R(_N(w2))
    return [Show(0, R), Show(1, R), Show(2, R),
            Show(3, R, nonzero=Nonzero(defect, {_x: 0}))]


@cache
def steps() -> tuple[Step, ...]:
    """The consistency condition, its solvability bound, and the nonlinear mismatch."""
    q = coords(_K)
    psi_q = field(psi, q)
    mad, bound, schr = upstream("madelung.equations"), upstream("madelung.bound"), upstream("madelung.schrodinger")
    prem = tuple(x for x in (mad, bound) if x) + ("quantization.single-valued",)
    pending = "" if (mad and bound) else " Should rest on madelung.equations and madelung.bound (not yet available)."
    quad = mu ** 2 * gamma * lam ** 2 - 16 * sp.pi ** 2 * k_branch ** 2 * D * lam + 4 * sp.pi ** 2 * k_branch ** 2 * gamma
    a_, b_ = mu ** 2 * gamma, -16 * sp.pi ** 2 * k_branch ** 2 * D
    match = Step(
        label="consistency.match",
        title="ħ_c = |mu|/(2 pi k) has a real lambda iff |mu| <= 4 pi k T_q; equality at learning equilibrium",
        kind=Kind.CONDITIONAL, premises=prem,
        statement=(sp.Eq(4 * sp.pi ** 2 * k_branch ** 2 * gamma * lam ** 2 * (_HB ** 2 - _HC ** 2), quad,
                         evaluate=False),
                   sp.Eq(_DISC(mu), discriminant, evaluate=False),
                   sp.Eq(_DISC(mu) / (16 * sp.pi ** 2 * k_branch ** 2 * gamma ** 2),
                         (4 * sp.pi * k_branch * Tq) ** 2 - mu ** 2, evaluate=False),
                   sp.Eq(_LAM_EQ, gamma / (2 * D), evaluate=False),
                   sp.Eq(_LAM_EQ, _LAM_STAR, evaluate=False),
                   sp.Eq(_HB_EDGE, 2 * Tq, evaluate=False),
                   sp.Eq(_HB_EDGE, _HC_STAR, evaluate=False),
                   sp.StrictLessThan(_DISC(4 * sp.pi * k_branch * Tq + _EPS), 0),
                   sp.StrictLessThan(_DISC(-4 * sp.pi * k_branch * Tq - _EPS), 0)),
        given=(sp.Eq(Tq, D / gamma, evaluate=False),),
        facts=(("quadratic", quad), ("discriminant", discriminant),
               ("lambda_minus", (-b_ - sp.sqrt(discriminant)) / (2 * a_)),
               ("lambda_plus", (-b_ + sp.sqrt(discriminant)) / (2 * a_)),
               ("discriminant_normalised", (4 * sp.pi * k_branch * D / gamma) ** 2 - mu ** 2),
               ("mu_max", 4 * sp.pi * k_branch * D / gamma)),
        conditions=(Condition("the multivaluedness postulate", postulate="multivalued.postulate"),
                    Condition("k a positive integer", holds=sp.Ge(k_branch, 1)),
                    Condition("s4 = +1, s2 = +-1 (for s4 = -1 replace lambda by -lambda)", case=("s4", "+1"))),
        variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "+"), ("k", "any")),
        source=_SRC,
        transformation=("clear the denominators of ħ_b^2 = ħ_c^2(lambda) (ħ_b from quantization.single-valued, "
                        "ħ_c^2 from madelung.equations): mu^2 gamma lambda^2 - 16 pi^2 k^2 D lambda + 4 pi^2 k^2 gamma "
                        "= 0; Disc_lambda(mu) is its discriminant in lambda; the edge Disc = 0 gives the double root "
                        "lambda* of madelung.bound; for |mu| = 4 pi k T_q + epsilon (epsilon > 0) the discriminant is "
                        "-16 pi^2 k^2 gamma epsilon (gamma epsilon + 8 pi k D) < 0"),
        note=("So 'Planck's constant determined by the chemical potential' is a constraint tying mu, D, gamma and "
              "lambda together (|mu| <= 4 pi k T_q), not a free relabelling (gap G3). Facts: the quadratic, its "
              "discriminant and roots lambda_-+ (used by consistent_lambdas)." + pending),
        derive=_d_match(mad, bound),
    )
    mismatch = Step(
        label="consistency.mismatch",
        title="If ħ_b != ħ_c, ψ obeys Schrödinger plus ((ħ_b^2 - ħ_c^2)/2m)(∇²|ψ|/|ψ|) ψ",
        kind=Kind.IDENTITY, premises=tuple(x for x in (mad, schr) if x) + ("quantization.single-valued",),
        statement=(sp.Eq(sp.I * hbar_b * sp.Derivative(psi_q, t),
                         -hbar_b ** 2 / (2 * m) * _lap(psi_q, q) + field(V, q) * psi_q
                         + (hbar_b ** 2 - sp.Symbol("hbar_c") ** 2) / (2 * m)
                         * _lap(sp.Abs(psi_q), q) / sp.Abs(psi_q) * psi_q, evaluate=False),),
        variant=(("s2", "any"), ("s4", "any"), ("lambda", "either")),
        source=_SRC,
        transformation=("insert ψ = √p e^{iS/ħ_b}, |ψ| = √p: (the equation) = ψ (-QHJ + i ħ_b/(2p) "
                        "continuity) with the Madelung pair of coefficient ħ_c (facts of madelung.equations)"),
        note="The extra term is the Bohm-potential mismatch; it is nonlinear in ψ (consistency.nonlinear)." + pending,
        derive=_d_mismatch(mad, schr),
    )
    w1, w2 = sp.exp(sp.I * _x), sp.exp(-sp.I * _x)
    nonlinear = Step(
        label="consistency.nonlinear",
        title="The mismatch term N[ψ] = (∇²|ψ|/|ψ|) ψ is not linear: superposition is lost",
        kind=Kind.NEGATIVE, premises=("consistency.mismatch",),
        statement=(sp.Eq(_N(w1), 0, evaluate=False),
                   sp.Eq(_N(w2), 0, evaluate=False),
                   sp.Eq(sp.Subs(_N(w1 + w2), _x, 0), -2, evaluate=False),
                   sp.Ne(_N(w1 + w2), _N(w1) + _N(w2))),
        source=_SRC, variant=(("example", "psi_1 = e^{ix}, psi_2 = e^{-ix} on the slice q_1 = x"),),
        transformation=("N[ψ] is the mismatch term of consistency.mismatch without its coefficient "
                        "(ħ_b^2 - ħ_c^2)/(2m), on the slice q_1 = x; evaluate it on two plane waves (|ψ| = 1) "
                        "and on their sum 2 cos x; the difference is -2 at x = 0 (exact)"),
        note="N[e^{ix}] = N[e^{-ix}] = 0 but N[2 cos x] = -2 cos x for |x| < pi/2.",
        derive=_d_nonlinear,
    )
    return (match, mismatch, nonlinear)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("consistency")
