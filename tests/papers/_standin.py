"""Stand-ins shared by the papers tests: a cross-check verdict and verdicts of every status."""

from __future__ import annotations

import sympy as sp

from derive.step import Kind, Provenance, Source, Step
from derive.verify import NumericWitness, Status, SymbolicWitness, Verdict
from numerics.stats import StatVerdict, make_verdict


def check(step: str, z: float = 0.5, passed: bool = True) -> StatVerdict:
    """A real StatVerdict (z, pass and detection computed, not set) with TeX specials in its text."""
    v = make_verdict(identity="dF/dq = <dH/dq> & 50% of #1_x", step=step, statistic="mean over chains",
                     estimate=1.0 + 0.01 * z, expected=1.0, stderr=0.01, n_samples=400, seed=7,
                     planted="beta' = 1.1 beta", planted_z=-20.0, threshold=4.15)
    assert v.passed == passed, "stand-in asked for a pass flag its z contradicts"
    return v


STRESS = r"T_q < 2 & 50% #1 {x} ~ ^ \ | $ ħ² ≤ γ ∮∂F·dq ∈ μℤ — “quoted” Schrödinger ⟨x⟩ ₖ ✓"

x = sp.Symbol("x", real=True)


def stress_step() -> Step:
    """A postulate whose every text field carries TeX specials and Unicode."""
    return Step(label="stress.special-chars_ok".replace("_", "-"), title=STRESS, kind=Kind.POSTULATE,
                statement=(sp.Eq(sp.Symbol(r"\text{Z = Z_1(beta) & Z_2}"), x ** 2, evaluate=False),),
                source=Source("KV2021", "§3 & §4", "(3.7)", Provenance.SECONDARY, note=STRESS),
                assumptions=(STRESS, "beta > 0"), conditions=(), variant=(("s_2", "-1"),), note=STRESS)


def long_step() -> Step:
    """A definition with a relation far too long for one line."""
    rhs = sp.Add(*[sp.Symbol(f"a_{i}") * sp.exp(-sp.Symbol("beta") * x ** i) / (1 + x ** 2) for i in range(24)])
    return Step(label="stress.long-equation", title="A long equation", kind=Kind.DEFINITION,
                statement=(sp.Eq(sp.Function("F")(x), rhs, evaluate=False),),
                source=Source("V2020b", "§5", "", Provenance.RECONSTRUCTED), premises=("stress.special-chars",))


def verdict(step: Step, status: Status) -> Verdict:
    """A verdict of the given status with witness records (the counterexample carries specials)."""
    sym = SymbolicWitness(("0",) if status.ok else ("x**2*gamma_1 - 1",), status.ok, ("expand",), 0.01)
    num = NumericWitness(5, 0.0 if status.ok else 0.25, 1e-15, 3, 30, status is not Status.FAILED,
                         (("x_1", "1.2345678901234567"), ("|residual|", "2.5e-01")) if status is Status.FAILED
                         else None, 0.01)
    if status is Status.ASSUMED:
        sym = num = None
    return Verdict(step, status, f"{status.value}: reason with T_q < 1 & 5%", sym, num, sp.__version__, 0.02)
