r"""The learning-equilibrium map: matching the action to the SGD Gibbs law, and what it implies.

Referee.md E1 and E5.  The Euler–Lagrange F-equation, read as a Fokker–Planck equation
(``madelung.fp-reading``), has the current :math:`J = 2s_4\gamma p\,\partial F - (s_2\gamma/\lambda)\partial p`;
at the SGD Gibbs law :math:`p_{eq}\propto e^{-\gamma F/D}` (descent) it is
:math:`(2s_4\gamma + s_2\gamma^2/(\lambda D))\,p_{eq}\partial F`, which vanishes iff
:math:`s_4\lambda = -s_2\gamma/(2D)`.  Then

* verbatim signs (s₂ = s₄ = +1) with the descent drift give :math:`\hbar_c^2 = -12D^2/\gamma^2 < 0`;
  a positive ħ² needs s₂ = −1, and then :math:`\hbar_c = 2D/\gamma` (the bound of ``madelung.bound``);
* at the matched point :math:`S = F + T_q\log p_{eq} = -T_q\log Z_q` is constant in q;
* :math:`\psi = \sqrt{p_{eq}}` is the zero-energy ground state of :math:`H = -\hbar^2\gamma\nabla^2 + V` with
  :math:`V = \gamma|\nabla F|^2 - 2D\nabla^2F`; :math:`H = (4D/\gamma)\,H_{FP}` (the symmetrised Fokker–Planck
  operator, a Witten Laplacian), so :math:`E_n/\hbar = 2r_n` — checked exactly for the OU case,
  :math:`E_n = 4Da\,n`, :math:`r_n = \gamma a\,n`.

"Learning equilibrium" here means the stationary Fokker–Planck law of the trainable variables (one of
three non-equivalent meanings, ``entropy.equilibria-not-equivalent``).

>>> from derive.equilibrium import steps
>>> [s.label for s in steps()][:2]
['equilibrium.matching', 'equilibrium.matched-hbar']

Run ``python -m derive.equilibrium`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.action import SIGN_CASES, grad_sq, laplacian, s2, s4, sign_variant
from derive.algebra import solve_linear
from derive.madelung import c_shift, hbar_c
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, F, S, Tq, V, coords, field, gamma, hbar, lam, m, p, t

__all__ = ["steps", "matched_lambda"]

_Zq = sp.Symbol("Z_q", positive=True)  # normalisation of the stationary law
_a = sp.Symbol("a", positive=True)  # curvature of the OU free energy F = a|q|²/2
_phi = sp.Function("phi", real=True)  # a test function for the operator identity
_E = sp.Symbol("E_n", real=True)
_r = sp.Symbol("r_n", real=True)
_S0 = sp.Symbol("S_0", real=True)

_E5 = Source("referee", "§1 E5", "", Provenance.RECONSTRUCTED, "r03, r09c, r15")
_E1 = Source("referee", "§1 E1", "", Provenance.RECONSTRUCTED, "r02")


def matched_lambda(sign2: int, sign4: int, drift: str = "descent") -> sp.Expr:
    """λ that makes the E-L stationary law the SGD Gibbs law: s₄λ = ∓s₂γ/(2D) (descent: −)."""
    sign = -1 if drift == "descent" else 1
    return sign * sign2 * gamma / (2 * sign4 * D)


def _static(expr: sp.Expr, q) -> sp.Expr:
    """F(q, t) → F(q): at learning equilibrium F is the time-independent free energy."""
    return expr.subs(field(F, q), field(F, q, time=False))


def _p_eq(ctx: Context, q, drift: str) -> sp.Expr:
    """The Gibbs law of learning.stationary (descent); the ascent law is the descent law for −F."""
    pe = _static(ctx["learning.stationary"].fact["p_eq"], q)
    return pe if drift == "descent" else pe.subs(field(F, q, time=False), -field(F, q, time=False))


# ---------------------------------------------------------------- derivations

def _derivation_matching(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fs = field(p, q), field(F, q, time=False)
        fact = ctx["madelung.fp-reading"].fact
        obs = []
        for drift, claim in zip(("descent", "ascent"), ctx.step.statement[:2]):
            pe = _p_eq(ctx, q, drift)
            # the current of the E-L equation read as Fokker-Planck: J_1 = p b_1 - D_EL d_1 p
            J = (_static(fact["drift"][0], q) * P - fact["diffusion"] * sp.Derivative(P, q[0])).subs(P, pe).doit()
            obs.append(Obligation(f"J_1(p_eq) ({drift})", J, claim.rhs.subs(P, pe).doit()))
            coeff = claim.rhs / (P * sp.Derivative(Fs, q[0]))  # the claimed factor multiplying p d_1 F
            for sign2, sign4 in SIGN_CASES:
                lam_match = solve_linear(sp.Eq(ctx.step.statement[2 if drift == "descent" else 3].lhs,
                                               ctx.step.statement[2 if drift == "descent" else 3].rhs).subs(
                    {s2: sign2, s4: sign4}), lam)
                obs.append(Obligation(f"zero current at the matched lambda (s2={sign2}, s4={sign4}, {drift})",
                                      coeff.subs({s2: sign2, s4: sign4, lam: lam_match}), 0))
        return obs
    return derive


def _derivation_matched_hbar(ctx: Context):
    hb = ctx["madelung.equations"].fact["hbar_c_sq"]
    obs = []
    it = iter(ctx.step.statement)
    for drift in ("descent", "ascent"):
        rel = ctx["equilibrium.matching"].statement[2 if drift == "descent" else 3]
        for sign2, sign4 in SIGN_CASES:
            case = {s2: sign2, s4: sign4}
            lam_match = solve_linear(sp.Eq(rel.lhs, rel.rhs).subs(case), lam)
            obs.append(Obligation(f"hbar_c^2 (s2={sign2}, s4={sign4}, {drift})", hb.subs(case).subs(lam, lam_match),
                                  next(it).rhs))
    return obs


def _derivation_verbatim(ctx: Context):
    rel = ctx["equilibrium.matching"].statement[2]
    case = {s2: 1, s4: 1}
    lam_match = solve_linear(sp.Eq(rel.lhs, rel.rhs).subs(case), lam)
    hb = ctx["madelung.equations"].fact["hbar_c_sq"].subs(case).subs(lam, lam_match)
    lam_claim, hb_claim, hb_tq = ctx.step.statement
    return [Obligation("matched lambda", lam_match, lam_claim.rhs),
            Obligation("hbar_c^2 = -12 D^2/gamma^2", hb, hb_claim.rhs),
            Obligation("hbar_c^2 = -12 T_q^2 < 0", hb, hb_tq.rhs.subs(Tq, D / gamma))]


def _derivation_phase_constant(K):
    def derive(ctx: Context):
        q = coords(K)
        Fs = field(F, q, time=False)
        P, Fq, Sq = field(p, q), field(F, q), field(S, q)
        mad = ctx["madelung.equations"]
        c = mad.fact["c"]
        (shift,) = mad.given  # F = S + c log p
        S_shift = solve_linear(sp.Eq(shift.lhs, shift.rhs), Sq).subs(Fq, Fs)  # S = F - c log p
        rel = ctx["equilibrium.matching"].statement[2]
        S_def, dS, S_val = ctx.step.statement[0], ctx.step.statement[1:1 + K], ctx.step.statement[1 + K]
        S_claim = S_def.rhs.subs(Tq, D / gamma)
        pe = _p_eq(ctx, q, "descent") / _Zq
        # a pointwise algebraic identity: the values of p > 0 and F stand in for the fields
        pointwise = {P: sp.Dummy("p", positive=True), Fs: sp.Dummy("F", real=True)}
        obs = []
        for sign2, sign4 in SIGN_CASES:
            case = {s2: sign2, s4: sign4}
            lam_match = solve_linear(sp.Eq(rel.lhs, rel.rhs).subs(case), lam)
            obs.append(Obligation(f"S = F - c log p at the matched point (s2={sign2}, s4={sign4})",
                                  S_shift.subs(c_shift, c.subs(case).subs(lam, lam_match)).xreplace(pointwise),
                                  S_claim.xreplace(pointwise)))
        # the claimed S at p = p_eq; log of the Gibbs law expanded (F real, Z_q > 0)
        S_eq = sp.expand_log(S_claim.subs(P, pe), force=True)
        for k in range(K):
            obs.append(Obligation(f"d_{k + 1} S = 0", sp.diff(S_eq, q[k]), dS[k].rhs))
        obs.append(Obligation("S = -T_q log Z_q", S_eq, S_val.rhs.subs(Tq, D / gamma)))
        return obs
    return derive


def _derivation_ground_state(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq, Vq, Fs = field(p, q), field(S, q), field(V, q), field(F, q, time=False)
        mad = ctx["madelung.equations"]
        case = {s2: -1, s4: 1, lam: gamma / (2 * D)}
        at = {m: mad.fact["m"].subs(case), hbar_c: sp.sqrt(mad.fact["hbar_c_sq"].subs(case))}
        V_claim, H_claim, hb_claim = ctx.step.statement
        pe = _p_eq(ctx, q, "descent")
        # stationary quantum HJ with S constant (equilibrium.phase-constant), solved for V at p = p_eq
        _, _, qhj_rel, _, _ = mad.statement
        qhj = (qhj_rel.lhs - qhj_rel.rhs).subs(at).subs(Sq, _S0).doit()
        V_derived = -qhj.subs(Vq, 0).subs(P, pe).doit()
        psi = sp.sqrt(pe)
        H_psi = (H_claim.lhs.subs({hbar: hb_claim.rhs.subs(Tq, D / gamma), Vq: V_claim.rhs})
                 .subs(sp.Function("psi")(*q), psi).doit())
        return [Obligation("V from the stationary quantum HJ", V_derived, V_claim.rhs.doit()),
                Obligation("H sqrt(p_eq) = 0", H_psi / psi, H_claim.rhs),
                Obligation("hbar = hbar_c at the matched point", at[hbar_c] ** 2, (hb_claim.rhs ** 2).subs(Tq, D / gamma))]
    return derive


def _derivation_witten(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq, Fs = field(p, q), field(F, q), field(F, q, time=False)
        fp = ctx["learning.fokker-planck"].statement[0].rhs
        V_eq = ctx["equilibrium.ground-state"].statement[0].rhs
        phi = _phi(*q)
        half = sp.exp(-gamma * Fs / (2 * D))  # sqrt(p_eq)
        # H_FP phi = -p_eq^(-1/2) L_FP(p_eq^(1/2) phi), L_FP the Fokker-Planck right-hand side
        L = fp.subs(Fq, Fs).subs(P, half * phi).doit()
        H_fp = -L / half
        claim = ctx.step.statement[0].rhs.subs(sp.Symbol("V"), V_eq)
        return [Obligation("(4D/gamma) H_FP phi = H phi", 4 * D / gamma * H_fp, claim.doit())]
    return derive


def _derivation_spectrum(K):
    def derive(ctx: Context):
        q = coords(K)
        Fs = field(F, q, time=False)
        ns = sp.symbols(f"n_1:{K + 1}", nonnegative=True)
        us = [sp.Function(f"u_{k + 1}", real=True)(q[k]) for k in range(K)]
        alpha2 = gamma * _a / (2 * D)
        # Hermite's equation in q: u'' = 2 alpha^2 q u' - 2 n alpha^2 u (u(q) = H_n(alpha q))
        hermite = {sp.Derivative(u, qk, 2): 2 * alpha2 * qk * sp.diff(u, qk) - 2 * n * alpha2 * u
                   for u, qk, n in zip(us, q, ns)}
        F_ou = _a * sum(qk**2 for qk in q) / 2
        V_eq = ctx["equilibrium.ground-state"].statement[0].rhs.subs(Fs, F_ou).doit()
        H_lhs = ctx["equilibrium.ground-state"].statement[1].lhs
        hb = ctx["equilibrium.ground-state"].statement[2].rhs.subs(Tq, D / gamma)
        product = sp.Mul(*us)
        psi_n = product * sp.exp(-alpha2 * sum(qk**2 for qk in q) / 2)
        Hpsi = H_lhs.subs({hbar: hb, field(V, q): V_eq}).subs(sp.Function("psi")(*q), psi_n).doit()
        E_derived = sp.expand((Hpsi / psi_n).subs(hermite))
        # relaxation of the OU Fokker-Planck equation: L_FP(p_eq u) = -r_n p_eq u
        fp = ctx["learning.fokker-planck"].statement[0].rhs
        pe = sp.exp(-gamma * F_ou / D)
        L = fp.subs(field(F, coords(K)), F_ou).subs(field(p, q), pe * product).doit()
        r_derived = sp.expand((-L / (pe * product)).subs(hermite))
        E_claim, r_claim, ratio = ctx.step.statement
        n_tot = sum(ns)
        return [Obligation("H psi_n = E_n psi_n", E_derived, E_claim.rhs.subs(sp.Symbol("n"), n_tot)),
                Obligation("L_FP(p_eq u_n) = -r_n p_eq u_n", r_derived, r_claim.rhs.subs(sp.Symbol("n"), n_tot)),
                Obligation("E_n/hbar = 2 r_n", E_derived / hb, ratio.rhs.subs(_r, r_derived))]
    return derive


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The learning-equilibrium steps for K trainable variables."""
    q = coords(K)
    P, Fs, Sq = field(p, q), field(F, q, time=False), field(S, q)
    Vsym = sp.Symbol("V")
    coeff = 2 * s4 * gamma + s2 * gamma**2 / (lam * D)
    coeff_ascent = 2 * s4 * gamma - s2 * gamma**2 / (lam * D)
    J1 = sp.Symbol("J_1^EL")
    matching = Step(
        label="equilibrium.matching",
        title="Matching the E-L stationary law to the SGD Gibbs law forces s4 lambda = -s2 gamma/(2D)",
        kind=Kind.CONDITIONAL, premises=("madelung.fp-reading", "learning.stationary"),
        statement=(sp.Eq(J1, coeff * P * sp.Derivative(Fs, q[0]), evaluate=False),
                   sp.Eq(J1, coeff_ascent * P * sp.Derivative(Fs, q[0]), evaluate=False),
                   sp.Eq(s4 * lam, -s2 * gamma / (2 * D), evaluate=False),
                   sp.Eq(s4 * lam, s2 * gamma / (2 * D), evaluate=False)),
        conditions=("p = p_eq, the Gibbs law exp(-gamma F/D) of learning.stationary (descent; exp(+gamma F/D) for "
                    "ascent, second and fourth lines)", "F time-independent at learning equilibrium"),
        source=_E1,
        transformation="insert p_eq in the current of the E-L equation read as Fokker-Planck; set it to zero",
        note="s2 = 0 admits no match (the E-L equation then has no diffusion).",
        variant=sign_variant("+1, -1", "+1, -1", "either", drift="descent (lines 1, 3) and ascent (lines 2, 4)"),
        derive=_derivation_matching(K),
    )
    table = []
    for drift in ("descent", "ascent"):
        sign = -1 if drift == "descent" else 1
        for sign2, sign4 in SIGN_CASES:
            # s4 lambda = sign s2 gamma/(2D): hbar_c^2 = (2 sign s2 - 1)/lambda^2 = (2 sign s2 - 1) 4 D^2/gamma^2
            table.append(sp.Eq(sp.Symbol(f"hbar_c^2_({sign2:+d},{sign4:+d},{drift})"),
                               (2 * sign * sign2 - 1) * 4 * D**2 / gamma**2, evaluate=False))
    matched_hbar = Step(
        label="equilibrium.matched-hbar",
        title="hbar_c^2 at the matched point: 4D^2/gamma^2 or -12D^2/gamma^2, by sign case and drift",
        kind=Kind.IDENTITY, premises=("equilibrium.matching", "madelung.equations"), statement=tuple(table),
        source=_E1, transformation="insert the matched lambda in hbar_c^2 of madelung.equations",
        note=("A positive hbar^2 at learning equilibrium needs s2 = -1 (descent) or s2 = +1 (ascent); then hbar_c = "
              "2D/gamma, the maximum of madelung.bound."),
        variant=sign_variant("+1, -1", "+1, -1", "matched", drift="descent and ascent"),
        derive=_derivation_matched_hbar,
    )
    verbatim = Step(
        label="equilibrium.verbatim-descent",
        title="Verbatim signs + descent drift at learning equilibrium: hbar^2 = -12 D^2/gamma^2 < 0 (Euclidean)",
        kind=Kind.IDENTITY, premises=("equilibrium.matching", "madelung.equations"),
        statement=(sp.Eq(lam, -gamma / (2 * D), evaluate=False),
                   sp.Eq(hbar_c**2, -12 * D**2 / gamma**2, evaluate=False),
                   sp.Eq(hbar_c**2, -12 * Tq**2, evaluate=False)),
        source=_E1,
        transformation="s2 = s4 = +1 in the matching relation and in hbar_c^2",
        note=("hbar_c^2 < 0: the Madelung pair is Euclidean (madelung.euclidean), not Schrodinger. The verbatim list "
              "is self-consistent only with the ascent drift (equilibrium.matched-hbar)."),
        variant=sign_variant("+1", "+1", "-", drift="descent"),
        derive=_derivation_verbatim,
    )
    phase_stmt = [sp.Eq(Sq, Fs + Tq * sp.log(P), evaluate=False)]
    phase_stmt += [sp.Eq(sp.Derivative(Sq, qk), 0, evaluate=False) for qk in q]
    phase_stmt.append(sp.Eq(Sq, -Tq * sp.log(_Zq), evaluate=False))
    phase = Step(
        label="equilibrium.phase-constant",
        title="At the matched point S = F + T_q log p_eq = -T_q log Z_q is constant in q",
        kind=Kind.CONDITIONAL, premises=("madelung.equations", "equilibrium.matching", "learning.stationary"),
        statement=tuple(phase_stmt),
        conditions=("matched point s4 lambda = -s2 gamma/(2D), s2 = +1 or -1 (descent)",
                    "p = p_eq = exp(-gamma F/D)/Z_q"),
        source=_E5,
        transformation="c = s2/(2 s4 lambda) = -T_q at the match in every sign case; insert p_eq in S = F - c log p",
        note=("Only the winding sector n = 0 exists at learning equilibrium (referee.md G2); 'phase = free energy' "
              "holds only up to the osmotic term T_q log p, which cancels the whole q-dependence of F."),
        variant=sign_variant("+1, -1", "+1, -1", "matched", drift="descent"),
        derive=_derivation_phase_constant(K),
    )
    psi = sp.Function("psi")(*q)
    ground = Step(
        label="equilibrium.ground-state",
        title="psi = sqrt(p_eq) is the zero-energy ground state of H = -hbar^2 gamma d^2 + V, V = gamma|dF|^2 - 2D d^2F",
        kind=Kind.CONDITIONAL, premises=("madelung.equations", "equilibrium.phase-constant", "learning.stationary"),
        statement=(sp.Eq(field(V, q), gamma * grad_sq(Fs, q) - 2 * D * laplacian(Fs, q), evaluate=False),
                   sp.Eq(-hbar**2 * gamma * laplacian(psi, q) + field(V, q) * psi, 0, evaluate=False),
                   sp.Eq(hbar, 2 * Tq, evaluate=False)),
        conditions=("matched point s2 = -1, s4 = +1, lambda = gamma/(2D), descent (hbar_c = 2D/gamma)",
                    "S constant (equilibrium.phase-constant); p_eq normalisable",
                    "ground state: psi > 0 is nodeless, so it is the lowest eigenfunction (Perron-Frobenius)"),
        source=_E5,
        transformation="stationary quantum HJ with grad S = 0 solved for V at p = p_eq; then H sqrt(p_eq) = 0",
        note="V is not an independent potential: it is fixed by F (referee.md E5(c)).",
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_ground_state(K),
    )
    phi = _phi(*q)
    witten = Step(
        label="equilibrium.witten",
        title="H = (4D/gamma) x the symmetrised Fokker-Planck operator (Witten Laplacian)",
        kind=Kind.IDENTITY, premises=("learning.fokker-planck", "equilibrium.ground-state"),
        statement=(sp.Eq(sp.Symbol("(4D/gamma) H_FP phi"), -4 * D**2 / gamma * laplacian(phi, q) + Vsym * phi,
                         evaluate=False),),
        source=_E5,
        transformation="H_FP phi = -p_eq^(-1/2) L_FP(p_eq^(1/2) phi), L_FP the SGD Fokker-Planck operator",
        note=("hbar^2 gamma = 4 D^2/gamma at hbar = 2D/gamma. The equilibrium Schrodinger equation is the imaginary-time "
              "(ground-state) transform of the learning dynamics (referee.md E5(b))."),
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_witten(K),
    )
    nsym = sp.Symbol("n")
    spectrum = Step(
        label="equilibrium.spectrum",
        title="E_n/hbar = 2 r_n: the spectrum of H is twice the Fokker-Planck relaxation rates (exact, OU case)",
        kind=Kind.CONDITIONAL, premises=("equilibrium.ground-state", "learning.fokker-planck"),
        statement=(sp.Eq(_E, 4 * D * _a * nsym, evaluate=False),
                   sp.Eq(_r, gamma * _a * nsym, evaluate=False),
                   sp.Eq(_E / hbar, 2 * _r, evaluate=False)),
        conditions=("Ornstein-Uhlenbeck case F = a |q|^2 / 2, a > 0; n = n_1 + ... + n_K",
                    "eigenfunctions u_1(q_1)...u_K(q_K) times the Gaussian, u_k Hermite polynomials "
                    "(u'' = 2 alpha^2 q u' - 2 n alpha^2 u, alpha^2 = gamma a/(2D)); n_k symbolic"),
        source=_E5,
        transformation="apply H and the FP operator to the Hermite eigenfunctions; reduce with Hermite's equation",
        note=("For general F, H = (4D/gamma) H_FP (equilibrium.witten) gives E_n = (4D/gamma) r_n = 2 hbar r_n. The "
              "real-time oscillations at frequency 2 gamma a never occur in learning: the SGD ensemble relaxes at "
              "rate gamma a."),
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_spectrum(K),
    )
    return (matching, matched_hbar, verbatim, phase, ground, witten, spectrum)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("equilibrium")
