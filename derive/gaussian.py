r"""Gaussian integrals as a derivation carries them out: by the moments of a standard normal.

:math:`E[f(x)]` for :math:`x \sim N(a, v)` is written as the integral over a standard normal
:math:`u`, :math:`\int f(a + \sqrt v\,u)\,\varphi(u)\,du`.  For polynomial f, ``doit`` (what a
derivation calls) integrates monomial by monomial with the moments from Stein's identity,
:math:`E[u^k] = (k - 1)\,E[u^{k-2}]`, :math:`E[u^0] = 1`, :math:`E[u] = 0`; :func:`moments_done` does
the same for any polynomial times :math:`e^{-c x^2}` over the real line, by :math:`x = u/\sqrt{2c}`.
The witnesses never use these moments: the symbolic witness carries the integrals out by the
Gamma-function formula of :func:`derive.integrals.gaussian_integral`, the numeric witness by mpmath
quadrature, so a wrong moment here fails both.

>>> import sympy as sp
>>> x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
>>> v = sp.Symbol("v", positive=True)
>>> sp.expand(normal_expectation(x**2, x, a, v).doit())
a**2 + v
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.integrals import gaussian_terms

__all__ = ["GaussianIntegral", "moments_done", "normal_expectation", "real_line_integral", "standard_normal_moment"]

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


def real_line_integral(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """∫_ℝ Σ_k a_k x^k e^{−c x²} dx = √(2π) Σ_k a_k E[u^k] (2c)^{−(k+1)/2} (x = u/√(2c), u ~ N(0, 1), the
    moments by :func:`standard_normal_moment`), or None when f is not of this form or c > 0 does not follow
    from the assumptions.

    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", positive=True)
    >>> real_line_integral(x**2 * sp.exp(-c * x**2), x)
    sqrt(pi)/(2*c**(3/2))
    """
    terms = gaussian_terms(f, x)
    if terms is None:
        return None
    c, powers = terms
    return sp.sqrt(2 * sp.pi) * sp.Add(*(a * standard_normal_moment(k) * (2 * c) ** sp.Rational(-(k + 1), 2)
                                         for a, k in powers))


def moments_done(e: sp.Expr) -> sp.Expr:
    """``e`` with every integral over the real line of a polynomial times a Gaussian carried out by
    :func:`real_line_integral`; other integrals are left as they are.

    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", positive=True)
    >>> w = sp.exp(-c * x**2)
    >>> moments_done(sp.Integral(x**2 * w, (x, -sp.oo, sp.oo)) / sp.Integral(w, (x, -sp.oo, sp.oo)))
    1/(2*c)
    """
    def one(i: sp.Integral) -> sp.Expr:
        if len(i.limits) == 1 and len(i.limits[0]) == 3 and tuple(i.limits[0][1:]) == (-sp.oo, sp.oo):
            done = real_line_integral(i.function, i.limits[0][0])
            if done is not None:
                return done
        return i
    return e.replace(lambda a: isinstance(a, sp.Integral), one)


class GaussianIntegral(sp.Integral):
    """∫ g(u) φ(u) du over the real line, φ the standard normal density."""

    def doit(self, **hints):
        if not hints.get("integrals", True):
            return self
        # a polynomial times φ: its moments (Stein's identity; the symbolic witness uses another formula)
        done = real_line_integral(self.function, _u)
        return done if done is not None else sp.Integral(self.function, *self.limits).doit(**hints)


def normal_expectation(f: sp.Expr, x: sp.Symbol, mean: sp.Expr, var: sp.Expr) -> GaussianIntegral:
    """E[f(x)] for x ~ N(mean, var), unevaluated."""
    return GaussianIntegral(f.subs(x, mean + sp.sqrt(var) * _u) * _PHI, (_u, -sp.oo, sp.oo))
