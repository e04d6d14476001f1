"""Pool the width checks of several recorded runs (independent seeds) into one record.

The width check (issue 15 §3) compares Γ at half-widths w and w/2 on the same trajectories and pools
ρ = b sign(Γ)/SE(Γ(w)) over the loops (:func:`numerics.circulation.width.pooled_bias`).  One run bounds
ρ only to about ±0.65 (95 %); the loops of independent seeds pool (:func:`~numerics.circulation.width.pool_runs`),
and ρ's SE falls as 1/√(loops).  This script reads the width rows of each record, either a width run
(``eqnn experiment width --json``: ``rows`` at the top) or a circulation-type run that carries a width section
(``eqnn experiment softspin --json``: ``width.rows``), and writes the pooled record.

Usage::

    python tools/pool_width.py papers/data/softspin_full.json papers/data/softspin_full_seed1.json \\
        -o papers/data/softspin_width_pooled_full.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numerics.circulation.width import THRESHOLD, pool_runs  # noqa: E402


def width_section(record: dict) -> dict:
    """``{"rows", "seed"}`` of a record's width check (a width run, or a run with a ``width`` section)."""
    rows = record.get("rows") if "rows" in record else (record.get("width") or {}).get("rows")
    if not rows:
        raise ValueError("the record has no width rows (neither 'rows' nor 'width.rows')")
    return {"rows": rows, "seed": record["seed"]}


def pool(paths: list[Path]) -> dict:
    """The pooled width record of the runs at ``paths`` (their seeds must differ)."""
    records = [json.loads(p.read_text()) for p in paths]
    seeds = [r["seed"] for r in records]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"the runs must have different seeds (independent samples), got {seeds}")
    out = pool_runs([width_section(r) for r in records])
    out.update(threshold=THRESHOLD, architecture=records[0].get("architecture"),
               commands=[r.get("command", "") for r in records] + ["python tools/pool_width.py "
                                                                    + " ".join(str(p) for p in paths)],
               sources=[str(p) for p in paths])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", nargs="+", type=Path, help="recorded runs (JSON), one per seed")
    ap.add_argument("-o", "--output", type=Path, help="write the pooled record here (default: print it)")
    args = ap.parse_args(argv)
    missing = [str(p) for p in args.records if not p.is_file()]
    if missing or len(args.records) < 2:
        print(f"pool_width: error: give at least two existing records (missing: {', '.join(missing) or 'none'})",
              file=sys.stderr)
        return 2
    try:
        out = pool(args.records)
    except (ValueError, KeyError, json.JSONDecodeError) as err:
        print(f"pool_width: error: {err}", file=sys.stderr)
        return 2
    text = json.dumps(out, indent=1)
    if args.output:
        args.output.write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
