r"""Multivaluedness of the free energy: a postulate, and why it cannot be derived (KV2021 §3).

The abstract: "a grand canonical ensemble of neural networks ... to show that the free energy must also
be multivalued. By imposing the multivaluedness condition on the free energy we derive the
Schrödinger equation" [verbatim words].  The package's audit (``multivalued.omega-single-valued``,
``multivalued.bounded-gradient``) finds that the word "imposing" is the accurate one.  So the condition enters here as a **postulate**,

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

The postulate's note cites the verdict of the circulation experiment (``eqnn experiment circulation``),
read from the recorded result ``derive/data/circulation.json`` (written by the lead from
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

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import sympy as sp

from derive.algebra import solve_linear
from derive.chain_rule import derivative, doit
from derive.grand_canonical import F_N, upstream
from derive.notation import Avg, Oint
from derive.proof import Condition, Nonzero, Realise, Show, examples
from derive.records import circulation_records_sentence
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import F, N, T, beta, coords, h_state, mu, n, t

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
_s = sp.Symbol("s", positive=True)  # r = |n mu|/(2 pi B (1 + s)): a circle inside the critical radius
_nw = sp.Symbol("n", integer=True, nonzero=True)  # a nonzero winding (a vortex)
_muw = sp.Symbol("mu", real=True, nonzero=True)  # a nonzero chemical potential
_Fv = sp.Function("F_v", real=True)  # the counter-case free energy n mu theta/2pi


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
        from derive.records import validated

        data = validated(data, where, _REQUIRED)
        return cls(verdict=data["verdict"].strip(), command=data["command"].strip(), seed=data["seed"],
                   n_networks=data["n_networks"], n_steps=data["n_steps"],
                   figures=MappingProxyType(dict(data["figures"])), date=data.get("date", "").strip())

    @property
    def headline(self) -> str:
        """The verdict's first sentence (the experiment's verdict text opens with its outcome)."""
        from derive.records import headline

        return headline(self.verdict)


def read_circulation(path: str | Path | None = None) -> CirculationRecord | None:
    """The recorded circulation result, or ``None`` when it has not been recorded (no file).

    ``path`` defaults to ``derive/data/circulation.json`` (found with :mod:`importlib.resources`, so it
    works from an installed package too).  A file that is present but malformed raises :class:`InputError`.
    """
    from derive.records import load_json

    found = load_json(CIRCULATION_FILE, path)
    return None if found is None else CirculationRecord.from_json(*found)


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


def _circulation(Fexpr: sp.Expr, ctx: Context | None = None) -> sp.Expr:
    """∮ ∇F·dq on the circle |q| = r, as the integral over φ of q = r(cos φ, sin φ) (left unevaluated).

    With ``ctx`` the integrand is reduced (sin² = 1 − cos², cancel) by a recorded, witnessed rewrite.
    """
    integrand = _at_circle(derivative(Fexpr, _q1)) * derivative(_r * sp.cos(_phi), _phi) \
        + _at_circle(derivative(Fexpr, _q2)) * derivative(_r * sp.sin(_phi), _phi)
    if ctx is not None:
        integrand = ctx.rewrite(integrand, lambda e: sp.cancel(_sin2(e)), name="integrand on |q| = r: sin^2 = 1 - cos^2, cancel")
    return sp.Integral(integrand, (_phi, 0, 2 * sp.pi))


def _sin2(e: sp.Expr) -> sp.Expr:
    """sin² φ = 1 − cos² φ (used inside the witnessed rewrite below)."""
    return e.subs(sp.sin(_phi) ** 2, 1 - sp.cos(_phi) ** 2)


def _oint_on(loop):
    """Realise ∮(a dq₁ + b dq₂) (a display :class:`Oint`) as the line integral along ``loop``."""
    dq = sp.symbols("dq_1 dq_2", real=True)

    def then(e):
        def rule(node):
            form = sp.expand(doit(node.args[0]))
            return loop(form.coeff(dq[0]), form.coeff(dq[1]))
        return e.replace(lambda a: isinstance(a, Oint), rule)
    return then


_A1, _B1, _A2, _B2 = sp.symbols("a_1 b_1 a_2 b_2", real=True)


def _rectangle(a, b):
    """∮ a dq₁ + b dq₂ around the rectangle [a₁, b₁] × [a₂, b₂], counter-clockwise (four line integrals)."""
    return (sp.Integral(a.subs(_q2, _A2), (_q1, _A1, _B1)) + sp.Integral(b.subs(_q1, _B1), (_q2, _A2, _B2))
            - sp.Integral(a.subs(_q2, _B2), (_q1, _A1, _B1)) - sp.Integral(b.subs(_q1, _A1), (_q2, _A2, _B2)))


def _circle(ctx):
    def loop(a, b):
        integrand = (_at_circle(a) * derivative(_r * sp.cos(_phi), _phi)
                     + _at_circle(b) * derivative(_r * sp.sin(_phi), _phi))
        reduced = ctx.rewrite(integrand, lambda e: sp.cancel(_sin2(e)), name="integrand on |q| = r: sin^2 = 1 - cos^2, cancel")
        return sp.Integral(reduced, (_phi, 0, 2 * sp.pi))
    return loop


# ----------------------------------------------------------------------------- derivations

def _d_omega(ctx: Context):
    force = ctx["grand.force"].statement  # dOmega/dq_k = <d F_N/dq_k>_GC: the force is a gradient
    gradient = {r.rhs: r.lhs for r in force}
    # (1), (2): the force replaced by the gradient of the single-valued Omega (any C^2 function): its curl is
    # 0 by Clairaut, and around a rectangle the four line integrals of d_k Omega telescope
    shows = [Show(0, gradient), Show(1, Realise(gradient, then=_oint_on(_rectangle)))]
    # (3), (4): the counter-case F_v (the step's given) on the circle |q| = r around the puncture
    n_at = {n: 1, mu: 1}
    shows += [Show(2, where=sp.Ne(_q1 ** 2 + _q2 ** 2, 0)),
              Show(3, Realise({}, then=_oint_on(_circle(ctx))), nonzero=Nonzero(n * mu, n_at))]
    # (5): the counter-case's branch: a quarter turn from the axis theta = 0 (the given F_v at q = (0, 1))
    (fv,) = ctx.step.given
    if not (isinstance(fv.lhs, sp.core.function.AppliedUndef) and fv.lhs.func == _Fv):
        raise ValueError(f"the given defines {fv.lhs}, not F_v(q_1, q_2)")
    profile = sp.Lambda(fv.lhs.args, fv.rhs)
    shows.append(Show(4, Realise({}, then=lambda e: e.replace(_Fv, profile))))
    return shows


def _d_bounded(ctx: Context):
    from derive.canonical import _averages

    K, n_states = 2, 3
    q = (_q1, _q2)
    # (1), (2): d F/d q_1 = <d_1 H> (canonical.force) realised on the microstates, each microstate's
    # gradient bounded as imposed: d_1 h_i = B (a_i - b_i)/(a_i + b_i), a_i, b_i > 0
    force = ctx["canonical.force"].statement[0]
    sums = _averages(ctx, K, n_states)
    bounded = {sp.Derivative(h_state(i)(*q), _q1): _bounded_slope(i) for i in range(1, n_states + 1)}
    Fq = F(_q1, _q2, t)

    def finite(e):
        e = e.xreplace({sp.Derivative(Fq, _q1): force.lhs}).xreplace({force.lhs: force.rhs})
        return doit(sums(e)).xreplace(bounded)
    weights = [sp.exp(-beta * h_state(i)(*q)) for i in range(1, n_states + 1)]
    Zs = sp.Add(*weights)
    a_, b_ = zip(*(_slack(i) for i in range(1, n_states + 1)))
    upper = sp.Add(*(w * 2 * _B * b / (a + b) for w, a, b in zip(weights, a_, b_))) / Zs  # B - <d_1 H>
    lower = sp.Add(*(w * 2 * _B * a / (a + b) for w, a, b in zip(weights, a_, b_))) / Zs  # <d_1 H> + B
    shows = [Show(0, Realise({}, then=finite), signed=upper), Show(1, Realise({}, then=finite), signed=lower)]
    # (3): |grad F| of the minimal multivalued profile with the postulate's period n mu, on |q| = r
    post = ctx["multivalued.postulate"].statement[0]  # oint dF = n mu
    Fv = vortex_free_energy(n, post.rhs / n)
    grad = sp.sqrt(_at_circle(derivative(Fv, _q1) ** 2 + derivative(Fv, _q2) ** 2))
    # cancel, then sin² + cos² = 1 and |μ||n| = |μn|: SymPy's simplify reaches the same form at five times
    # the cost, and imports sympy.physics.units (0.27 s) on its first call in a process
    grad = ctx.rewrite(grad, "cancel", name="|grad F| on |q| = r")
    grad = ctx.rewrite(grad, lambda e: sp.trigsimp(e).subs(sp.Abs(mu) * sp.Abs(n), sp.Abs(mu * n)),
                       name="sin² + cos² = 1, |μ||n| = |μn|")
    shows.append(Show(2, {sp.Symbol("|grad F|"): grad}))
    # (4): on circles with r = |n mu|/(2 pi B (1 + s)), s > 0 (the condition r < |n mu|/(2 pi B)), the ML bound
    # 2 pi r B on |oint| falls short of |n mu|: the gap is |n mu| s/(1 + s) > 0 (n, mu != 0)
    s = _s
    small = {_r: sp.Abs(_nw * _muw) / (2 * sp.pi * _B * (1 + s)), n: _nw, mu: _muw}
    shows.append(Show(3, small, signed=sp.Abs(_nw * _muw) * s / (1 + s)))
    # (5): at a node of psi = r^{|n|} e^{i n theta} g: p = r^{2|n|} |g|^2 in F = S + c log p (madelung.equations)
    shows.append(Show(4, _node(ctx)))
    return shows


def _bounded_slope(i):
    a, b = _slack(i)
    return _B * (a - b) / (a + b)


@cache
def _slack(i):
    return sp.Symbol(f"a_{i}", positive=True), sp.Symbol(f"b_{i}", positive=True)


def _node(ctx):
    S = sp.Function("S", real=True)
    p = sp.Function("p", positive=True)
    if ctx.step.premises and any(x.startswith("madelung.") for x in ctx.step.premises):
        label = next(x for x in ctx.step.premises if x.startswith("madelung."))
        shift = ctx[label].given[0]  # F = c log p + S
        c_m = next(s for s in shift.rhs.free_symbols if s.name == "c")
        F_of = shift.rhs.xreplace({c_m: _c})
    else:  # pragma: no cover - only while the canonical chain is missing
        F_of = _c * sp.log(p(_q1, _q2, t)) + S(_q1, _q2, t)
    atoms = {a.func.__name__: a for a in F_of.atoms(sp.core.function.AppliedUndef)}
    at_node = F_of.xreplace({atoms["p"]: _r ** (2 * sp.Abs(n)) * _G, atoms["S"]: _S0})
    value = ctx.rewrite(at_node - _S0 - _c * sp.log(_G), "expand_log", name="log of the positive product at the node")
    return {sp.Symbol("F - S - c log|g|^2"): value}


def _loop_points():
    return [(sp.Symbol(f"q_{i}1", real=True), sp.Symbol(f"q_{i}2", real=True)) for i in range(_L)]


def _loop_N():
    return [sp.Symbol(f"N_{i}", integer=True, nonnegative=True) for i in range(_L + 1)]


def _quadratic(name: str):
    cs = sp.symbols(f"{name}_1 {name}_2 {name}_11 {name}_12 {name}_22", real=True)
    return cs[0] * _q1 + cs[1] * _q2 + cs[2] * _q1 ** 2 + cs[3] * _q1 * _q2 + cs[4] * _q2 ** 2


def _work(F_of_N, pts, Ns) -> sp.Expr:
    """Σ_i ∫_0^1 ∇F_{N_i}(q_i + s Δ_i)·Δ_i ds along the closed polygon q_0 → q_1 → ... → q_0 (unevaluated)."""
    s = sp.Symbol("s", real=True)
    W = 0
    for i in range(_L):
        a, b = pts[i], pts[(i + 1) % _L]
        delta = (b[0] - a[0], b[1] - a[1])
        Fi = F_of_N(Ns[i])
        at = {_q1: a[0] + s * delta[0], _q2: a[1] + s * delta[1]}
        integrand = derivative(Fi, _q1).subs(at, simultaneous=True) * delta[0] \
            + derivative(Fi, _q2).subs(at, simultaneous=True) * delta[1]
        W += sp.Integral(sp.expand(integrand), (s, 0, 1))
    return W


def _d_loop(ctx: Context):
    pts, Ns = _loop_points(), _loop_N()
    # F_N(q) = -log Z_N/beta, the ensemble's free energy at fixed N (grand.ensemble); N an argument
    f_def = ctx["grand.ensemble"].statement[3]
    Zn = next(iter(f_def.rhs.atoms(sp.core.function.AppliedUndef)))

    def Fgen(k, pt):
        return f_def.rhs.xreplace({Zn: Zn.func(k, *pt)})
    # between events q feels the force of F_{N_i}: W_i is the potential difference at fixed N_i; J the jumps
    W = sum(Fgen(Ns[i], pts[(i + 1) % _L]) - Fgen(Ns[i], pts[i]) for i in range(_L))
    J = sum(Fgen(Ns[i + 1], pts[(i + 1) % _L]) - Fgen(Ns[i], pts[(i + 1) % _L]) for i in range(_L))
    generic = {sp.Symbol("W"): W, sp.Symbol("J"): J, F_N(_NEND, *_Q0): Fgen(Ns[_L], pts[0]),
               F_N(_NSTART, *_Q0): Fgen(Ns[0], pts[0])}
    # decoupled exchanged neurons: F_N(q) = A(q) + B(N); coupled: F_N(q) = A(q) + N e(q) + B(N)
    A, eps_q = _quadratic("a"), _quadratic("e")
    Bf = sp.Function("B", real=True)
    W_dec = _work(lambda k: A + Bf(k), pts, Ns)
    W_cou = _work(lambda k: A + k * eps_q + Bf(k), pts, Ns)
    # the coupled work's rate in the coupling e_1: sum_i N_i (q_{i+1,1} - q_{i,1}), nonzero on the unit square
    # with N = 2, 3, 3, 2 (2 - 3 = -1)
    rate = sp.Add(*(Ns[i] * (pts[(i + 1) % _L][0] - pts[i][0]) for i in range(_L)))
    square = {pts[0][0]: 0, pts[0][1]: 0, pts[1][0]: 1, pts[1][1]: 0, pts[2][0]: 1, pts[2][1]: 1,
              pts[3][0]: 0, pts[3][1]: 1, Ns[0]: 2, Ns[1]: 3, Ns[2]: 3, Ns[3]: 2}
    return [Show(0, generic), Show(1, {sp.Symbol("W_decoupled"): W_dec}),
            Show(2, {sp.Symbol("W_coupled"): W_cou}, nonzero=Nonzero(rate, square))]


_NSTART, _NEND = sp.symbols("N_start N_end", integer=True, nonnegative=True)
_Q0 = sp.symbols("q_01 q_02", real=True)
_NSTAR = sp.Symbol("N^*", integer=True, positive=True)
_VarN = sp.Symbol("Var_N", positive=True)


def _d_curvature(ctx: Context):
    ratio = ctx["grand.ratio"].statement[0]  # T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N)
    poisson = ctx["grand.poisson"].statement[0]  # P_{N+1}/P_N = x/(N+1)
    x = next(iter(poisson.rhs.free_symbols - {N}))
    up = solve_linear(ratio, F_N(N + 1, *_ratio_q(ratio)))  # F_{N+1} = F_N + mu - T log(P_{N+1}/P_N)
    shows = []
    for k in (1, 2, 3):
        # F_{N*+k} - F_{N*} telescoped with the ratio identity solved for F_{N+1}, the Poisson ratio x/(N+1),
        # x = <N> = Var N = 1/epsilon, N* = <N> + delta; then its Taylor polynomial in epsilon to O(epsilon^2)
        gap = 0
        for j in range(k):
            step = up.xreplace({N: _NSTAR + j}) - F_N(_NSTAR + j, *_ratio_q(ratio))
            ratio_P = poisson.rhs.xreplace({N: _NSTAR + j})
            logs = {a: sp.log(ratio_P) for a in step.atoms(sp.log)}
            gap += step.xreplace(logs)
        gap = gap.xreplace({_NSTAR: 1 / _eps + _delta, x: 1 / _eps})
        poly = ctx.series(gap, _eps, 0, 2, name=f"F_(N*+{k}) - F_(N*) in powers of 1/Var N")

        def then(e, k=k, poly=poly):
            e = e.replace(lambda a: isinstance(a, sp.Order), lambda a: sp.S.Zero)
            e = e.xreplace({n: k}).xreplace({F_N(_NSTAR + k): F_N(_NSTAR) + poly})
            return e.xreplace({_VarN: 1 / _eps})
        shows.append(Show(0, Realise({}, then=then), name=f"(1) at n = {k}"))
    return shows


def _ratio_q(ratio):
    f = next(a for a in ratio.rhs.atoms(sp.core.function.AppliedUndef) if a.func == F_N)
    return f.args[1:]


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
                      "formula is the package's own reconstruction of KV2021 §3"),
        assumptions=("F is smooth on Q \\ Sigma, Sigma a codimension-2 set (needs K >= 2 or a periodic parameter)",
                     "the periods of F around Sigma lie in mu Z, n in Z the winding",
                     "p -> 0 on Sigma (there F = S + c log p is singular)",
                     "mu is the chemical potential fixed by the auxiliary subsystem"),
        note=("Imposed, not derived (see multivalued.omega-single-valued, multivalued.bounded-gradient): an input of the argument. Only its consequences "
              "(quantization.*, schrodinger.*, superposition.*) can be checked. "
              + (circulation_records_sentence() + " " if circulation_records_sentence() else "")
              + circulation_sentence(read_circulation())),
    )
    Fv = _Fv(*q)
    omega = Step(
        label="multivalued.omega-single-valued",
        title="Equilibrium exchange gives a single-valued Omega: its force is curl-free, zero circulation",
        kind=Kind.THEOREM, premises=("grand.force",),
        statement=(sp.Eq(sp.Derivative(Avg(sp.Derivative(F_N(N, *q), q[1])), q[0])
                         - sp.Derivative(Avg(sp.Derivative(F_N(N, *q), q[0])), q[1]), 0, evaluate=False),
                   sp.Eq(Oint(Avg(sp.Derivative(F_N(N, *q), q[0])) * dq[0] + Avg(sp.Derivative(F_N(N, *q), q[1])) * dq[1]),
                         0, evaluate=False),
                   sp.Eq(sp.Derivative(Fv, q[0], q[1]) - sp.Derivative(Fv, q[1], q[0]), 0, evaluate=False),
                   sp.Ne(Oint(sp.Derivative(Fv, q[0]) * dq[0] + sp.Derivative(Fv, q[1]) * dq[1]), 0, evaluate=False),
                   sp.Eq(_Fv(0, 1), n * mu / 4, evaluate=False)),
        given=(sp.Eq(Fv, vortex_free_energy(), evaluate=False),),
        source=Source("KV2021", "§3", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: why the multivaluedness of KV2021 §3 does not follow from "
                      "the grand canonical ensemble (grand.force)"),
        transformation=("(1), (2): the force <d_k F_N>_GC replaced by d_k Omega (grand.force), Omega any C^2 "
                        "single-valued function: the curl vanishes (Clairaut) and the four line integrals around a "
                        "rectangle [a_1, b_1] x [a_2, b_2] telescope; (3), (4): the counter-case F_v = n mu theta/2pi: "
                        "curl-free off q = 0, its circulation on |q| = r is n mu (not 0 at n = mu = 1); (5): its value a quarter "
                        "turn from the axis theta = 0"),
        assumptions=("N equilibrates at each q (time-scale separation)", "the loop of (2) is a rectangle on which "
                     "Omega is C^2 (any loop bounding a simply connected region, by Stokes)"),
        note=("The counter-case is curl-free off q = 0 yet has circulation n mu: curl-free is not enough, the "
              "multivaluedness needs a puncture Sigma. " +
              ("" if single else "Should also rest on singlevalued.theorem (canonical chain), not yet available.")),
        derive=_d_omega,
    )
    hq = [h_state(i)(*q) for i in (1, 2, 3)]
    bounded = Step(
        label="multivalued.bounded-gradient",
        title="A finite network has bounded grad F; circulation n mu needs |grad F| ~ |n mu|/(2 pi r) and p -> 0",
        kind=Kind.NEGATIVE,
        premises=("multivalued.postulate", "canonical.ensemble", "canonical.force") + ((madelung,) if madelung else ()),
        statement=(sp.Le(sp.Derivative(Fq, q[0]), _B, evaluate=False),
                   sp.Le(-_B, sp.Derivative(Fq, q[0]), evaluate=False),
                   sp.Eq(sp.Symbol("|grad F|"), sp.Abs(n * mu) / (2 * sp.pi * _r), evaluate=False),
                   sp.Lt(2 * sp.pi * _r * _B, sp.Abs(n * mu), evaluate=False),
                   sp.Eq(sp.Symbol("F - S - c log|g|^2"), 2 * sp.Abs(n) * _c * sp.log(_r), evaluate=False)),
        conditions=tuple(Condition(f"finite network: |d h_{i}/d q_1| < B, written d h_{i}/d q_1 = B (a_{i} - b_{i})/(a_{i} + b_{i}) "
                                   f"with a_{i}, b_{i} > 0",
                                   imposed=sp.Eq(sp.Derivative(hq[i - 1], q[0]), _bounded_slope(i), evaluate=False))
                         for i in (1, 2, 3))
        + (Condition("a vortex on a small circle: n != 0, mu != 0, r < |n mu|/(2 pi B) (line 4 writes "
                     "r = |n mu|/(2 pi B (1 + s)) with s > 0)",
                     holds=sp.And(sp.Lt(_r, sp.Abs(n * mu) / (2 * sp.pi * _B)), sp.Ne(n, 0), sp.Ne(mu, 0))),),
        source=Source("KV2021", "§3", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: the multivaluedness of KV2021 §3 against a finite network"),
        transformation=("(1), (2): d F/d q_1 = <d_1 H> (canonical.force) over the microstates of canonical.ensemble with "
                        "each |d_1 h_i| < B: B -/+ <d_1 H> are averages of the positive 2B b_i/(a_i + b_i), "
                        "2B a_i/(a_i + b_i); (3): gradient of the minimal multivalued profile n mu theta/2pi "
                        "(multivalued.postulate) on |q| = r; (4): by the ML inequality |oint| <= 2 pi r B, on a circle "
                        "r = |n mu|/(2 pi B (1 + s)) the bound falls short of |n mu| by |n mu| s/(1 + s) > 0; "
                        "(5): p = r^{2|n|}|g|^2 at a node of ψ inserted in F = S + c log p (madelung.equations)"),
        assumptions=(f"finite network: {len(hq)} microstates with bounded gradients (the imposed conditions)",),
        note=("For r < |n mu|/(2 pi B) no bounded gradient can carry circulation n mu: the postulate contradicts a "
              "finite network near Sigma, and F diverges like 2|n| c log r there. " +
              ("" if madelung else "The shift c should come from madelung.equations (canonical chain), "
               "not yet available.")),
        derive=_d_bounded, depth=examples("3 microstates with arbitrary smooth energies, K = 2 (lines 1, 2)"),
    )
    loop = Step(
        label="multivalued.driven-loop",
        title="Driven loop with exchange events: W + J = Delta F_book exactly; W = 0 if exchanged neurons are decoupled",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(sp.Symbol("W") + sp.Symbol("J"), F_N(_NEND, *_Q0) - F_N(_NSTART, *_Q0), evaluate=False),
                   sp.Eq(sp.Symbol("W_decoupled"), 0, evaluate=False),
                   sp.Ne(sp.Derivative(sp.Symbol("W_coupled"), sp.Symbol("e_1", real=True)), 0, evaluate=False)),
        source=Source("KV2021", "§3", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction (a holonomy along one history is not a multivalued field); "
                      "cross-checked by the loop-bookkeeping and Jarzynski checks of numerics"),
        transformation=("W = sum over segments of the line integral of grad F_{N_i} (q feels F_N = -log Z_N/beta at "
                        "fixed N between events); J = sum of the jumps F_{N_{i+1}} - F_{N_i} at the events; telescope. "
                        "(3): dW/de_1 = sum_i N_i (q_{i+1,1} - q_{i,1}), -1 on the unit square with N = 2, 3, 3, 2"),
        assumptions=(f"a closed polygon of {_L} segments q_0 -> ... -> q_0 in K = 2, exchange events at the vertices, "
                     "neuron numbers N_0..N_4 arbitrary; N_start = N_0, N_end = N_4",
                     "decoupled: F_N(q) = A(q) + B(N); coupled: F_N(q) = A(q) + N e(q) + B(N), A, e quadratic"),
        note=("If the exchanged neurons do not couple to q the jumps carry all of Delta F_book and W = 0 on every "
              "loop; if they do, W varies continuously with the coupling and is not locked to mu Z. Either way the "
              "circulation felt by q is not quantized in mu: a holonomy along one history is not a multivalued field."),
        derive=_d_loop,
    )
    VarN = _VarN
    E_n = sp.Symbol("E_n")
    curvature = Step(
        label="multivalued.curvature",
        title="F_{N*+n} - F_{N*} = n mu + n^2 T/(2 Var N) + E_n: the book-keeping shift is n mu only to O(T)",
        kind=Kind.APPROXIMATION, premises=("grand.ratio", "grand.poisson"),
        statement=(sp.Eq(F_N(_NSTAR + n) - F_N(_NSTAR), n * mu + n ** 2 * T / (2 * VarN) + E_n, evaluate=False),),
        given=(sp.Eq(E_n, T * n * (2 * _delta + 1) / (2 * VarN) + sp.O(1 / VarN ** 2, (VarN, sp.oo)), evaluate=False),),
        variant=(("factor", "1/N!"),),
        source=Source("KV2021", "§3", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: how far the book-keeping shift of the grand canonical "
                      "ensemble (KV2021 §3) is from n mu"),
        transformation=("telescope the ratio identity from N* to N*+n with the Poisson ratio x/(N+1), x = <N> = Var N; "
                        "N* = <N> + delta; Taylor polynomial in 1/Var N to O(1/Var N^2) (witnessed), n = 1, 2, 3"),
        assumptions=("delta = N* - <N> in (-1, 0] for the Poisson law", "error O(T n^3/Var N^2)"),
        note="The book-keeping shift is not n mu (cf. the loop-bookkeeping cross-check of multivalued.driven-loop).",
        derive=_d_curvature, depth=examples("n = 1, 2, 3 (Poisson law)"),
    )
    return (postulate, omega, bounded, loop, curvature)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("multivalued")
