"""Ratios measured side by side in one run: time(ours) / time(reference), lower is better.

    python benchmarks/bench.py [--json] [--quick]

Each ratio has a target.  Times are the minimum over interleaved repeats, so both
sides see the same machine state.  ``--json`` prints {"ratios": [{"name", "ratio", "target", "what"}]}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_samplers  # noqa: E402  (beside this file)
from bench_samplers import side_by_side  # noqa: E402
from numerics.codegen import kernel  # noqa: E402

N = 10**6

# The same formulas written by hand in NumPy: the reference the generated kernels must match in speed.
HAND = {
    "quantum_potential_1d": lambda hbar_c, m, p, p_q1, p_q1q1:
        -hbar_c**2 / (2 * m) * (p_q1q1 / (2 * p) - p_q1**2 / (4 * p**2)),
    "madelung_continuity_1d": lambda S_q1, S_q1q1, m, p, p_q1, p_t: p_t + (p_q1 * S_q1 + p * S_q1q1) / m,
    "madelung_qhj_1d": lambda S_q1, S_t, V, hbar_c, m, p, p_q1, p_q1q1:
        S_t + S_q1**2 / (2 * m) + V - hbar_c**2 / (2 * m) * (p_q1q1 / (2 * p) - p_q1**2 / (4 * p**2)),
    "fp_current_1d": lambda D, F_q1, gamma, p, p_q1: -gamma * p * F_q1 - D * p_q1,
    "fp_rhs_1d": lambda D, F_q1, F_q1q1, gamma, p, p_q1, p_q1q1: D * p_q1q1 + gamma * (F_q1 * p_q1 + F_q1q1 * p),
    "langevin_drift_1d": lambda F_q1, gamma: -gamma * F_q1,
    "stationary_law": lambda D, F, gamma: np.exp(-gamma * F / D),
    "entropy_production_1d": lambda D, F_q1q1, gamma, p, p_q1: D * p_q1**2 / p - gamma * p * F_q1q1,
    "hessian_from_moments": lambda beta, m_H_q1, m_H_q1H_q2, m_H_q1q2, m_H_q2:
        m_H_q1q2 - beta * (m_H_q1H_q2 - m_H_q1 * m_H_q2),
    "energy_variance_from_moments": lambda m_H, m_H_sq: m_H**2 - m_H_sq,
}


def kernel_ratios(n: int = N) -> list[dict]:
    rng = np.random.default_rng(0)
    out = []
    for name, hand in HAND.items():
        k = kernel(name)
        scalars = {"D", "gamma", "beta", "hbar_c", "m"}
        vals = {a: (0.7 if a in scalars else rng.uniform(0.5, 2.0, n)) for a in k.args}
        np.testing.assert_allclose(k(**vals), hand(**vals), rtol=1e-12, atol=1e-14)
        t_ours, t_ref = side_by_side(lambda: k(**vals), lambda: hand(**vals), repeats=21)
        out.append({"name": f"kernel {name}", "ratio": t_ours / t_ref, "target": 1.10,
                    "what": f"generated kernel vs the same formula hand-written in NumPy, {n:.0e} points"})
    return out


def verify_ratios(repeats: int = 5) -> list[dict]:
    """Cold ``eqnn verify --no-cache`` and cached ``eqnn verify`` against ``python -c 'import sympy'``.

    Interleaved: each repeat times the reference and ours back to back (3 cold repeats, ``repeats`` cached
    ones); the minimum of each is kept.
    The cached run uses a private cache folder, warmed by one run first.
    """
    import tempfile

    env = dict(os.environ, EQNN_CACHE_DIR=tempfile.mkdtemp(prefix="eqnn-bench-cache-"))

    def timed(cmd):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True, env=env)
        return time.perf_counter() - t0
    sympy_cmd = [sys.executable, "-c", "import sympy"]
    cold_cmd = [sys.executable, "-m", "derive", "verify", "--no-cache"]
    warm_cmd = [sys.executable, "-m", "derive", "verify"]
    cold = [(timed(sympy_cmd), timed(cold_cmd)) for _ in range(3)]  # interleaved, minimum of each
    t_ref_cold, t_cold = min(a for a, _ in cold), min(b for _, b in cold)
    timed(warm_cmd)  # fills the cache
    pairs = [(timed(sympy_cmd), timed(warm_cmd)) for _ in range(repeats)]
    t_ref = min(a for a, _ in pairs)
    t_warm = min(b for _, b in pairs)
    return [{"name": "eqnn verify --no-cache (cold, whole chain)", "ratio": t_cold / t_ref_cold, "target": 15.0,
             "what": f"{t_cold:.1f} s vs `python -c 'import sympy'` {t_ref_cold:.2f} s"},
            {"name": "eqnn verify (cached, whole chain)", "ratio": t_warm / t_ref, "target": 2.0,
             "what": f"{t_warm:.2f} s vs `python -c 'import sympy'` {t_ref:.2f} s"}]


def sampler_ratios() -> list[dict]:
    return [{k: r[k] for k in ("name", "ratio", "target", "what")} for r in bench_samplers.ratios()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quick", action="store_true", help="skip the `eqnn verify` timings")
    args = ap.parse_args(argv)
    ratios = kernel_ratios() + sampler_ratios()
    if not args.quick:
        ratios.extend(verify_ratios())
    if args.json:
        print(json.dumps({"ratios": ratios}, indent=1))
        return 0
    width = max(len(r["name"]) for r in ratios)
    print(f"{'benchmark'.ljust(width)}  ratio   target  verdict")
    for r in ratios:
        target = r["target"]
        verdict = "-" if target is None else ("ok" if r["ratio"] <= target else "SLOWER")
        print(f"{r['name'].ljust(width)}  {r['ratio']:6.2f}  {'' if target is None else f'{target:.2f}':>6}  {verdict}"
              f"   {r['what']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
