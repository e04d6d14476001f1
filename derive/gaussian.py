r"""Gaussian expectations that a derivation integrates fast and the witnesses integrate independently.

:math:`E[f(x)]` for :math:`x \sim N(a, v)` is written as the integral over a standard normal
:math:`u`, :math:`\int f(a + \sqrt v\,u)\,\varphi(u)\,du`.  For polynomial f, ``doit`` (what a
derivation calls) integrates monomial by monomial with the moments from Stein's identity,
:math:`E[u^k] = (k - 1)\,E[u^{k-2}]`, :math:`E[u^0] = 1`, :math:`E[u] = 0`.  The witnesses never call this
``doit``: the symbolic witness carries the integral out by the Gamma-function formula of
:func:`derive.integrals.gaussian_integral`, the numeric witness by mpmath quadrature, so a wrong moment here
fails both.

>>> import sympy as sp
>>> x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
>>> v = sp.Symbol("v", positive=True)
>>> sp.expand(normal_expectation(x**2, x, a, v).doit())
a**2 + v
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = ["GaussianIntegral", "normal_expectation", "standard_normal_moment"]

_u = sp.Symbol("u_N", real=True)
_PHI = sp.exp(-_u**2 / 2) / sp.sqrt(2 * sp.pi)


@cache
def standard_normal_moment(k: int) -> sp.Integer:
    """E[u^k] for u ~ N(0, 1), by Stein's identity E[u^k] = (k − 1) E[u^(k−2)] from E[u⁰] = 1, E[u] = 0:
    (k − 1)!! for even k, 0 for odd k.  (Tested against SymPy's ``integrate`` and against
    :func:`derive.integrals.gaussian_integral`, the formula the symbolic witness uses.)

    >>> [standard_normal_moment(k) for k in range(7)]
    [1, 0, 1, 0, 3, 0, 15]
    """
    if not (isinstance(k, int) and k >= 0):
        raise ValueError(f"the moment's order k must be an integer >= 0, got {k!r}")
    if k % 2:
        return sp.S.Zero
    return sp.S.One if k == 0 else (k - 1) * standard_normal_moment(k - 2)


def _polynomial_expectation(g: sp.Expr) -> sp.Expr | None:
    """Σ_k c_k E[u^k] for g = Σ_k c_k u^k a polynomial in u, else None."""
    g = sp.expand(g)
    if not g.is_polynomial(_u):
        return None
    return sp.Add(*(coeff * standard_normal_moment(k) for (k,), coeff in sp.Poly(g, _u).terms()))


class GaussianIntegral(sp.Integral):
    """∫ g(u) φ(u) du over the real line, φ the standard normal density."""

    def doit(self, **hints):
        if not hints.get("integrals", True):
            return self
        # a polynomial times φ: its moments (Stein's identity; the symbolic witness uses another formula)
        done = _polynomial_expectation(self.function / _PHI)
        return done if done is not None else sp.Integral(self.function, *self.limits).doit(**hints)


def normal_expectation(f: sp.Expr, x: sp.Symbol, mean: sp.Expr, var: sp.Expr) -> GaussianIntegral:
    """E[f(x)] for x ~ N(mean, var), unevaluated."""
    return GaussianIntegral(f.subs(x, mean + sp.sqrt(var) * _u) * _PHI, (_u, -sp.oo, sp.oo))
