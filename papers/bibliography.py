r"""The source papers as data: references, the paper's section and equation map, provenance notes.

Every :class:`derive.step.Source` names a paper by key (``"KV2021"``, ``"V2020b"``, ``"referee"``, ...);
this module is where those keys resolve.  Besides the references themselves it records what is
*known* about the target paper's layout (which section holds which equation) and *how* it is known:
the body text of arXiv:2012.05082 could not be obtained, so the equation anchors come from a
third-party summary and are marked ``secondary`` (see :data:`ANCHORS`).

>>> paper("KV2021").eprint
'2012.05082'
>>> "referee" in KEYS
True
>>> print(to_bibtex([paper("Madelung1927")]).splitlines()[0])
@article{Madelung1927,
>>> [a.equations for a in anchors("KV2021") if a.section == "§4"]
['(4.1)-(4.8)']
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from derive.errors import InputError

__all__ = [
    "Kind", "Paper", "Anchor", "Evidence", "PAPERS", "KEYS", "ANCHORS", "OPEN_QUESTIONS",
    "paper", "anchors", "to_bibtex", "cite_text",
]


class Kind(str, Enum):
    """What sort of reference an entry is (it decides the BibTeX entry type)."""

    ARTICLE = "article"        # journal article, possibly with an arXiv eprint
    PREPRINT = "preprint"      # arXiv only
    TALK = "talk"              # a talk abstract on a web page
    INTERNAL = "internal"      # a document of this project (not a publication)


class Evidence(str, Enum):
    """How a fact about a paper's layout is known (cf. :class:`derive.step.Provenance`)."""

    VERBATIM = "verbatim"      # seen in a retrieved excerpt of the paper itself
    SECONDARY = "secondary"    # seen only in a third-party summary


@dataclass(frozen=True)
class Paper:
    """One reference.  ``seen`` says which parts of its text this project could read (provenance)."""

    key: str
    kind: Kind
    authors: tuple[str, ...]
    title: str
    year: int | None
    journal: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    eprint: str = ""
    url: str = ""
    seen: str = ""

    def __post_init__(self) -> None:
        if not self.key or not self.title or not self.authors:
            raise ValueError(f"paper {self.key!r}: key, title and authors are required")
        if not isinstance(self.kind, Kind):
            object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "authors", tuple(self.authors))

    @property
    def short(self) -> str:
        """Short citation: 'Katsnelson & Vanchurin 2021'."""
        last = [a.split(",")[0].strip() for a in self.authors]
        names = last[0] if len(last) == 1 else (" & ".join(last) if len(last) == 2 else f"{last[0]} et al.")
        return f"{names} {self.year or 'n.d.'}"


@dataclass(frozen=True)
class Anchor:
    """A place in a source paper: section, equation numbers, what is there, and how we know."""

    paper: str
    section: str
    equations: str
    content: str
    evidence: Evidence
    via: str

    def __post_init__(self) -> None:
        if not isinstance(self.evidence, Evidence):
            object.__setattr__(self, "evidence", Evidence(self.evidence))


_KV = ("Katsnelson, Mikhail I.", "Vanchurin, Vitaly")
_V = ("Vanchurin, Vitaly",)

PAPERS: tuple[Paper, ...] = (
    Paper("KV2021", Kind.ARTICLE, _KV, "Emergent Quantumness in Neural Networks", 2021,
          journal="Foundations of Physics", volume="51", pages="94",
          doi="10.1007/s10701-021-00503-3", eprint="2012.05082",
          seen="abstract and arXiv comment line only (v2: 18 pages, added a new section on quantum "
               "superpositions); no equation of the body text was seen"),
    Paper("V2020a", Kind.ARTICLE, _V, "Towards a theory of machine learning", 2021,
          journal="Machine Learning: Science and Technology", volume="2", pages="035012",
          eprint="2004.09280", doi="10.1088/2632-2153/abe6d7",
          seen="abstract (maximum entropy with a multiplier beta; learning equilibrium Z = Z1(beta) Z2(q) "
               "in words; efficiency of learning = Laplacian of the free energy)"),
    Paper("V2020b", Kind.ARTICLE, _V, "The world as a neural network", 2020,
          journal="Entropy", volume="22", pages="1210", eprint="2008.01540", doi="10.3390/e22111210",
          seen="abstract, section titles, and the five-term list of section 5 'Quantum Mechanics' "
               "with their verbal meanings"),
    Paper("V2021", Kind.ARTICLE, _V, "Towards a theory of quantum gravity from neural networks", 2022,
          journal="Entropy", volume="24", pages="7", eprint="2111.00903", doi="10.3390/e24010007",
          seen="abstract, the notation list of section 2, section titles"),
    Paper("V2025", Kind.PREPRINT, _V, "Geometric Learning Dynamics", 2025, eprint="2504.14728",
          seen="abstract and the opening of the introduction (g proportional to kappa^alpha; alpha = 1 "
               "is the quantum regime)"),
    Paper("referee", Kind.INTERNAL, ("emergent-quantumness developers",),
          "Audit of the reconstruction of Katsnelson and Vanchurin, Emergent Quantumness in Neural Networks: "
          "errors E1-E15 and gaps G1-G3, each carried by the steps of this package", 2026,
          seen="this project's audit of its own reconstruction; its findings are the steps that cite it "
               "(their verdicts and notes), not a separate publication"),
    Paper("Wallstrom1994", Kind.ARTICLE, ("Wallstrom, Timothy C.",),
          "Inequivalence between the Schr\u00f6dinger equation and the Madelung hydrodynamic equations",
          1994, journal="Physical Review A", volume="49", pages="1613", doi="10.1103/PhysRevA.49.1613",
          seen="not read; cited for the quantization condition through a copy of the Wikipedia article "
               "'Madelung equations'"),
    Paper("Madelung1927", Kind.ARTICLE, ("Madelung, Erwin",), "Quantentheorie in hydrodynamischer Form",
          1927, journal="Zeitschrift f\u00fcr Physik", volume="40", pages="322",
          doi="10.1007/BF01400372", seen="not read; textbook form of the Madelung equations used"),
    Paper("Nelson1966", Kind.ARTICLE, ("Nelson, Edward",),
          "Derivation of the Schr\u00f6dinger equation from Newtonian mechanics", 1966,
          journal="Physical Review", volume="150", pages="1079", doi="10.1103/PhysRev.150.1079",
          seen="not read; cited for the relation D = hbar/(2m) of stochastic mechanics"),
    Paper("talk-indico", Kind.TALK, _V, "Talk abstract, indico.ihep.su event 725, contribution 632 (title not recorded)", None,
          url="https://indico.ihep.su/event/725/contributions/632",
          seen="the talk abstract: 'if the number of active neurons changes, then the free energy is "
               "multivalued'"),
)

#: the keys a :class:`derive.step.Source` may name
KEYS: frozenset[str] = frozenset(p.key for p in PAPERS)

_SECONDARY = "a third-party GitHub 'source pack' summarising the papers (repository not named by the index)"

#: what is known of the section and equation layout of the source papers (from the abstracts, the MDPI
#: copies and the third-party summary named in each anchor)
ANCHORS: tuple[Anchor, ...] = (
    Anchor("KV2021", "§2", "", "recap of the canonical chain: Madelung variables, phase = free energy",
           Evidence.SECONDARY, _SECONDARY),
    Anchor("KV2021", "§3", "(3.7)", "the 'neuron-number branch integer' (grand canonical ensemble)",
           Evidence.SECONDARY, _SECONDARY),
    Anchor("KV2021", "§3", "(3.7)-(3.13)", "grand canonical ensemble, multivaluedness of the free energy",
           Evidence.SECONDARY, _SECONDARY),
    Anchor("KV2021", "§4", "(4.1)-(4.8)", "quantization; Schr\u00f6dinger equation with hbar from the "
           "chemical potential", Evidence.SECONDARY, _SECONDARY),
    Anchor("KV2021", "v2, new section", "", "quantum superpositions (section number unknown)",
           Evidence.VERBATIM, "arXiv comment line of 2012.05082v2"),
    Anchor("V2020b", "§4", "", "heading 'Principle of Stationary Entropy Production'",
           Evidence.VERBATIM, "MDPI copy of Entropy 22, 1210"),
    Anchor("V2020b", "§5", "", "the five terms of the entropy-production functional, with meanings",
           Evidence.VERBATIM, "MDPI copy of Entropy 22, 1210"),
    Anchor("V2020b", "§5", "(5.1)-(5.6)", "the action and its Madelung equations", Evidence.SECONDARY,
           _SECONDARY),
    Anchor("V2021", "§2", "", "notation: x, P, p_boundary, w, b, f(y), H(x, q)", Evidence.VERBATIM,
           "MDPI copy of Entropy 24, 7"),
    Anchor("V2021", "§3, §4", "", "headings 'Madelung Equations' and 'Schrodinger Equation'",
           Evidence.VERBATIM, "MDPI copy of Entropy 24, 7"),
    Anchor("V2021", "§8", "(8.12)-(8.13)", "cosmological constant as a multiplier on the neuron number",
           Evidence.SECONDARY, _SECONDARY),
    Anchor("V2020a", "§7", "(7.6)", "second law of learning, dS/dt <= 0", Evidence.SECONDARY, _SECONDARY),
    Anchor("V2020a", "§7", "(7.11)", "first law of learning", Evidence.SECONDARY, _SECONDARY),
)

#: what the available text leaves open (the reconstruction's list of uncertainties), in that order
OPEN_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("Final formula for ħ in 2012.05082",
     "Best candidate ħ = μ/(2π) (h = μ). Alternatives: ħ = μ; ħ = βμ/(2π) if the phase is βF; μ/(2πk) with "
     "k > 1. The sign of the exponent is unknown."),
    ("Canonical ħ and m",
     "(a) m = 1/(2γ), ħ² = (4Dλ − γ)/(γλ²) (the five verbatim terms with the shift F = S + log p/(2λ)); "
     "(b) m = 1/(2γ), ħ = 2√(D/(γλ)) without item 2; (c) m = 1/γ, ħ = 2D/γ (Nelson route, not known to be "
     "used). Which one, with which exact factors, was not seen."),
    ("The symbol μ",
     "In 2008.01540 μ is the multiplier of the free-energy-production constraint (units 1/energy); in "
     "2012.05082 it is the chemical potential (an energy). Whether the paper renames or relates the two is "
     "unknown; this package calls the first λ."),
    ("Form of the action",
     "The √p(…)√p sandwich, the overall sign, a normalization multiplier, and the sign of the learning "
     "drift relative to the production bookkeeping are reconstructions."),
    ("The multivaluedness mechanism",
     "How neuron exchange produces a nonzero circulation ∮∂F·dq along a loop (continuous or jump-wise "
     "change of F, ‘active’ neurons, the role of Ω = F − μN) was not seen; eq. (3.7) is said to contain the "
     "‘neuron-number branch integer’."),
    ("Equation numbering",
     "Only indirect: 2012.05082 has a §2, eqs. (3.7)–(3.13) in §3 and (4.1)–(4.8) in §4; 2008.01540 has "
     "eqs. (5.1)–(5.6) in §5; all from a third-party file, not from the paper."),
    ("The v2 section on quantum superpositions",
     "Its content is entirely unknown; the steps here are generic consequences of linearity."),
    ("The definition of learning equilibrium",
     "Factorization Z = Z₁(β)Z₂(q) of 2004.09280, zero net entropy production of q, or the stationary "
     "Fokker–Planck law: which one 2012.05082 uses is not confirmed."),
    ("The consistency condition",
     "Whether 2012.05082 imposes that ħ = μ/(2π) equal the Madelung coefficient ħ_c, or simply replaces the "
     "canonical ħ by μ/(2π)."),
)


def paper(key: str) -> Paper:
    """The reference with this key; :class:`InputError` (one line) for an unknown key."""
    for p in PAPERS:
        if p.key == key:
            return p
    raise InputError(f"unknown paper key {key!r} (known: {', '.join(sorted(KEYS))})")


def anchors(key: str) -> tuple[Anchor, ...]:
    """What is known of the layout of paper ``key``, in order."""
    paper(key)
    return tuple(a for a in ANCHORS if a.paper == key)


def cite_text(key: str) -> str:
    """One-line plain-text citation (for terminals and table cells).

    >>> cite_text("V2020b")
    'Vanchurin 2020, The world as a neural network, Entropy 22, 1210 (2020), arXiv:2008.01540'
    """
    p = paper(key)
    parts = [p.short, p.title]
    if p.journal:
        parts.append(f"{p.journal} {p.volume}, {p.pages} ({p.year})")
    if p.eprint:
        parts.append(f"arXiv:{p.eprint}")
    if p.url and not p.eprint:
        parts.append(p.url)
    return ", ".join(parts)


def _bib_value(value: str) -> str:
    # BibTeX needs balanced braces; non-ASCII letters are written with TeX accents so that plain
    # BibTeX (8-bit unaware) and pdfLaTeX without inputenc both read them.
    table = {"\u00f6": r"{\"o}", "\u00fc": r"{\"u}", "\u00e4": r"{\"a}", "&": r"\&", "%": r"\%",
             "_": r"\_", "#": r"\#"}
    return "".join(table.get(ch, ch) for ch in value)


def to_bibtex(papers: Iterable[Paper] = PAPERS) -> str:
    """BibTeX entries for ``papers`` (all by default).

    >>> "eprint        = {2012.05082}" in to_bibtex([paper("KV2021")])
    True
    """
    out = []
    for p in papers:
        entry = {Kind.ARTICLE: "article", Kind.PREPRINT: "misc", Kind.TALK: "misc", Kind.INTERNAL: "misc"}[p.kind]
        fields = [("title", "{" + p.title + "}"), ("author", " and ".join(p.authors)),
                  ("year", str(p.year) if p.year else "")]
        if p.journal:
            fields += [("journal", p.journal), ("volume", p.volume), ("pages", p.pages)]
        if p.doi:
            fields.append(("doi", p.doi))
        if p.eprint:
            fields += [("eprint", p.eprint), ("archivePrefix", "arXiv")]
        if p.url:
            fields.append(("howpublished", r"\url{" + p.url + "}"))
        if p.kind is Kind.INTERNAL:
            fields.append(("note", "internal document of the emergent-quantumness project"))
        elif p.kind is Kind.TALK:
            fields.append(("note", "talk abstract"))
        body = ",\n".join(f"  {name:<13} = {{{_bib_value(value) if name != 'howpublished' else value}}}"
                          for name, value in fields if value)
        out.append(f"@{entry}{{{p.key},\n{body},\n}}")
    return "\n\n".join(out) + "\n"
