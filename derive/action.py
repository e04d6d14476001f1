r"""The principle of stationary entropy production and the action built from the five terms.

Vanchurin 2008.01540 §§4–5 (recapped in Katsnelson & Vanchurin 2021 §2).  The principle's *name* is
a section heading of 2008.01540; its wording was not seen.  Section 5 lists, verbatim, five terms
(the multiplier called μ there is **λ** here, because in 2012.05082 μ is the chemical potential,
μ is the chemical potential of ``grand.ensemble``):

1. :math:`-4D\,\partial_{q_k}^2` — entropy production due to stochastic dynamics of the q_k;
2. :math:`\gamma\,\partial_{q_k}^2 F` — entropy production due to learning dynamics;
3. :math:`\lambda\,\partial_t F` — free-energy production due to dynamics of the hidden x_i;
4. :math:`\lambda\gamma\,(\partial_{q_k}F)^2` — free-energy production due to learning dynamics;
5. :math:`\lambda V` — the (negative of) total time-averaged free-energy production.

The first item is an operator; the package's reconstruction (``action.lagrangian``) sandwiches the list
between :math:`\sqrt p` factors.  The signs of items (2) and (4) and the sign of λ are **parameters**
(``action.sign-symmetry``): :math:`s_2 \in \{+1, 0, -1\}`, :math:`s_4 \in \{+1, -1\}`, λ real and nonzero,

.. math::

    \mathcal L = -4D\sqrt p\,\partial_k^2\sqrt p + s_2\gamma\,p\,\partial_k^2F + \lambda\,p\,\partial_tF
                 + s_4\lambda\gamma\,p\,(\partial_kF)^2 + \lambda\,p\,V ,\qquad
    \mathcal S_e[p, F] = \int dt\,d^Kq\;\mathcal L .

The verbatim pattern is :math:`(s_2, s_4) = (+1, +1)`.  Reading (``action.lagrangian``): F(q, t) is varied as an
independent field with :math:`\partial_tF \ne 0`, and V is an external potential.

>>> from derive.action import steps, s2, s4
>>> [s.label for s in steps()][:3]
['action.principle', 'action.terms', 'action.lagrangian']
>>> steps()[2].fact["L"].has(s2, s4)
True

Run ``python -m derive.action`` to print the steps with their verdicts.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive.proof import Realise, Show
from derive.step import Context, Kind, Provenance, Source, Step
from derive.symbols import D, F, V, coords, field, gamma, lam, p, t

__all__ = ["steps", "s2", "s4", "SIGN_CASES", "lagrangian", "laplacian", "grad_sq", "divergence",
           "sign_variant"]

#: sign of item (2), γ∂²F, in the action: +1 (verbatim), −1, or 0 (item dropped)
s2 = sp.Symbol("s_2", real=True)
#: sign of item (4), λγ(∂F)², in the action: +1 (verbatim) or −1
s4 = sp.Symbol("s_4", real=True, nonzero=True)
#: the four sign cases (s₂, s₄) of action.lagrangian, verbatim first
SIGN_CASES: tuple[tuple[int, int], ...] = ((1, 1), (-1, 1), (1, -1), (-1, -1))

_eps = sp.Symbol("epsilon", real=True)
_Se = sp.Function(r"\mathcal{S}_e", real=True)
_L = sp.Symbol(r"\mathcal{L}", real=True)
_ell = dict(enumerate(sp.symbols("ell_1:6", real=True), 1))  # the items ℓ₁…ℓ₅ of the verbatim list, for display
_qk = sp.Symbol("q_k", real=True)


def sign_variant(s2_value: str = "any", s4_value: str = "any", lam_sign: str = "either",
                 **more: str) -> tuple[tuple[str, str], ...]:
    """The ``Step.variant`` tag of a step that holds for the given signs (strings, e.g. '+1')."""
    return (("s2", s2_value), ("s4", s4_value), ("lambda", lam_sign)) + tuple(more.items())


# ---------------------------------------------------------------- field operators (unevaluated)

def laplacian(f: sp.Expr, q: tuple[sp.Symbol, ...]) -> sp.Expr:
    r""":math:`\partial_k^2 f` summed over k (unevaluated derivatives, as in the paper)."""
    return sp.Add(*(sp.Derivative(f, x, 2) for x in q))


def grad_sq(f: sp.Expr, q: tuple[sp.Symbol, ...]) -> sp.Expr:
    r""":math:`(\partial_k f)^2` summed over k."""
    return sp.Add(*(sp.Derivative(f, x) ** 2 for x in q))


def divergence(vec: tuple[sp.Expr, ...], q: tuple[sp.Symbol, ...]) -> sp.Expr:
    r""":math:`\partial_k v_k` summed over k."""
    return sp.Add(*(sp.Derivative(v, x) for v, x in zip(vec, q)))


def lagrangian(K: int = 2, sign2: sp.Expr = s2, sign4: sp.Expr = s4) -> sp.Expr:
    """The reconstructed Lagrangian density in K trainable variables (signs as given)."""
    q = coords(K)
    P, Fq, Vq = field(p, q), field(F, q), field(V, q)
    r = sp.sqrt(P)
    return (-4 * D * r * laplacian(r, q) + sign2 * gamma * P * laplacian(Fq, q)
            + lam * P * sp.Derivative(Fq, t) + sign4 * lam * gamma * P * grad_sq(Fq, q) + lam * P * Vq)


_DOT = sp.Symbol("(.)")  # the argument slot of item 1, an operator


# ---------------------------------------------------------------- derivations

def _derivation_lagrangian(K):
    def derive(ctx: Context):
        q = coords(K)
        P, Fq, Vq = field(p, q), field(F, q), field(V, q)
        r = sp.sqrt(P)
        items = [rel.rhs for rel in ctx["action.terms"].statement]  # the five verbatim terms, in one q_k
        signs = (1, s2, 1, s4, 1)  # the verbatim pattern is s2 = s4 = +1; the action carries them as parameters
        parts = []
        for j, item in enumerate(items):
            if any(_qk in d.variables for d in item.atoms(sp.Derivative)):  # a q_k derivative: summed over k
                item = sp.Add(*(item.xreplace({F(_qk, t): Fq, V(_qk, t): Vq}).xreplace({_qk: qk}) for qk in q))
            else:
                item = item.xreplace({F(_qk, t): Fq, V(_qk, t): Vq})
            # between sqrt(p) factors: item 1 is an operator acting on the right-hand sqrt(p)
            parts.append(signs[j] * (r * item.xreplace({_DOT: r}) if item.has(_DOT) else P * item))
        own = Realise({r_.lhs: r_.rhs for r_ in ctx.step.statement[:1]})
        # the action displayed in (2) is the principle's S_e at the point where the principle makes it stationary
        stationary = ctx["action.principle"].statement[0].lhs  # Subs(d S_e(eps)/d eps, eps, point)
        at_point = stationary.expr.expr.xreplace(dict(zip(stationary.variables, stationary.point)))
        return [Show("fact:terms", quantity=sp.Tuple(*parts)),
                Show("fact:L", own, quantity=_L),
                Show("fact:S_e", quantity=at_point, name="S_e: the principle's action at its stationary point"),
                Show("fact:S_e", quantity=ctx.step.statement[1].lhs, name="S_e: the action displayed in (2)")]
    return derive


def _derivation_fisher(K):
    def derive(ctx: Context):
        L = ctx["action.lagrangian"].rules()[_L]  # the displayed Lagrangian density
        # (1), (2): product rule, an identity of the displayed expressions; (3): item 1 is what survives of the
        # premise's Lagrangian at gamma = lambda = 0
        R = Realise({_L: L})
        return [Show(0, R), Show(1, R), Show(2, R)]
    return derive


def _derivation_symmetry(K):
    def derive(ctx: Context):
        L = ctx["action.lagrangian"].rules()[_L]
        # the map (F, s2, s4, lambda, V) -> (-F, -s2, -s4, -lambda, -V) is applied by the displayed Subs
        return [Show(0, Realise({_L: L}))]
    return derive


@cache
def steps(K: int = 2) -> tuple[Step, ...]:
    """The action steps for K trainable variables (the sums over k written out)."""
    q = coords(K)
    P, Fq, Vq = field(p, q), field(F, q), field(V, q)
    r = sp.sqrt(P)
    L = lagrangian(K)
    Fk = F(_qk, t)
    principle = Step(
        label="action.principle", title="Principle of stationary entropy production",
        kind=Kind.POSTULATE,
        statement=(sp.Eq(sp.Subs(sp.Derivative(_Se(_eps), _eps), _eps, 0), 0, evaluate=False),),
        source=Source("V2020b", "§4 (heading 'Principle of Stationary Entropy Production')", "",
                      Provenance.RECONSTRUCTED,
                      "the heading is verbatim; the wording of the principle was not seen. Reconstruction: the "
                      "path makes the entropy production stationary subject to the free-energy constraint "
                      "(multiplier lambda, the mu of 2008.01540)"),
        assumptions=("S_e(epsilon) = S_e[p + epsilon chi, F + epsilon phi] for every variation chi, phi of "
                     "compact support",
                     "the principle is an input of the argument, not derived from the learning dynamics "
                     "(madelung.not-sgd)"),
        note="Its Euler-Lagrange equations are not the SGD Fokker-Planck equation (madelung.fp-reading).",
    )
    terms = Step(
        label="action.terms", title="The five terms of the entropy-production functional (2008.01540 §5)",
        kind=Kind.DEFINITION,
        statement=(sp.Eq(_ell[1], -4 * D * sp.Derivative(_DOT, _qk, 2), evaluate=False),
                   sp.Eq(_ell[2], gamma * sp.Derivative(Fk, _qk, 2), evaluate=False),
                   sp.Eq(_ell[3], lam * sp.Derivative(Fk, t), evaluate=False),
                   sp.Eq(_ell[4], lam * gamma * sp.Derivative(Fk, _qk) ** 2, evaluate=False),
                   sp.Eq(_ell[5], lam * V(_qk, t), evaluate=False)),
        source=Source("V2020b", "§5", "", Provenance.VERBATIM,
                      "the five-term list is verbatim from the MDPI copy of 2008.01540 §5, with its multiplier "
                      "mu renamed lambda (in KV2021 mu is the chemical potential); item 1 is an operator acting on (.)"),
        assumptions=("1: entropy production due to stochastic dynamics of q_k",
                     "2: entropy production due to learning dynamics of q_k",
                     "3: free energy production due to dynamics of x_i",
                     "4: free energy production due to learning dynamics of q_k",
                     "5: the (negative of) total time-averaged free energy production"),
        variant=sign_variant("+1", "+1", "either"),
    )
    lagr = Step(
        label="action.lagrangian",
        title="The action: the five terms between √p factors, with the signs s2, s4, sign(lambda) as parameters",
        kind=Kind.DEFINITION, premises=("action.terms", "action.principle"),
        statement=(sp.Eq(_L, L, evaluate=False),
                   sp.Eq(_Se(0), sp.Integral(_L, t, *q), evaluate=False)),
        source=Source("V2020b", "§5 (presumably eq. (5.1))", "", Provenance.RECONSTRUCTED,
                      "the sqrt(p)-sandwich, the signs s2, s4 and the name lambda are reconstructions "
                      "(the package's own reconstruction of V2020b §5); the verbatim pattern is s2 = s4 = +1"),
        assumptions=("s2 in {+1, 0, -1} (item 2 with either sign, or dropped), s4 in {+1, -1}, lambda real and "
                     "nonzero: explicit parameters, every later step names the case it holds in",
                     "reading of F: F(q, t) is an independent field, varied, with dF/dt != 0 "
                     "(microscopically F = -T log Z is fixed by architecture and data)",
                     "reading of V: V(q, t) is an external potential, not the functional of the "
                     "solution that 'total time-averaged free energy production' describes",
                     "p > 0; no normalisation multiplier (it can be absorbed into V)",
                     f"K = {K} trainable variables, summation over k written out"),
        facts=(("S_e", _Se(sp.S.Zero)), ("L", L),
               ("terms", sp.Tuple(-4 * D * r * laplacian(r, q), s2 * gamma * P * laplacian(Fq, q),
                                  lam * P * sp.Derivative(Fq, t), s4 * lam * gamma * P * grad_sq(Fq, q),
                                  lam * P * Vq))),
        variant=sign_variant("any", "any", "either", reading="F independent field, V external"),
        derive=_derivation_lagrangian(K),
    )
    fisher = Step(
        label="action.fisher-form",
        title="The √p-sandwich and the Fisher form of item 1 differ by a divergence",
        kind=Kind.IDENTITY, premises=("action.lagrangian",),
        statement=(sp.Eq(-4 * D * r * laplacian(r, q), 4 * D * grad_sq(r, q)
                         - sp.Add(*(sp.Derivative(4 * D * r * sp.Derivative(r, x), x) for x in q)), evaluate=False),
                   sp.Eq(4 * D * grad_sq(r, q), D * grad_sq(P, q) / P, evaluate=False),
                   sp.Eq(sp.Subs(_L, (gamma, lam), (0, 0)), -4 * D * r * laplacian(r, q), evaluate=False)),
        source=Source("V2020b", "§5, item (1)", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: the sqrt(p)-sandwich of item (1) (action.lagrangian) "
                      "against the Fisher form of entropy.fisher"),
        transformation="product rule on d_k(√p d_k √p)",
        note="A divergence does not change the Euler-Lagrange equations, so both forms of item 1 give the same "
             "equations (el.equations).",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_fisher(K),
    )
    symmetry = Step(
        label="action.sign-symmetry",
        title="L is invariant under (F, s2, s4, lambda, V) -> (-F, -s2, -s4, -lambda, -V)",
        kind=Kind.IDENTITY, premises=("action.lagrangian",),
        statement=(sp.Eq(sp.Subs(_L, (s2, s4, lam, Fq, Vq), (-s2, -s4, -lam, -Fq, -Vq)), _L, evaluate=False),),
        source=Source("V2020b", "§5", "", Provenance.RECONSTRUCTED,
                      "the package's own reconstruction: the signs s2, s4, sign(lambda) of the verbatim list are "
                      "parameters (action.lagrangian)"),
        transformation="substitute the sign map into L",
        note="Only the sign of s4*lambda and the relative sign of item 2 carry physics.",
        variant=sign_variant("any", "any", "either"),
        derive=_derivation_symmetry(K),
    )
    return (principle, terms, lagr, fisher, symmetry)


if __name__ == "__main__":  # pragma: no cover
    from derive.report import print_module

    print_module("action")
