r"""The learning-equilibrium map: matching the action to the SGD Gibbs law, and what it implies.

The package's own reconstruction (cited as KV2021 §2, learning equilibrium).  The Euler–Lagrange F-equation, read as a Fokker–Planck equation
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
['equilibrium.matching', 'equilibrium.matched-planck']

Run ``python -m derive.equilibrium`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.action import SIGN_CASES, grad_sq, laplacian, s2, s4, sign_variant
from derive.algebra import solve_linear
from derive.chain_rule import derivative, doit  # derivatives carried out by the chain rule (derive.chain_rule)
from derive.madelung import c_shift, hbar_c
from derive.proof import Condition, Realise, Show
from derive.records import read_witten, witten_sentence
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, S, Tq, V, coords, field, gamma, hbar, lam, m, p, t

__all__ = ["steps", "matched_lambda"]

_Zq = sp.Symbol("Z_q", positive=True)  # normalisation of the stationary law
_a = sp.Symbol("a", positive=True)  # curvature of the OU free energy F = a|q|²/2
_phi = sp.Function("phi", real=True)  # a test function for the operator identity
_E = sp.Symbol("E_n", real=True)
_r = sp.Symbol("r_n", real=True)
_S0 = sp.Symbol("S_0", real=True)

_E5 = Source("KV2021", "§2 (learning equilibrium; recap of 2004.09280 and 2008.01540)", "", Provenance.RECONSTRUCTED,
             "the package's own reconstruction: the ground state and spectrum of the equilibrium Schrodinger "
             "operator are not in the paper; they follow from equilibrium.matching")
_E1 = Source("KV2021", "§2 (learning equilibrium; recap of 2004.09280 and 2008.01540)", "", Provenance.RECONSTRUCTED,
             "the package's own reconstruction: matching the action's stationary law (madelung.fp-reading) to "
             "the SGD Gibbs law (learning.stationary) is not in the paper")


def matched_lambda(sign2: int, sign4: int, drift: str = "descent") -> sp.Expr:
    """λ that makes the E-L stationary law the SGD Gibbs law: s₄λ = ∓s₂γ/(2D) (descent: −)."""
    sign = -1 if drift == "descent" else 1
    return sign * sign2 * gamma / (2 * sign4 * D)


def _static(expr: sp.Expr, q) -> sp.Expr:
    """F(q, t) → F(q): at learning equilibrium F is the time-independent free energy."""
    return expr.subs(field(F, q), field(F, q, time=False))


def _p_eq(ctx: Context, q, drift: str) -> sp.Expr:
    """The Gibbs law of learning.stationary (descent); the ascent law is the descent law for −F."""
    view = ctx["learning.stationary"]
    # the displayed p_eq = exp(-F/T_q), with the premise's own definitions (T_q = D/gamma) substituted
    rules = view.rules()
    shown = [k for k in rules if getattr(k, "name", None) == "p_eq" or getattr(k, "func", None).__name__ == "p_eq"]
    pe = _static(Realise(rules)(shown[0]) if shown else view.fact["p_eq"], q)
    return pe if drift == "descent" else pe.subs(field(F, q, time=False), -field(F, q, time=False))


# ---------------------------------------------------------------- derivations

def _current(ctx: Context, q, drift: str) -> sp.Expr:
    """J_1 of the E-L equation read as Fokker-Planck (madelung.fp-reading), J_1 = p b_1 - D_EL d_1 p, at p_eq."""
    P = field(p, q)
    fact = ctx["madelung.fp-reading"].fact
    pe = _p_eq(ctx, q, drift)
    return (_static(fact["drift"][0], q) * P - fact["diffusion"] * sp.Derivative(P, q[0])).subs(P, pe).doit()


def _derivation_matching(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fs = field(p, q), field(F, q, time=False)
        shows = []
        for i, drift in enumerate(("descent", "ascent")):
            J = _current(ctx, q, drift)
            pe = _p_eq(ctx, q, drift)
            # line i: the current at p = p_eq (F static); J1 is the name of that current
            shows.append(Show(i, {sp.Symbol("J_1^EL"): J, P: pe, field(F, q): Fs}, name=f"J_1 at p_eq ({drift})"))
            # line 2 + i: zero current J(p_eq) = 0 is the constraint; s4 lambda -/+ s2 gamma/(2D) = lambda J/(2 gamma p_eq d_1 F)
            shows.append(Show(2 + i, {}, modulo=((lam / (2 * gamma * pe * sp.Derivative(Fs, q[0])), J),),
                              name=f"zero current at p_eq ({drift})"))
        return shows
    return derive


def _lam_matched(ctx: Context, drift: str, case: dict) -> sp.Expr:
    """lambda solved from the matching relation of equilibrium.matching (descent: line 3, ascent: line 4)."""
    rel = ctx["equilibrium.matching"].statement[2 if drift == "descent" else 3]
    return solve_linear(sp.Eq(rel.lhs, rel.rhs).subs(case), lam)


def _Tq_def(ctx: Context) -> sp.Eq:
    """T_q = D/gamma, the definition learning.stationary displays (matched by name)."""
    return next(g for g in ctx["learning.stationary"].given if getattr(g.lhs, "name", None) == Tq.name)


def _case_name(sign2: int, sign4: int, drift: str) -> sp.Symbol:
    """The displayed name of hbar_c^2 in one sign case and drift (equilibrium.matched-planck)."""
    return sp.Symbol(f"hbar_c^2_({sign2:+d},{sign4:+d},{drift})")


def _hbar_sq(ctx: Context) -> sp.Expr:
    """hbar_c^2 as madelung.equations displays it."""
    return ctx["madelung.equations"].rules()[hbar_c**2]


def _derivation_matched_hbar(ctx: Context):
    hb = _hbar_sq(ctx)
    shows = []
    i = 0
    for drift in ("descent", "ascent"):
        for sign2, sign4 in SIGN_CASES:
            case = {s2: sign2, s4: sign4}
            shows.append(Show(i, {_case_name(sign2, sign4, drift): hb.subs(case).subs(lam, _lam_matched(ctx, drift, case))}))
            i += 1
    return shows


def _derivation_verbatim(ctx: Context):
    case = {s2: 1, s4: 1}
    lam_match = _lam_matched(ctx, "descent", case)
    hb = _hbar_sq(ctx).subs(case).subs(lam, lam_match)
    R = {lam: lam_match, hbar_c**2: hb}
    return [Show(0, R), Show(1, R), Show(2, R), Show("fact:hbar_c_sq", R, quantity=hbar_c**2)]


def _derivation_phase_constant(K):
    def derive(ctx: Context):
        q = coords(K)
        Fs = field(F, q, time=False)
        P, Fq, Sq = field(p, q), field(F, q), field(S, q)
        mad = ctx["madelung.equations"]
        c_rel = mad.statement[0]  # c = s2/(2 s4 lambda)
        rules = mad.rules()  # the shift F = S + c log p (given), displayed solved for S = F - c log p
        S_shift = (rules[Sq] if Sq in rules else solve_linear(sp.Eq(Fq, rules[Fq]), Sq)).subs(Fq, Fs)
        Tq_def = _Tq_def(ctx)  # T_q = D/gamma
        base = {Sq: S_shift, c_rel.lhs: c_rel.rhs, lam: _lam_matched(ctx, "descent", {}), Tq: Tq_def.rhs, Tq_def.lhs: Tq_def.rhs}
        pe = _p_eq(ctx, q, "descent") / _Zq
        # at p = p_eq/Z_q: log of the Gibbs law expanded (a witnessed rewrite)
        at_eq = {**base, sp.log(P): ctx.rewrite(sp.log(pe), "expand_log", "log(p_eq/Z_q) expanded"), P: pe}
        # the first Show realises the conditions (matched lambda; p = p_eq/Z_q)
        return [Show(i, at_eq) for i in range(1, K + 2)] + [Show(0, base)]
    return derive


def _derivation_ground_state(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq, Vq = field(p, q), field(S, q), field(V, q)
        mad = ctx["madelung.equations"]
        rules = mad.rules()
        case = {s2: -1, s4: 1, lam: gamma / (2 * D)}
        at = {m: rules[m].subs(case), hbar_c: sp.sqrt(rules[hbar_c**2].subs(case))}
        pe = _p_eq(ctx, q, "descent")
        S_const = ctx["equilibrium.phase-constant"].statement[-1]  # S = -T_q log Z_q, constant
        Tq_def = _Tq_def(ctx)
        qhj_rel = mad.statement[2]  # the stationary quantum HJ, solved for V at p = p_eq with S constant
        qhj = doit((qhj_rel.lhs - qhj_rel.rhs).subs(at).subs(S_const.lhs, S_const.rhs).subs(P, pe))
        V_eq = solve_linear(sp.Eq(qhj, 0), Vq)
        R = {Vq: V_eq, sp.Function("psi")(*q): sp.sqrt(pe), hbar: at[hbar_c], Tq: Tq_def.rhs, Tq_def.lhs: Tq_def.rhs,
             Sq: S_const.rhs, s2: case[s2], s4: case[s4], lam: case[lam]}
        return [Show(0, R), Show(1, R), Show(2, R)]
    return derive


def _derivation_witten(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq, Fs = field(p, q), field(F, q), field(F, q, time=False)
        fp = ctx["learning.fokker-planck"].statement[0].rhs
        V_eq = ctx["equilibrium.ground-state"].statement[0].rhs
        phi = _phi(*q)
        half = sp.sqrt(_p_eq(ctx, q, "descent"))  # sqrt(p_eq)
        # H_FP phi = -p_eq^(-1/2) L_FP(p_eq^(1/2) phi), L_FP the Fokker-Planck right-hand side
        L = doit(fp.subs(Fq, Fs).subs(P, half * phi))
        return [Show(0, {sp.Symbol("(4D/gamma) H_FP phi"): 4 * D / gamma * (-L / half), sp.Symbol("V"): V_eq})]
    return derive


def _derivation_spectrum(K):
    def derive(ctx: Context):
        q = coords(K)
        Fs = field(F, q, time=False)
        ns = sp.symbols(f"n_1:{K + 1}", nonnegative=True)
        us = [sp.Function(f"u_{k + 1}", real=True)(q[k]) for k in range(K)]
        alpha2 = gamma * _a / (2 * D)
        # Hermite's equation in q: u'' = 2 alpha^2 q u' - 2 n alpha^2 u (u(q) = H_n(alpha q)), imposed
        hermite = {sp.Derivative(u, qk, 2): 2 * alpha2 * qk * derivative(u, qk) - 2 * n * alpha2 * u
                   for u, qk, n in zip(us, q, ns)}
        F_ou = _a * sum(qk**2 for qk in q) / 2
        gs = ctx["equilibrium.ground-state"]
        V_eq = gs.statement[0].rhs.subs(Fs, F_ou).doit()
        H_lhs = gs.statement[1].lhs
        hb_rel = gs.statement[2]  # hbar = 2 T_q
        Tq_def = _Tq_def(ctx)
        hb = hb_rel.rhs.subs(Tq, Tq_def.rhs).subs(Tq_def.lhs, Tq_def.rhs)
        product = sp.Mul(*us)
        psi_n = product * sp.exp(-alpha2 * sum(qk**2 for qk in q) / 2)
        Hpsi = doit(H_lhs.subs({hbar: hb, field(V, q): V_eq}).subs(sp.Function("psi")(*q), psi_n))
        E_derived = sp.expand((Hpsi / psi_n).subs(hermite))
        # relaxation of the OU Fokker-Planck equation: L_FP(p_eq u) = -r_n p_eq u
        fp = ctx["learning.fokker-planck"].statement[0].rhs
        pe = sp.exp(-gamma * F_ou / D)
        L = doit(fp.subs(field(F, q), F_ou).subs(field(p, q), pe * product))
        r_derived = sp.expand((-L / (pe * product)).subs(hermite))
        R = {_E: E_derived, _r: r_derived, sp.Symbol("n"): sum(ns), hb_rel.lhs: hb, Fs: F_ou, **hermite}
        return [Show(0, R), Show(1, R), Show(2, R)]
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
        conditions=(Condition("p = p_eq = exp(-gamma F/D), the Gibbs law of learning.stationary (descent, lines 1 and 3; "
                              "exp(+gamma F/D) for ascent, lines 2 and 4)",
                              imposed=sp.Eq(P, sp.exp(-gamma * Fs / D), evaluate=False)),
                    Condition("F time-independent at learning equilibrium",
                              imposed=sp.Eq(sp.Derivative(field(F, q), t), 0, evaluate=False))),
        source=_E1,
        transformation=("insert p_eq in the current of the E-L equation read as Fokker-Planck (lines 1, 2); the zero "
                        "current J_1 = 0 gives lines 3, 4: s4 lambda -/+ s2 gamma/(2D) = lambda J_1/(2 gamma p_eq d_1 F)"),
        note="s2 = 0 admits no match (the E-L equation then has no diffusion).",
        variant=sign_variant("+1, -1", "+1, -1", "either", drift="descent (lines 1, 3) and ascent (lines 2, 4)"),
        derive=_derivation_matching(K),
    )
    table = []
    for drift in ("descent", "ascent"):
        sign = -1 if drift == "descent" else 1
        for sign2, sign4 in SIGN_CASES:
            # s4 lambda = sign s2 gamma/(2D): hbar_c^2 = (2 sign s2 - 1)/lambda^2 = (2 sign s2 - 1) 4 D^2/gamma^2
            table.append(sp.Eq(_case_name(sign2, sign4, drift),
                               (2 * sign * sign2 - 1) * 4 * D**2 / gamma**2, evaluate=False))
    matched_hbar = Step(
        label="equilibrium.matched-planck",
        title="ħ_c^2 at the matched point: 4D^2/gamma^2 or -12D^2/gamma^2, by sign case and drift",
        kind=Kind.IDENTITY, premises=("equilibrium.matching", "madelung.equations"), statement=tuple(table),
        source=_E1, transformation="insert the matched lambda in ħ_c^2 of madelung.equations",
        note=("A positive ħ^2 at learning equilibrium needs s2 = -1 (descent) or s2 = +1 (ascent); then ħ_c = "
              "2D/gamma, the maximum of madelung.bound."),
        variant=sign_variant("+1, -1", "+1, -1", "matched", drift="descent and ascent"),
        derive=_derivation_matched_hbar,
    )
    verbatim = Step(
        label="equilibrium.verbatim-descent",
        title="Verbatim signs + descent drift at learning equilibrium: ħ^2 = -12 D^2/gamma^2 < 0 (Euclidean)",
        kind=Kind.IDENTITY, premises=("equilibrium.matching", "madelung.equations"),
        given=(sp.Eq(Tq, D / gamma, evaluate=False),),
        statement=(sp.Eq(lam, -gamma / (2 * D), evaluate=False),
                   sp.Eq(hbar_c**2, -12 * D**2 / gamma**2, evaluate=False),
                   sp.Eq(hbar_c**2, -12 * Tq**2, evaluate=False)),
        facts=(("hbar_c_sq", -12 * D**2 / gamma**2),),
        source=_E1,
        transformation="s2 = s4 = +1 in the matching relation and in ħ_c^2",
        note=("ħ_c^2 < 0: the Madelung pair is Euclidean (madelung.euclidean), not Schrödinger. The verbatim list "
              "is self-consistent only with the ascent drift (equilibrium.matched-planck)."),
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
        conditions=(Condition("matched point s4 lambda = -s2 gamma/(2D) (equilibrium.matching, descent), any s2, s4",
                              imposed=sp.Eq(s4 * lam, -s2 * gamma / (2 * D), evaluate=False)),
                    Condition("p = p_eq = exp(-gamma F/D)/Z_q, the Gibbs law of learning.stationary (lines 2 to "
                              f"{K + 2}; line 1 holds for any p > 0)",
                              imposed=sp.Eq(P, sp.exp(-gamma * Fs / D) / _Zq, evaluate=False))),
        source=_E5,
        transformation=("c = s2/(2 s4 lambda) = -T_q at the match (s2, s4 symbolic: every sign case); insert p_eq in "
                        "S = F - c log p, log p_eq expanded (a witnessed rewrite)"),
        note=("Only the winding sector n = 0 exists at learning equilibrium (multivalued.postulate); 'phase = free energy' "
              "holds only up to the osmotic term T_q log p, which cancels the whole q-dependence of F."),
        variant=sign_variant("+1, -1", "+1, -1", "matched", drift="descent"),
        derive=_derivation_phase_constant(K),
    )
    psi = sp.Function("psi")(*q)
    ground = Step(
        label="equilibrium.ground-state",
        title="ψ = √p_eq is the zero-energy ground state of H = -ħ^2 gamma d^2 + V, V = gamma|dF|^2 - 2D d^2F",
        kind=Kind.CONDITIONAL, premises=("madelung.equations", "equilibrium.phase-constant", "learning.stationary"),
        statement=(sp.Eq(field(V, q), gamma * grad_sq(Fs, q) - 2 * D * laplacian(Fs, q), evaluate=False),
                   sp.Eq(-hbar**2 * gamma * laplacian(psi, q) + field(V, q) * psi, 0, evaluate=False),
                   sp.Eq(hbar, 2 * Tq, evaluate=False)),
        conditions=(Condition("matched point s2 = -1 (descent)", case=("s2", "-1")),
                    Condition("matched point s4 = +1", case=("s4", "+1")),
                    Condition("matched point lambda = gamma/(2D): ħ = ħ_c = 2D/gamma",
                              imposed=sp.Eq(lam, gamma / (2 * D), evaluate=False)),
                    Condition("S = -T_q log Z_q constant (equilibrium.phase-constant)",
                              imposed=sp.Eq(Sq, -Tq * sp.log(_Zq), evaluate=False))),
        assumptions=("p_eq normalisable (Z_q finite)",
                     "'ground state': ψ = √p_eq > 0 is nodeless, so it is the lowest eigenfunction "
                     "(Perron-Frobenius); this reading is not checked, the zero eigenvalue is (line 2)"),
        source=_E5,
        transformation="stationary quantum HJ with grad S = 0 solved for V at p = p_eq; then H √p_eq = 0",
        note="V is not an independent potential: it is fixed by F .",
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_ground_state(K),
    )
    phi = _phi(*q)
    witten = Step(
        label="equilibrium.witten",
        title="H = (4D/gamma) x the symmetrised Fokker-Planck operator (Witten Laplacian)",
        kind=Kind.IDENTITY, premises=("learning.fokker-planck", "equilibrium.ground-state", "learning.stationary"),
        statement=(sp.Eq(sp.Symbol("(4D/gamma) H_FP phi"), -4 * D**2 / gamma * laplacian(phi, q) + Vsym * phi,
                         evaluate=False),),
        source=_E5,
        transformation="H_FP phi = -p_eq^(-1/2) L_FP(p_eq^(1/2) phi), L_FP the SGD Fokker-Planck operator",
        note=("ħ^2 gamma = 4 D^2/gamma at ħ = 2D/gamma. The equilibrium Schrödinger equation is the imaginary-time "
              "(ground-state) transform of the learning dynamics."),
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_witten(K),
    )
    nsym = sp.Symbol("n")
    ns = sp.symbols(f"n_1:{K + 1}", nonnegative=True)
    us = [sp.Function(f"u_{k + 1}", real=True)(q[k]) for k in range(K)]
    alpha2 = gamma * _a / (2 * D)
    spectrum = Step(
        label="equilibrium.spectrum",
        title="E_n/ħ = 2 r_n: the spectrum of H is twice the Fokker-Planck relaxation rates (exact, OU case)",
        kind=Kind.CONDITIONAL, premises=("equilibrium.ground-state", "learning.fokker-planck", "learning.stationary"),
        statement=(sp.Eq(_E, 4 * D * _a * nsym, evaluate=False),
                   sp.Eq(_r, gamma * _a * nsym, evaluate=False),
                   sp.Eq(_E / hbar, 2 * _r, evaluate=False)),
        conditions=(Condition("Ornstein-Uhlenbeck case F = a |q|^2 / 2, a > 0",
                              imposed=sp.Eq(Fs, _a * sum(qk**2 for qk in q) / 2, evaluate=False)),
                    Condition("n = n_1 + ... + n_K (n_k symbolic)", imposed=sp.Eq(nsym, sum(ns), evaluate=False)))
        + tuple(Condition(f"u_{k + 1}(q_{k + 1}) solves Hermite's equation u'' = 2 alpha^2 q u' - 2 n_{k + 1} alpha^2 u, "
                          "alpha^2 = gamma a/(2D) (eigenfunctions u_1(q_1)...u_K(q_K) times the Gaussian)",
                          imposed=sp.Eq(sp.Derivative(us[k], q[k], 2),
                                        2 * alpha2 * q[k] * sp.Derivative(us[k], q[k]) - 2 * ns[k] * alpha2 * us[k],
                                        evaluate=False))
                for k in range(K)),
        source=_E5,
        transformation="apply H and the FP operator to the Hermite eigenfunctions; reduce with Hermite's equation",
        note=("For general F, H = (4D/gamma) H_FP (equilibrium.witten) gives E_n = (4D/gamma) r_n = 2 ħ r_n. The "
              "real-time oscillations at frequency 2 gamma a never occur in learning: the SGD ensemble relaxes at "
              "rate gamma a. " + witten_sentence(read_witten())),
        variant=sign_variant("-1", "+1", "+ (gamma/2D)", drift="descent"),
        derive=_derivation_spectrum(K),
    )
    return (matching, matched_hbar, verbatim, phase, ground, witten, spectrum)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("equilibrium")
