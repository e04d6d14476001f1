import sympy as sp
import pytest

from derive.action import SIGN_CASES, lagrangian, s2, s4, sign_variant, steps
from derive.step import Kind
from derive.symbols import D
from derive.verify import Status

from .helpers import replaced, verify_label, verify_planted

LABELS = [s.label for s in steps()]


class TestActionSteps:
    @pytest.mark.parametrize("label", LABELS)
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.VERIFIED, Status.CONDITIONAL, Status.ASSUMED), v.reason

    def test_principle_is_a_postulate_and_terms_verbatim(self):
        by = {s.label: s for s in steps()}
        assert by["action.principle"].kind is Kind.POSTULATE
        assert by["action.terms"].source.provenance.value == "verbatim"
        assert by["action.lagrangian"].source.provenance.value == "reconstructed"
        assert any("independent field" in a for a in by["action.lagrangian"].assumptions)

    def test_the_displayed_action_is_the_principles_at_its_stationary_point(self):
        # regression (planted-fault probe, seed 6: S_e(0) -> S_e(1) survived): the action of display (2) is
        # tied to the point where action.principle makes S_e(eps) stationary
        v = verify_label("action.lagrangian")
        assert "action.principle" in v.premises_used
        st = v.step.statement
        planted = [st[0], sp.Eq(st[1].lhs.func(1), st[1].rhs, evaluate=False)]
        wrong = verify_planted("action.lagrangian", planted)
        assert wrong.status is Status.FAILED and "the action displayed in (2)" in wrong.reason

    def test_fisher_wrong_factor_fails(self):
        st = verify_label("action.fisher-form").step.statement
        planted = replaced(st, 1, 2 * st[1].rhs)
        assert verify_planted("action.fisher-form", planted).status is Status.FAILED

    def test_fisher_item_one_read_from_the_lagrangian(self):
        """Item 1 displayed with the wrong factor does not match L at gamma = lambda = 0."""
        st = verify_label("action.fisher-form").step.statement
        planted = replaced(st, 2, st[2].rhs / 4)
        assert verify_planted("action.fisher-form", planted).status is Status.FAILED

    def test_symmetry_planted_fails(self):
        """The map without s4 -> -s4 does not leave L invariant."""
        st = verify_label("action.sign-symmetry").step.statement[0]
        sub = st.lhs
        point = list(sub.point)
        point[1] = s4
        planted = [sp.Eq(sp.Subs(sub.expr, sub.variables, tuple(point)), st.rhs, evaluate=False)]
        assert verify_planted("action.sign-symmetry", planted).status is Status.FAILED


class TestLagrangian:
    def test_signs_are_parameters(self):
        L = lagrangian(2)
        assert L.has(s2) and L.has(s4)
        assert not lagrangian(2, 1, 1).has(s2)

    def test_sign_cases_verbatim_first(self):
        assert SIGN_CASES[0] == (1, 1) and len(set(SIGN_CASES)) == 4

    def test_sign_variant(self):
        assert dict(sign_variant("+1", "-1", "+", drift="descent")) == {
            "s2": "+1", "s4": "-1", "lambda": "+", "drift": "descent"}

    def test_k_parameter(self):
        assert len(steps(3)[2].fact["L"].atoms(sp.Symbol) & {sp.Symbol("q_3", real=True)}) == 1
        assert D in lagrangian(1).free_symbols
