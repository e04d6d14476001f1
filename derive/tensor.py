r"""K > 1 with a learning-rate tensor G and a noise tensor D (the package's own reconstruction; V2025 abstract).

With constant symmetric tensors the action of :mod:`derive.action` becomes

.. math::

    \mathcal L_G = -4\sqrt p\,D^{kl}\partial_k\partial_l\sqrt p + s_2\,p\,G^{kl}\partial_k\partial_lF
      + \lambda p\,\partial_tF + s_4\lambda\,p\,G^{kl}\partial_kF\,\partial_lF + \lambda pV .

* The shift :math:`F = S + (s_2/2s_4\lambda)\log p` works for **any** G: continuity
  :math:`\partial_tp + \partial_k(p\,2s_4G^{kl}\partial_lS) = 0`, and the quantum Hamilton–Jacobi equation
  :math:`\partial_tS + s_4G^{kl}\partial_kS\partial_lS + V - A^{kl}\partial_k\partial_l\sqrt p/\sqrt p = 0` with
  :math:`A = (4D - s_2^2G/(s_4\lambda))/\lambda`.
* A single scalar ħ (A = ħ² s₄ G, the form ħ²/2m with 1/2m = s₄G) exists **iff D ∝ G**:
  :math:`D = s_4(\hbar^2\lambda^2 + s_2^2)G/(4\lambda)` (the Einstein relation).
* For a q-dependent G (checked in one dimension) the shift removes the diffusion only if item (2) is in
  divergence form :math:`s_2p\,\partial(G\partial F)`; with :math:`s_2pG\partial^2F` a residual
  :math:`s_2(G'p' + G''p)` remains: an ordering ambiguity.

>>> from derive.tensor import steps
>>> [s.label for s in steps()]
['tensor.lagrangian', 'tensor.equations', 'tensor.scalar-planck', 'tensor.ordering']

Run ``python -m derive.tensor`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.action import lagrangian as scalar_lagrangian
from derive.action import s2, s4, sign_variant
from derive.algebra import solve_linear, solve_zero
from derive.chain_rule import derivative, doit, euler_equations  # derivatives by the chain rule
from derive.notation import Functional
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, S, V, coords, field, gamma, hbar, lam, p, t

__all__ = ["steps", "tensor"]

_G = sp.Function("G", positive=True)  # a q-dependent (1-D) learning rate
_u = sp.Function("u", positive=True)  # u = sqrt(p)
_qx = sp.Symbol("q", real=True)
_kappa = sp.Symbol("kappa", positive=True)
_c = sp.Symbol("c", real=True)  # the coefficient of the shift F = S + c log p
_EF = sp.Symbol("E_F")  # E_F[L]: the Euler-Lagrange expression of F of a Lagrangian L
_E8 = Source("V2025", "abstract (a learning-rate tensor g ~ kappa^alpha)", "", Provenance.RECONSTRUCTED,
             "the package's own reconstruction: the action of KV2021 §2 with tensors G and D in place of "
             "gamma and D (action.lagrangian)")


def tensor(name: str, K: int = 2) -> sp.Matrix:
    """A constant symmetric K×K tensor of real symbols name_kl (k ≤ l)."""
    return sp.Matrix(K, K, lambda i, j: sp.Symbol(f"{name}_{min(i, j) + 1}{max(i, j) + 1}", real=True))


def _contract(T: sp.Matrix, a, b) -> sp.Expr:
    return sp.Add(*(T[i, j] * a[i] * b[j] for i in range(T.rows) for j in range(T.cols)))


def _hess(f: sp.Expr, T: sp.Matrix, q) -> sp.Expr:
    """T^{kl} ∂_k∂_l f (unevaluated derivatives)."""
    return sp.Add(*(T[i, j] * sp.Derivative(f, q[i], q[j]) for i in range(len(q)) for j in range(len(q))))


def _lagrangian(K: int) -> sp.Expr:
    q = coords(K)
    P, Fq, Vq = field(p, q), field(F, q), field(V, q)
    G, Dt = tensor("G", K), tensor("D", K)
    r = sp.sqrt(P)
    dF = [sp.Derivative(Fq, x) for x in q]
    return (-4 * r * _hess(r, Dt, q) + s2 * P * _hess(Fq, G, q) + lam * P * sp.Derivative(Fq, t)
            + s4 * lam * P * _contract(G, dF, dF) + lam * P * Vq)


def _isotropic(K: int) -> dict:
    """G = γ·1, D = D·1: the tensors of the scalar action (action.lagrangian)."""
    G, Dt = tensor("G", K), tensor("D", K)
    return {**{G[i, j]: (gamma if i == j else 0) for i in range(K) for j in range(K)},
            **{Dt[i, j]: (D if i == j else 0) for i in range(K) for j in range(K)}}


def _derivation_lagrangian(K: int):
    def derive(ctx: Context):
        # L_G with isotropic tensors is the premise's displayed Lagrangian: the tensor action generalises it
        iso = ctx.step.statement[0].rhs.xreplace(_isotropic(K))
        return [Show("fact:L_isotropic", quantity=iso, name="L_G at G = gamma 1, D = D 1"),
                Show("fact:L_isotropic", quantity=ctx["action.lagrangian"].statement[0].rhs,
                     name="the Lagrangian displayed by action.lagrangian")]
    return derive


def _el_shifted(ctx: Context, K: int):
    """The Euler-Lagrange expressions of L_G (tensor.lagrangian) in (u = sqrt p, F), after the shift
    F = S + c log p: (E_F, E_p/(2u), c) with c the coefficient that removes the diffusion from E_F."""
    q = coords(K)
    P, Fq, Sq = field(p, q), field(F, q), field(S, q)
    # change of variables p = u² (u > 0): the Euler-Lagrange equations in (u, F) are equivalent to those in
    # (p, F), with delta/delta p = (delta/delta u)/(2u), and the expressions stay short
    U = field(_u, q)
    L = doit(ctx["tensor.lagrangian"].statement[0].rhs.subs(P, U**2))
    Eu, EF = (e.lhs for e in euler_equations(L, [U, Fq], [*q, t]))
    shift = Sq + _c * sp.log(U**2)
    EF_c = sp.expand(doit(EF.subs(Fq, shift)))
    # the shift removes the diffusion: the coefficient of d_1^2 u in the shifted F-equation vanishes
    c_val = solve_zero(EF_c.coeff(sp.Derivative(U, q[0], 2)), _c)
    EF_s = EF_c.subs(_c, c_val)
    Ep_s = doit((Eu / (2 * U)).subs(Fq, shift)).subs(_c, c_val)
    return U, EF_s, Ep_s, c_val


def _coefficient(expr: sp.Expr, x: sp.Expr) -> sp.Expr:
    """d expr / d x for an expression linear in x (x a derivative or a function)."""
    u = sp.Dummy("x")
    return derivative(expr.xreplace({x: u}), u)


def _derivation_equations(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq, Sq = field(p, q), field(F, q), field(S, q)
        U, EF_s, Ep_s, c_val = _el_shifted(ctx, K)
        R = {Fq: Sq + _c * sp.log(P), _c: c_val, P: U**2}
        # the p-equation with d_t u eliminated by the F-equation: E_p - (dE_p/d u_t)/(dE_F/d u_t) E_F
        ut = sp.Derivative(U, t)
        ratio = _coefficient(Ep_s, ut) / _coefficient(EF_s, ut)
        shows = [Show(0, R, name="c removes the diffusion from the F-equation"),
                 Show(1, R, modulo=((-1 / lam, EF_s),), name="continuity = -(F-equation)/lambda"),
                 Show(2, R, modulo=((1 / lam, Ep_s), (-ratio / lam, EF_s)),
                      name="quantum HJ = (p-equation on the F-equation)/lambda")]
        # the facts A_kl: the coefficients of -d_k d_l sqrt(p)/sqrt(p) in the displayed quantum HJ
        qhj = ctx.step.statement[2].lhs
        for i in range(K):
            for j in range(i, K):
                coeff = -sp.sqrt(P) * _coefficient(qhj, sp.Derivative(sp.sqrt(P), q[i], q[j]))
                shows.append(Show(f"fact:A_{i + 1}{j + 1}", None, quantity=coeff))
        return shows
    return derive


def _scalar_rules(ctx: Context, K: int) -> dict:
    """A_kl of tensor.equations (its facts)."""
    fact = ctx["tensor.equations"].fact
    return {(i, j): fact[f"A_{i + 1}{j + 1}"] for i in range(K) for j in range(i, K)}


def _derivation_scalar(K):
    def derive(ctx: Context):
        G, Dt = tensor("G", K), tensor("D", K)
        A = _scalar_rules(ctx, K)
        Dkl, Gkl = sp.Symbol("D^{kl}"), sp.Symbol("G^{kl}")
        shows = []
        for sign4 in (1, -1):
            for (i, j), Aij in A.items():
                tag = f"k={i + 1}, l={j + 1}, s4={sign4:+d}"
                # (<=) D = kappa G: A_kl/(s4 G_kl) is the same scalar for every k, l: the displayed hbar^2
                prop = Aij.subs({Dt[a, b]: _kappa * G[a, b] for a in range(K) for b in range(K)})
                shows.append(Show(0, {hbar**2: prop / (s4 * G[i, j]), s4: sign4}, name=f"(<=) {tag}"))
                # (=>) A_kl = hbar^2 s4 G_kl for one scalar hbar forces D_kl, solved componentwise
                D_forced = solve_linear(sp.Eq(Aij, hbar**2 * s4 * G[i, j]), Dt[i, j])
                shows.append(Show(1, {Dkl: D_forced, Gkl: G[i, j], s4: sign4}, name=f"(=>) {tag}"))
        # counter-case: D = diag(1, 2), G = identity admit no scalar
        A11, A22 = sp.Symbol("A_11"), sp.Symbol("A_22")
        at = {G[0, 0]: 1, G[1, 1]: 1, G[0, 1]: 0, Dt[0, 0]: 1, Dt[1, 1]: 2, Dt[0, 1]: 0, lam: 1, s2: 1, s4: 1}
        gap = 4 * (Dt[0, 0] / G[0, 0] - Dt[1, 1] / G[1, 1]) / lam
        shows.append(Show(2, {A11: A[(0, 0)], A22: A[(1, 1)]}, nonzero=Nonzero(gap, at),
                          name="D = diag(1, 2), G = 1: no scalar hbar"))
        return shows
    return derive


def _derivation_ordering(ctx: Context):
    P, Fq = p(_qx, t), F(_qx, t)
    c_rel = ctx["tensor.equations"].statement[0]  # c = s2/(2 s4 lambda)
    shift = sp.Eq(Fq, S(_qx, t) + c_rel.rhs * sp.log(P))

    def el(e: sp.Expr) -> sp.Expr:
        # E_F[L]: the Euler-Lagrange expression of F of each displayed Lagrangian, then the shift
        # (a Lagrangian that is not a function of F, e.g. an undefined name, is left unrealised)
        e = e.replace(lambda a: isinstance(a, Functional) and a.args[0] == _EF and a.args[1].has(Fq),
                      lambda a: euler_equations(a.args[1].doit(), [P, Fq], [_qx, t])[1].lhs)
        return doit(e.subs(shift.lhs, shift.rhs))
    R = Realise({_c: c_rel.rhs}, el)
    # at a constant rate G = gamma both orderings are the scalar action in one variable (with D = 1)
    constant = {_G(_qx): gamma}
    ties = [Show("fact:L_constant_G", quantity=g.rhs.xreplace(constant),
                 name=f"{g.lhs} at G = gamma: the one-variable action of action.lagrangian, D = 1")
            for g in ctx.step.given]
    # line 3: the two orderings differ by s2 p G' dF (product rule)
    return [Show(0, R), Show(1, R), Show(2, name="the orderings differ by s2 p G' d_q F")] + ties


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The tensor steps (constant tensors in K dimensions; the ordering check in one dimension)."""
    q = coords(K)
    P, Sq, Vq = field(p, q), field(S, q), field(V, q)
    G, Dt = tensor("G", K), tensor("D", K)
    L = _lagrangian(K)
    lagrangian = Step(
        label="tensor.lagrangian", title="The action with a constant learning-rate tensor G and noise tensor D",
        kind=Kind.DEFINITION, premises=("action.lagrangian",),
        statement=(sp.Eq(sp.Symbol(r"\mathcal{L}_G"), L, evaluate=False),),
        source=_E8,
        assumptions=("G, D constant symmetric K x K tensors (G replaces gamma, D replaces D times the identity)",
                     f"K = {K}"),
        variant=sign_variant("any", "any", "either"),
        facts=(("L_isotropic", scalar_lagrangian(K)),),
        note="With G = gamma 1 and D = D 1 it is the Lagrangian of action.lagrangian (checked).",
        derive=_derivation_lagrangian(K),
    )
    c = s2 / (2 * s4 * lam)
    dS = [sp.Derivative(Sq, x) for x in q]
    flux = [2 * s4 * sp.Add(*(G[i, j] * dS[j] for j in range(K))) for i in range(K)]
    A = (4 * Dt - s2**2 * G / (s4 * lam)) / lam
    cont = sp.Derivative(P, t) + sp.Add(*(sp.Derivative(P * flux[i], q[i]) for i in range(K)))
    qhj = (sp.Derivative(Sq, t) + s4 * _contract(G, dS, dS) + Vq
           - _hess(sp.sqrt(P), A, q) / sp.sqrt(P))
    equations = Step(
        label="tensor.equations", title="The shift F = S + (s2/2 s4 lambda) log p works for any constant G",
        kind=Kind.CONDITIONAL, premises=("tensor.lagrangian",),
        statement=(sp.Eq(_c, c, evaluate=False), sp.Eq(cont, 0, evaluate=False), sp.Eq(qhj, 0, evaluate=False)),
        conditions=(Condition("the shift F = S + c log p, p = u^2 > 0",
                              imposed=sp.Eq(field(F, q), Sq + _c * sp.log(P), evaluate=False)),
                    Condition("lambda != 0", holds=sp.Ne(lam, 0))),
        assumptions=("G, D constant symmetric K x K tensors (tensor.lagrangian)",),
        facts=tuple((f"A_{i + 1}{j + 1}", A[i, j]) for i in range(K) for j in range(i, K)),
        source=_E8,
        transformation=("Euler-Lagrange equations of L_G in the variables (u = √p, F); substitute the shift; c is "
                        "the coefficient that removes d^2 u from the F-equation; continuity = -(F-equation)/lambda, "
                        "quantum HJ = (p-equation with d_t u eliminated by the F-equation)/lambda"),
        note="Inverse mass tensor 2 s4 G; quantum-potential tensor A = (4 D - s2^2 G/(s4 lambda))/lambda.",
        variant=sign_variant("any", "any (nonzero)", "either"),
        derive=_derivation_equations(K),
    )
    Dkl, Gkl = sp.Symbol("D^{kl}"), sp.Symbol("G^{kl}")
    scalar = Step(
        label="tensor.scalar-planck", title="A single scalar ħ exists iff D is proportional to G (Einstein relation)",
        kind=Kind.CONDITIONAL, premises=("tensor.equations",),
        statement=(sp.Eq(hbar**2, (4 * _kappa * s4 * lam - s2**2) / lam**2, evaluate=False),
                   sp.Eq(Dkl, s4 * (hbar**2 * lam**2 + s2**2) * Gkl / (4 * lam), evaluate=False),
                   sp.Ne(sp.Symbol("A_11") / G[0, 0], sp.Symbol("A_22") / G[1, 1])),
        conditions=(Condition("s4 = +1 or -1", case=("s4", "+1, -1")),),
        source=_E8,
        transformation=("line 1 (<=): insert D = kappa G in A_kl (tensor.equations): A_kl/(s4 G_kl) is the displayed "
                        "ħ^2 for every k, l; line 2 (=>): require A_kl = ħ^2 s4 G_kl and solve for D_kl; line 3: "
                        "A_11/G_11 - A_22/G_22 = 4(D_11/G_11 - D_22/G_22)/lambda, nonzero at the counter-case "
                        "D = diag(1, 2), G = identity, lambda = 1"),
        note=("Equivalently D = kappa G with kappa = s4 (ħ^2 lambda^2 + s2^2)/(4 lambda). Generic mini-batch SGD has D ~ Cov(grad H), "
              "not proportional to G: a non-equilibrium steady state."),
        variant=sign_variant("any", "+1, -1", "either"),
        derive=_derivation_scalar(K),
    )
    G1 = _G(_qx)
    Pq, Fx, Vx = p(_qx, t), F(_qx, t), V(_qx, t)
    base = (-4 * sp.sqrt(Pq) * sp.Derivative(sp.sqrt(Pq), _qx, 2) + lam * Pq * sp.Derivative(Fx, t)
            + s4 * lam * Pq * G1 * sp.Derivative(Fx, _qx) ** 2 + lam * Pq * Vx)
    L_div, L_plain = sp.Symbol(r"\mathcal{L}_{div}"), sp.Symbol(r"\mathcal{L}_{plain}")
    cont1 = sp.Derivative(Pq, t) + sp.Derivative(Pq * 2 * s4 * G1 * sp.Derivative(S(_qx, t), _qx), _qx)
    ordering = Step(
        label="tensor.ordering",
        title="q-dependent G: the shift removes the diffusion only with item (2) in divergence form d(G dF)",
        kind=Kind.CONDITIONAL, premises=("tensor.equations",),
        given=(sp.Eq(L_div, base + s2 * Pq * sp.Derivative(G1 * sp.Derivative(Fx, _qx), _qx), evaluate=False),
               sp.Eq(L_plain, base + s2 * Pq * G1 * sp.Derivative(Fx, _qx, 2), evaluate=False)),
        statement=(sp.Eq(Functional(_EF, L_div) + lam * cont1, 0, evaluate=False),
                   sp.Eq(Functional(_EF, L_plain) + lam * cont1,
                         s2 * (sp.Derivative(G1, _qx) * sp.Derivative(Pq, _qx) + sp.Derivative(G1, _qx, 2) * Pq),
                         evaluate=False),
                   sp.Eq(L_div - L_plain, s2 * Pq * sp.Derivative(G1, _qx) * sp.Derivative(Fx, _qx), evaluate=False)),
        conditions=(Condition("the shift F = S + c log p with the c of tensor.equations",
                              imposed=sp.Eq(Fx, S(_qx, t) + _c * sp.log(Pq), evaluate=False)),),
        assumptions=("one trainable variable with a q-dependent learning rate G(q) > 0",
                     "noise D = 1 (item 1 of the action with D = 1)"),
        facts=(("L_constant_G", scalar_lagrangian(1).xreplace({coords(1)[0]: _qx}).subs(D, 1)),),
        source=_E8,
        transformation=("E_F[L]: the Euler-Lagrange expression of F of each ordering; shift F = S + c log p with "
                        "c = s2/(2 s4 lambda) of tensor.equations; add lambda x continuity; line 3 is the product rule"),
        note=("An ordering ambiguity the package states, not resolves (Laplace-Beltrami, √g measure, Ito "
              "correction are open)."),
        variant=sign_variant("any", "any", "either", ordering="divergence form vs plain"),
        derive=_derivation_ordering,
    )
    return (lagrangian, equations, scalar, ordering)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("tensor")
