"""The table of contents: which modules make up the argument, in the paper's order.

Each module listed here exposes ``steps()`` (its steps in the paper's order, immutable and cached).
The sections follow Katsnelson & Vanchurin 2021 and the parts it recaps.

>>> from derive.contents import derivation
>>> "canonical.force" in derivation().labels
True
"""

from __future__ import annotations

import gc
import importlib
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Iterable, Iterator

from derive.chain import Derivation
from derive.verify import DEFAULT_SEED, Verdict, verify_step

__all__ = ["Section", "CONTENTS", "derivation", "verify"]


@dataclass(frozen=True)
class Section:
    """A section of the argument and the ``derive`` modules that rebuild it."""

    key: str
    title: str
    paper_section: str
    modules: tuple[str, ...]


CONTENTS: tuple[Section, ...] = (
    Section("hidden", "Hidden neurons: the canonical ensemble and its free energy",
            "KV2021 §2; Vanchurin 2004.09280", ("canonical",)),
    Section("learning", "Learning dynamics of the trainable variables and entropy production",
            "KV2021 §2; Vanchurin 2008.01540 §§3-4", ("learning", "entropy")),
    Section("madelung", "Stationary entropy production, Euler-Lagrange and Madelung with the free energy as phase",
            "KV2021 §2; Vanchurin 2008.01540 §5",
            ("action", "euler_lagrange", "madelung", "equilibrium", "tensor", "singlevalued", "wallstrom", "units")),
    Section("grand", "Grand canonical ensemble, multivaluedness, Planck's constant from the chemical potential, "
            "Schrödinger, superpositions", "KV2021 §§3-5",
            ("grand_canonical", "multivalued", "quantization", "schrodinger", "consistency", "superposition", "scope")),
)


@cache
def derivation() -> Derivation:
    """The whole argument as one :class:`~derive.chain.Derivation` (built once).

    Built with SymPy's assumption queries in a fixed order (:func:`derive.seeds.fixed_assumption_order`), as
    the steps are verified: the displayed statements then owe nothing to SymPy's OS-seeded shuffle (which
    took 7 % of building them).
    """
    from derive.seeds import fixed_assumption_order

    steps = []
    with fixed_assumption_order():
        for section in CONTENTS:
            for name in section.modules:
                steps.extend(importlib.import_module(f"derive.{name}").steps())
    return Derivation(tuple(steps))


def section_of(label: str) -> Section:
    module = label.split(".", 1)[0]
    for section in CONTENTS:
        for name in section.modules:
            if any(s.label == label for s in importlib.import_module(f"derive.{name}").steps()):
                return section
    raise KeyError(module)


def _verify_group(args: tuple[tuple[str, ...], int]) -> list[tuple[str, dict]]:
    """Verify the steps ``labels`` one after another in this process; ``[(label, fields), ...]``."""
    labels, seed = args
    d = derivation()
    # a Step holds its derivation (a closure): send back everything but the step
    return [(lab, verify_step(d.step(lab), d.premises_of(lab), seed=seed).fields()) for lab in labels]


#: Seconds each module's steps took to verify cold, in one of two worker processes (measured on the 2-core
#: development machine, 2026-11-30, the mean of two runs).  Only the order of the jobs rests on these
#: figures: a stale or missing one (a module added later counts as the slowest) unbalances the workers a
#: little, it changes no verdict.
COST: dict[str, float] = {
    "multivalued": 2.2, "madelung": 1.2, "entropy": 1.1, "grand": 1.0, "tensor": 0.8, "learning": 0.8,
    "canonical": 0.7, "el": 0.7, "superposition": 0.65, "singlevalued": 0.5, "equilibrium": 0.4,
    "quantization": 0.35, "consistency": 0.25, "wallstrom": 0.25, "action": 0.2, "schrodinger": 0.15,
    "scope": 0.03, "units": 0.03,
}


def _jobs(labels: Iterable[str], seed: int) -> list[tuple[tuple[str, ...], int]]:
    """The steps to verify as jobs, one per module, the costliest module first (:data:`COST`).

    Steps of one module share their premises and the helpers that build their sides, which SymPy's
    cache and the modules' own caches then compute once per process: verified one step per job, the
    whole chain cost about a fifth more CPU on two processes than in one.  The pool hands each job to the
    first free worker, so submitting the longest first (LPT) leaves the workers with even shares: with
    the last module first instead, one worker finished 0.4 s after the other.
    """
    groups: dict[str, list[str]] = {}
    for lab in labels:
        groups.setdefault(lab.split(".", 1)[0], []).append(lab)
    order = sorted(groups, key=lambda m: -COST.get(m, math.inf))  # stable: ties keep the paper's order
    return [(tuple(groups[m]), seed) for m in order]


def verify(labels: Iterable[str] | None = None, seed: int = DEFAULT_SEED,
           workers: int | None = None, use_cache: bool = True, scheduler: str | None = None) -> tuple[Verdict, ...]:
    """Verify steps of the whole argument (all by default), in parallel over ``workers`` processes.

    Each step is verified from its premises' statements, independently of the premises' verdicts, so
    the order does not matter; results come back in the paper's order.  ``workers=1`` runs in-process.
    Verdicts found in the cache (:mod:`derive.cache`: keyed by the hash of all of ``derive``'s source
    and the library versions) are reused and marked ``cached``.
    """
    from derive.seeds import fixed_assumption_order

    with fixed_assumption_order(), _fewer_collections():  # forked workers inherit both
        return _verify(labels, seed, workers, use_cache, scheduler)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector run less often while verifying (the thresholds restored after).

    Verifying makes and drops millions of SymPy objects, few of them in cycles: at the default
    thresholds (700, 10, 10) the collector ran 441 times in a serial cold run of the chain and took
    0.42 s, at (10000, 50, 100) 29 times and 0.13 s.  Reference counting frees everything else as before.
    (:func:`_verify` also freezes what exists when the jobs start, ``gc.freeze`` as Python's documentation
    advises before a fork: the workers' collections skip it and leave its memory pages shared.)
    """
    old = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _verify(labels: Iterable[str] | None, seed: int, workers: int | None, use_cache: bool,
            scheduler: str | None) -> tuple[Verdict, ...]:
    from derive import cache, executor

    from derive.chain import with_chain

    d = derivation()
    selected = set(d.select(labels))
    todo = d.closure(labels)  # the chain status needs every step the selection rests on
    use_cache = use_cache and cache.enabled()
    done: dict[str, dict] = {}
    cached: set[str] = set()
    if use_cache:
        for lab in todo:
            hit = cache.load(lab, seed)
            if hit is not None:
                done[lab] = hit
                cached.add(lab)
    jobs = _jobs([lab for lab in todo if lab not in done], seed)
    workers = min(workers or os.cpu_count() or 1, len(jobs)) if jobs else 1
    gc.freeze()  # the steps built so far (and SymPy's state): forked workers' collections never scan them
    try:
        groups = executor.Executor(workers=workers, scheduler=scheduler).map(_verify_group, jobs)
    finally:
        gc.unfreeze()
    fresh = {lab: fields for group in groups for lab, fields in group}
    if use_cache:
        for lab, fields in fresh.items():
            cache.store(lab, seed, fields)
    done.update(fresh)
    verdicts = with_chain(d, {lab: Verdict(d.step(lab), cached=lab in cached, **done[lab]) for lab in done})
    return tuple(verdicts[lab] for lab in d.labels if lab in selected)
