r"""Recorded experiments as the document tabulates them: headline figures with SEs and verdicts, read from
the records (``papers/data/*.json``, the whole runs; ``derive/data/*.json``, the verdicts the steps cite).

Nothing is typed in: every number of a :class:`RecordedExperiment` is a value of a record, and a record that is
absent is left out (the section then says what is missing).  :mod:`papers.content` declares the sections that
show these (``RECORD_SECTIONS``); :mod:`papers.document` and :mod:`papers.site` render them.

>>> from papers.content import ROOT
>>> names = [e.name for e in equilibrium_experiments(ROOT)]
>>> "The Witten map on the network" in names
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

__all__ = ["RecordFigure", "RecordedExperiment", "equilibrium_experiments", "EQUILIBRIUM_RECORDS", "measured"]


@dataclass(frozen=True)
class RecordFigure:
    """One headline figure: ``value ± se`` (se None: a figure without an SE), compared with ``reference``."""

    quantity: str  # plain text (ASCII or Unicode math, typeset by papers.tex.prose / papers.html)
    value: Optional[float]
    se: Optional[float] = None
    reference: str = ""  # what the figure is compared with ("0", "E_1/2ħ = 6.761", "quantization: 0")
    z: Optional[float] = None
    digits: int = 4


@dataclass(frozen=True)
class RecordedExperiment:
    """One recorded run: what it measured, where it is recorded, its verdict and its headline figures."""

    key: str
    name: str
    command: str
    source: str  # the record file, relative to the repository
    size: str
    verdict: str
    figures: tuple[RecordFigure, ...]
    passed: Optional[bool] = None


def measured(fig: RecordFigure) -> tuple[str, Optional[str]]:
    """(value, SE) as text: the SE to 2 significant digits and the value to the SE's last decimal place;
    without an SE the value to ``fig.digits`` significant digits.

    >>> measured(RecordFigure("r", 14.61213, 0.047561))
    ('14.612', '0.048')
    >>> measured(RecordFigure("ratio", 0.99939, None, digits=3))
    ('0.999', None)
    """
    if fig.value is None:
        return "-", None
    if fig.se is None or not math.isfinite(fig.se) or fig.se <= 0:
        return f"{fig.value:.{fig.digits}g}", None
    decimals = max(0, 1 - math.floor(math.log10(fig.se)))
    return f"{fig.value:+.{decimals}f}".lstrip("+"), f"{fig.se:.{decimals}f}"


def _load(root: Path, rel: str) -> Optional[dict]:
    try:
        data = json.loads((root / rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _outcome(text: str) -> str:
    """The outcome of a verdict text "OUTCOME IN CAPITALS: detail" as a sentence ("Outcome in capitals")."""
    head = text.split(":", 1)[0].strip() if ":" in text else text.strip()
    return head[:1].upper() + head[1:].lower() if head.isupper() else head


def _first(root: Path, files: Sequence[str]) -> tuple[Optional[dict], str]:
    for rel in files:
        data = _load(root, rel)
        if data is not None:
            return data, rel
    return None, ""


def _size(data: Mapping, rel: str) -> str:
    s = data.get("sizes") or {}
    label = "full" if data.get("full") or rel.endswith("_full.json") else "quick"
    if "n_steps" in s:
        return f"{label}: {s['n_networks']} networks × {s['n_steps']} steps"
    if "time" in s:
        return f"{label}: {s['n_networks']} networks × {s['time']:g} units of learning time"
    return label


def _witten(root: Path) -> Optional[RecordedExperiment]:
    data, rel = _first(root, ("papers/data/witten_full.json", "papers/data/witten_quick.json"))
    if data is None:
        return None
    figs = []
    for arm, rec in data.get("arms", {}).items():
        rows = [r for r in rec.get("rows", ()) if r.get("verdict")]
        if not rows:
            continue
        worst = max(rows, key=lambda r: abs(r["verdict"]["z"]))
        ns = f"{min(r['n'] for r in rows)}-{max(r['n'] for r in rows)}"
        figs.append(RecordFigure(f"{arm}: r_{worst['n']}(eta -> 0), the largest |z| of n = {ns}",
                                 worst["extrapolation"]["r0"], worst["extrapolation"]["se"],
                                 f"E_{worst['n']}/2 hbar = {worst['E_n_over_2hbar']:.3f}", worst["verdict"]["z"], 3))
    mb = data.get("minibatch")
    if mb:
        figs.append(RecordFigure("mini-batch arm: asymmetry of the time-lagged correlation", mb["value"], mb["se"],
                                 "0 at detailed balance", mb["z"], 4))
    verdict = data.get("verdict", "")
    return RecordedExperiment("witten", "The Witten map on the network", data.get("command", "eqnn experiment witten"),
                              rel, _size(data, rel), _outcome(verdict if isinstance(verdict, str) else ""),
                              tuple(figs))


def _twotemp(root: Path) -> Optional[RecordedExperiment]:
    data, rel = _first(root, ("papers/data/circulation2t_full.json", "papers/data/circulation2t_quick.json"))
    if data is None:
        return None
    figs = []
    ex = {(e["T_q"], e["R"]): e["conditional"] for e in data.get("extrapolations", ())}
    for (tq, R), what, ref in (((4.0, 0.9), "T_q = 4T", "0 at detailed balance"),
                               ((2.0, 0.75), "T_q = 2T", "0 at detailed balance"),
                               ((1.0, 0.6), "T_q = T (detailed balance, the control)", "0")):
        f = ex.get((tq, R))
        if f:
            figs.append(RecordFigure(f"{what}, R = {R:g}: Gamma_0 (eta -> 0, {f['dof'] + 2} values of eta, "
                                     f"χ²/dof = {f['chi2']:.1f}/{f['dof']})", f["gamma0"], f["se"], ref, f["z"], 4))
    sweeps = data.get("sweeps", {})
    for key, v, what, ref in (("kappa", 0.0, "kappa = 0 (frozen N)", "0"),
                              ("kappa", 4000.0, "kappa = 4000 (fast exchange)", "0"),
                              ("mu", 0.0, "mu = 0", "quantization: 0")):
        p = next((p for p in sweeps.get(key, ()) if p.get(key) == v), None)
        if p:
            n = len(p.get("etas", p.get("gamma_eta", ())))
            figs.append(RecordFigure(f"T_q = 4T, R = 0.9, {what}: Gamma_0 ({n} values of eta)", p["gamma0"], p["se"],
                                     ref, p["z"], 4))
    sc = data.get("seed_check")
    if sc:
        figs.append(RecordFigure(f"seed scatter SD / jackknife SE over {sc['n_seeds']} seeds (χ² p = {sc['p']:.2f})",
                                 sc["ratio"], None, "1", None, 3))
    derived = _load(root, "derive/data/circulation2t.json") or {}
    verdict = derived.get("verdict") or (data.get("verdict") or {}).get("text", "")
    return RecordedExperiment("circulation2t", "Exchange at two temperatures",
                              data.get("command", "eqnn experiment circulation2t"), rel, _size(data, rel),
                              _outcome(verdict), tuple(figs), bool((data.get("verdict") or {}).get("control_ok")))


def _rho_figure(lin: dict, which: str, prefix: str = "") -> RecordFigure:
    """The width check's pooled ρ = b sign(Γ)/SE(Γ(w)) (``pooled_bias`` of the linear estimator)."""
    return RecordFigure(f"{prefix}rho = b sign(Gamma)/SE(Gamma(w)), {lin['n']} loops ({which}); 95 % interval "
                        f"[{lin['interval'][0]:+.2f}, {lin['interval'][1]:+.2f}]", lin["rho"], lin["se"],
                        "inside (-1, 1): bias below the SE", lin["z"], 2)


def _width(root: Path) -> Optional[RecordedExperiment]:
    pooled, rel_p = _first(root, ("papers/data/width_pooled_quick.json",))
    full, rel_f = _first(root, ("papers/data/width_full.json",))
    one, rel_1 = _first(root, ("papers/data/width_quick.json",))
    if pooled is None and full is None and one is None:
        return None
    figs = []
    runs = [(d, rel) for d, rel in ((full, rel_f), (pooled, rel_p)) if d is not None] or [(one, rel_1)]
    for d, rel in runs:
        lin, mean = d["pooled"]["linear"], d["pooled"]["mean"]
        which = (f"{len(d['seeds'])} quick runs pooled" if "seeds" in d else
                 "full run" if rel.endswith("_full.json") else "quick run")
        if lin.get("n"):
            figs.append(_rho_figure(lin, which))
        figs.append(RecordFigure(f"largest |z(Gamma(w) - Gamma(w/2))| ({which})", d["largest_abs_z_linear"], None,
                                 f"< {d.get('threshold', 4.5):g}", None, 3))
        if mean.get("n"):
            figs.append(RecordFigure(f"power: the bin-mean estimator's rho ({which})", mean["rho"], mean["se"],
                                     "detected (|z| > 4.5)", mean["z"], 2))
    main, rel = runs[0]
    passed = bool(main.get("passed"))
    verdict = ("The width dependence of the reported value is below its SE" if passed else
               "The width dependence is not shown to be below the SE at this size")
    command = main.get("command") or "eqnn experiment width"
    if "seeds" in main:  # the pooled record: one quick run per seed, pooled by pool_runs
        command = (f"eqnn experiment width --quick --seed S for S = {', '.join(str(x) for x in main['seeds'])}, "
                   f"pooled by numerics.circulation.width.pool_runs")
    return RecordedExperiment("width", "The estimator's width on the network", command, rel,
                              f"pooled over {len(main['seeds'])} seeds" if "seeds" in main else _size(main, rel),
                              verdict, tuple(figs), passed)


def _softspin(root: Path) -> Optional[RecordedExperiment]:
    data, rel = _first(root, ("papers/data/softspin_full.json", "papers/data/softspin_quick.json"))
    if data is None:
        return None
    f = data.get("figures", {})
    figs = []
    rad = (f.get("radius") or {}).get("minibatch B=1 kex=1")
    if rad:
        figs.append(RecordFigure("Gamma ∝ R^alpha (B = 1, kex = 1): alpha", rad["alpha"], rad["alpha_se"],
                                 "quantization: 0; area law: 2", None, 3))
    sw = f.get("mu_sweep")
    if sw:
        figs.append(RecordFigure("dΓ/dμ at R = 0.05", sw["slope"], sw["slope_se"],
                                 "quantization: a nonzero integer", None, 4))
        figs.append(RecordFigure("Gamma(mu = 0) at R = 0.05", sw["intercept"], sw["intercept_se"], "quantization: 0",
                                 sw["intercept_z"], 4))
    ctl = data.get("controls", ())
    if ctl:
        figs.append(RecordFigure("controls (phi = 0 gives 0, the mirror flips the sign): largest |z|",
                                 max(abs(c["z"]) for c in ctl), None, f"< {ctl[0]['threshold']:g}", None, 3))
    pooled, _ = _first(root, ("papers/data/softspin_width_pooled_full.json",))
    lin = (pooled or {}).get("pooled", {}).get("linear", {})
    if lin.get("n"):  # the width check of independent full runs, pooled by tools/pool_width.py
        figs.append(_rho_figure(lin, f"{len(pooled['seeds'])} full runs pooled", prefix="width: "))
    return RecordedExperiment("softspin", "A second architecture (soft-spin hidden neurons)",
                              data.get("command", "eqnn experiment softspin"), rel, _size(data, rel),
                              _outcome(data.get("verdict", "")), tuple(figs), bool(data.get("controls_passed")))


#: the experiments at learning equilibrium, in the order the section shows them
EQUILIBRIUM_RECORDS: tuple[Callable[[Path], Optional[RecordedExperiment]], ...] = (_witten, _twotemp, _width,
                                                                                    _softspin)


def equilibrium_experiments(root: Path) -> tuple[RecordedExperiment, ...]:
    """The four recorded experiments of issue 15 (those whose records are present under ``root``)."""
    out = []
    for read in EQUILIBRIUM_RECORDS:
        exp = read(root)
        if exp is not None and all(fig.value is None or math.isfinite(fig.value) for fig in exp.figures):
            out.append(exp)
    return tuple(out)
