r"""Does learning quantize circulation?  The experiment of referee.md §5 (issue 8), measured.

The reconstructed Steps 11–12 predict that the circulation of the learned phase around loops in trainable
space comes in multiples of the chemical potential μ (∮∇S·dq = nμ, ħ = μ/2π).  On an ensemble of
SGD-trained grand-canonical networks (:mod:`numerics.exchange_network`) the only observable with that
meaning is the circulation of the current velocity,

    Γ(R) = (1/η) ∮_{|q|=R} v·dl      (free-energy units, the units of μ),

estimated by :mod:`numerics.circulation_estimator`.  This module runs the whole design:

* **calibration**: the estimator on the exact linear-Gaussian chain with the network's drift and noise
  matrices (N = 15, B = 1) against the Brownian-gyrator formula Γ = πR²(Ω₂₁ − Ω₁₂)/η;
* **controls**: φ = 0 (C commutes with K) must give Γ = 0; the mirror φ → −φ must flip Γ;
* **measurements**: mini-batch B = 1, 4 × exchange kex = 1, 10 and N frozen, at R = 0.03, 0.05, 0.08;
  a μ-sweep at R = 0.05; isotropic-noise arms (T_q = T at η = 0.01, 0.005; T_q = 4T) with the
  low-variance estimator −∮E[N|q]dε;
* **verdict**: quantization (Γ ∝ μ with Γ/μ an integer, R-independent plateaus) against a classical
  current (Γ grows with the loop and vanishes with it, is insensitive to μ, obeys the controls)
  against neither, decided by stated criteria (:func:`decide_verdict`).

Statistical semantics (design.md §3): a check passes when |z| < 4.5; the power of each check is shown
by a planted error (calibration) or by the φ = 35° value being significant (mirror control).

The radii of the isotropic T_q = T arms are not fixed by referee.md §5; this module uses R = 0.3, 0.6
(the spread is half that at T_q = 4T, whose loops are R = 0.6, 0.9; R = 0.9 lies outside the T_q = T
support).  Loops outside
the sampled support (an angular bin with < 50 samples, e.g. B = 4 at R = 0.08, which lies ≈ 4.7σ out
along the minor axis) are reported with ``gamma = null`` and a note instead of a number.

Example (the quick run takes about 90 CPU seconds, run in 2 processes by default; here a tiny calibration):

>>> cal = calibrate(radii=(0.05,), n_walkers=2000, n_steps=500, burn_in=100, seed=1)
>>> round(cal[0].formula, 5), abs(cal[0].z) < THRESHOLD
(-0.12077, True)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np
from scipy import stats

from derive.command import Command, seed_type
from derive.errors import InputError
from numerics.circulation_estimator import (
    Annulus,
    CirculationAccumulator,
    binned_expectation_linear,
    gyrator_gamma,
    simulate_linear_chain,
)
from numerics.exchange_network import (
    EpsilonTable,
    NetworkModel,
    epsilon_exact,
    linearization,
    run_isotropic,
    run_minibatch,
)

__all__ = [
    "DEFAULT_SEED",
    "MU_DEFAULT",
    "THRESHOLD",
    "Sizes",
    "QUICK",
    "FULL",
    "Measurement",
    "Calibration",
    "Control",
    "Verdict",
    "ExperimentResult",
    "calibrate",
    "measure_network",
    "run_experiment",
    "decide_verdict",
    "verdict_from_json",
    "format_table",
    "plot_result",
    "COMMAND",
]

DEFAULT_SEED = 20120505  # arXiv:2012.05082
MU_DEFAULT = 0.5  # E[N | q = 0] = 15.35: the calibration chain's N = 15 reproduces referee.md §5's figures
THRESHOLD = 4.5  # |z| threshold of every check (design.md §3)
ETA = 0.01
RADII = (0.03, 0.05, 0.08)
HALFWIDTH = 0.0125
ISO_HALFWIDTH = 0.05
MU_SWEEP = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
PLANTED = 0.10  # relative error planted into the gyrator formula for the calibration's power check
COARSE_BINS = 24  # the binning-bias demonstration of referee.md E13
CAL_N = 15

ARMS = ("minibatch", "frozen-N", "isotropic")
ESTIMATORS = ("stratonovich", "conditional-N")
OUTCOMES = ("quantization", "classical-current", "no-circulation", "neither")


def _check_int(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _opt_float(x: Optional[float]) -> Optional[float]:
    return None if x is None else float(x)


# ---------------------------------------------------------------------------------------------
# sizes and results


@dataclass(frozen=True)
class Sizes:
    """Ensemble sizes: networks × steps (burn-in included) for each configuration, and the walkers ×
    steps of the calibration chain.  The η = 0.005 isotropic arm runs twice the steps (same learning time).

    >>> QUICK.n_networks, FULL.n_networks
    (5000, 20000)
    """

    n_networks: int
    n_steps: int
    burn_in: int
    cal_walkers: int
    cal_steps: int

    def __post_init__(self) -> None:
        _check_int("n_networks", self.n_networks, 20)
        _check_int("n_steps", self.n_steps, 2)
        _check_int("burn_in", self.burn_in, 0)
        if self.burn_in >= self.n_steps:
            raise InputError(f"burn_in must be < n_steps, got {self.burn_in} >= {self.n_steps}")
        _check_int("cal_walkers", self.cal_walkers, 20)
        _check_int("cal_steps", self.cal_steps, 2)


QUICK = Sizes(n_networks=5000, n_steps=2000, burn_in=200, cal_walkers=20000, cal_steps=2000)
FULL = Sizes(n_networks=20000, n_steps=4000, burn_in=1000, cal_walkers=20000, cal_steps=4000)


@dataclass(frozen=True)
class Measurement:
    """One Γ ± SE.  ``gamma``/``se`` are None when the loop lies outside the sampled support (note says so)."""

    arm: str
    B: Optional[int]
    kex: int
    mu: float
    R: float
    eta: float
    gamma: Optional[float]
    se: Optional[float]
    n_networks: int
    n_steps: int
    burn_in: int
    phi_deg: float = 35.0
    T_q: Optional[float] = None
    estimator: str = "stratonovich"
    mean_n: Optional[float] = None
    n_samples: int = 0
    note: str = ""

    def __post_init__(self) -> None:
        if self.arm not in ARMS:
            raise InputError(f"arm must be one of {ARMS}, got {self.arm!r}")
        if self.estimator not in ESTIMATORS:
            raise InputError(f"estimator must be one of {ESTIMATORS}, got {self.estimator!r}")
        if (self.gamma is None) != (self.se is None):
            raise InputError("gamma and se must both be given or both be None")
        if self.se is not None and not (math.isfinite(self.se) and self.se >= 0 and math.isfinite(self.gamma)):
            raise InputError(f"gamma must be finite and se >= 0, got {self.gamma}, {self.se}")
        if self.arm != "isotropic" and (isinstance(self.B, bool) or not isinstance(self.B, (int, np.integer))
                                        or self.B < 1):
            raise InputError(f"the mini-batch size B must be an integer >= 1, got {self.B!r}")
        if self.arm == "isotropic" and not (self.T_q is not None and self.T_q > 0):
            raise InputError(f"the isotropic arm needs T_q > 0, got {self.T_q!r}")
        if self.arm == "frozen-N" and self.kex != 0:
            raise InputError("the frozen-N arm has kex = 0")
        if self.R <= 0 or self.eta <= 0:
            raise InputError(f"R and eta must be > 0, got R={self.R}, eta={self.eta}")

    @property
    def measured(self) -> bool:
        return self.gamma is not None

    @property
    def z(self) -> Optional[float]:
        """Γ/SE, the significance of a nonzero circulation."""
        if self.gamma is None:
            return None
        return self.gamma / self.se if self.se > 0 else math.inf

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Calibration:
    """Estimator against the exact gyrator formula on the linear-Gaussian chain (N, B, η)."""

    R: float
    n_bins: int
    N: int
    B: int
    eta: float
    formula: float
    estimate: float
    se: float
    z: float
    threshold: float
    binning_bias: float
    coarse_bins: int
    coarse_estimate: float
    coarse_z: float
    planted: float
    planted_z: float
    n_walkers: int
    n_steps: int

    def __post_init__(self) -> None:
        for name in ("formula", "estimate", "se", "z", "binning_bias", "planted_z"):
            if not math.isfinite(getattr(self, name)):
                raise InputError(f"calibration {name} must be finite")
        if self.se <= 0:
            raise InputError("calibration se must be > 0")

    @property
    def passed(self) -> bool:
        """Agreement within the threshold, and the planted error is detected (power)."""
        return abs(self.z) < self.threshold and abs(self.planted_z) > self.threshold

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed,
                "power": {"planted": self.planted, "z": self.planted_z, "detected": abs(self.planted_z) > self.threshold}}


@dataclass(frozen=True)
class Control:
    """A control check: ``phi=0`` (statistic Γ, expected 0) or ``mirror`` (statistic Γ(φ) + Γ(−φ),
    expected 0, with Γ(φ) itself significant: ``signal_z``)."""

    name: str
    R: float
    statistic: float
    se: float
    z: float
    threshold: float
    signal_z: Optional[float] = None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.name not in ("phi=0", "mirror"):
            raise InputError(f"control name must be 'phi=0' or 'mirror', got {self.name!r}")
        if self.name == "mirror" and self.signal_z is None:
            raise InputError("the mirror control needs signal_z")
        if not (math.isfinite(self.statistic) and math.isfinite(self.se) and self.se >= 0):
            raise InputError("control statistic and se must be finite")

    @property
    def passed(self) -> bool:
        ok = abs(self.z) < self.threshold
        if self.name == "mirror":
            ok = ok and abs(self.signal_z) > self.threshold
        return ok

    def to_dict(self) -> dict:
        return {**asdict(self), "expected": 0.0, "passed": self.passed}


@dataclass(frozen=True)
class Verdict:
    """The outcome the data support, the criteria with their pass/fail, and the deciding figures."""

    outcome: str
    text: str
    criteria: tuple[tuple[str, bool], ...]
    figures: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise InputError(f"outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        if not self.text:
            raise InputError("a verdict needs its text")


@dataclass(frozen=True)
class ExperimentResult:
    """Everything the experiment measured, and the verdict computed from it."""

    seed: int
    full: bool
    sizes: Sizes
    measurements: tuple[Measurement, ...]
    calibration: tuple[Calibration, ...]
    controls: tuple[Control, ...]
    verdict: Verdict
    seconds: float

    def __post_init__(self) -> None:
        if not self.measurements or not self.calibration or not self.controls:
            raise InputError("an experiment result needs measurements, calibration and controls")

    @property
    def passed(self) -> bool:
        """Calibration and controls all pass (the measurements themselves have no pass/fail)."""
        return all(c.passed for c in self.calibration) and all(c.passed for c in self.controls)

    def to_dict(self) -> dict:
        return {
            "experiment": "circulation",
            "seed": self.seed,
            "full": self.full,
            "sizes": asdict(self.sizes),
            "threshold": THRESHOLD,
            "units": "free energy (units of mu, T = 1)",
            "measurements": [m.to_dict() for m in self.measurements],
            "calibration": [c.to_dict() for c in self.calibration],
            "controls": [c.to_dict() for c in self.controls],
            "passed": self.passed,
            "verdict": self.verdict.text,
            "outcome": self.verdict.outcome,
            "criteria": [{"criterion": n, "met": bool(ok)} for n, ok in self.verdict.criteria],
            "figures": self.verdict.figures,
            "seconds": self.seconds,
        }

    def to_json(self, indent: Optional[int] = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# calibration


def calibrate(radii: Sequence[float] = RADII, *, model: NetworkModel = NetworkModel(), n_active: int = CAL_N,
              batch: int = 1, eta: float = ETA, n_walkers: int = QUICK.cal_walkers,
              n_steps: int = QUICK.cal_steps, burn_in: int = 100, seed: int = DEFAULT_SEED) -> tuple[Calibration, ...]:
    """The estimator on the linear-Gaussian chain with the network's A = K − βNC and Q = η²NC/B.

    Also reports the quadrature value of the binning bias at the default bins and the estimate with
    24 bins (referee.md E13), and a planted 10% error in the formula that the check must detect.
    """
    a, q = linearization(model, n_active, batch, eta)
    fine = [Annulus(r, HALFWIDTH) for r in radii]
    coarse = [Annulus(r, HALFWIDTH, COARSE_BINS) for r in radii]
    acc = CirculationAccumulator(fine + coarse, n_walkers)
    simulate_linear_chain(a, q, eta, n_walkers, n_steps, burn_in, np.random.default_rng([_seed(seed), 0]),
                          acc.add_increments)
    est = acc.stratonovich(eta)
    out = []
    for i, ann in enumerate(fine):
        e, c = est[i], est[i + len(fine)]
        if e is None or c is None:
            raise InputError(f"calibration annulus R={ann.radius} under-sampled: increase n_walkers or n_steps")
        exact = gyrator_gamma(a, q, eta, ann.radius)
        out.append(Calibration(
            R=ann.radius, n_bins=ann.n_bins, N=n_active, B=batch, eta=eta, formula=exact, estimate=e.gamma,
            se=e.se, z=e.z(exact), threshold=THRESHOLD,
            binning_bias=binned_expectation_linear(a, q, eta, ann) - exact,
            coarse_bins=COARSE_BINS, coarse_estimate=c.gamma, coarse_z=c.z(exact),
            planted=PLANTED, planted_z=e.z(exact * (1 + PLANTED)), n_walkers=n_walkers, n_steps=n_steps))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# one network configuration


@dataclass(frozen=True)
class _Spec:
    """One simulated configuration and the loops measured on it."""

    arm: str
    mu: float
    eta: float
    kex: int
    radii: tuple[float, ...]
    B: Optional[int] = None
    T_q: Optional[float] = None
    phi_deg: float = 35.0
    role: str = "measurement"  # or "control"

    @property
    def label(self) -> str:
        if self.arm == "isotropic":
            return f"isotropic T_q={self.T_q:g} eta={self.eta:g} kex={self.kex} mu={self.mu:g}"
        return f"{self.arm} B={self.B} kex={self.kex} mu={self.mu:g} phi={self.phi_deg:g}"


def _seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be an integer >= 0, got {seed!r}")
    return int(seed)


def _epsilon_on_loop(model: NetworkModel) -> Callable[[float, np.ndarray], np.ndarray]:
    c = model.covariance()

    def eps(radius: float, theta: np.ndarray) -> np.ndarray:
        x, y = radius * np.cos(theta), radius * np.sin(theta)
        s = np.sqrt(c[0, 0] * x * x + 2 * c[0, 1] * x * y + c[1, 1] * y * y)
        return epsilon_exact(s, model.T, model.n_gauss_hermite)

    return eps


def measure_network(spec: _Spec, sizes: Sizes, seed: int, index: int,
                    progress: Optional[Callable[[int, int], None]] = None,
                    table: Optional[EpsilonTable] = None) -> tuple[Measurement, ...]:
    """Simulate one configuration and return one :class:`Measurement` per loop radius.

    The random stream is ``default_rng([seed, index])``, so a configuration's numbers do not depend on
    which other configurations run, or in which order.
    """
    model = NetworkModel(phi_deg=spec.phi_deg)
    rng = np.random.default_rng([_seed(seed), int(index)])
    table = table or EpsilonTable.build(model.T, model.n_gauss_hermite)
    n_steps = sizes.n_steps
    if spec.arm == "isotropic":
        scale = max(1, int(round(ETA / spec.eta)))  # same learning time at smaller η
        n_steps, burn_in = sizes.n_steps * scale, sizes.burn_in * scale
        annuli = [Annulus(r, ISO_HALFWIDTH) for r in spec.radii]
        acc = CirculationAccumulator(annuli, sizes.n_networks)
        final = run_isotropic(model, mu=spec.mu, eta=spec.eta, t_q=spec.T_q, kex=spec.kex,
                              n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, rng=rng,
                              observe=acc.add_conditional, progress=progress, eps_table=table)
        estimates = acc.conditional(_epsilon_on_loop(model))
        estimator = "conditional-N"
    else:
        burn_in = sizes.burn_in
        annuli = [Annulus(r, HALFWIDTH) for r in spec.radii]
        acc = CirculationAccumulator(annuli, sizes.n_networks)
        final = run_minibatch(model, mu=spec.mu, eta=spec.eta, batch=spec.B, kex=spec.kex,
                              n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, rng=rng,
                              observe=acc.add_increments, progress=progress, eps_table=table)
        estimates = acc.stratonovich(spec.eta)
        estimator = "stratonovich"
    rows = []
    for ann, e in zip(annuli, estimates):
        rows.append(Measurement(
            arm=spec.arm, B=spec.B, kex=spec.kex, mu=spec.mu, R=ann.radius, eta=spec.eta,
            gamma=None if e is None else e.gamma, se=None if e is None else e.se,
            n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, phi_deg=spec.phi_deg, T_q=spec.T_q,
            estimator=estimator, mean_n=final.mean_n, n_samples=0 if e is None else e.n_samples,
            note="" if e is not None else "loop outside the sampled support (an angular bin has < 50 samples)"))
    return tuple(rows)


def _specs() -> tuple[_Spec, ...]:
    """The configurations of referee.md §5, in a fixed order (the order fixes each one's random stream)."""
    specs: list[_Spec] = []
    for b in (1, 4):
        for kex in (1, 10, 0):
            specs.append(_Spec("frozen-N" if kex == 0 else "minibatch", MU_DEFAULT, ETA, kex, RADII, B=b))
    for mu in MU_SWEEP:
        if mu != MU_DEFAULT:
            specs.append(_Spec("minibatch", mu, ETA, 1, (0.05,), B=1))
    specs.append(_Spec("isotropic", MU_DEFAULT, 0.01, 1, (0.3, 0.6), T_q=1.0))
    specs.append(_Spec("isotropic", MU_DEFAULT, 0.005, 1, (0.3, 0.6), T_q=1.0))
    specs.append(_Spec("isotropic", MU_DEFAULT, 0.01, 1, (0.6, 0.9), T_q=4.0))
    specs.append(_Spec("minibatch", MU_DEFAULT, ETA, 1, RADII, B=1, phi_deg=0.0, role="control"))
    specs.append(_Spec("minibatch", MU_DEFAULT, ETA, 1, RADII, B=1, phi_deg=-35.0, role="control"))
    return tuple(specs)


def _run_indexed(args: tuple) -> tuple[int, tuple[Measurement, ...]]:
    """Top-level worker (picklable) for the process pool."""
    index, spec, sizes, seed = args
    return index, measure_network(spec, sizes, seed, index + 1)


# ---------------------------------------------------------------------------------------------
# controls


def _controls(plus: Sequence[Measurement], zero: Sequence[Measurement], minus: Sequence[Measurement]) -> tuple[Control, ...]:
    out = []
    for m0 in zero:
        if m0.measured:
            out.append(Control("phi=0", m0.R, m0.gamma, m0.se, m0.z, THRESHOLD,
                               detail=f"Gamma(phi=0) = {m0.gamma:+.5f} +- {m0.se:.5f}"))
    for mp, mm in zip(plus, minus):
        if mp.measured and mm.measured:
            s = mp.gamma + mm.gamma
            se = math.hypot(mp.se, mm.se)
            out.append(Control("mirror", mp.R, s, se, s / se, THRESHOLD, signal_z=mp.z,
                               detail=f"Gamma(+35) = {mp.gamma:+.5f} +- {mp.se:.5f}, "
                                      f"Gamma(-35) = {mm.gamma:+.5f} +- {mm.se:.5f}"))
    if not out:
        raise InputError("no control loop could be measured: increase the ensemble")
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# the verdict


def _wls(x: np.ndarray, y: np.ndarray, se: np.ndarray, design: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Weighted least squares: coefficients, their SEs, χ², degrees of freedom."""
    w = 1.0 / se
    coef, *_ = np.linalg.lstsq(design * w[:, None], y * w, rcond=None)
    cov = np.linalg.inv((design * w[:, None]).T @ (design * w[:, None]))
    chi2 = float((((y - design @ coef) * w) ** 2).sum())
    return coef, np.sqrt(np.diag(cov)), chi2, len(y) - design.shape[1]


def _p_value(chi2: float, dof: int) -> Optional[float]:
    return float(stats.chi2.sf(chi2, dof)) if dof > 0 else None


def _radius_figures(rows: Sequence[Measurement]) -> Optional[dict]:
    """Γ against R in one arm: log-log exponent α (plateau α = 0, area law α = 2), the uniform-vorticity
    fit Γ = aR², and the plateau fit Γ = c."""
    rows = [r for r in rows if r.measured]
    if len(rows) < 2:
        return None
    r = np.array([m.R for m in rows])
    g = np.array([m.gamma for m in rows])
    se = np.array([m.se for m in rows])
    out: dict = {"R": r.tolist(), "gamma": g.tolist(), "se": se.tolist()}
    a, sa, chi_a, dof_a = _wls(r, g, se, (r**2)[:, None])
    out["area_slope"], out["area_slope_se"] = float(a[0]), float(sa[0])
    out["area_chi2_dof"] = chi_a / dof_a if dof_a else None
    out["area_p"] = _p_value(chi_a, dof_a)
    c, sc, chi_c, dof_c = _wls(r, g, se, np.ones((len(r), 1)))
    out["plateau"], out["plateau_se"] = float(c[0]), float(sc[0])
    out["plateau_chi2_dof"] = chi_c / dof_c if dof_c else None
    out["plateau_p"] = _p_value(chi_c, dof_c)
    if np.all(np.sign(g) == np.sign(g[0])) and np.all(np.abs(g) > 2 * se):
        lg, lse = np.log(np.abs(g)), se / np.abs(g)
        coef, cse, _, _ = _wls(np.log(r), lg, lse, np.stack([np.ones_like(r), np.log(r)], axis=1))
        out["alpha"], out["alpha_se"] = float(coef[1]), float(cse[1])
    else:
        out["alpha"], out["alpha_se"] = None, None
    return out


def _mu_figures(rows: Sequence[Measurement]) -> Optional[dict]:
    """Γ against μ at fixed R: the fit Γ = a + bμ (quantization: a = 0, b = n ∈ ℤ∖{0}), and Γ/μ."""
    rows = sorted((r for r in rows if r.measured), key=lambda m: m.mu)
    if len(rows) < 3:
        return None
    mu = np.array([m.mu for m in rows])
    g = np.array([m.gamma for m in rows])
    se = np.array([m.se for m in rows])
    coef, cse, chi2, dof = _wls(mu, g, se, np.stack([np.ones_like(mu), mu], axis=1))
    n_b = int(round(coef[1]))
    ratios = []
    for m in rows:
        if m.mu != 0:
            n = int(round(m.gamma / m.mu))
            ratios.append({"mu": m.mu, "ratio": m.gamma / m.mu, "nearest_n": n, "z": (m.gamma - n * m.mu) / m.se})
    return {
        "mu": mu.tolist(), "gamma": g.tolist(), "se": se.tolist(),
        "intercept": float(coef[0]), "intercept_se": float(cse[0]), "intercept_z": float(coef[0] / cse[0]),
        "slope": float(coef[1]), "slope_se": float(cse[1]), "slope_nearest_n": n_b,
        "slope_z_vs_n": float((coef[1] - n_b) / cse[1]),
        "chi2_dof": chi2 / dof if dof else None, "p": _p_value(chi2, dof), "ratios": ratios,
    }


def _exchange_figures(rows: Sequence[Measurement]) -> dict:
    """Γ(kex = 10) − Γ(kex = 1) and Γ(frozen) − Γ(kex = 1) at each (B, R): the largest |z| and |Δ|/|μ|."""
    index = {(m.B, m.kex, m.R): m for m in rows if m.measured and m.arm != "isotropic" and m.mu == MU_DEFAULT
             and m.phi_deg == 35.0}
    diffs = []
    for (b, kex, r), m in index.items():
        ref = index.get((b, 1, r))
        if kex != 1 and ref is not None:
            d, s = m.gamma - ref.gamma, math.hypot(m.se, ref.se)
            diffs.append({"B": b, "kex": kex, "R": r, "delta": d, "se": s, "z": d / s, "delta_over_mu": d / MU_DEFAULT})
    return {"differences": diffs,
            "max_abs_z": max((abs(d["z"]) for d in diffs), default=None),
            "max_abs_delta_over_mu": max((abs(d["delta_over_mu"]) for d in diffs), default=None)}


def decide_verdict(measurements: Sequence[Measurement], controls: Sequence[Control]) -> Verdict:
    """What the data support, from stated criteria (threshold |z| = 4.5 throughout).

    * **classical-current** iff (c1) the controls pass (φ = 0 gives 0, the mirror flips the sign);
      (c2) some mini-batch Γ is nonzero; (c3) in every mini-batch arm Γ grows with the loop: the
      log-log exponent α of |Γ| against R exceeds 0 (the plateau) by > 4.5 SE; (c4) Γ is not ∝ μ: the
      intercept of Γ = a + bμ is nonzero (|z| > 4.5); (c5) Γ is insensitive to μ: |dΓ/dμ| < 0.1, i.e. a
      unit change of μ moves Γ by less than a tenth of what one quantum of winding would.
    * **quantization** iff (q1) dΓ/dμ is within 4.5 SE of a nonzero integer n and the intercept is 0
      within 4.5 SE; (q2) every Γ of the μ-sweep is within 4.5 SE of nμ; (q3) in every mini-batch arm
      Γ is independent of R (α within 4.5 SE of 0).
    * **no-circulation** iff every mini-batch Γ is 0 within 4.5 SE (only the n = 0 sector).
    * **neither** otherwise.

    The uniform-vorticity area law (Γ = aR², its χ²) and the exchange-rate dependence are reported as
    figures; they describe the classical current but do not decide between the hypotheses.
    """
    mb = [m for m in measurements if m.arm in ("minibatch", "frozen-N") and m.phi_deg == 35.0]
    iso = [m for m in measurements if m.arm == "isotropic"]
    arms: dict = {}
    for m in mb:
        if m.mu == MU_DEFAULT:
            arms.setdefault((m.B, m.kex), []).append(m)
    radius = {f"{'frozen-N' if k == 0 else 'minibatch'} B={b} kex={k}": _radius_figures(rows)
              for (b, k), rows in sorted(arms.items())}
    radius = {k: v for k, v in radius.items() if v is not None}
    sweep = _mu_figures([m for m in mb if m.arm == "minibatch" and m.B == 1 and m.kex == 1 and m.R == 0.05])
    exchange = _exchange_figures(mb)
    measured = [m for m in mb if m.measured]
    zs = [abs(m.z) for m in measured]
    iso_fig = [{"T_q": m.T_q, "eta": m.eta, "R": m.R, "gamma": m.gamma, "se": m.se, "z": m.z,
                "gamma_over_mu": None if m.gamma is None else m.gamma / m.mu} for m in iso]
    figures = {"radius": radius, "mu_sweep": sweep, "exchange": exchange, "isotropic": iso_fig,
               "controls_passed": all(c.passed for c in controls)}

    def alpha_above_zero(f: dict) -> bool:
        return f["alpha"] is not None and f["alpha"] > THRESHOLD * f["alpha_se"]

    def alpha_zero(f: dict) -> bool:
        return f["alpha"] is None or abs(f["alpha"]) < THRESHOLD * f["alpha_se"]

    has_sweep = sweep is not None
    c = [
        ("c1 controls pass (phi=0 gives 0, mirror flips the sign)", bool(controls) and all(x.passed for x in controls)),
        ("c2 some mini-batch Gamma is nonzero (|z| > 4.5)", any(z > THRESHOLD for z in zs)),
        ("c3 Gamma grows with the loop in every arm (alpha > 4.5 SE)", bool(radius) and all(alpha_above_zero(f) for f in radius.values())),
        ("c4 Gamma not proportional to mu (intercept |z| > 4.5)", has_sweep and abs(sweep["intercept_z"]) > THRESHOLD),
        ("c5 Gamma insensitive to mu (|dGamma/dmu| < 0.1)", has_sweep and abs(sweep["slope"]) < 0.1),
    ]
    q = [
        ("q1 dGamma/dmu a nonzero integer, Gamma(mu=0) = 0", has_sweep and sweep["slope_nearest_n"] != 0
         and abs(sweep["slope_z_vs_n"]) < THRESHOLD and abs(sweep["intercept_z"]) < THRESHOLD),
        ("q2 every Gamma(mu) within 4.5 SE of n mu", has_sweep and sweep["slope_nearest_n"] != 0 and all(
            abs(g - sweep["slope_nearest_n"] * mu) < THRESHOLD * s
            for mu, g, s in zip(sweep["mu"], sweep["gamma"], sweep["se"]))),
        ("q3 Gamma independent of R in every arm (alpha = 0 within 4.5 SE)", bool(radius) and all(alpha_zero(f) for f in radius.values())),
    ]
    no_circ = bool(zs) and all(z < THRESHOLD for z in zs)
    if all(ok for _, ok in q):
        outcome = "quantization"
    elif all(ok for _, ok in c):
        outcome = "classical-current"
    elif no_circ:
        outcome = "no-circulation"
    else:
        outcome = "neither"
    text = _verdict_text(outcome, c, q, radius, sweep, exchange, iso)
    return Verdict(outcome=outcome, text=text, criteria=tuple(c + q), figures=figures)


def verdict_from_json(text: str) -> Verdict:
    """Recompute the verdict from a stored ``--json`` output (the verdict text in it is not trusted).

    Lets the derivation cite the experiment without rerunning it: the measurements and controls are
    re-validated and :func:`decide_verdict` is applied to them.
    """
    try:
        data = json.loads(text)
        fields_m = Measurement.__dataclass_fields__.keys()
        fields_c = Control.__dataclass_fields__.keys()
        rows = [Measurement(**{k: v for k, v in row.items() if k in fields_m}) for row in data["measurements"]]
        controls = [Control(**{k: v for k, v in row.items() if k in fields_c}) for row in data["controls"]]
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"not an 'eqnn experiment circulation --json' output: {exc}") from None
    return decide_verdict(rows, controls)


def _fmt(x: Optional[float], digits: int = 4) -> str:
    return "n/a" if x is None else f"{x:+.{digits}f}"


def _verdict_text(outcome, c, q, radius, sweep, exchange, iso) -> str:
    head = {
        "quantization": "QUANTIZATION: the circulation sits on plateaus at multiples of mu, as Steps 11-12 predict.",
        "classical-current": ("CLASSICAL CURRENT, NOT QUANTIZATION: Gamma is a continuous Brownian-gyrator "
                              "circulation that grows with the loop and vanishes with it, is insensitive to mu, "
                              "vanishes when C commutes with K and flips under the mirror; Gamma in mu*Z "
                              "(Steps 11-12) is refuted for these networks."),
        "no-circulation": "NO CIRCULATION: every Gamma is 0 within its SE (only the n = 0 sector).",
        "neither": "NEITHER quantization nor a clean classical current is established by these data.",
    }[outcome]
    parts = [head]
    key = "minibatch B=1 kex=1"
    if key in radius:
        f = radius[key]
        parts.append(
            f"Loop size ({key}): Gamma(R) = " + ", ".join(
                f"{g:+.4f}+-{s:.4f} at R={r:g}" for r, g, s in zip(f["R"], f["gamma"], f["se"]))
            + (f"; log-log exponent alpha = {f['alpha']:.3f} +- {f['alpha_se']:.3f} (plateau: 0, area law: 2)"
               if f["alpha"] is not None else "")
            + f"; uniform-vorticity fit Gamma = a R^2: a = {f['area_slope']:.2f} +- {f['area_slope_se']:.2f}, "
              f"chi2/dof = {f['area_chi2_dof']:.1f}" + (f" (p = {f['area_p']:.2g})" if f["area_p"] is not None else "")
            + f"; plateau fit chi2/dof = {f['plateau_chi2_dof']:.0f}; vorticity Gamma/(pi R^2) = "
            + ", ".join(f"{g / (math.pi * r * r):+.2f}" for r, g in zip(f["R"], f["gamma"]))
            + (" (uniform vorticity rejected, p < 0.001)" if f["area_p"] is not None and f["area_p"] < 1e-3
               else " (consistent with uniform vorticity)") + ".")
    others = [f"{k}: alpha = {v['alpha']:.2f} +- {v['alpha_se']:.2f}" for k, v in radius.items()
              if k != key and v["alpha"] is not None]
    if others:
        parts.append("Other arms: " + "; ".join(others) + ".")
    if sweep is not None:
        parts.append(
            f"mu-sweep at R = 0.05 (B=1, kex=1): Gamma = a + b mu with b = dGamma/dmu = {sweep['slope']:+.4f} +- "
            f"{sweep['slope_se']:.4f} (nearest integer {sweep['slope_nearest_n']}, z = {sweep['slope_z_vs_n']:+.1f}), "
            f"a = Gamma(mu=0) = {sweep['intercept']:+.4f} +- {sweep['intercept_se']:.4f} (z = {sweep['intercept_z']:+.1f}; "
            f"Gamma proportional to mu needs 0); Gamma/mu = "
            + ", ".join(f"{r['ratio']:+.3f} (mu={r['mu']:g})" for r in sweep["ratios"]) + ".")
    if exchange["max_abs_z"] is not None:
        parts.append(f"Exchange rate (kex = 10, frozen N vs kex = 1): largest |Delta Gamma| = "
                     f"{exchange['max_abs_delta_over_mu']:.3f} mu (largest |z| = {exchange['max_abs_z']:.1f}).")
    iso_m = [m for m in iso if m.measured]
    if iso_m:
        parts.append("Isotropic arms (D proportional to G, estimator -oint E[N|q] d eps): " + "; ".join(
            f"T_q={m.T_q:g}T eta={m.eta:g} R={m.R:g}: {m.gamma:+.5f}+-{m.se:.5f} = {m.gamma / m.mu:+.4f} mu (z={m.z:+.1f})"
            for m in iso_m) + ".")
    parts.append("Criteria: " + "; ".join(f"{n} [{'met' if ok else 'not met'}]" for n, ok in c + q) + ".")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# the whole experiment


def _cost(spec: _Spec) -> float:
    """Rough relative CPU cost of a configuration (to start the long ones first in a pool)."""
    if spec.arm == "isotropic":
        return 0.3 * ETA / spec.eta
    return (1.0 + 0.8 * (spec.B - 1)) * (1.0 + 0.07 * spec.kex)


def _default_jobs() -> int:
    import os

    return max(1, min(2, os.cpu_count() or 1))


def run_experiment(full: bool = False, seed: int = DEFAULT_SEED, *, sizes: Optional[Sizes] = None,
                   jobs: Optional[int] = None, progress: Optional[Callable[[str], None]] = None) -> ExperimentResult:
    """Run calibration, measurements and controls, and decide the verdict.

    ``full`` selects the referee's sizes (20 000 networks × 4 000 steps, 1 000 burn-in; about 13 CPU
    minutes), otherwise the quick sizes (5 000 × 2 000, 200 burn-in; about 90 CPU seconds).  ``sizes``
    overrides both.  ``jobs`` processes run the configurations (default: min(2, CPUs)); the numbers do
    not depend on it, since each configuration has its own random stream.  ``progress(line)`` receives
    progress lines.
    """
    if not isinstance(full, bool):
        raise InputError(f"full must be True or False, got {full!r}")
    seed = _seed(seed)
    jobs = _default_jobs() if jobs is None else _check_int("jobs", jobs, 1)
    sizes = sizes or (FULL if full else QUICK)
    if not isinstance(sizes, Sizes):
        raise InputError("sizes must be a Sizes")
    say = progress or (lambda line: None)
    t0 = time.perf_counter()
    specs = _specs()
    results: dict[int, tuple[Measurement, ...]] = {}
    cal_args = dict(n_walkers=sizes.cal_walkers, n_steps=sizes.cal_steps,
                    burn_in=min(100, sizes.cal_steps // 2), seed=seed)
    if jobs == 1:
        say(f"calibration: linear-Gaussian chain, {sizes.cal_walkers} walkers x {sizes.cal_steps} steps")
        cal = calibrate(**cal_args)
        table = EpsilonTable.build()
        for i, spec in enumerate(specs):
            say(f"[{i + 1}/{len(specs)}] {spec.label} ({time.perf_counter() - t0:.0f} s)")

            def step_progress(t: int, n: int, label=spec.label) -> None:
                if t in (n // 4, n // 2, 3 * n // 4):
                    say(f"    {label}: {100 * t // n}% of {n} steps")

            results[i] = measure_network(spec, sizes, seed, i + 1, progress=step_progress if progress else None,
                                         table=table)
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            order = sorted(range(len(specs)), key=lambda i: -_cost(specs[i]))
            futures = {pool.submit(_run_indexed, (i, specs[i], sizes, seed)): i for i in order}
            say(f"calibration: linear-Gaussian chain, {sizes.cal_walkers} walkers x {sizes.cal_steps} steps; "
                f"{len(specs)} configurations in {jobs} processes")
            cal_future = pool.submit(_calibrate_kwargs, cal_args)
            for done, fut in enumerate(as_completed(futures)):
                i, rows = fut.result()
                results[i] = rows
                say(f"[{done + 1}/{len(specs)}] {specs[i].label} done ({time.perf_counter() - t0:.0f} s)")
            cal = cal_future.result()
    measurements = [m for i, s in enumerate(specs) if s.role == "measurement" for m in results[i]]
    by_phi = {s.phi_deg: results[i] for i, s in enumerate(specs)
              if s.arm == "minibatch" and s.B == 1 and s.kex == 1 and s.mu == MU_DEFAULT}
    controls = _controls(by_phi[35.0], by_phi[0.0], by_phi[-35.0])
    verdict = decide_verdict(measurements, controls)
    return ExperimentResult(seed=seed, full=full, sizes=sizes, measurements=tuple(measurements),
                            calibration=cal, controls=controls, verdict=verdict,
                            seconds=time.perf_counter() - t0)


def _calibrate_kwargs(kwargs: dict) -> tuple[Calibration, ...]:
    return calibrate(**kwargs)


# ---------------------------------------------------------------------------------------------
# output


def format_table(result: ExperimentResult) -> str:
    """The measurements, calibration and controls as plain-text tables, then the verdict."""
    lines = [f"circulation experiment ({'full' if result.full else 'quick'}: {result.sizes.n_networks} networks x "
             f"{result.sizes.n_steps} steps, {result.sizes.burn_in} burn-in; seed {result.seed}; "
             f"{result.seconds:.0f} s). Gamma in free-energy units (units of mu), SE by jackknife over 20 walker groups.",
             "", "measurements",
             f"{'arm':<10} {'B':>2} {'kex':>3} {'T_q':>4} {'mu':>5} {'eta':>6} {'R':>5} {'Gamma':>10} {'SE':>8} "
             f"{'z':>7} {'Gamma/mu':>9} {'<N>':>6}  estimator"]
    for m in result.measurements:
        g = "      null" if m.gamma is None else f"{m.gamma:+10.5f}"
        s = "    null" if m.se is None else f"{m.se:8.5f}"
        z = "       " if m.z is None else f"{m.z:+7.1f}"
        r = "         " if (m.gamma is None or m.mu == 0) else f"{m.gamma / m.mu:+9.4f}"
        lines.append(f"{m.arm:<10} {'-' if m.B is None else m.B:>2} {m.kex:>3} {'-' if m.T_q is None else f'{m.T_q:g}':>4} "
                     f"{m.mu:>5g} {m.eta:>6g} {m.R:>5g} {g} {s} {z} {r} {'     -' if m.mean_n is None else f'{m.mean_n:6.2f}'}  {m.estimator}"
                     + (f"  ({m.note})" if m.note else ""))
    lines += ["", "calibration (linear-Gaussian chain, N = 15, B = 1; exact Brownian-gyrator formula)",
              f"{'R':>5} {'bins':>4} {'formula':>10} {'estimate':>10} {'SE':>8} {'z':>6} {'bias(quad)':>11} "
              f"{'24-bin est':>10} {'z24':>6} {'z(+10%)':>7}  pass"]
    for c in result.calibration:
        lines.append(f"{c.R:>5g} {c.n_bins:>4} {c.formula:+10.5f} {c.estimate:+10.5f} {c.se:8.5f} {c.z:+6.1f} "
                     f"{c.binning_bias:+11.6f} {c.coarse_estimate:+10.5f} {c.coarse_z:+6.1f} {c.planted_z:+7.1f}  "
                     f"{'yes' if c.passed else 'NO'}")
    lines += ["", "controls (|z| < 4.5 passes; mirror also needs |z(Gamma(+35))| > 4.5)",
              f"{'control':<7} {'R':>5} {'statistic':>10} {'SE':>8} {'z':>6} {'signal z':>8}  pass  detail"]
    for c in result.controls:
        sz = "" if c.signal_z is None else f"{c.signal_z:+8.1f}"
        lines.append(f"{c.name:<7} {c.R:>5g} {c.statistic:+10.5f} {c.se:8.5f} {c.z:+6.1f} {sz:>8}  "
                     f"{'yes ' if c.passed else 'NO  '}  {c.detail}")
    lines += ["", f"verdict ({result.verdict.outcome}): {result.verdict.text}"]
    return "\n".join(lines)


def plot_result(result: ExperimentResult, path: str) -> None:
    """Γ against R (each mini-batch arm) and against μ (R = 0.05), with error bars and the quantized
    prediction Γ = nμ drawn beside it.  Needs matplotlib (the ``[plot]`` extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    groups: dict = {}
    for m in result.measurements:
        if m.arm != "isotropic" and m.mu == MU_DEFAULT and m.measured:
            groups.setdefault(f"{m.arm} B={m.B} kex={m.kex}", []).append(m)
    for label, rows in sorted(groups.items()):
        ax1.errorbar([m.R for m in rows], [m.gamma for m in rows], yerr=[m.se for m in rows], marker="o",
                     capsize=3, label=label)
    for n in (-1, 0):
        ax1.axhline(n * MU_DEFAULT, ls="--", color="grey", lw=0.8)
    ax1.text(0.031, -MU_DEFAULT * 0.95, "quantized: n mu", color="grey", fontsize=8)
    ax1.set_xlabel("loop radius R")
    ax1.set_ylabel("Gamma (units of mu)")
    ax1.set_title(f"Gamma vs R (mu = {MU_DEFAULT:g})")
    ax1.legend(fontsize=7)
    sweep = sorted((m for m in result.measurements if m.arm == "minibatch" and m.B == 1 and m.kex == 1
                    and m.R == 0.05 and m.measured), key=lambda m: m.mu)
    ax2.errorbar([m.mu for m in sweep], [m.gamma for m in sweep], yerr=[m.se for m in sweep], marker="o",
                 capsize=3, label="measured (B=1, kex=1, R=0.05)")
    mus = np.linspace(min(MU_SWEEP), max(MU_SWEEP), 2)
    for n in (-1, 1):
        ax2.plot(mus, n * mus, ls="--", lw=0.8, color="grey")
    ax2.plot(mus, 0 * mus, ls=":", lw=0.8, color="grey", label="quantized: Gamma = n mu")
    ax2.set_xlabel("chemical potential mu")
    ax2.set_ylabel("Gamma")
    ax2.set_title("Gamma vs mu at R = 0.05")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)


# ---------------------------------------------------------------------------------------------
# CLI: eqnn experiment circulation [--full] [--seed N] [--json] [--plot PATH] [--jobs J]


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", choices=["circulation"], help="the experiment to run (referee.md §5)")
    parser.add_argument("--full", action="store_true",
                        help="the referee's sizes (20000 networks x 4000 steps; ~13 CPU min), progress on stderr")
    parser.add_argument("--seed", type=seed_type, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--plot", metavar="PATH", default=None,
                        help="write Gamma vs R and vs mu to PATH (needs the [plot] extra: matplotlib)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for the configurations (default: min(2, CPUs); results do not depend on it)")


def _run(args: argparse.Namespace) -> int:
    if getattr(args, "name", "circulation") != "circulation":
        raise InputError(f"unknown experiment {args.name!r}; allowed: circulation")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("--plot needs matplotlib (pip install 'emergent-quantumness[plot]'); it is not installed",
                  file=sys.stderr)
            return 2
    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.full else None
    result = run_experiment(full=bool(args.full), seed=args.seed, jobs=args.jobs, progress=progress)
    print(result.to_json() if args.json else format_table(result))
    if args.plot is not None:
        plot_result(result, args.plot)
    return 0 if result.passed else 1


COMMAND = Command(
    name="experiment",
    help="run the circulation experiment (referee.md §5): does learning quantize circulation?",
    configure=_configure,
    run=_run,
)
