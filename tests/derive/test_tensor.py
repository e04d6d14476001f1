import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.proof import Nonzero
from derive.tensor import steps, tensor
from derive.action import s2, s4
from derive.symbols import V, hbar, lam
from derive.verify import Status, verify_step

from .helpers import replaced, verify_label, verify_planted


class TestTensorSteps:
    @pytest.mark.parametrize("label", [s.label for s in steps()])
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.CONDITIONAL, Status.ASSUMED), v.reason

    def test_tensor_symmetric(self):
        G = tensor("G", 3)
        assert G == G.T and len(G.free_symbols) == 6

    def test_facts_are_components(self):
        s = verify_label("tensor.equations").step
        assert sorted(s.fact) == ["A_11", "A_12", "A_22"]

    def test_counter_case_exact_point(self):
        v = verify_label("tensor.scalar-planck")
        (name, where), = v.exact
        assert where.endswith(": -4")


class TestPlantedErrors:
    def test_the_orderings_are_the_scalar_action_at_constant_rate(self):
        # regression (planted-fault probe, seeds 9 and 11: terms of the typed 1-D Lagrangian that the claim about
        # E_F cannot see survived): at G = gamma both orderings must be action.lagrangian's L in one variable
        d = derivation()
        step = d.step("tensor.ordering")
        g = step.given
        v_term = [a for a in sp.Add.make_args(g[0].rhs) if a.has(V)][0]
        planted = (sp.Eq(g[0].lhs, g[0].rhs + v_term, evaluate=False), g[1])  # lambda p V twice in L_div
        wrong = verify_step(dataclasses.replace(step, given=planted), d.premises_of(step.label))
        assert wrong.status is Status.FAILED and "at G = gamma: the one-variable action" in wrong.reason

    def test_the_tensor_action_reduces_to_the_scalar_one(self):
        # tensor.lagrangian reads its premise: with G = gamma 1, D = D 1 it is action.lagrangian's L
        v = verify_label("tensor.lagrangian")
        assert v.status is Status.ASSUMED and "action.lagrangian" in v.premises_used
        st = v.step.statement
        planted = replaced(st, 0, st[0].rhs.subs(s4, -s4))  # the |grad F|^2 term with the other sign
        wrong = verify_planted("tensor.lagrangian", planted)
        assert wrong.status is Status.FAILED and "L_G at G = gamma 1" in wrong.reason

    def test_scalar_hbar(self):
        s = verify_label("tensor.scalar-planck").step
        planted = replaced(s.statement, 0, 2 * s.statement[0].rhs)
        assert verify_planted("tensor.scalar-planck", planted).status is Status.FAILED

    def test_forced_proportionality(self):
        s = verify_label("tensor.scalar-planck").step
        planted = replaced(s.statement, 1, s.statement[1].rhs.subs(s2**2, -s2**2))
        assert verify_planted("tensor.scalar-planck", planted).status is Status.FAILED

    def test_counter_case_at_proportional_point_refuted(self):
        """At D = G (proportional) the gap A_11/G_11 - A_22/G_22 is 0 exactly: the != is refuted."""
        d = derivation()
        s = d.step("tensor.scalar-planck")
        G, Dt = tensor("G", 2), tensor("D", 2)
        base = s.derive

        def proportional(ctx):
            at = {G[0, 0]: 1, G[1, 1]: 1, G[0, 1]: 0, Dt[0, 0]: 1, Dt[1, 1]: 1, Dt[0, 1]: 0, lam: 1, s2: 1, s4: 1}
            return [dataclasses.replace(x, nonzero=Nonzero(x.nonzero.value, at)) if x.nonzero else x
                    for x in base(ctx)]
        planted = dataclasses.replace(s, derive=proportional)
        assert verify_step(planted, d.premises_of(s.label), seed=7).status is Status.FAILED

    def test_ordering_residual(self):
        s = verify_label("tensor.ordering").step
        planted = replaced(s.statement, 1, -s.statement[1].rhs)
        assert verify_planted("tensor.ordering", planted).status is Status.FAILED

    def test_ordering_lagrangian(self):
        """A wrong divergence-form Lagrangian (a given entry) is caught by the product-rule line."""
        d = derivation()
        s = d.step("tensor.ordering")
        g = list(s.given)
        g[0] = sp.Eq(g[0].lhs, g[0].rhs * 2, evaluate=False)
        planted = dataclasses.replace(s, given=tuple(g))
        assert verify_step(planted, d.premises_of(s.label), seed=7).status is Status.FAILED

    def test_inverse_mass_factor(self):
        s = verify_label("tensor.equations").step
        cont = s.statement[1]
        planted = [s.statement[0], sp.Eq(cont.lhs.subs(sp.Integer(2), 3), 0, evaluate=False), s.statement[2]]
        assert verify_planted("tensor.equations", planted).status is Status.FAILED

    def test_shift_coefficient(self):
        s = verify_label("tensor.equations").step
        planted = replaced(s.statement, 0, 2 * s.statement[0].rhs)
        assert verify_planted("tensor.equations", planted).status is Status.FAILED

    def test_fact_planted(self):
        d = derivation()
        s = d.step("tensor.equations")
        facts = [(k, v * 2 if k == "A_12" else v) for k, v in s.facts]
        planted = dataclasses.replace(s, facts=tuple(facts))
        assert verify_step(planted, d.premises_of(s.label), seed=7).status is Status.FAILED
