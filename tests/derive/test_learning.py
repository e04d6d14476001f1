import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from derive.chain import Derivation
from derive.canonical import steps as canonical_steps
from derive.errors import InputError
from derive.learning import drift_sign, steps
from derive.symbols import D, eta, sigma
from derive.verify import Status, verify_step

from .helpers import verify_label, verify_planted


class TestDriftConvention:
    def test_signs(self):
        assert drift_sign("descent") == -1 and drift_sign("ascent") == 1

    def test_bad_drift(self):
        with pytest.raises(InputError, match="drift must be one of"):
            drift_sign("sideways")

    def test_ascent_variant_verifies(self):
        chain = Derivation(canonical_steps() + steps(drift="ascent"))
        for label in ("learning.fokker-planck", "learning.stationary"):
            v = verify_step(chain.step(label), chain.premises_of(label))
            assert v.status.ok and v.step.variant == (("drift", "ascent"),)

    def test_ascent_has_no_sgd_step(self):
        assert "learning.sgd" not in [s.label for s in steps(drift="ascent")]


class TestLearningSteps:
    @pytest.mark.parametrize("label", [s.label for s in steps()])
    def test_each_step_passes(self, label):
        assert verify_label(label).status.ok

    def test_sgd_dropped_factor_two_fails(self):
        s = verify_label("learning.sgd").step
        planted = [s.statement[0], sp.Eq(D, eta**2 * sigma**2, evaluate=False)]
        assert verify_planted("learning.sgd", planted).status is Status.FAILED

    def test_stationary_wrong_temperature_fails(self):
        s = verify_label("learning.stationary").step
        law = s.statement[0]
        planted = [sp.Eq(law.lhs, law.rhs ** 2, evaluate=False)]  # exp(-2 gamma F / D)
        assert verify_planted("learning.stationary", planted).status is Status.FAILED

    def test_discrete_ou_wrong_error_term_fails(self):
        s = verify_label("learning.discrete-ou").step
        planted = list(s.statement)
        planted[1] = sp.Eq(planted[1].lhs, 2 * planted[1].rhs, evaluate=False)
        assert verify_planted("learning.discrete-ou", planted).status is Status.FAILED


@settings(max_examples=40, deadline=None)
@given(eta_=st.floats(1e-3, 0.5), a=st.floats(0.1, 3.0), s=st.floats(0.1, 5.0))
def test_discrete_variance_property(eta_, a, s):
    """Iterating the variance recursion converges to the stated exact value (independent of SymPy)."""
    if not 0.01 <= eta_ * a <= 1.9:
        return
    v = 0.0
    for _ in range(int(40 / (eta_ * a)) + 10):  # contraction (1 - eta a)^2 per step
        v = (1 - eta_ * a) ** 2 * v + eta_**2 * s**2
    assert v == pytest.approx(eta_ * s**2 / (a * (2 - eta_ * a)), rel=1e-6)
