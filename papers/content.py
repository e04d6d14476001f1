r"""The document's model: its sections and their steps, the gaps, the readings of m and ħ.

Nothing here writes TeX: :mod:`papers.document` renders this model as LaTeX (and a future HTML
blueprint can render the same model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import sympy as sp

from derive.step import Step

__all__ = ["VariantRow", "variant_rows", "Bound", "consistency_bound", "sections", "GAPS"]


@dataclass(frozen=True)
class VariantRow:
    """One reading of m or ħ: the value, and where it comes from (a step's fact, or typed here)."""

    reading: str
    quantity: str              # LaTeX of the quantity, e.g. r"\hbar^2"
    value: sp.Expr
    origin: str | None         # label of the step whose fact gave ``value``; None = typed here
    note: str = ""


_NAME = re.compile(r"[^a-z0-9]")


def _facts_named(steps: Iterable[Step], names: Iterable[str]) -> list[tuple[str, str, sp.Basic]]:
    """Facts, and verified stated equations ``name = value``, whose name is one of ``names``."""
    wanted = {_NAME.sub("", n.lower()) for n in names}
    found = [(s.label, name, value) for s in steps for name, value in s.facts
             if _NAME.sub("", name.lower()) in wanted]
    for s in steps:
        for rel in s.statement:
            # plain symbols only: a DimensionOf([ħ]) = E line states a unit, not a value
            if isinstance(rel, sp.Equality) and type(rel.lhs) is sp.Symbol \
                    and _NAME.sub("", rel.lhs.name.lower()) in wanted:
                found.append((s.label, rel.lhs.name, rel.rhs))
    return found


def _same(a: sp.Basic, b: sp.Basic) -> bool:
    try:
        return sp.simplify(sp.sympify(a) - b) == 0
    except (TypeError, sp.SympifyError, AttributeError):  # a fact that is not an expression
        return False


def variant_rows(steps: Sequence[Step]) -> tuple[VariantRow, ...]:
    """The ħ and m readings of the argument (paper-derivation.md §5.1–2, referee.md E3, E7).

    Each value is typed here from the audit's formulas; where a step of the chain establishes a fact
    under one of the quantity's usual names (``m``, ``hbar``, ``hbar2``, ``hbar_c2``, ...) with the
    same value, that step is named as the origin instead.

    >>> rows = variant_rows(())
    >>> rows[0].reading, rows[0].origin
    ('action route (s₂ = ±1, s₄ = +1)', None)
    """
    from derive.symbols import D, beta, gamma, k_branch, lam, mu

    d = sp.Symbol("d", integer=True, positive=True)
    hb2 = (4 * D * lam - gamma) / (gamma * lam ** 2)
    typed = (
        ("action route (s₂ = ±1, s₄ = +1)", "m", 1 / (2 * gamma), ("m", "mass", "m_action"),
         "continuity equation after the shift F = S + s₂ log p/(2λ)"),
        ("action route (s₂ = ±1, s₄ = +1)", r"\hbar_c^2", hb2, ("hbar_c2", "hbar2", "hbar_c^2", "hbarsq", "hbar_c_sq"),
         "coefficient of the quantum potential; positive only for λ > γ/(4D)"),
        ("action without item 2 (s₂ = 0)", r"\hbar^2", 4 * D / (gamma * lam), ("hbar2_s2_0", "hbar_c2", "hbar2", "hbar_c_sq"),
         "no shift needed; no upper bound"),
        ("learning equilibrium λ* = γ/(2D)", r"\hbar_c", 2 * D / gamma, ("hbar_c", "hbar_star", "hbar_eq"),
         "the largest ħ_c over λ (referee E3)"),
        ("Nelson route (Fokker–Planck only)", "m", 1 / gamma, ("m_nelson", "m"),
         "not known to be used in the papers"),
        ("Nelson route (Fokker–Planck only)", r"\hbar", 2 * D / gamma, ("hbar_nelson", "hbar"),
         "from Nelson's D = ħ/(2m)"),
        ("grand canonical, branch k", r"\hbar", sp.Abs(mu) / (2 * sp.pi * k_branch), ("hbar", "hbar_mu"),
         "ψ single-valued iff ħ = |μ|/(2πk), k = 1, 2, …; k = 1 gives the largest ħ"),
        ("grand canonical, k = 1 (the paper's reading)", r"\hbar", sp.Abs(mu) / (2 * sp.pi), ("hbar", "hbar_mu"),
         "equivalently h = 2πħ = |μ|"),
        ("phase βF instead of F", r"\hbar", beta * sp.Abs(mu) / (2 * sp.pi * k_branch), ("hbar_beta",),
         "a dimensionless phase changes the factor"),
        ("windings only in dℤ", r"\hbar", d * sp.Abs(mu) / (2 * sp.pi * k_branch), ("hbar_d",),
         "if neurons are exchanged only in multiples of d"),
    )
    s2, s4 = sp.Symbol("s_2", real=True), sp.Symbol("s_4", real=True, nonzero=True)  # derive.action's signs
    # a fact written for every sign case must match the row's reading in each case it names
    cases = {"action route (s₂ = ±1, s₄ = +1)": ({s2: 1, s4: 1}, {s2: -1, s4: 1}),
             "action without item 2 (s₂ = 0)": ({s2: 0, s4: 1},)}
    rows = []
    for reading, quantity, value, names, note in typed:
        origin = None
        for label, _, fact in _facts_named(steps, names):
            if all(_same(sp.sympify(fact).subs(at), value) for at in cases.get(reading, ({},))):
                origin = label
                break
        rows.append(VariantRow(reading, quantity, value, origin, note))
    return tuple(rows)


@dataclass(frozen=True)
class Bound:
    """The consistency relation (|μ|/2πk)² = ħ_c²(λ), solved for when a real λ exists."""

    relation: sp.Basic
    discriminant: sp.Expr
    mu_max: sp.Expr
    lam_star: sp.Expr
    hbar_c_max: sp.Expr


def consistency_bound() -> Bound:
    """Computed by SymPy from the typed ħ_c² = (4Dλ − γ)/(γλ²) (referee.md E3, E4).

    >>> from derive.symbols import D, gamma, k_branch
    >>> b = consistency_bound()
    >>> sp.simplify(b.mu_max - 4*sp.pi*k_branch*D/gamma)
    0
    """
    from derive.symbols import D, gamma, k_branch, lam, mu

    a = sp.Symbol("a", positive=True)  # |mu|
    hb2 = (4 * D * lam - gamma) / (gamma * lam ** 2)
    relation = sp.Eq((a / (2 * sp.pi * k_branch)) ** 2, hb2, evaluate=False)
    poly = sp.Poly(sp.expand((relation.lhs - relation.rhs) * gamma * lam ** 2), lam)
    disc = sp.factor(sp.discriminant(poly))
    roots = [r for r in sp.solve(sp.Eq(disc, 0), a) if r.is_positive]
    lam_star = sp.solve(sp.diff(hb2, lam), lam)[0]
    hbar_max = sp.sqrt(sp.simplify(hb2.subs(lam, lam_star)))
    return Bound(relation.subs(a, sp.Abs(mu)), disc.subs(a, sp.Abs(mu)), roots[0], lam_star, hbar_max)



def sections(steps: Sequence[Step]) -> list[tuple[str, str, list[Step]]]:
    """(title, paper section, steps) per section of CONTENTS; steps of no section go last."""
    import importlib

    from derive.contents import CONTENTS

    by = {s.label: s for s in steps}
    placed: set[str] = set()
    out = []
    for sec in CONTENTS:
        members: list[Step] = []
        for name in sec.modules:
            try:
                labels = [s.label for s in importlib.import_module(f"derive.{name}").steps()]
            except ImportError:  # a module not written yet: its steps are not in the chain either
                continue
            members += [by[lab] for lab in labels if lab in by and lab not in placed]
            placed.update(lab for lab in labels if lab in by)
        out.append((sec.title, sec.paper_section, members))
    rest = [s for s in steps if s.label not in placed]
    if rest:
        out.append(("Further steps", "", rest))
    return out



GAPS = (
    ("G1", "The action is a postulate, and its Euler--Lagrange equations are not the learning dynamics' "
           "Fokker--Planck equation",
     r"Read as a Fokker--Planck equation, the $F$-equation of the action has drift $2s_4\gamma\,\partial F$ and "
     r"diffusion $s_2\gamma/\lambda$, not $\gamma\,\partial F$ and $D$. The two agree only at "
     r"$\lambda = \gamma/(2D)$, and even there only up to a factor $\mp 2$: the hydrodynamic time runs twice as "
     r"fast as learning time and, in the descent convention, backwards.", ("E1", "E2", "G1")),
    ("G2", "The multivaluedness of the free energy is imposed, not derived",
     r"At the learning equilibrium the Madelung phase $S = F + T_q\log p$ is constant, so only the sector $n = 0$ "
     r"exists. Away from it, for a finite network $\nabla F = \langle\partial_q H\rangle$ is bounded and single-"
     r"valued, and the circulation felt by $q$ along a history with neuron exchange is $0$ or continuous, never "
     r"in $\mu\mathbb{Z}\setminus\{0\}$. The abstract's word ``imposing'' is accurate; ``must'' is not. The "
     r"package carries multivaluedness as a postulate.", ("E5", "E6", "G2")),
    ("G3", r"$\hbar = |\mu|/2\pi k$ must equal the Madelung coefficient $\hbar_c$",
     r"Otherwise $\psi = \sqrt{p}\,e^{iS/\hbar}$ obeys a nonlinear equation with the extra term "
     r"$\frac{\hbar^2-\hbar_c^2}{2m}\frac{\nabla^2|\psi|}{|\psi|}\psi$ and superposition is lost. Since "
     r"$\hbar_c \le 2D/\gamma = 2T_q$, the two can agree only if $|\mu| \le 4\pi k\,T_q$ "
     r"(Section~\ref{sec:variants}).", ("E3", "E4", "G3")),
)

