"""The verdict of the circulation experiment: quantization, classical current, no circulation or
neither, decided from stated criteria on the measurements and controls (:func:`decide_verdict`)."""

from __future__ import annotations

import json
import math
from typing import Optional, Sequence

import numpy as np
from scipy import stats

from derive.errors import InputError
from numerics.circulation.results import MU_DEFAULT, THRESHOLD, Control, Measurement, Verdict

__all__ = ["decide_verdict", "verdict_from_json"]


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
        "quantization": ("QUANTIZATION: the circulation sits on plateaus at multiples of mu, as multivalued.postulate "
                         "and quantization.single-valued predict."),
        "classical-current": ("CLASSICAL CURRENT, NOT QUANTIZATION: Gamma is a continuous Brownian-gyrator "
                              "circulation that grows with the loop and vanishes with it, is insensitive to mu, "
                              "vanishes when C commutes with K and flips under the mirror; Gamma in mu*Z "
                              "(multivalued.postulate, quantization.single-valued) is refuted for these networks."),
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
