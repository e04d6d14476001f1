import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.entropy import steps
from derive.verify import Status, verify_step

from .helpers import verify_label, verify_planted


class TestEntropySteps:
    @pytest.mark.parametrize("label", [s.label for s in steps()])
    def test_each_step_passes(self, label):
        assert verify_label(label).status.ok

    def test_production_wrong_learning_sign_fails(self):
        s = verify_label("entropy.production").step
        r = s.statement[0]
        fisher, learning = r.rhs.as_ordered_terms()[0], None
        planted = sp.Eq(r.lhs, r.rhs.subs(sp.Symbol("gamma", positive=True), -sp.Symbol("gamma", positive=True)),
                        evaluate=False)
        assert verify_planted("entropy.production", [planted]).status is Status.FAILED

    def test_ito_term_wrong_factor_fails(self):
        s = verify_label("entropy.ito-term").step
        r = s.statement[0]
        assert verify_planted("entropy.ito-term", [sp.Eq(r.lhs, r.rhs / 2, evaluate=False)]).status is Status.FAILED

    def test_not_equivalent_is_a_negative_result(self):
        v = verify_label("entropy.equilibria-not-equivalent")
        assert v.step.kind.value == "negative result" and v.status is Status.VERIFIED
        assert v.numeric.counterexample is not None

    def test_ascent_convention(self):
        from derive.chain import Derivation
        from derive.canonical import steps as cs
        from derive.learning import steps as ls
        chain = Derivation(cs() + ls(drift="ascent") + tuple(
            s for s in steps(drift="ascent") if s.label in ("entropy.production", "entropy.balance")))
        for label in ("entropy.production", "entropy.balance"):
            assert verify_step(chain.step(label), chain.premises_of(label)).status.ok
