r"""Entropy production of the trainable variables, and free-energy production.

Reconstruction of KV2021 §2, recapping Vanchurin 2008.01540 §4 (V2020b): with
:math:`S_q = -\int d^Kq\, p\log p` and the Fokker–Planck equation of ``learning.fokker-planck``,

.. math::

    \frac{dS_q}{dt} = D\int\frac{(\partial_k p)^2}{p} + s\gamma\int p\,\partial_k^2 F
    = \int\sqrt p\,(-4D\partial_k^2)\sqrt p + s\gamma\langle\partial_k^2F\rangle ,

(s = −1 for descent) — the origin of items (1) and (2) of the verbatim term list of 2008.01540 §5 —
zero at the stationary density.  The free-energy production along the flow is
:math:`d\langle F\rangle/dt = \langle\partial_tF\rangle + s\gamma\langle(\partial F)^2\rangle + D\langle\partial^2F\rangle`:
items (3) and (4) of the verbatim list keep only the deterministic part; the Itô term
:math:`D\langle\nabla^2F\rangle` is missing (``entropy.ito-term``).

Every integral identity is verified as a pointwise identity "integrand = stated density + a
divergence" with the divergence written out; dropping the divergence is the stated condition of
decaying boundaries.  Run ``python -m derive.entropy`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from sympy.core.function import AppliedUndef

from derive.chain_rule import derivative, doit
from derive.gaussian import normal_expectation
from derive.learning import drift_sign
from derive.notation import Avg
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, beta, coords, field, gamma, p, t

__all__ = ["steps"]

_BOUNDARIES = "learning.decaying-boundaries"
_DECAY = Condition("decaying boundaries: the divergence terms integrate to zero (p and its flux vanish at infinity)",
                   postulate=_BOUNDARIES)
_STEP4 = Source("KV2021", "§2 (recap of 2008.01540 §4)", "", Provenance.RECONSTRUCTED,
                "the package's own reconstruction of Vanchurin 2008.01540 §4 (V2020b); the body text of "
                "2012.05082 was not available")
_OWN = ("the package's own reconstruction: what the verbatim list of Vanchurin 2008.01540 §5 (V2020b) books, "
        "compared with the Fokker-Planck flow")
_Sq = sp.Function("S_q", real=True)
_peq = sp.Function("p_eq", positive=True)  # learning.stationary's display
# the examples of entropy.equilibria-not-equivalent (display functions, defined by the step's `given`)
_pA = sp.Function("p_A", positive=True)
_FB = sp.Function("F_B", real=True)
_UB = sp.Function("U_B", real=True)
_U = sp.Function("U", real=True)
_kappa = sp.Symbol("kappa", positive=True)
_a = sp.Symbol("a", real=True)


def _boundary(ctx: Context, flux, q) -> sp.Expr:
    """The divergence ∂_k Φ_k that the decaying-boundaries postulate integrates to zero, at Φ_k = ``flux``."""
    post = ctx[_BOUNDARIES].statement[0].lhs  # ∫ ∂_k Φ_k d^K q
    integrand = post.function
    phis = sorted(integrand.atoms(AppliedUndef), key=str)
    return integrand.xreplace(dict(zip(phis, flux)))


def _density_of(P: sp.Expr):
    """⟨X⟩ ↦ X p: an average over the density p, in density form (the integral over q is implied)."""
    return lambda e: e.replace(lambda a: isinstance(a, Avg), lambda a: a.args[0] * P)


def _dens_integrals(e: sp.Expr) -> sp.Expr:
    """∫ f d^K q ↦ f: an indefinite integral over q in density form."""
    return e.replace(lambda a: isinstance(a, sp.Integral), lambda a: a.function)


def _production(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        fp = ctx["learning.fokker-planck"]
        A = [-fp.fact[f"J_{k + 1}"] for k in range(K)]  # ∂_t p = ∂_k A_k
        # dS_q/dt = −∫ (1 + log p) ∂_t p, with ∂_t p from the Fokker–Planck premise
        R = Realise({sp.Derivative(_Sq(t), t): -(1 + sp.log(P)) * sp.Derivative(P, t),
                     sp.Derivative(P, t): fp.rules()[sp.Derivative(P, t)]})
        flux = [-(1 + sp.log(P)) * a - s * gamma * P * derivative(Fq, qk) for a, qk in zip(A, q)]
        return [Show(0, R, modulo=((1, _boundary(ctx, flux, q)),))]
    return derive


def _fisher(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        r = sp.sqrt(P)
        production = ctx["entropy.production"].rules()
        dS = sp.Derivative(_Sq(t), t)
        R = Realise({dS: production[dS]}, _dens_integrals)
        return [Show(0, R, modulo=((1, _boundary(ctx, [4 * D * r * sp.Derivative(r, qk) for qk in q], q)),)),
                Show(1, R)]
    return derive


def _balance(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        law = ctx["learning.stationary"].fact["p_eq"]
        production = ctx["entropy.production"].rules()
        dS = sp.Derivative(_Sq(t), t)
        R = Realise({dS: production[dS], P: law, _peq(*q, t): law}, _density_of(law))
        flux = [s * gamma * law * sp.Derivative(Fq, qk) for qk in q]
        return [Show(0, R, modulo=((1, _boundary(ctx, flux, q)),)),
                Show(1, R, modulo=((-1, _boundary(ctx, flux, q)),)),
                Show(2, R, modulo=((1, _boundary(ctx, flux, q)),))]
    return derive


def _free_energy(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        fp = ctx["learning.fokker-planck"]
        A = [-fp.fact[f"J_{k + 1}"] for k in range(K)]
        dtp = fp.rules()[sp.Derivative(P, t)]

        def then(e):  # ⟨X⟩ ↦ X p, the time derivative carried out, then ∂_t p from the Fokker–Planck premise
            return doit(_density_of(P)(e)).xreplace({sp.Derivative(P, t): dtp})
        R = Realise({}, then)
        flux = [Fq * a - D * P * sp.Derivative(Fq, qk) for a, qk in zip(A, q)]
        return [Show(0, R, modulo=((1, _boundary(ctx, flux, q)),))]
    return derive


def _ito(ctx: Context):
    x, a = sp.Symbol("q"), sp.Symbol("a", real=True)
    v = sp.Symbol("v", positive=True)
    c2, c3, c4 = sp.symbols("c_2 c_3 c_4", real=True)
    quartic = c2 * x**2 + c3 * x**3 + c4 * x**4
    # ⟨·⟩ over the Gaussian p = N(a, v) (an integral the numeric witness does by quadrature), F the quartic
    R = Realise({sp.Function("F")(x): quartic},
                lambda e: e.replace(lambda n: isinstance(n, Avg),
                                    lambda n: normal_expectation(doit(n.args[0]), x, a, v)))
    point = {D: 1, c2: 1, c3: 0, c4: 0, a: 0, v: 1}
    return [Show(0, R), Show(1, R, nonzero=Nonzero(ctx.step.statement[0].rhs, point))]


def _polynomial(e: sp.Expr) -> sp.Expr:
    """Expand, combine the exponentials (forced), expand again: a Gaussian's log-derivatives as a polynomial."""
    return sp.expand(sp.powsimp(sp.expand(e), force=True))  # witnessed by ctx.rewrite


def _gauss(x, mean, var):
    return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


def _not_equivalent(ctx: Context):
    q = coords(2)
    q1, q2 = q
    P, Fq = field(p, q), field(F, q)
    given = {g_.lhs: g_.rhs for g_ in ctx.step.given}  # the examples, as the step defines them
    pA, FA = given[_pA(q1, q2)], _kappa * (q1**2 + q2**2) / 2  # the example's free energy, as displayed
    # (c) holds: dS_q/dt = ∫ production density, the density p_A g with g polynomial, a Gaussian integral
    production = ctx["entropy.production"].rules()
    dS = sp.Derivative(_Sq(t), t)
    dens = doit(production[dS].xreplace({P: pA, Fq: FA}))
    g = ctx.rewrite(dens / pA, _polynomial, name="production density / p_A (a polynomial)")
    # p_A is the product of N(a, v) in q_1 and N(0, v) in q_2, v = D/(gamma kappa): by independence the
    # expectation of each monomial is a product of two Gaussian moments (integrals, quadrature for the witness)
    v = D / (gamma * _kappa)
    poly = sp.Poly(sp.expand(g), q1, q2)
    integral = sp.Add(*(c * normal_expectation(q1**i, q1, _a, v) * normal_expectation(q2**j, q2, 0, v)
                        for (i, j), c in poly.terms()))
    # (b) fails, and holds for F_B: d_t p from the Fokker–Planck premise, the law from learning.stationary
    fp = ctx["learning.fokker-planck"].rules()
    law = ctx["learning.stationary"].fact["p_eq"]
    factorised = ctx["canonical.factorised-equilibrium"]
    R = Realise({sp.Subs(dS, (P, Fq), (pA, FA)): integral,
                 sp.Derivative(P, t): fp[sp.Derivative(P, t)], _peq(*q, t): law})
    # (a) fails: canonical.factorised-equilibrium's first relation, dU/dq_1 = 0 under Z = Z_1 Z_2, at U = U_B
    dU = factorised.residual(0).xreplace({_U(beta, *q): _UB(q1)})
    b_at = {beta: 1, q1: 0}
    ou_at = {q1: 0, q2: 0, _a: 1, _kappa: 1, gamma: 1, D: 1, t: 0}
    # the positive content: d_t p_A = -(gamma kappa)^2 a (q_1 - a) p_A / D (the displaced mean drifts back)
    ou_value = -gamma**2 * _kappa**2 * _a * (q1 - _a) / D * pA
    return [Show(0, R),
            Show(1, R, nonzero=Nonzero(ou_value, ou_at)),
            Show(2, R),
            Show(3, R, nonzero=Nonzero(doit(dU.xreplace(given)), b_at)),
            Show(4, R)]


@cache
def steps(K: int = 2, drift: str = "descent") -> tuple[Step, ...]:
    """The entropy-production steps for K trainable variables in the given drift convention."""
    s = drift_sign(drift)
    q = coords(K)
    P, Fq = field(p, q), field(F, q)
    variant = (("drift", drift),)
    lap_F = sum(sp.Derivative(Fq, qk, 2) for qk in q)
    production = Step(
        label="entropy.production", title="Entropy production of the trainable variables",
        kind=Kind.CONDITIONAL, premises=("learning.fokker-planck", _BOUNDARIES),
        statement=(sp.Eq(sp.Derivative(_Sq(t), t),
                         D * sum(sp.Derivative(P, qk) ** 2 for qk in q) / P + s * gamma * P * lap_F, evaluate=False),),
        conditions=(_DECAY,), variant=variant, source=_STEP4,
        transformation="differentiate S_q = -int p log p, insert the Fokker-Planck equation, integrate by parts",
        note=("Density form: the right-hand side is integrated over q. First term: entropy production by the "
              "stochastic dynamics (D x Fisher information >= 0); second: by learning (item (2) of the verbatim "
              "list). With the descent drift the learning term is -gamma<d^2 F>; the verbatim list books +gamma "
              "(the ascent convention, see action.terms)."),
        derive=_production(K, s),
    )
    fisher_density = D * sum(sp.Derivative(P, qk) ** 2 for qk in q) / P
    fisher = Step(
        label="entropy.fisher", title="The Fisher term is the √p-sandwich of item (1): -4D d^2",
        kind=Kind.CONDITIONAL, premises=("entropy.production", _BOUNDARIES),
        statement=(sp.Eq(sp.Integral(fisher_density, *[(qk,) for qk in q]),
                         sp.Integral(sp.sqrt(P) * (-4 * D) * sum(sp.Derivative(sp.sqrt(P), qk, 2) for qk in q),
                                     *[(qk,) for qk in q]), evaluate=False),
                   sp.Eq(sp.Subs(sp.Derivative(_Sq(t), t), gamma, 0), sp.Integral(fisher_density, *[(qk,) for qk in q]),
                         evaluate=False)),
        conditions=(_DECAY,),
        source=Source("V2020b", "§5, item (1)", "", Provenance.VERBATIM,
                      "the operator -4D d^2/dq_k^2 is listed verbatim; the sqrt(p) sandwich is the package's own "
                      "reconstruction (action.lagrangian)"),
        transformation=("integrate by parts: the two forms differ by the divergence of 4D √p d √p; (2): "
                        "the Fisher term is the entropy production of entropy.production without learning (gamma = 0)"),
        note="Integrals over q in density form: the integrands are compared, divergences dropped.",
        derive=_fisher(K),
    )
    pe = _peq(*q, t)
    balance = Step(
        label="entropy.balance", title="Stationary entropy-production balance D<(d log p)^2> = gamma<d^2 F>",
        kind=Kind.CONDITIONAL, premises=("entropy.production", "learning.stationary", _BOUNDARIES),
        statement=(sp.Eq(D * Avg(sum(sp.Derivative(sp.log(P), qk) ** 2 for qk in q)), -s * gamma * Avg(lap_F),
                         evaluate=False),
                   sp.Eq(-s * gamma * Avg(lap_F), gamma**2 / D * Avg(sum(sp.Derivative(Fq, qk) ** 2 for qk in q)),
                         evaluate=False),
                   sp.Eq(sp.Derivative(_Sq(t), t), 0, evaluate=False)),
        conditions=(_DECAY, Condition("p = p_eq, the stationary Gibbs law of learning.stationary",
                                      imposed=sp.Eq(P, pe, evaluate=False))),
        variant=variant, source=_STEP4,
        transformation="insert p_eq = exp(s gamma F / D) in the production density; collect divergences",
        note="Averages over p_eq, in density form; the sampled cross-check tests this on a Langevin ensemble.",
        derive=_balance(K, s),
    )
    free_energy = Step(
        label="entropy.free-energy-production", title="Free-energy production along the Fokker-Planck flow",
        kind=Kind.CONDITIONAL, premises=("learning.fokker-planck", _BOUNDARIES),
        statement=(sp.Eq(sp.Derivative(Avg(Fq), t),
                         Avg(sp.Derivative(Fq, t)) + s * gamma * Avg(sum(sp.Derivative(Fq, qk) ** 2 for qk in q))
                         + D * Avg(lap_F), evaluate=False),),
        conditions=(_DECAY,), variant=variant,
        source=Source("V2020b", "§5, items (3)-(4)", "", Provenance.RECONSTRUCTED,
                      _OWN + "; items (3) and (4) are the deterministic part of this"),
        transformation="d/dt int p F with the Fokker-Planck equation; integrate by parts twice",
        note="Averages over p in density form.",
        derive=_free_energy(K, s),
    )
    c2, c3, c4, a = sp.symbols("c_2 c_3 c_4 a", real=True)
    v = sp.Symbol("v", positive=True)
    qs = sp.Symbol("q")
    ito_term = D * Avg(sp.Derivative(sp.Function("F")(qs), qs, 2))
    ito = Step(
        label="entropy.ito-term", title="Items (3)-(4) of the verbatim list miss the Ito term D<d^2 F>",
        kind=Kind.IDENTITY,
        statement=(sp.Eq(ito_term, 2 * D * (c2 + 3 * a * c3 + 6 * c4 * (a**2 + v)), evaluate=False),
                   sp.Ne(ito_term, 0, evaluate=False)),
        assumptions=("p Gaussian with mean a and variance v; F = c_2 q^2 + c_3 q^3 + c_4 q^4 (K = 1)",),
        source=Source("V2020b", "§5, items (3)-(4)", "", Provenance.RECONSTRUCTED, _OWN),
        transformation="Gaussian moments of F''; (2): the term is not zero (exact point D = c_2 = v = 1, a = c_3 = c_4 = 0)",
        note=("The free-energy production booked by items (3)-(4) differs from d<F>/dt "
              "(entropy.free-energy-production) by this term, which is not zero."),
        derive=_ito,
    )
    q1, q2 = coords(2)
    vA = D / (gamma * _kappa)
    P2, F2 = field(p, (q1, q2)), field(F, (q1, q2))
    pe2 = _peq(q1, q2, t)
    if K == 2:
        not_equivalent = Step(
            label="entropy.equilibria-not-equivalent",
            title="Three meanings of 'learning equilibrium' are not equivalent",
            kind=Kind.NEGATIVE,
            premises=("entropy.production", "learning.fokker-planck", "learning.stationary",
                      "canonical.factorised-equilibrium"),
            statement=(
                # (c) zero net entropy production does not give (b) a stationary Fokker-Planck density
                sp.Eq(sp.Subs(sp.Derivative(_Sq(t), t), (P2, F2), (_pA(q1, q2), _kappa * (q1**2 + q2**2) / 2)), 0, evaluate=False),
                sp.Ne(sp.Subs(sp.Derivative(P2, t), (P2, F2), (_pA(q1, q2), _kappa * (q1**2 + q2**2) / 2)), 0, evaluate=False),
                # (b) a stationary density does not give (a) the factorisation Z = Z_1(beta) Z_2(q)
                sp.Eq(sp.Subs(sp.Derivative(P2, t), (P2, F2), (pe2, _FB(q1))), 0, evaluate=False),
                sp.Ne(sp.Derivative(_UB(q1), q1), 0, evaluate=False),
                # F_B and U_B are the free energy and the mean loss of one ensemble (canonical.energy)
                sp.Eq(_UB(q1), sp.Derivative(beta * _FB(q1), beta), evaluate=False)),
            given=(sp.Eq(_pA(q1, q2), _gauss(q1, _a, vA) * _gauss(q2, 0, vA), evaluate=False),
                   sp.Eq(_FB(q1), -sp.log(sp.exp(-beta * q1) + 1) / beta, evaluate=False),
                   sp.Eq(_UB(q1), q1 * sp.exp(-beta * q1) / (sp.exp(-beta * q1) + 1), evaluate=False)),
            source=Source("KV2021", "§2 (learning equilibrium)", "", Provenance.RECONSTRUCTED,
                          "the package's own reconstruction: which of the three meanings 2012.05082 uses is not known"),
            transformation=("(1)-(2): the OU ensemble F = kappa q^2 / 2 with the stationary variance v = D/(gamma kappa) but a "
                            "displaced mean a has zero entropy production, yet d_t p != 0 (exact point q = 0, "
                            "a = kappa = gamma = D = 1); (3)-(4): the two-state hidden ensemble h_1 = q_1, h_2 = 0 "
                            "has free energy F_B and the stationary Gibbs law, but its mean loss U_B depends on q "
                            "(dU_B/dq_1 = 1/2 at q_1 = 0, beta = 1), so Z does not factorise "
                            "(canonical.factorised-equilibrium)"),
            variant=(("drift", "descent"),),
            note=("Each later step that says 'at learning equilibrium' must name which of the three it uses: "
                  "(a) factorisation Z = Z_1(beta) Z_2(q) (hidden ensemble), (b) stationary Fokker-Planck "
                  "(trainable ensemble), (c) zero net entropy production."),
            derive=_not_equivalent,
        ) if s == -1 else None
    else:
        not_equivalent = None
    return tuple(x for x in (production, fisher, balance, free_energy, ito, not_equivalent) if x is not None)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("entropy")
