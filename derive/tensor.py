r"""K > 1 with a learning-rate tensor G and a noise tensor D (referee.md E8).

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
['tensor.lagrangian', 'tensor.equations', 'tensor.scalar-hbar', 'tensor.ordering']

Run ``python -m derive.tensor`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.calculus.euler import euler_equations

from derive.action import s2, s4, sign_variant
from derive.algebra import solve_linear, solve_zero
from derive.step import Context, Kind, Obligation, Provenance, Source, Step
from derive.symbols import F, S, V, coords, field, hbar, lam, p, t

__all__ = ["steps", "tensor"]

_G = sp.Function("G", positive=True)  # a q-dependent (1-D) learning rate
_u = sp.Function("u", positive=True)  # u = sqrt(p)
_qx = sp.Symbol("q", real=True)
_kappa = sp.Symbol("kappa", positive=True)
_c = sp.Symbol("c", real=True)  # the coefficient of the shift F = S + c log p
_E8 = Source("referee", "§1 E8", "", Provenance.RECONSTRUCTED, "r05, r13c; 2504.14728 abstract (g ~ kappa^alpha)")


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


def _derivation_equations(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq = field(p, q), field(F, q)
        # change of variables p = u² (u > 0): the Euler-Lagrange equations in (u, F) are equivalent to those in
        # (p, F), with delta/delta p = (delta/delta u)/(2u), and the expressions stay short
        U = field(_u, q)
        to_u = {P: U**2}
        L = ctx["tensor.lagrangian"].statement[0].rhs.subs(to_u).doit()
        Eu, EF = (e.lhs for e in euler_equations(L, [U, Fq], [*q, t]))
        c_def, cont, qhj = ctx.step.statement
        (shift,) = ctx.step.given  # F = S + c log p
        F_sub = shift.rhs.subs(c_def.lhs, c_def.rhs).subs(to_u)  # with the claimed c
        EF_s = EF.subs(Fq, F_sub).doit()
        ut = solve_zero(EF_s, sp.Derivative(U, t))
        Ep_s = (Eu / (2 * U)).subs(Fq, F_sub).doit().subs(sp.Derivative(U, t), ut)
        return [Obligation("F-equation after the shift = -lambda x continuity", EF_s,
                           -lam * (cont.lhs - cont.rhs).subs(to_u).doit()),
                Obligation("p-equation after the shift = lambda x quantum HJ", Ep_s,
                           lam * (qhj.lhs - qhj.rhs).subs(to_u).doit())]
    return derive


def _derivation_scalar(K):
    def derive(ctx: Context):
        G, Dt = tensor("G", K), tensor("D", K)
        A = ctx["tensor.equations"].fact["A"]
        prop, hb, counter = ctx.step.statement
        obs = []
        kappa = prop.rhs / sp.Symbol("G^{kl}")
        # (<=) D = kappa G: A = hbar^2 s4 G with the stated hbar^2, for s4 = +1, -1
        for sign4 in (1, -1):
            A_prop = A.subs({Dt[i, j]: kappa * G[i, j] for i in range(K) for j in range(K)}).subs(s4, sign4)
            for i in range(K):
                for j in range(i, K):
                    obs.append(Obligation(f"A_{i + 1}{j + 1} = hbar^2 s4 G_{i + 1}{j + 1} (s4={sign4})",
                                          A_prop[i, j], (hb.rhs * s4 * G[i, j]).subs(s4, sign4)))
        # (=>) if A = h s4 G for one scalar h then every D_kl = kappa G_kl, with h = hbar^2 as stated
        h = sp.Symbol("h", real=True)
        for i in range(K):
            for j in range(i, K):
                sol = solve_linear(sp.Eq(A[i, j], h * s4 * G[i, j]), Dt[i, j])
                obs.append(Obligation(f"D_{i + 1}{j + 1} = kappa G_{i + 1}{j + 1} forced (s4=+1)",
                                      sol.subs(h, hb.rhs).subs(s4, 1), (kappa * G[i, j]).subs(s4, 1)))
        # counter-case: D = diag(1, 2), G = identity admit no scalar: A_11/G_11 != A_22/G_22
        sub = {G[0, 0]: 1, G[1, 1]: 1, G[0, 1]: 0, Dt[0, 0]: 1, Dt[1, 1]: 2, Dt[0, 1]: 0}
        obs.append(Obligation("D = diag(1, 2), G = 1: no scalar hbar", (A[0, 0] / G[0, 0]).subs(sub),
                              (A[1, 1] / G[1, 1]).subs(sub), expect_zero=False))
        return obs
    return derive


def _derivation_ordering(ctx: Context):
    P, Fq, Sq = p(_qx, t), F(_qx, t), S(_qx, t)
    G = _G(_qx)
    div_form, plain_form, shift, c_def = ctx.step.given
    F_sub = shift.rhs.subs(c_def.lhs, c_def.rhs)
    cont = sp.Derivative(P, t) + sp.Derivative(P * 2 * s4 * G * sp.Derivative(Sq, _qx), _qx)
    obs = []
    res_div, res_plain = ctx.step.statement
    for name, L, claim in (("divergence form", div_form.rhs, res_div.rhs),
                           ("plain form", plain_form.rhs, res_plain.rhs)):
        EF = euler_equations(L.doit(), [P, Fq], [_qx, t])[1].lhs
        shifted = EF.subs(Fq, F_sub).doit()
        obs.append(Obligation(f"{name}: shifted F-equation + lambda x continuity", shifted + lam * cont.doit(),
                              claim.doit()))
    return obs


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
        given=(sp.Eq(field(F, q), Sq + _c * sp.log(P), evaluate=False),),
        statement=(sp.Eq(_c, c, evaluate=False), sp.Eq(cont, 0, evaluate=False), sp.Eq(qhj, 0, evaluate=False)),
        conditions=("constant symmetric G and D", "p > 0, lambda != 0"),
        facts=(("A", A),),
        source=_E8,
        transformation=("Euler-Lagrange equations of L_G in the variables (u = sqrt p, F); substitute the shift; "
                        "eliminate d_t p"),
        note="Inverse mass tensor 2 s4 G; quantum-potential tensor A = (4 D - s2^2 G/(s4 lambda))/lambda.",
        variant=sign_variant("any", "any (nonzero)", "either"),
        derive=_derivation_equations(K),
    )
    Dkl, Gkl = sp.Symbol("D^{kl}"), sp.Symbol("G^{kl}")
    scalar = Step(
        label="tensor.scalar-hbar", title="A single scalar hbar exists iff D is proportional to G (Einstein relation)",
        kind=Kind.CONDITIONAL, premises=("tensor.equations",),
        statement=(sp.Eq(Dkl, _kappa * Gkl, evaluate=False),
                   sp.Eq(hbar**2, (4 * _kappa * s4 * lam - s2**2) / lam**2, evaluate=False),
                   sp.Ne(sp.Symbol("A^{11}/G^{11}"), sp.Symbol("A^{22}/G^{22}"))),
        conditions=("s4 = +1 or -1",),
        source=_E8,
        transformation=("(<=) insert D = kappa G in A; (=>) require A = h s4 G componentwise and solve for D; "
                        "counter-case D = diag(1, 2), G = identity"),
        note=("Equivalently D = s4 (hbar^2 lambda^2 + s2^2) G/(4 lambda). Generic mini-batch SGD has D ~ Cov(grad H), "
              "not proportional to G: a non-equilibrium steady state (referee.md E8, §5)."),
        variant=sign_variant("any", "+1, -1", "either"),
        derive=_derivation_scalar(K),
    )
    G1 = _G(_qx)
    Pq, Fx, Vx = p(_qx, t), F(_qx, t), V(_qx, t)
    base = (-4 * sp.sqrt(Pq) * sp.Derivative(sp.sqrt(Pq), _qx, 2) + lam * Pq * sp.Derivative(Fx, t)
            + s4 * lam * Pq * G1 * sp.Derivative(Fx, _qx) ** 2 + lam * Pq * Vx)
    ordering = Step(
        label="tensor.ordering",
        title="q-dependent G: the shift removes the diffusion only with item (2) in divergence form d(G dF)",
        kind=Kind.CONDITIONAL, premises=("tensor.lagrangian",),
        given=(sp.Eq(sp.Symbol(r"\mathcal{L}_{div}"), base + s2 * Pq * sp.Derivative(G1 * sp.Derivative(Fx, _qx), _qx),
                     evaluate=False),
               sp.Eq(sp.Symbol(r"\mathcal{L}_{plain}"), base + s2 * Pq * G1 * sp.Derivative(Fx, _qx, 2),
                     evaluate=False),
               sp.Eq(Fx, S(_qx, t) + _c * sp.log(Pq), evaluate=False),
               sp.Eq(_c, s2 / (2 * s4 * lam), evaluate=False)),
        statement=(sp.Eq(sp.Symbol("residual_div"), 0, evaluate=False),
                   sp.Eq(sp.Symbol("residual_plain"),
                         s2 * (sp.Derivative(G1, _qx) * sp.Derivative(Pq, _qx) + sp.Derivative(G1, _qx, 2) * Pq),
                         evaluate=False)),
        conditions=("one trainable variable with a q-dependent learning rate G(q) > 0",),
        source=_E8,
        transformation="E-L F-equation of each ordering, shift F = S + c log p, add lambda x continuity",
        note=("An ordering ambiguity the package states, not resolves (referee.md O3: Laplace-Beltrami, sqrt(g) "
              "measure, Ito correction are open)."),
        variant=sign_variant("any", "any", "either", ordering="divergence form vs plain"),
        derive=_derivation_ordering,
    )
    return (lagrangian, equations, scalar, ordering)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("tensor")
