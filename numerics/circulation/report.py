"""Output of the circulation experiment: the text tables, the plot, and the command
``eqnn experiment circulation [--full] [--seed N] [--json] [--plot PATH] [--workers J] [--scheduler ADDRESS]``."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from derive import executor as ex
from derive.command import Command, seed_type
from derive.errors import InputError
from numerics.circulation.design import DEFAULT_SEED, run_experiment
from numerics.circulation.results import MU_DEFAULT, MU_SWEEP, ExperimentResult

__all__ = ["format_table", "plot_result", "COMMAND"]


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
# CLI: eqnn experiment circulation [--full] [--seed N] [--json] [--plot PATH] [--workers J] [--scheduler ADDRESS]


def _configure(parser: argparse.ArgumentParser) -> None:
    from numerics.experiments import EXPERIMENTS

    parser.add_argument("name", choices=["circulation", *EXPERIMENTS],
                        help="the experiment to run (circulation: issue 8; the others: issue 15, numerics.experiments)")
    parser.add_argument("--quick", action="store_true", help="the quick sizes (the default)")
    parser.add_argument("--full", action="store_true",
                        help="the full sizes (20000 networks x 4000 steps; ~13 CPU min), progress on stderr")
    parser.add_argument("--seed", type=seed_type, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--plot", metavar="PATH", default=None,
                        help="write Gamma vs R and vs mu to PATH (needs the [plot] extra: matplotlib)")
    ex.add_arguments(parser)
    parser.add_argument("--jobs", dest="workers", type=ex.workers_type, help=argparse.SUPPRESS)  # former name


def _run(args: argparse.Namespace) -> int:
    from numerics.experiments import EXPERIMENTS, run

    if getattr(args, "name", "circulation") in EXPERIMENTS:
        return run(args)
    if getattr(args, "name", "circulation") != "circulation":
        raise InputError(f"unknown experiment {args.name!r}; allowed: circulation, {', '.join(EXPERIMENTS)}")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("--plot needs matplotlib (pip install 'emergent-quantumness[plot]'); it is not installed",
                  file=sys.stderr)
            return 2
    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.full else None
    executor = ex.from_arguments(args)
    result = run_experiment(full=bool(args.full), seed=args.seed, executor=executor, progress=progress)
    print(result.to_json() if args.json else format_table(result))
    if args.plot is not None:
        plot_result(result, args.plot)
    return 0 if result.passed else 1


COMMAND = Command(
    name="experiment",
    help="run an experiment: circulation (issue 8: does learning quantize circulation?); width, witten, "
         "circulation2t, softspin (issue 15)",
    configure=_configure,
    run=_run,
)
