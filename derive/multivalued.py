r"""Multivaluedness of the free energy: a postulate, and why it cannot be derived (KV2021 §3).

The abstract: "a grand canonical ensemble of neural networks ... to show that the free energy must also
be multivalued. By imposing the multivaluedness condition on the free energy we derive the
Schrödinger equation" [verbatim words].  The audit (referee.md E6) found that the word "imposing" is
the accurate one.  So the condition enters here as a **postulate**,

.. math::

    F \text{ smooth on } Q\setminus\Sigma,\ \Sigma \text{ of codimension 2}, \qquad
    \oint_C \partial_k F\,dq_k = n\mu,\quad n\in\mathbb Z ,

and beside it the steps that show why it does not follow from a grand canonical ensemble of finite
networks:

* ``multivalued.omega-single-valued`` (theorem): if N equilibrates at each q the force on q is
  :math:`-\gamma\nabla\Omega` with Ω single-valued, so its curl vanishes and
  :math:`\oint\nabla\Omega\cdot dq = 0`; a curl-free but multivalued field (the counter-case
  :math:`n\mu\theta/2\pi`) needs a puncture.
* ``multivalued.bounded-gradient`` (negative result): ∇F = ⟨∂H⟩ is bounded for a finite network,
  while :math:`\oint\nabla F = n\mu \ne 0` on small circles needs :math:`|\nabla F| \ge |n\mu|/2\pi r`,
  and a node of ψ makes :math:`F = S + c\log p` diverge like :math:`2|n|c\log r`.
* ``multivalued.driven-loop`` (identity): along a driven loop with exchange events the work felt
  by q plus the exchange jumps is the book-keeping shift, :math:`W + J = \Delta F_{book}`, exactly;
  :math:`W \equiv 0` when the exchanged neurons do not couple to q, and W is not in μℤ when they do.
* ``multivalued.curvature`` (approximation): :math:`F_{N^*+n} - F_{N^*} = n\mu + n^2T/(2\operatorname{Var}N)
  + E_n`, so the book-keeping shift is nμ only to O(T).

The postulate's note cites the verdict of the circulation experiment (``eqnn experiment circulation``,
referee.md §5), read from the recorded result ``derive/data/circulation.json`` (written by the lead from
a real run; derive does not import numerics).  Its schema is minimal::

    {"verdict": str, "command": str, "seed": int, "n_networks": int, "n_steps": int, "figures": {...},
     "date": str (optional)}

Without the file the note says the experiment has not yet been run.

>>> [s.label for s in steps()][0]
'multivalued.postulate'
>>> circulation_sentence(None)
'Circulation experiment (eqnn experiment circulation): not yet run.'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import sympy as sp

from derive.errors import InputError
from derive.grand_canonical import F_N, realise, upstream
from derive.notation import Oint
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import F, N, T, beta, coords, mu, n, t

__all__ = ["steps", "vortex_free_energy", "CirculationRecord", "read_circulation", "circulation_sentence",
           "CIRCULATION_FILE", "CIRCULATION_COMMAND"]

_q1, _q2 = coords(2)
_r = sp.Symbol("r", positive=True)
_phi = sp.Symbol("phi", real=True)
_B = sp.Symbol("B", positive=True)  # bound on |grad F| for a finite network
_c = sp.Symbol("c", real=True, nonzero=True)  # the Madelung shift F = S + c log p
_G = sp.Symbol("G", positive=True)  # |g|^2 of the smooth non-vanishing factor of psi at a node
_S0 = sp.Symbol("S_0", real=True)
_nu = sp.Symbol("nu", positive=True)  # <N> = Var N (Poisson)
_delta = sp.Symbol("delta", real=True)  # N* - <N>
_eps = sp.Symbol("epsilon", positive=True)  # 1/Var N
_L = 4  # segments of the driven loop


# ----------------------------------------------------------------------------- the recorded experiment

#: the recorded result of the circulation experiment, relative to the package (package data)
CIRCULATION_FILE = "data/circulation.json"
CIRCULATION_COMMAND = "eqnn experiment circulation"
_REQUIRED = {"verdict": str, "command": str, "seed": int, "n_networks": int, "n_steps": int, "figures": dict}


@dataclass(frozen=True)
class CirculationRecord:
    """The recorded verdict of one run of the circulation experiment (``derive/data/circulation.json``)."""

    verdict: str
    command: str
    seed: int
    n_networks: int
    n_steps: int
    figures: Mapping = field(default_factory=dict)
    date: str = ""

    @classmethod
    def from_json(cls, data: object, where: str = "circulation record") -> "CirculationRecord":
        """Validate the minimal schema; a bad record raises :class:`InputError` naming the key."""
        if not isinstance(data, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
        for key, typ in _REQUIRED.items():
            value = data.get(key)
            if not isinstance(value, typ) or isinstance(value, bool):
                raise InputError(f"{where}: {key!r} must be a {typ.__name__}, got {value!r}")
        if not data["verdict"].strip() or not data["command"].strip():
            raise InputError(f"{where}: 'verdict' and 'command' must not be empty")
        if data["n_networks"] < 1 or data["n_steps"] < 1:
            raise InputError(f"{where}: n_networks and n_steps must be >= 1")
        date = data.get("date", "")
        if not isinstance(date, str):
            raise InputError(f"{where}: 'date' must be a string, got {date!r}")
        return cls(verdict=data["verdict"].strip(), command=data["command"].strip(), seed=data["seed"],
                   n_networks=data["n_networks"], n_steps=data["n_steps"],
                   figures=MappingProxyType(dict(data["figures"])), date=date.strip())

    @property
    def headline(self) -> str:
        """The verdict's first sentence (the experiment's verdict text opens with its outcome)."""
        text = " ".join(self.verdict.split())
        cut = text.find(". ")
        return text if cut < 0 else text[:cut + 1]


def read_circulation(path: str | Path | None = None) -> CirculationRecord | None:
    """The recorded circulation result, or ``None`` when it has not been recorded (no file).

    ``path`` defaults to ``derive/data/circulation.json`` (found with :mod:`importlib.resources`, so it
    works from an installed package too).  A file that is present but malformed raises :class:`InputError`.
    """
    if path is None:
        target = resources.files("derive").joinpath(*CIRCULATION_FILE.split("/"))
        where = f"derive/{CIRCULATION_FILE}"
    else:
        target, where = Path(path), str(path)
    if not target.is_file():
        return None
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{where}: not a readable JSON record ({err})") from None
    return CirculationRecord.from_json(data, where)


def circulation_sentence(record: CirculationRecord | None) -> str:
    """One sentence citing the recorded verdict (or saying that the experiment has not yet been run)."""
    if record is None:
        return f"Circulation experiment ({CIRCULATION_COMMAND}): not yet run."
    when = f", {record.date}" if record.date else ""
    return (f"Circulation experiment (`{record.command}`, seed {record.seed}, {record.n_networks} networks x "
            f"{record.n_steps} steps{when}) recorded the verdict: \"{record.headline}\"")


def vortex_free_energy(winding: sp.Expr = n, period: sp.Expr = mu) -> sp.Expr:
    """The angular part n μ θ/2π of a free energy with period nμ around Σ = {q = 0} (K = 2 slice)."""
    return winding * period * sp.atan2(_q2, _q1) / (2 * sp.pi)


def _at_circle(expr: sp.Expr) -> sp.Expr:
    return expr.subs({_q1: _r * sp.cos(_phi), _q2: _r * sp.sin(_phi)}, simultaneous=True)


def _circulation(Fexpr: sp.Expr) -> sp.Expr:
    """∮ ∇F·dq on the circle |q| = r, by parametrising q = r(cos φ, sin φ) and integrating in φ."""
    integrand = _at_circle(sp.diff(Fexpr, _q1)) * sp.diff(_r * sp.cos(_phi), _phi) \
        + _at_circle(sp.diff(Fexpr, _q2)) * sp.diff(_r * sp.sin(_phi), _phi)
    # sin^2 = 1 - cos^2, then cancel: the integrand of a pure winding is constant in phi
    return sp.integrate(sp.cancel(integrand.subs(sp.sin(_phi) ** 2, 1 - sp.cos(_phi) ** 2)), (_phi, 0, 2 * sp.pi))


# ----------------------------------------------------------------------------- derivations

def _d_omega(ctx: Context):
    force = ctx["grand.force"].statement  # dOmega/dq_k = <d F_N/dq_k>_GC
    f1, f2 = realise(force[0].rhs), realise(force[1].rhs)
    curl = sp.diff(f2, _q1) - sp.diff(f1, _q2)
    Fv = vortex_free_energy()
    curl_v = sp.diff(sp.diff(Fv, _q2), _q1) - sp.diff(sp.diff(Fv, _q1), _q2)
    curl_claim, circulation_claim = ctx.step.statement
    # Stokes on the rectangle D = [a_1, b_1] x [a_2, b_2] (simply connected, Omega C^1 on it): the circulation
    # of the force around its boundary is the integral over D of the curl computed above, mixed partials
    # collected (Clairaut)
    a1, b1, a2, b2 = sp.symbols("a_1 b_1 a_2 b_2", real=True)
    stokes = sp.Integral(sp.expand(curl), (_q1, a1, b1), (_q2, a2, b2)).doit()
    return [Obligation("curl of the grand canonical force vanishes", curl, curl_claim.rhs),
            Obligation("Stokes: circulation of the force around a rectangle", stokes, circulation_claim.rhs),
            Obligation("counter-case n mu theta/2pi: curl-free off the puncture", sp.together(curl_v), 0),
            Obligation("counter-case n mu theta/2pi: circulation is not 0", _circulation(Fv), 0,
                       expect_zero=False)]


def _d_bounded(ctx: Context):
    post = ctx["multivalued.postulate"].statement[0]  # oint dF = n mu
    Fv = vortex_free_energy(n, post.rhs / n)
    grad2 = sp.cancel(_at_circle(sp.cancel(sp.diff(Fv, _q1) ** 2 + sp.diff(Fv, _q2) ** 2)).subs(sp.sin(_phi) ** 2, 1 - sp.cos(_phi) ** 2))
    claim_grad = ctx.step.statement[1].rhs  # |grad F| on |q| = r, minimal profile
    # ML inequality: |oint_{|q|=r} grad F . dq| <= 2 pi r sup|grad F| <= 2 pi r B; compare with |n mu|.
    ml = 2 * sp.pi * _r * _B
    # node of psi = r^{|n|} e^{i n theta} g: p = r^{2|n|} |g|^2 and F = S + c log p
    p_node = _r ** (2 * sp.Abs(n)) * _G
    F_node = sp.expand_log(_S0 + _c * sp.log(p_node), force=True) - _S0 - _c * sp.log(_G)
    return [Obligation("|grad(n mu theta/2pi)|^2 = n^2 mu^2/(4 pi^2 r^2)", grad2, claim_grad ** 2),
            Obligation("bounded gradient: 2 pi r B < |n mu| on small circles", ml, sp.Abs(post.rhs),
                       expect_zero=False, domain=((_r, 0.001, 0.05),), where=sp.Ne(n, 0)),
            Obligation("at a node F - S - c log|g|^2 = 2|n| c log r", F_node, ctx.step.statement[2].rhs)]


def _loop_points():
    return [(sp.Symbol(f"q_{i}1", real=True), sp.Symbol(f"q_{i}2", real=True)) for i in range(_L)]


def _loop_N():
    return [sp.Symbol(f"N_{i}", integer=True, nonnegative=True) for i in range(_L + 1)]


def _quadratic(name: str):
    cs = sp.symbols(f"{name}_1 {name}_2 {name}_11 {name}_12 {name}_22", real=True)
    return cs[0] * _q1 + cs[1] * _q2 + cs[2] * _q1 ** 2 + cs[3] * _q1 * _q2 + cs[4] * _q2 ** 2


def _work(F_of_N, pts, Ns) -> sp.Expr:
    """Σ_i ∫_0^1 ∇F_{N_i}(q_i + s Δ_i)·Δ_i ds along the closed polygon q_0 → q_1 → ... → q_0."""
    s = sp.Symbol("s", real=True)
    W = 0
    for i in range(_L):
        a, b = pts[i], pts[(i + 1) % _L]
        delta = (b[0] - a[0], b[1] - a[1])
        Fi = F_of_N(Ns[i])
        at = {_q1: a[0] + s * delta[0], _q2: a[1] + s * delta[1]}
        integrand = sp.diff(Fi, _q1).subs(at, simultaneous=True) * delta[0] \
            + sp.diff(Fi, _q2).subs(at, simultaneous=True) * delta[1]
        antiderivative = sp.Poly(integrand, s).integrate()  # the integrand is a polynomial in s
        W += antiderivative.eval(1) - antiderivative.eval(0)
    return W


def _d_loop(ctx: Context):
    pts, Ns = _loop_points(), _loop_N()
    book = ctx.step.statement[0]  # W + J = Delta F_book
    Fg = sp.Function("F_path", real=True)  # generic F_N(q) along the path, N an argument

    def Fgen(k, pt):
        return Fg(k, *pt)
    # generic: between events q feels the force of F_{N_i}; W_i is the potential difference at fixed N_i
    W = sum(Fgen(Ns[i], pts[(i + 1) % _L]) - Fgen(Ns[i], pts[i]) for i in range(_L))
    J = sum(Fgen(Ns[i + 1], pts[(i + 1) % _L]) - Fgen(Ns[i], pts[(i + 1) % _L]) for i in range(_L))
    claimed = book.rhs.xreplace({F_N(_NEND, *_Q0): Fgen(Ns[_L], pts[0]), F_N(_NSTART, *_Q0): Fgen(Ns[0], pts[0])})
    obs = [Obligation("generic path: W + J = F_{N_end}(q_0) - F_{N_start}(q_0)", W + J, claimed)]
    # decoupled exchanged neurons: F_N(q) = A(q) + B(N); W by line integrals vanishes on the closed loop
    A, eps_q = _quadratic("a"), _quadratic("e")
    Bf = sp.Function("B", real=True)
    W_dec = _work(lambda k: A + Bf(k), pts, Ns)
    obs.append(Obligation("decoupled: W = 0", W_dec, ctx.step.statement[1].rhs))
    # coupled: F_N(q) = A(q) + N e(q) + B(N); W is continuous, generically not in mu Z
    W_cou = _work(lambda k: A + k * eps_q + Bf(k), pts, Ns)
    # W varies continuously with the coupling e_1 (dW/de_1 != 0), so it cannot be locked to mu Z
    e1 = sp.Symbol("e_1", real=True)
    # (at a concrete loop, the unit square with N = 2, 3, 3, 2, 2, so the witness is a number)
    square = {pts[0][0]: 0, pts[0][1]: 0, pts[1][0]: 1, pts[1][1]: 0, pts[2][0]: 1, pts[2][1]: 1,
              pts[3][0]: 0, pts[3][1]: 1, Ns[0]: 2, Ns[1]: 3, Ns[2]: 3, Ns[3]: 2, Ns[4]: 2}
    obs.append(Obligation("coupled: W varies continuously with the coupling (unit square)",
                          sp.diff(W_cou, e1).subs(square), 0, expect_zero=False))
    return obs


_NSTART, _NEND = sp.symbols("N_start N_end", integer=True, nonnegative=True)
_Q0 = sp.symbols("q_01 q_02", real=True)
_NSTAR = sp.Symbol("N^*", integer=True, positive=True)
_VarN = sp.Symbol("Var_N", positive=True)


def _d_curvature(ctx: Context):
    ratio = ctx["grand.ratio"].statement[0]  # T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N)
    poisson = ctx["grand.poisson"].statement[0]  # P_{N+1}/P_N = x/(N+1)
    x = next(iter(poisson.rhs.free_symbols - {N}))
    stmt, err = ctx.step.statement
    obs = []
    log_arg = next(iter(ratio.lhs.atoms(sp.log))).args[0]  # P_{N+1}/P_N
    for nn in (1, 2, 3):
        # F_{N*+n} - F_{N*} - n mu = -sum_j T log(P_{N*+j+1}/P_{N*+j}) (ratio identity, telescoped), with the
        # Poisson ratio x/(N+1), x = <N> = Var N = nu = 1/epsilon and N* = nu + delta.
        gap = 0
        for j in range(nn):
            step_ratio = poisson.rhs.xreplace({N: _NSTAR + j, x: _nu}).subs(_NSTAR, _nu + _delta).subs(_nu, 1 / _eps)
            gap += -ratio.lhs.xreplace({log_arg: sp.cancel(step_ratio)})
        # first-order Taylor coefficient in epsilon = 1/Var N
        first = sp.diff(gap, _eps).subs(_eps, 0)
        approx = stmt.rhs.subs(err.lhs, err.rhs.removeO()) - n * mu  # n^2 T/(2 Var N) + E_n, leading order
        claim = sp.expand((approx * _VarN).subs(n, nn))
        obs.append(Obligation(f"n={nn}: coefficient of 1/Var N", sp.expand(first), claim))
    return obs


# ----------------------------------------------------------------------------- the steps

@cache
def steps() -> tuple[Step, ...]:
    """The multivaluedness postulate and the steps that show why it cannot be derived."""
    q = (_q1, _q2)
    dq = sp.symbols("dq_1 dq_2", real=True)
    Fq = F(*q, t)
    madelung = upstream("madelung.equations")
    single = upstream("singlevalued.theorem")
    postulate = Step(
        label="multivalued.postulate",
        title="Multivaluedness postulate: F smooth on Q minus Sigma with periods in mu Z around codimension-2 Sigma",
        kind=Kind.POSTULATE,
        statement=(sp.Eq(Oint(sp.Derivative(Fq, q[0]) * dq[0] + sp.Derivative(Fq, q[1]) * dq[1]), n * mu,
                         evaluate=False),),
        source=Source("KV2021", "abstract; §3", "", Provenance.RECONSTRUCTED,
                      "'By imposing the multivaluedness condition on the free energy' is verbatim (abstract); the "
                      "formula is reconstructed (paper-derivation.md Step 11, referee.md E6)"),
        assumptions=("F is smooth on Q \\ Sigma, Sigma a codimension-2 set (needs K >= 2 or a periodic parameter)",
                     "the periods of F around Sigma lie in mu Z, n in Z the winding",
                     "p -> 0 on Sigma (there F = S + c log p is singular)",
                     "mu is the chemical potential fixed by the auxiliary subsystem"),
        note=("Imposed, not derived (referee.md E6): an input of the argument. Only its consequences "
              "(quantization.*, schrodinger.*, superposition.*) can be checked. "
              + circulation_sentence(read_circulation())),
    )
    omega = Step(
        label="multivalued.omega-single-valued",
        title="Equilibrium exchange gives a single-valued Omega: its force is curl-free, zero circulation",
        kind=Kind.THEOREM, premises=("grand.force",) + ((single,) if single else ()),
        statement=(sp.Eq(sp.Derivative(sp.Function("Omega", real=True)(beta, mu, *q), q[0], q[1])
                         - sp.Derivative(sp.Function("Omega", real=True)(beta, mu, *q), q[1], q[0]), 0,
                         evaluate=False),
                   sp.Eq(Oint(sp.Derivative(sp.Function("Omega", real=True)(beta, mu, *q), q[0]) * dq[0]
                              + sp.Derivative(sp.Function("Omega", real=True)(beta, mu, *q), q[1]) * dq[1]), 0,
                         evaluate=False)),
        source=Source("referee", "§1 E6(a)", "", Provenance.RECONSTRUCTED),
        transformation=("curl of the premise's force <d_k F_N>_GC, realised as a finite sum over N; Stokes on a "
                        "rectangle [a_1, b_1] x [a_2, b_2] (the integral of that curl); the counter-case "
                        "n mu theta/2pi integrated on |q| = r"),
        assumptions=("N equilibrates at each q (time-scale separation)", "the loop bounds a simply connected region "
                     "on which Omega is C^1"),
        note=("The counter-case is curl-free off q = 0 yet has circulation n mu: curl-free is not enough, the "
              "multivaluedness needs a puncture Sigma. " +
              ("" if single else "Should also rest on singlevalued.theorem (canonical chain), not yet available.")),
        derive=_d_omega,
    )
    bounded = Step(
        label="multivalued.bounded-gradient",
        title="A finite network has bounded grad F; circulation n mu needs |grad F| ~ |n mu|/(2 pi r) and p -> 0",
        kind=Kind.NEGATIVE, premises=("multivalued.postulate", "canonical.force") + ((madelung,) if madelung else ()),
        statement=(sp.Le(sp.Abs(sp.Derivative(Fq, q[0])), _B, evaluate=False),
                   sp.Eq(sp.Symbol("|grad F|"), sp.Abs(n * mu) / (2 * sp.pi * _r), evaluate=False),
                   sp.Eq(sp.Symbol("F - S - c log|g|^2"), 2 * sp.Abs(n) * _c * sp.log(_r), evaluate=False)),
        source=Source("referee", "§1 E6(d)", "", Provenance.RECONSTRUCTED, "r13b: F ~ 2 nu c ln r at a node"),
        transformation=("gradient of the minimal multivalued profile n mu theta/2pi on |q| = r; the ML inequality "
                        "|oint| <= 2 pi r B; p = r^{2|n|}|g|^2 at a node of psi inserted in F = S + c log p"),
        assumptions=("finite network: |d_q H| <= B, so |grad F| = |<d_q H>| <= B (canonical.force: a convex average)",),
        note=("For r < |n mu|/(2 pi B) no bounded gradient can carry circulation n mu: the postulate contradicts a "
              "finite network near Sigma, and F diverges like 2|n| c log r there. " +
              ("" if madelung else "The shift c should come from madelung.equations (canonical chain), "
               "not yet available.")),
        derive=_d_bounded,
    )
    loop = Step(
        label="multivalued.driven-loop",
        title="Driven loop with exchange events: W + J = Delta F_book exactly; W = 0 if exchanged neurons are decoupled",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(sp.Symbol("W") + sp.Symbol("J"), F_N(_NEND, *_Q0) - F_N(_NSTART, *_Q0), evaluate=False),
                   sp.Eq(sp.Symbol("W_decoupled"), 0, evaluate=False)),
        source=Source("referee", "§1 E6(b)", "", Provenance.RECONSTRUCTED, "r11: identity to 1.8e-14"),
        transformation=("W = sum over segments of the line integral of grad F_{N_i} (q feels F_N at fixed N between "
                        "events); J = sum of the jumps F_{N_{i+1}} - F_{N_i} at the events; telescope"),
        assumptions=(f"a closed polygon of {_L} segments q_0 -> ... -> q_0 in K = 2, exchange events at the vertices, "
                     "neuron numbers N_0..N_4 arbitrary",
                     "decoupled: F_N(q) = A(q) + B(N); coupled: F_N(q) = A(q) + N e(q) + B(N), A, e quadratic"),
        note=("If the exchanged neurons do not couple to q the jumps carry all of Delta F_book and W = 0 on every "
              "loop; if they do, W is continuous and not in mu Z. Either way the circulation felt by q is not "
              "quantized in mu (referee.md E6(b), E6(e): a holonomy along one history is not a multivalued field)."),
        derive=_d_loop,
    )
    VarN = _VarN
    curvature = Step(
        label="multivalued.curvature",
        title="F_{N*+n} - F_{N*} = n mu + n^2 T/(2 Var N) + E_n: the book-keeping shift is n mu only to O(T)",
        kind=Kind.APPROXIMATION, premises=("grand.ratio", "grand.poisson"),
        statement=(sp.Eq(F_N(_NSTAR + n) - F_N(_NSTAR), n * mu + n ** 2 * T / (2 * VarN) + sp.Symbol("E_n"),
                         evaluate=False),
                   sp.Eq(sp.Symbol("E_n"), T * n * (2 * _delta + 1) / (2 * VarN) + sp.O(1 / VarN ** 2, (VarN, sp.oo)),
                         evaluate=False)),
        variant=(("factor", "1/N!"),),
        source=Source("referee", "§1 E6(c)", "", Provenance.RECONSTRUCTED),
        transformation=("telescope the ratio identity from N* to N*+n with the Poisson ratio x/(N+1), x = <N> = Var N; "
                        "N* = <N> + delta; first Taylor coefficient in 1/Var N (n = 1, 2, 3)"),
        assumptions=("delta = N* - <N> in (-1, 0] for the Poisson law", "error O(T n^3/Var N^2)"),
        note="In r11 the mean of |Delta F_book/mu - Delta N| is 2.3: the shift is not n mu.",
        derive=_d_curvature,
    )
    return (postulate, omega, bounded, loop, curvature)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("multivalued")
