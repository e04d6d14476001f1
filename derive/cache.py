"""A verdict cache keyed by everything a verdict depends on.

The key of a verdict is (step label, seed, a hash of every source file of ``derive``, and the
versions of SymPy, mpmath and NumPy).  A step's statement, premises, derivation and the witnesses
are all defined by that source, so a cached verdict is exactly the verdict a fresh run would give;
any edit to ``derive`` or any library upgrade invalidates the whole cache.  The cache lives in
``$EQNN_CACHE_DIR`` (default ``~/.cache/emergent-quantumness``); ``EQNN_NO_CACHE=1`` or
``eqnn verify --no-cache`` bypasses it.  A cached verdict says so (``"cached": true`` in JSON).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import cache
from pathlib import Path

import mpmath
import numpy as np
import sympy as sp

from derive.verify import Counts, NumericWitness, Status, SymbolicWitness

__all__ = ["enabled", "load", "store", "code_hash"]


@cache
def code_hash() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    for version in (sp.__version__, mpmath.__version__, np.__version__):
        h.update(version.encode())
    return h.hexdigest()[:20]


def enabled() -> bool:
    return os.environ.get("EQNN_NO_CACHE", "") not in ("1", "true", "yes")


def _folder() -> Path:
    base = os.environ.get("EQNN_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache",
                                                            "emergent-quantumness")
    return Path(base) / code_hash()


def _path(label: str, seed: int) -> Path:
    return _folder() / f"{label}@{seed}.json"


def load(label: str, seed: int) -> dict | None:
    """The cached fields of a verdict (status, reason, witnesses, ...) or None."""
    try:
        data = json.loads(_path(label, seed).read_text())
    except (OSError, ValueError):
        return None
    try:
        sym = data["symbolic"]
        num = data["numeric"]
        return {
            "status": Status(data["status"]), "reason": data["reason"],
            "symbolic": None if sym is None else SymbolicWitness(
                tuple(sym["residuals"]), sym["as_expected"], tuple(sym["methods"]), sym["seconds"]),
            "numeric": None if num is None else NumericWitness(
                num["points"], num["max_abs_residual"], num["tolerance"], num["seed"], num["dps"],
                num["as_expected"], None if num["counterexample"] is None else
                tuple(tuple(x) for x in num["counterexample"]), num["seconds"], num["note"]),
            "sympy_version": data["sympy_version"], "seconds": data["seconds"],
            "counts": Counts(**data["counts"]), "premises_used": tuple(data["premises_used"]),
            "exact": tuple(tuple(x) for x in data["exact"]),
            "satisfied_at": None if data["satisfied_at"] is None else tuple(tuple(x) for x in data["satisfied_at"]),
        }
    except (KeyError, TypeError, ValueError):
        return None


def store(label: str, seed: int, fields: dict) -> None:
    """Write the fields of a fresh verdict; a cache that cannot be written is simply skipped."""
    data = dict(fields)
    data["status"] = fields["status"].value
    for key in ("symbolic", "numeric", "counts"):
        data[key] = None if fields[key] is None else asdict(fields[key])
    try:
        path = _path(label, seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)
    except OSError:
        pass
