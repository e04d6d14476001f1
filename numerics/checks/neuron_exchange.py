"""Cross-checks on the grand-canonical ensemble (neuron exchange, C3) and the driven closed loop (C10).

30 labelled slots of mean-field coupled spins; the exact Ω by enumeration over N.  One exchange run
feeds the four C3 checks (the planted run counts the combinatorial factor twice); one set of 20 000
driven loops feeds Jarzynski and the pathwise bookkeeping W + J = ΔF_book (a deterministic identity,
judged against its worst-case roundoff bound).

>>> from numerics.checks import REGISTRY
>>> REGISTRY.run_check("grand-force", seed=0).passed
True
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from derive.seeds import DEFAULT_SEED, rng
from numerics import neuron_exchange as nx
from numerics.checks.registry import Check, DeterministicCheck, Estimate, Residual
from numerics.stats import jackknife, mean_se

__all__ = ["CHECKS"]

EPS = float(np.finfo(float).eps)
_Q = np.array([0.2])
_CHAINS, _SWEEPS, _BURN = 256, 300, 60
_PLANTED_FACTOR = "binomial-twice"
_MIN_COUNT, _GROUPS = 200, 16


@cache
def _model() -> nx.ExchangeModel:
    return nx.ExchangeModel(n_slots=30, mu=-0.4, beta=1.0, h0=0.3, w=[0.5], coupling=0.5, factor="binomial")


@lru_cache(maxsize=4)
def _run(seed: int, planted: bool) -> nx.ExchangeSamples:
    factor = _PLANTED_FACTOR if planted else _model().factor
    return nx.exchange_metropolis(_model(), _Q, n_chains=_CHAINS, n_sweeps=_SWEEPS, burn_in=_BURN,
                                  seed=rng(seed, f"grand/{factor}"), factor=factor)


def _omega(mu=None, q=None) -> float:
    return nx.grand_potential(_model(), _Q if q is None else q, mu)


def _estimate(mean_and_se) -> Estimate:
    return Estimate(mean_and_se[0], mean_and_se[1], _CHAINS * _SWEEPS)


def sample_mean_number(seed: int, planted: bool) -> Estimate:
    return _estimate(mean_se(_run(seed, planted).N.mean(axis=0)))


def exact_mean_number() -> float:
    h, mu = 1e-4, _model().mu
    return -(_omega(mu + h) - _omega(mu - h)) / (2 * h)


def sample_number_variance(seed: int, planted: bool) -> Estimate:
    r = _run(seed, planted)
    return _estimate(mean_se(((r.N - r.N.mean()) ** 2).mean(axis=0)))


def exact_number_variance() -> float:
    h, mu, b = 1e-3, _model().mu, _model().beta
    return -(_omega(mu + h) - 2 * _omega(mu) + _omega(mu - h)) / (b * h * h)


def sample_force(seed: int, planted: bool) -> Estimate:
    w = float(_model().w[0])
    return _estimate(mean_se((-w * _run(seed, planted).m).mean(axis=0)))


def exact_force() -> float:
    h = 1e-4
    return (_omega(q=_Q + h) - _omega(q=_Q - h)) / (2 * h)


def _mu_hat(hist: np.ndarray, weights_from: np.ndarray) -> float:
    """Inverse-variance mean over N of F̃_{N+1} − F̃_N + T ln(n_{N+1}/n_N) (hist: mean counts per N)."""
    ex = nx.grand_exact(_model(), _Q)
    T = 1.0 / _model().beta
    n, ref = hist.reshape(-1), weights_from
    ok = (ref[:-1] >= _MIN_COUNT) & (ref[1:] >= _MIN_COUNT)
    w = np.where(ok, 1.0 / (1.0 / np.maximum(ref[:-1], 1) + 1.0 / np.maximum(ref[1:], 1)), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_n = np.where(ok, np.diff(ex.F_tilde) + T * np.log(n[1:] / n[:-1]), 0.0)
    return float(np.sum(w * mu_n) / w.sum())


def sample_ratio(seed: int, planted: bool) -> Estimate:
    r = _run(seed, planted)
    M = _model().n_slots
    groups = np.array_split(np.arange(r.N.shape[1]), _GROUPS)
    hists = np.array([np.bincount(r.N[:, g].ravel(), minlength=M + 1) for g in groups], dtype=float)
    total = hists.sum(axis=0)
    # Weights fixed from the full-sample counts so every jackknife replicate uses the same N-window.
    return _estimate(jackknife(lambda hh: _mu_hat(hh.mean(axis=0), total / _GROUPS), hists))


def exact_mu() -> float:
    return _model().mu


# --- C10: driven closed loop with neuron exchange ---------------------------------------------------

@lru_cache(maxsize=4)
def _loop_run(seed: int, beta_ex: float):
    return nx.driven_loop(_model(), nx.circle_loop([0.0], 1.0, 100), n_loops=20000, n_exchange=5,
                          seed=rng(seed, f"loop/{beta_ex}"), beta_exchange=beta_ex)


def sample_jarzynski(seed: int, planted: bool) -> Estimate:
    b = _model().beta
    r = _loop_run(seed, 1.2 * b if planted else b)
    est, se = mean_se(np.exp(-b * r.W))
    return Estimate(est, se, r.W.size)


def compute_bookkeeping(planted: bool) -> Residual:
    """max over loops of |W + J − ΔF_book| (|W − ΔF_book| when planted) in units of the worst-case roundoff
    bound n_terms·ε·Σ|terms|; the identity is pathwise, so one run at the default seed decides it."""
    r = _loop_run(DEFAULT_SEED, _model().beta)
    bound = r.n_terms * EPS * r.abs_terms
    lhs = r.W if planted else r.W + r.J
    return Residual(float(np.max(np.abs(lhs - r.dF_book) / bound)), 1.0, r.W.size)


_PLANTED_GC = "combinatorial factor counted twice (C(M,N)^2)"

CHECKS = (
    Check(name="grand-mean-number", step="grand.mean-number", identity="<N> = -dOmega/dmu",
          statistic="mean over 256 insert/delete/flip chains of chain-mean N; expected central mu-difference of "
                    "exact Omega; SE = sd(chain means)/sqrt(chains)",
          planted=_PLANTED_GC, sample=sample_mean_number, expected=exact_mean_number),
    Check(name="grand-number-variance", step="grand.number-variance", identity="Var N = -(1/beta) d2Omega/dmu2",
          statistic="mean over chains of per-chain mean of (N - global mean)^2; expected second central "
                    "mu-difference of exact Omega over -beta; SE = sd(per-chain)/sqrt(chains)",
          planted=_PLANTED_GC, sample=sample_number_variance, expected=exact_number_variance),
    Check(name="grand-force", step="grand.force", identity="dOmega/dq = <dH_N/dq>_GC",
          statistic="mean over chains of chain-mean of -m w (m = magnetisation of active neurons); expected central "
                    "q-difference of exact Omega; SE = sd(chain means)/sqrt(chains)",
          planted=_PLANTED_GC, sample=sample_force, expected=exact_force),
    Check(name="grand-ratio", step="grand.ratio", identity="F_{N+1} - F_N + T ln(P_{N+1}/P_N) = mu",
          statistic="mu_hat = inverse-variance mean over N (counts >= 200) of Ftilde_{N+1} - Ftilde_N + "
                    "T ln(n_{N+1}/n_N), Ftilde_N = F_N - T ln C(M,N); SE jackknife over 16 chain groups",
          planted=_PLANTED_GC, sample=sample_ratio, expected=exact_mu),
    DeterministicCheck(name="loop-bookkeeping", step="multivalued.driven-loop",
                       identity="W + J = F_{N_end}(q0) - F_{N_start}(q0)",
                       statistic="max over 20000 driven loops of |W + J - dF_book| in units of the worst-case "
                                 "roundoff bound n_terms eps sum|terms| (pathwise identity; tolerance 1 bound)",
                       planted="jumps ignored (W alone = dF_book, quantised-work claim)",
                       compute=compute_bookkeeping, tolerance=1.0),
    Check(name="jarzynski", step="multivalued.driven-loop", identity="<exp(-beta W)> = 1 on a closed loop",
          statistic="mean of exp(-beta W) over 20000 loops (100 steps, 5 exchange attempts per step); SE = sd/sqrt(n)",
          planted="exchange at beta_ex = 1.2 beta", sample=sample_jarzynski, expected=1.0),
)
