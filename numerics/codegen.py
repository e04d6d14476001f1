r"""Numerical kernels generated from ``derive``'s verified statements — never retyped by hand.

Each :class:`Kernel` takes an expression out of a ``derive`` step (a statement's side or a fact),
replaces the unknown functions and their derivatives by named array arguments (the *jet*:
``p``, ``p_q1``, ``F_q1q1``, ...), and compiles it with
``sympy.lambdify(..., modules="numpy", cse=True)``.  Kernels are built once (cached) and know the
step they come from.

>>> k = kernel("fp_current_1d")
>>> k.step, k.args
('learning.fokker-planck', ('D', 'F_q1', 'gamma', 'p', 'p_q1'))
>>> round(float(k(D=0.5, F_q1=1.0, gamma=2.0, p=0.3, p_q1=-0.1)), 12)  # J = -γ p ∂F − D ∂p (descent)
-0.55
>>> round(float(k(0.5, 1.0, 2.0, 0.3, -0.1)), 12)                     # positional, in the order of k.args
-0.55

Kernels of your own, from a step or an expression, in any number of trainable variables
(:func:`kernel_from`); every argument is a Python identifier, and inputs are validated (a density
p ≤ 0, a mass m = 0: one :class:`~derive.errors.InputError`):

>>> import sympy as sp
>>> from derive.symbols import coords, field, p
>>> q = coords(3)
>>> lap = kernel_from(sum(sp.Derivative(field(p, q), x, 2) for x in q) / field(p, q), name="lap_over_p")
>>> lap.args
('p', 'p_q1q1', 'p_q2q2', 'p_q3q3')
>>> lap(p=-1.0, p_q1q1=0.0, p_q2q2=0.0, p_q3q3=0.0)
Traceback (most recent call last):
...
derive.errors.InputError: kernel lap_over_p: p must be > 0 (a density), got min -1.0
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

from derive.errors import InputError
from derive.notation import Avg, Cov, Var
from derive.verify import jet_name

__all__ = ["Kernel", "kernel", "kernel_from", "KERNELS", "jet_arguments"]


_jet_name = jet_name


def jet_arguments(expr: sp.Expr) -> tuple[sp.Expr, dict[str, sp.Symbol]]:
    """Replace derivatives of unknown functions, then the functions, by named real symbols."""
    expr = expr.doit()
    derivs = sorted((d for d in expr.atoms(sp.Derivative) if isinstance(d.expr, AppliedUndef)),
                    key=lambda d: -d.derivative_count)
    mapping = {}
    for atom in derivs:
        mapping[atom] = sp.Symbol(_jet_name(atom), real=True)
    expr = expr.xreplace(mapping)
    for atom in expr.atoms(AppliedUndef):
        mapping[atom] = sp.Symbol(_jet_name(atom), real=True)
    expr = expr.xreplace(mapping)
    return expr, {s.name: s for s in mapping.values()}


@dataclass(frozen=True)
class Kernel:
    """A compiled NumPy function of named arguments, generated from one ``derive`` step."""

    name: str
    step: str
    expr: sp.Expr
    args: tuple[str, ...]
    doc: str
    fn: Callable = field(repr=False, compare=False)

    #: arguments that must be > 0 (a density, a temperature, ...) and that must be ≠ 0 (a mass), from
    #: the assumptions of the symbols and functions they stand for
    positive: tuple[str, ...] = ()
    nonzero: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = {s.name for s in self.expr.free_symbols} - set(self.args)
        if missing:
            raise ValueError(f"kernel {self.name}: free symbols {sorted(missing)} are not arguments")
        bad = [a for a in self.args if not a.isidentifier()]
        if bad:
            raise ValueError(f"kernel {self.name}: argument names {bad} are not Python identifiers")

    def __call__(self, *args, **values) -> np.ndarray:
        if args:
            if len(args) > len(self.args):
                raise InputError(f"kernel {self.name} takes {len(self.args)} arguments "
                                 f"({', '.join(self.args)}), got {len(args)} positional")
            twice = sorted(set(self.args[:len(args)]) & set(values))
            if twice:
                raise InputError(f"kernel {self.name}: {', '.join(twice)} given both by position and by name")
            values.update(zip(self.args, args))
        if len(values) != len(self.args) or values.keys() != set(self.args):
            unknown = set(values) - set(self.args)
            absent = set(self.args) - set(values)
            raise InputError(f"kernel {self.name} takes {', '.join(self.args)}; "
                             f"got unknown {sorted(unknown)} / missing {sorted(absent)}")
        for a in self.positive:
            v = values[a]
            low = v if type(v) in (float, int) else np.min(v)  # a scalar parameter: no NumPy call
            if not low > 0:  # also catches NaN
                what = "a density" if a == "p" else "a positive quantity"
                raise InputError(f"kernel {self.name}: {a} must be > 0 ({what}), got min {float(low)!r}")
        for a in self.nonzero:
            v = values[a]
            if not (v != 0 if type(v) in (float, int) else np.all(v != 0)):
                raise InputError(f"kernel {self.name}: {a} must be nonzero (a mass, a multiplier), got 0")
        return self.fn(*(values[a] for a in self.args))


class _ArrayFirstPrinter(NumPyPrinter):
    """NumPy printer that keeps array temporaries to a minimum.

    Scalar factors (parameters and numbers) are multiplied together *before* they meet an array
    (``(-gamma)*F_q1``, one array operation instead of two), and a sum starts with a positive term
    so no array is negated on its own.  Arrays are the jet arguments; parameters are the rest.
    """

    def __init__(self, arrays: set[sp.Symbol], **kw):
        super().__init__(kw)
        self._arrays = arrays

    def _is_scalar(self, e: sp.Expr) -> bool:
        return not (e.free_symbols & self._arrays)

    def _print_Mul(self, expr):  # noqa: N802 - SymPy printer protocol
        scalars = [f for f in expr.args if self._is_scalar(f)]
        arrays = [f for f in expr.args if not self._is_scalar(f)]
        if not scalars or not arrays:
            return super()._print_Mul(expr)
        head = self._print(sp.Mul(*scalars))
        num = [a for a in arrays if not (a.is_Pow and a.exp.is_negative)]
        den = [1 / a for a in arrays if a.is_Pow and a.exp.is_negative]
        tail = "*".join(self.parenthesize(a, PRECEDENCE["Mul"]) for a in num) or "1"
        if den:
            tail += "/" + ("(%s)" % "*".join(self.parenthesize(a, PRECEDENCE["Mul"]) for a in den)
                           if len(den) > 1 else self.parenthesize(den[0], PRECEDENCE["Mul"]))
        return f"({head})*{tail}"

    def _print_Pow(self, expr, rational=False):  # noqa: N802
        if expr.exp == -1 and not self._is_scalar(expr.base):  # 1/p, not p**(-1.0): a division is cheaper
            return "1/" + self.parenthesize(expr.base, PRECEDENCE["Pow"])
        return super()._print_Pow(expr, rational=rational)

    def _print_Add(self, expr, order=None):  # noqa: N802
        terms = sorted(expr.args, key=lambda a: a.could_extract_minus_sign())
        out = self._print(terms[0])
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                out += " - " + self.parenthesize(-term, PRECEDENCE["Add"])
            else:
                out += " + " + self.parenthesize(term, PRECEDENCE["Add"])
        return out


def _compile(name: str, step: str, expr: sp.Expr, doc: str) -> Kernel:
    if not name.isidentifier():
        raise InputError(f"a kernel name must be a Python identifier, got {name!r}")
    # the values of unknown functions declared positive (p) must be > 0; their derivatives may have any sign
    positive_jets = {_jet_name(f) for f in sp.sympify(expr).atoms(AppliedUndef) if f.is_positive is True}
    expr, jets = jet_arguments(expr)
    arrays = set(jets.values()) | {s for s in expr.free_symbols if s.name.startswith("m_")}
    params = sorted(expr.free_symbols - arrays, key=lambda s: s.name)
    if params and isinstance(expr, sp.Add):  # γ(a + b) costs one array product less than γa + γb
        expr = sp.collect(expr, params)
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    replacements, (reduced,) = sp.cse([expr])
    # a shared reciprocal 1/p costs a division plus products: dividing where it is used is cheaper
    inline = {sym: sub for sym, sub in replacements if sub.is_Pow and sub.exp == -1 and sub.base.is_Symbol}
    replacements = [(sym, sub.xreplace(inline)) for sym, sub in replacements if sym not in inline]
    reduced = reduced.xreplace(inline)
    # a common subexpression that involves an array is an array: the printer must know it
    for sym, sub in replacements:
        if sub.free_symbols & arrays:
            arrays.add(sym)
    fn = sp.lambdify(syms, expr, modules="numpy", cse=lambda _: (replacements, reduced),
                     printer=_ArrayFirstPrinter(arrays))
    positive = tuple(s.name for s in syms if s.name in positive_jets or s.is_positive)
    nonzero = tuple(s.name for s in syms if s.name not in positive and s.is_nonzero)
    return Kernel(name, step, expr, tuple(s.name for s in syms), doc, fn, positive, nonzero)


def _step(module: str, label: str, **kw):
    steps = importlib.import_module(f"derive.{module}").steps(**kw)
    return next(s for s in steps if s.label == label)


def _moments(expr: sp.Expr) -> sp.Expr:
    """⟨A⟩ → a symbol m[A] (a sampled mean), Var and Cov by their definitions in such moments."""
    def m(a):
        return sp.Symbol("m_" + _jet_name_expr(a), real=True)

    def rule(e):
        if isinstance(e, Avg):
            return m(e.args[0])
        if isinstance(e, Var):
            return m(e.args[0] ** 2) - m(e.args[0]) ** 2
        a, b = e.args
        return m(a * b) - m(a) * m(b)

    return expr.replace(lambda e: isinstance(e, (Avg, Var, Cov)), rule)


def _jet_name_expr(a: sp.Expr) -> str:
    """An identifier for a moment: ``H_q1*H_q2`` → ``H_q1H_q2``, ``H**2`` → ``H_sq``, ``H**3`` → ``H_pow3``."""
    import re

    jet, _ = jet_arguments(a)
    out = sp.sstr(jet).replace(" ", "")
    out = re.sub(r"\*\*2(?!\d)", "_sq", out)
    out = re.sub(r"\*\*(\d+)", r"_pow\1", out).replace("*", "")
    if not out.isidentifier():
        raise ValueError(f"no identifier for the moment {a}: {out!r}")
    return out


# ------------------------------------------------------------------------------------------ builders

def _fp_current_1d():
    s = _step("learning", "learning.fokker-planck", K=1)
    return _compile("fp_current_1d", s.label, s.fact["J_1"],
                    "probability current J = s gamma p dF - D dp of the Fokker-Planck equation (K = 1)")


def _fp_rhs_1d():
    s = _step("learning", "learning.fokker-planck", K=1)
    return _compile("fp_rhs_1d", s.label, s.statement[0].rhs,
                    "right-hand side of the Fokker-Planck equation d_t p (K = 1)")


def _langevin_drift_1d():
    s = _step("learning", "learning.langevin", K=1)
    return _compile("langevin_drift_1d", s.label, s.fact["b_1"], "Langevin drift b = s gamma dF (K = 1)")


def _stationary_law():
    s = _step("learning", "learning.stationary", K=1)
    return _compile("stationary_law", s.label, s.fact["p_eq"], "unnormalised stationary law exp(s gamma F / D)")


def _entropy_production_1d():
    s = _step("entropy", "entropy.production", K=1)
    return _compile("entropy_production_1d", s.label, s.statement[0].rhs,
                    "entropy-production density D (dp)^2/p + s gamma p d^2F (K = 1)")


def _hessian_from_moments():
    s = _step("canonical", "canonical.hessian", K=2)
    return _compile("hessian_from_moments", s.label, _moments(s.statement[1].rhs),
                    "d^2F/dq_1 dq_2 = <d_1 d_2 H> - beta Cov(d_1 H, d_2 H), from sampled moments")


def _energy_variance_from_moments():
    s = _step("canonical", "canonical.energy-variance", K=1)
    return _compile("energy_variance_from_moments", s.label, _moments(s.statement[0].rhs),
                    "dU/d beta = -Var H, from sampled moments <H>, <H^2>")


def _madelung(index: int):
    s = _step("madelung", "madelung.equations", K=1)
    return s, s.statement[index].lhs


def _quantum_potential_1d():
    s, qhj = _madelung(2)
    hbar_c = next(sym for sym in qhj.free_symbols if sym.name == "hbar_c")
    # the quantum potential is the ħ_c-dependent part of the quantum Hamilton–Jacobi equation
    Q = sp.Add(*(term for term in sp.Add.make_args(qhj) if term.has(hbar_c)))
    return _compile("quantum_potential_1d", s.label, Q,
                    "quantum potential Q = -(hbar_c^2 / 2m) d^2 sqrt(p) / sqrt(p) (K = 1)")


def _madelung_continuity_1d():
    s, cont = _madelung(1)
    return _compile("madelung_continuity_1d", s.label, cont,
                    "continuity residual d_t p + d(p dS/m) of the Madelung pair (K = 1)")


def _madelung_qhj_1d():
    s, qhj = _madelung(2)
    return _compile("madelung_qhj_1d", s.label, qhj,
                    "quantum Hamilton-Jacobi residual d_t S + (dS)^2/2m + V + Q (K = 1)")


KERNELS: dict[str, Callable[[], Kernel]] = {
    "quantum_potential_1d": _quantum_potential_1d,
    "madelung_continuity_1d": _madelung_continuity_1d,
    "madelung_qhj_1d": _madelung_qhj_1d,
    "fp_current_1d": _fp_current_1d,
    "fp_rhs_1d": _fp_rhs_1d,
    "langevin_drift_1d": _langevin_drift_1d,
    "stationary_law": _stationary_law,
    "entropy_production_1d": _entropy_production_1d,
    "hessian_from_moments": _hessian_from_moments,
    "energy_variance_from_moments": _energy_variance_from_moments,
}


@cache
def kernel(name: str) -> Kernel:
    """The kernel ``name`` (built on first use, then cached)."""
    try:
        build = KERNELS[name]
    except KeyError:
        raise InputError(f"unknown kernel {name!r}; known: {', '.join(sorted(KERNELS))}") from None
    return build()


def kernel_from(source, name: str | None = None, relation: int = 0, side: str = "residual",
                fact: str | None = None, doc: str = "") -> Kernel:
    """A kernel of your own: from an expression, or from a step (one side of a displayed relation, its
    residual lhs − rhs, or a fact), in as many trainable variables as the expression has.

    Unknown functions and their derivatives become array arguments named by their jet (``p``,
    ``p_q1``, ``S_q2q3``, ``p_t``); the other symbols are parameters.  Arguments are sorted by name;
    call the kernel by keyword or positionally in the order of :attr:`Kernel.args`.
    """
    from derive.step import Step

    if isinstance(source, Step):
        if fact is not None:
            if fact not in source.fact:
                raise InputError(f"step {source.label} has no fact {fact!r}; facts: {', '.join(source.fact) or 'none'}")
            expr = source.fact[fact]
        else:
            if not isinstance(relation, int) or not 0 <= relation < len(source.statement):
                raise InputError(f"step {source.label} displays {len(source.statement)} relation(s); "
                                 f"relation must be 0..{len(source.statement) - 1}, got {relation!r}")
            rel = source.statement[relation]
            sides = {"lhs": lambda: rel.lhs, "rhs": lambda: rel.rhs, "residual": lambda: rel.lhs - rel.rhs}
            if side not in sides:
                raise InputError(f"side must be lhs, rhs or residual, got {side!r}")
            expr = sides[side]()
        label = source.label
        name = name or (source.label.replace(".", "_").replace("-", "_") + (f"_{fact}" if fact else ""))
    else:
        try:
            expr = sp.sympify(source)
        except (sp.SympifyError, TypeError):
            raise InputError(f"kernel_from takes a derive.Step or a SymPy expression, got {type(source).__name__}") \
                from None
        if not isinstance(expr, sp.Expr):
            raise InputError(f"kernel_from needs an expression, got {type(expr).__name__} (give one side of a relation)")
        label, name = "", name or "kernel"
    return _compile(name, label, _moments(expr), doc or f"generated from {label or 'an expression'}")
