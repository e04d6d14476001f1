import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.entropy import steps
from derive.verify import Status, verify_step

from .helpers import replaced, verify_label, verify_planted


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
        planted = replaced(s.statement, 0, s.statement[0].rhs / 2)
        assert verify_planted("entropy.ito-term", planted).status is Status.FAILED

    def test_ito_term_nonzero_at_an_exact_point(self):
        v = verify_label("entropy.ito-term")
        assert v.status is Status.VERIFIED and v.exact and v.exact[0][1].endswith(": 2")

    def test_not_equivalent_is_a_negative_result_with_exact_points(self):
        v = verify_label("entropy.equilibria-not-equivalent")
        assert v.step.kind.value == "negative result" and v.status is Status.VERIFIED
        values = [value for _, value in v.exact]
        assert values[0].endswith("exp(-1/2)/(2*pi)") and values[1].endswith(": 1/2")

    def test_not_equivalent_planted_ne_rhs_fails(self):
        """Ne(dU_B/dq_1, 1/2): the difference vanishes at the exact point, so the planted claim is refuted."""
        s = verify_label("entropy.equilibria-not-equivalent").step
        planted = list(s.statement)
        planted[3] = sp.Ne(planted[3].lhs, sp.Rational(1, 2), evaluate=False)
        assert verify_planted("entropy.equilibria-not-equivalent", planted).status is Status.FAILED

    def test_not_equivalent_centred_gaussian_is_not_a_counterexample(self):
        """With the mean at 0 the OU example is stationary: the displayed d_t p != 0 must not pass."""
        s = verify_label("entropy.equilibria-not-equivalent").step
        a = sp.Symbol("a", real=True)
        given = tuple(sp.Eq(g.lhs, g.rhs.subs(a, 0), evaluate=False) for g in s.given)
        statement = tuple(r.subs(a, 0) for r in s.statement)
        d = derivation()
        v = verify_step(dataclasses.replace(s, given=given, statement=statement), d.premises_of(s.label))
        assert not v.status.ok

    def test_fisher_reads_the_production(self):
        d = derivation()
        prod = d.step("entropy.production")
        D = sp.Symbol("D", positive=True)
        r = prod.statement[0]
        wrong = dataclasses.replace(prod, statement=(sp.Eq(r.lhs, r.rhs.subs(D, 2 * D), evaluate=False),))
        premises = dict(d.premises_of("entropy.fisher"))
        premises["entropy.production"] = wrong
        assert verify_step(d.step("entropy.fisher"), premises).status is Status.FAILED

    def test_boundary_condition_names_the_postulate(self):
        for label in ("entropy.production", "entropy.fisher", "entropy.balance", "entropy.free-energy-production"):
            step = derivation().step(label)
            assert any(c.postulate == "learning.decaying-boundaries" for c in step.conditions)
            assert "learning.decaying-boundaries" in step.premises

    def test_ascent_convention(self):
        from derive.chain import Derivation
        from derive.canonical import steps as cs
        from derive.learning import steps as ls
        chain = Derivation(cs() + ls(drift="ascent") + tuple(
            s for s in steps(drift="ascent") if s.label in ("entropy.production", "entropy.balance")))
        for label in ("entropy.production", "entropy.balance"):
            assert verify_step(chain.step(label), chain.premises_of(label)).status.ok
