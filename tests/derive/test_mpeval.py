"""derive.mpeval: the tape compiler agrees with lambdify; the Gauss rules agree with tanh-sinh or step aside."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.mpeval import EXTRA, compile_mp, quadrature

x, y = sp.symbols("x y")
a = sp.Symbol("a", positive=True)
n = sp.Symbol("n", integer=True)

EXPRESSIONS = [
    sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1,
    sp.sqrt(x) * sp.log(y) / (x - y),                 # principal branches of negative arguments
    x ** sp.Rational(1, 3) + sp.exp(-x * y) * sp.atan2(y, x),
    (x + y) ** 5 - sp.expand((x + y) ** 5),
    sp.Abs(x - y) + sp.sign(x) + sp.Heaviside(y) + sp.re(x * sp.I) + sp.im(x * sp.I + y),
    sp.pi * x / 7 + sp.E ** y + sp.Float("0.125") * sp.tanh(x),
    x ** -3 + y ** (-sp.Rational(5, 2)),
    sp.Max(x, y) - sp.Min(x, y) + sp.factorial(4) * sp.binomial(6, 2),
]


class TestCompileMp:
    @settings(max_examples=40, deadline=None)
    @given(st.sampled_from(EXPRESSIONS), st.floats(-2, 2).filter(lambda v: abs(v) > 0.05),
           st.floats(-2, 2).filter(lambda v: abs(v) > 0.05))
    def test_agrees_with_lambdify(self, expr, u, v):
        ours = compile_mp([x, y], [expr])
        ref = sp.lambdify([x, y], [expr], modules=[EXTRA, "mpmath"])
        with mpmath.workdps(30):
            try:
                want = ref(mpmath.mpf(u), mpmath.mpf(v))[0]
            except ZeroDivisionError:  # a pole: the tape must not invent a value there
                with pytest.raises(ZeroDivisionError):
                    ours(u, v)
                return
            got = ours(u, v)[0]
            assert abs(got - want) <= mpmath.mpf(10) ** -25 * max(1, abs(want))

    def test_constants_follow_the_working_precision(self):
        f = compile_mp([x], [sp.pi * x + sp.Rational(1, 3)])
        with mpmath.workdps(50):
            assert abs(f(1)[0] - (mpmath.pi + mpmath.mpf(1) / 3)) < mpmath.mpf(10) ** -48

    def test_integers_are_not_doubles(self):
        """n**-1 at an integer n: 1/3 at the working precision, not the double 0.333..."""
        f = compile_mp([n], [n ** -1])
        with mpmath.workdps(40):
            assert abs(f(3)[0] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -38

    def test_shared_subexpressions_and_booleans(self):
        e = sp.exp(x + y)
        f = compile_mp([x, y], [e + e ** 2, sp.And(x > 0, y < 1), sp.Or(sp.Eq(x, 2), sp.Not(y > 0))])
        with mpmath.workdps(20):
            val, both, either = f(0.5, 0.25)
            assert abs(val - (mpmath.exp(0.75) + mpmath.exp(1.5))) < 1e-15
        assert both is True and either is False

    def test_unknown_nodes_fall_back_to_lambdify(self):
        k = sp.Symbol("k", integer=True)
        f = compile_mp([x], [sp.Sum(x ** k, (k, 0, 3)) + sp.Piecewise((1, x > 0), (0, True))])
        with mpmath.workdps(20):
            assert abs(f(0.5)[0] - (1 + 0.5 + 0.25 + 0.125 + 1)) < 1e-15

    def test_wrong_number_of_values(self):
        with pytest.raises(TypeError, match="expected 2 values"):
            compile_mp([x, y], [x + y])(1.0)

    def test_integral_node_uses_the_quadrature(self):
        u = sp.Symbol("u")
        f = compile_mp([a], [sp.Integral(sp.exp(-a * u ** 2), (u, -sp.oo, sp.oo)), sp.Integral(sp.sin(u), (u, 0, a))])
        with mpmath.workdps(20):
            whole, part = f(2.0)
            # the two Gauss rules are accepted when they agree to 1e-13 (a thousandth of the tolerance)
            assert abs(whole - mpmath.sqrt(mpmath.pi / 2)) < 1e-13
            assert abs(part - (1 - mpmath.cos(2))) < 1e-13


class TestQuadrature:
    @pytest.mark.parametrize("f, lo, hi", [
        (lambda u: mpmath.cos(3 * u) * mpmath.exp(-u * u / 2), -mpmath.inf, mpmath.inf),
        (lambda u: u ** 6 * mpmath.exp(-u * u / 2) * (1 + mpmath.sin(u)), -mpmath.inf, mpmath.inf),
        (lambda u: mpmath.exp(mpmath.sin(u)), 0, 2 * mpmath.pi),
        (lambda u: 1 / (1 + u * u), -1, 3),
        (lambda u: mpmath.exp(-u), 0, mpmath.inf),  # half-infinite: tanh-sinh
    ])
    def test_agrees_with_tanh_sinh(self, f, lo, hi):
        with mpmath.workdps(20):
            got, want = quadrature(f, lo, hi), mpmath.quad(f, [lo, hi])
        assert abs(got - want) <= 1e-13 * max(1, abs(want))

    def test_rules_that_disagree_step_aside(self, monkeypatch):
        """An endpoint singularity the Gauss rules converge to slowly: they disagree, tanh-sinh is used."""
        calls = []
        real = mpmath.quad
        monkeypatch.setattr(mpmath, "quad", lambda *a, **k: calls.append(a) or real(*a, **k))
        with mpmath.workdps(20):
            got = quadrature(lambda u: mpmath.sqrt(u), 0, 1)
            assert abs(got - mpmath.mpf(2) / 3) < 1e-18
        assert calls, "the Gauss rules cannot agree to 1e-13 on sqrt(u) at u = 0"

    def test_high_precision_goes_to_tanh_sinh(self):
        """Double-precision nodes cannot meet the 10^-(dps/2+3) agreement at 40 digits."""
        with mpmath.workdps(40):
            got = quadrature(lambda u: mpmath.exp(-u * u / 2), -mpmath.inf, mpmath.inf)
            assert abs(got - mpmath.sqrt(2 * mpmath.pi)) < mpmath.mpf(10) ** -35


def test_rules_are_cached_and_normalised():
    from derive.mpeval import _hermite_e_rule, _legendre_rule

    assert _hermite_e_rule(40) is _hermite_e_rule(40)
    assert abs(sum(w for _, w in _hermite_e_rule(40)) - np.sqrt(2 * np.pi)) < 1e-12
    assert abs(sum(w for _, w in _legendre_rule(24)) - 2) < 1e-14


class TestCompileInLast:
    """The integrand evaluator with its loop invariants hoisted gives compile_mp's values exactly."""

    @pytest.mark.parametrize("expr", [
        "sin(a*x)*exp(-b**2/2)*x + sqrt(b)/3 + pi*a",
        "a*b + 1/7",  # no x at all
        "x",  # the last argument itself
        "Integral(a*y*x**2 + b, (y, 0, x)) + cos(x)",  # a nested integral depends on x through its limit
    ])
    def test_equals_compile_mp(self, expr):
        from derive.mpeval import _compile_in_last
        a, b, x = sp.symbols("a b x")
        e = sp.sympify(expr)
        whole = compile_mp([a, b, x], [e])
        prepare = _compile_in_last([a, b, x], e)
        with mpmath.workdps(25):
            f = prepare(0.7, 1.3)
            for u in (-0.4, 0.0, 1.1, 2.5):
                assert f(u) == whole(0.7, 1.3, u)[0]

    def test_checks_the_number_of_fixed_values(self):
        from derive.mpeval import _compile_in_last
        a, x = sp.symbols("a x")
        with pytest.raises(TypeError):
            _compile_in_last([a, x], a * x)(1.0, 2.0)
