"""The result types of the circulation experiment, its sizes and its fixed constants.

>>> QUICK.n_networks, FULL.n_networks
(5000, 20000)
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Optional

import numpy as np

from derive.errors import InputError
from numerics.validate import check_int

__all__ = ["MU_DEFAULT", "THRESHOLD", "ETA", "RADII", "HALFWIDTH", "ISO_HALFWIDTH", "MU_SWEEP", "PLANTED",
           "COARSE_BINS", "CAL_N", "ARMS", "ESTIMATORS", "OUTCOMES", "Sizes", "QUICK", "FULL", "Measurement",
           "Calibration", "Control", "Verdict", "ExperimentResult"]

MU_DEFAULT = 0.5  # E[N | q = 0] = 15.35: the calibration chain's N = 15 reproduces the design's figures
THRESHOLD = 4.5  # |z| threshold of every check
ETA = 0.01
RADII = (0.03, 0.05, 0.08)
HALFWIDTH = 0.0125
ISO_HALFWIDTH = 0.05
MU_SWEEP = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
PLANTED = 0.10  # relative error planted into the gyrator formula for the calibration's power check
COARSE_BINS = 24  # the binning-bias demonstration
CAL_N = 15

ARMS = ("minibatch", "frozen-N", "isotropic")
ESTIMATORS = ("stratonovich", "conditional-N")
OUTCOMES = ("quantization", "classical-current", "no-circulation", "neither")

_check_int = check_int


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


