"""Exact algebra the transformations share.

>>> import sympy as sp
>>> x, a, b = sp.symbols("x a b")
>>> solve_linear(sp.Eq(a * x + b, 0), x)
-b/a
"""

from __future__ import annotations

import sympy as sp

from derive.chain_rule import derivative

__all__ = ["solve_linear", "solve_zero"]


def solve_linear(eq: sp.Eq, x: sp.Expr) -> sp.Expr:
    """Solve ``eq`` for ``x`` when it is linear in ``x`` (x may be a function application or Cov(...)).

    Much faster than ``sp.solve`` on the large expressions of this package.  Raises ``ValueError``
    when the equation is not linear in ``x`` or does not contain it.
    """
    return solve_zero(eq.lhs - eq.rhs, x)


def solve_zero(expr: sp.Expr, x: sp.Expr) -> sp.Expr:
    """Solve ``expr = 0``, linear in ``x``, for ``x`` (see :func:`solve_linear`)."""
    u = sp.Dummy("u")  # any x (a symbol, f(q), Cov(...)) becomes a plain unknown
    e = expr.xreplace({x: u})
    slope = derivative(e, u)
    if slope == 0 or slope.has(u):
        raise ValueError(f"not linear in {x}: {expr} = 0")
    return -e.subs(u, 0) / slope
