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

import sympy as sp

from derive.algebra import solve_linear
from derive.notation import Avg, Cov, Var
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
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
        return sp.Add(*(a.xreplace({Hx: h}).doit() * w for h, w in zip(hs, boltzmann))) / Z

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


def _derivation_force(K, n):
    def derive(ctx: Context):
        q = coords(K)
        F = ctx["canonical.ensemble"].fact["F"]
        return [Obligation(f"k={k + 1}", sp.diff(F, q[k]), realise(ctx.step.statement[k].rhs, K, n))
                for k in range(K)]
    return derive


def _derivation_hessian(K, n):
    def derive(ctx: Context):
        q = coords(K)
        force = ctx["canonical.force"].statement
        obs = []
        for k in range(K):
            for l in range(k, K):
                claim = next(s for s in ctx.step.statement if s.lhs == sp.Derivative(_F(beta, *q), q[k], q[l]))
                # differentiate the force ⟨∂_k H⟩ (the premise's right-hand side) once more
                derived = sp.diff(realise(force[k].rhs, K, n), q[l])
                obs.append(Obligation(f"k={k + 1},l={l + 1}", derived, realise(claim.rhs, K, n)))
        return obs
    return derive


def _concrete(expr: sp.Expr, ctx: Context, K: int, n: int) -> sp.Expr:
    """Realise a statement written with F(β, q), U(β, q), p(x) and ⟨·⟩ on the microstate sums."""
    q = coords(K)
    ens = ctx["canonical.ensemble"]
    p_x = ens.statement[0]  # p(x|q) = e^{-βH}/Z
    expr = expr.subs(p_x.lhs, p_x.rhs).subs(_Z(beta, *q), ens.fact["Z"])
    expr = expr.subs(_U(beta, *q), Avg(H(_x, *q)))  # U is the mean loss (canonical.energy's `given`)
    return realise(expr.subs(_F(beta, *q), ens.fact["F"]).doit(), K, n)


def _derivation_energy(K, n):
    def derive(ctx: Context):
        F = ctx["canonical.ensemble"].fact["F"]
        claim = ctx.step.statement[0]
        return [Obligation("d(beta F)/d beta = <H>", sp.diff(beta * F, beta), _concrete(claim.rhs, ctx, K, n))]
    return derive


def _derivation_entropy(K, n):
    def derive(ctx: Context):
        F = ctx["canonical.ensemble"].fact["F"]
        U = sp.diff(beta * F, beta)  # canonical.energy: U = d(βF)/dβ
        return [Obligation("beta(U - F) = -<log p>", beta * (U - F), _concrete(ctx.step.statement[0].rhs, ctx, K, n))]
    return derive


def _derivation_energy_variance(K, n):
    def derive(ctx: Context):
        U = realise(ctx["canonical.energy"].statement[0].rhs, K, n)
        return [Obligation("dU/dbeta = -Var H", sp.diff(U, beta), realise(ctx.step.statement[0].rhs, K, n))]
    return derive


def _derivation_beta(K, n):
    def derive(ctx: Context):
        F = ctx["canonical.ensemble"].fact["F"]
        return [Obligation("dF/dbeta = (U - F)/beta", sp.diff(F, beta),
                           _concrete(ctx.step.statement[0].rhs, ctx, K, n))]
    return derive


def _derivation_fluctuation(K, n):
    def derive(ctx: Context):
        q = coords(K)
        Fq = _F(beta, *q)
        obs = []
        for k in range(K):
            hess = next(s for s in ctx["canonical.hessian"].statement
                        if s.lhs == sp.Derivative(Fq, q[k], q[k]))
            dH = sp.Derivative(H(_x, *q), q[k])
            # solve the premise d2F = <d2H> - beta Cov(dH, dH) for the covariance (it is linear in Cov)
            cov = solve_linear(sp.Eq(hess.lhs, hess.rhs), Cov(dH, dH))
            claim = ctx.step.statement[k]
            obs.append(Obligation(f"k={k + 1} from the Hessian identity", _concrete(cov, ctx, K, n),
                                  _concrete(claim.rhs, ctx, K, n)))
            obs.append(Obligation(f"k={k + 1} Var by its definition", _concrete(claim.lhs, ctx, K, n),
                                  _concrete(claim.rhs, ctx, K, n)))
        return obs
    return derive


def _derivation_factorised(K, n):
    def derive(ctx: Context):
        q = coords(K)
        Z_fact = _Z1(beta) * _Z2(*q)
        F = -sp.log(Z_fact) / beta  # the definition F = -β⁻¹ log Z, with Z factorised
        U = sp.diff(beta * F, beta)  # canonical.energy
        obs = []
        for k in range(K):
            obs.append(Obligation(f"dU/dq_{k + 1} = 0", sp.diff(U, q[k]), ctx.step.statement[2 * k].rhs))
            obs.append(Obligation(f"dF/dq_{k + 1}", sp.diff(F, q[k]), ctx.step.statement[2 * k + 1].rhs))
        return obs
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
                     "of the activation dynamics x(t+1) = f(w x + b) (referee.md E15)", rep),
        facts=(("Z", Z), ("F", F_expr)),
        note="Representation: " + rep + ".",
    )
    force = Step(
        label="canonical.force", title="The learning force is the mean loss gradient",
        kind=Kind.IDENTITY, premises=("canonical.ensemble",),
        statement=tuple(sp.Eq(sp.Derivative(Fq, q[k]), Avg(dH[k]), evaluate=False) for k in range(K)),
        source=_KV_2, transformation="differentiate F = -log(sum_i exp(-beta h_i))/beta under the finite sum",
        assumptions=("beta > 0",), derive=_derivation_force(K, n),
    )
    hess_statement = []
    for k in range(K):
        for l in range(k, K):
            hess_statement.append(sp.Eq(sp.Derivative(Fq, q[k], q[l]),
                                        Avg(sp.Derivative(Hx, q[k], q[l])) - beta * Cov(dH[k], dH[l]),
                                        evaluate=False))
    hessian = Step(
        label="canonical.hessian", title="Hessian of F: mean Hessian minus beta times the gradient covariance",
        kind=Kind.IDENTITY, premises=("canonical.force",), statement=tuple(hess_statement),
        source=_KV_2, transformation="differentiate the force <d_k H> once more in q_l (quotient rule)",
        derive=_derivation_hessian(K, n),
    )
    energy = Step(
        label="canonical.energy", title="Mean loss U = d(beta F)/d beta",
        kind=Kind.IDENTITY, premises=("canonical.ensemble",),
        statement=(sp.Eq(sp.Derivative(beta * Fq, beta), Avg(Hx), evaluate=False),),
        given=(sp.Eq(_U(beta, *q), Avg(Hx), evaluate=False),),
        source=_KV_2, transformation="differentiate beta F = -log Z in beta", derive=_derivation_energy(K, n),
    )
    entropy = Step(
        label="canonical.entropy", title="Thermodynamic entropy beta(U - F) is the Shannon entropy of p(x|q)",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.energy"),
        statement=(sp.Eq(beta * (_U(beta, *q) - Fq), -Avg(sp.log(sp.Function("p")(_x))), evaluate=False),),
        given=(sp.Eq(_S(beta, *q), beta * (_U(beta, *q) - Fq), evaluate=False),),
        source=Source("V2020a", "abstract (thermodynamic entropy and complexity)", "", Provenance.RECONSTRUCTED),
        transformation="insert U = d(beta F)/d beta and log p_i = -beta h_i - log Z",
        derive=_derivation_entropy(K, n),
    )
    energy_variance = Step(
        label="canonical.energy-variance", title="dU/d beta = -Var H",
        kind=Kind.IDENTITY, premises=("canonical.energy",),
        statement=(sp.Eq(sp.Derivative(_U(beta, *q), beta), -Var(Hx), evaluate=False),),
        source=_KV_2, transformation="differentiate U = <H> in beta", derive=_derivation_energy_variance(K, n),
    )
    beta_derivative = Step(
        label="canonical.beta-derivative", title="dF/d beta = (U - F)/beta",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.energy"),
        statement=(sp.Eq(sp.Derivative(Fq, beta), (_U(beta, *q) - Fq) / beta, evaluate=False),),
        source=_KV_2, transformation="differentiate F in beta and compare with U", derive=_derivation_beta(K, n),
    )
    fluctuation = Step(
        label="canonical.noise-fluctuation",
        title="Gradient noise from sampling hidden neurons is fixed by F",
        kind=Kind.IDENTITY, premises=("canonical.ensemble", "canonical.hessian"),
        statement=tuple(sp.Eq(Var(dH[k]), (Avg(sp.Derivative(Hx, q[k], 2)) - sp.Derivative(Fq, q[k], 2)) / beta,
                              evaluate=False) for k in range(K)),
        source=Source("referee", "§1 E10", "", Provenance.RECONSTRUCTED,
                      "consequence of the Hessian identity; not in the available text of the paper"),
        transformation="solve the Hessian identity (k = l) for the variance",
        note=("Consequence: if the SGD noise comes from sampling hidden neurons, its variance depends on q and "
              "is tied to F; a constant isotropic D (learning.langevin) is an assumption that generically "
              "fails (referee.md E10)."),
        derive=_derivation_fluctuation(K, n),
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
        conditions=("learning equilibrium in the sense of 2004.09280: Z(beta, q) = Z_1(beta) Z_2(q)",),
        source=Source("V2020a", "abstract (learning equilibrium)", "", Provenance.VERBATIM,
                      "the factorisation is stated in words in the abstract; its consequences are reconstructed "
                      "(referee.md E10)"),
        transformation="insert Z = Z_1(beta) Z_2(q) in F = -log Z / beta and U = d(beta F)/d beta",
        note=("This is one of three non-equivalent meanings of 'learning equilibrium' (see "
              "equilibrium.not-equivalent)."),
        derive=_derivation_factorised(K, n),
    )
    return (ensemble, force, hessian, energy, entropy, energy_variance, beta_derivative, fluctuation, factorised)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("canonical")
