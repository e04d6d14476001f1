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
  :class:`SmoothPotential` (a numpy callable with ``grad``, ``hess``, ``derivative(k)`` to any order and
  its SymPy form ``expr(q)``; ``coefficients`` is the vector);
* ``positive_densities``: a :class:`Density` p ∝ e^{−F} on a given 1-D grid, returned with the F it was
  built from; its mass stays inside the grid: p(edge) ≤ ``edge`` · max p (default 1e-8), so sums over the
  grid stand for integrals over the line;
* ``concrete_functions``: random concrete smooth functions (SymPy expressions, the numeric witness's
  family) to stand in for the unknown functions of your own steps; ``realisations(expr)`` draws one
  for every unknown function in an expression;
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
    "Density",
    "concrete_functions",
    "realisations",
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

    def expr(self, q=None, exact: bool = True):
        """The SymPy form F(q): exact rationals of the float coefficients' binary values (``exact=False``:
        SymPy Floats).

        >>> F = SmoothPotential(poly=(0.0, 0.0, 0.5), bumps=np.array([[1.0, 0.0, 1.0]]))
        >>> F.expr()
        q**2/2 + exp(-q**2/2)
        """
        import sympy as sp

        q = sp.Symbol("q", real=True) if q is None else q
        R = sp.Rational if exact else sp.Float
        out = sum(R(c) * q**k for k, c in enumerate(self.poly))
        for a, b, w in self.bumps:
            out += R(a) * sp.exp(-(q - R(b)) ** 2 / (2 * R(w) ** 2))
        return out

    def derivative(self, order: int):
        """d^order F/dq^order as a vectorised NumPy function (any order ≥ 0; built from :meth:`expr`, cached).

        >>> F = SmoothPotential(poly=(0.0, 0.0, 0.0, 1.0), bumps=np.zeros((0, 3)))
        >>> float(F.derivative(3)(0.7))
        6.0
        """
        if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order < 0:
            raise InputError(f"the order of a derivative is an integer >= 0, got {order!r}")
        cache = self.__dict__.setdefault("_derivatives", {})
        if order not in cache:
            import sympy as sp

            q = sp.Symbol("q", real=True)
            f = sp.lambdify(q, sp.diff(self.expr(q, exact=False), q, int(order)), modules="numpy")
            cache[order] = lambda x, f=f: np.asarray(f(np.asarray(x, dtype=float)), dtype=float) \
                + np.zeros(np.shape(x))
        return cache[order]

    def third(self, q):
        """d³F/dq³."""
        return self.derivative(3)(q)


@st.composite
def smooth_potentials(draw, max_bumps: int = 2, confining: bool = True) -> SmoothPotential:
    """Random smooth F: a quartic (confining: c₄ ∈ [0.05, 1], c₂ ∈ [−1, 1]) plus up to ``max_bumps``
    Gaussian bumps of amplitude at most 1 in absolute value and width in [0.3, 2]."""
    coef = st.floats(-1.0, 1.0, allow_nan=False)
    c = [0.0, draw(coef), draw(coef), draw(coef)]
    c.append(draw(st.floats(0.05, 1.0)) if confining else draw(coef))
    nb = draw(st.integers(0, max_bumps))
    rows = [(draw(coef), draw(st.floats(-2.0, 2.0)), draw(st.floats(0.3, 2.0))) for _ in range(nb)]
    return SmoothPotential(poly=tuple(c), bumps=np.array(rows, dtype=float).reshape(-1, 3))


@dataclass(frozen=True)
class Density:
    """p ∝ e^{−F(x)} on a uniform grid ``x``, normalised so that Σ p dx = 1, with the F it was built from.

    ``F`` is a :class:`SmoothPotential` in the grid's own coordinate (p = e^{−F}/Z exactly, on the grid
    and off it); ``edge_ratio`` = max(p[0], p[-1]) / max p is at most the bound the strategy was asked for.
    """

    x: np.ndarray
    p: np.ndarray
    F: SmoothPotential
    edge_ratio: float

    @property
    def dx(self) -> float:
        return float(self.x[1] - self.x[0])

    def __array__(self, dtype=None, copy=None):  # np.asarray(density) is p
        return self.p if dtype is None else self.p.astype(dtype)


def _compose(F: SmoothPotential, centre: float, scale: float, alpha: float) -> SmoothPotential:
    """G(x) = F((x − centre)/scale) + alpha ((x − centre)/scale)², again a SmoothPotential (in x)."""
    P = np.polynomial.polynomial
    u = np.array([-centre / scale, 1.0 / scale])  # u(x) as a polynomial in x
    out = np.zeros(1)
    power = np.ones(1)
    for k, c in enumerate(F.poly):
        if k:
            power = P.polymul(power, u)
        out = P.polyadd(out, c * power)
    out = P.polyadd(out, alpha * P.polymul(u, u))
    rows = [(a, centre + b * scale, w * scale) for a, b, w in F.bumps]
    return SmoothPotential(poly=tuple(out), bumps=np.array(rows, dtype=float).reshape(-1, 3))


@st.composite
def positive_densities(draw, x, edge: float = 1e-8) -> Density:
    """A :class:`Density` p ∝ e^{−F(x)} on the 1-D grid ``x`` (uniform spacing), strictly positive, with
    p at both ends ≤ ``edge`` × max p (the mass stays inside the grid).

    F is a :func:`smooth_potentials` draw, stretched so that its features q ∈ [−3, 3] fill the grid, plus
    a quadratic confinement α u² raised until the edge bound holds.
    """
    xs = np.asarray(x, dtype=float)
    if xs.ndim != 1 or xs.size < 3:
        raise InputError("x must be a 1-D grid of at least 3 points")
    if not np.allclose(np.diff(xs), xs[1] - xs[0], rtol=1e-9, atol=0) or xs[1] <= xs[0]:
        raise InputError("x must be increasing with uniform spacing")
    if not (0 < edge < 1):
        raise InputError(f"the edge bound must be in (0, 1), got {edge!r}")
    F0 = draw(smooth_potentials())
    centre, scale = 0.5 * (xs[0] + xs[-1]), 0.5 * (xs[-1] - xs[0]) / 3.0
    need = -math.log(edge)
    alpha = 0.0
    for _ in range(60):
        G = _compose(F0, centre, scale, alpha)
        g = G(xs)
        depth = min(g[0], g[-1]) - g.min()
        if depth >= need + 1e-9:
            break
        alpha += (need - depth) / 8.0 + 1.0  # (x − centre)/scale = ±3 at the ends: u² = 9
    else:  # pragma: no cover - α grows without bound until the ends are deep enough
        raise AssertionError("positive_densities: could not confine the density")
    p = np.exp(-(g - g.min()))
    p = p / (p.sum() * (xs[1] - xs[0]))
    return Density(xs, p, G, float(max(p[0], p[-1]) / p.max()))


def concrete_functions(nargs: int = 1, kind: str = "real") -> st.SearchStrategy:
    """Random concrete smooth functions of ``nargs`` variables (``kind``: real, positive or complex), from
    the numeric witness's family: g = a₀ + Σ aⱼ sin(bⱼ·x + φⱼ) + c e^{−|x − x₀|²/2} (positive: e^{g/2}),
    exact rationals.  Each draw is a :class:`derive.verify.TestFunction` (``expr``, ``variables``,
    callable with mpmath numbers).
    """
    if not isinstance(nargs, int) or isinstance(nargs, bool) or nargs < 1:
        raise InputError(f"nargs must be an integer >= 1, got {nargs!r}")
    if kind not in ("real", "positive", "complex"):
        raise InputError(f"kind must be real, positive or complex, got {kind!r}")
    import sympy as sp

    from derive.verify import random_function

    f = sp.Function("f", real=True) if kind == "real" else sp.Function("f", positive=True) \
        if kind == "positive" else sp.Function("f")
    return st.integers(0, 2**32 - 1).map(lambda seed: random_function(f, nargs, np.random.default_rng(seed)))


@st.composite
def realisations(draw, expr):
    """{f(x, y): a concrete SymPy expression in x, y} for every unknown function in ``expr`` (respecting
    its assumptions: positive, real, complex): substitute with ``expr.xreplace(...)`` then ``.doit()``.
    """
    import sympy as sp
    from sympy.core.function import AppliedUndef

    out = {}
    for f in sorted(sp.sympify(expr).atoms(AppliedUndef), key=str):
        kind = "positive" if f.is_positive else "real" if f.is_real else "complex"
        tf = draw(concrete_functions(len(f.args), kind))
        out[f] = tf.expr.xreplace(dict(zip(tf.variables, f.args)))
    return out


@st.composite
def spin_hamiltonians(draw, max_neurons: int = 8, max_trainable: int = 2) -> SpinGlass:
    """Small SK-like spin models (n ≤ ``max_neurons``) with β ∈ [0.2, 2] and random couplings."""
    n = draw(st.integers(1, max_neurons))
    k = draw(st.integers(1, max_trainable))
    seed = draw(st.integers(0, 2**31 - 1))
    beta = draw(st.floats(0.2, 2.0))
    coupling = draw(st.floats(0.0, 1.5))
    return random_spin_glass(n, k, beta=beta, seed=seed, coupling=coupling)
