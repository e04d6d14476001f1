import dataclasses

import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.contents import derivation
from derive.proof import Nonzero, Show
from derive.symbols import hbar, t
from derive.wallstrom import nu, omega, state, steps
from derive.verify import Status, verify_step

from .helpers import replaced, verify_label, verify_planted


class TestWallstrom:
    def test_counterexample_verified(self):
        v = verify_label("wallstrom.counterexample")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"
        # the != of line 4 is carried by an exact point: exp(2 pi i nu) - 1 = -2 at nu = 1/2
        (name, where), = v.exact
        assert where == "at nu = 1/2: -2"

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
        planted = replaced(s.statement, 2, sp.exp(sp.pi * sp.I * nu))
        assert verify_planted("wallstrom.counterexample", planted).status is Status.FAILED

    def test_planted_circulation(self):
        s = verify_label("wallstrom.counterexample").step
        planted = replaced(s.statement, 4, sp.pi * hbar * nu)  # line 5: the circulation
        assert verify_planted("wallstrom.counterexample", planted).status is Status.FAILED

    def test_planted_ne_right_hand_side(self):
        """psi(theta + 2 pi)/psi(theta) != exp(2 pi i nu) is false: its difference is identically 0."""
        s = verify_label("wallstrom.counterexample").step
        planted = list(s.statement)
        planted[3] = sp.Ne(planted[3].lhs, sp.exp(2 * sp.pi * sp.I * nu), evaluate=False)
        assert not verify_planted("wallstrom.counterexample", planted).status.ok

    def test_integer_point_refutes_the_negative(self):
        """At an integer winding the exact value exp(2 pi i nu) - 1 is 0: the negative result is refuted."""
        d = derivation()
        s = d.step("wallstrom.counterexample")
        base = s.derive

        def at_integer(ctx):
            return [dataclasses.replace(x, nonzero=Nonzero(x.nonzero.value, {nu: 1})) if x.nonzero else x
                    for x in base(ctx)]
        planted = dataclasses.replace(s, derive=at_integer)
        assert verify_step(planted, d.premises_of(s.label), seed=7).status is Status.FAILED

    def test_planted_wavefunction_phase(self):
        """Line 7 pins the phase convention of S (a constant shift of S is otherwise invisible)."""
        s = verify_label("wallstrom.counterexample").step
        planted = replaced(s.statement, 6, s.statement[6].rhs * sp.exp(sp.I / 7))
        assert verify_planted("wallstrom.counterexample", planted).status is Status.FAILED

    @settings(max_examples=5, deadline=None)
    @given(k=st.integers(1, 4))
    def test_integer_winding_single_valued(self, k):
        S = state(sp.Integer(k))["S"]
        q1, q2 = sp.symbols("q_1 q_2", real=True)
        jump = S.subs(sp.atan2(q2, q1), 2 * sp.pi) - S.subs(sp.atan2(q2, q1), 0)
        assert sp.simplify(sp.exp(sp.I * jump / hbar) - 1) == 0
