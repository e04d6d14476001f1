"""Sampler speed as ratios measured side by side in one run (design.md §5).

Each ratio is time(ours) / time(reference) on the same machine in the same process, best of several
repeats, lower is better:

* Langevin path-step (Euler–Maruyama, OU drift, 10⁵ walkers) vs one ``Generator.standard_normal`` draw
  (target 2.0: "path-steps per second ≥ half the rate at which NumPy draws normal variates");
* split-step Fourier step (1-D, 4096 points; 2-D, 256²) vs one ``np.fft.fft`` + ``np.fft.ifft`` pair of
  the same size (target 1.5);
* Metropolis single-spin update (20 000 chains × 16 SK spins) vs one ``Generator.random`` draw
  (target 10.0; the absolute rate in spin updates per second is printed too).

Run:  python benchmarks/bench_samplers.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from numerics.hidden_neurons import metropolis_spins, random_spin_glass  # noqa: E402
from numerics.langevin import euler_maruyama  # noqa: E402
from numerics.wavefunction import Grid, split_step  # noqa: E402


def side_by_side(ours, ref, repeats: int = 7) -> tuple[float, float]:
    """Best-of-``repeats`` times of ``ours`` and ``ref``, interleaved so that load changes on a shared
    machine hit both alike."""
    t_ours = t_ref = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        ours()
        t1 = time.perf_counter()
        ref()
        t2 = time.perf_counter()
        t_ours, t_ref = min(t_ours, t1 - t0), min(t_ref, t2 - t1)
    return t_ours, t_ref


def langevin_ratio() -> dict:
    W, n = 100_000, 50
    q0 = np.zeros(W)
    rng = np.random.default_rng(0)
    buf = np.empty(W)

    def ref():
        for _ in range(n):
            rng.standard_normal(out=buf)

    t_ours, t_ref = side_by_side(
        lambda: euler_maruyama(lambda q: 1.0 * q, q0, gamma=1.0, D=1.0, dt=0.01, n_steps=n, seed=0), ref)
    return {"name": "langevin_path_step", "ratio": t_ours / t_ref, "target": 2.0,
            "what": f"Euler-Maruyama path-step (OU, {W} walkers) / Generator.standard_normal draw",
            "ours_per_unit_ns": 1e9 * t_ours / (W * n), "ref_per_unit_ns": 1e9 * t_ref / (W * n)}


def split_step_ratio(dim: int, n_points: int, steps: int) -> dict:
    g = Grid(n=n_points, length=40.0, dim=dim)
    r2 = sum(c**2 for c in g.mesh())
    psi = np.exp(-r2 / 2).astype(complex)
    V = 0.5 * r2
    fft, ifft = (np.fft.fft, np.fft.ifft) if dim == 1 else (np.fft.fft2, np.fft.ifft2)

    def ref():
        a = psi
        for _ in range(steps):
            a = ifft(fft(a))

    t_ours, t_ref = side_by_side(lambda: split_step(psi, g, V, dt=0.001, n_steps=steps), ref)
    size = "x".join([str(n_points)] * dim)
    return {"name": f"split_step_{dim}d", "ratio": t_ours / t_ref, "target": 1.5,
            "what": f"split-step Fourier step ({size}) / one fft + ifft pair of the same size",
            "ours_per_unit_ns": 1e9 * t_ours / steps, "ref_per_unit_ns": 1e9 * t_ref / steps}


def metropolis_ratio() -> dict:
    chains, n, sweeps = 20_000, 16, 20
    m = random_spin_glass(n, 1, seed=0)
    rng = np.random.default_rng(0)
    buf = np.empty(chains * n)

    def ref():
        for _ in range(sweeps):
            rng.random(out=buf)

    t_ours, t_ref = side_by_side(
        lambda: metropolis_spins(m, [0.0], n_chains=chains, n_sweeps=sweeps, burn_in=0, seed=0), ref, 3)
    updates = chains * n * sweeps
    return {"name": "metropolis_spin_update", "ratio": t_ours / t_ref, "target": 10.0,
            "what": f"Metropolis single-spin update ({chains} chains x {n} SK spins) / Generator.random draw; "
                    f"{updates / t_ours / 1e6:.1f} M spin updates/s",
            "ours_per_unit_ns": 1e9 * t_ours / updates, "ref_per_unit_ns": 1e9 * t_ref / updates}


def ratios() -> list[dict]:
    """Every sampler ratio of this file, measured now."""
    return [langevin_ratio(), split_step_ratio(1, 4096, 400), split_step_ratio(2, 256, 40), metropolis_ratio()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print {'ratios': [...]} as JSON")
    args = ap.parse_args(argv)
    rows = ratios()
    if args.json:
        print(json.dumps({"ratios": [{k: r[k] for k in ("name", "ratio", "target", "what")} for r in rows]}))
    else:
        print(f"{'name':26s} {'ratio':>7s} {'target':>7s} {'ours ns':>10s} {'ref ns':>10s}  what")
        for r in rows:
            flag = "" if r["ratio"] <= r["target"] else "  (above target)"
            print(f"{r['name']:26s} {r['ratio']:7.2f} {r['target']:7.2f} {r['ours_per_unit_ns']:10.2f} "
                  f"{r['ref_per_unit_ns']:10.2f}  {r['what']}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
