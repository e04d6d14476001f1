r"""Canonical ensemble of hidden variables (neurons) and its free energy.

Katsnelson & Vanchurin §2, recapping Vanchurin 2004.09280 (maximum entropy with a Lagrange
multiplier β on the loss):

.. math::

    p(x|q) = \frac{e^{-\beta H(x,q)}}{Z}, \qquad Z = \sum_x e^{-\beta H(x,q)}, \qquad
    F = -\beta^{-1}\log Z .

**Representation.**  So that SymPy can differentiate under the ensemble, the hidden state runs over
``n`` microstates :math:`x_1..x_n` (default ``n = 3``) with arbitrary smooth energies
:math:`h_i(q) = H(x_i, q)`, undefined functions of ``K`` trainable variables (default ``K = 2``,
every component ``k, l`` checked).  The identities below are verified for these generic sums; the
property tests in ``tests/derive/test_canonical.py`` check other ``n`` and ``K``, and
``numerics`` checks them against sampled ensembles.

Run ``python -m derive.canonical`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache
from typing import Callable

import sympy as sp

from derive.chain_rule import doit
from derive.notation import Avg, Cov, Var
from derive.proof import Condition, Realise, Show, examples
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import H, beta, coords, h_state

__all__ = ["steps", "realise", "microstates", "N_STATES"]

N_STATES = 3
_x = sp.Symbol("x")  # the hidden state in the paper's notation H(x, q)
_F = sp.Function("F", real=True)
_Z = sp.Function("Z", positive=True)
_U = sp.Function("U", real=True)
_S = sp.Function("S_th", real=True)
_Z1 = sp.Function("Z_1", positive=True)
_Z2 = sp.Function("Z_2", positive=True)

_KV_2 = Source("KV2021", "§2 (recap of 2004.09280)", "", Provenance.RECONSTRUCTED,
               "the body text of 2012.05082 was not available; standard canonical-ensemble algebra")


def microstates(K: int, n: int) -> tuple[sp.Expr, ...]:
    """The energies h_i(q), i = 1..n, of the hidden microstates."""
    q = coords(K)
    return tuple(h_state(i)(*q) for i in range(1, n + 1))


def _weights(K: int, n: int) -> tuple[tuple[sp.Expr, ...], sp.Expr]:
    boltzmann = tuple(sp.exp(-beta * h) for h in microstates(K, n))
    return boltzmann, sp.Add(*boltzmann)


def realise(expr: sp.Expr, K: int, n: int) -> sp.Expr:
    """Turn ⟨·⟩, Var, Cov over H(x, q) into explicit sums over the n microstates.

    ⟨A(H)⟩ = Σ_i A(h_i) e^{-βh_i} / Σ_i e^{-βh_i}.
    """
    q = coords(K)
    hs = microstates(K, n)
    boltzmann, Z = _weights(K, n)
    Hx = H(_x, *q)

    def avg(a: sp.Expr) -> sp.Expr:
        return sp.Add(*(doit(a.xreplace({Hx: h})) * w for h, w in zip(hs, boltzmann))) / Z

    def rule(e: sp.Expr) -> sp.Expr:
        if isinstance(e, Avg):
            return avg(e.args[0])
        if isinstance(e, Var):
            return avg(e.args[0] ** 2) - avg(e.args[0]) ** 2
        if isinstance(e, Cov):
            a, b = e.args
            return avg(a * b) - avg(a) * avg(b)
        return e

    return expr.replace(lambda e: isinstance(e, (Avg, Var, Cov)), rule)


def _averages(ctx: Context, K: int, n: int) -> Realise:
    """The canonical ensemble's meaning, read from its display: p(x) = e^{−βH}/Z, Z = Σ_x e^{−βH},
    F = −β⁻¹ log Z, and ⟨·⟩, Var, Cov as sums over the n microstates weighted by that p."""
    q = coords(K)
    ens = ctx["canonical.ensemble"]
    p_x, z_def, f_def = ens.statement
    hs = microstates(K, n)
    Hx = H(_x, *q)
    weight = p_x.rhs  # e^{-βH(x,q)}/Z(β,q)

    def sums(e: sp.Expr) -> sp.Expr:
        # Σ_x over the n microstates, each x_i with energy h_i(q), weighted by p(x_i|q)
        def avg(a):
            return sp.Add(*(doit((a * weight).xreplace({Hx: h})) for h in hs))

        def rule(node):
            if isinstance(node, Avg):
                return avg(node.args[0])
            if isinstance(node, Var):
                return avg(node.args[0] ** 2) - avg(node.args[0]) ** 2
            if isinstance(node, Cov):
                a, b = node.args
                return avg(a * b) - avg(a) * avg(b)
            if isinstance(node, sp.Sum) and node.limits[0][0] == _x:
                return sp.Add(*(node.function.xreplace({Hx: h}) for h in hs))
            return node
        e = e.replace(lambda a: isinstance(a, (Avg, Var, Cov, sp.Sum)), rule)
        # the sums contain Z(β,q) and p(x) again: realise them from the display too
        return e.xreplace({z_def.lhs: z_def.rhs}).replace(
            lambda a: isinstance(a, sp.Sum) and a.limits[0][0] == _x, rule)

    return Realise({f_def.lhs: f_def.rhs, p_x.lhs: p_x.rhs}, then=sums)


def _second_derivative_from(force) -> Callable:
    """∂²F/∂q_k∂q_l ↦ ∂_l of the premise's value of ∂F/∂q_k."""
    first = {r.lhs: r.rhs for r in force}

    def rule(e):
        def one(d):
            if isinstance(d, sp.Derivative) and d.derivative_count == 2 and d.expr.func == _F:
                vs = [v for v, c in d.variable_count for _ in range(c)]
                return sp.Derivative(first[sp.Derivative(d.expr, vs[0])], vs[1])
            return d
        return e.replace(lambda a: isinstance(a, sp.Derivative), one)
    return rule


def _derivation_ensemble(K, n):
    def derive(ctx: Context):
        q = coords(K)
        # the facts are the display realised on the n microstates
        sums = _averages(Context(ctx.step, {"canonical.ensemble": ctx.step}), K, n)
        return [Show("fact:Z", sums, quantity=_Z(beta, *q)), Show("fact:F", sums, quantity=_F(beta, *q))]
    return derive


def _derivation_force(K, n):
    def derive(ctx: Context):
        return [Show(k, _averages(ctx, K, n)) for k in range(K)]
    return derive


def _derivation_hessian(K, n):
    def derive(ctx: Context):
        # differentiate the premise's force <d_k H> once more in q_l (quotient rule)
        second = _second_derivative_from(ctx["canonical.force"].statement)
        sums = _averages(ctx, K, n)
        return [Show(i, Realise({}, lambda e: sums(second(e)))) for i in range(len(ctx.step.statement))]
    return derive


def _derivation_energy(K, n):
    def derive(ctx: Context):
        return [Show(0, _averages(ctx, K, n))]
    return derive


def _derivation_entropy(K, n):
    def derive(ctx: Context):
        sums = _averages(ctx, K, n)
        energy = ctx["canonical.energy"].statement[0]  # U = d(beta F)/d beta
        return [Show(0, sums.after(Realise({energy.lhs: energy.rhs})))]
    return derive


def _derivation_energy_variance(K, n):
    def derive(ctx: Context):
        mean = ctx["canonical.energy"].given[0]  # U = <H>, differentiated in beta
        return [Show(0, _averages(ctx, K, n).after(Realise({mean.lhs: mean.rhs})))]
    return derive


def _derivation_beta(K, n):
    def derive(ctx: Context):
        energy = ctx["canonical.energy"].statement[0]
        return [Show(0, _averages(ctx, K, n).after(Realise({energy.lhs: energy.rhs})))]
    return derive


def _derivation_fluctuation(K, n):
    def derive(ctx: Context):
        # the premise d2F/dq_k^2 = <d2H> - beta Cov(dH, dH), solved for the covariance by substitution
        hess = Realise({r.lhs: r.rhs for r in ctx["canonical.hessian"].statement})
        return [Show(k, _averages(ctx, K, n).after(hess)) for k in range(K)]
    return derive


def _derivation_factorised(K, n):
    def derive(ctx: Context):
        q = coords(K)
        # the condition Z = Z_1(beta) Z_2(q), imposed on the ensemble's definition F = -log Z / beta
        Fdef = ctx["canonical.ensemble"].statement[2]
        energy = ctx["canonical.energy"].statement[0]  # U = d(beta F)/d beta
        model = Realise({energy.lhs: energy.rhs, Fdef.lhs: Fdef.rhs, _Z(beta, *q): _Z1(beta) * _Z2(*q)})
        return [Show(i, model) for i in range(2 * K)]
    return derive


@cache
def steps(K: int = 2, n: int = N_STATES) -> tuple[Step, ...]:
    """The canonical-ensemble steps for K trainable variables and n hidden microstates."""
    q = coords(K)
    Hx = H(_x, *q)
    Fq = _F(beta, *q)
    boltzmann, Z = _weights(K, n)
    F_expr = -sp.log(Z) / beta
    dH = [sp.Derivative(Hx, qk) for qk in q]
    family = examples(f"n = {n} microstates with arbitrary smooth energies h_i(q), K = {K} (other n, K: property tests)")
    rep = (f"hidden state summed over n = {n} microstates x_i with arbitrary smooth energies "
           f"h_i(q) = H(x_i, q); K = {K} trainable variables")

    ensemble = Step(
        label="canonical.ensemble", title="Canonical ensemble of hidden neurons and its free energy",
        kind=Kind.DEFINITION,
        statement=(sp.Eq(sp.Function("p")(_x), sp.exp(-beta * Hx) / _Z(beta, *q), evaluate=False),
                   sp.Eq(_Z(beta, *q), sp.Sum(sp.exp(-beta * Hx), (_x, 1, sp.Symbol("n"))), evaluate=False),
                   sp.Eq(Fq, -sp.log(_Z(beta, *q)) / beta, evaluate=False)),
        source=Source("V2020a", "abstract (maximum entropy, multiplier beta)", "",
                      Provenance.RECONSTRUCTED,
                      "the maximum-entropy construction is stated in words in the 2004.09280 abstract; "
                      "the formulas are the standard reconstruction"),
        assumptions=("beta > 0", "time-scale separation: x equilibrates at fixed q (2111.00903 abstract)",
                     "the Gibbs measure over x is a maximum-entropy inference assumption, not a consequence "
                     "of the activation dynamics x(t+1) = f(w x + b)", rep),
        facts=(("Z", Z), ("F", F_expr)),
        note="Representation: " + rep + ".", derive=_derivation_ensemble(K, n),
    )
    force = Step(
        label="canonical.force", title="The learning force is the mean loss gradient",
        kind=Kind.IDENTITY, premises=("canonical.ensemble",),
        statement=tuple(sp.Eq(sp.Derivative(Fq, q[k]), Avg(dH[k]), evaluate=False) for k in range(K)),
        source=_KV_2, transformation="differentiate F = -log(sum_i exp(-beta h_i))/beta under the finite sum",
        assumptions=("beta > 0",), derive=_derivation_force(K, n), depth=family,
    )
    hess_statement = []
    for k in range(K):
        for l in range(k, K):
            hess_statement.append(sp.Eq(sp.Derivative(Fq, q[k], q[l]),
                                        Avg(sp.Derivative(Hx, q[k], q[l])) - beta * Cov(dH[k], dH[l]),
                                        evaluate=False))
    hessian = Step(
        label="canonical.hessian", title="Hessian of F: mean Hessian minus beta times the gradient covariance",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.force"), statement=tuple(hess_statement),
        source=_KV_2, transformation="differentiate the force <d_k H> once more in q_l (quotient rule)",
        derive=_derivation_hessian(K, n), depth=family,
    )
    energy = Step(
        label="canonical.energy", title="Mean loss U = d(beta F)/d beta",
        kind=Kind.IDENTITY, premises=("canonical.ensemble",),
        statement=(sp.Eq(_U(beta, *q), sp.Derivative(beta * Fq, beta), evaluate=False),),
        given=(sp.Eq(_U(beta, *q), Avg(Hx), evaluate=False),),
        source=_KV_2, transformation="differentiate beta F = -log Z in beta", derive=_derivation_energy(K, n), depth=family,
    )
    entropy = Step(
        label="canonical.entropy", title="Thermodynamic entropy beta(U - F) is the Shannon entropy of p(x|q)",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.energy"),
        statement=(sp.Eq(_S(beta, *q), -Avg(sp.log(sp.Function("p")(_x))), evaluate=False),),
        given=(sp.Eq(_S(beta, *q), beta * (_U(beta, *q) - Fq), evaluate=False),),
        source=Source("V2020a", "abstract (thermodynamic entropy and complexity)", "", Provenance.RECONSTRUCTED),
        transformation="insert U = d(beta F)/d beta and log p_i = -beta h_i - log Z",
        derive=_derivation_entropy(K, n), depth=family,
    )
    energy_variance = Step(
        label="canonical.energy-variance", title="∂U/∂β = −Var H",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.energy"),
        statement=(sp.Eq(sp.Derivative(_U(beta, *q), beta), -Var(Hx), evaluate=False),),
        source=_KV_2, transformation="differentiate U = <H> in beta", derive=_derivation_energy_variance(K, n), depth=family,
    )
    beta_derivative = Step(
        label="canonical.beta-derivative", title="∂F/∂β = (U − F)/β",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.energy"),
        statement=(sp.Eq(sp.Derivative(Fq, beta), (_U(beta, *q) - Fq) / beta, evaluate=False),),
        source=_KV_2, transformation="differentiate F in beta and compare with U", derive=_derivation_beta(K, n), depth=family,
    )
    fluctuation = Step(
        label="canonical.noise-fluctuation",
        title="Gradient noise from sampling hidden neurons is fixed by F",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.hessian"),
        statement=tuple(sp.Eq(Var(dH[k]), (Avg(sp.Derivative(Hx, q[k], 2)) - sp.Derivative(Fq, q[k], 2)) / beta,
                              evaluate=False) for k in range(K)),
        source=Source("KV2021", "§2 (recap of 2004.09280)", "", Provenance.RECONSTRUCTED,
                      "consequence of the Hessian identity (canonical.hessian); not in the available text of the "
                      "paper"),
        transformation="solve the Hessian identity (k = l) for the variance",
        note=("Consequence: if the SGD noise comes from sampling hidden neurons, its variance depends on q and "
              "is tied to F; a constant isotropic D (learning.langevin) is an assumption that generically "
              "fails."),
        derive=_derivation_fluctuation(K, n), depth=family,
    )
    fact_statement = []
    for k in range(K):
        fact_statement.append(sp.Eq(sp.Derivative(_U(beta, *q), q[k]), 0, evaluate=False))
        fact_statement.append(sp.Eq(sp.Derivative(Fq, q[k]), -sp.Derivative(sp.log(_Z2(*q)), q[k]) / beta,
                                    evaluate=False))
    factorised = Step(
        label="canonical.factorised-equilibrium",
        title="Learning equilibrium as Z = Z1(beta) Z2(q): U independent of q, the force purely entropic",
        kind=Kind.CONDITIONAL, premises=("canonical.ensemble", "canonical.energy"),
        statement=tuple(fact_statement),
        conditions=(Condition("learning equilibrium in the sense of Vanchurin (2004.09280): Z(β, q) = Z₁(β) Z₂(q)",
                              imposed=sp.Eq(_Z(beta, *q), _Z1(beta) * _Z2(*q), evaluate=False)),),
        source=Source("V2020a", "abstract (learning equilibrium)", "", Provenance.VERBATIM,
                      "the factorisation is stated in words in the abstract; its consequences are reconstructed "
                      "(canonical.energy)"),
        transformation="insert Z = Z_1(beta) Z_2(q) in F = -log Z / beta and U = d(beta F)/d beta",
        note=("This is one of three non-equivalent meanings of 'learning equilibrium' (see "
              "entropy.equilibria-not-equivalent)."),
        derive=_derivation_factorised(K, n), depth=family,
    )
    return (ensemble, force, hessian, energy, entropy, energy_variance, beta_derivative, fluctuation, factorised)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("canonical")
