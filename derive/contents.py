"""The table of contents: which modules make up the argument, in the paper's order.

Each module listed here exposes ``steps()`` (its steps in the paper's order, immutable and cached).
The sections follow Katsnelson & Vanchurin 2021 and the parts it recaps.

>>> from derive.contents import derivation
>>> "canonical.force" in derivation().labels
True
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from derive.chain import Derivation

__all__ = ["Section", "CONTENTS", "derivation"]


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
            "KV2021 §2; Vanchurin 2008.01540 §§3-4", ()),  # learning, entropy: being written
)


@cache
def derivation() -> Derivation:
    """The whole argument as one :class:`~derive.chain.Derivation` (built once)."""
    steps = []
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
