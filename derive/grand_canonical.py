r"""Grand canonical ensemble of hidden neurons exchanged with an auxiliary subsystem (KV2021 §3).

The abstract says the network is allowed "an exchange of neurons with an auxiliary subsystem"
[verbatim]; the formulas are the standard reconstruction (paper-derivation.md Step 10, referee.md E12):

.. math::

    \Xi(\beta,\mu,q) = \sum_N e^{\beta\mu N} Z_N(\beta,q), \qquad
    \Omega = -\beta^{-1}\log\Xi, \qquad
    P(N|q) = \frac{e^{\beta(\mu N - F_N(q))}}{\Xi}, \qquad F_N = -\beta^{-1}\log Z_N ,

    \langle N\rangle = -\partial_\mu\Omega, \qquad
    \operatorname{Var} N = -\beta^{-1}\partial_\mu^2\Omega = \beta^{-1}\partial_\mu\langle N\rangle, \qquad
    \partial_{q_k}\Omega = \langle \partial_{q_k} F_N\rangle_{GC},

    T\log\frac{P_{N+1}}{P_N} = \mu - (F_{N+1} - F_N)\ \text{for every } N, \qquad
    F_{N^*} - F_{N^*-1} \le \mu \le F_{N^*+1} - F_{N^*}\ \text{at the mode } N^* .

The last pair replaces the paper-derivation's "μ ≃ F_{N+1} − F_N at the most probable N".

*Which F.*  Here :math:`F_N` always *includes* the counting term :math:`-T\log g_N` (for labelled
neurons :math:`g_N = C(M,N)`), and :math:`F^{set}_N` is the free energy of one given set of N neurons.
(``numerics.crosscheck_checks`` writes the same pair the other way round: its ``Ftilde_N`` is our
:math:`F_N`.)

**Representation.**  N runs over 0..N_max (default ``N_max = 3``) with
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
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import N, T, beta, coords, mu

__all__ = ["steps", "upstream", "upstream_fact", "realise", "N_MAX", "F_N", "F_set", "P_N", "Xi", "Omega", "factor"]

N_MAX = 2
K_DEFAULT = 2

#: F_N(q): free energy of the network with N active neurons, counting included (display object)
F_N = sp.Function("F_N", real=True)
#: F_set_N(q): free energy of one given set of N neurons (the realisation's unknown function)
F_set = sp.Function("Fset_N", real=True)


@cache
def F_state(j: int) -> sp.FunctionClass:
    """F_set_j(q): the realisation's unknown free energy of one given set of j neurons (one function per j)."""
    return sp.Function(f"Fset_{j}", real=True)


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
               "canonical reconstruction (paper-derivation.md Step 10), the body text was not available")
_REF_E12 = Source("referee", "§1 E12", "", Provenance.RECONSTRUCTED,
                  "exact replacement of 'mu ~ F_{N+1} - F_N at the most probable N' (referee.md E12)")


def factor(j: int) -> sp.Symbol:
    """g_j > 0: the generic combinatorial factor of the N = j term."""
    return sp.Symbol(f"g_{j}", positive=True)


def _terms(K: int, n_max: int):
    """Per N = j: (F_j total, unnormalised weight e^{β(μj − F_j)}), with Z_j = g_j e^{−β F_set_j}."""
    q = coords(K)
    out = []
    for j in range(n_max + 1):
        Ft = F_state(j)(*q)
        F_total = Ft - sp.log(factor(j)) / beta
        out.append((F_total, factor(j) * sp.exp(beta * (mu * j - Ft))))
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

def _d_mean(K, n_max):
    def derive(ctx: Context):
        Om = ctx["grand.ensemble"].fact["Omega"]
        claim = ctx.step.statement[0].rhs  # <N>_GC, realised as the weighted sum over N
        return [Obligation("-dOmega/dmu = <N>", -sp.diff(Om, mu), realise(claim, K, n_max))]
    return derive


def _d_variance(K, n_max):
    def derive(ctx: Context):
        Om = ctx["grand.ensemble"].fact["Omega"]
        mean = realise(ctx["grand.mean-number"].statement[0].rhs, K, n_max)  # <N>, the premise's result
        by_omega, by_mean = (realise(e.rhs, K, n_max) for e in ctx.step.statement)  # Var N, twice
        return [Obligation("-(1/beta) d2Omega/dmu2 = Var N", -sp.diff(Om, mu, 2) / beta, by_omega),
                Obligation("(1/beta) d<N>/dmu = Var N", sp.diff(mean, mu) / beta, by_mean)]
    return derive


def _d_force(K, n_max):
    def derive(ctx: Context):
        q = coords(K)
        Om = ctx["grand.ensemble"].fact["Omega"]
        return [Obligation(f"k={k + 1}", sp.diff(Om, q[k]), realise(ctx.step.statement[k].rhs, K, n_max))
                for k in range(K)]
    return derive


def _log_ratio(P: sp.Tuple, j: int) -> sp.Expr:
    """T log(P_{j+1}/P_j) from the ensemble's P, with log of the positive product split (sound)."""
    return sp.expand_log(sp.log(P[j + 1]) - sp.log(P[j]), force=True) / beta


def _d_ratio(K, n_max):
    def derive(ctx: Context):
        P = ctx["grand.ensemble"].fact["P"]
        rhs = ctx.step.statement[0].rhs  # mu - (F_{N+1} - F_N)
        return [Obligation(f"N={j}", _log_ratio(P, j), realise(rhs.xreplace({N: sp.Integer(j)}), K, n_max))
                for j in range(n_max)]
    return derive


def _d_mode(K):
    def derive(ctx: Context):
        # The premise T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N) at N = N* and N = N* - 1, solved for the
        # neighbouring F's, gives the two exact gaps; at a mode P_{N*+1} = P_{N*} e^{-beta a} and
        # P_{N*-1} = P_{N*} e^{-beta b} with slacks a, b >= 0, so both gaps are >= 0.
        q = coords(K)
        Ns = _NSTAR
        ratio = ctx["grand.ratio"].statement[0]
        up, down = ratio.xreplace({N: Ns}), ratio.xreplace({N: Ns - 1})
        F_up = solve_linear(up.subs(T, 1 / beta), F_N(Ns + 1, *q))
        F_down = solve_linear(down.subs(T, 1 / beta), F_N(Ns - 1, *q))
        gap_up, gap_down, le_down, le_up = ctx.step.statement
        solved = {F_N(Ns + 1, *q): F_up, F_N(Ns - 1, *q): F_down}
        obs = [Obligation("F_{N*+1} - F_{N*} - mu = T log(P_{N*}/P_{N*+1})",
                          gap_up.lhs.subs(T, 1 / beta).xreplace(solved), gap_up.rhs.subs(T, 1 / beta)),
               Obligation("mu - (F_{N*} - F_{N*-1}) = T log(P_{N*}/P_{N*-1})",
                          gap_down.lhs.subs(T, 1 / beta).xreplace(solved), gap_down.rhs.subs(T, 1 / beta))]
        at_mode = {P_N(Ns + 1, *q): P_N(Ns, *q) * sp.exp(-beta * _a),
                   P_N(Ns - 1, *q): P_N(Ns, *q) * sp.exp(-beta * _b)}
        # the inequalities, with the neighbouring F's from the premise and the P's at a mode
        obs += [Obligation("at a mode F_{N*+1} - F_{N*} - mu = a >= 0",
                           sp.expand_log((le_up.rhs - le_up.lhs).xreplace(solved).xreplace(at_mode), force=True),
                           _a, domain=((_a, 0, 2),)),
                Obligation("at a mode mu - (F_{N*} - F_{N*-1}) = b >= 0",
                           sp.expand_log((le_down.rhs - le_down.lhs).xreplace(solved).xreplace(at_mode), force=True),
                           _b, domain=((_b, 0, 2),))]
        # "mu = F_{N*+1} - F_{N*}" is not exact: Poisson toy F_N = -T(N log z - log N!) with e^{beta mu} z = 7/2,
        # mode N* = 3: F_{N*+1} - F_{N*} - mu = T log(N* + 1) - T log(e^{beta mu} z) = T log(8/7) > 0.
        # Equivalently e^{-beta (gap)} = P_{N*+1}/P_{N*} = x/(N*+1) = 7/8, not 1.
        x = sp.Rational(7, 2)
        obs.append(Obligation("Poisson toy: e^{-beta(F_{N*+1} - F_{N*} - mu)} is not 1", x / (sp.floor(x) + 1), 1,
                              expect_zero=False))
        return obs
    return derive


def _noninteracting_F(g_expr):
    """F_N for Z_N = g_N z^N (non-interacting neurons): -T (N log z + log g_N)."""
    return lambda nn: -(nn * sp.log(_z) + sp.log(g_expr(nn))) / beta


def _d_variant(g_expr, label, K):
    def derive(ctx: Context):
        q = coords(K)
        F = _noninteracting_F(g_expr)
        ratio = ctx["grand.ratio"].statement[0]  # T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N)
        rhs = ratio.rhs.xreplace({F_N(N + 1, *q): F(N + 1), F_N(N, *q): F(N)})
        # exponentiate beta * (both sides), with e^{beta mu} = x / z
        derived = sp.exp(sp.expand_log(sp.expand(beta * rhs.subs(mu, sp.log(_x / _z) / beta)), force=True))
        derived = sp.combsimp(sp.powsimp(sp.expand(derived), force=True))
        return [Obligation(f"{label}: P_(N+1)/P_N", derived, ctx.step.statement[0].rhs, domain=((_M, 10, 20),))]
    return derive


def _d_labelled(K):
    def derive(ctx: Context):
        q = coords(K)
        ratio = ctx["grand.ratio"].statement[0]  # T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N)
        Ft = F_set
        # labelled neurons: F_N = F~_N - T log C(M, N); insert into the ratio identity
        sub = {F_N(N + 1, *q): Ft(N + 1, *q) - T * sp.log(sp.binomial(_M, N + 1)),
               F_N(N, *q): Ft(N, *q) - T * sp.log(sp.binomial(_M, N))}
        derived = ratio.rhs.xreplace(sub)
        # rewrite log C(M,N+1) = log(C(M,N+1)/C(M,N)) + log C(M,N), the quotient reduced by combsimp
        quotient = sp.combsimp(sp.binomial(_M, N + 1) / sp.binomial(_M, N))
        derived = derived.xreplace({sp.log(sp.binomial(_M, N + 1)): sp.log(quotient) + sp.log(sp.binomial(_M, N))})
        derived = sp.expand_log(sp.expand(derived.subs(T, 1 / beta)), force=True)
        claim = sp.expand_log(ctx.step.statement[0].rhs.subs(T, 1 / beta), force=True)
        unlabelled = mu - (Ft(N + 1, *q) - Ft(N, *q))
        dom = ((_M, 10, 20),)
        return [Obligation("labelled F: mu - dF~ + T log((M-N)/(N+1))", derived, claim, domain=dom),
                Obligation("the unlabelled F misses T log((M-N)/(N+1))", derived, unlabelled,
                           expect_zero=False, domain=dom)]
    return derive


# ----------------------------------------------------------------------------- the steps

@cache
def steps(K: int = K_DEFAULT, n_max: int = N_MAX) -> tuple[Step, ...]:
    """The grand canonical steps for K trainable variables and N = 0..n_max active neurons."""
    q = coords(K)
    terms = _terms(K, n_max)
    Xi_expr = sp.Add(*(w for _, w in terms))
    Om_expr = -sp.log(Xi_expr) / beta
    P_expr = sp.Tuple(*(w / Xi_expr for _, w in terms))
    FNq = F_N(N, *q)
    rep = (f"N = 0..{n_max} with Z_N = g_N exp(-beta Fset_N(q)), Fset_N arbitrary smooth real functions "
           f"of K = {K} trainable variables, g_N > 0 arbitrary; F_N = Fset_N - T log g_N includes the counting")
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
                     "the combinatorial factor g_N (1/N!, C(M,N) or none) is a modelling choice (referee.md E12c)",
                     rep),
        variant=generic,
        facts=(("Xi", Xi_expr), ("Omega", Om_expr), ("P", P_expr), ("F", sp.Tuple(*(f for f, _ in terms)))),
        note="Representation: " + rep + ".",
    )
    mean = Step(
        label="grand.mean-number", title="Mean number of active neurons <N> = -dOmega/dmu",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(-sp.Derivative(Omega(beta, mu, *q), mu), Avg(N), evaluate=False),),
        source=_KV_3, variant=generic, derive=_d_mean(K, n_max),
        transformation="differentiate Omega = -log(sum_N g_N e^{beta(mu N - Fset_N)})/beta in mu",
    )
    variance = Step(
        label="grand.number-variance", title="Var N = -(1/beta) d2Omega/dmu2 = (1/beta) d<N>/dmu",
        kind=Kind.IDENTITY, premises=("grand.ensemble", "grand.mean-number"),
        statement=(sp.Eq(-sp.Derivative(Omega(beta, mu, *q), mu, 2) / beta, Var(N), evaluate=False),
                   sp.Eq(sp.Derivative(Avg(N), mu) / beta, Var(N), evaluate=False)),
        source=_KV_3, variant=generic, derive=_d_variance(K, n_max),
        transformation="differentiate Omega twice in mu; differentiate <N> once in mu",
    )
    force = Step(
        label="grand.force", title="The grand canonical learning force is the mean gradient of F_N",
        kind=Kind.IDENTITY, premises=("grand.ensemble", "canonical.force"),
        statement=tuple(sp.Eq(sp.Derivative(Omega(beta, mu, *q), q[k]), Avg(sp.Derivative(FNq, q[k])),
                              evaluate=False) for k in range(K)),
        source=_KV_3, variant=generic, derive=_d_force(K, n_max),
        transformation="differentiate Omega in q_k under the finite sum over N",
        note=("By canonical.force each d F_N/dq_k = <d H_N/dq_k>_N, so dOmega/dq_k = <d H_N/dq_k>_GC: the force on q "
              "when N equilibrates at each q is minus the gradient of the single-valued Omega "
              "(multivalued.omega-single-valued)."),
    )
    ratio = Step(
        label="grand.ratio", title="Exact ratio identity T log(P_{N+1}/P_N) = mu - (F_{N+1} - F_N) for every N",
        kind=Kind.IDENTITY, premises=("grand.ensemble",),
        statement=(sp.Eq(T * sp.log(P_N(N + 1, *q) / P_N(N, *q)), mu - (F_N(N + 1, *q) - F_N(N, *q)),
                         evaluate=False),),
        source=_REF_E12, variant=generic, derive=_d_ratio(K, n_max),
        transformation="take T log of the ratio of P(N+1|q) and P(N|q); Xi cancels",
        note="Holds for the F_N that includes -T log g_N (the labelled free energy); see grand.labelled.",
    )
    Ns = _NSTAR
    mode = Step(
        label="grand.mode", title="At the most probable N*: F_{N*} - F_{N*-1} <= mu <= F_{N*+1} - F_{N*}",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(F_N(Ns + 1, *q) - F_N(Ns, *q) - mu, T * sp.log(P_N(Ns, *q) / P_N(Ns + 1, *q)),
                         evaluate=False),
                   sp.Eq(mu - (F_N(Ns, *q) - F_N(Ns - 1, *q)), T * sp.log(P_N(Ns, *q) / P_N(Ns - 1, *q)),
                         evaluate=False),
                   sp.Le(F_N(Ns, *q) - F_N(Ns - 1, *q), mu, evaluate=False),
                   sp.Le(mu, F_N(Ns + 1, *q) - F_N(Ns, *q), evaluate=False)),
        source=_REF_E12, variant=generic, derive=_d_mode(K),
        transformation=("solve the ratio identity at N = N* and N = N* - 1 for the two gaps; at a mode "
                        "P_{N*+1} = P_{N*} e^{-beta a}, P_{N*-1} = P_{N*} e^{-beta b} with a, b >= 0"),
        note=("Replaces 'F_{N+1} - F_N ~ mu at the most probable N': equality is not exact (the Poisson toy with "
              "e^{beta mu} z = 7/2 has gap T log(8/7) > 0); the gaps are O(T/Var N)."),
    )
    poisson = Step(
        label="grand.poisson", title="Combinatorial factor 1/N!: P_{N+1}/P_N = x/(N+1), a Poisson law",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x / (N + 1), evaluate=False),),
        variant=(("factor", "1/N!"),),
        assumptions=("non-interacting identical neurons: Z_N = z(q)^N / N!", "x = e^{beta mu} z"),
        source=_REF_E12, derive=_d_variant(lambda nn: 1 / sp.factorial(nn), "Poisson", K),
        transformation="insert F_N = -T(N log z - log N!) in the ratio identity and exponentiate",
        note="The recursion gives P(N) = e^{-x} x^N/N!, <N> = Var N = x (check 4: 47.475 both ways).",
    )
    binomial = Step(
        label="grand.binomial", title="Combinatorial factor C(M,N): P_{N+1}/P_N = x(M-N)/(N+1), a binomial law",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x * (_M - N) / (N + 1), evaluate=False),),
        variant=(("factor", "C(M,N)"),),
        assumptions=("M labelled neuron slots, non-interacting: Z_N = C(M,N) z(q)^N", "x = e^{beta mu} z"),
        source=_REF_E12, derive=_d_variant(lambda nn: sp.binomial(_M, nn), "binomial", K),
        transformation="insert F_N = -T(N log z + log C(M,N)) in the ratio identity and exponentiate",
        note="The recursion gives a binomial law with success probability x/(1+x): <N> = Mx/(1+x).",
    )
    geometric = Step(
        label="grand.geometric", title="No combinatorial factor: P_{N+1}/P_N = x constant, no interior mode",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(P_N(N + 1) / P_N(N), _x, evaluate=False),),
        variant=(("factor", "none"),),
        assumptions=("Z_N = z(q)^N", "x = e^{beta mu} z < 1 for normalisability"),
        source=_REF_E12, derive=_d_variant(lambda nn: sp.Integer(1), "geometric", K),
        transformation="insert F_N = -T N log z in the ratio identity and exponentiate",
        note="A constant ratio x < 1 makes P(N) decrease monotonically: the mode is N = 0, 'at the mode' is empty.",
    )
    labelled = Step(
        label="grand.labelled", title="Which F: with labelled neurons the ratio identity needs F including -T log C(M,N)",
        kind=Kind.IDENTITY, premises=("grand.ratio",),
        statement=(sp.Eq(T * sp.log(P_N(N + 1) / P_N(N)),
                         mu - (F_set(N + 1, *q) - F_set(N, *q)) + T * sp.log((_M - N) / (N + 1)), evaluate=False),),
        variant=(("factor", "C(M,N)"),),
        assumptions=("F_N = Fset_N - T log C(M,N); Fset_N omits the choice of which M-slots are active",),
        source=_REF_E12, derive=_d_labelled(K),
        transformation="insert F_N = Fset_N - T log C(M,N) in the ratio identity; C(M,N+1)/C(M,N) = (M-N)/(N+1)",
        note=("With Fset (no counting term) the relation is off by T log((M-N)/(N+1)), comparable to mu "
              "(referee.md E12b: -0.38 at N* = 18)."),
    )
    return (ensemble, mean, variance, force, ratio, mode, poisson, binomial, geometric, labelled)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("grand_canonical")
