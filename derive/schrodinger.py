r"""The Schrödinger equation with m from the canonical chain and ħ from the chemical potential (KV2021 §4).

With :math:`m = s_4/(2\gamma)` (``madelung.equations``) and :math:`\hbar = |\mu|/(2\pi k)`
(``quantization.single-valued``), the local equivalence ``madelung.schrodinger`` gives

.. math::

    i\frac{|\mu|}{2\pi k}\,\partial_t\psi = -s_4\Big(\frac{|\mu|}{2\pi k}\Big)^2\gamma\,\nabla^2\psi + V\psi ,

provided the Madelung coefficient equals it, :math:`\hbar_c = |\mu|/(2\pi k)` (``consistency.match``;
otherwise ``consistency.mismatch``).  Sign cases:

* ``schrodinger.equation``: s₄ = +1, m = 1/(2γ) > 0; exists where ħ_c² > 0, i.e. λ > γ/(4D) (s₂ = ±1).
* ``schrodinger.negative-mass``: s₄ = −1, m = −1/(2γ); exists for λ < −γ/(4D); ψ* obeys the s₄ = +1
  equation with V → −V (the symmetry (F, s₂, s₄, λ, V) → (−F, −s₂, −s₄, −λ, −V) of referee.md E1).
* ``schrodinger.euclidean``: where ħ_c² < 0 no real ħ = |μ|/(2πk) can match: no Schrödinger equation
  (``madelung.euclidean`` gives the diffusive pair instead).

K = 2 trainable variables (q₁, q₂).

>>> [s.label for s in steps()]
['schrodinger.equation', 'schrodinger.negative-mass', 'schrodinger.euclidean']
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.grand_canonical import upstream
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, S, V, coords, field, gamma, hbar, k_branch, lam, m, mu, p, psi, t

__all__ = ["steps", "hbar_b", "schrodinger_lhs_minus_rhs"]

#: ħ from the quantization, |μ|/(2πk)
hbar_b = sp.Abs(mu) / (2 * sp.pi * k_branch)
_K = 2
_u = sp.Function("u", real=True)
_v = sp.Function("v", real=True)

_SRC = Source("KV2021", "§4", "eqs. (4.1)-(4.8)", Provenance.SECONDARY,
              "equation numbers from the third-party source pack; the equation with m = 1/(2 gamma) and "
              "hbar = |mu|/(2 pi k) is reconstructed (paper-derivation.md Step 12)")


def _lap(f: sp.Expr, q) -> sp.Expr:
    return sp.Add(*(sp.Derivative(f, x, 2) for x in q))


def schrodinger_lhs_minus_rhs(wave: sp.Expr, sign4: int, potential: sp.Expr | None = None) -> sp.Expr:
    """i ħ_b ∂ₜψ + s₄ ħ_b² γ ∇²ψ − Vψ for the field ``wave`` (m = s₄/(2γ), ħ_b = |μ|/(2πk))."""
    q = coords(_K)
    Vq = field(V, q) if potential is None else potential
    return sp.I * hbar_b * sp.Derivative(wave, t) + sign4 * hbar_b ** 2 * gamma * _lap(wave, q) - Vq * wave


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


def _d_equation(mad, schr, sign4):
    def derive(ctx: Context):
        from derive.action import s2, s4

        q = coords(_K)
        P, Sq = field(p, q), field(S, q)
        psi_q = field(psi, q)
        cont, qhj, hbar_c, m_fact, _ = _madelung(ctx, mad)
        hb = ctx["quantization.single-valued"].statement[1].rhs
        mine = ctx.step.statement[0]
        obs = []
        if schr:  # the general equation with m and hbar of the two chains substituted
            gen = ctx[schr].statement[0]
            derived = (gen.lhs - gen.rhs).subs({m: m_fact.subs(s4, sign4), hbar: hb})
            obs.append(Obligation(f"madelung.schrodinger at m = {sign4}/(2 gamma), hbar = |mu|/(2 pi k)",
                                  derived.doit(), (mine.lhs - mine.rhs).doit()))
        # and directly: (the equation)/psi = -QHJ + i hbar/(2p) continuity at hbar_c = hbar_b
        wave = sp.sqrt(P) * sp.exp(sp.I * Sq / hb)
        lhs_rhs = (mine.lhs - mine.rhs).subs(psi_q, wave).doit() / wave
        at = {m: m_fact.subs({s4: sign4, s2: 1}), hbar_c: hb}
        obs.append(Obligation("(equation)/psi = -QHJ + i hbar/(2p) continuity, hbar_c = |mu|/(2 pi k)",
                              lhs_rhs, (-qhj.subs(at) + sp.I * hb / (2 * P) * cont.subs(at)).doit()))
        if sign4 == -1:
            # psi* obeys the s4 = +1 equation with V -> -V: conjugate with psi = u + i v explicit
            uv = field(_u, q) + sp.I * field(_v, q)
            neg = (mine.lhs - mine.rhs).subs(psi_q, uv).doit()
            pos_conj = schrodinger_lhs_minus_rhs(field(_u, q) - sp.I * field(_v, q), +1, -field(V, q)).doit()
            obs.append(Obligation("conj(s4 = -1 equation) = -(s4 = +1 equation for psi*, V -> -V)",
                                  sp.conjugate(neg), -pos_conj))
            hc2 = _madelung(ctx, mad)[4]
            obs.append(Obligation("hbar_c^2(s4 = -1, lambda) = hbar_c^2(s4 = +1, -lambda)",
                                  hc2.subs({s4: -1, s2: 1}), hc2.subs({s4: 1, s2: 1}).subs(lam, -lam)))
        return obs
    return derive


def _d_euclidean(mad):
    def derive(ctx: Context):
        from derive.action import s2, s4

        hc2 = _madelung(ctx, mad)[4].subs({s4: 1, s2: 1})
        hb = ctx["quantization.single-valued"].statement[1].rhs
        return [Obligation("hbar_b^2 != hbar_c^2 where hbar_c^2 < 0", hb ** 2, hc2, expect_zero=False,
                           where=sp.And(4 * D * lam - gamma < 0, sp.Ne(mu, 0)))]
    return derive


@cache
def steps() -> tuple[Step, ...]:
    """The Schrödinger equation in the sign cases where it exists, and where it does not."""
    q = coords(_K)
    psi_q = field(psi, q)
    Vq = field(V, q)
    mad, schr, euclid = upstream("madelung.equations"), upstream("madelung.schrodinger"), \
        upstream("madelung.euclidean")
    base = tuple(x for x in (mad, schr) if x) + ("quantization.single-valued",)
    cond = ("the multivaluedness postulate multivalued.postulate", "k a positive integer",
            "hbar_c = |mu|/(2 pi k): the Madelung coefficient matches (consistency.match); otherwise the "
            "equation is nonlinear (consistency.mismatch)", "p > 0 off the nodal set Sigma")
    pending = "" if (mad and schr) else " Should rest on madelung.equations and madelung.schrodinger (not yet available)."
    eq_pos = Step(
        label="schrodinger.equation",
        title="i hbar d_t psi = -hbar^2 gamma lap psi + V psi with hbar = |mu|/(2 pi k), m = 1/(2 gamma)",
        kind=Kind.CONDITIONAL, premises=base,
        statement=(sp.Eq(sp.I * hbar_b * sp.Derivative(psi_q, t),
                         -hbar_b ** 2 * gamma * _lap(psi_q, q) + Vq * psi_q, evaluate=False),),
        conditions=cond + ("s4 = +1 (m = 1/(2 gamma) > 0); hbar_c^2 > 0 needs lambda > gamma/(4D) (s2 = +-1)",),
        variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "+"), ("phase", "F"), ("k", "any")),
        source=_SRC,
        transformation=("insert m = s4/(2 gamma) and hbar = |mu|/(2 pi k) in madelung.schrodinger; check "
                        "(equation)/psi = -QHJ + i hbar/(2p) continuity with psi = sqrt(p) e^{iS/hbar}"),
        note="k = 1: i (|mu|/2pi) d_t psi = -(|mu|/2pi)^2 gamma lap psi + V psi (paper-derivation.md Step 12)." + pending,
        derive=_d_equation(mad, schr, +1),
    )
    eq_neg = Step(
        label="schrodinger.negative-mass",
        title="s4 = -1: m = -1/(2 gamma); exists for lambda < -gamma/(4D); psi* obeys the m > 0 equation with -V",
        kind=Kind.CONDITIONAL, premises=base,
        statement=(sp.Eq(sp.I * hbar_b * sp.Derivative(psi_q, t),
                         hbar_b ** 2 * gamma * _lap(psi_q, q) + Vq * psi_q, evaluate=False),),
        conditions=cond + ("s4 = -1 (m = -1/(2 gamma) < 0); hbar_c^2 > 0 needs lambda < -gamma/(4D)",),
        variant=(("s2", "+1, -1"), ("s4", "-1"), ("lambda", "-"), ("phase", "F"), ("k", "any")),
        source=Source("referee", "§1 E1", "", Provenance.RECONSTRUCTED, "symmetry (F, s2, s4, lambda, V) -> (-F, ...)"),
        transformation="insert m = -1/(2 gamma); conjugate with psi = u + i v",
        note="Items (3) and (4) with opposite signs give a negative mass (referee.md E1)." + pending,
        derive=_d_equation(mad, schr, -1),
    )
    eucl = Step(
        label="schrodinger.euclidean",
        title="Where hbar_c^2 < 0 no hbar = |mu|/(2 pi k) can match: no Schrodinger equation",
        kind=Kind.NEGATIVE, premises=tuple(x for x in (mad, euclid) if x) + ("quantization.single-valued",),
        statement=(sp.Ne(sp.Symbol("hbar_b") ** 2, sp.Symbol("hbar_c") ** 2),),
        source=Source("referee", "§1 E3", "", Provenance.RECONSTRUCTED),
        variant=(("s2", "+1, -1"), ("s4", "+1"), ("lambda", "0 < lambda < gamma/(4D) or lambda < 0")),
        transformation="hbar_b^2 = mu^2/(4 pi^2 k^2) > 0 > hbar_c^2",
        note="There the Madelung pair is a Euclidean (diffusive) system (madelung.euclidean)." + pending,
        derive=_d_euclidean(mad),
    )
    return (eq_pos, eq_neg, eucl)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("schrodinger")
