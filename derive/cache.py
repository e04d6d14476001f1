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

from importlib import metadata

__all__ = ["enabled", "load", "store", "code_hash", "load_run", "store_run"]


@cache
def code_hash() -> str:
    """A hash of every source file of ``derive`` and the versions of SymPy, mpmath and NumPy.

    Read without importing the libraries (``importlib.metadata``), so that a cached ``eqnn verify``
    costs less than importing SymPy.
    """
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    for lib in ("sympy", "mpmath", "numpy"):
        try:
            h.update(metadata.version(lib).encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
            h.update(__import__(lib).__version__.encode())
    return h.hexdigest()[:20]


def enabled() -> bool:
    return os.environ.get("EQNN_NO_CACHE", "") not in ("1", "true", "yes")


def _folder() -> Path:
    base = os.environ.get("EQNN_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache",
                                                            "emergent-quantumness")
    return Path(base) / code_hash()


def _path(label: str, seed: int) -> Path:
    return _folder() / f"{label}@{seed}.json"


def _run_path(seed: int, labels) -> Path:
    key = hashlib.sha256(json.dumps(sorted(set(labels or ()))).encode()).hexdigest()[:16]
    return _folder() / f"run@{seed}@{key}.json"


def load_run(seed: int, labels) -> dict | None:
    """What a whole ``eqnn verify`` printed for this code, seed and selection (JSON and table), or None."""
    try:
        data = json.loads(_run_path(seed, labels).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and {"json", "table", "exit"} <= set(data) else None


def store_run(seed: int, labels, payload: dict) -> None:
    _write(_run_path(seed, labels), payload)


def _write(path: Path, data) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)
    except OSError:
        pass


def load(label: str, seed: int) -> dict | None:
    """The cached fields of a verdict (status, reason, witnesses, ...) or None."""
    from derive.verify import Counts, NumericWitness, Status, SymbolicWitness

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
    _write(_path(label, seed), data)
