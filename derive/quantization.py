r"""Quantization: "Planck's constant" from the chemical potential (KV2021 §4, eqs. (4.1)-(4.8) per a secondary source).

Given the multivaluedness postulate (``multivalued.postulate``: S, like F, gains nμ around a loop, since
log p is single-valued), the wave function :math:`\psi = \sqrt p\,e^{iS/\hbar}` gains the factor
:math:`e^{in\mu/\hbar}`.  It is single-valued around every loop iff :math:`n\mu/\hbar \in 2\pi\mathbb Z`
for all n ∈ ℤ, i.e.

.. math::

    \hbar = \frac{|\mu|}{2\pi k}, \qquad k \in \mathbb Z_+ ,

and k = 1 gives the *largest* ħ (``quantization.largest``; "h = |μ|" is the same statement).  The readings the
available text cannot exclude are variants: a dimensionless phase βF gives :math:`\hbar = \beta|\mu|/2\pi k`;
windings only in dℤ give :math:`\hbar = d|\mu|/2\pi k`.  A vortex :math:`\psi = f(r)e^{in\theta}` in a
2-D slice has circulation :math:`\oint\nabla S\cdot dl = 2\pi n\hbar = n|\mu|/k`.

The API validates its input: a non-integer winding number or k ≤ 0 raises
:class:`~derive.errors.InputError`; μ = 0 gives a verdict that no quantization follows; a negative μ is
a legitimate chemical potential.

>>> quantize(2).hbar
1/pi
>>> quantize(-2, k=2).hbar
1/(2*pi)
>>> quantize(0).quantized
False
>>> circulation(3, mu=2)
6
>>> circulation(0.5, mu=2)
Traceback (most recent call last):
...
derive.errors.InputError: the winding number n must be an integer, got 0.5
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.chain_rule import derivative
from derive.errors import InputError
from derive.grand_canonical import upstream
from derive.algebra import solve_linear
from derive.proof import Condition, Nonzero, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import S, beta, coords, field, hbar, k_branch, mu, n, p

__all__ = ["steps", "quantize", "circulation", "winding_factor", "Quantization", "hbar_of", "d_wind"]

#: windings occur only in d Z (variant)
d_wind = sp.Symbol("d", integer=True, positive=True)
_mup = sp.Symbol("mu_+", positive=True)  # |mu| for the two sign cases mu = +mu_+ and mu = -mu_+
_hbar_beta = sp.Symbol("hbar'", positive=True)  # dimensionless hbar of the beta F phase
_f = sp.Function("f", positive=True)
_r = sp.Symbol("r", positive=True)
_theta = sp.Symbol("theta", real=True)

#: display names of the loop factors (realised by the derivations)
_FACTOR = sp.Symbol("psi(S + n mu)/psi(S)")
_FACTOR_AT = sp.Symbol("psi(S + n mu)/psi(S)|_(hbar = |mu|/(2 pi k))")
_FACTOR_OFF = sp.Symbol("psi(S + mu)/psi(S)|_(hbar = |mu|/(2 pi (k + 1/2)))")
_FACTOR_B = sp.Symbol("psi_beta(S + n mu)/psi_beta(S)|_(hbar' = beta|mu|/(2 pi k))")
_FACTOR_B_WRONG = sp.Symbol("psi_beta(S + mu)/psi_beta(S)|_(hbar' = |mu|/(2 pi k))")
_FACTOR_D = sp.Symbol("psi(S + d n mu)/psi(S)|_(hbar = d|mu|/(2 pi k))")
_S_V = sp.Function("S_vortex", real=True)(_r, _theta)
_CIRC = sp.Symbol("oint grad S . dl")
_HB1, _HBK = sp.Symbol("hbar_1", positive=True), sp.Symbol("hbar_k", positive=True)
_H = sp.Symbol("h", positive=True)

_KV_4 = Source("KV2021", "§4", "eqs. (4.1)-(4.8)", Provenance.SECONDARY,
               "equation numbers from the third-party source pack; 'Planck's constant determined by the chemical "
               "potential of hidden variables' is verbatim (abstract); the formula hbar = |mu|/(2 pi k) is "
               "the package's own reconstruction (quantization.single-valued)")


def _fact(label: str, name: str = "hbar") -> sp.Expr:
    return next(s for s in steps() if s.label == label).fact[name]


def hbar_of(k: sp.Expr = k_branch, d: sp.Expr = 1, phase_beta: bool = False) -> sp.Expr:
    """ħ = d|μ|/(2πk) (β|μ|/(2πk), times d, for the dimensionless phase βF): the facts ``hbar`` of
    ``quantization.windings-d`` and ``quantization.phase-beta`` (tied to their displays)."""
    if phase_beta:
        return d * _fact("quantization.phase-beta").subs(k_branch, k)
    return _fact("quantization.windings-d").subs({d_wind: d, k_branch: k})


# ----------------------------------------------------------------------------- the API

def _integer(value, name: str, positive: bool = False) -> int:
    """``value`` as an int, or InputError naming what is allowed."""
    if isinstance(value, bool):
        raise InputError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, sp.Basic) and value.is_Integer:
        out = int(value)
    elif isinstance(value, (float, numbers.Rational, sp.Basic)) and _finite(value) and float(value).is_integer() \
            and not isinstance(value, sp.Symbol):
        out = int(value)
    else:
        raise InputError(f"{name} must be an integer, got {value!r}")
    if positive and out <= 0:
        raise InputError(f"{name} must be a positive integer (1, 2, 3, ...), got {value!r}")
    return out


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _real(value, name: str) -> sp.Expr:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, sp.Basic)) or \
            (isinstance(value, sp.Basic) and not value.is_number) or not _finite(value):
        raise InputError(f"{name} must be a finite real number, got {value!r}")
    if isinstance(value, numbers.Rational) and not isinstance(value, (float, sp.Basic)):
        return sp.Rational(value.numerator, value.denominator)  # exact, e.g. a Fraction
    return sp.sympify(value)


@dataclass(frozen=True)
class Quantization:
    """The outcome of the quantization condition for a chemical potential μ.

    ``hbar`` is d|μ|/(2πk) (β d|μ|/(2πk) for the phase βF), or ``None`` when μ = 0 (no period: every
    ħ > 0 keeps ψ single-valued, so no quantization follows); ``verdict`` says it in words.
    """

    mu: sp.Expr
    k: int
    d: int
    phase: str
    hbar: sp.Expr | None
    quantized: bool
    verdict: str


def quantize(mu_value, k=1, *, d=1, phase: str = "F", beta_value=None) -> Quantization:
    """ħ from the chemical potential: single-valued ψ around every loop iff ħ = d|μ|/(2πk).

    ``phase`` is "F" (ψ = √p e^{iS/ħ}, ħ an energy) or "beta F" (dimensionless phase, needs ``beta_value``).
    """
    muv = _real(mu_value, "the chemical potential mu")
    kk = _integer(k, "the branch k", positive=True)
    dd = _integer(d, "the winding step d", positive=True)
    if phase not in ("F", "beta F"):
        raise InputError(f"phase must be 'F' or 'beta F', got {phase!r}")
    scale = sp.S.One
    if phase == "beta F":
        if beta_value is None:
            raise InputError("phase 'beta F' needs beta_value > 0 (the inverse temperature of the hidden neurons)")
        scale = _real(beta_value, "beta")
        if not scale > 0:
            raise InputError(f"beta must be > 0, got {beta_value!r}")
    if muv == 0:
        return Quantization(muv, kk, dd, phase, None, False,
                            "mu = 0: the free energy has no period, every hbar > 0 keeps psi single-valued; "
                            "no quantization follows and hbar is not determined by mu")
    hb = hbar_of(kk, dd, phase == "beta F").subs({mu: muv, beta: scale})
    return Quantization(muv, kk, dd, phase, hb, True,
                        f"psi is single-valued around every loop iff hbar = {sp.sstr(hb)} (k = {kk}"
                        + ("; the largest admissible hbar)" if kk == 1 else ")"))


def circulation(winding, mu, k=1, d=1):
    """∮∇S·dl = 2πnħ = n d|μ|/k for a vortex of integer winding n (an energy, the units of μ)."""
    nn = _integer(winding, "the winding number n")
    q = quantize(mu, k, d=d)
    if not q.quantized:
        raise InputError("mu = 0: no quantization, so no quantized circulation (choose mu != 0)")
    return 2 * sp.pi * nn * q.hbar


def winding_factor(winding, mu_value, hbar_value) -> complex:
    """e^{inμ/ħ}: the factor ψ gains around a loop where F gains nμ (1 iff ψ is single-valued)."""
    nn = _integer(winding, "the winding number n")
    muv = _real(mu_value, "the chemical potential mu")
    hb = _real(hbar_value, "hbar")
    if not hb > 0:
        raise InputError(f"hbar must be > 0, got {hbar_value!r}")
    return complex(sp.exp(sp.I * nn * muv / hb).evalf())


# ----------------------------------------------------------------------------- derivations

def _loop_factor(ctx: Context, label: str | None, phase: sp.Expr = sp.S.One, h: sp.Expr = hbar) -> sp.Expr:
    """ψ(S + nμ)/ψ(S) for ψ = √p e^{i·phase·S/h}: ψ read from madelung.schrodinger when present, the
    period nμ from the multivaluedness postulate (S = F − c log p gains what F gains, log p single-valued)."""
    q = coords(2)
    Sq = field(S, q)
    if label:
        psi_expr = ctx[label].statement[1].rhs.subs(hbar, h / phase)
    else:  # pragma: no cover - only while the canonical chain is missing
        psi_expr = sp.sqrt(field(p, q)) * sp.exp(sp.I * phase * Sq / h)
    shift = ctx["multivalued.postulate"].statement[0].rhs  # n mu: the period of F, hence of S
    return psi_expr.subs(Sq, Sq + shift) / psi_expr


def _exponent(factor: sp.Expr) -> sp.Expr:
    """The exponent of a loop factor √p e^{a}·(√p e^{b})⁻¹ = e^{a + b} (a product of exponentials)."""
    return sp.expand(sp.Add(*(e.args[0] for e in sp.Mul.make_args(factor) if isinstance(e, sp.exp))))


def _solve_period(exponent: sp.Expr, h: sp.Expr, k_signed: sp.Expr) -> sp.Expr:
    """h from e^{exponent} = 1 at the smallest winding n = 1: exponent = 2πi k′ (k′ ≠ 0 an integer),
    linear in 1/h."""
    inv = sp.Dummy("inv_h")
    return 1 / solve_linear(sp.Eq(exponent.subs(n, 1).subs(h, 1 / inv), 2 * sp.pi * sp.I * k_signed), inv)


#: the two sign cases of μ: μ = +μ₊ with k′ = k and μ = −μ₊ with k′ = −k (so that ħ = μ/(2πk′) > 0)
_SIGNS = (({mu: _mup}, k_branch), ({mu: -_mup}, -k_branch))


def _d_single(schr):
    def derive(ctx: Context):
        factor = _loop_factor(ctx, schr)
        hb = ctx.step.statement[1].rhs  # the "if" direction: psi at the claimed hbar
        shows = [Show(0, {_FACTOR: factor}), Show("fact:hbar", quantity=hb)]
        for case, k_signed in _SIGNS:
            # only if: e^{i mu/hbar} = 1 (winding n = 1) solved for hbar, in each sign case of mu
            solved = _solve_period(_exponent(factor.subs(case)), hbar, k_signed)
            shows.append(Show(1, {**case, hbar: solved}, name=f"(2) hbar from e^(i mu/hbar) = 1, {case}"))
            # if: at hbar = |mu|/(2 pi k) the factor is 1 for every winding n
            shows.append(Show(2, {_FACTOR_AT: factor.subs(hbar, hb), **case}))
            # not for hbar off the lattice: |mu|/(2 pi (k + 1/2)) gives e^{i pi (2k + 1)} = -1 at n = 1
            off = sp.Abs(mu) / (2 * sp.pi * (k_branch + sp.Rational(1, 2)))
            shows.append(Show(3, {_FACTOR_OFF: factor.subs({hbar: off, n: 1}), **case}))
        return shows
    return derive


def _d_largest(ctx: Context):
    hb = ctx["quantization.single-valued"].rules()[hbar]
    rules = {_HB1: hb.subs(k_branch, 1), _HBK: hb}
    gap = ctx.rewrite(hb.subs(k_branch, 1) - hb, "factor")  # |mu| (k - 1)/(2 pi k): k >= 1
    return [Show(0, rules), Show(1, rules), Show(2, rules, signed=gap), Show("fact:h", rules, quantity=_H)]


def _d_phase_beta(ctx: Context, schr):
    factor = _loop_factor(ctx, schr, beta, _hbar_beta)  # psi = sqrt(p) e^{i beta S/hbar'}
    hb_F = ctx["quantization.single-valued"].rules()[hbar]
    shows = [Show("fact:hbar", quantity=ctx.step.statement[0].rhs)]
    for case, k_signed in _SIGNS:
        solved = _solve_period(_exponent(factor.subs(case)), _hbar_beta, k_signed)
        shows.append(Show(0, {**case, _hbar_beta: solved}, name=f"(1) hbar' from e^(i beta mu/hbar') = 1, {case}"))
        shows.append(Show(1, {_FACTOR_B: factor.subs(_hbar_beta, ctx.step.statement[0].rhs), **case}))
    # the phase beta F read with hbar = |mu|/(2 pi k) of quantization.single-valued: at beta = 1/2, e^{i pi} = -1
    wrong = factor.subs(_hbar_beta, hb_F).subs(n, 1)
    q = coords(2)
    at = {mu: 1, k_branch: 1, beta: sp.Rational(1, 2), S: sp.Lambda((*q, sp.Symbol("t")), 0),
          p: sp.Lambda((*q, sp.Symbol("t")), 1)}
    shows.append(Show(2, {_FACTOR_B_WRONG: wrong}, nonzero=Nonzero(wrong - 1, at)))
    return shows


def _d_windings(ctx: Context):
    single = ctx["quantization.single-valued"].statement[0]  # psi(S + n mu)/psi(S) = e^{i n mu/hbar}
    factor = single.rhs.subs(n, d_wind * n)  # windings d n only
    shows = [Show("fact:hbar", quantity=ctx.step.statement[0].rhs)]
    for case, k_signed in _SIGNS:
        solved = _solve_period(_exponent(factor.subs(case)), hbar, k_signed)
        shows.append(Show(0, {**case, hbar: solved}, name=f"(1) hbar from e^(i d mu/hbar) = 1, {case}"))
        shows.append(Show(1, {_FACTOR_D: factor.subs(hbar, ctx.step.statement[0].rhs), **case}))
    return shows


def _d_vortex(ctx: Context):
    # S read off psi = f(r) e^{i n theta}: grad S = hbar Im(grad psi / psi) (single-valued, unlike arg psi)
    psi_v = _f(_r) * sp.exp(sp.I * n * _theta)
    dS = hbar * sp.im(derivative(psi_v, _theta) / psi_v)
    # circulation on |q| = r: d l = r d theta e_theta and (grad S)_theta = (1/r) d_theta S
    loop = sp.Integral(dS, (_theta, 0, 2 * sp.pi))
    hb = ctx["quantization.single-valued"].rules()[hbar]
    return [Show(0, {sp.Derivative(_S_V, _theta): dS}), Show(1, {_CIRC: loop}), Show(2, {hbar: hb})]


# ----------------------------------------------------------------------------- the steps

_POSTULATE = Condition("the multivaluedness postulate (periods n mu, n in Z)", postulate="multivalued.postulate")
_K_POS = Condition("k a positive integer (branch of the quantization)", holds=sp.Ge(k_branch, 1))
_MU_NZ = Condition("mu != 0 (mu = 0: no period, no quantization)", holds=sp.Ne(mu, 0))
_COND = (_POSTULATE, _K_POS, _MU_NZ)


@cache
def steps() -> tuple[Step, ...]:
    """The quantization steps: ħ = |μ|/(2πk), k = 1 largest, the variants, the vortex."""
    schr = upstream("madelung.schrodinger")
    hb_k = sp.Abs(mu) / (2 * sp.pi * k_branch)
    single = Step(
        label="quantization.single-valued",
        title="ψ = √p e^{iS/ħ} is single-valued around every loop iff ħ = |mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("multivalued.postulate",) + ((schr,) if schr else ()),
        statement=(sp.Eq(_FACTOR, sp.exp(sp.I * n * mu / hbar), evaluate=False),
                   sp.Eq(hbar, hb_k, evaluate=False),
                   sp.Eq(_FACTOR_AT, 1, evaluate=False),
                   sp.Eq(_FACTOR_OFF, -1, evaluate=False)),
        conditions=_COND, source=_KV_4, facts=(("hbar", hb_k),),
        variant=(("phase", "F"), ("winding", "n in Z"), ("k", "any positive integer")),
        transformation=("shift S -> S + n mu in ψ = √p e^{iS/ħ} (log p single-valued); e^{i mu/ħ} = 1 "
                        "(n = 1) solved for ħ: mu/ħ = 2 pi k' with ħ > 0, k' = k sign(mu), checked for "
                        "mu > 0 and mu < 0; at ħ = |mu|/(2 pi k) the factor is 1 for every n; a ħ off the "
                        "lattice gives -1"),
        note=("mu may be negative (a legitimate chemical potential), hence |mu|. " +
              ("" if schr else "Should rest on madelung.schrodinger (ψ), not yet available.")),
        derive=_d_single(schr),
    )
    hb1, hbk, h = _HB1, _HBK, _H
    largest = Step(
        label="quantization.largest", title="k = 1 gives the largest ħ = |mu|/(2 pi), i.e. h = |mu|",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(hb1 - hbk, sp.Abs(mu) * (k_branch - 1) / (2 * sp.pi * k_branch), evaluate=False),
                   sp.Eq(h, sp.Abs(mu), evaluate=False),
                   sp.Ge(hb1, hbk, evaluate=False)),
        given=(sp.Eq(h, 2 * sp.pi * hb1, evaluate=False),),
        facts=(("h", sp.Abs(mu)),),
        conditions=_COND, source=_KV_4, variant=(("phase", "F"), ("winding", "n in Z"), ("k", "1")),
        transformation="subtract ħ_k from ħ_1; (k - 1)/k >= 0 for k >= 1 (signed form |mu|(k - 1)/(2 pi k))",
        note="The reconstruction's 'minimal choice k = 1' refers to k: it gives the largest ħ.",
        derive=_d_largest,
    )
    phase_beta = Step(
        label="quantization.phase-beta", title="Variant: a dimensionless phase beta F gives ħ' = beta|mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("multivalued.postulate", "quantization.single-valued")
        + ((schr,) if schr else ()),
        statement=(sp.Eq(_hbar_beta, beta * sp.Abs(mu) / (2 * sp.pi * k_branch), evaluate=False),
                   sp.Eq(_FACTOR_B, 1, evaluate=False),
                   sp.Ne(_FACTOR_B_WRONG, 1)),
        conditions=_COND, source=_KV_4, variant=(("phase", "beta F"), ("winding", "n in Z"), ("k", "any")),
        facts=(("hbar", beta * sp.Abs(mu) / (2 * sp.pi * k_branch)),),
        transformation=("ψ = √p e^{i beta S/ħ'}; shift S -> S + n mu; e^{i beta mu/ħ'} = 1 solved for "
                        "ħ'; keeping ħ = |mu|/(2 pi k) with the phase beta F leaves ψ multivalued "
                        "(-1 at beta = 1/2, mu = 1, k = 1)"),
        note="Which phase the paper uses (F or beta F) is open; with beta F, ħ' is dimensionless.",
        derive=lambda ctx: _d_phase_beta(ctx, schr),
    )
    windings = Step(
        label="quantization.windings-d", title="Variant: windings only in d Z give ħ = d|mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(hbar, d_wind * sp.Abs(mu) / (2 * sp.pi * k_branch), evaluate=False),
                   sp.Eq(_FACTOR_D, 1, evaluate=False)),
        conditions=_COND + (Condition("only windings n in d Z occur", case=("winding", "n in d Z")),),
        source=_KV_4, facts=(("hbar", d_wind * sp.Abs(mu) / (2 * sp.pi * k_branch)),),
        variant=(("phase", "F"), ("winding", "n in d Z"), ("k", "any")),
        transformation="replace n by d n in e^{i n mu/ħ}; solve e^{i d mu/ħ} = 1 for ħ",
        note="The available text cannot exclude it (KV2021 §4 as reconstructed here).",
        derive=_d_windings,
    )
    vortex = Step(
        label="quantization.vortex",
        title="A vortex ψ = f(r) e^{i n theta} has circulation 2 pi n ħ = n|mu|/k",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(sp.Derivative(_S_V, _theta), n * hbar, evaluate=False),
                   sp.Eq(_CIRC, 2 * sp.pi * n * hbar, evaluate=False),
                   sp.Eq(2 * sp.pi * n * hbar, n * sp.Abs(mu) / k_branch, evaluate=False)),
        conditions=_COND + (Condition("a 2-D slice of q-space, the loop |q| = r around the core",
                                      case=("slice", "2-D, loop |q| = r")),),
        source=Source("KV2021", "§4", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction; cross-checked by the split-step circulation "
                      "(numerics, vortex-circulation)"),
        variant=(("phase", "F"), ("winding", "n in Z"), ("k", "any"), ("slice", "2-D, loop |q| = r")),
        transformation=("grad S = ħ Im(grad ψ/ψ), so d_theta S = n ħ; integrate (1/r) d_theta S r d theta "
                        "on |q| = r; insert ħ = |mu|/(2 pi k)"),
        note="For k = 1 and mu > 0 the circulation is n mu: one neuron's worth of free energy per unit winding; "
             "m oint u . dl = oint grad S . dl = 2 pi n ħ.",
        derive=_d_vortex,
    )
    return (single, largest, phase_beta, windings, vortex)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("quantization")
