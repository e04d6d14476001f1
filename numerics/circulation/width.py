r"""The estimator's width, checked on the nonlinear network (issue 15 §3).

The calibration on the linear-Gaussian chain cannot see a width bias: there v_θ/r does not depend on r.
On the network it does, so every mini-batch measurement is repeated here on the *same* trajectories
(the same arm, seed and stream as :func:`numerics.circulation.design.measure_network`; the accumulator
draws no random numbers) with two annuli, half-widths w and w/2, and the two estimates are compared by a
joint jackknife over the same walker groups:

* Δ = Γ(w) − Γ(w/2), its jackknife SE and z = Δ/SE (expected 0 if the estimator has no width dependence);
* the w → 0 value Γ₀ = (4Γ(w/2) − Γ(w))/3 (Richardson, for a bias ∝ w²) and the width bias of the
  reported value b = Γ(w) − Γ₀ = (4/3)Δ with its SE.

Each row passes when |z| < 4.5 (the experiment's threshold: no detectable width dependence).  One row
cannot show |b| < SE(Γ(w)): SE(b) ≈ 1.3 SE(Γ(w)) whatever the ensemble size.  The claim "the width
dependence is below the SE" is therefore tested on the pool of rows with a significant Γ (|Γ|/SE > 3):
the mean of ρ_i = b_i sign(Γ_i)/SE(Γ_i(w)) (the bias in units of the reported SE, signed towards larger
|Γ|), its SE √Σ(SE(b_i)/SE(Γ_i))²/n, and the two-sided 95 % interval; it passes when the whole interval
lies inside (−1, 1).  Its power is shown on the referee's bin-mean estimator (``radial="mean"``), whose
first-order width bias (+2–6 % of |Γ| at w = 0.0125) the same statistics must detect.

>>> from numerics.circulation.design import DESIGN
>>> from numerics.circulation.results import Sizes
>>> rows = measure_width(DESIGN[0], Sizes(400, 300, 50, 20, 2), seed=1, radii=(0.05,))
>>> rows[0].R, rows[0].halfwidth
(0.05, 0.0125)
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from typing import Optional, Sequence

import numpy as np
from scipy.stats import norm

from derive import executor as ex
from derive.errors import InputError
from derive.seeds import DEFAULT_SEED, check_seed, rng
from numerics.circulation.design import DESIGN, Arm
from numerics.circulation.results import HALFWIDTH, QUICK, THRESHOLD, Sizes
from numerics.circulation_estimator import Annulus, CirculationAccumulator
from numerics.exchange_network import EpsilonTable, NetworkModel, run_minibatch
from numerics.stats import jackknife

__all__ = ["WidthRow", "measure_width", "width_statistics", "pooled_bias", "run_width", "format_width", "pool_runs"]


@dataclass(frozen=True)
class WidthRow:
    """Γ at half-widths w and w/2 on the same data, their difference and the w → 0 value."""

    arm: str
    B: int
    kex: int
    mu: float
    phi_deg: float
    R: float
    halfwidth: float
    estimator: str  # "linear" (the package's) or "mean" (the referee's bin mean: the power check)
    gamma_w: Optional[float]
    se_w: Optional[float]
    gamma_half: Optional[float]
    se_half: Optional[float]
    diff: Optional[float]
    se_diff: Optional[float]
    z: Optional[float]
    p: Optional[float]
    gamma0: Optional[float]
    se_gamma0: Optional[float]
    bias: Optional[float]
    se_bias: Optional[float]
    threshold: float = THRESHOLD
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.gamma_w is not None

    @property
    def passed(self) -> Optional[bool]:
        """No significant width dependence (|z| below the threshold)."""
        if not self.measured:
            return None
        return abs(self.z) < self.threshold

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed, "statistic": "Gamma(w) - Gamma(w/2)", "expected": 0.0}


def width_statistics(acc: CirculationAccumulator, i_w: int, i_half: int, eta: float,
                     radial: str = "linear") -> Optional[dict]:
    """Joint jackknife of Γ(w), Γ(w/2), their difference and the Richardson value from one accumulator
    whose annuli ``i_w`` and ``i_half`` share R and the number of bins; None if a bin is too sparse."""
    a_w, a_h = acc.annuli[i_w], acc.annuli[i_half]
    if a_w.radius != a_h.radius or a_w.n_bins != a_h.n_bins:
        raise InputError("the two annuli must share R and n_bins")
    per_w = acc._per_group(acc._v[i_w], a_w)
    per_h = acc._per_group(acc._v[i_half], a_h)
    if per_w is None or per_h is None:
        return None
    scale = a_w.radius**2 * (2 * math.pi / a_w.n_bins) / eta
    both = np.stack([per_w, per_h], axis=1)  # (G, 2, 5, n_bins)

    def gammas(tot: np.ndarray) -> tuple[float, float]:
        return (scale * float(acc._on_loop(tot[0], radial).sum()), scale * float(acc._on_loop(tot[1], radial).sum()))

    out = {}
    for name, f in (("gamma_w", lambda t: gammas(t)[0]), ("gamma_half", lambda t: gammas(t)[1]),
                    ("diff", lambda t: gammas(t)[0] - gammas(t)[1]),
                    ("gamma0", lambda t: (4 * gammas(t)[1] - gammas(t)[0]) / 3)):
        out[name], out["se_" + name.replace("gamma_", "")] = jackknife(f, both, pooled="sum")
    out["se_w"], out["se_half"] = out.pop("se_w"), out.pop("se_half")
    out["se_gamma0"] = out.pop("se_gamma0")
    out["bias"], out["se_bias"] = 4 * out["diff"] / 3, 4 * out["se_diff"] / 3
    out["z"] = out["diff"] / out["se_diff"] if out["se_diff"] > 0 else math.inf
    out["p"] = float(2 * norm.sf(abs(out["z"])))
    return out


def measure_width(arm: Arm, sizes: Sizes, seed: int = DEFAULT_SEED, *, radii: Optional[Sequence[float]] = None,
                  halfwidth: float = HALFWIDTH, estimators: Sequence[str] = ("linear", "mean"),
                  table: Optional[EpsilonTable] = None) -> tuple[WidthRow, ...]:
    """Re-run a mini-batch arm (same stream as the experiment) with annuli R ± w and R ± w/2."""
    if not isinstance(arm, Arm) or arm.arm == "isotropic":
        raise InputError(f"measure_width takes a mini-batch or frozen-N Arm, got {arm!r}")
    radii = tuple(arm.radii if radii is None else radii)
    model = NetworkModel(phi_deg=arm.phi_deg)
    annuli = [Annulus(r, halfwidth) for r in radii] + [Annulus(r, halfwidth / 2) for r in radii]
    acc = CirculationAccumulator(annuli, sizes.n_networks)
    run_minibatch(model, mu=arm.mu, eta=arm.eta, batch=arm.B, kex=arm.kex, n_networks=sizes.n_networks,
                  n_steps=sizes.n_steps, burn_in=sizes.burn_in, rng=rng(seed, arm.stream), observe=acc.add_increments,
                  eps_table=table or EpsilonTable.build(model.T, model.n_gauss_hermite))
    rows = []
    for k, r in enumerate(radii):
        for est in estimators:
            s = width_statistics(acc, k, k + len(radii), arm.eta, est)
            base = dict(arm=arm.arm, B=arm.B, kex=arm.kex, mu=arm.mu, phi_deg=arm.phi_deg, R=r, halfwidth=halfwidth,
                        estimator=est)
            if s is None:
                rows.append(WidthRow(**base, **{f: None for f in ("gamma_w", "se_w", "gamma_half", "se_half", "diff",
                                                                   "se_diff", "z", "p", "gamma0", "se_gamma0", "bias",
                                                                   "se_bias")},
                                     note="loop outside the sampled support at w/2"))
            else:
                rows.append(WidthRow(**base, **s))
    return tuple(rows)


def _job(job: tuple) -> tuple:
    arm, sizes, seed = job
    return measure_width(arm, sizes, seed)


def run_width(sizes: Sizes = QUICK, seed: int = DEFAULT_SEED, *, design: Sequence[Arm] = DESIGN,
              executor: Optional[ex.Executor] = None) -> dict:
    """The width check for every mini-batch arm of the design (controls included)."""
    seed = check_seed(seed)
    arms = [a for a in design if a.arm != "isotropic"]
    executor = executor or ex.from_arguments(workers=2)
    t0 = time.perf_counter()
    out = executor.map(_job, [(a, sizes, seed) for a in arms])
    rows = [r for rs in out for r in rs]
    lin = [r for r in rows if r.estimator == "linear" and r.measured]
    pooled = {est: pooled_bias(rows, est) for est in ("linear", "mean")}
    return {
        "experiment": "width", "seed": seed, "sizes": asdict(sizes), "halfwidth": HALFWIDTH,
        "statistic": "per row: Delta = Gamma(w) - Gamma(w/2) (joint jackknife over walker groups), expected 0; "
                     "pooled: mean of rho = b sign(Gamma)/SE(Gamma(w)), b = 4/3 Delta",
        "expected": 0.0, "threshold": THRESHOLD,
        "criterion": "every row |z(Delta)| < threshold, and the pooled rho's 95% interval inside (-1, 1) "
                     "(width bias below the reported SE) for the package's linear-intercept estimator",
        "rows": [r.to_dict() for r in rows],
        "pooled": pooled,
        "passed": bool(all(r.passed for r in lin) and pooled["linear"]["below_se"]),
        "largest_abs_z_linear": max(abs(r.z) for r in lin),
        "power": {"planted": "the bin-mean estimator's known first-order width bias (+2-6 % of |Gamma|)",
                  "pooled_z_mean": pooled["mean"]["z"], "detected": bool(abs(pooled["mean"]["z"]) > THRESHOLD)},
        "seconds": time.perf_counter() - t0,
    }


def pooled_bias(rows: Sequence[WidthRow], estimator: str = "linear", min_signal: float = 3.0) -> dict:
    """Pool ρ_i = b_i sign(Γ_i)/SE(Γ_i(w)) over the rows of one estimator with |Γ|/SE > min_signal."""
    use = [r for r in rows if r.estimator == estimator and r.measured and abs(r.gamma_w) > min_signal * r.se_w]
    if not use:
        return {"n": 0, "rho": None, "se": None, "z": None, "p": None, "interval": None, "below_se": False}
    rho = np.array([r.bias * math.copysign(1.0, r.gamma_w) / r.se_w for r in use])
    se = math.sqrt(sum((r.se_bias / r.se_w) ** 2 for r in use)) / len(use)
    m = float(rho.mean())
    z = m / se
    lo, hi = m - 1.96 * se, m + 1.96 * se
    return {"n": len(use), "rho": m, "se": se, "z": z, "p": float(2 * norm.sf(abs(z))), "interval": [lo, hi],
            "below_se": bool(-1.0 < lo and hi < 1.0),
            "relative_bias": float(np.mean([r.bias / r.gamma_w for r in use]))}


def pool_runs(results: Sequence[dict]) -> dict:
    """Pool the loops of several :func:`run_width` results (independent seeds): ρ's SE falls as 1/√(loops),
    which is what tests |b| < SE(Γ(w)) (a larger ensemble does not: SE(b)/SE(Γ) stays ≈ 1.3)."""
    from dataclasses import fields

    names = {f.name for f in fields(WidthRow)}
    rows = [WidthRow(**{k: v for k, v in d.items() if k in names}) for r in results for d in r["rows"]]
    pooled = {e: pooled_bias(rows, e) for e in ("linear", "mean")}
    lin = [r for r in rows if r.estimator == "linear" and r.measured]
    return {"experiment": "width-pooled", "seeds": [r["seed"] for r in results], "pooled": pooled,
            "largest_abs_z_linear": max(abs(r.z) for r in lin), "n_loops_linear": len(lin),
            "rows_all_pass": all(r.passed for r in lin),
            "passed": bool(all(r.passed for r in lin) and pooled["linear"]["below_se"]),
            "power": {"pooled_z_mean": pooled["mean"]["z"], "detected": bool(abs(pooled["mean"]["z"]) > THRESHOLD)}}


def format_width(result: dict) -> str:
    lines = [f"Width check (seed {result['seed']}): Gamma at half-widths w = {result['halfwidth']} and w/2 on the same data",
             f"{'arm':<10}{'B':>3}{'kex':>4}{'mu':>6}{'phi':>5}{'R':>6}  {'est':<7}{'Gamma(w)':>20}{'Gamma(w/2)':>20}"
             f"{'z(diff)':>9}{'Gamma(w->0)':>20}{'|b|/SE':>8}  ok"]
    for r in result["rows"]:
        if r["gamma_w"] is None:
            lines.append(f"{r['arm']:<10}{r['B']:>3}{r['kex']:>4}{r['mu']:>6g}{r['phi_deg']:>5g}{r['R']:>6g}  "
                         f"{r['estimator']:<7}  {r['note']}")
            continue
        lines.append(f"{r['arm']:<10}{r['B']:>3}{r['kex']:>4}{r['mu']:>6g}{r['phi_deg']:>5g}{r['R']:>6g}  "
                     f"{r['estimator']:<7}{r['gamma_w']:>+11.5f} ± {r['se_w']:.5f}{r['gamma_half']:>+11.5f} ± "
                     f"{r['se_half']:.5f}{r['z']:>9.2f}{r['gamma0']:>+11.5f} ± {r['se_gamma0']:.5f}"
                     f"{abs(r['bias']) / r['se_w']:>8.2f}  {'yes' if r['passed'] else 'NO'}")
    for est, pl in result["pooled"].items():
        if pl["n"]:
            lines.append(f"pooled {est:<7}: rho = b sign(Gamma)/SE = {pl['rho']:+.3f} ± {pl['se']:.3f} over {pl['n']} "
                         f"loops (z = {pl['z']:+.2f}, p = {pl['p']:.2g}; 95% [{pl['interval'][0]:+.2f}, "
                         f"{pl['interval'][1]:+.2f}]; mean b/|Gamma| = {pl['relative_bias']:+.4f}); below SE: {pl['below_se']}")
    lines.append(f"linear-intercept estimator: largest |z(Delta)| = {result['largest_abs_z_linear']:.2f} "
                 f"(threshold {result['threshold']}); passed: {result['passed']}")
    lines.append(f"power (bin-mean estimator, its known width bias): pooled z = "
                 f"{result['power']['pooled_z_mean']:+.2f}, detected: {result['power']['detected']}")
    return "\n".join(lines)


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, allow_nan=False)
