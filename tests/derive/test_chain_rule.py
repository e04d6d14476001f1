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


class TestEulerEquations:
    """chain_rule.euler_equations gives SymPy's euler_equations (the difference expands to 0)."""

    x, t = sp.symbols("x t", real=True)
    a, b = sp.symbols("a b", real=True)
    u, w = sp.Function("u", real=True)(x, t), sp.Function("w", positive=True)(x, t)

    @staticmethod
    def _same(L, funcs, variables) -> None:
        from sympy.calculus.euler import euler_equations as sympys

        from derive.chain_rule import euler_equations
        ours, theirs = euler_equations(L, funcs, variables), sympys(L, funcs, variables)
        assert all(e.rhs == 0 for e in ours + theirs)
        # an equation that is identically 0 = 0 is left out by either when it comes out as 0 = 0 at once,
        # which depends on the form (L = u² sin(u) u_t: ours cancels, SymPy's stays 0 after expand only)
        ours, theirs = ([e.lhs for e in eqs if sp.expand(e.lhs) != 0] for eqs in (ours, theirs))
        assert len(ours) == len(theirs)
        for e, f in zip(ours, theirs):
            assert sp.expand(e - f) == 0

    def test_wave_and_potential(self):
        u, x, t = self.u, self.x, self.t
        self._same(u.diff(t)**2 / 2 - u.diff(x)**2 / 2 - self.a * u**4, [u], [x, t])

    def test_a_total_derivative_has_no_equation(self):
        from derive.chain_rule import euler_equations
        assert euler_equations(self.u.diff(self.t) + 3 * self.u.diff(self.x), [self.u], [self.x, self.t]) == []

    def test_two_fields_coupled_through_derivatives(self):
        u, w, x, t = self.u, self.w, self.x, self.t
        L = w * u.diff(t) + self.a * w * u.diff(x)**2 + self.b * w.diff(x)**2 / w + sp.sqrt(w) * sp.exp(u)
        self._same(L, [u, w], [x, t])

    def test_second_derivatives(self):
        u, x, t = self.u, self.x, self.t
        self._same(u.diff(x, 2)**2 + u.diff(x, t) * u.diff(t) + sp.log(1 + u**2), [u], [x, t])

    def test_the_chains_lagrangian(self):
        from derive.contents import derivation
        from derive.euler_lagrange import _L
        from derive.step import Context
        from derive.symbols import F, coords, field, p, t
        d = derivation()
        L = Context(d.step("el.equations"), d.premises_of("el.equations"))["action.lagrangian"].rules()[_L].doit()
        q = coords(2)
        self._same(L, [field(p, q), field(F, q)], [*q, t])

    def test_a_planted_sign_is_seen(self, monkeypatch):
        """The comparison can fail: the total derivatives' sign flipped gives other equations."""
        from sympy.calculus.euler import euler_equations as sympys

        from derive import chain_rule
        u, x, t = self.u, self.x, self.t
        L = u.diff(t)**2 / 2 - u.diff(x)**2 / 2 - self.a * u**4
        real = chain_rule.derivative
        calls = []

        def flipped(e, v, n=1):
            calls.append(v)
            return -real(e, v, n) if v in (x, t) else real(e, v, n)
        monkeypatch.setattr(chain_rule, "derivative", flipped)
        ours = chain_rule.euler_equations(L, [u], [x, t])[0].lhs
        monkeypatch.undo()
        assert calls and sp.expand(ours - sympys(L, [u], [x, t])[0].lhs) != 0

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2),
                              st.integers(0, 1)), min_size=1, max_size=4))
    def test_random_lagrangians(self, monomials):
        """Random polynomials in u, u_x, u_t, u_xx (times sin u or not) as Lagrangians: equal to SymPy's."""
        u, x, t = self.u, self.x, self.t
        L = sp.Add(*(c * u**i * u.diff(x)**j * u.diff(t)**k * (sp.sin(u) if s else 1) * u.diff(x, 2)**(i % 2)
                     for c, i, j, k, s in monomials))
        if L.has(u):
            self._same(L, [u], [x, t])

    def test_bad_input(self):
        from derive.chain_rule import euler_equations
        with pytest.raises(ValueError, match="not an unknown function"):
            euler_equations(self.u**2, [self.u**2], [self.x, self.t])
        with pytest.raises(ValueError, match="not an unknown function"):
            euler_equations(self.u**2, [self.u], [self.x])


class TestSubsOfUnknownFunctions:
    """doit of Subs(e, f(x, t), g): the function replaced by the expression, then differentiated; equal to
    SymPy's Subs.doit, which differentiates first and substitutes after (one function after the other)."""

    x, t = sp.symbols("x t", real=True)
    f, h = sp.Function("f")(x, t), sp.Function("h")(x, t)

    @pytest.mark.parametrize("e, variables, point", [
        (sp.Derivative(f * sp.Derivative(f, x), x), (f,), (sp.exp(-x**2) * t,)),
        (sp.Derivative(f, t) + sp.Derivative(h**2, x, 2), (f, h), (sp.sin(x * t), sp.log(1 + x**2))),
        # f's expression contains h, which is replaced after it (as SymPy's Subs.doit does)
        (sp.Derivative(f, x) + h * sp.Derivative(f, t), (f, h), (sp.exp(-h), sp.cos(x) * t)),
    ])
    def test_equals_sympys_subs_doit(self, e, variables, point):
        from derive.chain_rule import doit
        s = sp.Subs(e, variables, point)
        ours = doit(s)
        assert not ours.has(sp.Subs, sp.Derivative)
        assert sp.expand(ours - s.doit()) == 0

    def test_at_a_point_with_an_unknown_functions_derivative_is_sympys(self):
        from derive.chain_rule import doit
        s = sp.Subs(sp.Derivative(self.f, self.x), self.x, 0)
        assert doit(s) == s.doit()

    @pytest.mark.parametrize("e, variables, point", [
        (sp.Derivative(sp.exp(sp.I * x) * sp.cos(t * x), x, 2), (x, t), (sp.pi / 3, 2)),
        (sp.Derivative(x**3 * t, x) + t, (x, t), (t, x)),  # one after the other: x -> t, then t -> x
        (sp.sin(x) * t, (t,), (sp.Rational(1, 2),)),
    ])
    def test_at_a_point_equals_sympys_subs_doit(self, e, variables, point):
        from derive.chain_rule import doit
        s = sp.Subs(e, variables, point)
        assert sp.expand(doit(s) - s.doit()) == 0
