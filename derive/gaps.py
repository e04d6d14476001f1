r"""The gaps of the argument, as values: what each says and the steps that show it.

Three steps of Katsnelson & Vanchurin's argument do not follow from the ones before them.  Each gap is
a :class:`Gap`: its statement in words, the steps it names (``steps``) and, where the gap is a claim the
package can check, the steps whose verdicts establish it (``claims``; a negative result, a bound or an
identity).  ``display`` names the facts of one step that the document displays with the gap (the
values themselves are the step's, tied to its display by the verifier).

>>> [g.key for g in GAPS]
['G1', 'G2', 'G3']
>>> gap("G3").claims
('consistency.match', 'consistency.nonlinear')
>>> gap("G2").postulate
'multivalued.postulate'
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.errors import InputError

__all__ = ["Gap", "GAPS", "gap", "labels"]


@dataclass(frozen=True)
class Gap:
    """One gap: ``key`` (G1, G2, G3), ``title`` and ``statement`` in words (Unicode), the steps it names
    (``steps``, in reading order), the steps whose verdicts establish it (``claims``, a subset of
    ``steps``), the postulate it rests on if the gap is that something is imposed (``postulate``), and
    the facts of one step that show it in a single display (``display`` = (label, fact names))."""

    key: str
    title: str
    statement: str
    steps: tuple[str, ...]
    claims: tuple[str, ...] = ()
    postulate: str = ""
    display: tuple[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        if not (self.key and self.title and self.statement and self.steps):
            raise ValueError(f"gap {self.key!r}: a key, a title, a statement and the steps it names are required")
        missing = [lab for lab in self.claims + ((self.postulate,) if self.postulate else ()) if lab not in self.steps]
        if missing:
            raise ValueError(f"gap {self.key}: {', '.join(missing)} must be among the steps it names")
        if self.display is not None and self.display[0] not in self.steps:
            raise ValueError(f"gap {self.key}: the displayed step {self.display[0]} must be among its steps")


GAPS: tuple[Gap, ...] = (
    Gap("G1", "The action's Euler–Lagrange equation is not the learning Fokker–Planck equation",
        "Read as a Fokker–Planck equation, the F-equation of the action has drift 2s₄γ∇F and diffusion s₂γ/λ, "
        "not γ∇F and D (madelung.not-sgd). They agree only at λ = γ/(2D), and there only up to a factor ∓2: the "
        "hydrodynamic time runs twice as fast as learning time and, in the descent convention, backwards "
        "(madelung.fp-factor-two).",
        ("madelung.fp-reading", "madelung.not-sgd", "madelung.fp-factor-two", "equilibrium.matching"),
        claims=("madelung.not-sgd", "madelung.fp-factor-two")),
    Gap("G2", "The multivaluedness of the free energy is imposed, not derived",
        "The package carries multivaluedness as a postulate (multivalued.postulate). Nothing upstream gives it: "
        "the grand potential of a finite network is single-valued (multivalued.omega-single-valued), its force "
        "∇F = ⟨∂_q H⟩ is bounded (multivalued.bounded-gradient), and the circulation along a history with "
        "neuron exchange is 0 or continuous, never in μℤ∖{0} (multivalued.driven-loop). At the learning "
        "equilibrium the Madelung phase is constant, so only the sector n = 0 exists.",
        ("multivalued.postulate", "multivalued.omega-single-valued", "multivalued.bounded-gradient",
         "multivalued.driven-loop", "singlevalued.theorem", "equilibrium.phase-constant",
         "scope.equilibrium-sector"),
        claims=("multivalued.omega-single-valued", "multivalued.bounded-gradient", "multivalued.driven-loop"),
        postulate="multivalued.postulate"),
    Gap("G3", "ħ = |μ|/2πk must equal the Madelung coefficient ħ_c",
        "Otherwise ψ = √p e^{iS/ħ} obeys a nonlinear equation and superposition is lost "
        "(consistency.nonlinear). A real multiplier λ with ħ_c(λ) = |μ|/2πk exists only where the "
        "discriminant of consistency.match is non-negative, that is for |μ| ≤ 4πk T_q.",
        ("consistency.match", "consistency.mismatch", "consistency.nonlinear", "madelung.bound"),
        claims=("consistency.match", "consistency.nonlinear"),
        display=("consistency.match", ("discriminant_normalised", "mu_max"))),
)


def gap(key: str) -> Gap:
    """The gap ``key`` (G1, G2, G3)."""
    for g in GAPS:
        if g.key == key:
            return g
    raise InputError(f"unknown gap {key!r} (known: {', '.join(g.key for g in GAPS)})")


def labels() -> dict[str, tuple[str, ...]]:
    """Step label ↦ the keys of the gaps that name it."""
    out: dict[str, list[str]] = {}
    for g in GAPS:
        for lab in g.steps:
            out.setdefault(lab, []).append(g.key)
    return {k: tuple(v) for k, v in out.items()}
