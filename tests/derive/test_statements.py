"""The statement a step displays is the statement it verifies.

For every step that is not an input, each equation of its statement is perturbed in turn (its
right-hand side shifted by 1/7) and the step re-verified from its premises: it must come out
``failed`` (or its derivation must refuse the altered statement).  A step whose statement has no
equation must be a negative result or a theorem, whose claim is carried by its obligations.
Definitions shown with a statement belong in ``Step.given``.
"""

import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.step import Kind
from derive.verify import Status, verify_step

STEPS = [s for s in derivation().steps if not s.kind.is_input]


def _perturbed(step, i):
    st = list(step.statement)
    st[i] = sp.Eq(st[i].lhs, st[i].rhs + sp.Rational(1, 7), evaluate=False)
    return dataclasses.replace(step, statement=tuple(st))


@pytest.mark.parametrize("step", STEPS, ids=[s.label for s in STEPS])
def test_every_stated_equation_is_verified(step):
    premises = derivation().premises_of(step.label)
    equations = [i for i, r in enumerate(step.statement) if isinstance(r, sp.Equality)]
    if not equations:
        assert step.kind in (Kind.NEGATIVE, Kind.THEOREM), (
            f"{step.label}: a {step.kind.value} needs at least one equation in its statement")
        return
    untied = []
    for i in equations:
        try:
            status = verify_step(_perturbed(step, i), premises).status
        except Exception:  # noqa: BLE001 - refusing the altered statement also ties it
            continue
        if status is not Status.FAILED:
            untied.append((i, str(step.statement[i])[:80], status.value))
    assert not untied, f"{step.label}: perturbed equations still pass (display them in `given`?): {untied}"
