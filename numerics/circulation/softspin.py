r"""A second architecture for the circulation verdict (issue 15 §4): continuous hidden neurons.

The network of :mod:`numerics.exchange_network` with its ±1 hidden spins replaced by *soft spins*
x ∈ ℝ in the quartic single-site potential V(x) = a x⁴/4 + b x²/2 (default a = 1, b = −1: a double well
with minima at ±1, the continuous relative of a spin; the form of :class:`numerics.hidden_neurons.QuarticNeurons`).
The loss is H = Σ_active [V(x_i) − x_i q·u] + ½qᵀKq, so given a data point u the active neurons are
independent with density p(x | f) ∝ e^{−β(V(x) − f x)}, f = q·u, and

    F_N(q) = ½qᵀKq + N ε(q),   ε(q) = −T E_z ln z(|q|_C z),   z(f) = ∫ e^{−β(V(x) − f x)} dx.

**Sampling.**  Each SGD step draws the N active neurons of every network exactly from p(x | f_b) by the
inverse CDF, tabulated on an (f, u) grid (bilinear interpolation); the mean step is then −η∇F_N, as for the
binary spins.  The table is checked against the package's MCMC sampler
(:func:`numerics.hidden_neurons.metropolis_quartic`) in ``tests/numerics/circulation/test_softspin.py``.  Neuron exchange
is the same Metropolis move as the binary model's (exact ΔF = ε(q) − μ, binomial degeneracy of M slots).

**The measurement and verdict** are the binary experiment's (same estimator, annuli, criteria; the
arms are :class:`numerics.circulation.design.Arm` values, so :func:`~numerics.circulation.verdict.decide_verdict`
and :func:`~numerics.circulation.design.controls` apply unchanged).

>>> m = SoftSpinModel()
>>> round(m.var0, 4)                     # <x^2> at f = 0 (the double well)
1.0418
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Callable, Optional, Sequence

import numpy as np

from derive import executor as ex
from derive.errors import InputError
from derive.seeds import DEFAULT_SEED, check_seed, rng
from numerics.circulation.design import Arm, controls
from numerics.circulation.results import HALFWIDTH, MU_DEFAULT, RADII, THRESHOLD, Measurement, Sizes
from numerics.circulation.verdict import decide_verdict
from numerics.circulation_estimator import Annulus, CirculationAccumulator, gyrator_gamma
from numerics.exchange_network import NetworkModel, _drive, _Exchanger, _norm_c, data_covariance
from numerics.validate import check_positive

__all__ = ["SoftSpinModel", "SOFT_DESIGN", "SOFT_QUICK", "SOFT_FULL", "measure_softspin", "run_softspin", "format_result", "to_json"]


@dataclass(frozen=True)
class SoftSpinModel:
    """Soft-spin network: V(x) = a x⁴/4 + b x²/2, M slots, data covariance C(φ), stiffness K, temperature T."""

    a: float = 1.0
    b: float = -1.0
    phi_deg: float = 35.0
    n_slots: int = 20
    k_diag: tuple[float, float] = (12.0, 24.0)
    T: float = 1.0
    f_max: float = 6.0
    n_f: int = 481
    n_w: int = 1201  # normal scores w ∈ [−w_max, w_max] (u = Φ(w)): the tails are resolved
    w_max: float = 6.0
    n_x: int = 1601

    def __post_init__(self) -> None:
        check_positive("a", self.a)
        check_positive("T", self.T)

    @property
    def beta(self) -> float:
        return 1.0 / self.T

    def covariance(self) -> np.ndarray:
        return data_covariance(self.phi_deg)

    def holder(self) -> NetworkModel:
        """A NetworkModel with the same M and T (for the exchange move, which needs only those)."""
        return NetworkModel(phi_deg=self.phi_deg, n_slots=self.n_slots, k_diag=self.k_diag, T=self.T)

    @cached_property
    def _x(self) -> np.ndarray:
        half = (40.0 / (self.beta * self.a / 4.0)) ** 0.25 + abs(self.b / self.a) ** 0.5 + 2.0
        return np.linspace(-half, half, self.n_x)

    def _log_weights(self, f: np.ndarray) -> np.ndarray:
        x = self._x
        return -self.beta * (self.a * x**4 / 4 + self.b * x**2 / 2)[None, :] + self.beta * np.asarray(f)[:, None] * x

    def log_z(self, f: np.ndarray) -> np.ndarray:
        """ln z(f) by the trapezoid rule (spectrally accurate: the integrand is smooth and decays like e^{−βax⁴/4})."""
        f = np.atleast_1d(np.asarray(f, dtype=float))
        out = np.empty(f.shape)
        dx = self._x[1] - self._x[0]
        for i in range(0, f.size, 2048):
            lw = self._log_weights(f.ravel()[i:i + 2048])
            top = lw.max(axis=1, keepdims=True)
            out.ravel()[i:i + 2048] = np.log(np.exp(lw - top).sum(axis=1) * dx) + top[:, 0]
        return out

    def moments(self, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """⟨x⟩_f and ⟨x²⟩_f."""
        lw = self._log_weights(np.atleast_1d(np.asarray(f, dtype=float)))
        w = np.exp(lw - lw.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        return w @ self._x, w @ self._x**2

    @cached_property
    def var0(self) -> float:
        return float(self.moments(np.zeros(1))[1][0])

    @cached_property
    def quantiles(self) -> np.ndarray:
        """Q[i, j] = the Φ(w_j)-quantile of p(x | f_i) on the grids f ∈ [−f_max, f_max], w ∈ [−w_max, w_max]."""
        from scipy.special import ndtr

        f = np.linspace(-self.f_max, self.f_max, self.n_f)
        lw = self._log_weights(f)
        w = np.exp(lw - lw.max(axis=1, keepdims=True))
        # the CDF on the x grid by the trapezoid rule, refined by Simpson-like midpoint weights
        cdf = np.concatenate([np.zeros((f.size, 1)), np.cumsum(0.5 * (w[:, 1:] + w[:, :-1]), axis=1)], axis=1)
        cdf /= cdf[:, -1:]
        u = ndtr(np.linspace(-self.w_max, self.w_max, self.n_w))
        return np.stack([np.interp(u, c, self._x) for c in cdf])

    def sample(self, f: np.ndarray, zeta: np.ndarray) -> np.ndarray:
        """x ~ p(x | f) from standard normals ζ (same shape), by the tabulated inverse CDF x(f, Φ(ζ)) (bilinear;
        |ζ| > w_max, probability 2·10⁻⁹, is clipped, and so is |f| > f_max)."""
        f = np.clip(f, -self.f_max, self.f_max)  # |f| > 6 is ~10 sigma out at the loops measured here
        fi = (f + self.f_max) * ((self.n_f - 1) / (2 * self.f_max))
        i = np.minimum(fi.astype(np.int64), self.n_f - 2)
        a = fi - i
        uj = np.clip((zeta + self.w_max) * ((self.n_w - 1) / (2 * self.w_max)), 0.0, self.n_w - 1.0)
        j = np.minimum(uj.astype(np.int64), self.n_w - 2)
        b = uj - j
        Q = self.quantiles
        lo = Q[i, j] + b * (Q[i, j + 1] - Q[i, j])
        hi = Q[i + 1, j] + b * (Q[i + 1, j + 1] - Q[i + 1, j])
        return lo + a * (hi - lo)

    @cached_property
    def _eps_table(self) -> tuple[np.ndarray, np.ndarray, float]:
        """ε(s) and g(s) = ε′(s)/s on s ∈ [0, 1] (Gauss–Hermite over z, 60 nodes; linear interpolation, error
        ≤ h²/8 max|ε″| ≈ 2·10⁻⁶ at h = 0.004; the mini-batch arms stay at s < 0.15)."""
        zq, wq = np.polynomial.hermite.hermgauss(60)
        z, w = math.sqrt(2.0) * zq, wq / math.sqrt(math.pi)
        h = 4e-3
        s = np.arange(0.0, 1.0 + h, h)
        fz = (s[:, None] * z[None, :]).ravel()
        eps = -self.T * (self.log_z(fz).reshape(s.size, z.size) @ w)
        mean, _ = self.moments(fz)
        deps = -(mean.reshape(s.size, z.size) * z) @ w
        g = np.where(s > 0, deps / np.where(s > 0, s, 1.0), -self.beta * self.var0)
        return eps, g, h

    def epsilon(self, s: np.ndarray) -> np.ndarray:
        eps, _, h = self._eps_table
        return np.interp(s, np.arange(eps.size) * h, eps)

    def slope(self, s: np.ndarray) -> np.ndarray:
        _, g, h = self._eps_table
        return np.interp(s, np.arange(g.size) * h, g)

    def mean_active(self, mu: float) -> float:
        """E[N | q = 0]."""
        return self.n_slots / (1.0 + math.exp(self.beta * (float(self.epsilon(np.zeros(1))[0]) - mu)))

    def linearization(self, n_active: float, batch: int, eta: float) -> tuple[np.ndarray, np.ndarray]:
        """q′ = q − η(K − βN⟨x²⟩₀C)q + ξ, ξ ~ N(0, η²N⟨x²⟩₀C/B)."""
        c = self.covariance()
        return np.diag(self.k_diag) - self.beta * n_active * self.var0 * c, eta**2 * n_active * self.var0 * c / batch


def run_softspin_sgd(model: SoftSpinModel, *, mu: float, eta: float, batch: int, kex: int, n_networks: int,
                     n_steps: int, burn_in: int, g: np.random.Generator, observe=None):
    """Mini-batch SGD of the soft-spin network with exact neuron sampling and exchange (kex = 0: N frozen)."""
    from scipy.linalg import solve_discrete_lyapunov

    c, k = model.covariance(), np.asarray(model.k_diag)
    l11, l21, l22 = np.linalg.cholesky(c)[[0, 1, 1], [0, 0, 1]]
    n_ref = model.mean_active(mu)
    a_ref, q_ref = model.linearization(n_ref, batch, eta)
    spread = solve_discrete_lyapunov(np.eye(2) - eta * a_ref, q_ref)
    p0 = n_ref / model.n_slots
    n = g.binomial(model.n_slots, p0, size=n_networks).astype(np.int64)
    q = g.standard_normal((n_networks, 2)) @ np.linalg.cholesky(spread).T
    exch = _Exchanger(model.holder(), mu, kex)
    slots = np.arange(model.n_slots)

    def move(q: np.ndarray, n: np.ndarray) -> np.ndarray:
        zz = g.standard_normal((2, n_networks, batch))
        u1 = l11 * zz[0]
        u2 = l21 * zz[0] + l22 * zz[1]
        f = q[:, 0:1] * u1 + q[:, 1:2] * u2  # (W, B)
        uu = g.standard_normal((n_networks, batch, model.n_slots))
        x = model.sample(np.broadcast_to(f[:, :, None], uu.shape), uu)
        m = np.where(slots[None, None, :] < n[:, None, None], x, 0.0).sum(axis=2)  # Σ over the N active neurons
        q_new = np.empty_like(q)
        q_new[:, 0] = q[:, 0] - eta * (k[0] * q[:, 0] - (m * u1).mean(axis=1))
        q_new[:, 1] = q[:, 1] - eta * (k[1] * q[:, 1] - (m * u2).mean(axis=1))
        return q_new

    return _drive(q, n, exch=exch, eps_of=lambda q: model.epsilon(_norm_c(q, c)), move=move, n_steps=n_steps,
                  burn_in=burn_in, rng=g, observe=observe, progress=None)


#: sizes: each step draws M = 20 soft spins per network and data point (the binary model draws one binomial)
SOFT_QUICK = Sizes(n_networks=2000, n_steps=1000, burn_in=200, cal_walkers=20, cal_steps=2)
SOFT_FULL = Sizes(n_networks=10000, n_steps=3000, burn_in=500, cal_walkers=20, cal_steps=2)

#: The binary experiment's mini-batch design, on soft spins (streams keyed "softspin").
SOFT_DESIGN: tuple[Arm, ...] = (
    Arm("minibatch", MU_DEFAULT, 0.01, 1, RADII, B=1, stream=1),
    Arm("minibatch", MU_DEFAULT, 0.01, 10, RADII, B=1, stream=2),
    Arm("frozen-N", MU_DEFAULT, 0.01, 0, RADII, B=1, stream=3),
    Arm("minibatch", -1.0, 0.01, 1, (0.05,), B=1, stream=7),
    Arm("minibatch", 0.0, 0.01, 1, (0.05,), B=1, stream=9),
    Arm("minibatch", 1.0, 0.01, 1, (0.05,), B=1, stream=10),
    Arm("minibatch", 1.5, 0.01, 1, (0.05,), B=1, stream=11),
    Arm("minibatch", MU_DEFAULT, 0.01, 1, RADII, B=1, phi_deg=0.0, role="control", stream=15),
    Arm("minibatch", MU_DEFAULT, 0.01, 1, RADII, B=1, phi_deg=-35.0, role="control", stream=16),
)


def measure_softspin(arm: Arm, sizes: Sizes, seed: int, a: float = 1.0, b: float = -1.0,
                     with_width: bool = False):
    """One arm's Measurements (half-width w = HALFWIDTH); with ``with_width`` also the width rows (Γ at w and w/2
    on the same trajectories, :func:`numerics.circulation.width.width_statistics`)."""
    from numerics.circulation.width import WidthRow, width_statistics

    model = SoftSpinModel(a=a, b=b, phi_deg=arm.phi_deg)
    g = rng(seed, "softspin", arm.stream)
    annuli = [Annulus(r, HALFWIDTH) for r in arm.radii]
    halves = [Annulus(r, HALFWIDTH / 2) for r in arm.radii] if with_width else []
    acc = CirculationAccumulator(annuli + halves, sizes.n_networks)
    final = run_softspin_sgd(model, mu=arm.mu, eta=arm.eta, batch=arm.B, kex=arm.kex, n_networks=sizes.n_networks,
                             n_steps=sizes.n_steps, burn_in=sizes.burn_in, g=g, observe=acc.add_increments)
    est = acc.stratonovich(arm.eta)[:len(annuli)]
    meas = tuple(Measurement(
        arm=arm.arm, B=arm.B, kex=arm.kex, mu=arm.mu, R=ann.radius, eta=arm.eta,
        gamma=None if e is None else e.gamma, se=None if e is None else e.se, n_networks=sizes.n_networks,
        n_steps=sizes.n_steps, burn_in=sizes.burn_in, phi_deg=arm.phi_deg, estimator="stratonovich",
        mean_n=final.mean_n, n_samples=0 if e is None else e.n_samples,
        note="" if e is not None else "loop outside the sampled support") for ann, e in zip(annuli, est))
    if not with_width:
        return meas
    rows = []
    for k, ann in enumerate(annuli):
        for radial in ("linear", "mean"):
            st = width_statistics(acc, k, k + len(annuli), arm.eta, radial)
            base = dict(arm=arm.arm, B=arm.B, kex=arm.kex, mu=arm.mu, phi_deg=arm.phi_deg, R=ann.radius,
                        halfwidth=HALFWIDTH, estimator=radial)
            if st is None:
                empty = {f: None for f in ("gamma_w", "se_w", "gamma_half", "se_half", "diff", "se_diff", "z", "p",
                                           "gamma0", "se_gamma0", "bias", "se_bias")}
                rows.append(WidthRow(**base, **empty, note="loop outside the sampled support at w/2"))
            else:
                rows.append(WidthRow(**base, **st))
    return meas, tuple(rows)


def _job(job):
    arm, sizes, seed = job
    return measure_softspin(arm, sizes, seed, with_width=True)


def run_softspin(full: bool = False, seed: int = DEFAULT_SEED, *, sizes: Optional[Sizes] = None,
                 executor: Optional[ex.Executor] = None, progress: Optional[Callable[[str], None]] = None) -> dict:
    seed = check_seed(seed)
    sizes = sizes or (SOFT_FULL if full else SOFT_QUICK)
    executor = executor or ex.from_arguments(workers=2)
    say = progress or (lambda line: None)
    t0 = time.perf_counter()
    both = executor.map(_job, [(a, sizes, seed) for a in SOFT_DESIGN],
                        on_result=lambda i, r: say(f"{SOFT_DESIGN[i].label} ({time.perf_counter() - t0:.0f} s)"))
    out = [m for m, _ in both]
    width_rows = [r for _, rows in both for r in rows]
    from numerics.circulation.width import pooled_bias

    meas = [m for a, rows in zip(SOFT_DESIGN, out) if a.role == "measurement" for m in rows]
    by_phi = {a.phi_deg: rows for a, rows in zip(SOFT_DESIGN, out) if a.kex == 1 and a.mu == MU_DEFAULT}
    ctl = controls(by_phi[35.0], by_phi[0.0], by_phi[-35.0])
    verdict = decide_verdict(meas, ctl)
    model = SoftSpinModel()
    n15 = model.mean_active(MU_DEFAULT)
    lin = {}
    for R in RADII:
        a_, q_ = model.linearization(n15, 1, 0.01)
        lin[str(R)] = gyrator_gamma(a_, q_, 0.01, R)
    return {"experiment": "softspin-circulation", "architecture": "continuous hidden neurons, V(x) = x^4/4 - x^2/2",
            "seed": seed, "full": full, "sizes": asdict(sizes), "threshold": THRESHOLD,
            "var0": model.var0, "mean_N_at_q0": n15,
            "linearised_gyrator_gamma": lin,
            "measurements": [m.to_dict() for m in meas], "controls": [c.to_dict() for c in ctl],
            "controls_passed": all(c.passed for c in ctl), "outcome": verdict.outcome, "verdict": verdict.text,
            "criteria": [{"criterion": n, "met": bool(ok)} for n, ok in verdict.criteria],
            "figures": verdict.figures,
            "width": {"rows": [r.to_dict() for r in width_rows],
                      "pooled": {e: pooled_bias(width_rows, e) for e in ("linear", "mean")},
                      "largest_abs_z_linear": max((abs(r.z) for r in width_rows if r.estimator == "linear" and r.measured),
                                                  default=None)},
            "seconds": time.perf_counter() - t0}


def format_result(res: dict) -> str:
    L = [f"Circulation on a second architecture ({res['architecture']}; seed {res['seed']}, "
         f"{res['sizes']['n_networks']} networks x {res['sizes']['n_steps']} steps; {res['seconds']:.0f} s)",
         f"{'arm':<10} {'B':>2} {'kex':>3} {'mu':>5} {'R':>5} {'Gamma':>10} {'SE':>8} {'z':>7}"]
    for m in res["measurements"]:
        g = "-" if m["gamma"] is None else f"{m['gamma']:+.5f}"
        s = "-" if m["se"] is None else f"{m['se']:.5f}"
        z = "-" if m["gamma"] is None else f"{m['gamma'] / m['se']:.1f}"
        L.append(f"{m['arm']:<10} {m['B']:>2} {m['kex']:>3} {m['mu']:>5g} {m['R']:>5g} {g:>10} {s:>8} {z:>7}")
    L.append("controls: " + "; ".join(f"{c['name']} R={c['R']}: {c['statistic']:+.5f} ± {c['se']:.5f} (z {c['z']:.1f})"
                                      f" {'pass' if c['passed'] else 'FAIL'}" for c in res["controls"]))
    L.append("linearised gyrator formula (N = E[N|0]): " + ", ".join(f"R={k}: {v:+.5f}" for k, v in
                                                                      res["linearised_gyrator_gamma"].items()))
    w = res.get("width")
    if w:
        for est, pl in w["pooled"].items():
            if pl["n"]:
                L.append(f"width check ({est}): rho = b sign(Gamma)/SE = {pl['rho']:+.3f} ± {pl['se']:.3f} over {pl['n']} "
                         f"loops (z = {pl['z']:+.2f}; 95% [{pl['interval'][0]:+.2f}, {pl['interval'][1]:+.2f}])")
        L.append(f"width check: largest |z(Gamma(w) - Gamma(w/2))| (linear) = {w['largest_abs_z_linear']:.2f}")
    L.append(f"verdict ({res['outcome']}): {res['verdict']}")
    return "\n".join(L)


def to_json(res: dict) -> str:
    return json.dumps(res, indent=2, allow_nan=False, default=float)
