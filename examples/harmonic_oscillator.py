"""Harmonic-oscillator eigenstates through the package's Schrödinger step (``schrodinger.equation``).

The step of our own displays the package's equation i ħ ∂ₜψ = −ħ²γ∇²ψ + Vψ (ħ = |μ|/2πk, m = 1/2γ)
with ψ = ψ_n(q₁)ψ₀(q₂)e^{−i(n+1)ωt} and V = ω²|q|²/4γ (= ½mω²|q|²) given: the verifier substitutes the
given definitions into both sides and checks the result with both witnesses.

    python examples/harmonic_oscillator.py
"""

import sympy as sp
from sympy.physics.qho_1d import psi_n
from sympy.physics.quantum.constants import hbar as qho_hbar  # qho_1d's ħ: replaced by the package's

import derive

q1, q2 = derive.coords(2)
omega = sp.Symbol("omega", positive=True)
SCHRODINGER = derive.lookup("schrodinger.equation")


def oscillator(n: int, quanta) -> derive.Step:
    """ψ_n(q₁)ψ₀(q₂) with E/ħ = ``quanta``·ω in the package's Schrödinger equation (right: quanta = n + 1)."""
    m = 1 / (2 * derive.gamma)  # the package's mass
    phi = (psi_n(n, q1, m, omega) * psi_n(0, q2, m, omega)).subs(qho_hbar, derive.hbar_b)

    def derivation(ctx):  # the display is the package's equation, read from the premise
        assert ctx["schrodinger.equation"].statement == ctx.step.statement, "the package's equation changed"
        return [derive.Show(0)]
    return derive.Step(
        label=f"oscillator.state-{n}", title=f"psi_{n}(q_1) psi_0(q_2) solves the package's Schrodinger equation",
        kind=derive.Kind.IDENTITY, premises=("schrodinger.equation",), statement=SCHRODINGER.statement,
        given=(sp.Eq(derive.field(derive.psi, (q1, q2)), phi * sp.exp(-sp.I * quanta * omega * derive.t), evaluate=False),
               sp.Eq(derive.field(derive.V, (q1, q2)), m * omega**2 * (q1**2 + q2**2) / 2, evaluate=False)),
        source=derive.Source("user", "", "harmonic oscillator", "reconstructed"), derive=derivation)


if __name__ == "__main__":
    mine = [oscillator(n, n + 1) for n in range(4)]
    table = derive.extend(mine).verify()
    print(table)
    assert all(v.status is derive.Status.VERIFIED for v in table), table
