"""derive.algebra: solving an equation that is linear in its unknown (a symbol, f(q) or a product's factor)."""

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from derive.algebra import solve_linear, solve_zero

x, a, b, q = sp.symbols("x a b q", real=True)
f = sp.Function("f")(q)


class TestSolveLinear:
    def test_a_symbol(self):
        assert solve_linear(sp.Eq(a * x + b, 3), x) == (3 - b) / a

    def test_a_function_application(self):
        sol = solve_linear(sp.Eq(sp.exp(q) * f + sp.sin(q), f), f)
        assert sp.simplify(sol - sp.sin(q) / (1 - sp.exp(q))) == 0

    @pytest.mark.parametrize("eq", [sp.Eq(x**2 + a, 0), sp.Eq(sp.sin(x), a), sp.Eq(a, b)])
    def test_not_linear_or_absent(self, eq):
        with pytest.raises(ValueError, match="not linear in x"):
            solve_linear(eq, x)

    @given(st.integers(-5, 5).filter(bool), st.integers(-5, 5), st.integers(-5, 5))
    def test_the_solution_satisfies_the_equation(self, k, c, d):
        eq = sp.Eq(k * a * x + c * sp.cos(a) + d * x, b)
        sol = solve_linear(eq, x)
        assert sp.simplify((eq.lhs - eq.rhs).subs(x, sol)) == 0


class TestSolveZero:
    def test_is_solve_linear_of_the_difference(self):
        assert solve_zero(a * x - b, x) == solve_linear(sp.Eq(a * x, b), x) == b / a
