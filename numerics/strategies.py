"""Hypothesis strategies for property-testing identities of the paper on random instances.

Import them in your own tests:

>>> from hypothesis import given
>>> from numerics.strategies import smooth_potentials, positive_parameters
>>> @given(smooth_potentials(), positive_parameters())
... def test_stein(F, beta):
...     pass

What they draw:
* ``positive_parameters``: β, γ, D, T, ... on a log scale in [lo, hi];
* ``parameter_sets``: a dict {beta, gamma, D} of positive parameters;
* ``smooth_potentials``: confining free energies F(q) = Σ c_k q^k + Σ a_j e^{−(q−b_j)²/2w_j²}, as a
  :class:`SmoothPotential` (a numpy callable with ``grad`` and ``hess``; ``coefficients`` is the vector);
* ``positive_densities``: normalised positive densities p ∝ e^{−F} on a given 1-D grid;
* ``spin_hamiltonians``: small SK-like :class:`~numerics.hidden_neurons.SpinGlass` models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from derive.errors import InputError
from numerics.hidden_neurons import SpinGlass, random_spin_glass

__all__ = [
    "SmoothPotential",
    "positive_parameters",
    "parameter_sets",
    "smooth_potentials",
    "positive_densities",
    "spin_hamiltonians",
]


def positive_parameters(lo: float = 1e-2, hi: float = 1e2) -> st.SearchStrategy[float]:
    """Positive floats, log-uniform in [lo, hi] (β, γ, D, T, ħ, m ...).

    >>> isinstance(positive_parameters(1.0, 2.0), st.SearchStrategy)
    True
    """
    if not (0 < lo <= hi and math.isfinite(hi)):
        raise InputError(f"need 0 < lo <= hi < inf, got lo={lo!r}, hi={hi!r}")
    a, b = math.log(lo), math.log(hi)
    return st.floats(a, b, allow_nan=False, allow_infinity=False).map(lambda u: min(max(math.exp(u), lo), hi))


def parameter_sets(lo: float = 1e-2, hi: float = 1e2) -> st.SearchStrategy[dict]:
    """{"beta", "gamma", "D"} drawn independently by :func:`positive_parameters`."""
    p = positive_parameters(lo, hi)
    return st.fixed_dictionaries({"beta": p, "gamma": p, "D": p})


@dataclass(frozen=True)
class SmoothPotential:
    """F(q) = Σₖ cₖ qᵏ + Σⱼ aⱼ exp(−(q − bⱼ)²/2wⱼ²), vectorised over q.

    ``poly`` holds c₀..c_d (ascending); ``bumps`` is an (n, 3) array of rows (a, b, w), w > 0.
    Confining iff d is even and c_d > 0 (then e^{−F} is normalisable).

    >>> F = SmoothPotential(poly=(0.0, 0.0, 0.5), bumps=np.zeros((0, 3)))
    >>> float(F(2.0)), float(F.grad(2.0)), float(F.hess(2.0))
    (2.0, 2.0, 1.0)
    """

    poly: tuple
    bumps: np.ndarray

    def __post_init__(self) -> None:
        c = tuple(float(v) for v in self.poly)
        if len(c) < 1 or not all(math.isfinite(v) for v in c):
            raise InputError("poly must be a non-empty sequence of finite coefficients")
        object.__setattr__(self, "poly", c)
        b = np.array(self.bumps, dtype=float).reshape(-1, 3)
        if not np.all(np.isfinite(b)) or np.any(b[:, 2] <= 0):
            raise InputError("bumps must be finite rows (amplitude, centre, width > 0)")
        b.setflags(write=False)
        object.__setattr__(self, "bumps", b)

    @property
    def coefficients(self) -> np.ndarray:
        """The potential as one vector: polynomial coefficients then the flattened bump rows."""
        return np.concatenate([np.asarray(self.poly), self.bumps.ravel()])

    @property
    def confining(self) -> bool:
        d = len(self.poly) - 1
        return d >= 2 and d % 2 == 0 and self.poly[-1] > 0

    def _bump_terms(self, q):
        q = np.asarray(q, dtype=float)[..., None]
        a, b, w = self.bumps[:, 0], self.bumps[:, 1], self.bumps[:, 2]
        u = (q - b) / w
        return a * np.exp(-0.5 * u * u), u, w

    def __call__(self, q):
        g, _, _ = self._bump_terms(q)
        return np.polynomial.polynomial.polyval(np.asarray(q, dtype=float), self.poly) + g.sum(-1)

    def grad(self, q):
        g, u, w = self._bump_terms(q)
        dp = np.polynomial.polynomial.polyder(self.poly)
        return np.polynomial.polynomial.polyval(np.asarray(q, dtype=float), dp) + (-g * u / w).sum(-1)

    def hess(self, q):
        g, u, w = self._bump_terms(q)
        d2 = np.polynomial.polynomial.polyder(self.poly, 2)
        return np.polynomial.polynomial.polyval(np.asarray(q, dtype=float), d2) + (g * (u * u - 1) / (w * w)).sum(-1)


@st.composite
def smooth_potentials(draw, max_bumps: int = 2, confining: bool = True) -> SmoothPotential:
    """Random smooth F: a quartic (confining: c₄ ∈ [0.05, 1], c₂ ∈ [−1, 1]) plus up to ``max_bumps``
    Gaussian bumps of amplitude |a| ≤ 1 and width in [0.3, 2]."""
    coef = st.floats(-1.0, 1.0, allow_nan=False)
    c = [0.0, draw(coef), draw(coef), draw(coef)]
    c.append(draw(st.floats(0.05, 1.0)) if confining else draw(coef))
    nb = draw(st.integers(0, max_bumps))
    rows = [(draw(coef), draw(st.floats(-2.0, 2.0)), draw(st.floats(0.3, 2.0))) for _ in range(nb)]
    return SmoothPotential(poly=tuple(c), bumps=np.array(rows, dtype=float).reshape(-1, 3))


@st.composite
def positive_densities(draw, x) -> np.ndarray:
    """p ∝ e^{−F(x)} on the 1-D grid ``x`` (uniform spacing), normalised so Σ p dx = 1; strictly positive."""
    xs = np.asarray(x, dtype=float)
    if xs.ndim != 1 or xs.size < 3:
        raise InputError("x must be a 1-D grid of at least 3 points")
    F = draw(smooth_potentials())
    f = F(xs)
    p = np.exp(-(f - f.min()))
    p = np.maximum(p, 1e-300)
    return p / (p.sum() * (xs[1] - xs[0]))


@st.composite
def spin_hamiltonians(draw, max_neurons: int = 8, max_trainable: int = 2) -> SpinGlass:
    """Small SK-like spin models (n ≤ ``max_neurons``) with β ∈ [0.2, 2] and random couplings."""
    n = draw(st.integers(1, max_neurons))
    k = draw(st.integers(1, max_trainable))
    seed = draw(st.integers(0, 2**31 - 1))
    beta = draw(st.floats(0.2, 2.0))
    coupling = draw(st.floats(0.0, 1.5))
    return random_spin_glass(n, k, beta=beta, seed=seed, coupling=coupling)
