r"""Madelung equations with the free energy as phase: the shift, m, ħ_c, every sign case and reading.

From the Euler–Lagrange equations of :mod:`derive.euler_lagrange` (paper-derivation.md Step 7,
referee.md E1–E3):

* the shift :math:`F = S + c\log p`, :math:`c = s_2/(2s_4\lambda)`, removes the diffusion term of the
  F-equation, which becomes the continuity equation :math:`\partial_tp + \partial_k(p\,\partial_kS/m) = 0`
  with :math:`m = s_4/(2\gamma)`;
* the p-equation becomes the quantum Hamilton–Jacobi equation
  :math:`\partial_tS + (\partial_kS)^2/2m + V - (\hbar_c^2/2m)\,\partial_k^2\sqrt p/\sqrt p = 0` with
  :math:`\hbar_c^2 = (4Ds_4\lambda - s_2^2\gamma)/(\gamma\lambda^2)` (= (4Ds₄λ − γ)/(γλ²) for s₂ = ±1);
* ħ_c² > 0 is a stated condition; when it fails the pair is a Euclidean (diffusive) system
  (``madelung.euclidean``, :func:`regime`);
* read as a Fokker–Planck equation the F-equation has drift 2s₄γ∂F and diffusion s₂γ/λ: it is not the
  SGD Fokker–Planck equation; at λ = γ/2D it is ∓2 × it (E2);
* ħ_c ≤ 2D/γ = 2T_q with equality at λ* = γ/2D; ħ_c = 0 at γ/4D (E3); λ → ∞ is the classical
  (Hamilton–Jacobi) limit with F as Hamilton's principal function.

**Sign cases.**  ``madelung.equations`` holds for symbolic s₂ (any real value, so s₂ ∈ {+1, −1, 0}) and
for both s₄ = ±1 (checked separately); its facts ``m``, ``hbar_c_sq``, ``c`` are SymPy expressions in
s₂, s₄, λ, γ, D valid for s₄ ∈ {+1, −1} and every s₂; ``m_general``, ``hbar_c_sq_general`` hold for every
real nonzero s₄.  ``madelung.sign-cases`` tabulates the four cases, ``madelung.no-item-2`` the reading
s₂ = 0 and ``madelung.nelson`` the Fokker–Planck-only route.

>>> from derive.madelung import steps, regime
>>> eq = {s.label: s for s in steps()}["madelung.equations"]
>>> sorted(k for k in eq.fact if not k.endswith("general"))
['c', 'continuity', 'hbar_c_sq', 'm', 'qhj']
>>> regime(s2=-1, s4=1, lam=0.5, gamma=1.0, D=1.0)
'Schrodinger'
>>> regime(s2=1, s4=1, lam=-0.5, gamma=1.0, D=1.0)
'Euclidean'

Run ``python -m derive.madelung`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.action import SIGN_CASES, divergence, grad_sq, laplacian, s2, s4, sign_variant
from derive.algebra import solve_linear, solve_zero
from derive.errors import InputError
from derive.notation import Avg
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, F, S, Tq, V, coords, field, gamma, hbar, lam, m, p, t

__all__ = ["steps", "hbar_c", "c_shift", "regime", "REGIMES", "quantum_potential", "m_of", "hbar_c_sq_of"]

#: the coefficient of the quantum potential of the Madelung pair (ħ_c² may be negative)
hbar_c = sp.Symbol("hbar_c")
#: the coefficient of the shift F = S + c log p
c_shift = sp.Symbol("c", real=True)
_kappa = sp.Symbol("kappa", real=True, nonzero=True)  # ħ_c² = −κ² in the Euclidean regime (either sign: φ̄)
_Sp = sp.Function("S'", real=True)  # Nelson's current-velocity potential
_phi = sp.Function("phi", positive=True)
_phibar = sp.Function("phibar", positive=True)
_psi = sp.Function("psi")
REGIMES = ("Schrodinger", "Hamilton-Jacobi", "Euclidean")

_STEP7 = Source("V2020b", "§5 (recapped in KV2021 §2)", "", Provenance.RECONSTRUCTED,
                "paper-derivation.md Step 7 (checks 2, 2b) with the signs of referee.md E1")


def m_of(sign4: sp.Expr = s4) -> sp.Expr:
    """m = s₄/(2γ) (for s₄ = ±1; 1/(2s₄γ) in general)."""
    return sign4 / (2 * gamma)


def hbar_c_sq_of(sign2: sp.Expr = s2, sign4: sp.Expr = s4, multiplier: sp.Expr = lam) -> sp.Expr:
    """ħ_c² = (4D s₄ λ − s₂² γ)/(γ λ²) (for s₄ = ±1)."""
    return (4 * D * sign4 * multiplier - sign2**2 * gamma) / (gamma * multiplier**2)


def regime(s2: int, s4: int, lam: float, gamma: float, D: float) -> str:
    """Which system the Madelung pair is: 'Schrodinger' (ħ_c² > 0), 'Hamilton-Jacobi' (ħ_c = 0),
    or 'Euclidean' (ħ_c² < 0: a diffusive pair of real heat equations, madelung.euclidean)."""
    if s2 not in (-1, 0, 1):
        raise InputError(f"s2 must be +1, -1 or 0, got {s2!r}")
    if s4 not in (-1, 1):
        raise InputError(f"s4 must be +1 or -1, got {s4!r}")
    if lam == 0:
        raise InputError("the multiplier lambda must be nonzero")
    if not (gamma > 0 and D > 0):
        raise InputError(f"gamma and D must be positive, got gamma={gamma!r}, D={D!r}")
    value = (4 * D * s4 * lam - s2**2 * gamma) / (gamma * lam**2)
    scale = 4 * D / (gamma * abs(lam))
    if abs(value) <= 1e-12 * scale:
        return "Hamilton-Jacobi"
    return "Schrodinger" if value > 0 else "Euclidean"


def quantum_potential(P: sp.Expr, q: tuple[sp.Symbol, ...]) -> sp.Expr:
    r""":math:`\partial_k^2\sqrt p/\sqrt p` (unevaluated)."""
    return laplacian(sp.sqrt(P), q) / sp.sqrt(P)


def _zero_form(rel: sp.Basic) -> sp.Expr:
    """``lhs - rhs`` of an equation: the expression a claimed ``lhs = rhs`` says is zero."""
    return rel.lhs - rel.rhs


def _madelung_pair(ctx: Context) -> tuple[sp.Expr, sp.Expr]:
    """Continuity and quantum HJ of ``madelung.equations`` as expressions that vanish (symbols m, ħ_c)."""
    _, cont, qhj, _, _ = ctx["madelung.equations"].statement
    return _zero_form(cont), _zero_form(qhj)


def _density(expr: sp.Expr, P: sp.Expr) -> sp.Expr:
    r"""The density of a combination of averages: :math:`\langle X\rangle \to pX`,
    :math:`\partial_t\langle X\rangle \to \partial_t(pX)`, a constant c → c p (p is normalised)."""
    out = []
    for term in sp.Add.make_args(sp.expand(expr)):
        avgs = term.atoms(Avg)
        if not avgs:
            out.append(term * P)
            continue
        dts = [d for d in term.atoms(sp.Derivative) if isinstance(d.expr, Avg)]
        if len(avgs) > 1 or len(dts) > 1:
            raise ValueError(f"not linear in one average: {term}")
        (avg,) = avgs
        if dts:
            (dt,) = dts
            if dt.variables != (t,):
                raise ValueError(f"only d/dt of an average is realised: {dt}")
            out.append(term.xreplace({dt: sp.Derivative(P * avg.args[0], t)}))
        else:
            out.append(term.xreplace({avg: P * avg.args[0]}))
    return sp.Add(*out).doit()


def _eliminate_dt(expr: sp.Expr, rates: dict, time: sp.Symbol) -> sp.Expr:
    """Replace every derivative of a field in ``rates`` that contains one d/dt by the derivative of its rate."""
    sub = {}
    for d in expr.atoms(sp.Derivative):
        if d.expr in rates:
            counts = dict(d.variable_count)
            if counts.get(time, 0) == 1:
                rest = [v for v, c in d.variable_count if v != time for _ in range(c)]
                sub[d] = sp.diff(rates[d.expr], *rest) if rest else rates[d.expr]
            elif counts.get(time, 0) > 1:
                raise ValueError(f"second time derivative {d}")
    return expr.xreplace(sub)


# ---------------------------------------------------------------- derivations

def _derivation_quantum_potential(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        return [Obligation("d^2 sqrt p / sqrt p", quantum_potential(P, q).doit(), ctx.step.statement[0].rhs.doit())]
    return derive


def _derivation_equations(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        EF, Ep = (s.rhs.doit() for s in ctx["el.equations"].statement)
        c_def, cont, qhj, m_def, hb_def = ctx.step.statement
        (shift,) = ctx.step.given  # F = S + c log p: the change of variables
        fact = ctx.step.fact
        F_sub = shift.rhs.subs(c_shift, c_def.rhs)  # with the claimed c
        EF_s = EF.subs(Fq, F_sub).doit()
        # the PDE identities for every real nonzero s4, with m and hbar_c^2 in their general-s4 form
        at = {m: fact["m_general"], hbar_c: sp.sqrt(fact["hbar_c_sq_general"])}
        obs = [Obligation("F-equation after the shift = -lambda x continuity", EF_s,
                          -lam * _zero_form(cont).subs(at).doit())]
        # the p-equation after the shift, with d_t p eliminated by the shifted F-equation
        pt = solve_zero(EF_s, sp.Derivative(P, t))
        Ep_s = Ep.subs(Fq, F_sub).doit().subs(sp.Derivative(P, t), pt)
        obs.append(Obligation("p-equation after the shift = lambda x quantum HJ", Ep_s,
                              lam * _zero_form(qhj).subs(at).doit()))
        # the general forms reduce to the statement's m = s4/(2 gamma), hbar_c^2 = (4 D s4 lambda - s2^2 gamma)/...
        for sign2, sign4 in SIGN_CASES + ((0, 1), (0, -1)):
            case = {s2: sign2, s4: sign4}
            obs.append(Obligation(f"m (s2={sign2}, s4={sign4})", fact["m_general"].subs(case), m_def.rhs.subs(case)))
            obs.append(Obligation(f"hbar_c^2 (s2={sign2}, s4={sign4})", fact["hbar_c_sq_general"].subs(case),
                                  hb_def.rhs.subs(case)))
        return obs
    return derive


def _case_name(v: int) -> str:
    return {1: "+1", -1: "-1", 0: "0"}[v]


def _derivation_sign_cases(ctx: Context):
    fact = ctx["madelung.equations"].fact
    obs = []
    it = iter(ctx.step.statement)
    for sign2, sign4 in SIGN_CASES:
        case = {s2: sign2, s4: sign4}
        for name in ("c", "m", "hbar_c_sq"):
            claim = next(it)
            obs.append(Obligation(f"{name} (s2={sign2}, s4={sign4})", fact[name].subs(case), claim.rhs))
    return obs


def _derivation_no_item_2(ctx: Context):
    fact = ctx["madelung.equations"].fact
    c_claim, m_claim, hb_claim = ctx.step.statement
    case = {s2: 0, s4: 1}
    return [Obligation("c = 0: no shift", fact["c"].subs(case), c_claim.rhs),
            Obligation("m", fact["m"].subs(case), m_claim.rhs),
            Obligation("hbar^2 = 4D/(gamma lambda)", fact["hbar_c_sq"].subs(case), hb_claim.rhs)]


def _derivation_nelson(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        fp = ctx["learning.fokker-planck"].statement[0]
        cont, m_def, hb_def = ctx.step.statement
        Sp_def, tq_def, nelson = ctx.step.given
        tq = {tq_def.lhs: tq_def.rhs}
        at = {m: m_def.rhs, _Sp(*q, t): Sp_def.rhs.subs(tq)}
        # continuity with S' and the claimed m, solved for d_t p, against the SGD Fokker-Planck right-hand side
        pt_cont = solve_zero(_zero_form(cont).subs(at).doit(), sp.Derivative(P, t))
        hb = solve_linear(nelson.subs(m, m_def.rhs), hbar)
        return [Obligation("SGD Fokker-Planck = continuity of S'", fp.rhs.doit(), pt_cont),
                Obligation("Nelson D = hbar/(2m) gives hbar = 2D/gamma", hb, hb_def.rhs.subs(tq))]
    return derive


def _derivation_fp_reading(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        EF = ctx["el.equations"].statement[0].rhs.doit()
        pt = solve_zero(EF, sp.Derivative(P, t))
        return [Obligation("delta S/delta F = 0 solved for d_t p", pt, ctx.step.statement[0].rhs.doit())]
    return derive


def _sgd_coefficients(ctx: Context, K: int, drift: str):
    """Drift b_k and diffusion of the SGD Langevin premise (descent); ascent is descent on −F."""
    lang = ctx["learning.langevin"].fact
    q = coords(K)
    Fq = field(F, q)
    b = [lang[f"b_{k + 1}"] for k in range(K)]
    if drift == "ascent":
        b = [bk.subs(Fq, -Fq) for bk in b]
    return b, lang["D"]


_FACTORS = {(1, 1): (2, "ascent"), (-1, 1): (-2, "descent"), (1, -1): (2, "descent"), (-1, -1): (-2, "ascent")}


def _derivation_not_sgd(K):
    def derive(ctx: Context):
        fact = ctx["madelung.fp-reading"].fact
        b, Dsgd = _sgd_coefficients(ctx, K, "descent")
        # the drift depends on s4 only, the diffusion on s2 only: two cases each cover the four sign cases
        obs = [Obligation(f"drift 2 s4 gamma dF != SGD drift (s4={sign4})", fact["drift"][0].subs(s4, sign4), b[0],
                          expect_zero=False) for sign4 in (1, -1)]
        obs += [Obligation(f"diffusion s2 gamma/lambda != D (s2={sign2})", fact["diffusion"].subs(s2, sign2), Dsgd,
                           expect_zero=False) for sign2 in (1, -1)]
        return obs
    return derive


def _derivation_factor_two(K):
    def derive(ctx: Context):
        fact = ctx["madelung.fp-reading"].fact
        lam_star = ctx.step.statement[0].rhs
        obs = []
        for (sign2, sign4), claim in zip(SIGN_CASES, ctx.step.statement[1:]):
            factor, drift = _FACTORS[(sign2, sign4)]
            case = {s2: sign2, s4: sign4, lam: lam_star}
            b, Dsgd = _sgd_coefficients(ctx, K, drift)
            kappa = claim.rhs  # the claimed factor
            for k in range(1):  # every component k is the same statement with q_1, q_k relabelled
                obs.append(Obligation(f"drift_{k + 1} (s2={sign2}, s4={sign4}, {drift})",
                                      fact["drift"][k].subs(case), kappa * b[k]))
            obs.append(Obligation(f"diffusion (s2={sign2}, s4={sign4}, {drift})", fact["diffusion"].subs(case),
                                  kappa * Dsgd))
        return obs
    return derive


def _derivation_bound(ctx: Context):
    hb = ctx["madelung.equations"].fact["hbar_c_sq"]
    sos, lam_star, at_star, curvature, lam_zero, zero = ctx.step.statement
    obs = []
    for sign4 in (1, -1):
        case = {s2: 1, s4: sign4}
        h = hb.subs(case)
        ls = lam_star.rhs.subs(s4, sign4)
        obs.append(Obligation(f"(2D/gamma)^2 - hbar_c^2 = square (s4={sign4})", 4 * D**2 / gamma**2 - h,
                              sos.rhs.subs(s4, sign4)))
        obs.append(Obligation(f"d hbar_c^2/d lambda = 0 at lambda* (s4={sign4})", sp.diff(h, lam).subs(lam, ls), 0))
        obs.append(Obligation(f"hbar_c^2(lambda*) = (2 T_q)^2 (s4={sign4})", h.subs(lam, ls),
                              at_star.rhs.subs(Tq, D / gamma) ** 2))
        obs.append(Obligation(f"curvature at lambda* (s4={sign4})", sp.diff(h, lam, 2).subs(lam, ls), curvature.rhs))
        obs.append(Obligation(f"hbar_c = 0 at lambda_0 = s4 gamma/(4D) (s4={sign4})",
                              h.subs(lam, lam_zero.rhs.subs(s4, sign4)), zero.rhs))
    return obs


def _derivation_classical(K):
    def derive(ctx: Context):
        Ep = ctx["el.equations"].statement[1].rhs.doit()
        fact = ctx["madelung.equations"].fact
        hj, c_lim, hb_lim = ctx.step.statement
        return [Obligation("p-equation / lambda = HJ(F) - error term", Ep / lam, (hj.lhs - hj.rhs).doit()),
                Obligation("c -> 0", sp.limit(fact["c"].subs(s4, 1), lam, sp.oo), c_lim.rhs),
                Obligation("hbar_c^2 -> 0", sp.limit(fact["hbar_c_sq"].subs(s4, 1), lam, sp.oo), hb_lim.rhs)]
    return derive


def _derivation_euclidean(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq = field(p, q), field(S, q)
        cont, qhj = _madelung_pair(ctx)
        phi_def, phibar_def, hb_def = ctx.step.given
        qhj_e = qhj.subs(hb_def.lhs, hb_def.rhs)  # hbar_c^2 = -kappa^2 (the pair depends on hbar_c^2 only)
        if qhj_e.has(hbar_c):
            raise ValueError("madelung.euclidean: the quantum HJ equation must depend on hbar_c^2 only")
        eq_phi, eq_phibar, product = ctx.step.statement
        phi, phibar = phi_def.rhs, phibar_def.rhs
        r_phi = _zero_form(eq_phi).subs(_phi(*q, t), phi).doit() / phi
        r_phibar = _zero_form(eq_phibar).subs(_phibar(*q, t), phibar).doit() / phibar
        near = dict(domain=((_kappa, -2.0, 2.0),), where=sp.Abs(_kappa) > sp.Rational(1, 4))
        return [Obligation("phi equation = kappa/(2p) continuity + QHJ(hbar_c^2 = -kappa^2)", r_phi,
                           (_kappa / (2 * P) * cont + qhj_e).doit(), **near),
                Obligation("phibar equation = kappa/(2p) continuity - QHJ(hbar_c^2 = -kappa^2)", r_phibar,
                           (_kappa / (2 * P) * cont - qhj_e).doit(), **near),
                Obligation("phi phibar = p", phi * phibar, product.rhs)]
    return derive


def _derivation_schrodinger(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq = field(p, q), field(S, q)
        cont, qhj = _madelung_pair(ctx)
        qhj = qhj.subs(hbar_c, hbar)
        schr, psi_claim = ctx.step.statement
        psi = psi_claim.rhs  # the claimed wave function, substituted into the claimed Schrodinger equation
        derived = _zero_form(schr).subs(_psi(*q, t), psi).doit()
        return [Obligation("Schrodinger = psi (-QHJ + i hbar/(2p) continuity)", derived,
                           psi * (-qhj + sp.I * hbar / (2 * P) * cont).doit())]
    return derive


def _derivation_ehrenfest(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq, Vq = field(p, q), field(S, q), field(V, q)
        cont, qhj = (e.doit() for e in _madelung_pair(ctx))
        pt = solve_zero(cont, sp.Derivative(P, t))
        St = solve_zero(qhj, sp.Derivative(Sq, t))
        fact = ctx.step.fact
        position, momentum = ctx.step.statement  # written for k = 1
        # each side as a density (<X> = int p X), d_t p and d_t S eliminated by the Madelung pair: the two sides of
        # a relation between averages agree when their densities differ by a divergence (decaying boundaries)
        return [Obligation(f"{name}: density(lhs) - density(rhs) = divergence",
                           _eliminate_dt(_density(rel.lhs, P) - _density(rel.rhs, P), {P: pt, Sq: St}, t),
                           fact[flux].doit())
                for name, rel, flux in (("d<q_1>/dt", position, "position_flux_1"),
                                        ("d<d_1 S>/dt", momentum, "momentum_flux_1"))]
    return derive


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The Madelung steps for K trainable variables (PDE identities checked in K dimensions)."""
    q = coords(K)
    P, Fq, Sq, Vq = field(p, q), field(F, q), field(S, q), field(V, q)
    Qp = quantum_potential(P, q)
    cont = sp.Derivative(P, t) + divergence(tuple(P * sp.Derivative(Sq, x) / m for x in q), q)
    qhj = sp.Derivative(Sq, t) + grad_sq(Sq, q) / (2 * m) + Vq - hbar_c**2 / (2 * m) * Qp
    m_val, hb_val, c_val = m_of(), hbar_c_sq_of(), s2 / (2 * s4 * lam)

    qpot = Step(
        label="madelung.quantum-potential", title="The quantum potential: d^2 sqrt p / sqrt p",
        kind=Kind.CONDITIONAL,
        statement=(sp.Eq(Qp, sp.Add(*(sp.Derivative(sp.log(P), x, 2) / 2 + sp.Derivative(sp.log(P), x) ** 2 / 4
                                      for x in q)), evaluate=False),),
        conditions=("p > 0",),
        source=Source("Madelung1927", "", "quantum potential", Provenance.SECONDARY,
                      "textbook identity; paper-derivation.md §4 item 8"),
        transformation="differentiate sqrt p = exp(log p / 2) twice",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_quantum_potential(K),
    )
    equations = Step(
        label="madelung.equations",
        title="Shift F = S + c log p: continuity with m = s4/(2 gamma) and quantum HJ with hbar_c^2",
        kind=Kind.CONDITIONAL, premises=("el.equations",),
        given=(sp.Eq(Fq, Sq + c_shift * sp.log(P), evaluate=False),),
        statement=(sp.Eq(c_shift, c_val, evaluate=False),
                   sp.Eq(cont, 0, evaluate=False),
                   sp.Eq(qhj, 0, evaluate=False),
                   sp.Eq(m, m_val, evaluate=False),
                   sp.Eq(hbar_c**2, hb_val, evaluate=False)),
        conditions=("p > 0", "lambda != 0", "s4 = +1 or -1 (m and hbar_c^2 as written); s2 any real (+1, -1, 0)"),
        source=_STEP7,
        assumptions=("Schrodinger-type only where hbar_c^2 > 0 (madelung.euclidean otherwise)",
                     "m > 0 requires s4 = +1: items (3) and (4) with the same sign (referee.md E1)"),
        transformation=("substitute F = S + c log p in delta S/delta F = 0 (the diffusion term cancels for "
                        "c = s2/(2 s4 lambda)); substitute in delta S/delta p = 0 and eliminate d_t p with the "
                        "continuity equation; checked with s2, s4 symbolic (m = 1/(2 s4 gamma), hbar_c^2 = "
                        "(4 D s4 lambda - s2^2 gamma)/(s4^2 gamma lambda^2) for every real s4 != 0), then reduced to "
                        "the stated forms at s4 = +1, -1"),
        facts=(("c", c_val), ("m", m_val), ("hbar_c_sq", hb_val),
               ("m_general", 1 / (2 * s4 * gamma)),
               ("hbar_c_sq_general", (4 * D * s4 * lam - s2**2 * gamma) / (s4**2 * gamma * lam**2)),
               ("continuity", cont), ("qhj", qhj)),
        variant=sign_variant("any (+1, -1, 0)", "+1 and -1", "either"),
        note=("facts m, hbar_c_sq, c: expressions in s2, s4, lambda, gamma, D for s4 in {+1, -1} and any s2; "
              "m_general = 1/(2 s4 gamma) and hbar_c_sq_general = (4 D s4 lambda - s2^2 gamma)/(s4^2 gamma "
              "lambda^2) for any real nonzero s4; continuity and qhj are the left-hand sides in the symbols m, "
              "hbar_c. 'Only sigma^2 enters' holds for hbar_c^2 but not for the physics: the sign of the shift "
              "and of m depend on s2, s4 (referee.md E1)."),
        derive=_derivation_equations(K),
    )
    table = []
    for sign2, sign4 in SIGN_CASES:
        tag = f"({_case_name(sign2)},{_case_name(sign4)})"
        table += [sp.Eq(sp.Symbol(f"c_{tag}"), sign2 * sign4 / (2 * lam), evaluate=False),
                  sp.Eq(sp.Symbol(f"m_{tag}"), sign4 / (2 * gamma), evaluate=False),
                  sp.Eq(sp.Symbol(f"hbar_c^2_{tag}"), (4 * D * sign4 * lam - gamma) / (gamma * lam**2), evaluate=False)]
    sign_cases = Step(
        label="madelung.sign-cases", title="The four sign cases (s2, s4): shift c, mass m and hbar_c^2",
        kind=Kind.IDENTITY, premises=("madelung.equations",), statement=tuple(table),
        source=Source("referee", "§1 E1", "", Provenance.RECONSTRUCTED, "r01, r02"),
        transformation="insert each case in the facts of madelung.equations",
        note=("(+1,+1) is the verbatim pattern. m < 0 for s4 = -1. The shift's sign is s2 s4: it decides whether "
              "S = F - c log p adds or removes the osmotic term. hbar_c^2 depends on s4 lambda only."),
        variant=sign_variant("+1, -1", "+1, -1", "either"),
        derive=_derivation_sign_cases,
    )
    no_item_2 = Step(
        label="madelung.no-item-2", title="Reading without item (2), s2 = 0: no shift, hbar^2 = 4D/(gamma lambda)",
        kind=Kind.IDENTITY, premises=("madelung.equations",),
        statement=(sp.Eq(c_shift, 0, evaluate=False), sp.Eq(m, 1 / (2 * gamma), evaluate=False),
                   sp.Eq(hbar_c**2, 4 * D / (gamma * lam), evaluate=False)),
        source=Source("KV2021", "§2 (recap)", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md check 2b and §5.2(b): hbar = 2 sqrt(D/(gamma lambda))"),
        transformation="insert s2 = 0, s4 = +1 in the facts of madelung.equations",
        note="No bound on hbar in this reading (referee.md E3): hbar_c^2 grows without limit as lambda -> 0+.",
        variant=sign_variant("0", "+1", "+"),
        derive=_derivation_no_item_2,
    )
    Sp_q = _Sp(*q, t)
    nelson = Step(
        label="madelung.nelson",
        title="Fokker-Planck-only (Nelson) route: S' = -(F + T_q log p), m = 1/gamma, hbar = 2D/gamma",
        kind=Kind.CONDITIONAL, premises=("learning.fokker-planck",),
        statement=(sp.Eq(sp.Derivative(P, t) + divergence(tuple(P * sp.Derivative(Sp_q, x) / m for x in q), q), 0,
                         evaluate=False),
                   sp.Eq(m, 1 / gamma, evaluate=False),
                   sp.Eq(hbar, 2 * Tq, evaluate=False)),
        given=(sp.Eq(Sp_q, -(Fq + Tq * sp.log(P)), evaluate=False),
               sp.Eq(Tq, D / gamma, evaluate=False),
               sp.Eq(D, hbar / (2 * m), evaluate=False)),
        conditions=("Nelson's relation D = hbar/(2m) is imposed (not in the papers as far as known)",),
        source=Source("Nelson1966", "", "D = hbar/2m", Provenance.RECONSTRUCTED,
                      "paper-derivation.md Step 7 'alternative route' and check 7a; not known to be in the papers"),
        transformation="write the SGD Fokker-Planck equation (descent) as a pure continuity equation",
        note=("Side by side with the action route (madelung.equations): m = 1/gamma against m = s4/(2 gamma); at "
              "the matched point both give hbar = 2D/gamma, their Schrodinger frequencies differ by 2 (E2)."),
        variant=(("route", "Fokker-Planck only (Nelson)"), ("drift", "descent")),
        derive=_derivation_nelson(K),
    )
    drift_el = tuple(2 * s4 * gamma * sp.Derivative(Fq, x) for x in q)
    diff_el = s2 * gamma / lam
    fp_reading = Step(
        label="madelung.fp-reading",
        title="The E-L F-equation read as Fokker-Planck: drift 2 s4 gamma dF, diffusion s2 gamma/lambda",
        kind=Kind.IDENTITY, premises=("el.equations",),
        statement=(sp.Eq(sp.Derivative(P, t), -divergence(tuple(P * v for v in drift_el), q) + diff_el
                         * laplacian(P, q), evaluate=False),),
        facts=(("drift", sp.Tuple(*drift_el)), ("diffusion", diff_el)),
        source=Source("referee", "§1 E1, E2", "", Provenance.RECONSTRUCTED, "r02(v)"),
        transformation="solve delta S/delta F = 0 for d_t p",
        note="Zero-current law: p proportional to exp(2 s4 lambda F / s2).",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_fp_reading(K),
    )
    not_sgd = Step(
        label="madelung.not-sgd",
        title="The E-L F-equation is not the SGD Fokker-Planck equation it was built from (G1)",
        kind=Kind.NEGATIVE, premises=("madelung.fp-reading", "learning.langevin"),
        statement=(sp.Ne(drift_el[0], -gamma * sp.Derivative(Fq, q[0])), sp.Ne(diff_el, D)),
        source=Source("referee", "§0 G1, §1 E2", "", Provenance.RECONSTRUCTED),
        transformation="compare drift and diffusion coefficients with those of learning.langevin (descent)",
        note="Exhibited in every sign case at generic lambda, gamma, D.",
        variant=sign_variant("+1, -1", "+1, -1", "either", drift="descent"),
        derive=_derivation_not_sgd(K),
    )
    factor_stmt = [sp.Eq(lam, gamma / (2 * D), evaluate=False)]
    for sign2, sign4 in SIGN_CASES:
        factor, drift = _FACTORS[(sign2, sign4)]
        factor_stmt.append(sp.Eq(sp.Symbol(f"(d_t p|EL / d_t p|SGD {drift})_({_case_name(sign2)},{_case_name(sign4)})"),
                                 factor, evaluate=False))
    factor_two = Step(
        label="madelung.fp-factor-two",
        title="At lambda = gamma/(2D) the E-L F-equation is -2 x the descent (s2 = -1) or +2 x the ascent (s2 = +1) FP",
        kind=Kind.CONDITIONAL, premises=("madelung.fp-reading", "learning.langevin"),
        statement=tuple(factor_stmt),
        conditions=("lambda = gamma/(2D)",),
        source=Source("referee", "§1 E2", "", Provenance.RECONSTRUCTED, "r02(v)"),
        transformation=("compare drift and diffusion coefficients: both equations have the form "
                        "d_t p = -d_k(p b_k) + D d_k d_k p (madelung.fp-reading, learning.fokker-planck), linear in "
                        "(b, D); ascent = descent on -F"),
        note=("Descent convention (s2 = -1, s4 = +1): the hydrodynamic time runs backwards and twice as fast. "
              "With s4 = -1 (m < 0): +2 x descent for s2 = +1, -2 x ascent for s2 = -1."),
        variant=sign_variant("+1, -1", "+1, -1", "+", drift="descent and ascent"),
        derive=_derivation_factor_two(K),
    )
    lam_star = sp.Symbol("lambda^*", real=True)
    bound = Step(
        label="madelung.bound", title="hbar_c <= 2D/gamma = 2 T_q, attained at lambda* = s4 gamma/(2D); 0 at gamma/(4D)",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq((2 * D / gamma) ** 2 - hbar_c**2, (2 * D / gamma - s4 / lam) ** 2, evaluate=False),
                   sp.Eq(lam_star, s4 * gamma / (2 * D), evaluate=False),
                   sp.Eq(sp.Symbol("hbar_c(lambda^*)"), 2 * Tq, evaluate=False),
                   sp.Eq(sp.Symbol("d^2 hbar_c^2/d lambda^2 (lambda^*)"), -32 * D**4 / gamma**4, evaluate=False),
                   sp.Eq(sp.Symbol("lambda_0", real=True), s4 * gamma / (4 * D), evaluate=False),
                   sp.Eq(sp.Symbol("hbar_c^2(lambda_0)"), 0, evaluate=False)),
        conditions=("s2 = +1 or -1 (item 2 present); s4 = +1 or -1",),
        source=Source("referee", "§1 E3", "", Provenance.RECONSTRUCTED, "r02(iii)"),
        transformation=("complete the square: (2D/gamma)^2 - hbar_c^2 = (2D/gamma - s4/lambda)^2 >= 0; "
                        "differentiate in lambda"),
        note=("Hence hbar_c^2 <= (2 T_q)^2 for every lambda, with equality only at lambda*; hbar_c^2 < 0 (Euclidean) "
              "for 0 < s4 lambda < gamma/(4D) and for s4 lambda < 0. Moving lambda away from lambda* lowers hbar_c."),
        variant=sign_variant("+1, -1", "+1, -1", "either"),
        derive=_derivation_bound,
    )
    hj_err = (4 * D * Qp - s2 * gamma * laplacian(Fq, q)) / lam
    classical = Step(
        label="madelung.classical-limit",
        title="Classical limit lambda -> oo: Hamilton-Jacobi with the free energy as Hamilton's principal function",
        kind=Kind.APPROXIMATION, premises=("el.equations", "madelung.equations"),
        statement=(sp.Eq(sp.Derivative(Fq, t) + s4 * gamma * grad_sq(Fq, q) + Vq, hj_err, evaluate=False),
                   sp.Eq(sp.Limit(c_shift, lam, sp.oo), 0, evaluate=False),
                   sp.Eq(sp.Limit(hbar_c**2, lam, sp.oo), 0, evaluate=False)),
        source=Source("V2020b", "abstract ('further away from the equilibrium by Hamilton-Jacobi equations')", "",
                      Provenance.RECONSTRUCTED, "identification of the limit: paper-derivation.md Step 7"),
        transformation="divide delta S/delta p = 0 by lambda; the error term is O(1/lambda); c and hbar_c^2 -> 0",
        note=("Error term (4D d^2 sqrt p/sqrt p - s2 gamma d^2 F)/lambda stated exactly. At finite lambda = "
              "s4 gamma/(4D) hbar_c = 0 exactly (madelung.bound) and S obeys HJ, but S = F - c log p != F."),
        variant=sign_variant("any", "+1", "+"),
        derive=_derivation_classical(K),
    )
    phi_q, phibar_q = _phi(*q, t), _phibar(*q, t)
    euclid = Step(
        label="madelung.euclidean",
        title="When hbar_c^2 = -kappa^2 < 0 the Madelung pair is a Euclidean (diffusive) system",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq(_kappa * sp.Derivative(phi_q, t), -_kappa**2 / (2 * m) * laplacian(phi_q, q) - Vq * phi_q,
                         evaluate=False),
                   sp.Eq(_kappa * sp.Derivative(phibar_q, t),
                         _kappa**2 / (2 * m) * laplacian(phibar_q, q) + Vq * phibar_q, evaluate=False),
                   sp.Eq(phi_q * phibar_q, P, evaluate=False)),
        given=(sp.Eq(phi_q, sp.sqrt(P) * sp.exp(Sq / _kappa), evaluate=False),
               sp.Eq(phibar_q, sp.sqrt(P) * sp.exp(-Sq / _kappa), evaluate=False),
               sp.Eq(hbar_c**2, -_kappa**2, evaluate=False)),
        conditions=("hbar_c^2 = -kappa^2 < 0 (e.g. 0 < s4 lambda < gamma/(4D), or the verbatim signs at the learning "
                    "equilibrium, equilibrium.verbatim-descent)",),
        source=Source("referee", "§1 E1, E3", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md Step 7 ('diffusion-type (Euclidean) rather than Schrodinger-type')"),
        transformation="phi = sqrt(p) exp(S/kappa), phibar = sqrt(p) exp(-S/kappa): real heat equations",
        note=("What the package reports when hbar_c^2 <= 0 (see regime()): no wave equation with a real hbar, but a "
              "pair of real backward/forward heat equations (imaginary-time Schrodinger, Schrodinger bridge)."),
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_euclidean(K),
    )
    psi_q = _psi(*q, t)
    schrodinger = Step(
        label="madelung.schrodinger",
        title="Madelung <=> Schrodinger locally: psi = sqrt(p) exp(iS/hbar)",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq(sp.I * hbar * sp.Derivative(psi_q, t),
                         -hbar**2 / (2 * m) * laplacian(psi_q, q) + Vq * psi_q, evaluate=False),
                   sp.Eq(psi_q, sp.sqrt(P) * sp.exp(sp.I * Sq / hbar), evaluate=False)),
        conditions=("p > 0 (no nodes)", "hbar = hbar_c > 0", "local: single-valuedness of psi is not implied "
                                                               "(wallstrom.counterexample)"),
        source=Source("Madelung1927", "hydrodynamic form", "", Provenance.SECONDARY,
                      "paper-derivation.md check 1, in K dimensions"),
        transformation=("i hbar d_t psi + hbar^2/(2m) d^2 psi - V psi = psi (-QHJ + i hbar/(2p) continuity): real and "
                        "imaginary parts separate (p, S real), so Schrodinger <=> both Madelung equations"),
        note="For the action route m = s4/(2 gamma): i hbar d_t psi = -s4 hbar^2 gamma d^2 psi + V psi.",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_schrodinger(K),
    )
    pos_flux = tuple((f"position_flux_{k + 1}",
                      -divergence(tuple(q[k] * P * sp.Derivative(Sq, x) / m for x in q), q)) for k in range(K))
    mom_flux = tuple((f"momentum_flux_{k + 1}",
                      -divergence(tuple(P * sp.Derivative(Sq, x) * sp.Derivative(Sq, q[k]) / m
                                        - hbar_c**2 / (4 * m) * P * sp.Derivative(sp.log(P), x, q[k]) for x in q), q))
                     for k in range(K))
    ehrenfest = Step(
        label="madelung.ehrenfest", title="Ehrenfest relations: d<q_k>/dt = <d_k S>/m, d<d_k S>/dt = -<d_k V>",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq(sp.Derivative(Avg(q[0]), t), Avg(sp.Derivative(Sq, q[0])) / m, evaluate=False),
                   sp.Eq(sp.Derivative(Avg(sp.Derivative(Sq, q[0])), t), -Avg(sp.Derivative(Vq, q[0])), evaluate=False)),
        conditions=("decaying boundaries: the fluxes q_k p dS/m and the stress p dS dS/m - hbar_c^2/(4m) p d d log p "
                    "integrate to zero",),
        facts=pos_flux + mom_flux,
        source=Source("KV2021", "§2 (consequence)", "", Provenance.RECONSTRUCTED, "paper-derivation.md §4 item 15"),
        transformation=("d_t of p q_k and of p d_k S with the continuity and quantum HJ equations: each is the "
                        "stated density plus a divergence (facts position_flux_k, momentum_flux_k)"),
        note=("Statement written and verified for k = 1; every k is the same identity with q_1, q_k relabelled. The quantum-potential force averages to zero. "
              "Action route: d<q>/dt = 2 s4 gamma <dS>."),
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_ehrenfest(K),
    )
    return (qpot, equations, sign_cases, no_item_2, nelson, fp_reading, not_sgd, factor_two, bound, classical,
            euclid, schrodinger, ehrenfest)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("madelung")
