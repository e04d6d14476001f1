"""The design of the circulation experiment: its arms as values, the calibration, one configuration's
measurement, the controls, and the run on the executor.

An arm (:class:`Arm`) is one simulated configuration and the loops measured on it.  :data:`DESIGN` is
the tuple of arms of the experiment (issue 8); each arm carries its own random-stream key, so its numbers depend
on (seed, stream) only, not on the other arms, their order, the number of workers or the engine.  Adding
an arm is adding one value to :data:`DESIGN` with a new stream key (the verdict reads arms by their
parameters, not by position).  The calibration draws from stream 0.

>>> len({a.stream for a in DESIGN}) == len(DESIGN), min(a.stream for a in DESIGN) > 0
(True, True)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional, Sequence

import numpy as np

from derive import executor as ex
from derive.errors import InputError
from derive.seeds import DEFAULT_SEED, check_seed, rng
from numerics.circulation.results import (
    ARMS, CAL_N, COARSE_BINS, ETA, FULL, HALFWIDTH, ISO_HALFWIDTH, MU_DEFAULT, PLANTED, QUICK, RADII, THRESHOLD,
    Calibration, Control, ExperimentResult, Measurement, Sizes)
from numerics.circulation.verdict import decide_verdict
from numerics.circulation_estimator import (Annulus, CirculationAccumulator, binned_expectation_linear,
                                            gyrator_gamma, simulate_linear_chain)
from numerics.exchange_network import (EpsilonTable, NetworkModel, epsilon_exact, linearization, run_isotropic,
                                       run_minibatch)
from numerics.validate import check_choice, check_int, check_positive, check_real

__all__ = ["DEFAULT_SEED", "Arm", "DESIGN", "calibrate", "measure_network", "controls", "run_experiment"]

CALIBRATION_STREAM = 0


# ---------------------------------------------------------------------------------------------
# calibration


def calibrate(radii: Sequence[float] = RADII, *, model: NetworkModel = NetworkModel(), n_active: int = CAL_N,
              batch: int = 1, eta: float = ETA, n_walkers: int = QUICK.cal_walkers,
              n_steps: int = QUICK.cal_steps, burn_in: int = 100, seed: int = DEFAULT_SEED) -> tuple[Calibration, ...]:
    """The estimator on the linear-Gaussian chain with the network's A = K − βNC and Q = η²NC/B.

    Also reports the quadrature value of the binning bias at the default bins and the estimate with
    24 bins, and a planted 10% error in the formula that the check must detect.

    >>> cal = calibrate(radii=(0.05,), n_walkers=2000, n_steps=500, burn_in=100, seed=1)
    >>> round(cal[0].formula, 5), abs(cal[0].z) < THRESHOLD
    (-0.12077, True)
    """
    a, q = linearization(model, n_active, batch, eta)
    fine = [Annulus(r, HALFWIDTH) for r in radii]
    coarse = [Annulus(r, HALFWIDTH, COARSE_BINS) for r in radii]
    acc = CirculationAccumulator(fine + coarse, n_walkers)
    simulate_linear_chain(a, q, eta, n_walkers, n_steps, burn_in, rng(seed, CALIBRATION_STREAM), acc.add_increments)
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
# the arms


@dataclass(frozen=True)
class Arm:
    """One simulated configuration and the loops measured on it; ``stream`` keys its random numbers."""

    arm: str
    mu: float
    eta: float
    kex: int
    radii: tuple[float, ...]
    B: Optional[int] = None
    T_q: Optional[float] = None
    phi_deg: float = 35.0
    role: str = "measurement"  # or "control"
    stream: int = 1

    def __post_init__(self) -> None:
        check_choice("arm", self.arm, ARMS)
        check_choice("role", self.role, ("measurement", "control"))
        check_real("mu", self.mu)
        check_positive("eta", self.eta)
        check_int("kex", self.kex, 0)
        check_real("phi_deg", self.phi_deg)
        check_int("stream", self.stream, 1)
        radii = tuple(check_positive("R", r) for r in self.radii)
        if not radii:
            raise InputError("an arm needs at least one loop radius")
        object.__setattr__(self, "radii", radii)
        if self.arm == "isotropic":
            check_positive("T_q", self.T_q)
        else:
            check_int("B", self.B, 1)
        if self.arm == "frozen-N" and self.kex != 0:
            raise InputError(f"the frozen-N arm has kex = 0, got {self.kex}")

    @property
    def label(self) -> str:
        if self.arm == "isotropic":
            return f"isotropic T_q={self.T_q:g} eta={self.eta:g} kex={self.kex} mu={self.mu:g}"
        return f"{self.arm} B={self.B} kex={self.kex} mu={self.mu:g} phi={self.phi_deg:g}"

    @property
    def cost(self) -> float:
        """Rough relative CPU cost (the executor starts the long ones first)."""
        if self.arm == "isotropic":
            return 0.3 * ETA / self.eta
        return (1.0 + 0.8 * (self.B - 1)) * (1.0 + 0.07 * self.kex)


#: The arms of the experiment (issue 8).  Streams 1..16 are the positions these arms have always had, so a run
#: recorded with a seed (e.g. papers/data/circulation_full.json, seed 20120505) is reproduced by it.
DESIGN: tuple[Arm, ...] = (
    Arm("minibatch", MU_DEFAULT, ETA, 1, RADII, B=1, stream=1),
    Arm("minibatch", MU_DEFAULT, ETA, 10, RADII, B=1, stream=2),
    Arm("frozen-N", MU_DEFAULT, ETA, 0, RADII, B=1, stream=3),
    Arm("minibatch", MU_DEFAULT, ETA, 1, RADII, B=4, stream=4),
    Arm("minibatch", MU_DEFAULT, ETA, 10, RADII, B=4, stream=5),
    Arm("frozen-N", MU_DEFAULT, ETA, 0, RADII, B=4, stream=6),
    # the μ-sweep at R = 0.05 (μ = 0.5 is the first arm)
    Arm("minibatch", -1.0, ETA, 1, (0.05,), B=1, stream=7),
    Arm("minibatch", -0.5, ETA, 1, (0.05,), B=1, stream=8),
    Arm("minibatch", 0.0, ETA, 1, (0.05,), B=1, stream=9),
    Arm("minibatch", 1.0, ETA, 1, (0.05,), B=1, stream=10),
    Arm("minibatch", 1.5, ETA, 1, (0.05,), B=1, stream=11),
    # isotropic noise, estimator −∮E[N|q]dε
    Arm("isotropic", MU_DEFAULT, 0.01, 1, (0.3, 0.6), T_q=1.0, stream=12),
    Arm("isotropic", MU_DEFAULT, 0.005, 1, (0.3, 0.6), T_q=1.0, stream=13),
    Arm("isotropic", MU_DEFAULT, 0.01, 1, (0.6, 0.9), T_q=4.0, stream=14),
    # controls: C commutes with K (φ = 0), and the mirror φ → −φ
    Arm("minibatch", MU_DEFAULT, ETA, 1, RADII, B=1, phi_deg=0.0, role="control", stream=15),
    Arm("minibatch", MU_DEFAULT, ETA, 1, RADII, B=1, phi_deg=-35.0, role="control", stream=16),
)


def _epsilon_on_loop(model: NetworkModel) -> Callable[[float, np.ndarray], np.ndarray]:
    c = model.covariance()

    def eps(radius: float, theta: np.ndarray) -> np.ndarray:
        x, y = radius * np.cos(theta), radius * np.sin(theta)
        s = np.sqrt(c[0, 0] * x * x + 2 * c[0, 1] * x * y + c[1, 1] * y * y)
        return epsilon_exact(s, model.T, model.n_gauss_hermite)

    return eps


def measure_network(arm: Arm, sizes: Sizes, seed: int, progress: Optional[Callable[[int, int], None]] = None,
                    table: Optional[EpsilonTable] = None) -> tuple[Measurement, ...]:
    """Simulate one arm and return one :class:`Measurement` per loop radius, from the stream
    ``rng(seed, arm.stream)``."""
    if not isinstance(arm, Arm):
        raise InputError(f"arm must be an Arm, got {arm!r}")
    model = NetworkModel(phi_deg=arm.phi_deg)
    g = rng(seed, arm.stream)
    table = table or EpsilonTable.build(model.T, model.n_gauss_hermite)
    n_steps = sizes.n_steps
    if arm.arm == "isotropic":
        scale = max(1, int(round(ETA / arm.eta)))  # same learning time at smaller η
        n_steps, burn_in = sizes.n_steps * scale, sizes.burn_in * scale
        annuli = [Annulus(r, ISO_HALFWIDTH) for r in arm.radii]
        acc = CirculationAccumulator(annuli, sizes.n_networks)
        final = run_isotropic(model, mu=arm.mu, eta=arm.eta, t_q=arm.T_q, kex=arm.kex,
                              n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, rng=g,
                              observe=acc.add_conditional, progress=progress, eps_table=table)
        estimates = acc.conditional(_epsilon_on_loop(model))
        estimator = "conditional-N"
    else:
        burn_in = sizes.burn_in
        annuli = [Annulus(r, HALFWIDTH) for r in arm.radii]
        acc = CirculationAccumulator(annuli, sizes.n_networks)
        final = run_minibatch(model, mu=arm.mu, eta=arm.eta, batch=arm.B, kex=arm.kex,
                              n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, rng=g,
                              observe=acc.add_increments, progress=progress, eps_table=table)
        estimates = acc.stratonovich(arm.eta)
        estimator = "stratonovich"
    return tuple(Measurement(
        arm=arm.arm, B=arm.B, kex=arm.kex, mu=arm.mu, R=ann.radius, eta=arm.eta,
        gamma=None if e is None else e.gamma, se=None if e is None else e.se,
        n_networks=sizes.n_networks, n_steps=n_steps, burn_in=burn_in, phi_deg=arm.phi_deg, T_q=arm.T_q,
        estimator=estimator, mean_n=final.mean_n, n_samples=0 if e is None else e.n_samples,
        note="" if e is not None else "loop outside the sampled support (an angular bin has < 50 samples)")
        for ann, e in zip(annuli, estimates))


# ---------------------------------------------------------------------------------------------
# controls


def controls(plus: Sequence[Measurement], zero: Sequence[Measurement], minus: Sequence[Measurement]) -> tuple[Control, ...]:
    """φ = 0 must give Γ = 0; the mirror φ → −φ must flip Γ (Γ(+φ) + Γ(−φ) = 0 with Γ(+φ) significant)."""
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
# the whole experiment


def _job(job: tuple) -> tuple:
    """One job of the executor: the calibration (``arm`` None) or one arm."""
    arm, sizes, seed = job
    if arm is None:
        return calibrate(n_walkers=sizes.cal_walkers, n_steps=sizes.cal_steps,
                         burn_in=min(100, sizes.cal_steps // 2), seed=seed)
    return measure_network(arm, sizes, seed)


def run_experiment(full: bool = False, seed: int = DEFAULT_SEED, *, sizes: Optional[Sizes] = None,
                   workers: Optional[int] = None, executor: Optional[ex.Executor] = None,
                   design: Sequence[Arm] = DESIGN,
                   progress: Optional[Callable[[str], None]] = None) -> ExperimentResult:
    """Run calibration, measurements and controls on the executor, and decide the verdict.

    ``full`` selects the full sizes (20 000 networks × 4 000 steps, 1 000 burn-in; about 13 CPU
    minutes), otherwise the quick sizes (5 000 × 2 000, 200 burn-in; about 90 CPU seconds); ``sizes``
    overrides both.  ``executor`` (default: ``workers`` local processes, at most 2, or the Dask
    scheduler of ``$EQNN_SCHEDULER``) runs the calibration and the arms; the numbers do not depend on
    it.  ``progress(line)`` receives progress lines.
    """
    if not isinstance(full, bool):
        raise InputError(f"full must be True or False, got {full!r}")
    seed = check_seed(seed)
    sizes = sizes or (FULL if full else QUICK)
    if not isinstance(sizes, Sizes):
        raise InputError("sizes must be a Sizes")
    design = tuple(design)
    if executor is None:
        executor = ex.from_arguments(workers=2 if workers is None else check_int("workers", workers, 1))
    say = progress or (lambda line: None)
    t0 = time.perf_counter()
    jobs = [(None, sizes, seed)] + [(a, sizes, seed) for a in design]
    order = [0] + sorted(range(1, len(jobs)), key=lambda i: -design[i - 1].cost)
    say(f"calibration: linear-Gaussian chain, {sizes.cal_walkers} walkers x {sizes.cal_steps} steps; "
        f"{len(design)} configurations on {executor.describe()}")
    count = [0]

    def done(i: int, _r) -> None:
        count[0] += 1
        what = "calibration" if i == 0 else design[i - 1].label
        say(f"[{count[0]}/{len(jobs)}] {what} done ({time.perf_counter() - t0:.0f} s)")

    out = executor.map(_job, jobs, order=order, on_result=done)
    cal, results = out[0], out[1:]
    measurements = [m for a, rows in zip(design, results) if a.role == "measurement" for m in rows]
    by_phi = {a.phi_deg: rows for a, rows in zip(design, results)
              if a.arm == "minibatch" and a.B == 1 and a.kex == 1 and a.mu == MU_DEFAULT}
    missing = [p for p in (35.0, 0.0, -35.0) if p not in by_phi]
    if missing:
        raise InputError(f"the design needs minibatch B=1 kex=1 arms at phi = {missing} for the controls")
    ctl = controls(by_phi[35.0], by_phi[0.0], by_phi[-35.0])
    return ExperimentResult(seed=seed, full=full, sizes=sizes, measurements=tuple(measurements),
                            calibration=cal, controls=ctl, verdict=decide_verdict(measurements, ctl),
                            seconds=time.perf_counter() - t0)
