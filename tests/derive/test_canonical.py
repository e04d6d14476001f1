import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.canonical import N_STATES, microstates, realise, steps
from derive.chain import Derivation
from derive.notation import Avg, Var
from derive.step import Context
from derive.symbols import H, beta, coords
from derive.verify import obligations, Status, verify_step

from .helpers import verify_label, verify_planted

LABELS = [s.label for s in steps()]


class TestCanonicalSteps:
    @pytest.mark.parametrize("label", LABELS)
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.VERIFIED, Status.CONDITIONAL, Status.ASSUMED), v.reason

    def test_force_wrong_sign_fails(self):
        s = verify_label("canonical.force").step
        planted = [sp.Eq(r.lhs, -r.rhs, evaluate=False) for r in s.statement]
        assert verify_planted("canonical.force", planted).status is Status.FAILED

    def test_hessian_factor_two_fails(self):
        s = verify_label("canonical.hessian").step
        planted = [sp.Eq(r.lhs, r.rhs.subs(beta, 2 * beta), evaluate=False) for r in s.statement]
        v = verify_planted("canonical.hessian", planted)
        assert v.status is Status.FAILED and v.numeric.counterexample

    def test_energy_variance_sign_fails(self):
        s = verify_label("canonical.energy-variance").step
        planted = [sp.Eq(s.statement[0].lhs, -s.statement[0].rhs, evaluate=False)]
        assert verify_planted("canonical.energy-variance", planted).status is Status.FAILED

    @settings(max_examples=4, deadline=None)
    @given(K=st.integers(1, 3), n=st.integers(2, 5))
    def test_other_sizes(self, K, n):
        """The identities hold for other numbers of trainable variables and of microstates."""
        chain = Derivation(steps(K, n))
        for label in ("canonical.force", "canonical.energy-variance"):
            v = verify_step(chain.step(label), chain.premises_of(label))
            assert v.status is Status.VERIFIED, (K, n, v.reason)


class TestRealise:
    def test_average_of_constant(self):
        assert sp.simplify(realise(Avg(sp.Integer(3)), 1, 3) - 3) == 0

    def test_variance_nonnegative_numerically(self):
        q = coords(1)
        x = sp.Symbol("x")
        expr = realise(Var(H(x, *q)), 1, 3)
        hs = microstates(1, 3)
        vals = {h: v for h, v in zip(hs, (0.1, -0.4, 1.3))}
        assert float(expr.subs(vals).subs(beta, 0.7)) > 0


@settings(max_examples=30, deadline=None)
@given(b=st.floats(0.05, 5.0), coeffs=st.lists(st.floats(-2, 2), min_size=8, max_size=8),
       q0=st.floats(-1.5, 1.5), q1=st.floats(-1.5, 1.5))
def test_force_identity_property(b, coeffs, q0, q1):
    """Random β > 0 and random quadratic energies: ∂F/∂q_k from the derivation equals ⟨∂H/∂q_k⟩."""
    s = verify_label("canonical.force").step
    chain = Derivation(steps())
    obs = obligations(s, chain.premises_of(s.label))
    qs = coords(2)
    c = np.array(coeffs).reshape(4, 2)
    energies = {h.func: sp.Lambda(qs, c[i, 0] * qs[0] + c[i, 1] * qs[1] ** 2)
                for i, h in enumerate(microstates(2, N_STATES))}
    for ob in obs:
        vals = []
        for side in (ob.derived, ob.claimed):
            e = side.replace(lambda a: a.func in energies, lambda a: energies[a.func](*a.args)).doit()
            vals.append(float(e.subs({beta: b, qs[0]: q0, qs[1]: q1})))
        assert vals[0] == pytest.approx(vals[1], rel=1e-9, abs=1e-9)
