"""Speed of the circulation experiment's samplers, as ratios measured side by side in one run.

Each ratio is time(one network-step) / time(one ``Generator.standard_normal`` variate), best of
interleaved repeats, lower is better.  A network-step of the mini-batch arm draws B·2 normal inputs,
B exact binomial spin sums and kex exchange attempts, and (with the observer) bins the increment on
three annuli; so it cannot approach 1.  Printed for information (design.md §5 sets no target for it):

* mini-batch SGD, B = 1, kex = 1, with and without the circulation observer;
* mini-batch SGD, B = 4, kex = 1;
* isotropic arm, kex = 1, with the conditional-N observer.

Run:  python benchmarks/bench_circulation.py [--json] [--walkers W] [--steps S]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from numerics.circulation_estimator import Annulus, CirculationAccumulator  # noqa: E402
from numerics.exchange_network import EpsilonTable, NetworkModel, run_isotropic, run_minibatch  # noqa: E402


def _best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(walkers: int = 5000, steps: int = 200, repeats: int = 3) -> list[dict]:
    model, table = NetworkModel(), EpsilonTable.build()
    rng = np.random.default_rng(0)

    def normals() -> None:
        for _ in range(steps):
            rng.standard_normal(walkers)

    def minibatch(batch: int, observed: bool) -> None:
        acc = CirculationAccumulator([Annulus(r, 0.0125) for r in (0.03, 0.05, 0.08)], walkers)
        run_minibatch(model, mu=0.5, eta=0.01, batch=batch, kex=1, n_networks=walkers, n_steps=steps, burn_in=0,
                      rng=rng, observe=acc.add_increments if observed else None, eps_table=table)

    def isotropic() -> None:
        acc = CirculationAccumulator([Annulus(r, 0.05) for r in (0.6, 0.9)], walkers)
        run_isotropic(model, mu=0.5, eta=0.01, t_q=4.0, kex=1, n_networks=walkers, n_steps=steps, burn_in=0,
                      rng=rng, observe=acc.add_conditional, eps_table=table)

    cases = [
        ("minibatch B=1 kex=1 + observer", lambda: minibatch(1, True)),
        ("minibatch B=1 kex=1, no observer", lambda: minibatch(1, False)),
        ("minibatch B=4 kex=1 + observer", lambda: minibatch(4, True)),
        ("isotropic T_q=4T kex=1 + observer", isotropic),
    ]
    out = []
    for name, fn in cases:
        ours, ref = [], []
        for _ in range(repeats):  # interleaved, so both see the same machine state
            ours.append(_best(fn, 1))
            ref.append(_best(normals, 1))
        t_step, t_normal = min(ours) / (walkers * steps), min(ref) / (walkers * steps)
        out.append({"name": name, "ratio": t_step / t_normal, "network_steps_per_s": 1.0 / t_step,
                    "normals_per_s": 1.0 / t_normal})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--walkers", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args(argv)
    rows = measure(args.walkers, args.steps)
    if args.json:
        print(json.dumps({"ratios": rows}, indent=2))
    else:
        for r in rows:
            print(f"{r['name']:<36} {r['network_steps_per_s'] / 1e6:6.2f} M network-steps/s   "
                  f"{r['ratio']:6.1f} x one normal variate ({r['normals_per_s'] / 1e6:.0f} M/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
