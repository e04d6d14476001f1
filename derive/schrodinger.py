r"""The Schrödinger equation with m from the canonical chain and ħ from the chemical potential (KV2021 §4).

With :math:`m = s_4/(2\gamma)` (``madelung.equations``) and :math:`\hbar = |\mu|/(2\pi k)`
(``quantization.single-valued``), the local equivalence ``madelung.schrodinger`` gives

.. math::

    i\frac{|\mu|}{2\pi k}\,\partial_t\psi = -s_4\Big(\frac{|\mu|}{2\pi k}\Big)^2\gamma\,\nabla^2\psi + V\psi ,

provided the Madelung coefficient equals it, :math:`\hbar_c = |\mu|/(2\pi k)` (``consistency.match``;
otherwise ``consistency.mismatch``).  Sign cases:

* ``schrodinger.equation``: s₄ = +1, m = 1/(2γ) > 0; exists where ħ_c² > 0, i.e. λ > γ/(4D) (s₂ = ±1).
* ``schrodinger.negative-mass``: s₄ = −1, m = −1/(2γ); exists for λ < −γ/(4D); ψ* obeys the s₄ = +1
  equation with V → −V (the symmetry (F, s₂, s₄, λ, V) → (−F, −s₂, −s₄, −λ, −V) of the sign cases, ``madelung.sign-cases``).
* ``schrodinger.euclidean``: where ħ_c² < 0 no real ħ = |μ|/(2πk) can match: no Schrödinger equation
  (``madelung.euclidean`` gives the diffusive pair instead).
* ``schrodinger.verbatim-descent``: the verbatim signs with descent drift, where ħ_c² = −12D²/γ² < 0: its
  condition ħ_c² > 0 cannot hold, and the step is *vacuous*.

K = 2 trainable variables (q₁, q₂).

>>> [s.label for s in steps()]
['schrodinger.equation', 'schrodinger.negative-mass', 'schrodinger.euclidean', 'schrodinger.verbatim-descent']
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.algebra import solve_linear
from derive.grand_canonical import upstream
from derive.proof import Condition, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, S, V, coords, field, gamma, hbar, k_branch, lam, m, mu, p, psi, t

__all__ = ["steps", "hbar_b", "schrodinger_lhs_minus_rhs", "schrodinger_sides", "verbatim_descent_step"]

#: ħ from the quantization, |μ|/(2πk)
hbar_b = sp.Abs(mu) / (2 * sp.pi * k_branch)
_K = 2
_u = sp.Function("u", real=True)
_v = sp.Function("v", real=True)

_SRC = Source("KV2021", "§4", "eqs. (4.1)-(4.8)", Provenance.SECONDARY,
              "equation numbers from the third-party source pack; the equation with m = 1/(2 gamma) and "
              "hbar = |mu|/(2 pi k) is the package's own reconstruction")


def _lap(f: sp.Expr, q) -> sp.Expr:
    return sp.Add(*(sp.Derivative(f, x, 2) for x in q))


def schrodinger_sides(wave: sp.Expr, sign4: int, potential: sp.Expr | None = None) -> tuple[sp.Expr, sp.Expr]:
    """(i ħ_b ∂ₜψ, −s₄ ħ_b² γ ∇²ψ + Vψ): the two sides of the Schrödinger equation the steps display, for the
    field ``wave`` (m = s₄/(2γ), ħ_b = |μ|/(2πk)); every display of the equation is built from it."""
    q = coords(_K)
    Vq = field(V, q) if potential is None else potential
    return sp.I * hbar_b * sp.Derivative(wave, t), -sign4 * hbar_b ** 2 * gamma * _lap(wave, q) + Vq * wave


def schrodinger_lhs_minus_rhs(wave: sp.Expr, sign4: int, potential: sp.Expr | None = None) -> sp.Expr:
    """i ħ_b ∂ₜψ + s₄ ħ_b² γ ∇²ψ − Vψ: left minus right side of :func:`schrodinger_sides`."""
    lhs, rhs = schrodinger_sides(wave, sign4, potential)
    return lhs - rhs


def _madelung(ctx: Context, label: str | None):
    """continuity and quantum-HJ left-hand sides (in the symbols m, ħ_c), from madelung.equations."""
    q = coords(_K)
    if label:
        from derive.madelung import hbar_c

        f = ctx[label].fact
        return f["continuity"], f["qhj"], hbar_c, f["m"], f["hbar_c_sq"]
    from derive.action import s2, s4  # pragma: no cover - only while the canonical chain is missing

    P, Sq, hbar_c = field(p, q), field(S, q), sp.Symbol("hbar_c")  # pragma: no cover
    cont = sp.Derivative(P, t) + sum(sp.Derivative(P * sp.Derivative(Sq, x) / m, x) for x in q)  # pragma: no cover
    qhj = sp.Derivative(Sq, t) + sum(sp.Derivative(Sq, x) ** 2 for x in q) / (2 * m) + field(V, q) \
        - hbar_c ** 2 / (2 * m) * _lap(sp.sqrt(P), q) / sp.sqrt(P)  # pragma: no cover
    return cont, qhj, hbar_c, s4 / (2 * gamma), (4 * D * s4 * lam - s2 ** 2 * gamma) / (gamma * lam ** 2)  # noqa


def _wave(ctx: Context, schr: str | None, hb: sp.Expr) -> sp.Expr:
    """ψ = √p e^{iS/ħ} at ħ = ``hb`` (madelung.schrodinger's definition when present)."""
    q = coords(_K)
    if schr:
        return ctx[schr].statement[1].rhs.subs(hbar, hb)
    return sp.sqrt(field(p, q)) * sp.exp(sp.I * field(S, q) / hb)  # pragma: no cover


def _case_hbar_c_sq(ctx: Context, mad: str | None, sign4: int, matched: str | None) -> sp.Expr:
    """ħ_c² of madelung.equations in the step's sign case (s₂² = 1); at a matched λ when ``matched`` names
    a premise whose first displayed relation is λ = value (e.g. equilibrium.verbatim-descent)."""
    from derive.action import s2, s4

    hc2 = _madelung(ctx, mad)[4].subs({s4: sign4, s2: 1})
    if matched:
        at = ctx[matched].statement[0]
        hc2 = hc2.subs(at.lhs, at.rhs)
    return hc2


def _d_equation(mad, schr, sign4, matched=None):
    def derive(ctx: Context):
        from derive.action import s2, s4

        q = coords(_K)
        P = field(p, q)
        psi_q = field(psi, q)
        cont, qhj, hbar_c, m_fact, _ = _madelung(ctx, mad)
        hb = ctx["quantization.single-valued"].rules()[hbar]  # |mu|/(2 pi k)
        hc2 = _case_hbar_c_sq(ctx, mad, sign4, matched)
        wave = _wave(ctx, schr, hb)
        if (hc2 > 0) is sp.false:
            # no real Madelung coefficient in this case: nothing can match hbar = |mu|/(2 pi k)
            return [Show(i, {hbar_c: sp.sqrt(hc2)}) for i in range(len(ctx.step.statement))]
        # the realised model: the Madelung pair of the sign case (m from madelung.equations, in which hbar_c is a
        # symbol) on the matching surface hbar_c = |mu|/(2 pi k) = eta > 0, solved for mu (mu > 0 representative)
        on_surface = {mu: solve_linear(sp.Eq(hb.subs(sp.Abs(mu), mu), _ETA), mu)}
        model = {hbar_c: _ETA, m: m_fact.subs({s4: sign4, s2: 1}), **on_surface}
        R = Realise({psi_q: wave, **model})
        w = R(psi_q)
        # (equation) = psi (-QHJ + i hbar/(2p) continuity): the Madelung pair (facts of madelung.equations) vanishes
        modulo = ((-w, R(qhj)), (sp.I * R(hb) * w / (2 * R(P)), R(cont)))
        where = sign4 * lam > 0  # the sign case exists there: hbar_c^2 > 0 needs s4 lambda > 0 (D > 0)
        shows = [Show(0, R, modulo=modulo, where=where)]
        if sign4 == -1:
            # psi* obeys the s4 = +1 equation with V -> -V: conjugate with psi = u + i v explicit
            shows.append(Show(1, {psi_q: field(_u, q) + sp.I * field(_v, q), **model}, where=where))
            hc2_general = _madelung(ctx, mad)[4].subs(s2, 1)
            shows.append(Show(2, {_HC2_NEG: hc2_general.subs(s4, -1),
                                  _HC2_POS_MINUS: hc2_general.subs(s4, 1).subs(lam, -lam), **model}, where=where))
        return shows
    return derive


def _d_euclidean(mad):
    def derive(ctx: Context):
        from derive.action import s2, s4

        hb = ctx["quantization.single-valued"].rules()[hbar]
        hc2 = _madelung(ctx, mad)[4].subs({s4: 1, s2: 1})
        # the Euclidean regime hbar_c^2 = -kappa^2 < 0 of madelung.equations, solved for D (linear)
        regime = {D: solve_linear(sp.Eq(hc2, -_KAPPA ** 2), D)}
        model = {_HB: hb, sp.Symbol("hbar_c") ** 2: hc2.subs(regime)}
        return [Show(0, model, signed=hb ** 2 + _KAPPA ** 2, where=regime[D] > 0)]
    return derive


_HB = sp.Symbol("hbar_b", positive=True)
#: the matched Madelung coefficient hbar_c = |mu|/(2 pi k) > 0 of the realised model
_ETA = sp.Symbol("eta", positive=True)
#: hbar_c^2 = -kappa^2 in the Euclidean regime
_KAPPA = sp.Symbol("kappa", positive=True)
_HC2_NEG = sp.Symbol("hbar_c^2(s4 = -1, lambda)")
_HC2_POS_MINUS = sp.Symbol("hbar_c^2(s4 = +1, -lambda)")


def _conditions(sign4: int) -> tuple:
    from derive.madelung import hbar_c

    return (Condition("the multivaluedness postulate", postulate="multivalued.postulate"),
            Condition("k a positive integer", holds=sp.Ge(k_branch, 1)),
            Condition("ħ_c = |mu|/(2 pi k): the Madelung coefficient matches (consistency.match); otherwise the "
                      "equation is nonlinear (consistency.mismatch)", imposed=sp.Eq(hbar_c, hbar_b, evaluate=False)),
            Condition("ħ_c^2 > 0: a real Madelung coefficient (lambda > gamma/(4D) for s4 = +1, "
                      "lambda < -gamma/(4D) for s4 = -1)", holds=hbar_c ** 2 > 0),
            Condition(f"s4 = {sign4:+d} (m = {sign4:+d}/(2 gamma))", case=("s4", f"{sign4:+d}")))


def _equation(label: str, sign4: int, mad, schr, matched=None, variant=None, title=None) -> Step:
    q = coords(_K)
    psi_q = field(psi, q)
    Vq = field(V, q)
    base = tuple(x for x in (mad, schr) if x) + ("quantization.single-valued",) + ((matched,) if matched else ())
    pending = "" if (mad and schr) else " Should rest on madelung.equations and madelung.schrodinger (not yet available)."
    statement = [sp.Eq(*schrodinger_sides(psi_q, sign4), evaluate=False)]
    if sign4 == -1:
        star = sp.conjugate(psi_q)
        statement.append(sp.Eq(sp.conjugate(schrodinger_lhs_minus_rhs(psi_q, -1)),
                               -schrodinger_lhs_minus_rhs(star, +1, -Vq), evaluate=False))
        statement.append(sp.Eq(_HC2_NEG, _HC2_POS_MINUS, evaluate=False))
    lam_sign = "+" if sign4 == 1 else "-"
    return Step(
        label=label,
        title=title or ("i ħ d_t ψ = -ħ^2 gamma ∇²ψ + V ψ with ħ = |mu|/(2 pi k), m = 1/(2 gamma)"
                        if sign4 == 1 else "s4 = -1: m = -1/(2 gamma); exists for lambda < -gamma/(4D); ψ* obeys "
                        "the m > 0 equation with -V"),
        kind=Kind.CONDITIONAL, premises=base, statement=tuple(statement),
        conditions=_conditions(sign4),
        variant=variant or (("s2", "+1, -1"), ("s4", f"{sign4:+d}"), ("lambda", lam_sign), ("phase", "F"),
                            ("k", "any")),
        source=_SRC if sign4 == 1 else Source(
            "KV2021", "§4", "", Provenance.RECONSTRUCTED,
            "the package's own reconstruction: the symmetry (F, s2, s4, lambda, V) -> (-F, -s2, -s4, -lambda, -V) "
            "of the sign cases (madelung.sign-cases)"),
        transformation=("ψ = √p e^{iS/ħ} (madelung.schrodinger) with ħ = |mu|/(2 pi k): (equation) = "
                        "ψ (-QHJ + i ħ/(2p) continuity) with m and ħ_c^2 of madelung.equations in the sign "
                        "case, at ħ_c = ħ" + ("; conjugate with ψ = u + i v" if sign4 == -1 else "")),
        note=("k = 1: i (|mu|/2pi) d_t ψ = -(|mu|/2pi)^2 gamma ∇²ψ + V ψ." if sign4 == 1 else
              "Items (3) and (4) with opposite signs give a negative mass (madelung.sign-cases).") + pending,
        derive=_d_equation(mad, schr, sign4, matched),
    )


def verbatim_descent_step() -> Step:
    """``schrodinger.equation`` read in the verbatim-sign/descent case (s₂ = s₄ = +1 at the matched
    λ = −γ/(2D) of ``equilibrium.verbatim-descent``): there ħ_c² = −12D²/γ² < 0, so its condition ħ_c² > 0
    cannot hold and the step is *vacuous*: it records, in the chain, why that case has no equation.
    """
    mad, schr = upstream("madelung.equations"), upstream("madelung.schrodinger")
    return _equation("schrodinger.verbatim-descent", +1, mad, schr, matched="equilibrium.verbatim-descent",
                     variant=(("s2", "+1"), ("s4", "+1"), ("lambda", "-gamma/(2D)"), ("drift", "descent"),
                              ("phase", "F"), ("k", "any")),
                     title="The Schrödinger equation in the verbatim-sign/descent case (ħ_c^2 < 0): vacuous")


@cache
def steps() -> tuple[Step, ...]:
    """The Schrödinger equation in the sign cases where it exists, and where it does not."""
    mad, schr, euclid = upstream("madelung.equations"), upstream("madelung.schrodinger"), \
        upstream("madelung.euclidean")
    eq_pos = _equation("schrodinger.equation", +1, mad, schr)
    eq_neg = _equation("schrodinger.negative-mass", -1, mad, schr)
    pending = "" if mad else " Should rest on madelung.equations (not yet available)."
    eucl = Step(
        label="schrodinger.euclidean",
        title="Where ħ_c^2 < 0 no ħ = |mu|/(2 pi k) can match: ħ_b^2 > ħ_c^2, no Schrödinger equation",
        kind=Kind.NEGATIVE, premises=tuple(x for x in (mad,) if x) + ("quantization.single-valued",),
        statement=(sp.StrictGreaterThan(_HB ** 2, sp.Symbol("hbar_c") ** 2),),
        source=Source("KV2021", "§4", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction (the Euclidean regime of madelung.euclidean)"),
        variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "0 < lambda < gamma/(4D) or lambda < 0")),
        transformation=("ħ_b^2 - ħ_c^2 = mu^2/(4 pi^2 k^2) + kappa^2 > 0 where ħ_c^2 of madelung.equations is "
                        "-kappa^2 (the Euclidean regime, solved for D)"),
        note="There the Madelung pair is a Euclidean (diffusive) system (madelung.euclidean)." + pending,
        derive=_d_euclidean(mad),
    )
    # the verbatim-sign/descent case is part of the chain, so that `eqnn verify` shows it vacuous
    return (eq_pos, eq_neg, eucl) + ((verbatim_descent_step(),) if upstream("equilibrium.verbatim-descent") else ())


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("schrodinger")
