"""The one table writer and the one pass/fail tally of ``numerics``.

>>> print(format_table([("name", "z"), ("a", "+0.10"), ("bb", "-1.00")]))
name  z
----  -----
a     +0.10
bb    -1.00
>>> tally([True, False, True])
Tally(passed=2, total=3)
>>> str(tally([True, True]))
'2/2 pass'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from numerics.validate import check_int

__all__ = ["format_table", "Tally", "tally"]


def format_table(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
    """Fixed-width text table: the first row is the header, underlined; columns in ``right`` are
    right-aligned; trailing blanks stripped."""
    rows = [tuple(str(c) for c in r) for r in rows]
    if not rows:
        return ""
    ncol = len(rows[0])
    if any(len(r) != ncol for r in rows):
        raise ValueError("every row of a table must have as many cells as the header")
    right = set(right)
    widths = [max(len(r[i]) for r in rows) for i in range(ncol)]

    def fmt(r):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]])


@dataclass(frozen=True)
class Tally:
    """How many of ``total`` items passed."""

    passed: int
    total: int

    def __post_init__(self) -> None:
        check_int("total", self.total, 0)
        check_int("passed", self.passed, 0, self.total)

    @property
    def all_passed(self) -> bool:
        return self.passed == self.total

    def __str__(self) -> str:
        return f"{self.passed}/{self.total} pass"


def tally(flags: Iterable) -> Tally:
    """Count the truthy flags (objects with a ``passed`` attribute count by it)."""
    vals = [bool(getattr(f, "passed", f)) for f in flags]
    return Tally(sum(vals), len(vals))
