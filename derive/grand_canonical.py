r"""Grand canonical ensemble of hidden neurons exchanged with an auxiliary subsystem (KV2021 §3).

The abstract says the network is allowed "an exchange of neurons with an auxiliary subsystem"
[verbatim]; the formulas are the standard reconstruction (the package's own, KV2021 §3):

.. math::

    \Xi(\beta,\mu,q) = \sum_N e^{\beta\mu N} Z_N(\beta,q), \qquad
    \Omega = -\beta^{-1}\log\Xi, \qquad
    P(N|q) = \frac{e^{\beta(\mu N - F_N(q))}}{\Xi}, \qquad F_N = -\beta^{-1}\log Z_N ,

    \langle N\rangle = -\partial_\mu\Omega, \qquad
    \operatorname{Var} N = -\beta^{-1}\partial_\mu^2\Omega = \beta^{-1}\partial_\mu\langle N\rangle, \qquad
    \partial_{q_k}\Omega = \langle \partial_{q_k} F_N\rangle_{GC},

    T\log\frac{P_{N+1}}{P_N} = \mu - (F_{N+1} - F_N)\ \text{for every } N, \qquad
    F_{N^*} - F_{N^*-1} \le \mu \le F_{N^*+1} - F_{N^*}\ \text{at the mode } N^* .

The last pair replaces the reading "μ ≃ F_{N+1} − F_N at the most probable N" (``grand.mode``).

*Which F.*  Here :math:`F_N` always *includes* the counting term :math:`-T\log g_N` (for labelled
neurons :math:`g_N = C(M,N)`), and :math:`F^{set}_N` is the free energy of one given set of N neurons.
(``numerics.crosscheck_checks`` writes the same pair the other way round: its ``Ftilde_N`` is our
:math:`F_N`.)

**Representation.**  N runs over 0..N_max (default ``N_max = 2``) with
:math:`Z_N = g_N e^{-\beta F^{set}_N(q)}`: :math:`F^{set}_N(q)` is an arbitrary smooth real function of
``K = 2`` trainable variables for each N (the free energy of one given set of N neurons) and
:math:`g_N > 0` an arbitrary combinatorial factor, so :math:`F_N = F^{set}_N - T\log g_N` is the
free energy that *includes* the counting of which neurons are active (the "labelled" F).  The
general identities hold for every :math:`g_N`; the three modelling choices 1/N! (Poisson),
C(M,N) (binomial) and none (geometric) are the variants ``grand.poisson``, ``grand.binomial``,
``grand.geometric``, and ``grand.labelled`` shows what goes wrong with the F that omits
:math:`-T\log g_N`.

>>> from derive.grand_canonical import steps
>>> [s.label for s in steps()][:3]
['grand.ensemble', 'grand.mean-number', 'grand.number-variance']

Run ``python -m derive.grand_canonical`` to print the steps with their verdicts.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache

import sympy as sp

from derive.notation import Avg, Var
from derive.algebra import solve_linear
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import N, T, beta, coords, mu

__all__ = ["steps", "upstream", "upstream_fact", "realise", "N_MAX", "F_N", "F_set", "P_N", "Xi", "Omega", "factor", "g_factor"]

N_MAX = 2
K_DEFAULT = 2

#: F_N(q): free energy of the network with N active neurons, counting included (display object)
F_N = sp.Function("F_N", real=True)
#: F^set_N(q): free energy of one given set of N neurons (the realisation's unknown function)
F_set = sp.Function("F^set_N", real=True)


@cache
def F_state(j: int) -> sp.FunctionClass:
    """F_set_j(q): the realisation's unknown free energy of one given set of j neurons (one function per j)."""
    return sp.Function(f"F^set_{j}", real=True)


#: P(N|q), Ξ, Ω as display objects
P_N = sp.Function("P", positive=True)
Xi = sp.Function("Xi", positive=True)
Omega = sp.Function("Omega", real=True)

_M = sp.Symbol("M", integer=True, positive=True)  # number of neuron slots (binomial variant)
_z = sp.Symbol("z", positive=True)  # single-neuron partition function at fixed q (non-interacting toy)
_x = sp.Symbol("x", positive=True)  # fugacity times z: x = e^{βμ} z
_a = sp.Symbol("a", nonnegative=True)  # slack at the mode: P_{N*+1}/P_{N*} = e^{-βa}
_b = sp.Symbol("b", nonnegative=True)  # slack at the mode: P_{N*-1}/P_{N*} = e^{-βb}
_NSTAR = sp.Symbol("N^*", integer=True, positive=True)

_KV_3 = Source("KV2021", "§3", "eq. (3.7)", Provenance.SECONDARY,
               "equation number from the third-party source pack; the formulas are the standard grand "
               "canonical reconstruction (see grand.ensemble), the body text was not available")
_SRC_OWN = Source("KV2021", "§3", "", Provenance.RECONSTRUCTED,
                  "the package's own reconstruction: an exact replacement of 'mu ~ F_{N+1} - F_N at the most "
                  "probable N' (the grand canonical ensemble of KV2021 §3, grand.ensemble)")


def g_factor(j: int) -> sp.Symbol:
    """g_j > 0: the generic combinatorial factor of the N = j term."""
    return sp.Symbol(f"g_{j}", positive=True)


factor = g_factor  # the public name (kept)


def _terms(K: int, n_max: int):
    """Per N = j: (F_j total, unnormalised weight e^{β(μj − F_j)}), with Z_j = g_j e^{−β F_set_j}."""
    q = coords(K)
    out = []
    for j in range(n_max + 1):
        Ft = F_state(j)(*q)
        F_total = Ft - sp.log(g_factor(j)) / beta
        out.append((F_total, g_factor(j) * sp.exp(beta * (mu * j - Ft))))
    return tuple(out)


def realise(expr: sp.Expr, K: int = K_DEFAULT, n_max: int = N_MAX) -> sp.Expr:
    """Turn ⟨·⟩_GC, Var_GC, P(N|q), F_N(q) and T into explicit finite sums over N = 0..n_max.

    ⟨A(N, F_N)⟩_GC = Σ_j A(j, F_j) w_j / Σ_j w_j with w_j = g_j e^{β(μ j − F_set_j)}, F_j = F_set_j − T log g_j.
    """
    q = coords(K)
    terms = _terms(K, n_max)
    Z = sp.Add(*(w for _, w in terms))

    def at(a: sp.Expr, j: int) -> sp.Expr:
        a = a.xreplace({N: sp.Integer(j)})
        return a.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func == F_N,
                         lambda e: terms[int(e.args[0])][0] if e.args[0].is_Integer else e).doit()

    def avg(a: sp.Expr) -> sp.Expr:
        return sp.Add(*(at(a, j) * w for j, (_, w) in enumerate(terms))) / Z

    def rule(e: sp.Expr) -> sp.Expr:
        if isinstance(e, Avg):
            return avg(e.args[0])
        if isinstance(e, Var):
            return avg(e.args[0] ** 2) - avg(e.args[0]) ** 2
        return e

    out = expr.replace(lambda e: isinstance(e, (Avg, Var)), rule)
    out = out.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func == F_N
                      and e.args[0].is_Integer, lambda e: terms[int(e.args[0])][0])
    out = out.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func == P_N
                      and e.args[0].is_Integer, lambda e: terms[int(e.args[0])][1] / Z)
    return out.subs(T, 1 / beta)


def upstream(label: str) -> str | None:
    """``label`` if the canonical chain provides that step now, else ``None``.

    The grand canonical chain rests on steps of the canonical chain (madelung.*, equilibrium.*, ...)
    written concurrently; a premise is listed only when its module is registered in
    :data:`derive.contents.CONTENTS` (or injected as a stand-in with ``STANDIN = True``) and lists the
    label, so the derivation never rests on an unknown step.  Steps without it say in their note which
    step they should rest on.
    """
    module = label.split(".", 1)[0]
    from derive.contents import CONTENTS

    registered = any(module in s.modules for s in CONTENTS)
    injected = getattr(sys.modules.get(f"derive.{module}"), "STANDIN", False)
    if not (registered or injected):
        return None
    try:
        mod = importlib.import_module(f"derive.{module}")
        return label if any(s.label == label for s in mod.steps()) else None
    except ImportError:
        return None


def upstream_fact(label: str | None, ctx: Context, name: str, fallback: sp.Expr) -> sp.Expr:
    """The fact ``name`` of premise ``label`` if present, else the locally typed ``fallback``."""
    if label is not None and label in ctx.step.premises:
        return ctx[label].fact.get(name, fallback)
    return fallback


# ----------------------------------------------------------------------------- derivations

def _Z_N():
    return sp.Function("Z_N", positive=True)


def _model(K: int, n_max: int) -> dict:
    """The representation: Z_N(j, q) = g_j e^{−β F^set_j(q)} for j = 0..n_max (no more neurons: Z_N = 0 beyond)."""
    q = coords(K)
    return {_Z_N()(sp.Integer(j), *q): g_factor(j) * sp.exp(-beta * F_state(j)(*q)) for j in range(n_max + 1)}


def _finite_sums(n_max: int):
    """Σ_{N=0}^{∞} ↦ the finite sum over N = 0..n_max (the representation has n_max + 1 neuron numbers)."""
    def then(e: sp.Expr) -> sp.Expr:
        return e.replace(lambda a: isinstance(a, sp.Sum) and a.limits[0][0] == N,
                         lambda a: sp.Add(*(a.function.xreplace({N: sp.Integer(j)}) for j in range(n_max + 1))))
    return then


def _ensemble(ctx: Context, K: int, n_max: int) -> Realise:
    """The grand canonical ensemble's meaning, read from its display and facts: Ω, Ξ by the facts,
    P(j|q) = e^{β(μ j − F_j)}/Ξ, F_j by the facts, ⟨·⟩_GC and Var_GC as sums over j weighted by that P."""
    q = coords(K)
    ens = ctx["grand.ensemble"]
    fact = ens.fact
    p_def = ens.statement[2]  # P(N|q) = e^{β(μN − F_N)}/Ξ
    Fj = {F_N(sp.Integer(j), *q): fact[f"F_{j}"] for j in range(n_max + 1)}
    Pj = {P_N(sp.Integer(j), *q): p_def.rhs.xreplace({N: sp.Integer(j)}) for j in range(n_max + 1)}
    base = {Omega(beta, mu, *q): fact["Omega"], Xi(beta, mu, *q): fact["Xi"]}

    def sums(e: sp.Expr) -> sp.Expr:
        def avg(a):
            return sp.Add(*((a.xreplace({N: sp.Integer(j)}) * P_N(sp.Integer(j), *q)) for j in range(n_max + 1)))

        def rule(node):
            if isinstance(node, Avg):
                return avg(node.args[0])
            return avg(node.args[0] ** 2) - avg(node.args[0]) ** 2  # Var
        e = e.replace(lambda a: isinstance(a, (Avg, Var)), rule)
        return e.xreplace(Pj).xreplace(Fj).xreplace(base)

    return Realise(base, then=sums)


def _d_ensemble(K, n_max):
    def derive(ctx: Context):
        q = coords(K)
        xi_def, om_def, _, _ = ctx.step.statement
        # Ξ and Ω from the display, the sum over N finite in the representation
        own = Realise({om_def.lhs: om_def.rhs, xi_def.lhs: xi_def.rhs}, then=lambda e: _finite_sums(n_max)(e).xreplace(_model(K, n_max)))
        # F_j: the canonical free energy −β⁻¹ log Z of the network with j active neurons (canonical.ensemble)
        f_can = ctx["canonical.ensemble"].statement[2]  # F = −log Z/β
        Zc = next(iter(f_can.rhs.atoms(sp.core.function.AppliedUndef)))
        shows = [Show("fact:Xi", own, quantity=Xi(beta, mu, *q)), Show("fact:Omega", own, quantity=Omega(beta, mu, *q))]
        for j in range(n_max + 1):
            Fj = f_can.rhs.xreplace({Zc: _Z_N()(sp.Integer(j), *q)})
            shows.append(Show(f"fact:F_{j}", Realise({F_N(sp.Integer(j), *q): Fj}, then=lambda e: e.xreplace(_model(K, n_max))),
                              quantity=F_N(sp.Integer(j), *q)))
        return shows
    return derive


def _d_mean(K, n_max):
    def derive(ctx: Context):
        return [Show(0, _ensemble(ctx, K, n_max))]
    return derive


def _d_variance(K, n_max):
    def derive(ctx: Context):
        sums = _ensemble(ctx, K, n_max)
        mean = ctx["grand.mean-number"].statement[0]  # −∂Ω/∂μ = ⟨N⟩: ⟨N⟩ ↦ −∂Ω/∂μ
        return [Show(0, sums), Show(1, sums.after(Realise({mean.rhs: mean.lhs})))]
    return derive


def _d_force(K, n_max):
    def derive(ctx: Context):
        return [Show(k, _ensemble(ctx, K, n_max)) for k in range(K)]
    return derive


def _d_ratio(K):
    def derive(ctx: Context):
        # P(N|q) = e^{β(μN − F_N)}/Ξ from the ensemble's display, at N and N + 1 (N symbolic: every N)
        q = coords(K)
        p_def = ctx["grand.ensemble"].statement[2]
        rules = {P_N(N + 1, *q): p_def.rhs.xreplace({N: N + 1}), P_N(N, *q): p_def.rhs}
        return [Show(0, rules)]
    return derive


def _d_mode(K):
    def derive(ctx: Context):
        q = coords(K)
        Ns = _NSTAR
        view = ctx["grand.ratio"]
        notation = {g.lhs: g.rhs for g in view.given}  # T = 1/β
        ratio = view.statement[0].xreplace(notation)
        up, down = ratio.xreplace({N: Ns}), ratio.xreplace({N: Ns - 1})
        # the premise at N = N* and N = N* − 1: constraints that vanish (the two exact gaps)
        res_up, res_down = up.lhs - up.rhs, down.lhs - down.rhs
        # the premise solved for the neighbouring F's (it is linear in them)
        solved = {F_N(Ns + 1, *q): solve_linear(up, F_N(Ns + 1, *q)),
                  F_N(Ns - 1, *q): solve_linear(down, F_N(Ns - 1, *q))}
        # at a mode: P_{N*±1} = P_{N*} e^{−β(slack)}, slacks a, b ≥ 0 (the imposed conditions)
        at_mode = Realise(solved, then=lambda e: e.xreplace({c.imposed.lhs: c.imposed.rhs for c in ctx.step.conditions
                                                             if c.imposed is not None}))
        # the Poisson toy Z_N = z^N/N! (Z_N = e^{−βF_N}) with e^{βμ} z = x: P_{N+1}/P_N = x/(N + 1)
        toy = Realise({F_N(Ns + 1, *q): solved[F_N(Ns + 1, *q)]},
                      then=lambda e: e.xreplace({P_N(Ns + 1, *q): P_N(Ns, *q) * _x / (Ns + 1)}))
        # (the first Show realises the imposed mode conditions, which the verifier checks in that model)
        return [Show(2, at_mode, signed=_b), Show(3, at_mode, signed=_a),
                Show(0, modulo=((1, res_up),)), Show(1, modulo=((-1, res_down),)),
                Show(4, toy, nonzero=Nonzero(sp.log((Ns + 1) / _x) / beta, {beta: 1, _x: sp.Rational(7, 2), Ns: 3}))]
    return derive


def _variant(g_expr, K):
    """Realise P_{N+1}/P_N from the ratio identity exponentiated, for Z_N = g_N z^N (F_N = −T log Z_N)."""
    def derive(ctx: Context):
        q = coords(K)
        view = ctx["grand.ratio"]
        notation = {g.lhs: g.rhs for g in view.given}  # T = 1/β
        ratio = view.statement[0]  # T log(P_{N+1}/P_N) = μ − (F_{N+1} − F_N)
        # exponentiate (both sides)/T: P_{N+1} = P_N e^{(μ − (F_{N+1} − F_N))/T}
        P_up = P_N(N) * sp.exp(ratio.rhs / T).xreplace(notation)
        # F_N = −T log Z_N with Z_N = g_N z^N
        F_toy = {F_N(N + 1, *q): -((N + 1) * sp.log(_z) + sp.log(g_expr(N + 1))) / beta,
                 F_N(N, *q): -(N * sp.log(_z) + sp.log(g_expr(N))) / beta}
        return [Show(0, Realise({P_N(N + 1): P_up, **F_toy}), domain=((_M, 10, 20),))]
    return derive


def _d_labelled(K):
    def derive(ctx: Context):
        q = coords(K)
        ratio = ctx["grand.ratio"].statement[0]  # T log(P_{N+1}/P_N) = μ − (F_{N+1} − F_N)
        P_up = P_N(N) * sp.exp(ratio.rhs / T)
        # log C(M, N+1) = log(C(M, N+1)/C(M, N)) + log C(M, N), the quotient reduced by combsimp (witnessed)
        # (written with M = N + 1 + k, k > 0, so that the witness samples where the binomials are finite)
        k = sp.Symbol("k", integer=True, positive=True)
        log_up = ctx.rewrite(sp.log(sp.binomial(N + 1 + k, N + 1)),
                             lambda e: sp.log(sp.combsimp(sp.binomial(N + 1 + k, N + 1) / sp.binomial(N + 1 + k, N)))
                             + sp.log(sp.binomial(N + 1 + k, N)), name="log C(M,N+1) = log((M-N)/(N+1)) + log C(M,N)")
        log_up = log_up.xreplace({k: _M - N - 1})
        # labelled neurons: F_N = F^set_N − T log C(M, N)
        labelled = {P_N(N + 1): P_up, F_N(N + 1, *q): F_set(N + 1, *q) - T * log_up,
                    F_N(N, *q): F_set(N, *q) - T * sp.log(sp.binomial(_M, N))}
        dom = ((_M, 10, 20),)
        return [Show(0, labelled, domain=dom),
                Show(1, labelled, domain=dom,
                     nonzero=Nonzero(T * sp.log((_M - N) / (N + 1)), {T: 1, _M: 10, N: 2}))]
    return derive


# ----------------------------------------------------------------------------- the steps

@cache
def steps(K: int = K_DEFAULT, n_max: int = N_MAX) -> tuple[Step, ...]:
    """The grand canonical steps for K trainable variables and N = 0..n_max active neurons."""
    q = coords(K)
    terms = _terms(K, n_max)
    Xi_expr = sp.Add(*(w for _, w in terms))
    Om_expr = -sp.log(Xi_expr) / beta
    FNq = F_N(N, *q)
    rep = (f"N = 0..{n_max} with Z_N = g_N exp(-beta F^set_N(q)), F^set_N arbitrary smooth real functions "
           f"of K = {K} trainable variables, g_N > 0 arbitrary; F_N = F^set_N - T log g_N includes the counting")
    generic = (("factor", "generic g_N > 0"),)

    ensemble = Step(
        label="grand.ensemble", title="Grand canonical ensemble of hidden neurons exchanged with an auxiliary subsystem",
        kind=Kind.DEFINITION, premises=("canonical.ensemble",),
        statement=(
            sp.Eq(Xi(beta, mu, *q), sp.Sum(sp.exp(beta * mu * N) * sp.Function("Z_N", positive=True)(N, *q),
                                           (N, 0, sp.oo)), evaluate=False),
            sp.Eq(Omega(beta, mu, *q), -sp.log(Xi(beta, mu, *q)) / beta, evaluate=False),
            sp.Eq(P_N(N, *q), sp.exp(beta * (mu * N - FNq)) / Xi(beta, mu, *q), evaluate=False),
            sp.Eq(FNq, -sp.log(sp.Function("Z_N", positive=True)(N, *q)) / beta, evaluate=False)),
        source=Source("KV2021", "abstract; §3", "eq. (3.7)", Provenance.RECONSTRUCTED,
                      "'allowing an exchange of neurons with an auxiliary subsystem' is verbatim (abstract); the "
                      "formulas are the standard reconstruction; eq. (3.7) is a secondary anchor"),
        assumptions=("beta > 0; each Z_N is the canonical partition function of the network with N active neurons "
                     "(canonical.ensemble)",
                     "mu is fixed by the auxiliary subsystem (a reservoir): the same constant for all q and t",
                     "time-scale separation: N equilibrates at fixed q",
                     "the combinatorial factor g_N (1/N!, C(M,N) or none) is a modelling choice (grand.poisson, grand.binomial, "
                     "grand.geometric)",
                     rep),
        variant=generic,
        facts=(("Xi", Xi_expr), ("Omega", Om_expr)) + tuple((f"F_{j}", f) for j, (f, _) in enumerate(terms)),
        note="Representation: " + rep + ".", derive=_d_ensemble(K, n_max),
    )
    mean = Step(
        label="grand.mean-number", title="Mean number of active neurons ⟨N⟩ = −∂Ω/∂μ",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(-sp.Derivative(Omega(beta, mu, *q), mu), Avg(N), evaluate=False),),
        source=_KV_3, variant=generic, derive=_d_mean(K, n_max),
        transformation="differentiate Omega = -log(sum_N g_N e^{beta(mu N - F^set_N)})/beta in mu",
    )
    variance = Step(
        label="grand.number-variance", title="Var N = −(1/β) ∂²Ω/∂μ² = (1/β) ∂⟨N⟩/∂μ",
        kind=Kind.IDENTITY, premises=("grand.ensemble", "grand.mean-number"),
        statement=(sp.Eq(-sp.Derivative(Omega(beta, mu, *q), mu, 2) / beta, Var(N), evaluate=False),
                   sp.Eq(sp.Derivative(Avg(N), mu) / beta, Var(N), evaluate=False)),
        source=_KV_3, variant=generic, derive=_d_variance(K, n_max),
        transformation="differentiate Omega twice in mu; differentiate <N> once in mu",
    )
    force = Step(
        label="grand.force", title="The grand canonical learning force is the mean gradient of F_N",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=tuple(sp.Eq(sp.Derivative(Omega(beta, mu, *q), q[k]), Avg(sp.Derivative(FNq, q[k])),
                              evaluate=False) for k in range(K)),
        source=_KV_3, variant=generic, derive=_d_force(K, n_max),
        transformation="differentiate Omega in q_k under the finite sum over N",
        note=("With canonical.force each d F_N/dq_k = <d H_N/dq_k>_N, so dOmega/dq_k = <d H_N/dq_k>_GC: the force on q "
              "when N equilibrates at each q is minus the gradient of the single-valued Omega "
              "(multivalued.omega-single-valued)."),
    )
    ratio = Step(
        label="grand.ratio", title="Exact ratio identity T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N) for every N",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(T * sp.log(P_N(N + 1, *q) / P_N(N, *q)), mu - (F_N(N + 1, *q) - F_N(N, *q)),
                         evaluate=False),),
        given=(sp.Eq(T, 1 / beta, evaluate=False),),
        source=_SRC_OWN, variant=generic, derive=_d_ratio(K),
        transformation="take T log of the ratio of P(N+1|q) and P(N|q); Xi cancels",
        note="Holds for the F_N that includes -T log g_N (the labelled free energy); see grand.labelled.",
    )
    Ns = _NSTAR
    mode = Step(
        label="grand.mode", title="At the most probable N*: F_{N*} - F_{N*-1} <= mu <= F_{N*+1} - F_{N*}",
        kind=Kind.CONDITIONAL, premises=("grand.ratio",),
        statement=(sp.Eq(F_N(Ns + 1, *q) - F_N(Ns, *q) - mu, T * sp.log(P_N(Ns, *q) / P_N(Ns + 1, *q)),
                         evaluate=False),
                   sp.Eq(mu - (F_N(Ns, *q) - F_N(Ns - 1, *q)), T * sp.log(P_N(Ns, *q) / P_N(Ns - 1, *q)),
                         evaluate=False),
                   sp.Le(F_N(Ns, *q) - F_N(Ns - 1, *q), mu, evaluate=False),
                   sp.Le(mu, F_N(Ns + 1, *q) - F_N(Ns, *q), evaluate=False),
                   sp.Ne(F_N(Ns + 1, *q) - F_N(Ns, *q), mu, evaluate=False)),
        given=(sp.Eq(T, 1 / beta, evaluate=False),),
        conditions=(Condition("N* is a mode: P_{N*+1} = P_{N*} e^{-beta a} with a slack a >= 0",
                              imposed=sp.Eq(P_N(Ns + 1, *q), P_N(Ns, *q) * sp.exp(-beta * _a), evaluate=False)),
                    Condition("N* is a mode: P_{N*-1} = P_{N*} e^{-beta b} with a slack b >= 0",
                              imposed=sp.Eq(P_N(Ns - 1, *q), P_N(Ns, *q) * sp.exp(-beta * _b), evaluate=False))),
        source=_SRC_OWN, variant=generic, derive=_d_mode(K),
        transformation=("(1), (2): the ratio identity at N = N* and N = N* - 1 (exact, every N*); (3), (4): the "
                        "identity solved for F_{N*-1}, F_{N*+1} with P_{N*+1} = P_{N*} e^{-beta a}, "
                        "P_{N*-1} = P_{N*} e^{-beta b} at a mode: the gaps are the slacks b, a >= 0; (5): the Poisson "
                        "toy P_{N+1}/P_N = x/(N+1) (x = e^{beta mu} z) at x = 7/2, N* = 3 (a mode: 7/8, 6/7 < 1)"),
        note=("Replaces 'F_{N+1} - F_N ~ mu at the most probable N': equality is not exact (5): the Poisson toy with "
              "e^{beta mu} z = 7/2 has gap T log(8/7) > 0 at its mode N* = 3; the gaps are O(T/Var N)."),
    )
    poisson = Step(
        label="grand.poisson", title="Combinatorial factor 1/N!: P_{N+1}/P_N = x/(N+1), a Poisson law",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x / (N + 1), evaluate=False),),
        variant=(("factor", "1/N!"),),
        assumptions=("non-interacting identical neurons: Z_N = z(q)^N / N!", "x = e^{beta mu} z"),
        source=_SRC_OWN, derive=_variant(lambda nn: 1 / sp.factorial(nn), K), given=(sp.Eq(_x, sp.exp(beta * mu) * _z, evaluate=False),),
        transformation="insert F_N = -T(N log z - log N!) in the ratio identity and exponentiate",
        note="The recursion gives P(N) = e^{-x} x^N/N!, <N> = Var N = x (check 4: 47.475 both ways).",
    )
    binomial = Step(
        label="grand.binomial", title="Combinatorial factor C(M,N): P_{N+1}/P_N = x(M-N)/(N+1), a binomial law",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x * (_M - N) / (N + 1), evaluate=False),),
        variant=(("factor", "C(M,N)"),),
        assumptions=("M labelled neuron slots, non-interacting: Z_N = C(M,N) z(q)^N", "x = e^{beta mu} z"),
        source=_SRC_OWN, derive=_variant(lambda nn: sp.binomial(_M, nn), K), given=(sp.Eq(_x, sp.exp(beta * mu) * _z, evaluate=False),),
        transformation="insert F_N = -T(N log z + log C(M,N)) in the ratio identity and exponentiate",
        note="The recursion gives a binomial law with success probability x/(1+x): <N> = Mx/(1+x).",
    )
    geometric = Step(
        label="grand.geometric", title="No combinatorial factor: P_{N+1}/P_N = x constant, no interior mode",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x, evaluate=False),),
        variant=(("factor", "none"),),
        assumptions=("Z_N = z(q)^N", "x = e^{beta mu} z < 1 for normalisability"),
        source=_SRC_OWN, derive=_variant(lambda nn: sp.Integer(1), K), given=(sp.Eq(_x, sp.exp(beta * mu) * _z, evaluate=False),),
        transformation="insert F_N = -T N log z in the ratio identity and exponentiate",
        note="A constant ratio x < 1 makes P(N) decrease monotonically: the mode is N = 0, 'at the mode' is empty.",
    )
    labelled = Step(
        label="grand.labelled", title="Which F: with labelled neurons the ratio identity needs F including -T log C(M,N)",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(T * sp.log(P_N(N + 1) / P_N(N)),
                         mu - (F_set(N + 1, *q) - F_set(N, *q)) + T * sp.log((_M - N) / (N + 1)), evaluate=False),
                   sp.Ne(T * sp.log(P_N(N + 1) / P_N(N)), mu - (F_set(N + 1, *q) - F_set(N, *q)), evaluate=False)),
        variant=(("factor", "C(M,N)"),),
        assumptions=("F_N = F^set_N - T log C(M,N); F^set_N omits the choice of which M-slots are active",),
        source=_SRC_OWN, derive=_d_labelled(K),
        transformation="insert F_N = F^set_N - T log C(M,N) in the ratio identity; C(M,N+1)/C(M,N) = (M-N)/(N+1)",
        note=("(2): with F^set_N (no counting term) the relation is off by T log((M-N)/(N+1)), comparable to mu "
              "(T log(8/3) at M = 10, N = 2)."),
    )
    return (ensemble, mean, variance, force, ratio, mode, poisson, binomial, geometric, labelled)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("grand_canonical")
