"""Recorded numerical results that steps cite (``derive/data/*.json``), read without importing numerics.

:mod:`derive.multivalued` reads the circulation record itself (``read_circulation``); this module holds the
records added later, one reader and one sentence each, on the same minimal schema:

* ``data/witten.json`` — the Witten-map spectrum measured on learning networks (``eqnn experiment witten``,
  :mod:`numerics.witten`), cited in the note of ``equilibrium.spectrum``;
* ``data/circulation2t.json`` — exchange at two temperatures at a fixed exchange rate, η → 0
  (``eqnn experiment circulation2t``), and ``data/softspin.json`` — the circulation verdict on a second
  architecture (``eqnn experiment softspin``); both cited in the note of ``multivalued.postulate``
  (:func:`circulation_records_sentence`).

>>> witten_sentence(None)
'Witten-map spectrum on learning networks (eqnn experiment witten): not yet run.'
>>> rec = read_witten()
>>> rec is None or rec.command.startswith("eqnn experiment witten")
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from derive.errors import InputError

__all__ = ["WITTEN_FILE", "WITTEN_COMMAND", "WittenRecord", "read_witten", "witten_sentence", "read_record", "load_json",
           "validated", "headline",
           "CIRCULATION_RECORDS", "circulation_records_sentence"]

WITTEN_FILE = "data/witten.json"
WITTEN_COMMAND = "eqnn experiment witten"
_REQUIRED = {"verdict": str, "command": str, "seed": int, "n_networks": int, "figures": dict, "size": str}


def validated(data: object, where: str, required: Mapping[str, type]) -> dict:
    """A record's JSON object, checked against its minimal schema (``required``: key -> type) and the
    rules every record shares: non-empty verdict and command, counts >= 1, an optional string date.
    A bad record raises :class:`InputError` naming the key."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
    for key, typ in required.items():
        value = data.get(key)
        if not isinstance(value, typ) or isinstance(value, bool):
            raise InputError(f"{where}: {key!r} must be a {typ.__name__}, got {value!r}")
    if not data["verdict"].strip() or not data["command"].strip():
        raise InputError(f"{where}: 'verdict' and 'command' must not be empty")
    counts = [k for k in ("n_networks", "n_steps") if k in required]
    if any(data[k] < 1 for k in counts):
        raise InputError(f"{where}: {' and '.join(counts)} must be >= 1")
    if not isinstance(data.get("date", ""), str):
        raise InputError(f"{where}: 'date' must be a string, got {data.get('date')!r}")
    return data


def headline(verdict: str) -> str:
    """A verdict's first sentence (an experiment's verdict text opens with its outcome)."""
    text = " ".join(verdict.split())
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1]


@dataclass(frozen=True)
class WittenRecord:
    """The recorded verdict of one run of the Witten-map experiment."""

    verdict: str
    command: str
    seed: int
    n_networks: int
    size: str  # "quick" or "full", with what that means
    figures: Mapping = field(default_factory=dict)
    date: str = ""

    @classmethod
    def from_json(cls, data: object, where: str = "witten record") -> "WittenRecord":
        data = validated(data, where, _REQUIRED)
        return cls(verdict=data["verdict"].strip(), command=data["command"].strip(), seed=data["seed"],
                   n_networks=data["n_networks"], size=data["size"].strip(),
                   figures=MappingProxyType(dict(data["figures"])), date=data.get("date", "").strip())

    @property
    def headline(self) -> str:
        return headline(self.verdict)


def read_witten(path: str | Path | None = None) -> WittenRecord | None:
    """The recorded Witten-map result, ``None`` when there is no file; a malformed file raises InputError."""
    return read_record(WITTEN_FILE, path)


#: the further circulation records (file, what it measured), in the order the note cites them
CIRCULATION_RECORDS = (("data/circulation2t.json", "Exchange at two temperatures"),
                       ("data/softspin.json", "A second architecture (soft-spin hidden neurons)"))


def circulation_records_sentence() -> str:
    """Sentences citing the recorded two-temperature and second-architecture verdicts (those present)."""
    out = []
    for file, what in CIRCULATION_RECORDS:
        rec = read_record(file)
        if rec is not None:
            out.append(f"{what} (`{rec.command}`, seed {rec.seed}, {rec.n_networks} networks, {rec.size}): "
                       f"\"{rec.headline}\"")
    return " ".join(out)


def load_json(file: str, path: str | Path | None = None) -> tuple[object, str] | None:
    """(data, where) of a JSON record of ``derive/data`` (``file`` relative to the package, found with
    :mod:`importlib.resources`), or of ``path``; None when there is no file.  A file that is present but
    unreadable raises :class:`InputError` naming it."""
    if path is None:
        target = resources.files("derive").joinpath(*file.split("/"))
        where = f"derive/{file}"
    else:
        target, where = Path(path), str(path)
    if not target.is_file():
        return None
    try:
        return json.loads(target.read_text(encoding="utf-8")), where
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{where}: not a readable JSON record ({err})") from None


def read_record(file: str, path: str | Path | None = None) -> WittenRecord | None:
    """A record of ``derive/data`` (``file`` relative to the package, e.g. ``data/witten.json``), or ``path``."""
    found = load_json(file, path)
    return None if found is None else WittenRecord.from_json(*found)


def witten_sentence(record: WittenRecord | None) -> str:
    """One sentence citing the recorded verdict (or saying that the experiment has not yet been run)."""
    if record is None:
        return f"Witten-map spectrum on learning networks ({WITTEN_COMMAND}): not yet run."
    when = f", {record.date}" if record.date else ""
    return (f"Measured on learning networks (`{record.command}`, seed {record.seed}, {record.n_networks} networks, "
            f"{record.size}{when}): \"{record.headline}\"")
