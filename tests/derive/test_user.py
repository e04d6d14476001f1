"""derive.user: your own steps on top of the package's chain (step, steps_of, check, extend / Extended).

The examples (examples/harmonic_oscillator.py, examples/wrong_energy.py) run the whole user path on the
package's chain; these tests pin down each function's contract and its refusals."""

import pytest
import sympy as sp

from derive.errors import InputError
from derive.proof import Show
from derive.step import Kind, Source, Step
from derive.user import Extended, check, extend, step, steps_of
from derive.verify import Status

x = sp.Symbol("x", real=True)


def _identity(label: str, lhs, rhs, premises=()) -> Step:
    return Step(label=label, title=label, kind=Kind.IDENTITY, premises=premises,
                statement=(sp.Eq(lhs, rhs, evaluate=False),), source=Source("user", "", "(1)", "reconstructed"),
                derive=lambda ctx: [Show(0)])


RIGHT = _identity("mine.right", sp.Derivative(sp.sin(x), x), sp.cos(x))
WRONG = _identity("mine.wrong", sp.Derivative(sp.sin(x), x), -sp.cos(x))


class TestStep:
    def test_returns_the_packages_step(self):
        assert step("canonical.ensemble").label == "canonical.ensemble"

    def test_a_near_miss_gets_a_did_you_mean(self):
        with pytest.raises(InputError, match="did you mean 'canonical.ensemble'"):
            step("canonical.ensembel")

    def test_a_far_miss_points_to_the_list(self):
        with pytest.raises(InputError, match="eqnn list"):
            step("zzz")


class TestStepsOf:
    def test_builds_a_module_with_options(self):
        steps = steps_of("madelung", K=3)
        assert steps and sp.Symbol("q_3", real=True) in steps[0].statement[0].free_symbols

    def test_unknown_module_lists_the_known_ones(self):
        with pytest.raises(InputError, match="unknown module 'nosuch'; known: canonical"):
            steps_of("nosuch")

    def test_an_option_the_module_does_not_take(self):
        with pytest.raises(InputError, match=r"does not take \['Q'\]"):
            steps_of("madelung", Q=3)


class TestCheck:
    def test_a_right_and_a_wrong_identity(self):
        assert check(RIGHT).status is Status.VERIFIED
        wrong = check(WRONG)
        assert wrong.status is Status.FAILED and wrong.numeric.counterexample

    def test_the_premises_must_be_handed_over(self):
        mine = _identity("mine.rests", x, x, premises=("canonical.ensemble",))
        with pytest.raises(InputError, match="rests on canonical.ensemble: hand those steps to check"):
            check(mine)

    def test_refuses_what_is_not_a_step(self):
        with pytest.raises(InputError, match="takes a derive.Step, got str"):
            check("mine.right")


class TestExtended:
    def test_verifies_only_your_steps(self):
        ext = extend([RIGHT, WRONG], base=())
        assert isinstance(ext, Extended) and ext.mine == ("mine.right", "mine.wrong") and not ext.package
        table = ext.verify()
        assert [v.status for v in table] == [Status.VERIFIED, Status.FAILED]
        assert ext.verify(only="mine.wrong").labels == ("mine.wrong",)

    def test_a_step_of_your_own_is_found_with_its_label(self):
        assert extend(RIGHT, base=()).step("mine.right") is RIGHT

    def test_a_label_of_the_chain_is_refused(self):
        taken = _identity("canonical.ensemble", x, x)
        with pytest.raises(InputError, match="already in the chain: canonical.ensemble"):
            extend([taken])

    @pytest.mark.parametrize("steps, message", [
        ([], "needs at least one step"),
        (["mine.right"], "takes derive.Step values, got str"),
    ])
    def test_refuses_no_steps_or_other_values(self, steps, message):
        with pytest.raises(InputError, match=message):
            extend(steps, base=())

    def test_a_label_asked_twice(self):
        with pytest.raises(InputError, match="given twice: mine.right"):
            extend([RIGHT], base=()).verify(only=["mine.right", "mine.right"])
