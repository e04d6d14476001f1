"""The one exception type for bad input.

Every user-facing entry point (API or CLI) rejects bad input with :class:`InputError`, whose
message is one line naming the problem and what is allowed.  The CLI prints it and exits 2.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input: an unknown step label, a negative temperature, zero samples, ...

    >>> raise InputError("beta must be > 0, got -1.0")
    Traceback (most recent call last):
    ...
    derive.errors.InputError: beta must be > 0, got -1.0
    """
