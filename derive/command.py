"""The sub-command protocol of the ``eqnn`` CLI.

``derive`` owns ``eqnn list | show | verify``.  Sub-commands that need ``numerics`` or ``papers``
(``crosscheck``, ``experiment``, ``latex``, ``run``) are registered through the entry-point group
``eqnn.commands`` (see ``pyproject.toml``), each pointing at a module-level :class:`Command`.  That
keeps the arrows one way: ``derive`` never imports ``numerics`` or ``papers``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable

__all__ = ["Command", "seed_type", "positive_int", "nonempty_path"]


def _int_at_least(value: str, minimum: int, what: str) -> int:
    """``value`` as an integer >= ``minimum``, or one argparse error naming ``what`` and what is allowed."""
    try:
        n = int(value)
    except ValueError:
        n = minimum - 1
    if n < minimum:
        allowed = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        raise argparse.ArgumentTypeError(f"{what} must be {allowed}, got {value!r}")
    return n


def seed_type(value: str) -> int:
    """argparse type of every ``--seed``: a non-negative integer (one clear error otherwise)."""
    return _int_at_least(value, 0, "seed")


def positive_int(value: str, what: str = "") -> int:
    """argparse type of every count (``--workers``, ...): an integer >= 1 (one clear error otherwise)."""
    return _int_at_least(value, 1, what or "the count")


def nonempty_path(value: str) -> str:
    """argparse type of every output path: not empty (an empty path would mean the current folder)."""
    if not value or not value.strip():
        raise argparse.ArgumentTypeError("an empty path is not a folder (give a folder name, e.g. build)")
    return value


@dataclass(frozen=True)
class Command:
    """One ``eqnn`` sub-command: a name, a one-line help, how to add its options, how to run it.

    ``run`` returns the exit status; it raises :class:`derive.errors.InputError` on bad input
    (the CLI turns that into one line on stderr and exit status 2).
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"command name must be an identifier, got {self.name!r}")
