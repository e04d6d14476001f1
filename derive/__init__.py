r"""The argument of Katsnelson & Vanchurin (arXiv:2012.05082) as verified SymPy steps: the public API.

Everything a derivation script needs is importable from here (loaded on first use, so
``import derive`` stays fast).  ``derive.step`` and ``derive.verify`` are the modules of those names;
the functions are :func:`lookup` and :func:`verify_chain`:

* writing a step: :class:`Step`, :class:`Source`, :class:`Kind`, :class:`Provenance`, :class:`Show`,
  :class:`Realise`, :class:`Nonzero`, :class:`Condition`, :func:`examples`;
* the paper's symbols: ``t, beta, T, gamma, D, lam, mu, hbar, m, N, eta, sigma, Tq, n, k_branch``, the
  fields ``p, F, S, V, psi, H``, :func:`coords`, :func:`field`, ``hbar_c`` (the Madelung coefficient) and
  ``hbar_b`` (= abs(μ)/(2πk), the ħ of ``schrodinger.equation``);
* the chain: :func:`derivation`, :func:`lookup` (a step by label), :func:`steps_of`, :func:`verify_chain`
  (= :func:`derive.contents.verify`), :class:`Derivation`;
* your own steps: :func:`extend` (``derive.extend(mine).verify()``), :func:`check`, :func:`verify_step`;
* verdicts and their display: :class:`Verdict`, :class:`Status`, :class:`VerdictTable`;
* :class:`InputError`, the one exception for bad input.

>>> import derive
>>> derive.lookup("schrodinger.equation").kind is derive.Kind.CONDITIONAL
True
>>> derive.hbar_b
Abs(mu)/(2*pi*k)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: public name -> (module, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    # writing a step
    "Step": ("derive.step", "Step"),
    "Source": ("derive.step", "Source"),
    "Kind": ("derive.step", "Kind"),
    "Provenance": ("derive.step", "Provenance"),
    "Context": ("derive.step", "Context"),
    "Show": ("derive.proof", "Show"),
    "Realise": ("derive.proof", "Realise"),
    "Nonzero": ("derive.proof", "Nonzero"),
    "Condition": ("derive.proof", "Condition"),
    "examples": ("derive.proof", "examples"),
    # verifying
    "verify_step": ("derive.verify", "verify_step"),
    "Verdict": ("derive.verify", "Verdict"),
    "Status": ("derive.verify", "Status"),
    "DEFAULT_SEED": ("derive.verify", "DEFAULT_SEED"),
    "Derivation": ("derive.chain", "Derivation"),
    "derivation": ("derive.contents", "derivation"),
    "verify_chain": ("derive.contents", "verify"),
    "CONTENTS": ("derive.contents", "CONTENTS"),
    # your own steps
    "extend": ("derive.user", "extend"),
    "Extended": ("derive.user", "Extended"),
    "check": ("derive.user", "check"),
    "lookup": ("derive.user", "step"),
    "steps_of": ("derive.user", "steps_of"),
    # display
    "VerdictTable": ("derive.display", "VerdictTable"),
    "latex": ("derive.printing", "latex"),
    "text": ("derive.printing", "text"),
    "describe": ("derive.report", "describe"),
    # errors
    "InputError": ("derive.errors", "InputError"),
    # the paper's symbols
    **{name: ("derive.symbols", name) for name in (
        "t", "beta", "T", "gamma", "D", "lam", "mu", "hbar", "m", "N", "eta", "sigma", "Tq", "n", "k_branch",
        "coords", "field", "p", "F", "S", "V", "psi", "H", "h_state")},
    "hbar_c": ("derive.madelung", "hbar_c"),
    "hbar_b": ("derive.schrodinger", "hbar_b"),
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'derive' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # later look-ups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # explicit re-exports for type checkers and IDEs
    from derive.chain import Derivation
    from derive.contents import CONTENTS, derivation
    from derive.contents import verify as verify_chain
    from derive.display import VerdictTable
    from derive.errors import InputError
    from derive.madelung import hbar_c
    from derive.printing import latex, text
    from derive.proof import Condition, Nonzero, Realise, Show, examples
    from derive.report import describe
    from derive.schrodinger import hbar_b
    from derive.step import Context, Kind, Provenance, Source, Step
    from derive.symbols import (D, F, H, N, S, T, Tq, V, beta, coords, eta, field, gamma, h_state, hbar, k_branch,
                                lam, m, mu, n, p, psi, sigma, t)
    from derive.user import Extended, check, extend, steps_of
    from derive.user import step as lookup
    from derive.verify import DEFAULT_SEED, Status, Verdict, verify_step
