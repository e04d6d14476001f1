"""Hydrogen states in K = 3: the package's Schrödinger form of the Madelung pair, ``madelung.steps(K=3)``.

ψ = R_nl(r) Y(q)/r^l · e^{−iEt/ħ} with R_nl from ``sympy.physics.hydrogen`` (atomic units: ħ = m = 1,
V = −Z/r, E_n = −Z²/2n²) and Y a real harmonic polynomial of degree l (1, q₃, q₁q₂), checked against
relation (1) of ``madelung.schrodinger`` built for K = 3 trainable variables.

    python examples/hydrogen.py
"""

import sympy as sp
from sympy.physics.hydrogen import E_nl, R_nl

import derive

q = derive.coords(3)
Z = sp.Symbol("Z", positive=True)
r = sp.sqrt(sum(x**2 for x in q))
MADELUNG_3 = {s.label: s for s in derive.steps_of("madelung", K=3)}["madelung.schrodinger"]
HARMONIC = {0: sp.S.One, 1: q[2], 2: q[0] * q[1]}  # r^l Y_lm, real, one per l


def hydrogen(n: int, l: int, energy) -> derive.Step:
    """The state (n, l) with energy ``energy`` (atomic units) in the 3-D Schrödinger equation."""
    state = R_nl(n, l, r, Z) * HARMONIC[l] / r**l * sp.exp(-sp.I * energy * derive.t)

    def derivation(ctx):
        (equation, _) = ctx["madelung.schrodinger"].statement  # i ħ ∂ₜψ = −ħ²/2m ∇²ψ + Vψ, ψ = √p e^{iS/ħ}
        assert equation == ctx.step.statement[0]
        return [derive.Show(0, {derive.hbar: 1, derive.m: 1}, name="atomic units: hbar = m = 1")]
    return derive.Step(
        label=f"hydrogen.state-{n}{'spd'[l]}", title=f"The hydrogen state {n}{'spd'[l]} in K = 3",
        kind=derive.Kind.IDENTITY, premises=("madelung.schrodinger",), statement=MADELUNG_3.statement[:1],
        given=(sp.Eq(derive.field(derive.psi, q), state, evaluate=False),
               sp.Eq(derive.field(derive.V, q), -Z / r, evaluate=False)),
        source=derive.Source("user", "", "hydrogen", "reconstructed"), derive=derivation)


if __name__ == "__main__":
    for n, l in [(1, 0), (2, 0), (2, 1), (3, 2)]:
        v = derive.check(hydrogen(n, l, E_nl(n, Z)), MADELUNG_3)
        print(f"{v.label:18s} {v.status.value:10s} E = {E_nl(n, Z)}")
        assert v.status is derive.Status.VERIFIED, v.reason
    wrong = derive.check(hydrogen(2, 1, E_nl(1, Z)), MADELUNG_3)  # the 1s energy for a 2p state
    print(f"{wrong.label:18s} {wrong.status.value:10s} with E_1: counterexample {dict(wrong.numeric.counterexample)}")
    assert wrong.status is derive.Status.FAILED
