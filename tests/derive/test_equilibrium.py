import pytest
import sympy as sp

from derive.equilibrium import matched_lambda, steps
from derive.proof import Condition
from derive.symbols import D, Tq, gamma
from derive.verify import Status

from .helpers import replaced, verify_label, verify_planted

LABELS = [s.label for s in steps()]


class TestEquilibriumSteps:
    @pytest.mark.parametrize("label", LABELS)
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.VERIFIED, Status.CONDITIONAL), v.reason

    @pytest.mark.parametrize("label", LABELS)
    def test_conditions_are_machine_readable(self, label):
        s = verify_label(label).step
        assert all(isinstance(c, Condition) for c in s.conditions)

    def test_every_premise_read(self):
        for label in LABELS:
            v = verify_label(label)
            assert set(v.premises_used) == set(v.step.premises), label

    def test_verbatim_descent_is_negative(self):
        s = verify_label("equilibrium.verbatim-descent").step
        assert s.statement[1].rhs == -12 * D**2 / gamma**2
        assert dict(s.variant)["drift"] == "descent"


class TestPlantedErrors:
    def test_verbatim_value(self):
        s = verify_label("equilibrium.verbatim-descent").step
        planted = replaced(s.statement, 1, -11 * D**2 / gamma**2)
        assert verify_planted("equilibrium.verbatim-descent", planted).status is Status.FAILED

    def test_phase_sign(self):
        s = verify_label("equilibrium.phase-constant").step
        S_val = s.statement[-1]
        planted = list(s.statement[:-1]) + [sp.Eq(S_val.lhs, Tq * S_val.rhs.args[-1], evaluate=False)]
        assert verify_planted("equilibrium.phase-constant", planted).status is Status.FAILED

    def test_potential_factor(self):
        s = verify_label("equilibrium.ground-state").step
        V = s.statement[0].rhs
        planted = replaced(s.statement, 0, V.subs(D, D / 2))
        assert verify_planted("equilibrium.ground-state", planted).status is Status.FAILED

    def test_spectrum_factor(self):
        s = verify_label("equilibrium.spectrum").step
        planted = replaced(s.statement, 0, s.statement[0].rhs / 2)
        assert verify_planted("equilibrium.spectrum", planted).status is Status.FAILED

    def test_phase_definition(self):
        s = verify_label("equilibrium.phase-constant").step
        S_def = s.statement[0]
        planted = replaced(s.statement, 0, S_def.rhs.subs(Tq, 2 * Tq))  # c = -2 T_q: not the matched shift
        assert verify_planted("equilibrium.phase-constant", planted).status is Status.FAILED

    def test_matching_sign(self):
        s = verify_label("equilibrium.matching").step
        planted = replaced(s.statement, 2, -s.statement[2].rhs)
        assert verify_planted("equilibrium.matching", planted).status is Status.FAILED


class TestMatchedLambda:
    @pytest.mark.parametrize("s2,s4", [(1, 1), (-1, 1), (1, -1), (-1, -1)])
    def test_descent_relation(self, s2, s4):
        assert sp.simplify(s4 * matched_lambda(s2, s4) + s2 * gamma / (2 * D)) == 0
        assert sp.simplify(s4 * matched_lambda(s2, s4, "ascent") - s2 * gamma / (2 * D)) == 0

    def test_matched_hbar_case_names(self):
        """The names of the table are tied to their cases: swapping two left-hand sides fails."""
        s = verify_label("equilibrium.matched-planck").step
        planted = list(s.statement)
        a, b = planted[0], planted[1]  # two sign cases of the descent drift, with different values
        planted[0], planted[1] = sp.Eq(b.lhs, a.rhs, evaluate=False), sp.Eq(a.lhs, b.rhs, evaluate=False)
        assert a.rhs != b.rhs
        assert verify_planted("equilibrium.matched-planck", planted).status is Status.FAILED

    def test_spectrum_ratio(self):
        """E_n/hbar = r_n (the factor 2 dropped, the planted error of the cross-check) fails."""
        s = verify_label("equilibrium.spectrum").step
        planted = replaced(s.statement, 2, s.statement[2].rhs / 2)
        assert verify_planted("equilibrium.spectrum", planted).status is Status.FAILED

    def test_matching_current_lhs(self):
        """The name J_1 is the current at p_eq: planting 2 J_1 on the left fails."""
        s = verify_label("equilibrium.matching").step
        planted = list(s.statement)
        planted[0] = sp.Eq(2 * planted[0].lhs, planted[0].rhs, evaluate=False)
        assert verify_planted("equilibrium.matching", planted).status is Status.FAILED


def test_raising_realisation_is_inconclusive():
    """Regression: a realisation that raises while the display is read gives inconclusive, not a traceback."""
    import dataclasses

    from derive.contents import derivation
    from derive.proof import Realise, Show
    from derive.verify import verify_step

    d = derivation()
    s = d.step("equilibrium.verbatim-descent")

    def broken(ctx):
        ctx["equilibrium.matching"].statement, ctx["madelung.equations"].statement
        return [Show(i, Realise({}, lambda e: 1 / 0)) for i in range(len(s.statement))]
    v = verify_step(dataclasses.replace(s, derive=broken), d.premises_of(s.label))
    assert v.status is Status.INCONCLUSIVE and "ZeroDivisionError" in v.reason
