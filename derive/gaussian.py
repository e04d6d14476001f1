r"""Gaussian expectations that SymPy integrates fast and the numeric witness integrates by quadrature.

:math:`E[f(x)]` for :math:`x \sim N(a, v)` is written as the integral over a standard normal
:math:`u`, :math:`\int f(a + \sqrt v\,u)\,\varphi(u)\,du`.  For polynomial f the symbolic ``doit``
integrates monomial by monomial (the exact moments :math:`E[u^k]`, by
:func:`derive.integrals.gaussian_integral`); the numeric witness never calls ``doit`` on it and evaluates
the integral by mpmath quadrature.

>>> import sympy as sp
>>> x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
>>> v = sp.Symbol("v", positive=True)
>>> sp.expand(normal_expectation(x**2, x, a, v).doit())
a**2 + v
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.integrals import gaussian_integral

__all__ = ["GaussianIntegral", "normal_expectation", "standard_normal_moment"]

_u = sp.Symbol("u_N", real=True)
_PHI = sp.exp(-_u**2 / 2) / sp.sqrt(2 * sp.pi)


@cache
def standard_normal_moment(k: int) -> sp.Expr:
    """E[u^k] for u ~ N(0, 1): (k − 1)!! for even k, 0 for odd k (:func:`derive.integrals.gaussian_integral`
    of u^k φ(u); tested against SymPy's integrate, which took 0.1 s per moment).

    >>> [standard_normal_moment(k) for k in range(7)]
    [1, 0, 1, 0, 3, 0, 15]
    """
    return gaussian_integral(_u**k * _PHI, _u)


class GaussianIntegral(sp.Integral):
    """∫ g(u) φ(u) du over the real line, φ the standard normal density."""

    def doit(self, **hints):
        if not hints.get("integrals", True):
            return self
        done = gaussian_integral(self.function, _u)  # a polynomial times φ: its moments (derive.integrals)
        return done if done is not None else sp.Integral(self.function, *self.limits).doit(**hints)


def normal_expectation(f: sp.Expr, x: sp.Symbol, mean: sp.Expr, var: sp.Expr) -> GaussianIntegral:
    """E[f(x)] for x ~ N(mean, var), unevaluated."""
    return GaussianIntegral(f.subs(x, mean + sp.sqrt(var) * _u) * _PHI, (_u, -sp.oo, sp.oo))
