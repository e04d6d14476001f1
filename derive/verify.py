r"""Verdicts and the two witnesses (design.md §3).

For every obligation ``derived - claimed`` of a step:

1. **Symbolic witness.**  ``doit()`` the residual, replace every derivative of an unknown function
   and the function itself by an independent *jet variable* (sound: if the residual vanishes for
   independent jet values it vanishes for every function), then ``expand``, ``cancel(together(.))``
   and, last, ``simplify``.  The first rewrite that reaches 0 is recorded.
2. **Numeric witness**, independent of SymPy's simplifier: the unknown functions
   (p(q,t), F(q,t), V(q,t), h_i(q), ...) are replaced by random concrete test functions (sums of
   sines and a Gaussian bump; ``exp`` of that for positive functions), derivatives are taken
   exactly, and the residual is evaluated with mpmath at seeded random points of the domain the
   symbols' assumptions allow (precision raised when the residual is near the tolerance).
   Unevaluated integrals are evaluated by quadrature, never by ``integrate``.

Statuses: ``verified`` (both witnesses say 0), ``conditional`` (verified, under the step's named
conditions), ``assumed`` (definition or postulate), ``inconclusive`` (SymPy does not reach 0 but the
numbers do, or no admissible point could be found), ``failed`` (the numeric witness finds a nonzero
residual: the counterexample point is reported).  For an obligation that expects a *nonzero* residual
(a negative result), the roles swap: the numeric witness must exhibit a point where it is nonzero.

>>> import sympy as sp
>>> from derive.step import Obligation
>>> x = sp.Symbol("x", positive=True)
>>> symbolic_residual(Obligation("log", sp.log(x**2), 2*sp.log(x)))[0]
0
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from enum import Enum
from typing import Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.step import Context, Obligation, Step

__all__ = [
    "Status", "SymbolicWitness", "NumericWitness", "Verdict", "verify_step",
    "symbolic_residual", "numeric_residuals", "random_function", "TestFunction", "jet_name", "DEFAULT_SEED",
]

DEFAULT_SEED = 20201209  # arXiv:2012.05082 was submitted on 9 December 2020
DEFAULT_POINTS = 5
DEFAULT_DPS = 30


class Status(str, Enum):
    VERIFIED = "verified"
    CONDITIONAL = "conditional"
    ASSUMED = "assumed"
    INCONCLUSIVE = "inconclusive"
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        """Passes: everything but ``failed`` and ``inconclusive``."""
        return self not in (Status.FAILED, Status.INCONCLUSIVE)


@dataclass(frozen=True)
class SymbolicWitness:
    residuals: tuple[str, ...]
    as_expected: bool
    methods: tuple[str, ...]
    seconds: float

    def to_json(self) -> dict:
        residual = "0" if all(r == "0" for r in self.residuals) else "; ".join(self.residuals)
        return {"residual": residual, "residuals": list(self.residuals), "as_expected": self.as_expected,
                "methods": list(self.methods), "seconds": round(self.seconds, 4)}


@dataclass(frozen=True)
class NumericWitness:
    points: int
    max_abs_residual: float
    tolerance: float
    seed: int
    dps: int
    as_expected: bool
    counterexample: tuple[tuple[str, str], ...] | None
    seconds: float
    note: str = ""

    def to_json(self) -> dict:
        return {"points": self.points, "max_abs_residual": self.max_abs_residual,
                "tolerance": self.tolerance, "seed": self.seed, "dps": self.dps,
                "as_expected": self.as_expected,
                "counterexample": dict(self.counterexample) if self.counterexample else None,
                "seconds": round(self.seconds, 4), "note": self.note}


@dataclass(frozen=True)
class Verdict:
    """The outcome of verifying one step, with both witnesses' records."""

    step: Step
    status: Status
    reason: str
    symbolic: SymbolicWitness | None
    numeric: NumericWitness | None
    sympy_version: str
    seconds: float
    cached: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))

    @property
    def label(self) -> str:
        return self.step.label

    def to_json(self) -> dict:
        s = self.step
        return {
            "label": s.label, "title": s.title, "kind": s.kind.value, "status": self.status.value,
            "reason": self.reason, "note": s.note, "premises": list(s.premises), "assumptions": list(s.assumptions),
            "conditions": list(s.conditions), "variant": dict(s.variant), "source": s.source.to_json(),
            "symbolic": self.symbolic.to_json() if self.symbolic else {"residual": None, "seconds": 0.0},
            "numeric": self.numeric.to_json() if self.numeric else
            {"points": 0, "max_abs_residual": None, "tolerance": None},
            "seconds": round(self.seconds, 4), "sympy": self.sympy_version, "cached": self.cached,
        }

    def _repr_latex_(self) -> str:
        """Jupyter: the step's statement with its status and the numeric witness's largest residual."""
        num = "" if self.numeric is None else r",\ \max|r| = %.1e\ (%d\ \text{points})" % (
            self.numeric.max_abs_residual, self.numeric.points)
        return r"$\displaystyle \text{%s}\ [\textbf{%s}%s]:\quad %s$" % (
            self.label, self.status.value, num, self.step.to_latex().replace(r" \\ ", r",\quad "))


# ----------------------------------------------------------------------------- symbolic witness

def _assumed(f: sp.FunctionClass, key: str) -> bool:
    """Whether the unknown function ``f`` was declared with assumption ``key`` (e.g. positive)."""
    return bool(getattr(f, "_kwargs", {}).get(key, False))


def jet_name(atom: sp.Expr) -> str:
    """A readable name for a function or one of its derivatives: ``p``, ``p_q1``, ``F_q1q2``, ``h_1_beta``."""
    f = atom.expr if isinstance(atom, sp.Derivative) else atom
    name = f.func.__name__
    if isinstance(atom, sp.Derivative):
        name += "_" + "".join(str(v).replace("_", "") * c for v, c in atom.variable_count)
    return name


def _jet(expr: sp.Expr) -> sp.Expr:
    """Replace derivatives of unknown functions, then the functions, by independent symbols."""
    derivs = sorted((d for d in expr.atoms(sp.Derivative) if isinstance(d.expr, AppliedUndef)),
                    key=lambda d: -d.derivative_count)
    mapping = {}
    for d in derivs:
        mapping[d] = sp.Dummy(jet_name(d), real=True) if _assumed(d.expr.func, "real") else sp.Dummy(jet_name(d))
    expr = expr.xreplace(mapping)
    funcs = expr.atoms(AppliedUndef)
    fmap = {}
    for f in funcs:
        fmap[f] = sp.Dummy(jet_name(f), **getattr(f.func, "_kwargs", {}))
    return expr.xreplace(fmap)


def symbolic_residual(ob: Obligation, thorough: bool = True) -> tuple[sp.Expr, str]:
    """Reduce ``ob.residual`` toward 0; return (reduced expression, the rewrite that got there).

    ``thorough=False`` stops after ``cancel`` (no ``simplify``, which can run for minutes on a large
    nonzero residual): used once the numeric witness has already refuted the claim.
    """
    derived, claimed = _evaluated(ob)  # shared with the numeric witness: differentiate once
    r = (derived - claimed).doit() if (derived.has(sp.Integral) or claimed.has(sp.Integral)) else derived - claimed
    if r == 0:
        return sp.S.Zero, "doit"
    j = _jet(r)
    rewrites = [("expand", sp.expand), ("cancel", lambda e: sp.cancel(sp.together(sp.expand(e)))),
                ("simplify", sp.simplify)]
    if not (ob.expect_zero and thorough):  # a counterexample is shown numerically; simplify only burns time
        rewrites = rewrites[:2]
    for method, rewrite in rewrites:
        try:
            j = rewrite(j)
        except (NotImplementedError, sp.PolynomialError):  # pragma: no cover - SymPy limits
            continue
        if j == 0:
            return sp.S.Zero, method
    return j, "none"


# ----------------------------------------------------------------------------- numeric witness

def _rational(x: float) -> Fraction:
    return Fraction(int(round(x * 64)), 64)


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
        mpf = lambda r: mpmath.mpf(r.numerator) / r.denominator  # noqa: E731
        out = mpf(self.a0)
        for a, b, phase in self.waves:
            out += mpf(a) * mpmath.sin(mpmath.fsum(mpf(bi) * xi for bi, xi in zip(b, x)) + mpf(phase))
        return out + mpf(self.bump) * mpmath.exp(-mpmath.fsum((xi - mpf(c)) ** 2 for xi, c in zip(x, self.centre)) / 2)

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
        if self.kind == "positive":
            return mpmath.exp(self.parts[0](*x) / 2)
        if self.kind == "real":
            return self.parts[0](*x)
        return self.parts[0](*x) + 1j * self.parts[1](*x)

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


def _sample(sym: sp.Symbol, rng: np.random.Generator, domain: Mapping[sp.Symbol, tuple[float, float]]):
    if sym in domain:
        lo, hi = domain[sym]
        return int(rng.integers(math.ceil(lo), math.floor(hi) + 1)) if sym.is_integer else rng.uniform(lo, hi)
    if sym.is_integer:
        if sym.is_positive:
            return int(rng.integers(1, 5))
        if sym.is_nonnegative:
            return int(rng.integers(0, 9))
        return int(rng.integers(-3, 4))
    if sym.is_positive:
        return rng.uniform(0.4, 2.2)
    if sym.is_nonzero and sym.is_real:
        return rng.choice([-1.0, 1.0]) * rng.uniform(0.4, 2.2)
    if sym.is_real:
        return rng.uniform(-1.5, 1.5)
    return complex(rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5))


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
    return sp.Tuple(ob.derived, ob.claimed).doit(integrals=False)


def numeric_residuals(ob: Obligation, seed: int, points: int = DEFAULT_POINTS, dps: int = DEFAULT_DPS):
    """Evaluate ``ob`` at seeded random points with random test functions.

    Each unknown function is replaced by a random concrete function; its value and derivatives at the
    point (the jet the residual needs) are computed exactly from that function and substituted into
    the residual, which is evaluated with mpmath — no simplification is involved.  Unevaluated
    integrals are evaluated by quadrature.  Returns a list of (point, |derived − claimed|, tolerance) with
    tolerance = 10^(−dps/2) · max(1, |derived|, |claimed|) at the precision used, or ``None`` when no
    point satisfies ``ob.where``.
    """
    rng = np.random.default_rng(seed)
    both = _evaluated(ob)
    if both.has(sp.Integral):  # quadrature is costly: fewer points, 20 digits (tolerance 1e-10)
        points, dps = min(points, 2), min(dps, 20)
    atoms = _jet_atoms(both)
    undefs = sorted({(a.expr if isinstance(a, sp.Derivative) else a).func for a in atoms}, key=str)
    arity = {f: max(len(a.args) for a in both.atoms(AppliedUndef) if a.func == f) for f in undefs}
    funcs = {f: random_function(f, arity[f], rng) for f in undefs}
    # plain symbols with identifier names keep lambdify from re-dummifying a large expression
    jets = [sp.Symbol(f"_jet{i}_") for i in range(len(atoms))]
    jet_expr = both.xreplace(dict(zip(atoms, jets)))
    plans = [_jet_plan(a) for a in atoms]
    syms = sorted((jet_expr.free_symbols - set(jets)) | set().union(*(a.free_symbols for a in atoms))
                  | (ob.where.free_symbols if ob.where is not None else set()), key=str)
    fn = sp.lambdify(syms + jets, list(jet_expr), modules="mpmath", docstring_limit=0)
    # each test function compiled once; its derivatives at the point by mpmath.diff at working precision
    concrete = funcs
    position = {sym: i for i, sym in enumerate(syms)}
    arg_fns = {args: (lambda *v, ix=tuple(position[a] for a in args): [v[i] for i in ix])
               if all(a in position for a in args) else sp.lambdify(syms, list(args), modules="mpmath")
               for _, args, _ in plans}

    def jet_fn(*values):
        out = []
        for f, args, orders in plans:
            at = arg_fns[args](*values)
            out.append(mpmath.diff(concrete[f], at, orders) if any(orders) else concrete[f](*at))
        return out
    where = sp.lambdify(syms, ob.where, modules="mpmath") if ob.where is not None else None
    domain = {s: (lo, hi) for s, lo, hi in ob.domain}

    def evaluate(values):
        args = [mpmath.mpf(v) if isinstance(v, float) else v for v in values]
        d, c = fn(*args, *jet_fn(*args))
        return abs(d - c), max(1, abs(d), abs(c))

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
        if ob.expect_zero and tol < r < 1e6 * tol:  # near the tolerance: raise the precision once
            with mpmath.workdps(2 * dps):
                r, _ = evaluate(values)
        results.append((dict(zip(syms, values)), float(r), tol))
    return results if results else None


# ----------------------------------------------------------------------------- the verdict

def verify_step(step: Step, premises: Mapping[str, Step], seed: int = DEFAULT_SEED,
                points: int = DEFAULT_POINTS, dps: int = DEFAULT_DPS) -> Verdict:
    """Verify ``step`` from its premises with both witnesses (see the module docstring)."""
    t0 = time.perf_counter()
    version = sp.__version__
    if step.kind.is_input:
        return Verdict(step, Status.ASSUMED, f"{step.kind.value}: an input of the argument", None, None,
                       version, time.perf_counter() - t0)
    obligations = tuple(step.derive(Context(step, premises)))
    if not obligations:
        raise ValueError(f"step {step.label!r}: its derivation returned no obligations")

    # the numeric witness first: where it refutes a claim, the symbolic one need not run simplify
    tn = time.perf_counter()
    max_r, tol_max, n_points, counter, num_ok, undecided = 0.0, 0.0, 0, None, [], []
    refuted_numerically, undecided_idx = [], set()
    for i, ob in enumerate(obligations):
        try:
            res = numeric_residuals(ob, seed + i, points, dps)
        except Exception as err:  # a witness that cannot evaluate decides nothing
            res = None
            why = f"{ob.name} ({type(err).__name__}: {str(err).splitlines()[0][:80]})"
        else:
            why = f"{ob.name} (no admissible point)"
        if res is None:
            undecided.append(why)
            undecided_idx.add(i)
            num_ok.append(False)
            refuted_numerically.append(False)
            continue
        n_points += len(res)
        tols = [tol for _, _, tol in res]
        if ob.expect_zero:
            bad = [(pt, r) for (pt, r, _), tol in zip(res, tols) if r > tol]
            max_r = max([max_r] + [r for _, r, _ in res])
            tol_max = max([tol_max] + tols)
            num_ok.append(not bad)
            refuted_numerically.append(bool(bad))
            if bad and counter is None:
                pt, r = bad[0]
                counter = tuple((str(k), repr(v)) for k, v in pt.items()) + (
                    ("obligation", ob.name), ("|residual|", f"{r:.3e}"))
        else:
            good = [(pt, r) for (pt, r, _), tol in zip(res, tols) if r > 1e6 * tol]
            num_ok.append(bool(good))
            refuted_numerically.append(False)
            if good and counter is None:
                pt, r = good[0]
                counter = tuple((str(k), repr(v)) for k, v in pt.items()) + (
                    ("obligation", ob.name), ("|residual|", f"{r:.3e}"))
    numeric = NumericWitness(n_points, max_r, tol_max, seed, dps, all(num_ok), counter,
                             time.perf_counter() - tn,
                             note=("could not evaluate: " + ", ".join(undecided)) if undecided else "")

    ts = time.perf_counter()
    residuals, methods, sym_ok = [], [], []
    for ob, refuted in zip(obligations, refuted_numerically):
        r, method = symbolic_residual(ob, thorough=not refuted)
        residuals.append(sp.sstr(r).replace("_Dummy_", "_"))
        methods.append(method)
        sym_ok.append((r == 0) if ob.expect_zero else (r != 0))
    symbolic = SymbolicWitness(tuple(residuals), all(sym_ok), tuple(methods), time.perf_counter() - ts)

    failed_numeric = [ob.name for i, (ob, ok) in enumerate(zip(obligations, num_ok))
                      if not ok and i not in undecided_idx]
    failed_symbolic = [ob.name for ob, ok in zip(obligations, sym_ok) if not ok]
    if failed_numeric:
        status = Status.FAILED
        reason = "numeric witness contradicts the claim in: " + ", ".join(failed_numeric)
    elif undecided or failed_symbolic:
        status = Status.INCONCLUSIVE
        reason = ("the numeric witness could not evaluate: " + ", ".join(undecided)) if undecided else (
            "SymPy did not reduce the residual as claimed in: " + ", ".join(failed_symbolic)
            + " (the numeric witness agrees with the claim)")
    elif step.conditions:
        status = Status.CONDITIONAL
        reason = "both witnesses agree, under: " + "; ".join(step.conditions)
    else:
        status = Status.VERIFIED
        reason = "both witnesses agree"
    return Verdict(step, status, reason, symbolic, numeric, version, time.perf_counter() - t0)
