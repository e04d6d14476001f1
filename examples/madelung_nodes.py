"""The Madelung decomposition of an oscillator state with a node: what the verifier says there.

ψ₁(q₁)ψ₀(q₂) vanishes on the line q₁ = 0.  We display the package's Madelung pair (continuity and
quantum Hamilton–Jacobi, from ``madelung.equations``) and realise it with p = |ψ|², S = −Et,
V = ½mω²|q|², m = 1/2γ, ħ_c = ħ.  √p = |q₁|·(...) is not smooth at the node: the quantum potential
∂²√p/√p carries a delta there.  The verifier says so:

* on the whole plane: **inconclusive**: SymPy is left with the node term −2γħ²|q₁|δ(q₁)/q₁²
  (and −ħω + ∞·δ(0) at q₁ = 0), while the numeric witness, which never samples q₁ = 0 exactly,
  agrees; an inconclusive verdict is never a pass;
* on either side of the node (condition q₁ > 0, or q₁ < 0): **conditional**, both witnesses agree;
* at the node itself (points restricted to q₁ = 0): **inconclusive**: no admissible point.

    python examples/madelung_nodes.py
"""

import sympy as sp
from sympy.physics.qho_1d import psi_n
from sympy.physics.quantum.constants import hbar as qho_hbar

import derive

q1, q2 = derive.coords(2)
omega = sp.Symbol("omega", positive=True)
MADELUNG = derive.lookup("madelung.equations")
P, S, V = (derive.field(f, (q1, q2)) for f in (derive.p, derive.S, derive.V))
mass = 1 / (2 * derive.gamma)
state = (psi_n(1, q1, mass, omega) * psi_n(0, q2, mass, omega)).subs(qho_hbar, derive.hbar)  # real, node at q1 = 0
energy = 2 * derive.hbar * omega


def pair_of_state(conditions=(), where=None) -> derive.Step:
    """The Madelung pair (relations 2, 3 of madelung.equations) for p = ψ², S = −Et."""
    def derivation(ctx):
        assert ctx["madelung.equations"].statement[1:3] == ctx.step.statement, "the package's pair changed"
        model = {P: state**2, S: -energy * derive.t, V: mass * omega**2 * (q1**2 + q2**2) / 2,
                 derive.m: mass, derive.hbar_c: derive.hbar}
        return [derive.Show(0, model, where=where), derive.Show(1, model, where=where)]
    return derive.Step(label="mine.madelung-node", title="The Madelung pair of psi_1 psi_0 (a node at q_1 = 0)",
                       kind=derive.Kind.CONDITIONAL if conditions else derive.Kind.IDENTITY,
                       premises=("madelung.equations",), statement=MADELUNG.statement[1:3], conditions=conditions,
                       source=derive.Source("user", "", "(1)", "reconstructed"), derive=derivation)


if __name__ == "__main__":
    cases = {
        "whole plane": pair_of_state(),
        "q_1 > 0": pair_of_state((derive.Condition("q_1 > 0 (right of the node)", holds=q1 > 0),)),
        "q_1 < 0": pair_of_state((derive.Condition("q_1 < 0 (left of the node)", holds=q1 < 0),)),
        "at the node": pair_of_state(where=sp.Eq(q1, 0)),
    }
    verdicts = {name: derive.check(step, MADELUNG) for name, step in cases.items()}
    for name, v in verdicts.items():
        print(f"{name:12s} {v.status.value:12s} {v.reason[:160]}")
    print("what SymPy is left with on the whole plane:", verdicts["whole plane"].symbolic.residuals[1])
    assert verdicts["whole plane"].status is derive.Status.INCONCLUSIVE
    assert "DiracDelta(q_1)" in verdicts["whole plane"].symbolic.residuals[1]
    assert verdicts["q_1 > 0"].status is verdicts["q_1 < 0"].status is derive.Status.CONDITIONAL
    assert verdicts["at the node"].status is derive.Status.INCONCLUSIVE
    assert "no admissible point" in verdicts["at the node"].reason
