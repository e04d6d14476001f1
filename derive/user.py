r"""Your own steps on top of the package's chain: one call to add them and verify only them.

>>> import sympy as sp
>>> from derive.user import extend
>>> from derive.proof import Show
>>> from derive.step import Kind, Source, Step
>>> x = sp.Symbol("x", real=True)
>>> mine = Step(label="mine.pythagoras", title="sin^2 + cos^2 = 1", kind=Kind.IDENTITY,
...             statement=(sp.Eq(sp.sin(x)**2 + sp.cos(x)**2, 1, evaluate=False),),
...             source=Source("user", "", "(1)", "reconstructed"), derive=lambda ctx: [Show(0)])
>>> table = extend([mine]).verify()
>>> table["mine.pythagoras"].status.value, table.labels
('verified', ('mine.pythagoras',))

The package's steps your steps rest on are verified through :func:`derive.contents.verify` (the
verdict cache and worker processes), yours in this process; every verdict then gets its chain record
(the postulates and conditions it inherits, ``unsupported`` when something below it failed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from derive.chain import Derivation, with_chain
from derive.errors import InputError
from derive.step import Step
from derive.verify import DEFAULT_SEED, verify_step

__all__ = ["extend", "Extended", "check", "step", "steps_of"]


def step(label: str) -> Step:
    """The package's step ``label`` (a near-miss label gets a "did you mean")."""
    from derive.contents import derivation

    return _lookup(derivation(), label)


def _lookup(d: Derivation, label: str) -> Step:
    import difflib

    try:
        return d.step(label)
    except InputError:
        close = difflib.get_close_matches(label, d.labels, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else " (see `eqnn list`)"
        raise InputError(f"unknown step label {label!r}{hint}") from None


def steps_of(module: str, **options) -> tuple[Step, ...]:
    """The steps of one module of the argument, built with options (``steps_of("madelung", K=3)``).

    Such steps may clash with the package's chain (same labels, other K): hand them to :func:`check`
    as premises rather than to :func:`extend`.
    """
    import importlib

    from derive.contents import CONTENTS

    known = [m for s in CONTENTS for m in s.modules]
    if module not in known:
        raise InputError(f"unknown module {module!r}; known: {', '.join(known)}")
    try:
        return importlib.import_module(f"derive.{module}").steps(**options)
    except TypeError as err:
        raise InputError(f"derive.{module}.steps() does not take {sorted(options)}: {err}") from None


def check(mine: Step, *premises: Step, seed: int = DEFAULT_SEED):
    """Verify one step of your own from the premise steps you hand it (no chain: the local verdict)."""
    if not isinstance(mine, Step):
        raise InputError(f"check() takes a derive.Step, got {type(mine).__name__}")
    by_label = {p.label: p for p in premises}
    missing = [p for p in mine.premises if p not in by_label]
    if missing:
        raise InputError(f"step {mine.label!r} rests on {', '.join(missing)}: hand those steps to check()")
    return verify_step(mine, {p: by_label[p] for p in mine.premises}, seed=seed)


@dataclass(frozen=True)
class Extended:
    """The package's chain (or ``base``) with your steps appended: a :class:`~derive.chain.Derivation`
    in :attr:`derivation`, and :meth:`verify` for your steps alone (with what they rest on)."""

    derivation: Derivation
    mine: tuple[str, ...]
    package: bool = True

    def step(self, label: str) -> Step:
        return _lookup(self.derivation, label)

    def verify(self, only: Iterable[str] | None = None, seed: int = DEFAULT_SEED, workers: int | None = None,
               use_cache: bool = True):
        """Verify ``only`` (default: all of your steps) and the steps they rest on; return a
        :class:`~derive.display.VerdictTable` of the requested ones, each with its chain record."""
        from derive.display import VerdictTable

        if isinstance(only, str):
            only = [only]
        wanted = list(self.mine if only is None else only)
        for label in wanted:
            _lookup(self.derivation, label)
        if len(set(wanted)) != len(wanted):
            dup = sorted({x for x in wanted if wanted.count(x) > 1})
            raise InputError(f"label(s) given twice: {', '.join(dup)}")
        closure = self.derivation.closure(wanted)
        theirs = [lab for lab in closure if lab not in self.mine]
        verdicts = {}
        if theirs and self.package:
            from derive.contents import verify

            verdicts.update({v.label: v for v in verify(theirs, seed=seed, workers=workers, use_cache=use_cache)})
        else:
            for lab in theirs:
                verdicts[lab] = verify_step(self.derivation.step(lab), self.derivation.premises_of(lab), seed=seed)
        for lab in closure:
            if lab in self.mine:
                verdicts[lab] = verify_step(self.derivation.step(lab), self.derivation.premises_of(lab), seed=seed)
        verdicts = with_chain(self.derivation, verdicts)
        selected = set(wanted)
        return VerdictTable(verdicts[lab] for lab in self.derivation.labels if lab in selected)


def extend(steps: Step | Iterable[Step], base: Derivation | Iterable[Step] | None = None) -> Extended:
    """The package's chain (or ``base``) with ``steps`` appended.  ``extend(mine).verify()`` verifies
    your steps and what they rest on; ``.verify(only=[...])`` a selection of them."""
    if isinstance(steps, Step):
        steps = [steps]
    steps = tuple(steps)
    bad = [type(s).__name__ for s in steps if not isinstance(s, Step)]
    if bad:
        raise InputError(f"extend() takes derive.Step values, got {', '.join(sorted(set(bad)))}")
    if not steps:
        raise InputError("extend() needs at least one step of your own")
    if base is None:
        from derive.contents import derivation

        base_d, package = derivation(), True
    else:
        base_d = base if isinstance(base, Derivation) else Derivation(tuple(base))
        package = False
    taken = set(base_d.labels)
    clash = [s.label for s in steps if s.label in taken]
    if clash:
        raise InputError(f"label(s) already in the chain: {', '.join(clash)} (choose your own module name)")
    try:
        d = Derivation(base_d.steps + steps)
    except ValueError as err:
        raise InputError(str(err)) from None
    return Extended(d, tuple(s.label for s in steps), package)
