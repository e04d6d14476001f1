"""Tests for derive.schrodinger: the Schrödinger equation with hbar = |mu|/(2 pi k) and m = s4/(2 gamma)."""

from __future__ import annotations

import sympy as sp

from derive.contents import derivation
from derive.schrodinger import hbar_b, verbatim_descent_step
from derive.verify import verify_step
from derive.verify import Status
from tests.derive.helpers import replaced, verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestEquation:
    def test_conditional_and_rests_on_both_chains(self):
        v = verify_label("schrodinger.equation")
        assert v.status is Status.CONDITIONAL
        assert {"madelung.equations", "madelung.schrodinger", "quantization.single-valued"} <= set(v.step.premises)
        assert dict(v.step.variant)["s4"] == "+1"

    def test_planted_dropped_gamma_fails(self):
        (eq,) = _statement("schrodinger.equation")
        gamma = sp.Symbol("gamma", positive=True)
        planted = sp.Eq(eq.lhs, eq.rhs.subs(gamma, 1), evaluate=False)
        assert verify_planted("schrodinger.equation", [planted]).status is Status.FAILED

    def test_planted_hbar_without_two_pi_fails(self):
        (eq,) = _statement("schrodinger.equation")
        planted = sp.Eq(eq.lhs, eq.rhs.subs(sp.pi, sp.Rational(1, 2)), evaluate=False)
        assert verify_planted("schrodinger.equation", [planted]).status is Status.FAILED


class TestNegativeMass:
    def test_conditional(self):
        v = verify_label("schrodinger.negative-mass")
        assert v.status is Status.CONDITIONAL and dict(v.step.variant)["s4"] == "-1"

    def test_planted_wrong_sign_fails(self):
        st_ = _statement("schrodinger.negative-mass")
        planted = replaced(st_, 0, st_[0].rhs.subs(hbar_b ** 2, -hbar_b ** 2))
        assert verify_planted("schrodinger.negative-mass", planted).status is Status.FAILED

    def test_conjugate_symmetry_is_displayed_and_checked(self):
        st_ = _statement("schrodinger.negative-mass")
        assert len(st_) == 3
        planted = replaced(st_, 1, -st_[1].rhs)  # psi* with +V instead of -V
        assert verify_planted("schrodinger.negative-mass", planted).status is Status.FAILED

    def test_the_conjugate_display_is_built_from_the_displayed_equations(self):
        # regression (planted-fault probe, seed 6): the conjugate relation was typed by a helper of its own, so a
        # changed sign inside it gave another true identity while the displayed equations stayed as they were
        neg, pos = _statement("schrodinger.negative-mass"), _statement("schrodinger.equation")
        psi_q = neg[0].lhs.atoms(sp.Derivative).pop().expr  # ψ(q₁, q₂, t) of i ħ ∂ₜψ
        v_q = [f for f in neg[0].rhs.atoms(sp.core.function.AppliedUndef) if f.func.__name__ == "V"][0]
        star = {psi_q: sp.conjugate(psi_q), v_q: -v_q}
        operator_pos = (pos[0].lhs - pos[0].rhs).xreplace(star)
        assert sp.expand(neg[1].lhs - sp.conjugate(neg[0].lhs - neg[0].rhs)) == 0
        assert sp.expand(neg[1].rhs + operator_pos) == 0


class TestEuclidean:
    def test_negative_result_verified(self):
        v = verify_label("schrodinger.euclidean")
        assert v.status is Status.VERIFIED and v.step.kind.value == "negative result"
        assert v.counts.inequalities == 1

    def test_planted_reversed_inequality_fails(self):
        (gt,) = _statement("schrodinger.euclidean")
        planted = sp.StrictLessThan(gt.lhs, gt.rhs)
        assert not verify_planted("schrodinger.euclidean", [planted]).status.ok


class TestConditions:
    def test_conditions_are_machine_readable(self):
        s = derivation().step("schrodinger.equation")
        assert {c.form for c in s.conditions} == {"postulate", "holds", "imposed", "case"}

    def test_verbatim_descent_case_is_vacuous(self):
        # issue 11: s2 = s4 = +1 at lambda = -gamma/(2D) gives hbar_c^2 = -12 D^2/gamma^2 < 0: the condition
        # hbar_c^2 > 0 realises to False, so the equation cannot hold there
        d = derivation()
        s = verbatim_descent_step()
        v = verify_step(s, {p: d.step(p) for p in s.premises})
        assert v.status is Status.VACUOUS, v.reason
        assert "realises to False" in v.reason

    def test_standard_case_is_not_vacuous(self):
        v = verify_label("schrodinger.equation")
        assert v.status is Status.CONDITIONAL and "ħ_c^2 > 0" in v.reason
