"""The gaps as data (derive.gaps): the steps they name exist, their claims verify, and the facts the
document reads for the gaps and the readings of m and ħ are tied to the displays (a planted fact fails)."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive.contents import derivation
from derive.errors import InputError
from derive.gaps import GAPS, Gap, gap, labels
from derive.verify import Status, verify_step
from tests.derive.helpers import verify_label


def test_three_gaps_with_their_steps():
    assert [g.key for g in GAPS] == ["G1", "G2", "G3"]
    assert set(gap("G1").claims) == {"madelung.not-sgd", "madelung.fp-factor-two"}
    assert gap("G2").postulate == "multivalued.postulate"
    assert set(gap("G2").claims) == {"multivalued.omega-single-valued", "multivalued.bounded-gradient",
                                     "multivalued.driven-loop"}
    assert set(gap("G3").claims) == {"consistency.match", "consistency.nonlinear"}
    assert "G3" in labels()["consistency.match"]
    with pytest.raises(InputError):
        gap("G4")


def test_every_named_step_exists():
    known = {s.label for s in derivation().steps}
    for g in GAPS:
        assert set(g.steps) <= known, (g.key, set(g.steps) - known)
        if g.display is not None:
            step = derivation().step(g.display[0])
            assert set(g.display[1]) <= set(step.fact), g.key


def test_a_claim_must_be_named():
    with pytest.raises(ValueError):
        Gap("G9", "t", "s", ("a.b",), claims=("c.d",))


@pytest.mark.parametrize("label", sorted({lab for g in GAPS for lab in g.claims}))
def test_claim_steps_verify(label):
    v = verify_label(label)
    assert v.status in (Status.VERIFIED, Status.CONDITIONAL), (label, v.status, v.reason)


def test_postulate_is_a_postulate():
    from derive.step import Kind

    assert derivation().step(gap("G2").postulate).kind is Kind.POSTULATE


#: the facts the document reads (readings of m and ħ, the display of G3), each with a planted value
PLANTED = [
    ("madelung.no-item-2", "m"), ("madelung.no-item-2", "hbar_c_sq"),
    ("madelung.nelson", "m"), ("madelung.nelson", "hbar"),
    ("madelung.bound", "lambda_star"), ("madelung.bound", "hbar_c_max"),
    ("equilibrium.verbatim-descent", "hbar_c_sq"),
    ("quantization.largest", "h"),
    ("consistency.match", "discriminant_normalised"), ("consistency.match", "mu_max"),
]


@pytest.mark.parametrize("label,name", PLANTED)
def test_planted_fact_fails(label, name):
    d = derivation()
    step = d.step(label)
    assert name in step.fact
    facts = tuple((k, 2 * v if k == name else v) for k, v in step.facts)
    planted = dataclasses.replace(step, facts=facts)
    v = verify_step(planted, d.premises_of(label), seed=7)
    assert v.status is Status.FAILED, (label, name, v.status, v.reason)


def test_document_reads_the_gaps_and_the_facts():
    from papers import content

    assert [g.key for g in content.GAPS] == [g.key for g in GAPS]
    assert [g.labels for g in content.GAPS] == [g.steps for g in GAPS]
    d = derivation()
    for _, label, facts, _ in content.VARIANTS:
        step = d.step(label)
        rels = content.fact_relations(step, facts)
        assert len(rels) == len(facts), label
        assert [r.rhs for r in rels] == [step.fact[f] for f in facts], label
    (rel, bound) = content.fact_relations(d.step("consistency.match"), ("discriminant_normalised", "mu_max"))
    assert rel.lhs == d.step("consistency.match").statement[2].lhs
    assert isinstance(bound, sp.LessThan)
