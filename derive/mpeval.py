r"""SymPy expressions compiled to mpmath evaluators without printing code.

The numeric witness evaluates each obligation at a handful of points, so compiling must cost less
than evaluating.  :func:`sympy.lambdify` prints Python source for the whole tree and ``exec``\ s it
(about 5 ms an expression, most of the witness's fixed cost); :func:`compile_mp` walks the tree once
into a *tape*: the distinct subexpressions in post-order, each an mpmath operation on earlier slots.
Shared subexpressions are evaluated once per call.  Definite integrals are evaluated by
:func:`quadrature`.  Constants are produced at call time, so the
working precision (``mpmath.workdps``) in force when the evaluator runs is the one used.

Semantics follow SymPy's principal branches, as ``lambdify(..., "mpmath")`` does: ``x**(1/2)`` of a
negative real is imaginary, ``log`` of a negative real is complex, ``Abs`` is the modulus.  Integer
arguments are turned into ``mpf`` so that ``n**-1`` is never a double-precision float.  Nodes the tape
does not know (sums, piecewise expressions, unevaluated derivatives) fall back to
``lambdify`` for the whole expression, so every SymPy expression that ``lambdify`` evaluates is
evaluated.

>>> import sympy as sp, mpmath
>>> x, y = sp.symbols("x y")
>>> f = compile_mp([x, y], [sp.sin(x)**2 + sp.cos(x)**2, sp.sqrt(y) / 2])
>>> with mpmath.workdps(30):
...     a, b = f(0.3, -4)
>>> mpmath.nstr(a, 25), b
('1.0', mpc(real='0.0', imag='1.0'))
"""

from __future__ import annotations

import operator
from functools import lru_cache, reduce
from typing import Callable, Sequence

import mpmath
import sympy as sp

__all__ = ["compile_mp", "quadrature", "EXTRA"]

# functions lambdify's mpmath printer does not map to mpmath by name (SymPy's conventions kept)
EXTRA = {
    "Heaviside": lambda x, h0=None: (mpmath.mpf(0) if x < 0 else mpmath.mpf(1) if x > 0
                                     else (mpmath.mpf(1) / 2 if h0 is None else h0)),
    "DiracDelta": lambda x, *k: (mpmath.mpf(0) if x != 0 else mpmath.inf),
    "sign": lambda x: mpmath.sign(x),
}

_FUNCS: dict[type, Callable] = {
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
    sp.cot: mpmath.cot, sp.sec: mpmath.sec, sp.csc: mpmath.csc, sp.asin: mpmath.asin, sp.acos: mpmath.acos,
    sp.atan: mpmath.atan, sp.atan2: mpmath.atan2, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
    sp.tanh: mpmath.tanh, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh, sp.atanh: mpmath.atanh,
    sp.Abs: abs, sp.re: mpmath.re, sp.im: mpmath.im, sp.conjugate: mpmath.conj, sp.arg: mpmath.arg,
    sp.sign: EXTRA["sign"], sp.Heaviside: EXTRA["Heaviside"], sp.DiracDelta: EXTRA["DiracDelta"],
    sp.gamma: mpmath.gamma, sp.loggamma: mpmath.loggamma, sp.factorial: mpmath.factorial,
    sp.binomial: mpmath.binomial, sp.erf: mpmath.erf, sp.erfc: mpmath.erfc, sp.floor: mpmath.floor,
    sp.ceiling: mpmath.ceil,
    sp.Max: lambda *a: max(a), sp.Min: lambda *a: min(a),
}
_RELATIONS = {sp.Equality: operator.eq, sp.Unequality: operator.ne, sp.StrictLessThan: operator.lt,
              sp.LessThan: operator.le, sp.StrictGreaterThan: operator.gt, sp.GreaterThan: operator.ge}
_CONSTANTS = {sp.pi: lambda: +mpmath.pi, sp.E: lambda: +mpmath.e, sp.EulerGamma: lambda: +mpmath.euler,
              sp.I: lambda: mpmath.mpc(0, 1), sp.oo: lambda: mpmath.inf, -sp.oo: lambda: -mpmath.inf,
              sp.true: lambda: True, sp.false: lambda: False}


class _Unsupported(Exception):
    pass


def _const(e: sp.Basic) -> Callable[[], object]:
    if isinstance(e, sp.Integer):
        n = int(e)
        return lambda: n
    if isinstance(e, sp.Rational):
        p, q = int(e.p), int(e.q)
        return lambda: mpmath.mpf(p) / q
    if isinstance(e, sp.Float):
        m = e._mpf_
        return lambda: mpmath.mpf(m)
    if e in _CONSTANTS:
        return _CONSTANTS[e]
    raise _Unsupported(type(e).__name__)


def _power(base, exp):
    if isinstance(exp, int) and isinstance(base, int) and exp < 0:
        return mpmath.mpf(base) ** exp
    return base ** exp


def _op(e: sp.Basic) -> Callable:
    if isinstance(e, sp.Add):
        return lambda *xs: mpmath.fsum(xs)
    if isinstance(e, sp.Mul):
        return lambda *xs: reduce(operator.mul, xs)
    if isinstance(e, sp.Pow):
        if e.exp == sp.S.Half:
            return lambda b, _: mpmath.sqrt(b)
        return _power
    if e.func in _FUNCS:
        return _FUNCS[e.func]
    if type(e) in _RELATIONS:
        return _RELATIONS[type(e)]
    if isinstance(e, sp.And):
        return lambda *xs: all(xs)
    if isinstance(e, sp.Or):
        return lambda *xs: any(xs)
    if isinstance(e, sp.Not):
        return operator.not_
    raise _Unsupported(type(e).__name__)


def _integral(e: sp.Integral, visit):
    """An integral node: its integrand compiled once, its limits and parameters earlier slots."""
    if len(e.limits) > 1:  # ∫∫ f dx dy = ∫ (∫ f dx) dy
        return _integral(sp.Integral(sp.Integral(e.function, e.limits[0]), *e.limits[1:]), visit)
    if len(e.limits[0]) != 3:
        raise _Unsupported("indefinite integral")
    x, a, b = e.limits[0]
    params = sorted(e.function.free_symbols - {x}, key=str)
    inner = _compile_in_last(params + [x], e.function)

    def integrate(lo, hi, *values):
        return quadrature(inner(*values), lo, hi)
    return integrate, (visit(a), visit(b), *(visit(p) for p in params))


def _compile_in_last(args: Sequence[sp.Symbol], expr: sp.Basic) -> Callable[..., Callable]:
    """``prepare(*values_but_last)`` → ``f(last)`` = expr's value, for an integrand in its last argument.

    Loop-invariant code motion on the tape: the slots that do not depend on the last argument (the
    constants, the parameters' algebra: 60 % of the slots of the chain's integrands) are evaluated once by
    ``prepare``, at the precision in force then, and only the others at each quadrature node.  The values
    are the ones :func:`compile_mp` gives, operation for operation.
    """
    args = list(args)
    try:
        size, tape, outs = _tape(args, [expr])
    except _Unsupported:
        fn = compile_mp(args, [expr])
        return lambda *values: (lambda u: fn(*values, u)[0])
    last = len(args) - 1
    varying = {last}
    for i, _, ops in tape:
        if any(j in varying for j in ops):
            varying.add(i)
    fixed = [(i, fn, ops) for i, fn, ops in tape if i not in varying]
    moving = [(i, fn, ops) for i, fn, ops in tape if i in varying]
    out = outs[0]

    def prepare(*values):
        base = _run(fixed, _slots(size, last, values))

        def f(u):
            v = base.copy()
            v[last] = _mp(u)
            return _run(moving, v)[out]
        return f
    return prepare


@lru_cache(maxsize=None)
def _hermite_e_rule(n: int):
    from numpy.polynomial.hermite_e import hermegauss

    x, w = hermegauss(n)
    return tuple((float(xi), float(wi)) for xi, wi in zip(x, w))


@lru_cache(maxsize=None)
def _hermite_e_nodes(n: int, prec: int):
    """(mpf(uᵢ), wᵢ, e^{uᵢ²/2}) of the n-node rule, at the working precision ``prec`` (the same values the rule
    computed at each use)."""
    out = []
    for u, w in _hermite_e_rule(n):
        u_mp = mpmath.mpf(u)
        out.append((u_mp, w, mpmath.exp(u_mp ** 2 / 2)))
    return tuple(out)


@lru_cache(maxsize=None)
def _legendre_rule(n: int):
    from numpy.polynomial.legendre import leggauss

    x, w = leggauss(n)
    return tuple((float(xi), float(wi)) for xi, wi in zip(x, w))


def quadrature(f: Callable, a, b):
    r"""∫_a^b f, for the numeric witness: two Gauss rules, accepted when they agree, else ``mpmath.quad``.

    On (−∞, ∞) the Gauss–Hermite rule for the weight e^{−u²/2} (∫ f = Σ wᵢ f(uᵢ) e^{uᵢ²/2}, exact when
    f e^{u²/2} is a polynomial of degree < 2n: the Gaussian expectations of the argument) with 40 and
    64 nodes; on a finite interval Gauss–Legendre with 24 and 40 nodes.  The two results must agree to
    10^−(dps/2 + 3) relative (a thousandth of the witness's tolerance at that precision); the nodes are
    computed in double precision, so at higher precision the two rules cannot agree that well and the
    tanh–sinh quadrature of ``mpmath.quad`` is used, as it is for half-infinite intervals and whenever
    the rules disagree.

    >>> import mpmath
    >>> with mpmath.workdps(20):
    ...     v = quadrature(lambda u: u**4 * mpmath.exp(-u**2 / 2), -mpmath.inf, mpmath.inf)
    >>> abs(v - 3 * mpmath.sqrt(2 * mpmath.pi)) < 1e-15
    True
    """
    inf = mpmath.inf
    a, b = _mp(a), _mp(b)
    if a == -inf and b == inf:
        def rule(n):
            return mpmath.fsum(w * f(u) * g for u, w, g in _hermite_e_nodes(n, mpmath.mp.prec))
        sizes = (40, 64)
    elif mpmath.isfinite(a) and mpmath.isfinite(b):
        half, mid = (b - a) / 2, (a + b) / 2

        def rule(n):
            return half * mpmath.fsum(w * f(mid + half * u) for u, w in _legendre_rule(n))
        sizes = (24, 40)
    else:
        return mpmath.quad(f, [a, b])
    try:
        q1, q2 = rule(sizes[0]), rule(sizes[1])
    except (ZeroDivisionError, OverflowError, ValueError):
        return mpmath.quad(f, [a, b])
    if abs(q1 - q2) <= mpmath.mpf(10) ** (-(mpmath.mp.dps // 2 + 3)) * max(1, abs(q2)):
        return q2
    return mpmath.quad(f, [a, b])


def _tape(args: Sequence[sp.Symbol], exprs: Sequence[sp.Basic]):
    slot: dict[sp.Basic, int] = {a: i for i, a in enumerate(args)}
    tape: list[tuple[int, Callable, tuple[int, ...]]] = []

    def visit(e: sp.Basic) -> int:
        if e in slot:
            return slot[e]
        if isinstance(e, sp.Symbol):
            raise _Unsupported(f"free symbol {e}")
        if e.is_Number or e in _CONSTANTS:
            fn, ops = _const(e), ()
        elif isinstance(e, sp.Integral):
            fn, ops = _integral(e, visit)
        else:
            fn = _op(e)
            ops = tuple(visit(a) for a in e.args)
        slot[e] = len(slot)
        tape.append((slot[e], fn, ops))
        return slot[e]

    outs = [visit(sp.sympify(e)) for e in exprs]
    return len(slot), tape, outs


def compile_mp(args: Sequence[sp.Symbol], exprs: Sequence[sp.Basic]) -> Callable[..., list]:
    """A function of ``args``' values returning ``[e(values) for e in exprs]``, evaluated with mpmath.

    Python ints and floats passed in are converted to ``mpf`` first (complex to ``mpc``).
    """
    args, exprs = list(args), list(exprs)
    try:
        size, tape, outs = _tape(args, exprs)
    except _Unsupported:
        from sympy import lambdify  # the general route, for the few nodes the tape does not know

        fn = lambdify(args, exprs, modules=[EXTRA, "mpmath"], docstring_limit=0)
        return lambda *values: list(fn(*(_mp(v) for v in values)))
    n_args = len(args)

    def evaluate(*values):
        v = _run(tape, _slots(size, n_args, values))
        return [v[i] for i in outs]
    return evaluate


def _slots(size: int, n_args: int, values: tuple) -> list:
    """The tape's value slots, the first ``n_args`` filled with ``values`` (as mpmath numbers)."""
    if len(values) != n_args:
        raise TypeError(f"expected {n_args} values, got {len(values)}")
    v = [None] * size
    v[:n_args] = [_mp(x) for x in values]
    return v


def _run(entries, v: list) -> list:
    """Fill the slots of ``entries`` (slot, operation, operand slots), in tape order; returns ``v``."""
    for i, fn, ops in entries:
        v[i] = fn(*[v[j] for j in ops])
    return v


def _mp(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float)):
        return mpmath.mpf(x)
    if isinstance(x, complex):
        return mpmath.mpc(x)
    return x
