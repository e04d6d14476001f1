"""The one set of argument validators of ``numerics``.

Each returns the value in its canonical type or raises :class:`derive.errors.InputError` with one line
naming the value and what is allowed (the CLI turns it into exit status 2).

>>> check_int("n_chains", 4, 1), check_positive("beta", "2"), check_real("mu", -0.5)
(4, 2.0, -0.5)
>>> check_int("n_chains", 0, 1)
Traceback (most recent call last):
...
derive.errors.InputError: n_chains must be an integer >= 1, got 0
>>> check_choice("arm", "isotropic", ("minibatch", "isotropic"))
'isotropic'
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from derive.errors import InputError
from derive.seeds import check_seed as _check_seed_int

__all__ = ["check_real", "check_positive", "check_int", "check_choice", "check_text", "check_generator"]


def check_real(name: str, x) -> float:
    """A finite real number."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {x!r}") from None
    if not math.isfinite(v):
        raise InputError(f"{name} must be finite, got {x!r}")
    return v


def check_positive(name: str, x) -> float:
    """A finite real number > 0."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive real number, got {x!r}") from None
    if not (math.isfinite(v) and v > 0.0):
        raise InputError(f"{name} must be > 0 and finite, got {x!r}")
    return v


def check_int(name: str, x, low: int = 1, high: Optional[int] = None) -> int:
    """An integer in [low, high] (no upper bound when ``high`` is None); bools are refused."""
    allowed = f">= {low}" if high is None else f"in [{low}, {high}]"
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < low or (high is not None and x > high):
        raise InputError(f"{name} must be an integer {allowed}, got {x!r}")
    return int(x)


def check_choice(name: str, x, allowed: Sequence):
    """One of ``allowed``."""
    if x not in tuple(allowed):
        raise InputError(f"{name} must be one of {', '.join(map(str, allowed))}, got {x!r}")
    return x


def check_text(name: str, x) -> str:
    """A non-empty string."""
    if not isinstance(x, str) or not x.strip():
        raise InputError(f"{name} must be a non-empty string, got {x!r}")
    return x


def check_generator(seed) -> np.random.Generator:
    """A numpy Generator: given, or built from a seed (integer >= 0) or a ``SeedSequence``.

    >>> check_generator(3).normal() == np.random.default_rng(3).normal()
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be an integer >= 0 or a numpy Generator, got {seed!r}")
    return np.random.default_rng(_check_seed_int(seed))
