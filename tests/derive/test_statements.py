"""The statement a step displays is the statement it verifies.

For every step, each side of each displayed relation, each ``given`` definition and each fact is
perturbed in turn (shifted by 1/7) and the step re-verified from its premises: it must not pass
(``failed``, or ``inconclusive`` when the altered display no longer reads as a definition).  Nothing
displayed goes unchecked.
"""

import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.verify import Status, verify_step

SHIFT = sp.Rational(1, 7)
STEPS = [s for s in derivation().steps if s.derive is not None]


def _shifted(rel, side):
    lhs, rhs = (rel.lhs + SHIFT, rel.rhs) if side == "lhs" else (rel.lhs, rel.rhs + SHIFT)
    return rel.func(lhs, rhs, evaluate=False)


def perturbations(step):
    """(what, altered step) for every side of every displayed relation, given entry and fact."""
    out = []
    if not step.kind.is_input:
        for i, rel in enumerate(step.statement):
            for side in ("lhs", "rhs"):
                st = list(step.statement)
                st[i] = _shifted(rel, side)
                out.append((f"statement[{i}].{side}", dataclasses.replace(step, statement=tuple(st))))
        for i, rel in enumerate(step.given):
            for side in ("lhs", "rhs"):
                g = list(step.given)
                g[i] = _shifted(rel, side)
                out.append((f"given[{i}].{side}", dataclasses.replace(step, given=tuple(g))))
    for j, (name, value) in enumerate(step.facts):
        shifted = ([(f"fact {name}", value + SHIFT)] if not isinstance(value, sp.Tuple) else
                   [(f"fact {name}[{c}]", sp.Tuple(*(v + SHIFT if i == c else v for i, v in enumerate(value))))
                    for c in range(len(value))])  # a tuple-valued fact: each component in turn
        for what, new in shifted:
            f = list(step.facts)
            f[j] = (name, new)
            out.append((what, dataclasses.replace(step, facts=tuple(f))))
    return out


@pytest.mark.parametrize("step", STEPS, ids=[s.label for s in STEPS])
def test_every_displayed_side_is_checked(step):
    premises = derivation().premises_of(step.label)
    verdict = verify_step(step, premises)
    assert verdict.status.ok, f"{step.label} does not pass unperturbed: {verdict.reason}"
    if verdict.status is Status.VACUOUS:  # an empty claim: its conditions cannot hold, nothing else is claimed
        assert "cannot hold" in verdict.reason
        return
    survivors = []
    for what, altered in perturbations(step):
        status = verify_step(altered, premises).status
        if status.ok:
            survivors.append((what, status.value))
    assert not survivors, f"{step.label}: perturbed display still passes: {survivors}"


def test_every_fact_is_tied_to_a_display():
    """A fact without a derivation would be handed to later steps unchecked."""
    untied = [s.label for s in derivation().steps if s.facts and s.derive is None]
    assert not untied, f"steps whose facts are not tied to their display: {untied}"
