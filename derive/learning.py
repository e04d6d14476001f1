r"""Learning dynamics of the trainable variables: gradient flow → Langevin → Fokker–Planck.

Reconstruction of KV2021 §2 / Vanchurin 2008.01540 §3 (V2020b §3):

.. math::

    \dot q_k = -\gamma\,\partial_k H \;\xrightarrow{\ \langle\cdot\rangle_x\ }\;
    dq_k = s\gamma\,\partial_k F\,dt + \sqrt{2D}\,dW_k,\qquad
    \partial_t p = \partial_k\!\left(-s\gamma\,p\,\partial_k F + D\,\partial_k p\right),

with the drift convention ``s`` an explicit parameter (``descent``: s = −1, the SGD convention;
``ascent``: s = +1, the one the verbatim term list of 2008.01540 §5 is consistent with, see action.terms).
The stationary density is :math:`p_{eq}\propto e^{s\gamma F/D}` (:math:`e^{-\gamma F/D}` for descent);
mini-batch SGD with step η and per-step gradient-noise variance σ² has γ = η, D = η²σ²/2, and for a
quadratic F the exact discrete-time stationary variance ησ²/(a(2 − ηa)) differs from the continuum
law by a stated O(η) error term.

Run ``python -m derive.learning`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.algebra import solve_linear
from derive.canonical import N_STATES
from derive.chain_rule import derivative
from derive.gaussian import moments_done, normal_expectation
from derive.notation import Avg
from derive.proof import Condition, Realise, Show, examples
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, H, beta, coords, eta, field, gamma, p, sigma, t

__all__ = ["steps", "DRIFTS", "drift_sign"]

DRIFTS = ("descent", "ascent")
_phi = sp.Function("phi", real=True)  # a test function of q for the weak form
_x = sp.Symbol("x")
_Fc = sp.Function("F", real=True)
_xi = tuple(sp.Symbol(f"xi_{k}", real=True) for k in range(1, 9))  # unit white noises
_Lgen = sp.Function(r"\mathcal{L}")  # the generator of the Langevin process, applied to a test function
_peq = sp.Function("p_eq", positive=True)
_Phi = tuple(sp.Function(f"Phi_{k}", real=True) for k in range(1, 9))  # a generic flux (decaying boundaries)
_J = tuple(sp.Symbol(f"J_{k}") for k in range(1, 9))  # the probability currents of learning.fokker-planck
_MEAN_SGD = sp.Symbol(r"E[\Delta q_{SGD}]")
_MEAN_EM = sp.Symbol(r"E[\Delta q_{EM}]")
_VAR_SGD = sp.Symbol(r"Var[\Delta q_{SGD}]")
_VAR_EM = sp.Symbol(r"Var[\Delta q_{EM}]")
_VEX = sp.Symbol("v_exact")
_VCONT = sp.Symbol("v_continuum")
_VDIFF_SERIES = sp.Symbol(r"\left[v_{exact} - v_{continuum}\right]_{\eta^{2}}")

_STEP3 = Source("KV2021", "§2 (recap of 2008.01540 §3)", "", Provenance.RECONSTRUCTED,
                "the package's own reconstruction of Vanchurin 2008.01540 §3 (V2020b); the body text of "
                "2012.05082 was not available")


def drift_sign(drift: str) -> int:
    """s = −1 for gradient descent, +1 for ascent."""
    from derive.errors import InputError

    if drift not in DRIFTS:
        raise InputError(f"drift must be one of {', '.join(DRIFTS)}, got {drift!r}")
    return -1 if drift == "descent" else 1


def _gradient_flow(K):
    def derive(ctx: Context):
        from derive.canonical import _averages  # ⟨·⟩ as sums weighted by the ensemble's displayed p(x|q)

        sums = _averages(ctx, K, N_STATES)
        force = ctx["canonical.force"]
        # ⟨−γ ∂_k H⟩ = −γ⟨∂_k H⟩ (linearity of the realised average), and canonical.force: ∂_k F − ⟨∂_k H⟩ = 0
        return [Show(k, sums, modulo=((gamma, sums(force.residual(k))),)) for k in range(K)]
    return derive


def _langevin(K, s):
    def derive(ctx: Context):
        q = coords(K)
        Fq = field(F, q)
        flow = ctx["learning.gradient-flow"].statement
        st = ctx.step.statement
        noise = {_xi[k]: 0 for k in range(K)}
        shows = []
        for k in range(K):
            # the displayed left side is the velocity of the k-th trainable variable (named as its coordinate)
            shows.append(Show(f"fact:v_{k + 1}", {}, quantity=st[k].lhs, name=f"v_{k + 1}: the displayed velocity"))
            # the drift is the displayed rhs without its noise ...
            shows.append(Show(f"fact:b_{k + 1}", noise, quantity=st[k].rhs, name=f"b_{k + 1}: the noise-free rhs"))
            # ... and it is the averaged gradient flow, in the drift convention s (s = -1: descent),
            # with the slow free energy F(beta, q) read as the field F(q, t) of the learning time scale
            shows.append(Show(f"fact:b_{k + 1}", {_Fc(beta, *q): Fq}, quantity=-s * flow[k].rhs,
                              name=f"b_{k + 1}: -s times the averaged gradient flow"))
        # D: half the square of the noise amplitude (<xi xi'> = delta)
        shows.append(Show("fact:D", Realise({}, lambda e: derivative(e, _xi[0]) ** 2 / 2), quantity=st[0].rhs))
        return shows
    return derive


def _adjoint(generator: sp.Expr, phi: sp.Expr, density: sp.Expr) -> sp.Expr:
    r"""The formal adjoint: for L φ = Σ_α c_α ∂^α φ, L† p = Σ_α (−1)^{|α|} ∂^α (c_α p).

    Integration by parts term by term: ∫ φ L†p − ∫ p Lφ is the integral of a divergence that vanishes for
    test functions φ of compact support.
    """
    expr = sp.expand(generator.doit())
    derivs = [d for d in expr.atoms(sp.Derivative) if d.expr == phi]
    out = sp.S.Zero
    rest = expr
    for d in derivs:
        c = expr.coeff(d)
        if c.has(phi):
            raise ValueError("the generator is not linear in the test function")
        rest = rest - c * d
        vs = [v for v, n in d.variable_count for _ in range(n)]
        out += (-1) ** len(vs) * sp.Derivative(c * density, *vs)
    c0 = sp.expand(rest).coeff(phi)
    if sp.expand(rest - c0 * phi) != 0:
        raise ValueError("the generator has a term that is not linear in the test function")
    return out + c0 * density


def _fp_realisation(ctx: Context, K: int) -> Realise:
    """∂_t p as the transformation computes it: Itô's generator L of learning.langevin, then p ↦ L†p.

    Itô: d/dt ∫ φ p = ∫ p Lφ for every test function φ of compact support, L = b_k ∂_k + D ∂_k∂_k with the
    drift b_k and diffusion D of the Langevin premise; integrating by parts, ∂_t p = L†p.
    """
    q = coords(K)
    P = field(p, q)
    phi = _phi(*q)
    lang = ctx["learning.langevin"].fact
    drift = [lang[f"b_{k + 1}"] for k in range(K)]
    generator = sum(b * sp.Derivative(phi, qk) for b, qk in zip(drift, q)) + lang["D"] * sum(
        sp.Derivative(phi, qk, 2) for qk in q)
    return Realise({sp.Derivative(P, t): _adjoint(generator, phi, P), _Lgen(phi): generator})


def _current(k: int, q):
    """J_k read off the displayed Fokker–Planck rhs Σ_k ∂_k(A_k): J_k = −A_k."""
    def pick(rhs: sp.Expr) -> sp.Expr:
        terms = [a for a in sp.Add.make_args(rhs) if isinstance(a, sp.Derivative) and a.variables == (q[k],)]
        if len(terms) != 1:
            raise ValueError(f"the displayed Fokker-Planck rhs has no single d/d{q[k]} term")
        return -terms[0].expr
    return Realise({}, pick)


def _fokker_planck(K, s):
    def derive(ctx: Context):
        q = coords(K)
        R = _fp_realisation(ctx, K)
        shows = [Show(0, R), Show(1, R)]
        for k in range(K):
            shows.append(Show(f"fact:J_{k + 1}", _current(k, q), quantity=ctx.step.statement[0].rhs))
        return shows
    return derive


def _stationary(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        fp = ctx["learning.fokker-planck"]
        currents = [fp.fact[f"J_{k + 1}"] for k in range(K)]
        # solve J_k = 0 for the law: with p = e^u each J_k = 0 is linear in d_k u; its solution must be
        # c d_k F with one constant c for every k, so that u = c F (+ a constant: the normalisation)
        u = sp.Function("u", real=True)(*q, t)
        cs = set()
        for k, J in enumerate(currents):
            grad = solve_linear(sp.Eq(J.xreplace({P: sp.exp(u)}).doit(), 0), sp.Derivative(u, q[k]))
            c = sp.expand(grad / sp.Derivative(Fq, q[k]))
            if c.has(*q, t) or c.has(sp.Derivative):
                raise ValueError(f"J_{k + 1} = 0 is not solved by a function of F")
            cs.add(c)
        if len(cs) != 1:
            raise ValueError("the zero-current conditions ask for different multiples of F")
        law = sp.exp(cs.pop() * Fq)
        rules = {_peq(*q, t): law, sp.Derivative(P, t): fp.rules()[sp.Derivative(P, t)]}
        rules.update({_J[k]: currents[k] for k in range(K)})
        R = Realise(rules)
        return [Show(i, R) for i in range(len(ctx.step.statement))] + [
            Show("fact:p_eq", R, quantity=ctx.step.statement[0].rhs)]
    return derive


def _sgd(ctx: Context):
    g = sp.Symbol("g", real=True)  # the value of ∂F at the current q
    xi, z = sp.Symbol("xi", real=True), sp.Symbol("z", real=True)
    dq_sgd = -eta * (g + xi)  # one SGD step with gradient noise xi ~ N(0, sigma^2)
    lang = ctx["learning.langevin"].fact
    b = lang["b_1"].replace(lambda e: isinstance(e, sp.Derivative), lambda e: g)
    dq_em = b + sp.sqrt(2 * lang["D"]) * z  # one Euler–Maruyama step over Δt = 1, z ~ N(0, 1)
    mean_sgd = normal_expectation(dq_sgd, xi, 0, sigma**2)
    mean_em = normal_expectation(dq_em, z, 0, 1)
    var_sgd = normal_expectation((dq_sgd + eta * g) ** 2, xi, 0, sigma**2)
    var_em = normal_expectation((dq_em - b) ** 2, z, 0, 1)
    # the mean fixes γ, the variance fixes D: each matching condition is linear in its unknown
    sol = {gamma: solve_linear(sp.Eq(mean_sgd.doit(), mean_em.doit()), gamma),
           D: solve_linear(sp.Eq(var_sgd.doit(), var_em.doit()), D)}
    # the displayed moments are realised as these Gaussian integrals (quadrature in the numeric witness)
    moments = {_MEAN_SGD: mean_sgd, _MEAN_EM: mean_em, _VAR_SGD: var_sgd, _VAR_EM: var_em}
    R = Realise({**moments, gamma: sol[gamma], D: sol[D]})
    return [Show(0, R), Show(1, R), Show(2, R), Show(3, R)]


def _discrete_ou(ctx: Context):
    a = sp.Symbol("a", positive=True)
    v = sp.Symbol("v", positive=True)
    qq = sp.Symbol("q", real=True)
    # the chain q' = (1 − ηa) q − η ξ: its stationary variance solves v = (1 − ηa)² v + η² σ²
    v_exact = solve_linear(sp.Eq(v, (1 - eta * a) ** 2 * v + eta**2 * sigma**2), v)
    # the continuum law of learning.stationary, p ∝ exp(s γ F / D), for F = a q²/2, with γ, D from learning.sgd
    sgd = {r.lhs: r.rhs for r in ctx["learning.sgd"].statement if r.lhs in (gamma, D)}
    law = ctx["learning.stationary"].fact["p_eq"]
    Fq = law.atoms(sp.core.function.AppliedUndef).pop()
    w = law.xreplace({Fq: a * qq**2 / 2})
    v_cont = (sp.Integral(qq**2 * w, (qq, -sp.oo, sp.oo)) / sp.Integral(w, (qq, -sp.oo, sp.oo))).xreplace(sgd)
    # the continuum variance in closed form (Gaussian integrals by the normal moments), witnessed: the symbolic
    # witness carries the integrals out by derive.integrals' Gamma-function formula, the numeric one by quadrature
    v_cont_closed = ctx.rewrite(v_cont, moments_done, name="Gaussian variance of the continuum law")
    diff = v_exact - v_cont_closed
    series = ctx.series(diff, eta, 0, 3, name="exact - continuum to O(eta^3)")
    R = Realise({_VEX: v_exact, _VCONT: v_cont_closed, _VDIFF_SERIES: series})
    where = eta * a < 2
    return [Show(0, R, where=where), Show(1, R, where=where), Show(2, R, where=where)]


@cache
def steps(K: int = 2, drift: str = "descent") -> tuple[Step, ...]:
    """The learning-dynamics steps for K trainable variables in the given drift convention."""
    s = drift_sign(drift)
    q = coords(K)
    P = field(p, q)
    Fq = field(F, q)
    Hx = H(_x, *q)
    variant = (("drift", drift),)
    dq = [sp.Derivative(sp.Function(f"q_{k + 1}")(t), t) for k in range(K)]
    p_hidden = sp.Function("p")(_x)  # canonical.ensemble's p(x|q)
    z_hidden = sp.Function("Z", positive=True)(beta, *q)

    gradient_flow = Step(
        label="learning.gradient-flow", title="Gradient flow averaged over the fast hidden neurons",
        kind=Kind.CONDITIONAL, premises=("canonical.ensemble", "canonical.force"),
        statement=tuple(sp.Eq(Avg(-gamma * sp.Derivative(Hx, q[k])), -gamma * sp.Derivative(_Fc(beta, *q), q[k]),
                              evaluate=False) for k in range(K)),
        conditions=(Condition("time-scale separation: at fixed q the hidden neurons are in their canonical law "
                              "p(x|q) = exp(-beta H)/Z", imposed=sp.Eq(p_hidden, sp.exp(-beta * Hx) / z_hidden,
                                                                        evaluate=False)),),
        source=_STEP3, transformation="average -gamma d_k H over p(x|q) and use canonical.force",
        derive=_gradient_flow(K), depth=examples(f"n = {N_STATES} microstates with arbitrary smooth energies "
                                                 f"h_i(q), K = {K}"),
    )
    drift_terms = tuple((f"b_{k + 1}", s * gamma * sp.Derivative(Fq, q[k])) for k in range(K))
    # d/dt of the trainable variable named as the coordinate q[k] (built apart from the displayed dq)
    velocities = tuple((f"v_{k + 1}", sp.Derivative(sp.Function(q[k].name)(t), t)) for k in range(K))
    langevin = Step(
        label="learning.langevin", title="Langevin dynamics of the trainable variables",
        kind=Kind.DEFINITION, premises=("learning.gradient-flow",),
        statement=tuple(sp.Eq(dq[k], s * gamma * sp.Derivative(Fq, q[k]) + sp.sqrt(2 * D) * _xi[k],
                              evaluate=False) for k in range(K)),
        source=_STEP3,
        assumptions=("Ito white noise <xi_k(t) xi_l(t')> = delta_kl delta(t - t')",
                     "constant isotropic D: an assumption that generically fails when the noise comes from "
                     "sampling hidden neurons (canonical.noise-fluctuation)",
                     "the noise comes from sampling x (mini-batches, stochastic neuron states)"),
        variant=variant, facts=drift_terms + (("D", D),) + velocities,
        note=("drift convention s = %+d (%s); the verbatim term list of Vanchurin 2008.01540 §5 (V2020b §5) is "
              "consistent with the ascent convention (see action.terms and madelung.fp-factor-two)" % (s, drift)),
        derive=_langevin(K, s),
    )
    fp_rhs = sum(sp.Derivative(-s * gamma * P * sp.Derivative(Fq, qk) + D * sp.Derivative(P, qk), qk) for qk in q)
    currents = tuple((f"J_{k + 1}", s * gamma * P * sp.Derivative(Fq, q[k]) - D * sp.Derivative(P, q[k]))
                     for k in range(K))
    phi = _phi(*q)
    boundary = sum(sp.Derivative(-phi * (s * gamma * P * sp.Derivative(Fq, qk) - D * sp.Derivative(P, qk))
                                 - D * P * sp.Derivative(phi, qk), qk) for qk in q)
    fokker_planck = Step(
        label="learning.fokker-planck", title="Fokker-Planck equation of the trainable variables",
        kind=Kind.IDENTITY, premises=("learning.langevin",),
        statement=(sp.Eq(sp.Derivative(P, t), fp_rhs, evaluate=False),
                   sp.Eq(phi * sp.Derivative(P, t) - P * _Lgen(phi), boundary, evaluate=False)),
        source=_STEP3, variant=variant, facts=currents,
        assumptions=("phi: any smooth test function of compact support; the divergence on the right of (2) then "
                     "integrates to zero, so (2) is the weak form int phi d_t p = int p L phi of Ito's formula",),
        transformation=("Ito's formula gives the generator L = b_k d_k + D d_k d_k of learning.langevin; "
                        "d_t p is its formal adjoint L+ p (integration by parts, term by term); (2) checks that "
                        "phi L+ p - p L phi is a divergence of terms carrying phi"),
        note="J_k = b_k p - D d_k p is the probability current: d_t p = -d_k J_k.",
        derive=_fokker_planck(K, s),
    )
    boundaries = Step(
        label="learning.decaying-boundaries",
        title="Decaying boundaries: the divergence of a flux built from p integrates to zero",
        kind=Kind.POSTULATE,
        statement=(sp.Eq(sp.Integral(sum(sp.Derivative(_Phi[k](*q, t), q[k]) for k in range(K)),
                                     *[(qk, -sp.oo, sp.oo) for qk in q]), 0, evaluate=False),),
        source=Source("KV2021", "§2 (recap of 2008.01540 §4)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: the integrations by parts of the entropy and "
                      "free-energy productions drop these divergences"),
        assumptions=("Phi_k: any flux built from p, F and their derivatives that appears in an integration by "
                     "parts (p log p d_k F, p d_k F, √p d_k √p, ...)",
                     "p and these fluxes vanish fast enough at infinity; an assumption on the solution, "
                     "not a consequence of the dynamics"),
        variant=variant,
    )
    p_eq = sp.exp(s * gamma * Fq / D)
    T_q = sp.Symbol("T_q", positive=True)
    pe = _peq(*q, t)
    stationary = Step(
        label="learning.stationary", title="The Gibbs law exp(s F / T_q) is stationary with zero current",
        kind=Kind.IDENTITY, premises=("learning.fokker-planck",),
        statement=((sp.Eq(pe, sp.exp(s * Fq / T_q), evaluate=False),)
                   + tuple(sp.Eq(sp.Subs(_J[k], P, pe), 0, evaluate=False) for k in range(K))
                   + (sp.Eq(sp.Subs(sp.Derivative(P, t), P, pe), 0, evaluate=False),)),
        given=(sp.Eq(T_q, D / gamma, evaluate=False),),
        facts=(("p_eq", p_eq),), variant=variant,
        source=Source("KV2021", "§2 (recap of 2008.01540 §3)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: the body text of 2012.05082 was not available"),
        transformation=("solve J_k = 0 (with p = e^u it is linear in d_k u) for the law; insert it in the currents "
                        "J_k and the Fokker-Planck rhs"),
        note="Effective temperature of the trainable variables T_q = D/gamma; normalisation Z_q omitted (linear).",
        derive=_stationary(K, s),
    )
    sgd = Step(
        label="learning.sgd", title="Mini-batch SGD as a Langevin process: gamma = eta, D = eta^2 sigma^2 / 2",
        kind=Kind.IDENTITY, premises=("learning.langevin",),
        statement=(sp.Eq(gamma, eta, evaluate=False), sp.Eq(D, eta**2 * sigma**2 / 2, evaluate=False),
                   sp.Eq(_MEAN_SGD, _MEAN_EM, evaluate=False), sp.Eq(_VAR_SGD, _VAR_EM, evaluate=False)),
        source=Source("KV2021", "§2 (recap of 2008.01540 §3)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction; Katsnelson, Vanchurin and Westerhout (2111.00903) name "
                      "step size and mini-batch size"),
        assumptions=("one SGD step = one unit of learning time", "per-step gradient noise xi ~ N(0, sigma^2)"),
        transformation=("match the mean and variance of one SGD step q' = q - eta (dF + xi) to one Euler-Maruyama "
                        "step of the Langevin equation; moments by Gaussian integrals; (3)-(4): the moments agree "
                        "at the values (1)-(2)"),
        variant=(("drift", "descent"),),
        derive=_sgd,
    ) if s == -1 else None
    a = sp.Symbol("a", positive=True)
    discrete = Step(
        label="learning.discrete-ou", title="Exact discrete-time reference for quadratic F and the O(eta) bias",
        kind=Kind.APPROXIMATION, premises=("learning.stationary", "learning.sgd"),
        statement=(sp.Eq(_VEX, eta * sigma**2 / (a * (2 - eta * a)), evaluate=False),
                   sp.Eq(_VEX - _VCONT, eta**2 * sigma**2 / (2 * (2 - eta * a)), evaluate=False),
                   sp.Eq(_VDIFF_SERIES, eta**2 * sigma**2 / 4, evaluate=False)),
        conditions=(Condition("F = a q^2 / 2 with 0 < eta a < 2 (stable chain)", holds=eta * a < 2),),
        source=Source("KV2021", "§2 (recap of 2008.01540 §3)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: exact stationary variance of the discrete OU chain, a "
                      "reference for the continuum law of learning.stationary"),
        transformation=("solve v = (1 - eta a)^2 v + eta^2 sigma^2; compare with the variance of the continuum "
                        "Gibbs law of learning.stationary at gamma = eta, D = eta^2 sigma^2 / 2 (learning.sgd)"),
        note="relative bias of the continuum law: eta a / (2 - eta a) = eta a / 2 + O(eta^2)",
        variant=(("drift", "descent"),),
        derive=_discrete_ou,
    ) if s == -1 else None
    return tuple(x for x in (gradient_flow, langevin, fokker_planck, boundaries, stationary, sgd, discrete) if x is not None)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("learning")
