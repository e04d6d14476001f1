r"""Learning dynamics of the trainable variables: gradient flow → Langevin → Fokker–Planck.

Reconstruction of KV2021 §2 / Vanchurin 2008.01540 §3 (paper-derivation.md Step 3):

.. math::

    \dot q_k = -\gamma\,\partial_k H \;\xrightarrow{\ \langle\cdot\rangle_x\ }\;
    dq_k = s\gamma\,\partial_k F\,dt + \sqrt{2D}\,dW_k,\qquad
    \partial_t p = \partial_k\!\left(-s\gamma\,p\,\partial_k F + D\,\partial_k p\right),

with the drift convention ``s`` an explicit parameter (``descent``: s = −1, the SGD convention;
``ascent``: s = +1, the one the verbatim term list of 2008.01540 §5 is consistent with, referee.md E1).
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
from derive.canonical import N_STATES, realise
from derive.gaussian import normal_expectation
from derive.notation import Avg
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, F, H, beta, coords, eta, field, gamma, p, sigma, t

__all__ = ["steps", "DRIFTS", "drift_sign"]

DRIFTS = ("descent", "ascent")
_phi = sp.Function("phi", real=True)  # a test function of q for the weak form
_x = sp.Symbol("x")
_Fc = sp.Function("F", real=True)

_STEP3 = Source("KV2021", "§2 (recap of 2008.01540 §3)", "", Provenance.RECONSTRUCTED,
                "paper-derivation.md Step 3; the body text of 2012.05082 was not available")


def drift_sign(drift: str) -> int:
    """s = −1 for gradient descent, +1 for ascent."""
    from derive.errors import InputError

    if drift not in DRIFTS:
        raise InputError(f"drift must be one of {', '.join(DRIFTS)}, got {drift!r}")
    return -1 if drift == "descent" else 1


def _gradient_flow(K):
    def derive(ctx: Context):
        q = coords(K)
        n = N_STATES
        force = ctx["canonical.force"].statement
        F_expr = ctx["canonical.ensemble"].fact["F"]
        # average the per-sample flow -γ ∂_k H over the fast hidden state, using the premise ⟨∂_k H⟩ = ∂_k F
        return [Obligation(f"k={k + 1}", -gamma * realise(force[k].rhs, K, n),
                           ctx.step.statement[k].rhs.subs(_Fc(beta, *q), F_expr).doit())
                for k in range(K)]
    return derive


def _fokker_planck(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        phi = _phi(*q)
        lang = ctx["learning.langevin"].fact
        drift = [lang[f"b_{k + 1}"] for k in range(K)]
        Dc = lang["D"]
        # Itô's formula: the generator of the Langevin process acting on a test function φ(q)
        generator = sum(b * sp.diff(phi, qk) for b, qk in zip(drift, q)) + Dc * sum(sp.diff(phi, qk, 2) for qk in q)
        fp_rhs = ctx.step.statement[0].rhs
        # weak form: φ ∂_t p − p Lφ is a divergence, so ∫φ ∂_t p = ∫p Lφ for every φ (decaying boundaries)
        flux = [phi * (-b * P + Dc * sp.diff(P, qk)) - Dc * P * sp.diff(phi, qk) for b, qk in zip(drift, q)]
        return [Obligation("phi*FP = p*L(phi) + div(flux)",
                           P * generator + sum(sp.diff(fl, qk) for fl, qk in zip(flux, q)),
                           phi * fp_rhs.doit())]
    return derive


def _stationary(K, s):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        p_eq = ctx.step.statement[0].rhs  # the claimed law, as typed
        fp = ctx["learning.fokker-planck"]
        rhs = fp.statement[0].rhs.doit()
        obs = [Obligation("d_t p_eq = 0", rhs.subs(P, p_eq).doit(), 0)]
        for k in range(K):
            current = fp.fact[f"J_{k + 1}"]
            obs.append(Obligation(f"J_{k + 1}(p_eq) = 0", current.subs(P, p_eq).doit(), 0))
        return obs
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
    gam_claim, D_claim = (r.rhs for r in ctx.step.statement)
    at_claim = {gamma: gam_claim, D: D_claim}
    # the moments again, at the claimed γ and D; the numeric witness evaluates them by quadrature
    return [Obligation("gamma", sol[gamma], gam_claim), Obligation("D", sol[D], D_claim),
            Obligation("mean step", mean_sgd, mean_em.subs(at_claim)),
            Obligation("step variance", var_sgd, var_em.subs(at_claim))]


def _discrete_ou(ctx: Context):
    a = sp.Symbol("a", positive=True)
    v = sp.Symbol("v", positive=True)
    qq = sp.Symbol("q", real=True)
    # the chain q' = (1 − ηa) q − η ξ: its stationary variance solves v = (1 − ηa)² v + η² σ²
    v_exact = sp.cancel(solve_linear(sp.Eq(v, (1 - eta * a) ** 2 * v + eta**2 * sigma**2), v))
    # the continuum law of learning.stationary, p ∝ exp(−γF/D), for F = a q²/2, with γ, D from learning.sgd
    sgd = {r.lhs: r.rhs for r in ctx["learning.sgd"].statement}
    F1 = a * qq**2 / 2
    w = sp.exp(-gamma * F1 / D)
    v_cont = (sp.integrate(qq**2 * w, (qq, -sp.oo, sp.oo)) / sp.integrate(w, (qq, -sp.oo, sp.oo))).subs(sgd)
    exact_claim, error_claim = ctx.step.statement[0].rhs, ctx.step.statement[1].rhs
    leading = ctx.step.statement[2].rhs.removeO()
    where = sp.And(eta * a < 2)
    return [Obligation("exact stationary variance", v_exact, exact_claim, where=where),
            Obligation("exact - continuum = stated error term", v_exact - v_cont, error_claim, where=where),
            Obligation("error term to O(eta^2)", sp.series(v_exact - v_cont, eta, 0, 3).removeO(), leading)]


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

    gradient_flow = Step(
        label="learning.gradient-flow", title="Gradient flow averaged over the fast hidden neurons",
        kind=Kind.CONDITIONAL, premises=("canonical.ensemble", "canonical.force"),
        statement=tuple(sp.Eq(Avg(-gamma * sp.Derivative(Hx, q[k])), -gamma * sp.Derivative(_Fc(beta, *q), q[k]),
                              evaluate=False) for k in range(K)),
        conditions=("time-scale separation: the hidden neurons equilibrate at fixed q",),
        source=_STEP3, transformation="average -gamma d_k H over p(x|q) and use canonical.force",
        derive=_gradient_flow(K),
    )
    drift_terms = tuple((f"b_{k + 1}", s * gamma * sp.Derivative(Fq, q[k])) for k in range(K))
    langevin = Step(
        label="learning.langevin", title="Langevin dynamics of the trainable variables",
        kind=Kind.DEFINITION, premises=("learning.gradient-flow",),
        statement=tuple(sp.Eq(dq[k], s * gamma * sp.Derivative(Fq, q[k]) + sp.Symbol(f"eta_{k + 1}"),
                              evaluate=False) for k in range(K)),
        source=_STEP3,
        assumptions=("Ito noise <eta_k(t) eta_l(t')> = 2 D delta_kl delta(t - t')",
                     "constant isotropic D: an assumption that generically fails when the noise comes from "
                     "sampling hidden neurons (canonical.noise-fluctuation, referee.md E10)",
                     "the noise comes from sampling x (mini-batches, stochastic neuron states)"),
        variant=variant, facts=drift_terms + (("D", D),),
        note=("drift convention s = %+d (%s); the verbatim term list of 2008.01540 §5 is consistent with the "
              "ascent convention (referee.md E1)" % (s, drift)),
    )
    fp_rhs = sum(sp.Derivative(-s * gamma * P * sp.Derivative(Fq, qk) + D * sp.Derivative(P, qk), qk) for qk in q)
    currents = tuple((f"J_{k + 1}", s * gamma * P * sp.Derivative(Fq, q[k]) - D * sp.Derivative(P, q[k]))
                     for k in range(K))
    fokker_planck = Step(
        label="learning.fokker-planck", title="Fokker-Planck equation of the trainable variables",
        kind=Kind.CONDITIONAL, premises=("learning.langevin",),
        statement=(sp.Eq(sp.Derivative(P, t), fp_rhs, evaluate=False),),
        conditions=("decaying boundaries: p and the test functions vanish fast enough at infinity that the "
                    "divergence term integrates to zero",),
        source=_STEP3, variant=variant, facts=currents,
        transformation=("Ito's formula gives the generator L = b_k d_k + D d_k d_k; integrate by parts: "
                        "phi d_t p - p L phi is a divergence for every test function phi"),
        note="J_k = b_k p - D d_k p is the probability current: d_t p = -d_k J_k.",
        derive=_fokker_planck(K, s),
    )
    p_eq = sp.exp(s * gamma * Fq / D)
    stationary = Step(
        label="learning.stationary", title="The Gibbs law exp(s gamma F / D) is stationary with zero current",
        kind=Kind.IDENTITY, premises=("learning.fokker-planck",),
        statement=(sp.Eq(sp.Symbol("p_eq"), p_eq, evaluate=False),),
        given=(sp.Eq(sp.Symbol("T_q"), D / gamma, evaluate=False),),
        facts=(("p_eq", p_eq),), variant=variant,
        source=Source("KV2021", "§2 (recap)", "", Provenance.RECONSTRUCTED, "paper-derivation.md Step 3, check 3(a)"),
        transformation="insert p_eq in the Fokker-Planck current",
        note="Effective temperature of the trainable variables T_q = D/gamma; normalisation Z_q omitted (linear).",
        derive=_stationary(K, s),
    )
    sgd = Step(
        label="learning.sgd", title="Mini-batch SGD as a Langevin process: gamma = eta, D = eta^2 sigma^2 / 2",
        kind=Kind.IDENTITY, premises=("learning.langevin",),
        statement=(sp.Eq(gamma, eta, evaluate=False), sp.Eq(D, eta**2 * sigma**2 / 2, evaluate=False)),
        source=Source("KV2021", "§2 (recap)", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md Step 3 and check 6; 2111.00903 names step size and mini-batch size"),
        assumptions=("one SGD step = one unit of learning time", "per-step gradient noise xi ~ N(0, sigma^2)"),
        transformation=("match the mean and variance of one SGD step q' = q - eta (dF + xi) to one Euler-Maruyama "
                        "step of the Langevin equation; moments by Gaussian integrals"),
        variant=(("drift", "descent"),),
        derive=_sgd,
    ) if s == -1 else None
    a = sp.Symbol("a", positive=True)
    discrete = Step(
        label="learning.discrete-ou", title="Exact discrete-time reference for quadratic F and the O(eta) bias",
        kind=Kind.APPROXIMATION, premises=("learning.stationary", "learning.sgd"),
        statement=(sp.Eq(sp.Symbol("v_exact"), eta * sigma**2 / (a * (2 - eta * a)), evaluate=False),
                   sp.Eq(sp.Symbol("v_exact") - sp.Symbol("v_continuum"), eta**2 * sigma**2 / (2 * (2 - eta * a)),
                         evaluate=False),
                   sp.Eq(sp.Symbol("v_exact") - sp.Symbol("v_continuum"), eta**2 * sigma**2 / 4 + sp.O(eta**3),
                         evaluate=False)),
        conditions=("F = a q^2 / 2 with 0 < eta a < 2 (stable chain)",),
        source=Source("referee", "§1 E13, §4 C4", "", Provenance.RECONSTRUCTED,
                      "exact stationary variance of the discrete OU chain; referee r09a"),
        transformation=("solve v = (1 - eta a)^2 v + eta^2 sigma^2; compare with the variance of the continuum "
                        "Gibbs law exp(-gamma F / D) at gamma = eta, D = eta^2 sigma^2 / 2"),
        note="relative bias of the continuum law: eta a / (2 - eta a) = eta a / 2 + O(eta^2)",
        variant=(("drift", "descent"),),
        derive=_discrete_ou,
    ) if s == -1 else None
    return tuple(x for x in (gradient_flow, langevin, fokker_planck, stationary, sgd, discrete) if x is not None)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("learning")
