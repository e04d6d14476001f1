"""Tests of derive.chain_rule: derivatives by SymPy's node rules equal SymPy's own derivatives."""

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.chain_rule import derivative

x, y = sp.symbols("x y", real=True)
a = sp.Symbol("a", positive=True)
f = sp.Function("f", real=True)
F = f(x, y)
# f replaced by a concrete function once both sides are differentiated: the comparison then needs
# no unknown function and is made at points, independently of either side's form
CONCRETE = sp.Lambda((x, y), sp.sin(x) * y + sp.exp(x * y / 3) + 2)
POINTS = [(sp.Rational(3, 10), sp.Rational(7, 10)), (sp.Rational(-6, 5), sp.Rational(1, 4)),
          (sp.Rational(9, 10), sp.Rational(-4, 3))]

leaves = st.sampled_from([x, y, a, F, sp.Derivative(F, x), sp.Integer(2), sp.Rational(-1, 3)])


def _trees(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, st.sampled_from([2, -1, sp.Rational(1, 2), sp.Rational(-3, 2)])).map(
            lambda t: t[0] ** t[1]),
        st.tuples(children, children).map(lambda t: (t[0] ** 2 + 1) ** (t[1] / 5)),  # a variable exponent
        children.map(lambda c: sp.exp(c / 4)),
        children.map(lambda c: sp.log(c**2 + 1)),
        children.map(sp.sin),
        children.map(sp.cos),
        children.map(lambda c: sp.atan2(c, a)),
        children.map(lambda c: sp.Abs(c) + 1),  # Abs: SymPy's own rule
    )


trees = st.recursive(leaves, _trees, max_leaves=8)


def _value(expr, point):
    e = expr.replace(f, CONCRETE).doit().xreplace({x: point[0], y: point[1], a: sp.Rational(5, 4)})
    with mpmath.workdps(30):
        return complex(sp.N(e, 30))


def _agree(ours, theirs) -> None:
    for pt in POINTS:
        u, v = _value(ours, pt), _value(theirs, pt)
        if any(map(lambda z: z != z or abs(z) == float("inf"), (u, v))):  # a pole or NaN at this point
            continue
        assert abs(u - v) <= 1e-12 * max(1.0, abs(u), abs(v)), (pt, u, v)


class TestDerivative:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(trees, st.sampled_from([x, y]), st.integers(1, 2))
    def test_equals_sympys_derivative_at_points(self, e, var, n):
        _agree(derivative(e, var, n), sp.diff(e, var, n))

    @pytest.mark.parametrize("expr, var, n", [
        (sp.sqrt(F) * sp.exp(sp.I * F / a), x, 2),  # Madelung's psi
        (-sp.log(sp.exp(-a * F) + sp.exp(-2 * a * f(y, x))) / a, x, 1),  # a free energy
        (sp.Integral(F * sp.exp(-x * y), (y, 0, 1)), x, 1),  # under the integral sign: SymPy's Leibniz rule
        (sp.Abs(x - a) * F, x, 1),
    ])
    def test_the_chains_kinds_of_expression(self, expr, var, n):
        _agree(derivative(expr, var, n), sp.diff(expr, var, n))

    def test_unknown_functions_keep_sympys_form(self):
        # the jet symbols of the witnesses are matched by structure: a derivative of an unknown function
        # must come out exactly as SymPy writes it, whatever the order of differentiation
        import itertools

        t = sp.Symbol("t")
        g = sp.Function("g", positive=True)(t, y, x)
        for fn in (F, g):
            for order in itertools.product([x, y, t], repeat=3):
                e = fn
                for v in order:
                    ours, theirs = derivative(e, v), sp.diff(e, v)
                    assert sp.srepr(ours) == sp.srepr(theirs), (e, v)
                    e = theirs
        assert derivative(F * x, x) == sp.diff(F * x, x)
        assert sp.srepr(derivative(f(x**2, y), x)) == sp.srepr(sp.diff(f(x**2, y), x))  # not of symbols: SymPy's
        assert sp.srepr(derivative(f(x, x), x)) == sp.srepr(sp.diff(f(x, x), x))  # a repeated argument: SymPy's

    def test_constant_and_the_variable(self):
        assert derivative(a * y, x) == 0
        assert derivative(x, x) == 1
        assert derivative(x**3, x, 3) == 6

    def test_non_symbol_variable_is_sympys(self):
        assert derivative(F**2, F) == sp.diff(F**2, F) == 2 * F

    def test_witness_carries_out_derivatives_with_it(self):
        from derive.chain_rule import doit

        e = sp.Derivative(sp.sqrt(F) * sp.exp(F / a), (x, 2))
        out = doit(e)
        assert not any(not isinstance(d.expr, sp.core.function.AppliedUndef) for d in out.atoms(sp.Derivative))
        _agree(out, e.doit())
