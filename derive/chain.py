"""The derivation: the steps of the argument, a DAG by premises, verified in topological order.

>>> from derive.chain import Derivation
>>> d = Derivation(())
>>> d.labels
()
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

from derive.errors import InputError
from derive.step import Step
from derive.step import Kind
from derive.verify import DEFAULT_SEED, ChainRecord, Status, Verdict, verify_step

__all__ = ["Derivation", "chain_records"]

_BAD = (Status.FAILED, Status.INCONCLUSIVE, Status.VACUOUS)


@dataclass(frozen=True)
class Derivation:
    """Steps in the paper's order; premises must name known steps and form no cycle."""

    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        seen: dict[str, Step] = {}
        for s in self.steps:
            if s.label in seen:
                raise ValueError(f"duplicate step label {s.label!r}")
            seen[s.label] = s
        for s in self.steps:
            unknown = [p for p in s.premises if p not in seen]
            if unknown:
                raise ValueError(f"step {s.label!r} rests on unknown step(s): {', '.join(unknown)}")
        try:
            order = tuple(graphlib.TopologicalSorter({s.label: s.premises for s in self.steps}).static_order())
        except graphlib.CycleError as err:
            raise ValueError(f"the premises form a cycle: {' -> '.join(err.args[1])}") from None
        object.__setattr__(self, "_by_label", MappingProxyType(seen))
        object.__setattr__(self, "_topological", order)

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels in the paper's order."""
        return tuple(s.label for s in self.steps)

    @property
    def topological(self) -> tuple[str, ...]:
        return self._topological

    def step(self, label: str) -> Step:
        try:
            return self._by_label[label]
        except KeyError:
            raise InputError(f"unknown step label {label!r} (see `eqnn list` for the labels)") from None

    def premises_of(self, label: str) -> Mapping[str, Step]:
        return MappingProxyType({p: self._by_label[p] for p in self.step(label).premises})

    def ancestors(self, label: str) -> tuple[str, ...]:
        """All steps ``label`` rests on, directly or not, in topological order."""
        todo, found = list(self.step(label).premises), set()
        while todo:
            p = todo.pop()
            if p not in found:
                found.add(p)
                todo.extend(self._by_label[p].premises)
        return tuple(x for x in self._topological if x in found)

    def select(self, labels: Iterable[str] | None) -> tuple[str, ...]:
        """The requested labels (all if None), validated, in topological order."""
        if labels is None:
            return self._topological
        wanted = {self.step(label).label for label in labels}
        return tuple(x for x in self._topological if x in wanted)

    def closure(self, labels: Iterable[str] | None) -> tuple[str, ...]:
        """The requested labels and every step they rest on, in topological order."""
        wanted = set(self.select(labels))
        for lab in list(wanted):
            wanted.update(self.ancestors(lab))
        return tuple(x for x in self._topological if x in wanted)

    def verify(self, labels: Iterable[str] | None = None, seed: int = DEFAULT_SEED) -> tuple[Verdict, ...]:
        """Verify the requested steps (all by default) and what they rest on; return the requested ones
        in paper order, each with its chain record (:func:`chain_records`)."""
        selected = set(self.select(labels))
        verdicts = {lab: verify_step(self._by_label[lab], self.premises_of(lab), seed=seed)
                    for lab in self.closure(labels)}
        verdicts = with_chain(self, verdicts)
        return tuple(verdicts[lab] for lab in self.labels if lab in selected)


def chain_records(d: Derivation, verdicts: Mapping[str, Verdict]) -> dict[str, ChainRecord]:
    """Each verdict's inheritance: postulates, conditions of conditional steps, and failures upstream.

    ``verdicts`` must hold every step in the closure of the labels asked about.
    """
    out = {}
    for lab, v in verdicts.items():
        closure = d.ancestors(lab)
        postulates = tuple(a for a in closure if d.step(a).kind is Kind.POSTULATE)
        conditions = []
        for a in closure + (lab,):
            va = verdicts.get(a)
            if va is not None and va.status is Status.CONDITIONAL:
                conditions.extend(f"{a}: {c}" for c in d.step(a).conditions)
        unsupported = tuple(a for a in closure if a not in verdicts or verdicts[a].status in _BAD)
        if v.status in _BAD:
            status = v.status.value
        elif unsupported:
            status = "unsupported"
        elif v.status is Status.ASSUMED:
            status = "assumed"
        elif conditions or postulates:
            status = "conditional"
        else:
            status = "verified"
        out[lab] = ChainRecord(status, postulates, tuple(conditions), unsupported)
    return out


def with_chain(d: Derivation, verdicts: Mapping[str, Verdict]) -> dict[str, Verdict]:
    """The verdicts with their chain records attached."""
    import dataclasses

    records = chain_records(d, verdicts)
    return {lab: dataclasses.replace(v, chain=records[lab]) for lab, v in verdicts.items()}
