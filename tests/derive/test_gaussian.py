"""derive.gaussian: the derivations' Gaussian moments (Stein's identity) against SymPy's integrate and against
the Gamma-function formula the symbolic witness uses."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import gaussian
from derive.gaussian import (GaussianIntegral, moments_done, normal_expectation, real_line_integral,
                             standard_normal_moment)
from derive.integrals import gaussian_integral, integral_done

u = sp.Symbol("u", real=True)
phi = sp.exp(-u**2 / 2) / sp.sqrt(2 * sp.pi)
x, a = sp.Symbol("x", real=True), sp.Symbol("a", real=True)
v = sp.Symbol("v", positive=True)


class TestStandardNormalMoment:
    @pytest.mark.parametrize("n", range(9))
    def test_equals_sympys_integral(self, n):
        assert standard_normal_moment(n) == sp.integrate(u**n * phi, (u, -sp.oo, sp.oo))

    @pytest.mark.parametrize("n", range(0, 21))
    def test_equals_the_witness_formula(self, n):
        assert standard_normal_moment(n) == gaussian_integral(u**n * phi, u)

    @pytest.mark.parametrize("n", [-1, 1.0, "2"])
    def test_rejects_an_order_that_is_not_a_natural_number(self, n):
        with pytest.raises(ValueError, match="integer >= 0"):
            standard_normal_moment(n)


class TestGaussianIntegral:
    def test_doit_gives_the_moments_of_a_shifted_scaled_normal(self):
        e = normal_expectation(x**4 + x, x, a, v)
        assert sp.expand(e.doit() - (a**4 + 6 * a**2 * v + 3 * v**2 + a)) == 0

    def test_a_wrong_moment_is_seen_by_the_witness_formula(self, monkeypatch):
        # a planted error in Stein's recursion (E[u^4] = 2 instead of 3) makes the two routes differ
        e = normal_expectation(x**4, x, 0, v)
        right = gaussian.standard_normal_moment
        monkeypatch.setattr(gaussian, "standard_normal_moment", lambda k: 2 if k == 4 else right(k))
        assert sp.expand(e.doit() - integral_done(e)) != 0

    def test_a_non_polynomial_integrand_goes_to_sympy(self):
        w = gaussian._u
        e = GaussianIntegral(sp.cos(w) * gaussian._PHI, (w, -sp.oo, sp.oo))
        assert sp.simplify(e.doit() - sp.exp(-sp.Rational(1, 2))) == 0

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.integers(-3, 3), min_size=1, max_size=7), st.integers(-2, 2))
    def test_random_polynomials_agree_with_the_witness_formula(self, coeffs, shift):
        f = sum(c_ * x**k for k, c_ in enumerate(coeffs))
        e = normal_expectation(f, x, shift * a, v)
        assert sp.expand(e.doit() - integral_done(e)) == 0


class TestRealLineIntegral:
    c = sp.Symbol("c", positive=True)

    @pytest.mark.parametrize("n", range(7))
    def test_equals_sympys_integral(self, n):
        f = x**n * sp.exp(-self.c * x**2)
        assert sp.simplify(real_line_integral(f, x) - sp.integrate(f, (x, -sp.oo, sp.oo))) == 0

    def test_an_odd_moment_is_zero(self):
        assert real_line_integral(x**3 * sp.exp(-x**2), x) == 0

    @pytest.mark.parametrize("f", [sp.exp(x**2), x * sp.exp(-a * x**2), sp.cos(x) * sp.exp(-x**2)])
    def test_is_none_off_its_form(self, f):
        # exp(+x^2) diverges, a real rate a need not be positive, cos(x) is not a polynomial
        assert real_line_integral(f, x) is None


class TestMomentsDone:
    c = sp.Symbol("c", positive=True)

    def test_a_variance_ratio(self):
        w = sp.exp(-self.c * x**2)
        e = sp.Integral(x**2 * w, (x, -sp.oo, sp.oo)) / sp.Integral(w, (x, -sp.oo, sp.oo))
        assert sp.simplify(moments_done(e) - 1 / (2 * self.c)) == 0

    def test_leaves_other_integrals(self):
        e = sp.Integral(x, (x, 0, 1)) + sp.Integral(sp.cos(x) * sp.exp(-x**2), (x, -sp.oo, sp.oo))
        assert moments_done(e) == e

    def test_a_wrong_moment_is_seen_by_the_witness_formula(self, monkeypatch):
        # moments_done goes through the normal moments and the witness formula does not: a planted E[u^4] = 2
        # (instead of 3) changes the one and not the other (patching derive.integrals instead would not catch a
        # `from derive.integrals import gaussian_integral` in derive.gaussian)
        i = sp.Integral(x**4 * sp.exp(-self.c * x**2), (x, -sp.oo, sp.oo))
        assert sp.simplify(moments_done(i) - 3 * sp.sqrt(sp.pi) / (4 * self.c**sp.Rational(5, 2))) == 0
        right = gaussian.standard_normal_moment
        monkeypatch.setattr(gaussian, "standard_normal_moment", lambda k: 2 if k == 4 else right(k))
        assert sp.simplify(moments_done(i) - integral_done(i)) != 0

    @settings(max_examples=30, deadline=None)
    @given(st.lists(st.integers(-3, 3), min_size=1, max_size=6), st.sampled_from([sp.Rational(1, 2), 3, "c"]))
    def test_random_polynomials_agree_with_the_witness_formula(self, coeffs, rate):
        r = self.c if rate == "c" else sp.S(rate)
        i = sp.Integral(sum(c_ * x**k for k, c_ in enumerate(coeffs)) * sp.exp(-r * x**2), (x, -sp.oo, sp.oo))
        assert sp.simplify(moments_done(i) - integral_done(i)) == 0
