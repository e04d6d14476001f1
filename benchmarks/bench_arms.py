"""Speed at the limit (issue 15 §5): per arm, time(one network-step) / time(drawing that step's random
numbers alone, in bulk).  Target ≤ 2.

For each arm the denominator draws exactly the variates one step of W networks consumes, in one bulk call per
kind, for all the timed steps at once: the normals (2B inputs or 2 Langevin noises), the binomial spin sums
(B per network, with the same N and probabilities) and the uniforms (2 per exchange attempt, 3 for a
fractional attempt).  The numerator runs the arm's own loop without any observer, for every arm alike; the
target is for that loop.  The two-temperature measurement bins three estimators inside its loop
(:func:`numerics.circulation.twotemp.measure_2t`); it is timed as well, as a row without a target, so that
the estimators' cost stays in view.  Best of 5 interleaved repeats (the minimum of each side).

The default size is 5000 networks; ``--walkers 5000 8000`` measures every arm at each size in turn (the
recorded full runs use 8000 networks for the two-temperature arm and 8000–20000 elsewhere).  The denominator
is the same at every size: the variates of one step of W networks.

Run:  python benchmarks/bench_arms.py [--json] [--walkers W [W ...]] [--steps S] [--arm TEXT ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from numerics.circulation.twotemp import Arm2T, measure_2t, simulate_2t  # noqa: E402
from numerics.exchange_network import EpsilonTable, NetworkModel, run_isotropic, run_minibatch  # noqa: E402
from numerics.witten import WittenModel, simulate_frozen  # noqa: E402


def _best(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def _draws(g: np.random.Generator, kinds, s: int):
    """Two ways to draw the variates of ``s`` steps, given one step's as (kind, shape or N) pairs.

    ``bulk``: one call per kind for all steps, into fresh arrays (the denominator the target was set with).
    ``per_step``: one call per kind and step into buffers made once (a binomial has no ``out``: a fresh
    one-step array), as a loop draws them.  The bulk arrays are tens of MB of new memory that the draw touches
    first; drawn into arrays allocated and touched beforehand, the bulk took as long as the per-step draw."""
    bufs = {i: np.empty(shape) for i, (kind, shape) in enumerate(kinds) if kind != "binomial"}

    def bulk():
        return [g.standard_normal((s, *shape)) if kind == "normal" else g.random((s, *shape)) if kind == "uniform"
                else g.binomial(np.broadcast_to(shape, (s, *shape.shape)), 0.5) for kind, shape in kinds]

    def per_step():
        for _ in range(s):
            for i, (kind, shape) in enumerate(kinds):
                if kind == "normal":
                    g.standard_normal(out=bufs[i])
                elif kind == "uniform":
                    g.random(out=bufs[i])
                else:
                    g.binomial(shape, 0.5)
    return bulk, per_step


def _arms(w: int, s: int, model, table, g) -> dict:
    """name: (the arm's loop over ``s`` steps of ``w`` networks, one step's variates)."""
    n_typ = np.full((w, 1), 15)
    return {
        "minibatch B=1 kex=1": (
            lambda: run_minibatch(model, mu=0.5, eta=0.01, batch=1, kex=1, n_networks=w, n_steps=s, burn_in=0, rng=g,
                                  eps_table=table),
            [("normal", (2, w, 1)), ("binomial", n_typ), ("uniform", (2, w))]),
        "minibatch B=4 kex=10": (
            lambda: run_minibatch(model, mu=0.5, eta=0.01, batch=4, kex=10, n_networks=w, n_steps=s, burn_in=0, rng=g,
                                  eps_table=table),
            [("normal", (2, w, 4)), ("binomial", np.broadcast_to(n_typ, (w, 4))), ("uniform", (20, w))]),
        "isotropic kex=1": (
            lambda: run_isotropic(model, mu=0.5, eta=0.01, t_q=1.0, kex=1, n_networks=w, n_steps=s, burn_in=0, rng=g,
                                  eps_table=table),
            [("normal", (2, w)), ("uniform", (2, w))]),
        "witten frozen-N Langevin": (
            lambda: simulate_frozen(WittenModel.frozen(), 0.005, w, s, s, g, lambda t, q: None),
            [("normal", (2, w))]),
        "two-temperature kappa*eta=0.5": (
            lambda: simulate_2t(Arm2T(4.0, 0.005, 100.0, (0.9,)), n_networks=w, n_steps=s, burn=0, g=g),
            [("normal", (2, w)), ("uniform", (3, w))]),
        "two-temperature kappa*eta=0.5 (with its estimators)": (
            lambda: measure_2t(Arm2T(4.0, 0.005, 100.0, (0.9,)), n_networks=w, time=s * 0.005, burn_in=0.0, seed=0),
            [("normal", (2, w)), ("uniform", (3, w))]),
    }


ARMS = tuple(_arms(1, 1, None, None, None))  # the arms' names (the loops are not run)


def measure(walkers: int = 5000, steps: int = 400, repeats: int = 5, only: tuple[str, ...] = ()) -> list[dict]:
    """The rows of the arms whose names contain one of ``only`` (all arms when it is empty)."""
    model = NetworkModel()
    table = EpsilonTable.build(model.T, model.n_gauss_hermite)
    g = np.random.default_rng(0)
    w, s = walkers, steps
    rows = []
    for name, (run, kinds) in _arms(walkers, steps, model, table, g).items():
        if only and not any(o in name for o in only):
            continue
        bulk, per_step = _draws(g, kinds, s)
        t_run, t_bulk, t_step = [], [], []
        for _ in range(repeats):
            t_run.append(_best(run, 1))
            t_bulk.append(_best(bulk, 1))
            t_step.append(_best(per_step, 1))
        target = None if "with its estimators" in name else 2.0
        ratio = min(t_run) / min(t_bulk)
        rows.append({"arm": name, "walkers": w, "steps": s, "seconds_per_network_step": min(t_run) / (w * s),
                     "seconds_random_only": min(t_bulk) / (w * s), "ratio": ratio,
                     "seconds_random_per_step_buffers": min(t_step) / (w * s),
                     "ratio_per_step_buffers": min(t_run) / min(t_step),
                     "target": target, "meets_target": None if target is None else ratio <= target})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--walkers", type=int, nargs="+", default=[5000], help="network counts (one table per count)")
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--arm", nargs="+", default=[], help="measure only the arms whose names contain one of these")
    a = ap.parse_args(argv)
    bad = next((f"--walkers must be integers >= 1, got {w}" for w in a.walkers if w < 1), None)
    if a.steps < 1:
        bad = f"--steps must be an integer >= 1, got {a.steps}"
    unknown = [o for o in a.arm if not any(o in name for name in ARMS)]
    if unknown:
        bad = f"--arm {unknown[0]!r} names no arm; the arms are: {', '.join(ARMS)}"
    if bad:
        print(f"bench_arms: {bad}", file=sys.stderr)
        return 2
    rows = [r for w in a.walkers for r in measure(w, a.steps, only=tuple(a.arm))]
    if a.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            target = "(target <= 2)" if r["target"] is not None else "(no target: the loop plus its estimators)"
            print(f"{r['arm']:<32} W={r['walkers']:<6d} {r['seconds_per_network_step'] * 1e9:8.1f} ns/network-step, "
                  f"random numbers alone {r['seconds_random_only'] * 1e9:7.1f} ns in bulk, "
                  f"{r['seconds_random_per_step_buffers'] * 1e9:7.1f} ns per step: ratio {r['ratio']:5.2f} "
                  f"{target}, {r['ratio_per_step_buffers']:5.2f} against the per-step draws")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
