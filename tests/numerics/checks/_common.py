"""What every check of an ensemble module must do: pass at the default seed, detect its planted error,
draw its numbers from the seed only, and be tied to a step that derive has."""

from __future__ import annotations

import pytest

from derive.seeds import DEFAULT_SEED
from numerics.checks import REGISTRY


def check_module(checks) -> None:
    from derive.contents import derivation

    labels = set(derivation().labels)
    for c in checks:
        assert c in tuple(REGISTRY), f"{c.name} is not in numerics.checks.REGISTRY"
        assert c.step in labels, f"{c.name} is tied to {c.step!r}, which derive does not have"
        v = REGISTRY.run_check(c.name, DEFAULT_SEED)
        assert v.passed and v.power.detected, v.describe()
        assert v.seed == DEFAULT_SEED and v.step == c.step and v.identity == c.identity
        assert v.kind == c.kind
        if c.kind == "statistical":
            assert v.threshold == REGISTRY.threshold
            again = REGISTRY.run_check(c.name, DEFAULT_SEED)
            assert again == v, "same seed, different numbers"


def seeds_change_samples(name: str) -> None:
    a, b = REGISTRY.run_check(name, 1), REGISTRY.run_check(name, 2)
    assert a.estimate != b.estimate


__all__ = ["check_module", "seeds_change_samples", "pytest"]
