r"""Scope of the result: which learning equilibrium, which winding sectors, which units (KV2021 abstract, §4).

The abstract: "quantum mechanics provides a correct statistical description of the dynamics of the
grand canonical ensemble of neural networks at the learning equilibrium" [verbatim].  "Learning
equilibrium" has three non-equivalent meanings (``entropy.equilibria-not-equivalent``): the factorisation
Z = Z₁(β)Z₂(q) of V2020a (``canonical.factorised-equilibrium``), the stationary Fokker–Planck law
(the matched point of ``equilibrium.phase-constant``), and zero net entropy production.  The
quantization chain uses the second: there :math:`S = F + T_q\log p_{eq}` is constant in q, so every loop
has zero circulation and only the sector n = 0 occurs — the quantized sectors n ≠ 0, whose circulation
n|μ|/k differs from it (``quantization.vortex``), live away from it (``scope.equilibrium-sector``).

Units (``scope.units``): ħ = |μ|/2πk carries the units of the chemical potential, an energy E, as
the Madelung coefficient does (``units.constants``); the multiplier λ of V2020b has units 1/E
([λ][ħ] = 1) and could not be ħ.  Dimensions are the monomials in the base units E, Q, T of
``units.base`` computed by :func:`derive.units.dimension`.

>>> [s.label for s in steps()]
['scope.equilibrium-sector', 'scope.units']
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.algebra import solve_linear
from derive.chain_rule import derivative
from derive.grand_canonical import upstream
from derive.notation import DimensionOf
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import Tq, coords, hbar, k_branch, mu, n

__all__ = ["steps"]

_CIRC_EQ = sp.Symbol("oint grad S . dq (learning equilibrium)")
_CIRC_N = sp.Symbol("oint grad S . dq (sector n)")
_r = sp.Symbol("r", positive=True)
_phi = sp.Symbol("phi", real=True)


def _equilibrium_circulation(ctx: Context, phase: str | None) -> sp.Expr:
    """∮ ∇S·dq on |q| = r with the premise's ∇S at learning equilibrium (an unevaluated integral)."""
    q1, q2 = coords(2)
    if phase:
        eq = ctx[phase]
        S_app = next(r.lhs for r in eq.statement if isinstance(r, sp.Equality) and isinstance(r.lhs, AppliedUndef)
                     and r.lhs.func.__name__ == "S")
        rules = eq.rules()
        # the premise's dS/dq_k (or, failing that, its S = const differentiated); statement order: the constant last
        const = next(r.rhs for r in reversed(eq.statement) if isinstance(r, sp.Equality) and r.lhs == S_app)
        grad = [Realise(rules)(sp.Derivative(S_app, qk)) if sp.Derivative(S_app, qk) in rules
                else derivative(const, qk) for qk in (q1, q2)]
    else:  # pragma: no cover - only while the canonical chain is missing
        grad = [derivative(-Tq * sp.log(sp.Symbol("Z_q", positive=True)), qk) for qk in (q1, q2)]
    circle = {q1: _r * sp.cos(_phi), q2: _r * sp.sin(_phi)}
    integrand = (grad[0].subs(circle, simultaneous=True) * derivative(circle[q1], _phi)
                 + grad[1].subs(circle, simultaneous=True) * derivative(circle[q2], _phi))
    return sp.Integral(integrand, (_phi, 0, 2 * sp.pi))


def _d_sector(phase):
    def derive(ctx: Context):
        circ_eq = _equilibrium_circulation(ctx, phase)
        # the vortex sector n: its circulation, chained through the premise's display (oint -> 2 pi hbar n -> n|mu|/k)
        vortex = ctx["quantization.vortex"]
        chain = Realise(vortex.rules())
        oint = next(r.lhs for r in vortex.statement if isinstance(r.lhs, sp.Symbol) and r.lhs.name.startswith("oint"))
        circ_n = chain(oint)
        # the winding n whose circulation n|mu|/k equals the equilibrium one (linear in n; mu != 0)
        winding = solve_linear(sp.Eq(circ_n, circ_eq), n)
        rules = {_CIRC_EQ: circ_eq, _CIRC_N: circ_n}
        return [Show(0, rules), Show(1, {n: winding}, name="(2) the winding of the equilibrium circulation"),
                Show(2, rules),
                Show(3, rules, nonzero=Nonzero(ctx.step.statement[2].rhs, {n: 1, mu: 1, k_branch: 1}),
                     where=sp.Ne(n, 0), name="(4) a sector n != 0 is not the equilibrium")]
    return derive


def _d_units(const):
    def derive(ctx: Context):
        from derive.madelung import hbar_c
        from derive.units import E, dimension

        def dim(e, extra=None):  # dimensions do not see signs: |x| has the dimension of x; k is a pure number
            return dimension(e.replace(sp.Abs, lambda a: a), extra={k_branch: sp.S.One, **(extra or {})})
        hb = ctx["quantization.single-valued"].rules()[hbar]  # |mu|/(2 pi k)
        # [lambda] and [hbar_c] as units.constants displays them
        units = ctx[const].rules()
        hbc = units[DimensionOf("hbar_c")]
        rules = {**units, DimensionOf("hbar"): dim(hb),
                 DimensionOf("hbar_b^2 - hbar_c^2"): dim(hb ** 2 - hbar_c ** 2, {hbar_c: hbc})}
        return [Show(0, rules), Show(1, rules),
                Show(2, rules, nonzero=Nonzero(1 / E - E, {E: 2}), name="(3) [lambda] != [hbar]: 1/E - E at E = 2"),
                Show(3, rules), Show(4, rules)]
    return derive


@cache
def steps() -> tuple[Step, ...]:
    """Scope: the learning-equilibrium sector, and units."""
    phase, const = upstream("equilibrium.phase-constant"), upstream("units.constants")
    sector = Step(
        label="scope.equilibrium-sector",
        title="At learning equilibrium S is constant: zero circulation, only the sector n = 0",
        kind=Kind.CONDITIONAL, premises=((phase,) if phase else ()) + ("quantization.vortex",),
        statement=(sp.Eq(_CIRC_EQ, 0, evaluate=False),
                   sp.Eq(n, 0, evaluate=False),
                   sp.Eq(_CIRC_N - _CIRC_EQ, n * sp.Abs(mu) / k_branch, evaluate=False),
                   sp.Ne(_CIRC_N, _CIRC_EQ)),
        conditions=(Condition("learning equilibrium read as the stationary Fokker-Planck law p_eq = exp(-gamma F/D)/Z_q "
                              "at the matched point s4 lambda = -s2 gamma/(2D) (equilibrium.phase-constant); not the "
                              "factorisation Z = Z_1(beta) Z_2(q) (canonical.factorised-equilibrium) nor zero net "
                              "entropy production", case=("equilibrium", "stationary Fokker-Planck")),
                    Condition("mu != 0 (quantization.vortex: no period, no quantization at mu = 0)", holds=sp.Ne(mu, 0))),
        variant=(("equilibrium", "stationary Fokker-Planck"),),
        source=Source("KV2021", "abstract ('at the learning equilibrium')", "", Provenance.RECONSTRUCTED,
                      "the phrase is verbatim; its meaning in 2012.05082 was not seen: the package's own reading "
                      "(entropy.equilibria-not-equivalent lists the three candidates)"),
        transformation=("circulation on |q| = r of the premise's grad S = 0 (S = -T_q log Z_q is constant in q), an "
                        "integral over the angle; equate it with the vortex circulation n|mu|/k of quantization.vortex "
                        "and solve for the winding n (linear, mu != 0); a sector n != 0 differs by n|mu|/k, nonzero at "
                        "n = 1, mu = 1, k = 1"),
        note=("So the quantized sectors n != 0 live away from the learning equilibrium the abstract names: the "
              "Schrödinger description there is the n = 0 (ground-state) sector only." +
              ("" if phase else " Should rest on equilibrium.phase-constant (not yet available).")),
        derive=_d_sector(phase),
    )
    from derive.units import E

    box = DimensionOf
    units = Step(
        label="scope.units", title="ħ = |mu|/(2 pi k) is an energy; the multiplier lambda (1/E) could not be it",
        kind=Kind.IDENTITY, premises=("quantization.single-valued",) + ((const,) if const else ()),
        statement=(sp.Eq(box("hbar"), E, evaluate=False),
                   sp.Eq(box("lambda") * box("hbar"), 1, evaluate=False),
                   sp.Ne(box("lambda"), box("hbar")),
                   sp.Eq(box("hbar_b^2 - hbar_c^2"), E ** 2, evaluate=False),
                   sp.Eq(box("hbar"), box("hbar_c"), evaluate=False)),
        source=Source("KV2021", "§4 (hbar = |mu|/(2 pi k))", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: dimension analysis in the base units of units.base, with "
                      "[lambda] and [hbar_c] from units.constants (not in the paper's text)"),
        variant=(("units", "E, Q, T"),),
        transformation=("dimension of ħ = |mu|/(2 pi k) in the base units E, Q, T of units.base ([mu] = E, k a pure "
                        "number); [lambda] and [ħ_c] as units.constants displays them; [lambda] - [ħ] = 1/E - E is "
                        "nonzero at E = 2; ħ_b^2 - ħ_c^2 is homogeneous (a sum of distinct dimensions otherwise)"),
        note=("If the phase is beta F (quantization.phase-beta) ħ' = beta|mu|/(2 pi k) is dimensionless instead. "
              "ħ_b = |mu|/(2 pi k) is the ħ of quantization.single-valued; ħ_c that of the Madelung equations "
              "(consistency.match)."),
        derive=_d_units(const),
    )
    return (sector, units)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("scope")
