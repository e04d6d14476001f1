r"""Madelung equations with the free energy as phase: the shift, m, ħ_c, every sign case and reading.

From the Euler–Lagrange equations of ``el.equations`` (V2020b §5, recapped in KV2021 §2; the signs
are the package's own reconstruction, ``madelung.sign-cases``):

* the shift :math:`F = S + c\log p`, :math:`c = s_2/(2s_4\lambda)`, removes the diffusion term of the
  F-equation, which becomes the continuity equation :math:`\partial_tp + \partial_k(p\,\partial_kS/m) = 0`
  with :math:`m = 1/(2s_4\gamma)` (= s₄/(2γ) for s₄ = ±1);
* the p-equation becomes the quantum Hamilton–Jacobi equation
  :math:`\partial_tS + (\partial_kS)^2/2m + V - (\hbar_c^2/2m)\,\partial_k^2\sqrt p/\sqrt p = 0` with
  :math:`\hbar_c^2 = (4Ds_4\lambda - s_2^2\gamma)/(s_4^2\gamma\lambda^2)` (= (4Ds₄λ − γ)/(γλ²) for s₂, s₄ = ±1);
* ħ_c² > 0 is a stated condition; when it fails the pair is a Euclidean (diffusive) system
  (``madelung.euclidean``, :func:`regime`);
* read as a Fokker–Planck equation the F-equation has drift 2s₄γ∂F and diffusion s₂γ/λ: it is not the
  SGD Fokker–Planck equation (``madelung.not-sgd``); at λ = γ/2D it is ∓2 × it (``madelung.fp-factor-two``);
* ħ_c² ≤ (2D/γ)² = (2T_q)² with equality at λ* = s₄γ/2D; ħ_c = 0 at s₄γ/4D (``madelung.bound``);
  λ → ∞ is the classical (Hamilton–Jacobi) limit with F as Hamilton's principal function.

**Sign cases.**  ``madelung.equations`` holds for symbolic s₂ and s₄; its facts ``m``, ``hbar_c_sq``,
``c`` are SymPy expressions in s₂, s₄, λ, γ, D valid for every real s₂ and nonzero s₄ (``m_general``,
``hbar_c_sq_general`` are the same expressions, kept under their old names); the displayed m = s₄/(2γ)
and ħ_c² = (4Ds₄λ − s₂²γ)/(γλ²) are their values at s₄ = ±1 (the sign case).  ``madelung.sign-cases``
tabulates the four cases, ``madelung.no-item-2`` the reading s₂ = 0 and ``madelung.nelson`` the
Fokker–Planck-only route.

:func:`regime`, :func:`m_of` and :func:`hbar_c_sq_of` compute from the facts of ``madelung.equations``
(which the verifier ties to its display), so a fault in them is a fault of a verified step.

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
from sympy.core.function import AppliedUndef

from derive.action import SIGN_CASES, divergence, grad_sq, laplacian, s2, s4, sign_variant
from derive.algebra import solve_linear, solve_zero
from derive.chain_rule import derivative, doit  # derivatives carried out by the chain rule (derive.chain_rule)
from derive.errors import InputError
from derive.notation import Avg, Named
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, S, Tq, V, coords, field, gamma, hbar, lam, m, p, t

__all__ = ["steps", "hbar_c", "c_shift", "regime", "REGIMES", "quantum_potential", "m_of", "hbar_c_sq_of"]

#: the coefficient of the quantum potential of the Madelung pair (ħ_c² may be negative)
hbar_c = sp.Symbol("hbar_c")
#: the coefficient of the shift F = S + c log p
c_shift = sp.Symbol("c", real=True)
_kappa = sp.Symbol("kappa", real=True, nonzero=True)  # ħ_c² = −κ² in the Euclidean regime (either sign: φ̄)
_phi = sp.Function("phi", positive=True)
_phibar = sp.Function("phibar", positive=True)
_psi = sp.Function("psi")
REGIMES = ("Schrodinger", "Hamilton-Jacobi", "Euclidean")

_OWN = "the package's own reconstruction (the paper's body text could not be obtained)"
_STEP7 = Source("V2020b", "§5 (recapped in KV2021 §2)", "(5.1)-(5.6)", Provenance.RECONSTRUCTED,
                "the shift and the signs s2, s4 of the action's items (2), (4): " + _OWN)


def _equations_fact(name: str) -> sp.Expr:
    return {s.label: s for s in steps()}["madelung.equations"].fact[name]


def m_of(sign4: sp.Expr = s4) -> sp.Expr:
    """m = 1/(2s₄γ) (= s₄/(2γ) for s₄ = ±1): the fact ``m`` of ``madelung.equations``."""
    return _equations_fact("m").subs(s4, sign4)


def hbar_c_sq_of(sign2: sp.Expr = s2, sign4: sp.Expr = s4, multiplier: sp.Expr = lam) -> sp.Expr:
    """ħ_c² = (4D s₄ λ − s₂² γ)/(s₄² γ λ²): the fact ``hbar_c_sq`` of ``madelung.equations``."""
    return _equations_fact("hbar_c_sq").subs({s2: sign2, s4: sign4, lam: multiplier}, simultaneous=True)


def regime(s2: int, s4: int, lam: float, gamma: float, D: float) -> str:
    """Which system the Madelung pair is: 'Schrodinger' (ħ_c² > 0), 'Hamilton-Jacobi' (ħ_c = 0),
    or 'Euclidean' (ħ_c² < 0: a diffusive pair of real heat equations, madelung.euclidean).

    ħ_c² is the fact ``hbar_c_sq`` of ``madelung.equations`` evaluated at the arguments."""
    if s2 not in (-1, 0, 1):
        raise InputError(f"s2 must be +1, -1 or 0, got {s2!r}")
    if s4 not in (-1, 1):
        raise InputError(f"s4 must be +1 or -1, got {s4!r}")
    if lam == 0:
        raise InputError("the multiplier lambda must be nonzero")
    if not (gamma > 0 and D > 0):
        raise InputError(f"gamma and D must be positive, got gamma={gamma!r}, D={D!r}")
    value = _hbar_c_sq_numeric()(s2, s4, lam, gamma, D)
    scale = 4 * D / (gamma * abs(lam))
    if abs(value) <= 1e-12 * scale:
        return "Hamilton-Jacobi"
    return "Schrodinger" if value > 0 else "Euclidean"


@cache
def _hbar_c_sq_numeric():
    """The fact ``hbar_c_sq`` of ``madelung.equations`` as a float function of (s2, s4, lambda, gamma, D)."""
    from derive.symbols import D as D_, gamma as gamma_, lam as lam_

    return sp.lambdify((s2, s4, lam_, gamma_, D_), _equations_fact("hbar_c_sq"), modules="math")


def quantum_potential(P: sp.Expr, q: tuple[sp.Symbol, ...]) -> sp.Expr:
    r""":math:`\partial_k^2\sqrt p/\sqrt p` (unevaluated)."""
    return laplacian(sp.sqrt(P), q) / sp.sqrt(P)


def _madelung_pair(ctx: Context) -> tuple[sp.Expr, sp.Expr]:
    """Continuity and quantum HJ of ``madelung.equations`` as expressions that vanish (symbols m, ħ_c)."""
    mad = ctx["madelung.equations"]
    return mad.residual(1), mad.residual(2)


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
    return doit(sp.Add(*out))


def _eliminate_dt(expr: sp.Expr, rates: dict, time: sp.Symbol) -> sp.Expr:
    """Replace every derivative of a field in ``rates`` that contains one d/dt by the derivative of its rate."""
    sub = {}
    for d in expr.atoms(sp.Derivative):
        if d.expr in rates:
            counts = dict(d.variable_count)
            if counts.get(time, 0) == 1:
                rest = [v for v, c in d.variable_count if v != time for _ in range(c)]
                out = rates[d.expr]
                for v in rest:
                    out = derivative(out, v)
                sub[d] = out
            elif counts.get(time, 0) > 1:
                raise ValueError(f"second time derivative {d}")
    return expr.xreplace(sub)


# ---------------------------------------------------------------- derivations

def _derivation_quantum_potential(K):
    def derive(ctx: Context):
        # both sides as displayed: d^2 sqrt p / sqrt p against the log-derivative form (differentiation only)
        return [Show(0)]
    return derive


def _shifted(ctx: Context, K: int) -> dict:
    """What the shift F = S + c log p (the step's given) does to the Euler–Lagrange expressions of
    ``el.equations``: c chosen so that the diffusion term of δS/δF cancels, then the coefficients that
    make δS/δF a multiple of the continuity equation (1/m) and δS/δp, with ∂ₜp eliminated, a multiple
    of the quantum HJ equation (ħ_c²/m)."""
    q = coords(K)
    P, Sq = field(p, q), field(S, q)
    EF, Ep = (r.rhs for r in ctx["el.equations"].statement)  # the two E-L expressions (= 0)
    (shift,) = ctx.step.given  # F = S + c log p
    to_S = {shift.lhs: shift.rhs}
    EF_c = sp.expand(doit(EF.xreplace(to_S)))
    c_val = solve_zero(EF_c.coeff(sp.Derivative(P, (q[0], 2))), c_shift)  # no diffusion term left
    at_c = {shift.lhs: shift.rhs.xreplace({c_shift: c_val})}
    EF_S, Ep_S = EF.xreplace(at_c), Ep.xreplace(at_c)  # the E-L expressions in S and p
    EF_d, Ep_d = sp.expand(doit(EF_S)), sp.expand(doit(Ep_S) / lam)
    cont_form = sp.expand(EF_d / (-lam))  # = d_t p + (1/m) d_k(p d_k S)
    m_val = 1 / cont_form.coeff(P * sp.Derivative(Sq, (q[0], 2)))
    pt = solve_zero(EF_d, sp.Derivative(P, t))
    qhj_form = sp.expand(Ep_d.xreplace({sp.Derivative(P, t): pt}))
    # the quantum potential -(hbar_c^2/2m) d^2 sqrt p/sqrt p contributes -(hbar_c^2/(4 m p)) d_1^2 p
    hb_val = sp.expand(-4 * m_val * P * qhj_form.coeff(sp.Derivative(P, (q[0], 2))))
    # eliminating d_t p in delta S/delta p = adding k x delta S/delta F with k = (coefficient of d_t p)
    k_dt = -Ep_d.coeff(sp.Derivative(P, t)) / EF_d.coeff(sp.Derivative(P, t))
    return {"c": c_val, "m": m_val, "hbar_c_sq": hb_val, "EF_S": EF_S, "Ep_S": Ep_S, "k_dt": k_dt}


def _derivation_equations(K):
    def derive(ctx: Context):
        got = _shifted(ctx, K)
        c_r = {c_shift: got["c"]}
        pde = {m: got["m"], hbar_c**2: got["hbar_c_sq"]}
        shows = [Show(0, c_r, name="the c that cancels the diffusion term"),
                 Show(5, c_r, name="the phase S = F - c log p (the shift, by substitution)"),
                 Show(1, pde, modulo=((-1 / lam, got["EF_S"]),),
                      name="continuity = -(1/lambda) delta S/delta F after the shift"),
                 Show(2, pde, modulo=((1 / lam, got["Ep_S"]), (got["k_dt"], got["EF_S"])),
                      name="quantum HJ = (1/lambda) delta S/delta p, d_t p eliminated by delta S/delta F")]
        for sign4 in (1, -1):  # the displayed m, hbar_c^2 are the values in the sign case s4 = +1, -1
            case = {s4: sign4}
            shows += [Show(3, {**pde, **case}, name=f"m at s4 = {sign4}"),
                      Show(4, {**pde, **case}, name=f"hbar_c^2 at s4 = {sign4}")]
        shows += [Show("fact:c", c_r, quantity=c_shift)]
        shows += [Show(f"fact:{name}", pde, quantity=qty)
                  for name, qty in (("m", m), ("m_general", m), ("hbar_c_sq", hbar_c**2),
                                    ("hbar_c_sq_general", hbar_c**2))]
        cont, qhj = ctx.step.statement[1].lhs, ctx.step.statement[2].lhs
        shows += [Show("fact:continuity", quantity=cont), Show("fact:qhj", quantity=qhj)]
        return shows
    return derive


def _case_name(v: int) -> str:
    return {1: "+1", -1: "-1", 0: "0"}[v]


def _case_symbols(sign2: int, sign4: int) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
    tag = f"({_case_name(sign2)},{_case_name(sign4)})"
    return sp.Symbol(f"c_{tag}"), sp.Symbol(f"m_{tag}"), sp.Symbol(f"hbar_c^2_{tag}")


def _derivation_sign_cases(ctx: Context):
    fact = ctx["madelung.equations"].fact
    rules = {}
    for sign2, sign4 in SIGN_CASES:
        case = {s2: sign2, s4: sign4}
        for sym, name in zip(_case_symbols(sign2, sign4), ("c", "m", "hbar_c_sq")):
            rules[sym] = fact[name].subs(case)
    return [Show(i, rules) for i in range(len(ctx.step.statement))]


def _derivation_no_item_2(ctx: Context):
    fact = ctx["madelung.equations"].fact
    case = {s2: 0, s4: 1}
    rules = {c_shift: fact["c"].subs(case), m: fact["m"].subs(case), hbar_c**2: fact["hbar_c_sq"].subs(case)}
    return [Show(i, rules) for i in range(3)] + [Show("fact:m", rules, quantity=m),
                                                 Show("fact:hbar_c_sq", rules, quantity=hbar_c**2)]


def _derivation_nelson(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        fp = ctx["learning.fokker-planck"]
        # 1/m: the coefficient of p d_1^2 F in the SGD Fokker-Planck right-hand side (d_k(D d_k p + gamma p d_k F))
        m_val = 1 / sp.expand(doit(fp.statement[0].rhs)).coeff(P * sp.Derivative(Fq, (q[0], 2)))
        (nelson,) = (c.imposed for c in ctx.step.conditions if c.imposed is not None)  # D = hbar/(2m)
        model = {m: m_val, hbar: solve_linear(nelson, hbar)}
        return [Show(0, model, modulo=((1, fp.residual(0)),), name="continuity of S' = the SGD Fokker-Planck equation"),
                Show(1, model, name="m from the drift coefficient"),
                Show(2, model, name="hbar from Nelson's D = hbar/(2m)"),
                Show("fact:m", model, quantity=m), Show("fact:hbar", model, quantity=hbar)]
    return derive


def _fp_coefficients(pt: sp.Expr, K: int):
    """Drift b_k and diffusion of d_t p = -d_k(p b_k) + D_EL d_k d_k p with b_k proportional to d_k F."""
    q = coords(K)
    P, Fq = field(p, q), field(F, q)
    e = sp.expand(doit(pt))
    diffusion = e.coeff(sp.Derivative(P, (q[0], 2)))
    drift = tuple(-e.coeff(P * sp.Derivative(Fq, (x, 2))) * sp.Derivative(Fq, x) for x in q)
    return drift, diffusion


def _fp_symbols(K: int):
    return tuple(sp.Symbol(f"b^EL_{k + 1}") for k in range(K)), sp.Symbol("D^EL")


def _derivation_fp_reading(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        EF = ctx["el.equations"].statement[0].rhs
        pt = solve_zero(doit(EF), sp.Derivative(P, t))  # delta S/delta F = 0 solved for d_t p
        drift, diffusion = _fp_coefficients(pt, K)
        b_syms, d_sym = _fp_symbols(K)
        coeffs = {**dict(zip(b_syms, drift)), d_sym: diffusion}
        return ([Show(0, {sp.Derivative(P, t): pt}, name="delta S/delta F = 0 solved for d_t p")]
                + [Show(i, coeffs) for i in range(1, K + 2)]
                + [Show("fact:drift", coeffs, quantity=sp.Tuple(*b_syms)),
                   Show("fact:diffusion", coeffs, quantity=d_sym)])
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
_SGD = (sp.Symbol("b^SGD_1"), sp.Symbol("D^SGD"))


def _derivation_not_sgd(K):
    def derive(ctx: Context):
        q = coords(K)
        Fq = field(F, q)
        fact = ctx["madelung.fp-reading"].fact
        b, Dsgd = _sgd_coefficients(ctx, K, "descent")
        (b_el,), d_el = _fp_symbols(1)
        rules = {b_el: fact["drift"][0], d_el: fact["diffusion"], _SGD[0]: b[0], _SGD[1]: Dsgd}
        shows = [Show(i, rules) for i in (0, 1, 3, 4)]
        # the drift depends on s4 only, the diffusion on s2 only: two cases each cover the four sign cases;
        # the exact point: gamma = 1, F = q_1 (d_1 F = 1), lambda = 1, D = 2
        line = sp.Lambda((*q, t), q[0])
        for sign4 in (1, -1):
            shows.append(Show(2, {**rules, s4: sign4}, name=f"drift differs (s4 = {sign4})",
                              nonzero=Nonzero((2 * sign4 + 1) * gamma * sp.Derivative(Fq, q[0]),
                                              {F: line, gamma: 1})))
        for sign2 in (1, -1):
            shows.append(Show(5, {**rules, s2: sign2}, name=f"diffusion differs (s2 = {sign2})",
                              nonzero=Nonzero(sign2 * gamma / lam - D, {gamma: 1, lam: 1, D: 2})))
        return shows
    return derive


def _ratio_symbol(sign2: int, sign4: int) -> sp.Symbol:
    _, drift = _FACTORS[(sign2, sign4)]
    a, b = _case_name(sign2), _case_name(sign4)
    return Named(f"ratio_{drift}_({a},{b})",
                 r"\left(\frac{\partial_t p|_{\mathrm{EL}}}{\partial_t p|_{\mathrm{SGD,\,%s}}}\right)_{(%s,\,%s)}"
                 % (drift, a, b), f"(∂ₜp|EL / ∂ₜp|SGD {drift})_({a},{b})")


def _derivation_factor_two(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        fact = ctx["madelung.fp-reading"].fact
        (at,) = (c.imposed for c in ctx.step.conditions if c.imposed is not None)  # lambda = gamma/(2D)
        shows = []
        for i, (sign2, sign4) in enumerate(SIGN_CASES):
            _, drift = _FACTORS[(sign2, sign4)]
            case = {s2: sign2, s4: sign4}
            b, Dsgd = _sgd_coefficients(ctx, K, drift)
            # both right-hand sides of d_t p = -d_k(p b_k) + D d_k d_k p, from the coefficients of the premises
            el = -divergence(tuple(P * bk for bk in fact["drift"]), q) + fact["diffusion"] * laplacian(P, q)
            sgd = -divergence(tuple(P * bk for bk in b), q) + Dsgd * laplacian(P, q)
            ratio = doit(el.subs(case)) / doit(sgd)
            shows.append(Show(i, {_ratio_symbol(sign2, sign4): ratio, at.lhs: at.rhs},
                              name=f"EL / SGD {drift} right-hand sides at lambda = gamma/(2D), (s2, s4) = {sign2, sign4}"))
        return shows
    return derive


_LAM_STAR, _LAM_ZERO = sp.Symbol("lambda^*", real=True), sp.Symbol("lambda_0", real=True)
_AT_STAR, _CURV, _AT_ZERO = (sp.Symbol("hbar_c(lambda^*)"), sp.Symbol("d^2 hbar_c^2/d lambda^2 (lambda^*)"),
                             sp.Symbol("hbar_c^2(lambda_0)"))


def _derivation_bound(ctx: Context):
    hb = ctx["madelung.equations"].fact["hbar_c_sq"]
    shows = []
    for sign2, sign4 in SIGN_CASES:
        case = {s2: sign2, s4: sign4}
        h = hb.subs(case)
        # the stationary point: d hbar_c^2/d lambda x lambda^3 is linear in lambda; the zero: the numerator
        ls = solve_zero(sp.expand(derivative(h, lam) * lam**3), lam)
        l0 = solve_zero(sp.expand(h * lam**2), lam)
        rules = {hbar_c**2: h, _LAM_STAR: ls, _AT_STAR: sp.sqrt(h.subs(lam, ls)),
                 _CURV: derivative(h, lam, 2).subs(lam, ls), _LAM_ZERO: l0, _AT_ZERO: h.subs(lam, l0)}
        tag = f"(s2, s4) = ({sign2}, {sign4})"
        # every line in the sign case (Show.case: the displayed sides, facts included, read at these signs)
        shows += [Show(i, rules, name=f"({i + 1}) {tag}", case=case) for i in range(6)]
        # the bound: (2D/gamma)^2 - hbar_c^2 is a square
        shows.append(Show(6, rules, signed=(2 * D / gamma - sign4 / lam) ** 2, name=f"(7) bound {tag}", case=case))
        # the facts: the largest hbar_c and where it is attained (the displayed lambda* = s4 gamma/(2D))
        shows.append(Show("fact:hbar_c_max", rules, quantity=_AT_STAR, name=f"fact hbar_c_max {tag}", case=case))
        shows.append(Show("fact:lambda_star", rules, quantity=_LAM_STAR, name=f"fact lambda_star {tag}", case=case))
    return shows


def _derivation_classical(K):
    def derive(ctx: Context):
        Ep = ctx["el.equations"].statement[1].rhs  # delta S/delta p (= 0)
        fact = ctx["madelung.equations"].fact
        c_lim = ctx.limit(fact["c"], lam, sp.oo, name="c as lambda -> oo")
        hb_lim = ctx.limit(fact["hbar_c_sq"], lam, sp.oo, name="hbar_c^2 as lambda -> oo")
        limits = {sp.Limit(c_shift, lam, sp.oo): c_lim, sp.Limit(hbar_c**2, lam, sp.oo): hb_lim}
        return [Show(0, modulo=((1 / lam, Ep),), name="p-equation / lambda = HJ(F) - error term"),
                Show(1, limits), Show(2, limits)]
    return derive


def _derivation_euclidean(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        mad = ctx["madelung.equations"]
        cont, qhj = mad.residual(1), mad.residual(2)
        phi_def, phibar_def, hb_def = ctx.step.given  # phi, phibar and hbar_c^2 = -kappa^2
        model = {hb_def.lhs: hb_def.rhs}
        qhj_e = qhj.xreplace(model)
        if qhj_e.has(hbar_c):
            raise ValueError("madelung.euclidean: the quantum HJ equation must depend on hbar_c^2 only")
        phi, phibar = phi_def.rhs, phibar_def.rhs
        near = dict(domain=((_kappa, -2.0, 2.0),), where=sp.Abs(_kappa) > sp.Rational(1, 4))
        return [Show(0, model, modulo=((phi * _kappa / (2 * P), cont), (phi, qhj_e)),
                     name="phi equation = phi (kappa/(2p) continuity + QHJ)", **near),
                Show(1, model, modulo=((phibar * _kappa / (2 * P), cont), (-phibar, qhj_e)),
                     name="phibar equation = phibar (kappa/(2p) continuity - QHJ)", **near),
                Show(2, model, name="phi phibar = p")]
    return derive


def _derivation_schrodinger(K):
    def derive(ctx: Context):
        q = coords(K)
        P = field(p, q)
        mad = ctx["madelung.equations"]
        (same,) = (c.imposed for c in ctx.step.conditions if c.imposed is not None)  # hbar = hbar_c
        model = {same.rhs: same.lhs}
        cont, qhj = mad.residual(1).xreplace(model), mad.residual(2).xreplace(model)
        wave = ctx.step.statement[1]  # the definition psi = sqrt(p) e^{iS/hbar}, displayed as relation (2)
        psi = {wave.lhs: wave.rhs, **model}
        return [Show(0, psi, modulo=((-wave.rhs, qhj), (sp.I * hbar * wave.rhs / (2 * P), cont)),
                     name="Schrodinger = psi (-QHJ + i hbar/(2p) continuity)"),
                Show(1, psi, name="the wave function (by substitution)")]
    return derive


_BOUNDARIES = "learning.decaying-boundaries"


def _ehrenfest_fluxes(K: int) -> dict:
    """The flux vectors Φ whose divergence separates the densities of the two sides of each Ehrenfest relation."""
    q = coords(K)
    P, Sq = field(p, q), field(S, q)
    out = {}
    for k in range(K):
        out[f"position_flux_{k + 1}"] = tuple(-q[k] * P * sp.Derivative(Sq, x) / m for x in q)
        out[f"momentum_flux_{k + 1}"] = tuple(-(P * sp.Derivative(Sq, x) * sp.Derivative(Sq, q[k]) / m
                                                - hbar_c**2 / (4 * m) * P * sp.Derivative(sp.log(P), x, q[k]))
                                              for x in q)
    return out


def _derivation_ehrenfest(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Sq = field(p, q), field(S, q)
        cont, qhj = (doit(e) for e in _madelung_pair(ctx))
        rates = {P: solve_zero(cont, sp.Derivative(P, t)), Sq: solve_zero(qhj, sp.Derivative(Sq, t))}
        # each side as a density (<X> = int p X), d_t p and d_t S eliminated by the Madelung pair: the two sides
        # agree when their densities differ by a divergence, which the decaying-boundaries postulate integrates to 0
        density = Realise({}, lambda e: _eliminate_dt(_density(e, P), rates, t))
        post = ctx[_BOUNDARIES].statement[0].lhs  # int d_k Phi_k d^K q
        phis = sorted(post.function.atoms(AppliedUndef), key=str)
        shows = []
        for i, rel in enumerate(ctx.step.statement):
            k, kind = divmod(i, 2)
            name = f"{('position', 'momentum')[kind]}_flux_{k + 1}"
            div = post.function.xreplace(dict(zip(phis, _ehrenfest_fluxes(K)[name])))
            shows.append(Show(i, density, modulo=((1, div),), name=f"({i + 1}) density(lhs) - density(rhs) = div"))
            shows.append(Show(f"fact:{name}", density, quantity=rel.lhs - rel.rhs))
        return shows
    return derive


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The Madelung steps for K trainable variables (PDE identities checked in K dimensions)."""
    q = coords(K)
    P, Fq, Sq, Vq = field(p, q), field(F, q), field(S, q), field(V, q)
    Qp = quantum_potential(P, q)
    cont = sp.Derivative(P, t) + divergence(tuple(P * sp.Derivative(Sq, x) / m for x in q), q)
    qhj = sp.Derivative(Sq, t) + grad_sq(Sq, q) / (2 * m) + Vq - hbar_c**2 / (2 * m) * Qp
    # the displayed values (s4 = +1, -1) and the facts (every real s2, nonzero s4), typed once here
    c_val = s2 / (2 * s4 * lam)
    m_val, hb_val = s4 / (2 * gamma), (4 * D * s4 * lam - s2**2 * gamma) / (gamma * lam**2)
    m_gen, hb_gen = 1 / (2 * s4 * gamma), (4 * D * s4 * lam - s2**2 * gamma) / (s4**2 * gamma * lam**2)
    positive = Condition("p > 0", holds=sp.Gt(P, 0))
    tq_def = sp.Eq(Tq, D / gamma, evaluate=False)

    qpot = Step(
        label="madelung.quantum-potential", title="The quantum potential: d^2 √p / √p",
        kind=Kind.CONDITIONAL,
        statement=(sp.Eq(Qp, sp.Add(*(sp.Derivative(sp.log(P), x, 2) / 2 + sp.Derivative(sp.log(P), x) ** 2 / 4
                                      for x in q)), evaluate=False),),
        conditions=(positive,),
        source=Source("Madelung1927", "", "quantum potential", Provenance.SECONDARY, "a textbook identity"),
        transformation="differentiate √p = exp(log p / 2) twice",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_quantum_potential(K),
    )
    equations = Step(
        label="madelung.equations",
        title="Shift F = S + c log p: continuity with m = s4/(2 gamma) and quantum HJ with ħ_c^2",
        kind=Kind.CONDITIONAL, premises=("el.equations",),
        given=(sp.Eq(Fq, Sq + c_shift * sp.log(P), evaluate=False),),
        statement=(sp.Eq(c_shift, c_val, evaluate=False),
                   sp.Eq(cont, 0, evaluate=False),
                   sp.Eq(qhj, 0, evaluate=False),
                   sp.Eq(m, m_val, evaluate=False),
                   sp.Eq(hbar_c**2, hb_val, evaluate=False),
                   sp.Eq(Sq, Fq - c_shift * sp.log(P), evaluate=False)),
        conditions=(positive, Condition("lambda != 0", holds=sp.Ne(lam, 0)),
                    Condition("s4 = +1 or -1 (m and ħ_c^2 as displayed); s2 any real (+1, -1, 0)",
                              case=("s4", "+1 and -1"))),
        source=_STEP7,
        assumptions=("Schrödinger-type only where ħ_c^2 > 0 (madelung.euclidean otherwise)",
                     "m > 0 requires s4 = +1: items (3) and (4) with the same sign (madelung.sign-cases)"),
        transformation=("substitute F = S + c log p in delta S/delta F = 0: the diffusion term cancels for "
                        "c = s2/(2 s4 lambda), and what is left is -lambda x the continuity equation with "
                        "1/m = 2 s4 gamma; substitute in delta S/delta p = 0 and eliminate d_t p with it: lambda x the "
                        "quantum HJ equation with ħ_c^2 = (4 D s4 lambda - s2^2 gamma)/(s4^2 gamma lambda^2); "
                        "c, m and ħ_c^2 are read off the coefficients (s2, s4 symbolic), the displayed m and "
                        "ħ_c^2 are their values at s4 = +1 and -1"),
        facts=(("c", c_val), ("m", m_gen), ("hbar_c_sq", hb_gen), ("m_general", m_gen),
               ("hbar_c_sq_general", hb_gen), ("continuity", cont), ("qhj", qhj)),
        variant=sign_variant("any (+1, -1, 0)", "+1 and -1", "either"),
        note=("facts c, m, ħ_c_sq: expressions in s2, s4, lambda, gamma, D for every real s2 and nonzero s4 "
              "(m = 1/(2 s4 gamma), ħ_c_sq = (4 D s4 lambda - s2^2 gamma)/(s4^2 gamma lambda^2); m_general and "
              "ħ_c_sq_general are the same expressions under their old names); at s4 = +1, -1 they are the "
              "displayed m = s4/(2 gamma) and ħ_c^2; continuity and qhj are the left-hand sides in the symbols "
              "m, ħ_c. 'Only sigma^2 enters' holds for ħ_c^2 but not for the physics: the sign of the shift "
              "and of m depend on s2, s4 (madelung.sign-cases)."),
        derive=_derivation_equations(K),
    )
    table = []
    for sign2, sign4 in SIGN_CASES:
        c_s, m_s, hb_s = _case_symbols(sign2, sign4)
        table += [sp.Eq(c_s, sign2 * sign4 / (2 * lam), evaluate=False),
                  sp.Eq(m_s, sign4 / (2 * gamma), evaluate=False),
                  sp.Eq(hb_s, (4 * D * sign4 * lam - gamma) / (gamma * lam**2), evaluate=False)]
    sign_cases = Step(
        label="madelung.sign-cases", title="The four sign cases (s2, s4): shift c, mass m and ħ_c^2",
        kind=Kind.IDENTITY, premises=("madelung.equations",), statement=tuple(table),
        source=Source("V2020b", "§5", "(5.1)-(5.6)", Provenance.RECONSTRUCTED,
                      "the four sign readings of the action's items (2), (4): " + _OWN),
        transformation="insert each case in the facts of madelung.equations",
        note=("(+1,+1) is the verbatim pattern. m < 0 for s4 = -1. The shift's sign is s2 s4: it decides whether "
              "S = F - c log p adds or removes the osmotic term. ħ_c^2 depends on s4 lambda only."),
        variant=sign_variant("+1, -1", "+1, -1", "either"),
        derive=_derivation_sign_cases,
    )
    no_item_2 = Step(
        label="madelung.no-item-2", title="Reading without item (2), s2 = 0: no shift, ħ^2 = 4D/(gamma lambda)",
        kind=Kind.IDENTITY, premises=("madelung.equations",),
        statement=(sp.Eq(c_shift, 0, evaluate=False), sp.Eq(m, 1 / (2 * gamma), evaluate=False),
                   sp.Eq(hbar_c**2, 4 * D / (gamma * lam), evaluate=False)),
        facts=(("m", 1 / (2 * gamma)), ("hbar_c_sq", 4 * D / (gamma * lam))),
        source=Source("KV2021", "§2 (recap)", "", Provenance.RECONSTRUCTED,
                      "the reading without item (2): hbar = 2 sqrt(D/(gamma lambda)); " + _OWN),
        transformation="insert s2 = 0, s4 = +1 in the facts of madelung.equations",
        note="No bound on ħ in this reading (compare madelung.bound): ħ_c^2 grows without limit as lambda -> 0+.",
        variant=sign_variant("0", "+1", "+"),
        derive=_derivation_no_item_2,
    )
    nelson_pot = -(Fq + Tq * sp.log(P))  # Nelson's current-velocity potential S'
    nelson = Step(
        label="madelung.nelson",
        title="Fokker-Planck-only (Nelson) route: S' = -(F + T_q log p), m = 1/gamma, ħ = 2D/gamma",
        kind=Kind.CONDITIONAL, premises=("learning.fokker-planck",),
        statement=(sp.Eq(sp.Derivative(P, t) + divergence(tuple(P * sp.Derivative(nelson_pot, x) / m for x in q), q), 0,
                         evaluate=False),
                   sp.Eq(m, 1 / gamma, evaluate=False),
                   sp.Eq(hbar, 2 * Tq, evaluate=False)),
        given=(tq_def,),
        facts=(("m", 1 / gamma), ("hbar", 2 * D / gamma)),
        conditions=(Condition("Nelson's relation D = ħ/(2m) is imposed (not in the papers as far as known)",
                              imposed=sp.Eq(D, hbar / (2 * m), evaluate=False)),),
        source=Source("Nelson1966", "", "D = hbar/2m", Provenance.RECONSTRUCTED,
                      "the Fokker-Planck-only alternative to the action route: " + _OWN + "; not known to be in "
                      "the papers"),
        transformation=("write the SGD Fokker-Planck equation (descent) as a pure continuity equation with the "
                        "velocity potential S' = -(F + T_q log p) (displayed inline; a constant in S' is never seen); "
                        "1/m is the coefficient of p d^2 F"),
        note=("Side by side with the action route (madelung.equations): m = 1/gamma against m = s4/(2 gamma); at "
              "the matched point both give ħ = 2D/gamma, their Schrödinger frequencies differ by 2 "
              "(madelung.fp-factor-two)."),
        variant=(("route", "Fokker-Planck only (Nelson)"), ("drift", "descent")),
        derive=_derivation_nelson(K),
    )
    drift_el = tuple(2 * s4 * gamma * sp.Derivative(Fq, x) for x in q)
    diff_el = s2 * gamma / lam
    b_syms, d_sym = _fp_symbols(K)
    fp_reading = Step(
        label="madelung.fp-reading",
        title="The E-L F-equation read as Fokker-Planck: drift 2 s4 gamma dF, diffusion s2 gamma/lambda",
        kind=Kind.IDENTITY, premises=("el.equations",),
        statement=(sp.Eq(sp.Derivative(P, t), -divergence(tuple(P * v for v in drift_el), q) + diff_el
                         * laplacian(P, q), evaluate=False),)
                  + tuple(sp.Eq(b, v, evaluate=False) for b, v in zip(b_syms, drift_el))
                  + (sp.Eq(d_sym, diff_el, evaluate=False),),
        facts=(("drift", sp.Tuple(*drift_el)), ("diffusion", diff_el)),
        source=Source("V2020b", "§5", "(5.1)-(5.6)", Provenance.RECONSTRUCTED,
                      "the F-equation of the action read as a Fokker-Planck equation: " + _OWN),
        transformation=("solve delta S/delta F = 0 for d_t p; read off the diffusion (coefficient of d_1^2 p) and the "
                        "drift b_k (from the coefficient of p d_k^2 F)"),
        note="Zero-current law: p proportional to exp(2 s4 lambda F / s2).",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_fp_reading(K),
    )
    b_el, d_el = b_syms[0], d_sym
    not_sgd = Step(
        label="madelung.not-sgd",
        title="The E-L F-equation is not the SGD Fokker-Planck equation it was built from (G1)",
        kind=Kind.NEGATIVE, premises=("madelung.fp-reading", "learning.langevin"),
        statement=(sp.Eq(b_el, drift_el[0], evaluate=False),
                   sp.Eq(_SGD[0], -gamma * sp.Derivative(Fq, q[0]), evaluate=False),
                   sp.Ne(b_el, _SGD[0], evaluate=False),
                   sp.Eq(d_el, diff_el, evaluate=False),
                   sp.Eq(_SGD[1], D, evaluate=False),
                   sp.Ne(d_el, _SGD[1], evaluate=False)),
        source=Source("KV2021", "§2 (recap of 2008.01540)", "", Provenance.RECONSTRUCTED,
                      "gap G1 of the README: " + _OWN),
        transformation=("the drift b^EL and diffusion D^EL of madelung.fp-reading against those of learning.langevin "
                        "(descent): b_1^EL - b_1^SGD = (2 s4 + 1) gamma d_1 F, nonzero at F = q_1, gamma = 1 for s4 = "
                        "+1 and -1; D^EL - D = s2 gamma/lambda - D, nonzero at gamma = lambda = 1, D = 2 for s2 = +1 "
                        "and -1"),
        note="Exhibited in every sign case at an exact point (the JSON's 'exact' lists each).",
        variant=sign_variant("+1, -1", "+1, -1", "either", drift="descent"),
        derive=_derivation_not_sgd(K),
    )
    factor_stmt = []
    for sign2, sign4 in SIGN_CASES:
        factor, drift = _FACTORS[(sign2, sign4)]
        factor_stmt.append(sp.Eq(_ratio_symbol(sign2, sign4), factor, evaluate=False))
    factor_two = Step(
        label="madelung.fp-factor-two",
        title="At lambda = gamma/(2D) the E-L F-equation is -2 x the descent (s2 = -1) or +2 x the ascent (s2 = +1) FP",
        kind=Kind.CONDITIONAL, premises=("madelung.fp-reading", "learning.langevin"),
        statement=tuple(factor_stmt),
        conditions=(Condition("lambda = gamma/(2D)", imposed=sp.Eq(lam, gamma / (2 * D), evaluate=False)),),
        source=Source("KV2021", "§2 (recap of 2008.01540)", "", Provenance.RECONSTRUCTED,
                      "the factor between the two Fokker-Planck equations: " + _OWN),
        transformation=("the ratio of the right-hand sides d_t p = -d_k(p b_k) + D d_k d_k p built from the "
                        "coefficients of madelung.fp-reading and of learning.langevin (ascent = descent on -F), "
                        "at lambda = gamma/(2D)"),
        note=("Descent convention (s2 = -1, s4 = +1): the hydrodynamic time runs backwards and twice as fast. "
              "With s4 = -1 (m < 0): +2 x descent for s2 = +1, -2 x ascent for s2 = -1."),
        variant=sign_variant("+1, -1", "+1, -1", "+", drift="descent and ascent"),
        derive=_derivation_factor_two(K),
    )
    bound = Step(
        label="madelung.bound",
        title="ħ_c^2 <= (2D/gamma)^2 = (2 T_q)^2, attained at lambda* = s4 gamma/(2D); 0 at s4 gamma/(4D)",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq((2 * D / gamma) ** 2 - hbar_c**2, (2 * D / gamma - s4 / lam) ** 2, evaluate=False),
                   sp.Eq(_LAM_STAR, s4 * gamma / (2 * D), evaluate=False),
                   sp.Eq(_AT_STAR, 2 * Tq, evaluate=False),
                   sp.Eq(_CURV, -32 * D**4 / gamma**4, evaluate=False),
                   sp.Eq(_LAM_ZERO, s4 * gamma / (4 * D), evaluate=False),
                   sp.Eq(_AT_ZERO, 0, evaluate=False),
                   sp.Le(hbar_c**2, (2 * Tq) ** 2, evaluate=False)),
        given=(tq_def,),
        facts=(("lambda_star", s4 * gamma / (2 * D)), ("hbar_c_max", 2 * D / gamma)),
        conditions=(Condition("s2 = +1 or -1 (item 2 present)", holds=sp.Eq(s2**2, 1, evaluate=False)),
                    Condition("s4 = +1 or -1", holds=sp.Eq(s4**2, 1, evaluate=False))),
        source=Source("V2020b", "§5", "(5.1)-(5.6)", Provenance.RECONSTRUCTED,
                      "the bound on the Madelung coefficient: " + _OWN),
        transformation=("complete the square: (2D/gamma)^2 - ħ_c^2 = (2D/gamma - s4/lambda)^2 >= 0 (the signed "
                        "form of the inequality); lambda* from d ħ_c^2/d lambda = 0, lambda_0 from ħ_c^2 = 0; "
                        "each of the four sign cases"),
        note=("Hence ħ_c^2 <= (2 T_q)^2 for every lambda, with equality only at lambda*; ħ_c^2 < 0 (Euclidean) "
              "for 0 < s4 lambda < gamma/(4D) and for s4 lambda < 0. Moving lambda away from lambda* lowers ħ_c."),
        variant=sign_variant("+1, -1", "+1, -1", "either"),
        derive=_derivation_bound,
    )
    hj_err = (4 * D * Qp - s2 * gamma * laplacian(Fq, q)) / lam
    classical = Step(
        label="madelung.classical-limit",
        title="Classical limit lambda -> ∞: Hamilton-Jacobi with the free energy as Hamilton's principal function",
        kind=Kind.APPROXIMATION, premises=("el.equations", "madelung.equations"),
        statement=(sp.Eq(sp.Derivative(Fq, t) + s4 * gamma * grad_sq(Fq, q) + Vq, hj_err, evaluate=False),
                   sp.Eq(sp.Limit(c_shift, lam, sp.oo), 0, evaluate=False),
                   sp.Eq(sp.Limit(hbar_c**2, lam, sp.oo), 0, evaluate=False)),
        source=Source("V2020b", "abstract ('further away from the equilibrium by Hamilton-Jacobi equations')", "",
                      Provenance.RECONSTRUCTED, "the identification of the limit: " + _OWN),
        transformation=("divide delta S/delta p = 0 by lambda; the error term is O(1/lambda); c and ħ_c^2 -> 0 "
                        "(limits witnessed)"),
        note=("Error term (4D d^2 √p/√p - s2 gamma d^2 F)/lambda stated exactly. At finite lambda = "
              "s4 gamma/(4D) ħ_c = 0 exactly (madelung.bound) and S obeys HJ, but S = F - c log p != F."),
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_classical(K),
    )
    phi_q, phibar_q = _phi(*q, t), _phibar(*q, t)
    euclid = Step(
        label="madelung.euclidean",
        title="When ħ_c^2 = -kappa^2 < 0 the Madelung pair is a Euclidean (diffusive) system",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq(_kappa * sp.Derivative(phi_q, t), hbar_c**2 / (2 * m) * laplacian(phi_q, q) - Vq * phi_q,
                         evaluate=False),
                   sp.Eq(_kappa * sp.Derivative(phibar_q, t),
                         -hbar_c**2 / (2 * m) * laplacian(phibar_q, q) + Vq * phibar_q, evaluate=False),
                   sp.Eq(phi_q * phibar_q, P, evaluate=False)),
        given=(sp.Eq(phi_q, sp.sqrt(P) * sp.exp(Sq / _kappa), evaluate=False),
               sp.Eq(phibar_q, sp.sqrt(P) * sp.exp(-Sq / _kappa), evaluate=False),
               sp.Eq(hbar_c**2, -_kappa**2, evaluate=False)),
        conditions=(Condition("ħ_c^2 < 0 (e.g. 0 < s4 lambda < gamma/(4D), or the verbatim signs at the learning "
                              "equilibrium, equilibrium.verbatim-descent)", holds=sp.Lt(hbar_c**2, 0)),),
        source=Source("V2020b", "§5", "(5.1)-(5.6)", Provenance.RECONSTRUCTED,
                      "diffusion-type (Euclidean) rather than Schrodinger-type where hbar_c^2 < 0: " + _OWN),
        transformation="phi = √p exp(S/kappa), phibar = √p exp(-S/kappa): real heat equations",
        note=("What the package reports when ħ_c^2 <= 0 (see regime()): no wave equation with a real ħ, but a "
              "pair of real backward/forward heat equations (imaginary-time Schrödinger, Schrödinger bridge)."),
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_euclidean(K),
    )
    psi_q = _psi(*q, t)
    schrodinger = Step(
        label="madelung.schrodinger",
        title="Madelung ⇔ Schrödinger locally: ψ = √p exp(iS/ħ)",
        kind=Kind.CONDITIONAL, premises=("madelung.equations",),
        statement=(sp.Eq(sp.I * hbar * sp.Derivative(psi_q, t),
                         -hbar**2 / (2 * m) * laplacian(psi_q, q) + Vq * psi_q, evaluate=False),
                   sp.Eq(psi_q, sp.sqrt(P) * sp.exp(sp.I * Sq / hbar), evaluate=False)),
        conditions=(Condition("p > 0 (no nodes)", holds=sp.Gt(P, 0)),
                    Condition("ħ = ħ_c > 0", imposed=sp.Eq(hbar, hbar_c, evaluate=False))),
        assumptions=("local: single-valuedness of ψ is not implied (wallstrom.counterexample)",),
        source=Source("Madelung1927", "hydrodynamic form", "", Provenance.SECONDARY, "in K dimensions"),
        transformation=("i ħ d_t ψ + ħ^2/(2m) d^2 ψ - V ψ = ψ (-QHJ + i ħ/(2p) continuity) with ψ "
                        "as displayed in (2): real and imaginary parts separate (p, S real), so Schrödinger ⇔ both "
                        "Madelung equations"),
        note="For the action route m = s4/(2 gamma): i ħ d_t ψ = -s4 ħ^2 gamma d^2 ψ + V ψ.",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_schrodinger(K),
    )
    fluxes = _ehrenfest_fluxes(K)
    # written and verified for k = 1: every k is the same identity with q_1, q_k relabelled
    flux_facts = tuple((f"{kind}_flux_1", divergence(fluxes[f"{kind}_flux_1"], q)) for kind in ("position", "momentum"))
    ehren = []
    for k in range(1):
        ehren += [sp.Eq(sp.Derivative(Avg(q[k]), t), Avg(sp.Derivative(Sq, q[k])) / m, evaluate=False),
                  sp.Eq(sp.Derivative(Avg(sp.Derivative(Sq, q[k])), t), -Avg(sp.Derivative(Vq, q[k])), evaluate=False)]
    ehrenfest = Step(
        label="madelung.ehrenfest", title="Ehrenfest relations: d<q_k>/dt = <d_k S>/m, d<d_k S>/dt = -<d_k V>",
        kind=Kind.CONDITIONAL, premises=("madelung.equations", _BOUNDARIES),
        statement=tuple(ehren),
        conditions=(Condition("decaying boundaries: the fluxes q_k p dS/m and the stress p dS dS/m - ħ_c^2/(4m) "
                              "p d d log p integrate to zero", postulate=_BOUNDARIES),),
        facts=flux_facts,
        source=Source("KV2021", "§2 (consequence)", "", Provenance.RECONSTRUCTED, _OWN),
        transformation=("d_t of p q_k and of p d_k S with the continuity and quantum HJ equations: each is the "
                        "stated density plus a divergence (facts position_flux_k, momentum_flux_k)"),
        note=("Statement written and verified for k = 1; every k is the same identity with q_1, q_k relabelled. "
              "The quantum-potential force averages to zero. "
              "Action route: d<q>/dt = 2 s4 gamma <dS>."),
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_ehrenfest(K),
    )
    return (qpot, equations, sign_cases, no_item_2, nelson, fp_reading, not_sgd, factor_two, bound, classical,
            euclid, schrodinger, ehrenfest)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("madelung")
