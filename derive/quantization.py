r"""Quantization: "Planck's constant" from the chemical potential (KV2021 §4, eqs. (4.1)-(4.8) per a secondary source).

Given the multivaluedness postulate (``multivalued.postulate``: S, like F, gains nμ around a loop, since
log p is single-valued), the wave function :math:`\psi = \sqrt p\,e^{iS/\hbar}` gains the factor
:math:`e^{in\mu/\hbar}`.  It is single-valued around every loop iff :math:`n\mu/\hbar \in 2\pi\mathbb Z`
for all n ∈ ℤ, i.e.

.. math::

    \hbar = \frac{|\mu|}{2\pi k}, \qquad k \in \mathbb Z_+ ,

and k = 1 gives the *largest* ħ (referee.md E7; "h = |μ|" is the same statement).  The readings the
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

from derive.errors import InputError
from derive.grand_canonical import upstream
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import S, beta, coords, field, hbar, k_branch, mu, n, p

__all__ = ["steps", "quantize", "circulation", "winding_factor", "Quantization", "hbar_of", "d_wind"]

#: windings occur only in d Z (variant)
d_wind = sp.Symbol("d", integer=True, positive=True)
_mup = sp.Symbol("mu_+", positive=True)  # |mu| for the two sign cases mu = +mu_+ and mu = -mu_+
_hbar_beta = sp.Symbol("hbar'", positive=True)  # dimensionless hbar of the beta F phase
_f = sp.Function("f", positive=True)
_r = sp.Symbol("r", positive=True)
_theta = sp.Symbol("theta", real=True)

_KV_4 = Source("KV2021", "§4", "eqs. (4.1)-(4.8)", Provenance.SECONDARY,
               "equation numbers from the third-party source pack; 'Planck's constant determined by the chemical "
               "potential of hidden variables' is verbatim (abstract); the formula hbar = |mu|/(2 pi k) is "
               "reconstructed (paper-derivation.md Step 12, referee.md E7)")
_COND = ("the multivaluedness postulate multivalued.postulate (periods n mu, n in Z)",
         "k a positive integer (branch of the quantization)",
         "mu != 0 (mu = 0: no period, no quantization)")


def hbar_of(k: sp.Expr = k_branch, d: sp.Expr = 1, phase_beta: bool = False) -> sp.Expr:
    """ħ = d|μ|/(2πk) (times β for the dimensionless phase βF)."""
    return (beta if phase_beta else 1) * d * sp.Abs(mu) / (2 * sp.pi * k)


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
    return sp.nsimplify(value) if isinstance(value, numbers.Rational) and not isinstance(value, float) \
        else sp.sympify(value)


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
    hb = scale * dd * sp.Abs(muv) / (2 * sp.pi * kk)
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

def _psi_factor(ctx: Context, label: str | None):
    """ψ = √p e^{iS/ħ} (from madelung.schrodinger when present) and its factor after S → S + nμ."""
    q = coords(2)
    Sq = field(S, q)
    if label:
        psi_expr = ctx[label].statement[1].rhs
    else:
        psi_expr = sp.sqrt(field(p, q)) * sp.exp(sp.I * Sq / hbar)
    shift = ctx["multivalued.postulate"].statement[0].rhs  # n mu: the period of F, hence of S = F - c log p
    return sp.powsimp(psi_expr.subs(Sq, Sq + shift) / psi_expr)


def _signs(expr: sp.Expr) -> tuple[tuple[str, sp.Expr], ...]:
    return (("mu > 0", expr.subs(mu, _mup)), ("mu < 0", expr.subs(mu, -_mup)))


def _d_single(schr):
    def derive(ctx: Context):
        factor_stmt, hb_stmt = ctx.step.statement
        obs = [Obligation("loop factor of psi", _psi_factor(ctx, schr), factor_stmt.rhs)]
        at = factor_stmt.rhs.subs(hbar, hb_stmt.rhs)
        obs += [Obligation(f"e^(i n mu/hbar) = 1 at hbar = |mu|/(2 pi k), {name}", e, 1) for name, e in _signs(at)]
        # only if: hbar = |mu|/(2 pi (k + 1/2)) is not of the form, and already n = 1 gives -1
        off = factor_stmt.rhs.subs(hbar, sp.Abs(mu) / (2 * sp.pi * (k_branch + sp.Rational(1, 2)))).subs(n, 1)
        obs.append(Obligation("only if: hbar = |mu|/(2 pi (k + 1/2)) leaves psi multivalued", off.subs(mu, _mup), 1,
                              expect_zero=False))
        return obs
    return derive


def _d_largest(ctx: Context):
    hb = ctx["quantization.single-valued"].statement[1].rhs
    gap, h = ctx.step.statement
    return [Obligation("hbar_1 - hbar_k", hb.subs(k_branch, 1) - hb, gap.rhs),
            Obligation("h = 2 pi hbar_1 = |mu|", 2 * sp.pi * hb.subs(k_branch, 1), h.rhs)]


def _d_phase_beta(ctx: Context):
    # the dimensionless phase beta S: psi = sqrt(p) e^{i beta S/hbar'}; S -> S + n mu multiplies by e^{i beta n mu/hbar'}
    q = coords(2)
    Sq = field(S, q)
    shift = ctx["multivalued.postulate"].statement[0].rhs
    psi_b = sp.sqrt(field(p, q)) * sp.exp(sp.I * beta * Sq / _hbar_beta)
    factor = sp.powsimp(psi_b.subs(Sq, Sq + shift) / psi_b)
    hb = ctx.step.statement[0].rhs
    obs = [Obligation(f"e^(i beta n mu/hbar') = 1 at hbar' = beta|mu|/(2 pi k), {name}", e, 1)
           for name, e in _signs(factor.subs(_hbar_beta, hb))]
    # reading the phase as beta F but keeping hbar = |mu|/(2 pi k) (from quantization.single-valued) fails
    hb_F = ctx["quantization.single-valued"].statement[1].rhs
    obs.append(Obligation("phase beta F with hbar = |mu|/(2 pi k): psi multivalued",
                          factor.subs(_hbar_beta, hb_F).subs({mu: _mup, n: 1, k_branch: 1, beta: sp.Rational(1, 2)}),
                          1, expect_zero=False))  # at beta = 1/2 the loop factor is e^{i pi} = -1
    return obs


def _d_windings(ctx: Context):
    factor = ctx["quantization.single-valued"].statement[0].rhs  # e^{i n mu/hbar}
    hb = ctx.step.statement[0].rhs
    return [Obligation(f"e^(i d n mu/hbar) = 1 at hbar = d|mu|/(2 pi k), {name}", e, 1)
            for name, e in _signs(factor.subs(n, d_wind * n).subs(hbar, hb))]


def _d_vortex(ctx: Context):
    from derive.multivalued import _circulation, _q1, _q2

    S_read, circ, quant = ctx.step.statement
    # S read off psi = f(r) e^{i n theta}: S = hbar arg(psi) = hbar Im log(psi)
    psi_v = _f(_r) * sp.exp(sp.I * n * _theta)
    S_v = hbar * sp.im(sp.expand_log(sp.log(psi_v), force=True))
    # circulation of grad S on |q| = r, with theta = atan2(q_2, q_1)
    circ_v = _circulation(S_v.subs(_theta, sp.atan2(_q2, _q1)))
    hb = ctx["quantization.single-valued"].statement[1].rhs
    return [Obligation("S = hbar arg psi", S_v, S_read.rhs),
            Obligation("oint grad S . dl = 2 pi n hbar", circ_v, circ.rhs),
            Obligation("2 pi n hbar = n |mu|/k", circ.rhs.subs(hbar, hb), quant.rhs)]


# ----------------------------------------------------------------------------- the steps

@cache
def steps() -> tuple[Step, ...]:
    """The quantization steps: ħ = |μ|/(2πk), k = 1 largest, the variants, the vortex."""
    schr = upstream("madelung.schrodinger")
    single = Step(
        label="quantization.single-valued",
        title="psi = sqrt(p) e^{iS/hbar} is single-valued around every loop iff hbar = |mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("multivalued.postulate",) + ((schr,) if schr else ()),
        statement=(sp.Eq(sp.Symbol("psi(S + n mu)/psi(S)"), sp.exp(sp.I * n * mu / hbar), evaluate=False),
                   sp.Eq(hbar, sp.Abs(mu) / (2 * sp.pi * k_branch), evaluate=False)),
        conditions=_COND, source=_KV_4,
        variant=(("phase", "F"), ("winding", "n in Z"), ("k", "any positive integer")),
        transformation=("shift S -> S + n mu in psi = sqrt(p) e^{iS/hbar} (log p single-valued); e^{i n mu/hbar} = 1 "
                        "for all n iff mu/hbar in 2 pi Z, checked for mu > 0 and mu < 0; 'only if' by a hbar off the "
                        "lattice"),
        note=("mu may be negative (referee.md r08: mu = -0.4), hence |mu|. " +
              ("" if schr else "Should rest on madelung.schrodinger (psi), not yet available.")),
        derive=_d_single(schr),
    )
    hb1, hbk = sp.Symbol("hbar_1", positive=True), sp.Symbol("hbar_k", positive=True)
    largest = Step(
        label="quantization.largest", title="k = 1 gives the largest hbar = |mu|/(2 pi), i.e. h = |mu|",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(hb1 - hbk, sp.Abs(mu) * (k_branch - 1) / (2 * sp.pi * k_branch), evaluate=False),
                   sp.Eq(sp.Symbol("h"), sp.Abs(mu), evaluate=False)),
        conditions=_COND, source=_KV_4, variant=(("phase", "F"), ("winding", "n in Z"), ("k", "1")),
        transformation="subtract hbar_k from hbar_1; (k - 1)/k >= 0 for k >= 1",
        note="The reconstruction's 'minimal choice k = 1' refers to k: it gives the largest hbar (referee.md E7).",
        derive=_d_largest,
    )
    phase_beta = Step(
        label="quantization.phase-beta", title="Variant: a dimensionless phase beta F gives hbar' = beta|mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("multivalued.postulate", "quantization.single-valued"),
        statement=(sp.Eq(_hbar_beta, beta * sp.Abs(mu) / (2 * sp.pi * k_branch), evaluate=False),),
        conditions=_COND, source=_KV_4, variant=(("phase", "beta F"), ("winding", "n in Z"), ("k", "any")),
        transformation="psi = sqrt(p) e^{i beta S/hbar'}; shift S -> S + n mu",
        note="Which phase the paper uses (F or beta F) is open (referee.md O6); with beta F, hbar' is dimensionless.",
        derive=_d_phase_beta,
    )
    windings = Step(
        label="quantization.windings-d", title="Variant: windings only in d Z give hbar = d|mu|/(2 pi k)",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(hbar, d_wind * sp.Abs(mu) / (2 * sp.pi * k_branch), evaluate=False),),
        conditions=_COND + ("only windings n in d Z occur",), source=_KV_4,
        variant=(("phase", "F"), ("winding", "n in d Z"), ("k", "any")),
        transformation="replace n by d n in e^{i n mu/hbar}",
        note="The available text cannot exclude it (referee.md E7).",
        derive=_d_windings,
    )
    vortex = Step(
        label="quantization.vortex",
        title="A vortex psi = f(r) e^{i n theta} has circulation 2 pi n hbar = n|mu|/k",
        kind=Kind.CONDITIONAL, premises=("quantization.single-valued",),
        statement=(sp.Eq(sp.Symbol("S_vortex"), n * hbar * _theta, evaluate=False),
                   sp.Eq(sp.Symbol("oint grad S . dl"), 2 * sp.pi * n * hbar, evaluate=False),
                   sp.Eq(2 * sp.pi * n * hbar, n * sp.Abs(mu) / k_branch, evaluate=False)),
        conditions=_COND + ("a 2-D slice of q-space, the loop |q| = r around the core",),
        source=Source("KV2021", "§4", "", Provenance.RECONSTRUCTED,
                      "paper-derivation.md §4 item 12; referee.md C7 (split-step: 1.000000 and 2.000000)"),
        variant=(("phase", "F"), ("winding", "n in Z"), ("k", "any")),
        transformation="S = hbar arg psi; integrate grad(n hbar theta) on |q| = r; insert hbar = |mu|/(2 pi k)",
        note="For k = 1 and mu > 0 the circulation is n mu: one neuron's worth of free energy per unit winding; "
             "m oint u . dl = oint grad S . dl = 2 pi n hbar.",
        derive=_d_vortex,
    )
    return (single, largest, phase_beta, windings, vortex)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("quantization")
