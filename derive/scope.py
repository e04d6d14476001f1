r"""Scope of the result: which learning equilibrium, which winding sectors, which units (KV2021 abstract, §4).

The abstract: "quantum mechanics provides a correct statistical description of the dynamics of the
grand canonical ensemble of neural networks at the learning equilibrium" [verbatim].  "Learning
equilibrium" has three non-equivalent meanings (referee.md §2, Step 15): the factorisation
Z = Z₁(β)Z₂(q) of 2004.09280 (``canonical.factorised-equilibrium``), the stationary Fokker–Planck law
(the matched point of ``equilibrium.phase-constant``), and zero net entropy production.  The
quantization chain uses the second: there :math:`S = F + T_q\log p_{eq}` is constant in q, so every loop
has zero circulation and only the sector n = 0 occurs — the quantized sectors n ≠ 0 live away from it
(``scope.equilibrium-sector``).

Units (``scope.units``): ħ = |μ|/2πk carries the units of the chemical potential, an energy E, as
the Madelung coefficient does (``units.constants``); the multiplier λ of 2008.01540 has units 1/E and
could not be ħ.

>>> [s.label for s in steps()]
['scope.equilibrium-sector', 'scope.units']
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.grand_canonical import upstream
from derive.notation import DimensionOf
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import D, Tq, coords, gamma, k_branch, lam, mu, n

__all__ = ["steps"]


def _d_sector(phase):
    def derive(ctx: Context):
        from derive.multivalued import _circulation, _q1, _q2

        if phase:
            S_eq = ctx[phase].statement[-1].rhs  # S = -T_q log Z_q: no q-dependence
        else:  # pragma: no cover - only while the canonical chain is missing
            S_eq = -Tq * sp.log(sp.Symbol("Z_q", positive=True))
        circ_eq = _circulation(S_eq.subs({x: y for x, y in zip(coords(2), (_q1, _q2))}))
        vortex = ctx["quantization.vortex"].statement[2].rhs  # n |mu|/k
        circ_claim, sector_claim = ctx.step.statement
        # the winding whose vortex circulation n|mu|/k (linear in n) equals the equilibrium circulation
        per_winding = sp.diff(vortex, n)  # |mu|/k, nonzero for mu != 0
        winding = (circ_eq - vortex.subs(n, 0)) / per_winding
        return [Obligation("at learning equilibrium oint grad S . dq = 0", circ_eq, circ_claim.rhs),
                Obligation("n|mu|/k = equilibrium circulation: the winding", winding, sector_claim.rhs,
                           where=sp.Ne(mu, 0)),
                Obligation("a sector n != 0 has circulation n|mu|/k != 0", vortex, circ_claim.rhs,
                           expect_zero=False, where=sp.And(sp.Ne(n, 0), sp.Ne(mu, 0)))]
    return derive


def _d_units(const):
    def derive(ctx: Context):
        from derive.units import dimension

        def dim(e):  # dimensions do not see signs: |x| has the dimension of x
            return dimension(e.replace(sp.Abs, lambda a: a), extra={k_branch: sp.S.One})
        hb = ctx["quantization.single-valued"].statement[1].rhs
        hb_dim, lam_dim, match_dim = ctx.step.statement
        obs = [Obligation("[|mu|/(2 pi k)] = E", dim(hb), hb_dim.rhs),
               Obligation("[lambda] = 1/E: lambda could not be hbar", dim(lam) / dim(hb), 1, expect_zero=False),
               Obligation("[hbar_b^2 - hbar_c^2] = E^2 (the consistency equation is homogeneous)",
                          dim(hb ** 2 - (4 * D * lam - gamma) / (gamma * lam ** 2)), match_dim.rhs)]
        if const:
            obs.append(Obligation("[hbar_b] = [hbar_c] (units.constants)", dim(hb),
                                  next(s.rhs for s in ctx[const].statement if s.lhs == DimensionOf("hbar_c"))))
        return obs
    return derive


@cache
def steps() -> tuple[Step, ...]:
    """Scope: the learning-equilibrium sector, and units."""
    phase, const = upstream("equilibrium.phase-constant"), upstream("units.constants")
    sector = Step(
        label="scope.equilibrium-sector",
        title="At learning equilibrium S is constant: zero circulation, only the sector n = 0",
        kind=Kind.CONDITIONAL, premises=((phase,) if phase else ()) + ("quantization.vortex",),
        statement=(sp.Eq(sp.Symbol("oint grad S . dq (learning equilibrium)"), 0, evaluate=False),
                   sp.Eq(n, 0, evaluate=False)),
        conditions=("learning equilibrium = the stationary Fokker-Planck law p_eq = exp(-gamma F/D)/Z_q at the "
                    "matched point s4 lambda = -s2 gamma/(2D) (equilibrium.phase-constant); not the factorisation "
                    "Z = Z_1(beta) Z_2(q) (canonical.factorised-equilibrium) nor zero net entropy production",),
        source=Source("KV2021", "abstract ('at the learning equilibrium')", "", Provenance.RECONSTRUCTED,
                      "the phrase is verbatim; its meaning in 2012.05082 was not seen (paper-derivation.md §5 item 8, "
                      "referee.md E5, G2)"),
        transformation=("circulation of the premise's S = -T_q log Z_q (constant in q) on |q| = r; equate it with the "
                        "vortex circulation n|mu|/k of quantization.vortex and solve for the winding n"),
        note=("So the quantized sectors n != 0 live away from the learning equilibrium the abstract names: the "
              "Schrodinger description there is the n = 0 (ground-state) sector only (referee.md E5)." +
              ("" if phase else " Should rest on equilibrium.phase-constant (not yet available).")),
        derive=_d_sector(phase),
    )
    from derive.units import E

    units = Step(
        label="scope.units", title="hbar = |mu|/(2 pi k) is an energy; the multiplier lambda (1/E) could not be it",
        kind=Kind.IDENTITY, premises=("quantization.single-valued",) + ((const,) if const else ()),
        statement=(sp.Eq(sp.Symbol("[hbar]"), E, evaluate=False),
                   sp.Ne(sp.Symbol("[lambda]"), sp.Symbol("[hbar]")),
                   sp.Eq(sp.Symbol("[hbar_b^2 - hbar_c^2]"), E ** 2, evaluate=False)),
        source=Source("referee", "§1 E7 (r06)", "", Provenance.RECONSTRUCTED),
        variant=(("units", "E, Q, T"),),
        transformation="dimension of each side in the base units E, Q, T of units.base ([mu] = E, k a pure number)",
        note=("If the phase is beta F (quantization.phase-beta) hbar' = beta|mu|/(2 pi k) is dimensionless instead "
              "(referee.md O6)."),
        derive=_d_units(const),
    )
    return (sector, units)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("scope")
