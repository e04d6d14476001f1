r"""Derivatives carried out node by node with SymPy's own rules, without its per-node bookkeeping.

The witnesses carry out the derivatives a step displays unevaluated (∂_q of a product, ∇² of a
quotient, ...).  ``sympy.Derivative(e, x).doit()`` builds an evaluated ``Derivative`` at every node of
``e`` — each one collects free symbols, sorts its variables and asks whether its result ``is_zero`` —
so the second derivative of √p e^{S/κ} makes 135 ``Derivative`` nodes and takes about 50 ms.
:func:`derivative` applies the rules SymPy's classes define for the nodes that make up the chain's
expressions, and memoises each (node, variable) pair:

.. math::
    \partial(a_1 + \dots + a_n) = \textstyle\sum_i \partial a_i, \qquad
    \partial(a_1 \cdots a_n) = \textstyle\sum_i a_1 \cdots \partial a_i \cdots a_n, \qquad
    \partial\, b^e = b^e \big(\partial e \, \log b + \partial b \; e / b\big),

and, for a function whose class keeps SymPy's generic rule (``exp``, ``log``, ``sin``, ...),
:math:`\partial f(a_1, \dots, a_n) = \sum_i f_{,i}\, \partial a_i` with :math:`f_{,i}` the class's own
``fdiff(i)``.  The derivative of an unknown function of symbols, or of a derivative of one, is the
unevaluated ``Derivative`` SymPy makes, written directly.  Every other node — an integral, ``Abs``,
``Piecewise``, a class with a rule of its own — is handed to SymPy's ``diff``, as is differentiation
with respect to anything but a symbol.  The result equals SymPy's: of the 185 derivatives the chain
carries out, 161 come out as the same expression and the others in another form of the same function
(SymPy differentiates an n-th power or product n times at once, by Leibniz's formula, and keeps some
factors together); ``tests/derive/test_chain_rule.py`` compares the two at random points on random
expression trees.  The chain's derivatives took 0.6 s this way against 1.3 s by ``doit``, and
verifying the whole chain cold 6.8 % fewer instructions (cachegrind, one process).

:func:`doit` also carries out a ``Subs`` whose variables are unknown functions (p(q, t) ↦ e^{−γF/D}: the
expression is put in, one function after the other as SymPy's ``Subs.doit`` does, and its derivatives are
carried out here) or symbols (the derivatives first, then the point, when no derivative of an unknown
function is left).  :func:`euler_equations` is SymPy's ``euler_equations`` with the partial derivatives
taken with respect to symbols standing for f and its derivatives.  The derivations use these three in
place of ``sp.diff``, ``.doit()`` and SymPy's ``euler_equations``.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> f = sp.Function("f", real=True)(x)
>>> e = sp.sqrt(f) * sp.exp(x**2)
>>> sp.expand(derivative(e, x, 2) - sp.diff(e, x, 2))
0
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef, ArgumentIndexError
from sympy.core.operations import AssocOp

__all__ = ["derivative", "doit", "euler_equations"]


def derivative(expr: sp.Expr, x: sp.Symbol, n: int = 1) -> sp.Expr:
    """∂ⁿ expr / ∂xⁿ, by SymPy's rules node by node (see the module docstring).

    >>> x, y = sp.symbols("x y")
    >>> derivative(x**3 * sp.sin(y * x), x)
    x**3*y*cos(x*y) + 3*x**2*sin(x*y)
    """
    if not isinstance(x, sp.Symbol):
        return sp.diff(expr, x, n)
    memo: dict = {}
    for _ in range(n):
        expr = _d(expr, x, memo)
    return expr


def _generic(e: sp.Basic) -> bool:
    """Whether ``e``'s class differentiates by SymPy's generic rule Σᵢ fdiff(i) ∂aᵢ."""
    return (isinstance(e, sp.Function) and not isinstance(e, AppliedUndef)
            and type(e)._eval_derivative is sp.Function._eval_derivative)


def _unknown(e: sp.Basic) -> bool:
    """Whether ``e`` is an unknown function of distinct symbols, f(q₁, .., t)."""
    return (isinstance(e, AppliedUndef) and all(isinstance(a, sp.Symbol) for a in e.args)
            and len(set(e.args)) == len(e.args))


def _d(e: sp.Basic, x: sp.Symbol, memo: dict) -> sp.Expr:
    out = memo.get(e)
    if out is not None:
        return out
    if x not in e.free_symbols:
        out = sp.S.Zero
    elif e == x:
        out = sp.S.One
    elif isinstance(e, sp.Add):  # Add._eval_derivative
        out = sp.Add(*[_d(a, x, memo) for a in e.args])
    elif isinstance(e, sp.Mul):  # Mul._eval_derivative: term i has the i-th factor differentiated
        args = list(e.args)
        terms = []
        for i, a in enumerate(args):
            da = _d(a, x, memo)
            if da:
                terms.append(sp.Mul(*args[:i], da, *args[i + 1:]))
        out = sp.Add(*terms)
    elif isinstance(e, sp.Pow):  # Pow._eval_derivative
        base, ex = e.args
        out = e * (_d(ex, x, memo) * sp.log(base) + _d(base, x, memo) * ex / base)
    elif _generic(e):  # Function._eval_derivative
        terms = []
        for i, a in enumerate(e.args, 1):
            da = _d(a, x, memo)
            if da.is_zero:
                continue
            try:
                df = e.fdiff(i)
            except ArgumentIndexError:
                df = sp.Function.fdiff(e, i)
            terms.append(df * da)
        out = sp.Add(*terms)
    elif _unknown(e):  # ∂_x f(.., x, ..): SymPy's own node, written directly (diff takes 2 ms to make it)
        out = sp.Derivative(e, x, evaluate=False)
    elif isinstance(e, sp.Derivative) and _unknown(e.expr):  # one more x, in SymPy's order of the variables
        counts = dict(e.variable_count)
        counts[x] = counts.get(x, 0) + 1
        out = sp.Derivative(e.expr, *sp.Derivative._sort_variable_count(list(counts.items())), evaluate=False)
    else:  # integrals, Abs, Piecewise, an unknown function of expressions, ...: SymPy's own rule
        out = sp.diff(e, x)
    memo[e] = out
    return out


def doit(e: sp.Basic) -> sp.Basic:
    """``e.doit(integrals=False)``, each derivative in it carried out once per process, by :func:`derivative`.

    The same derivatives recur across obligations (a premise's displayed sides appear in every step
    that reads it): a third of the time SymPy spends carrying out derivatives in the chain goes to
    ones it has carried out before.  The walk is ``Basic.doit``'s own (rebuild the node from its
    arguments' ``doit``); a derivative node is carried out by :func:`derivative`, its expression first,
    and the result memoised by the node (SymPy's structural equality: same expression, variables and
    assumptions); any other class with a ``doit`` of its own (``Integral``, ``Subs``, ...) gets that
    ``doit``, and so does a derivative in anything but symbols.

    >>> x = sp.Symbol("x")
    >>> f = sp.Function("f")
    >>> doit(sp.Derivative(x**3, x) + sp.Integral(sp.Derivative(f(x), x), x)) == (
    ...     (sp.Derivative(x**3, x) + sp.Integral(sp.Derivative(f(x), x), x)).doit(integrals=False))
    True
    """
    if isinstance(e, sp.Derivative):
        return _derivative_done(e)
    if isinstance(e, sp.Subs) and all(_unknown(v) for v in e.variables):
        # unknown functions replaced by expressions of their variables (p(q, t) -> e^{-γF/D}): their
        # derivatives become the expressions' derivatives, carried out here.  SymPy's Subs.doit carries out
        # the derivatives of the unknown functions first, substitutes, then carries the result out again.
        # One function after the other, as Subs.doit's subs does: F in p's expression is then replaced too.
        expr = e.expr
        for v, point in zip(e.variables, e.point):
            expr = expr.xreplace({v: point})
        return doit(expr)
    if isinstance(e, sp.Subs) and all(isinstance(v, sp.Symbol) for v in e.variables):
        # at a point: the derivatives carried out first, then the variables replaced (one after the other,
        # as Subs.doit does); with a derivative of an unknown function left, SymPy's Subs.doit
        inner = doit(e.expr)
        if not inner.has(sp.Derivative, sp.Subs):
            return doit(inner.subs(list(zip(e.variables, e.point))))
        return e.doit(integrals=False)
    if not e.args:
        return e.doit(integrals=False)
    own = type(e).doit
    if own is sp.Basic.doit:
        return e.func(*[doit(a) if isinstance(a, sp.Basic) else a for a in e.args])
    if own is AssocOp.doit:
        return e.func(*[doit(a) for a in e.args], evaluate=True)
    return e.doit(integrals=False)


@lru_cache(maxsize=4096)
def _derivative_done(d: sp.Derivative) -> sp.Expr:
    """``d.doit(integrals=False)``, the differentiation by :func:`derivative`."""
    if not all(isinstance(v, sp.Symbol) for v, _ in d.variable_count):
        return d.doit(integrals=False)
    out = doit(d.expr)  # inner derivatives first, as Derivative.doit does (deep)
    for v, count in d.variable_count:
        out = derivative(out, v, int(count))
    if any(not isinstance(a.expr, AppliedUndef) for a in out.atoms(sp.Derivative)):
        out = doit(out)  # a derivative left inside (under an integral sign): carried out, as doit does
    return out


def euler_equations(L: sp.Expr, funcs, variables) -> list[sp.Equality]:
    r"""The Euler–Lagrange equations of the density ``L`` for the unknown functions ``funcs`` of
    ``variables``: ``[Eq(E_f, 0) for f in funcs]`` (those not identically satisfied) with

    .. math:: E_f = \sum_\alpha (-D)^\alpha \, \frac{\partial L}{\partial(\partial^\alpha f)},

    the sum over f and each of its derivatives ∂^α f that ``L`` contains, D^α the total derivative.  This is
    SymPy's ``euler_equations`` (same arguments, same equations), with the partial derivatives taken with
    respect to symbols standing for f and its derivatives and the total derivatives by :func:`derivative`:
    SymPy differentiates with respect to a ``Derivative`` through ``Derivative.__new__`` at every node,
    which took 0.25 s on each of the chain's Lagrangians.  ``tests/derive/test_chain_rule.py`` compares
    the two.

    >>> x, t = sp.symbols("x t")
    >>> u = sp.Function("u")(x, t)
    >>> euler_equations(sp.Derivative(u, t)**2 / 2 - sp.Derivative(u, x)**2 / 2, [u], [x, t])
    [Eq(-Derivative(u(x, t), (t, 2)) + Derivative(u(x, t), (x, 2)), 0)]
    """
    funcs, variables = list(funcs), list(variables)
    atoms: dict = {}  # f or ∂^α f -> (f, the variables of α with repetition)
    for f in funcs:
        if not _unknown(f) or set(f.args) - set(variables):
            raise ValueError(f"{f} is not an unknown function of {variables}")
        atoms[f] = (f, ())
    for d in L.atoms(sp.Derivative):
        if d.expr in atoms and atoms[d.expr][1] == ():
            atoms[d] = (d.expr, tuple(v for v, c in d.variable_count for _ in range(int(c))))
    symbol = {a: sp.Dummy() for a in atoms}
    Ls = L.xreplace(symbol)  # top-down: a derivative is replaced whole, before the function inside it
    if any(Ls.has(f) for f in funcs):
        raise ValueError("L contains the functions other than as f and its derivatives")
    back = {s: a for a, s in symbol.items()}
    out = []
    for f in funcs:
        terms = []
        for a, (g, alpha) in atoms.items():
            if g != f:
                continue
            term = derivative(Ls, symbol[a]).xreplace(back)
            for v in alpha:
                term = derivative(term, v)
            terms.append((-1) ** len(alpha) * term)
        eq = sp.Eq(sp.Add(*terms), 0)
        if isinstance(eq, sp.Equality):  # an identically satisfied equation is left out, as SymPy does
            out.append(eq)
    return out
