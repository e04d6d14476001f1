import dataclasses

import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.contents import derivation
from derive.symbols import hbar, t
from derive.wallstrom import nu, omega, state, steps
from derive.verify import Status, verify_step

from .helpers import verify_label, verify_planted


class TestWallstrom:
    def test_counterexample_verified(self):
        v = verify_label("wallstrom.counterexample")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"
        assert v.numeric.counterexample  # the point where psi fails to be single-valued

    def test_planted_energy(self):
        """A wrong energy in the state (a definition, in ``given``) breaks the quantum HJ claim."""
        d = derivation()
        s = d.step("wallstrom.counterexample")
        defs = list(s.given)
        defs[1] = sp.Eq(defs[1].lhs, defs[1].rhs.subs(t, 2 * t), evaluate=False)
        planted = dataclasses.replace(s, given=tuple(defs))
        assert verify_step(planted, d.premises_of(s.label), seed=7).status is Status.FAILED

    def test_planted_monodromy(self):
        s = verify_label("wallstrom.counterexample").step
        planted = list(s.statement)
        planted[2] = sp.Eq(planted[2].lhs, sp.exp(sp.pi * sp.I * nu), evaluate=False)
        assert verify_planted("wallstrom.counterexample", planted).status is Status.FAILED

    def test_planted_circulation(self):
        s = verify_label("wallstrom.counterexample").step
        planted = list(s.statement)
        planted[4] = sp.Eq(planted[4].lhs, sp.pi * hbar * nu, evaluate=False)  # line 5: the circulation
        assert verify_planted("wallstrom.counterexample", planted).status is Status.FAILED

    @settings(max_examples=5, deadline=None)
    @given(k=st.integers(1, 4))
    def test_integer_winding_single_valued(self, k):
        S = state(sp.Integer(k))["S"]
        q1, q2 = sp.symbols("q_1 q_2", real=True)
        jump = S.subs(sp.atan2(q2, q1), 2 * sp.pi) - S.subs(sp.atan2(q2, q1), 0)
        assert sp.simplify(sp.exp(sp.I * jump / hbar) - 1) == 0
