r"""The numeric witness: obligations evaluated at seeded random points with random test functions.

Independent of SymPy's simplifier.  Each unknown function (p(q,t), F(q,t), V(q,t), h_i(q), ...) is
replaced by a random concrete *test function*

.. math::  g(x) = a_0 + \sum_{j=1}^{2} a_j \sin(b_j\cdot x + \varphi_j) + c\,e^{-|x - x_0|^2/2},

(``exp(g/2)`` for a positive function, ``g + i g'`` for a complex one) with exact rational
coefficients.  Its derivatives at the point are computed *exactly* in closed form: the sine's

.. math::  \partial^\alpha \sin(b\cdot x + \varphi) = \Big(\prod_i b_i^{\alpha_i}\Big)
           \sin\big(b\cdot x + \varphi + (\alpha_1 + \dots + \alpha_K)\,\pi/2\big),

the bump's through the probabilists' Hermite polynomials,
:math:`\partial^n e^{-u^2/2} = (-1)^n \mathrm{He}_n(u)\, e^{-u^2/2}`, and exp(g/2)'s by the Leibniz
recursion :math:`\partial^\alpha e^h = \sum_{\beta \le \alpha - e_i} \binom{\alpha - e_i}{\beta}
\partial^{\beta + e_i} h\; \partial^{\alpha - e_i - \beta} e^h`.  The jet (the function's
values and derivatives the residual needs) is substituted into the residual, which is evaluated with
mpmath (:mod:`derive.mpeval`); the precision is raised once when a residual sits near the tolerance.
Unevaluated integrals are evaluated by quadrature, never by ``integrate``.

>>> import numpy as np, sympy as sp, mpmath
>>> f = random_function(sp.Function("p", positive=True), 2, np.random.default_rng(0))
>>> x = sp.symbols("x_:2", real=True)
>>> exact = sp.diff(f.expr, x[0], 2, x[1]).subs({x[0]: sp.Rational(1, 3), x[1]: sp.Rational(-1, 2)})
>>> with mpmath.workdps(30):
...     abs(f.derivative((mpmath.mpf(1) / 3, mpmath.mpf(-1) / 2), (2, 1)) - sp.N(exact, 30)) < 1e-25
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Mapping

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.chain_rule import doit
from derive.mpeval import compile_mp
from derive.step import Obligation

__all__ = ["numeric_residuals", "random_function", "TestFunction", "DEFAULT_POINTS", "DEFAULT_DPS"]

DEFAULT_POINTS = 5
DEFAULT_DPS = 30


def _assumed(f: sp.FunctionClass, key: str) -> bool:
    """Whether the unknown function ``f`` was declared with assumption ``key`` (e.g. positive)."""
    return bool(getattr(f, "_kwargs", {}).get(key, False))


def _rational(x: float) -> Fraction:
    return Fraction(int(round(x * 64)), 64)


def _mpf(r: Fraction):
    return mpmath.mpf(r.numerator) / r.denominator


def _hermite_e(n: int, u):
    """The probabilists' Hermite polynomial He_n(u): He₀ = 1, He₁ = u, He_{n+1} = u Heₙ − n He_{n−1}."""
    a, b = mpmath.mpf(1), u
    if n == 0:
        return a
    for k in range(1, n):
        a, b = b, u * b - k * a
    return b


def _exp_derivative(h_derivative, alpha: tuple[int, ...], memo: dict | None = None):
    """∂^α e^h from the derivatives of h (``h_derivative(γ)`` = ∂^γ h), by the Leibniz recursion

    ∂^α e^h = Σ_{β ≤ α − e_i} C(α − e_i, β) ∂^{β + e_i} h · ∂^{α − e_i − β} e^h  (i: first index with α_i > 0).
    """
    h_memo: dict = {}
    y_memo: dict = {} if memo is None else memo  # shared between the derivatives of one jet

    def h(gamma):
        if gamma not in h_memo:
            h_memo[gamma] = h_derivative(gamma)
        return h_memo[gamma]

    def y(a):
        if a in y_memo:
            return y_memo[a]
        if not any(a):
            out = mpmath.exp(h(a))
        else:
            i = next(k for k, n in enumerate(a) if n)
            rest = a[:i] + (a[i] - 1,) + a[i + 1:]
            out = mpmath.mpf(0)
            for beta in product(*(range(n + 1) for n in rest)):
                weight = 1
                for n, k in zip(rest, beta):
                    weight *= math.comb(n, k)
                up = beta[:i] + (beta[i] + 1,) + beta[i + 1:]
                out += weight * h(up) * y(tuple(n - k for n, k in zip(rest, beta)))
        y_memo[a] = out
        return out
    return y(tuple(alpha))


@dataclass(frozen=True)
class _Smooth:
    """g(x) = a₀ + Σⱼ aⱼ sin(bⱼ·x + φⱼ) + c exp(−|x − x₀|²/2), exact rational coefficients."""

    a0: Fraction
    waves: tuple[tuple[Fraction, tuple[Fraction, ...], Fraction], ...]
    bump: Fraction
    centre: tuple[Fraction, ...]

    @staticmethod
    def draw(nargs: int, rng: np.random.Generator) -> "_Smooth":
        a0 = _rational(rng.uniform(-1, 1))
        waves = []
        for _ in range(2):
            b = tuple(_rational(rng.uniform(-1.5, 1.5)) for _ in range(nargs))
            waves.append((_rational(rng.uniform(-1, 1)), b, _rational(rng.uniform(0, 3))))
        centre = tuple(_rational(rng.uniform(-1, 1)) for _ in range(nargs))
        return _Smooth(a0, tuple(waves), _rational(rng.uniform(-1, 1)), centre)

    def __call__(self, *x):
        return self.jet(x, [(0,) * len(x)])[0]

    def derivative(self, x, alpha: tuple[int, ...]):
        """∂^α g at ``x``, in closed form (sines shift their phase, the bump brings Hermite polynomials)."""
        return self.jet(x, [tuple(alpha)])[0]

    def jet(self, x, alphas) -> list:
        """[∂^α g(x) for α in alphas]: sin and cos of each wave and the bump's factors computed once.

        ∂^α sin(θ) cycles through sin θ, cos θ, −sin θ, −cos θ with |α|; the bump is a product over
        coordinates of (−1)^k He_k(u) e^{−u²/2}, u = x_i − x₀_i.
        """
        waves = []
        for a, b, phase in self.waves:
            cos, sin = mpmath.cos_sin(mpmath.fsum(_mpf(bi) * xi for bi, xi in zip(b, x)) + _mpf(phase))
            waves.append((_mpf(a), [_mpf(bi) for bi in b], (sin, cos, -sin, -cos)))
        top = [max(al[i] for al in alphas) for i in range(len(x))]
        factors = []  # per coordinate: [(−1)^k He_k(u) e^{−u²/2} for k ≤ top]
        for xi, c, kmax in zip(x, self.centre, top):
            u = xi - _mpf(c)
            e = mpmath.exp(-u * u / 2)
            he = [mpmath.mpf(1), u]
            for k in range(1, kmax):
                he.append(u * he[k] - k * he[k - 1])
            factors.append([(-1) ** k * he[k] * e for k in range(kmax + 1)])
        a0, bump, out = _mpf(self.a0), _mpf(self.bump), []
        for alpha in alphas:
            order = sum(alpha)
            val = a0 if order == 0 else mpmath.mpf(0)
            for a, b, cycle in waves:
                coef = a
                for bi, k in zip(b, alpha):
                    if k:
                        coef *= bi ** k
                val += coef * cycle[order % 4]
            term = bump
            for f, k in zip(factors, alpha):
                term *= f[k]
            out.append(val + term)
        return out

    def sympy(self, xs) -> sp.Expr:
        R = lambda r: sp.Rational(r.numerator, r.denominator)  # noqa: E731
        out = R(self.a0)
        for a, b, phase in self.waves:
            out += R(a) * sp.sin(sum(R(bi) * xi for bi, xi in zip(b, xs)) + R(phase))
        return out + R(self.bump) * sp.exp(-sum((xi - R(c)) ** 2 for xi, c in zip(xs, self.centre)) / 2)


@dataclass(frozen=True)
class TestFunction:
    """A random smooth concrete function standing in for an unknown function of ``nargs`` arguments.

    Evaluated directly with mpmath (no SymPy expression is built: building one costs more than the
    whole evaluation); :attr:`expr` and :attr:`variables` give its SymPy form for display and tests.
    Positive functions are exp(g/2), complex ones g + i g′.
    """

    __test__ = False  # not a pytest test class

    nargs: int
    kind: str
    parts: tuple[_Smooth, ...]

    def __call__(self, *x):
        return self.jet(x, [(0,) * self.nargs])[0]

    def derivative(self, x, alpha: tuple[int, ...]):
        """∂^α of the function at ``x`` (exact formulas, evaluated at the working precision)."""
        return self.jet(x, [alpha])[0]

    def jet(self, x, alphas) -> list:
        """[∂^α f(x) for α in alphas], sharing the work between the derivatives."""
        alphas = [tuple(int(k) for k in al) for al in alphas]
        if self.kind == "real":
            return self.parts[0].jet(x, alphas)
        if self.kind == "complex":
            return [re + 1j * im for re, im in zip(self.parts[0].jet(x, alphas), self.parts[1].jet(x, alphas))]
        # exp(g/2): the Leibniz recursion needs ∂^γ g for every γ ≤ α with γ ≠ 0
        below = sorted({g for al in alphas for g in product(*(range(k + 1) for k in al))})
        g = dict(zip(below, self.parts[0].jet(x, below)))
        memo: dict = {}
        return [_exp_derivative(lambda gamma: g[gamma] / 2, al, memo) for al in alphas]

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return sp.symbols(f"x_:{self.nargs}", real=True)

    @property
    def expr(self) -> sp.Expr:
        xs = self.variables
        if self.kind == "positive":
            return sp.exp(self.parts[0].sympy(xs) / 2)
        if self.kind == "real":
            return self.parts[0].sympy(xs)
        return self.parts[0].sympy(xs) + sp.I * self.parts[1].sympy(xs)


def random_function(f: sp.FunctionClass, nargs: int, rng: np.random.Generator) -> TestFunction:
    """A random smooth concrete function for the unknown function ``f`` (its assumptions respected).

    g(x) = a₀ + Σⱼ aⱼ sin(bⱼ·x + φⱼ) + c exp(−|x − x₀|²/2); positive functions get exp(g/2),
    complex ones g + i g'.  Coefficients are exact rationals drawn from ``rng``.
    """
    kind = "positive" if _assumed(f, "positive") else "real" if _assumed(f, "real") else "complex"
    parts = tuple(_Smooth.draw(nargs, rng) for _ in range(2 if kind == "complex" else 1))
    return TestFunction(nargs, kind, parts)


def _uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """``rng.uniform(lo, hi)``, bit for bit (NumPy computes lo + (hi − lo)·U from the same double), at a third
    of the cost of a scalar ``uniform`` call; the bounds are made doubles first, as ``uniform`` makes them)."""
    lo, hi = float(lo), float(hi)
    return lo + (hi - lo) * rng.random()


def _sample(sym: sp.Symbol, rng: np.random.Generator, domain: Mapping[sp.Symbol, tuple[float, float]]):
    if sym in domain:
        lo, hi = domain[sym]
        return int(rng.integers(math.ceil(lo), math.floor(hi) + 1)) if sym.is_integer else _uniform(rng, lo, hi)
    if sym.is_integer:
        if sym.is_positive:
            return int(rng.integers(1, 5))
        if sym.is_nonnegative:
            return int(rng.integers(0, 9))
        return int(rng.integers(-3, 4))
    if sym.is_positive:
        return _uniform(rng, 0.4, 2.2)
    if sym.is_nonnegative:  # a nonnegative real (a slack): never sampled below 0
        return _uniform(rng, 0.0, 2.2)
    if sym.is_nonzero and sym.is_real:  # a sign (the draw rng.choice([-1.0, 1.0]) makes), then a magnitude
        return (-1.0, 1.0)[int(rng.integers(0, 2, dtype=np.int64))] * _uniform(rng, 0.4, 2.2)
    if sym.is_real:
        return _uniform(rng, -1.5, 1.5)
    return complex(_uniform(rng, -1.5, 1.5), _uniform(rng, -1.5, 1.5))


def _jet_atoms(expr: sp.Expr) -> list[sp.Expr]:
    """Derivatives of unknown functions and the functions themselves, highest derivatives first."""
    derivs = sorted((d for d in expr.atoms(sp.Derivative) if isinstance(d.expr, AppliedUndef)),
                    key=lambda d: (-d.derivative_count, str(d)))
    return derivs + sorted(expr.atoms(AppliedUndef), key=str)


def _jet_plan(atom: sp.Expr) -> tuple[sp.FunctionClass, tuple[sp.Expr, ...], tuple[int, ...]]:
    """For ``atom`` = ∂^α f(a₁..aₙ): the function, its arguments and the derivative orders α."""
    f = atom.expr if isinstance(atom, sp.Derivative) else atom
    orders = [0] * len(f.args)
    if isinstance(atom, sp.Derivative):
        for var, count in atom.variable_count:
            if var not in f.args:
                raise ValueError(f"derivative in {var} of {f}: not one of its arguments")
            orders[f.args.index(var)] += count
    return f.func, f.args, tuple(orders)


@lru_cache(maxsize=512)
def _evaluated(ob: Obligation) -> sp.Tuple:
    """(derived, claimed) with derivatives carried out but integrals left for the witnesses."""
    return doit(sp.Tuple(ob.derived, ob.claimed))


def numeric_residuals(ob: Obligation, seed: int, points: int = DEFAULT_POINTS, dps: int = DEFAULT_DPS,
                      signed: bool = False):
    """Evaluate ``ob`` at seeded random points with random test functions.

    Each unknown function is replaced by a random concrete function; its value and derivatives at the
    point (the jet the residual needs) are computed exactly from that function and substituted into
    the residual, which is evaluated with mpmath — no simplification is involved.  Unevaluated
    integrals are evaluated by quadrature.  Returns a list of ``(point, abs(derived − claimed), tolerance)``
    with ``tolerance = 10^(−dps/2) · max(1, abs(derived), abs(claimed))`` at the precision used, or
    ``None`` when no point satisfies ``ob.where``.  ``signed=True`` gives derived − claimed itself instead of its modulus.
    """
    rng = np.random.default_rng(seed)
    both = _evaluated(ob)
    if both.has(sp.Integral):  # quadrature is costly: fewer points, 20 digits (tolerance 1e-10)
        points, dps = min(points, 2), min(dps, 20)
    atoms = _jet_atoms(both)
    undefs = sorted({(a.expr if isinstance(a, sp.Derivative) else a).func for a in atoms}, key=str)
    applied = both.atoms(AppliedUndef)  # once: a traversal of the whole tree
    arity = {f: max(len(a.args) for a in applied if a.func == f) for f in undefs}
    funcs = {f: random_function(f, arity[f], rng) for f in undefs}
    inner = {a.func for i in both.atoms(sp.Integral) for a in i.function.atoms(AppliedUndef)}
    if inner:  # inside an integral the test function is needed at the quadrature nodes: use its formula there
        lams = {f: sp.Lambda(funcs[f].variables, funcs[f].expr) for f in inner}

        made: dict = {}  # each applied function's formula made once (sin, exp, ... evaluate when built)

        def concrete_integrand(i):
            body = i.function
            applied_inner = [a for a in body.atoms(AppliedUndef) if a.func in lams]
            for a in applied_inner:
                if a not in made:
                    made[a] = lams[a.func](*a.args)
            # top-down: f(x, y) inside a derivative is replaced too, then the derivative is carried out
            body = body.xreplace({a: made[a] for a in applied_inner})
            return sp.Integral(body.doit() if body.has(sp.Integral) else doit(body), *i.limits)
        both = both.replace(lambda e: isinstance(e, sp.Integral), concrete_integrand)
        atoms = _jet_atoms(both)
    jets = [sp.Symbol(f"_jet{i}_") for i in range(len(atoms))]
    jet_expr = both.xreplace(dict(zip(atoms, jets)))
    plans = [_jet_plan(a) for a in atoms]
    syms = sorted((jet_expr.free_symbols - set(jets)) | set().union(*(a.free_symbols for a in atoms))
                  | (ob.where.free_symbols if ob.where is not None else set()), key=str)
    fn = compile_mp(syms + jets, list(jet_expr))
    # each test function's derivatives at the point in closed form (TestFunction.derivative)
    concrete = funcs
    position = {sym: i for i, sym in enumerate(syms)}
    arg_fns = {args: (lambda *v, ix=tuple(position[a] for a in args): [v[i] for i in ix])
               if all(a in position for a in args) else compile_mp(syms, list(args))
               for _, args, _ in plans}

    groups: dict = {}  # one jet per (function, argument list): the derivatives share their work
    for k, (f, args, orders) in enumerate(plans):
        groups.setdefault((f, args), []).append((k, orders))

    def jet_fn(*values):
        out = [None] * len(plans)
        for (f, args), wanted in groups.items():
            for (k, _), v in zip(wanted, concrete[f].jet(arg_fns[args](*values), [o for _, o in wanted])):
                out[k] = v
        return out
    where_fn = compile_mp(syms, [ob.where]) if ob.where is not None else None
    where = (lambda *v: where_fn(*v)[0]) if where_fn is not None else None
    domain = {s: (lo, hi) for s, lo, hi in ob.domain}

    def evaluate(values):
        args = [mpmath.mpf(v) if isinstance(v, float) else v for v in values]
        d, c = fn(*args, *jet_fn(*args))
        return (d - c if signed else abs(d - c)), max(1, abs(d), abs(c))

    results = []
    tries = 0
    while len(results) < points and tries < 50 * points:
        tries += 1
        values = [_sample(s, rng, domain) for s in syms]
        with mpmath.workdps(dps):
            if where is not None and not bool(where(*values)):
                continue
            r, scale = evaluate(values)
        tol = 10.0 ** (-(dps // 2)) * float(scale)
        if ob.expect_zero and tol < abs(r) < 1e6 * tol:  # near the tolerance: raise the precision once
            with mpmath.workdps(2 * dps):
                r, _ = evaluate(values)
        r = complex(r) if isinstance(r, (mpmath.mpc, complex)) and complex(r).imag else float(abs(r) if not signed else
                                                                                           mpmath.re(r))
        results.append((dict(zip(syms, values)), r, tol))
    return results if results else None



def _num(v) -> str:
    """A sampled value as plain text (no NumPy repr): integers as such, reals to 10 digits."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return str(int(v))
    if isinstance(v, complex) or (hasattr(v, "imag") and complex(v).imag):
        z = complex(v)
        return f"{z.real:.10g}{z.imag:+.10g}i"
    return f"{float(v):.10g}"




def _series_check(rw, seed: int, dps: int = 40) -> tuple[bool, str]:
    """input − output = O(h^order) at x = at + h: the ratio of residuals at h and h/2 is ≥ 2^(order − 1/2)."""
    rng = np.random.default_rng(seed)
    others = sorted((rw.before.free_symbols | rw.after.free_symbols) - {rw.var}, key=str)
    fn = compile_mp(others + [rw.var], [rw.before - rw.after])
    f = lambda *v: fn(*v)[0]  # noqa: E731
    with mpmath.workdps(dps):
        for _ in range(3):
            vals = [_sample(s, rng, {}) for s in others]
            res = []
            for h in (mpmath.mpf("1e-3"), mpmath.mpf("5e-4")):
                x = 1 / h if rw.at in (sp.oo,) else mpmath.mpf(float(rw.at)) + h
                res.append(abs(f(*vals, x)))
            if res[0] < mpmath.mpf(10) ** (-dps + 5):
                continue
            ratio = res[0] / res[1]
            if ratio < 2 ** (rw.order - 0.5):
                return False, f"residual ratio {float(ratio):.3g} at h, h/2: not O(h^{rw.order})"
    return True, ""


def _limit_check(rw, seed: int, dps: int = 50) -> tuple[bool, str]:
    rng = np.random.default_rng(seed)
    others = sorted((rw.before.free_symbols | rw.after.free_symbols) - {rw.var}, key=str)
    fb, fa = compile_mp(others + [rw.var], [rw.before]), compile_mp(others, [rw.after])
    f, g = (lambda *v: fb(*v)[0]), (lambda *v: fa(*v)[0])
    with mpmath.workdps(dps):
        for _ in range(3):
            vals = [_sample(s, rng, {}) for s in others]
            target = g(*vals)
            errs = []
            for h in (mpmath.mpf("1e-8"), mpmath.mpf("1e-16")):
                x = 1 / h if rw.at == sp.oo else -1 / h if rw.at == -sp.oo else mpmath.mpf(float(rw.at)) + h
                errs.append(abs(f(*vals, x) - target))
            scale = max(1, abs(target))
            if not (errs[1] <= errs[0] + mpmath.mpf(10) ** (-dps + 5) and errs[1] < mpmath.mpf("1e-6") * scale):
                return False, f"|expr − limit| = {float(errs[1]):.3g} near the limit point"
    return True, ""

