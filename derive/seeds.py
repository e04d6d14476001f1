"""The one seed policy of the package.

Every random number in ``eqnn`` (the numeric witness, the cross-check samplers, the circulation
experiment, seed sweeps) starts from one integer seed, :data:`DEFAULT_SEED` unless the user passes
``--seed``.  Whatever needs its own random stream (a check, an ensemble, an experiment arm, a worker)
derives it from that seed with :func:`sequence`: a *keyed child* ``SeedSequence([seed, k1, k2, ...])``
whose keys name the consumer (an integer, or a text hashed with CRC-32).  A stream therefore depends on
the seed and on *who* draws from it, never on how many workers run, in which order, or on which engine
(local processes or a Dask cluster): the same seed gives the same numbers everywhere.

>>> DEFAULT_SEED
20201209
>>> rng(DEFAULT_SEED, "canonical").normal() == rng(DEFAULT_SEED, "canonical").normal()
True
>>> rng(7, "a").normal() == rng(7, "b").normal()
False

A range of seeds for a calibration sweep is written ``A:B`` (B excluded, like Python's ``range``):

>>> parse_seeds("3:6")
range(3, 6)
"""

from __future__ import annotations

import sys
import zlib
from contextlib import contextmanager
from typing import Iterator, Union

import numpy as np

from derive.errors import InputError

__all__ = ["DEFAULT_SEED", "check_seed", "key", "sequence", "rng", "spawn", "parse_seeds", "fixed_assumption_order"]

#: The default seed of everything random in the package (the numeric witness, the cross-checks, the
#: experiment): the date arXiv:2012.05082 was submitted, 2020-12-09.  Results recorded with another
#: seed say which in their JSON (e.g. ``papers/data/circulation_full.json``: 20120505).
DEFAULT_SEED = 20201209

Key = Union[int, str, bool, np.integer]


def check_seed(seed: object, name: str = "seed") -> int:
    """``seed`` as a Python int, or :class:`InputError` (one line) unless it is an integer >= 0.

    >>> check_seed(5)
    5
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    derive.errors.InputError: seed must be an integer >= 0, got -1
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"{name} must be an integer >= 0, got {seed!r}")
    return int(seed)


def key(part: Key) -> int:
    """The integer word of one key: an integer >= 0 as is (bools as 0/1), a text by its CRC-32.

    >>> key(3), key("canonical") == key("canonical"), key("a") != key("b")
    (3, True, True)
    """
    if isinstance(part, str):
        return zlib.crc32(part.encode())
    if isinstance(part, (bool, np.bool_)):
        return int(part)
    if isinstance(part, (int, np.integer)) and part >= 0:
        return int(part)
    raise InputError(f"a stream key must be an integer >= 0 or a text, got {part!r}")


def sequence(seed: int, *keys: Key) -> np.random.SeedSequence:
    """The keyed child ``SeedSequence([seed, key(k1), ...])`` of ``seed`` for the consumer ``keys``.

    ``sequence(s, i)`` is the stream ``numpy.random.default_rng([s, i])`` has always given.

    >>> sequence(1, 2).entropy
    [1, 2]
    """
    return np.random.SeedSequence([check_seed(seed), *(key(k) for k in keys)])


def rng(seed: int, *keys: Key) -> np.random.Generator:
    """A PCG64 generator on :func:`sequence` ``(seed, *keys)``."""
    return np.random.default_rng(sequence(seed, *keys))


def spawn(seed: int, n: int, *keys: Key) -> list[np.random.SeedSequence]:
    """``n`` independent children of :func:`sequence` ``(seed, *keys)`` (``SeedSequence.spawn``), for
    consumers that are numbered rather than named (the i-th worker's share of walkers, ...).

    >>> [c.spawn_key for c in spawn(1, 2)]
    [(0,), (1,)]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"n must be an integer >= 1, got {n!r}")
    return sequence(seed, *keys).spawn(int(n))


def parse_seeds(text: str) -> range:
    """The seeds ``A:B`` (A included, B excluded, 0 <= A < B), as a ``range``.

    >>> parse_seeds("0:200")
    range(0, 200)
    >>> parse_seeds("5:5")
    Traceback (most recent call last):
    ...
    derive.errors.InputError: seeds must be A:B with integers 0 <= A < B, got '5:5'
    """
    parts = str(text).split(":")
    try:
        a, b = (int(p) for p in parts)
    except ValueError:
        a = b = -1
    if len(parts) != 2 or not 0 <= a < b:
        raise InputError(f"seeds must be A:B with integers 0 <= A < B, got {text!r}")
    return range(a, b)


def _keep_order(items: list) -> None:
    """SymPy's shuffle of an assumption's prerequisites, replaced: the order is left as SymPy lists it."""


@contextmanager
def fixed_assumption_order() -> Iterator[None]:
    """Inside this block SymPy's assumption queries try prerequisites in a fixed order, not a shuffled one.

    SymPy's ``x.is_positive`` & co. (``sympy.core.assumptions._ask``) shuffle the facts they try next
    with a generator of their own (``sympy.core.random._assumptions_rng``), seeded from the operating
    system and not from this package's seed.  SymPy does this to expose, in its own tests, handlers whose
    answer depends on the order; with consistent handlers every order gives the same answer.  The
    verifier fixes the order, so that nothing a verdict rests on is drawn from a stream outside this
    policy, and saves what the shuffles cost: 7 % of the instructions of verifying the canonical and
    entropy steps cold (cachegrind, 9.7 G with the shuffles, 9.0 G without).  The whole chain's verdicts
    were the same either way, field by field, when this was introduced; ``tests/derive/test_seeds.py``
    compares three steps against two seeds of SymPy's stream.  SymPy's own shuffle is put back on
    leaving the block, and nested blocks are allowed.  A SymPy without that shuffle is left alone.

    >>> import sympy as sp
    >>> with fixed_assumption_order():
    ...     (sp.Symbol("x", positive=True) + 1).is_positive
    True
    """
    module = sys.modules.get("sympy.core.assumptions")
    saved = getattr(module, "shuffle", None)
    if not callable(saved):
        yield
        return
    module.shuffle = _keep_order
    try:
        yield
    finally:
        module.shuffle = saved
