r"""The document's model: what the paper says, in which order, built from the verified chain.

Nothing here writes TeX: :mod:`papers.document` renders this model as LaTeX (a future HTML blueprint can
render the same model).  Every equation of the model is a relation *taken from a step* (by label), and
every figure of the experiment is *read from its recorded file*: nothing is retyped or re-derived here.

>>> from derive.contents import derivation
>>> doc = build(derivation().verify(["canonical.force"]), ())
>>> doc.entry("canonical.force").verdict.status.value
'verified'
>>> [item.label for item in doc.main_line][:2]
['canonical.ensemble', 'canonical.force']
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import sympy as sp

from derive.printing import text
from derive.step import Step
from derive.verify import Verdict

__all__ = ["StepEntry", "SectionEntry", "MainLineItem", "Gap", "Experiment", "VariantRow", "Document", "build",
           "relations", "fact_relations", "GAPS", "MAIN_LINE", "VARIANTS", "FACT_DISPLAY", "SECTION_PROSE", "experiment",
           "Series", "RecordSection", "RecordSectionSpec", "RECORD_SECTIONS", "record_sections"]

ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------------------- relations of steps

def relations(step: Step, lhs: Sequence[str] = (), index: Sequence[int] = ()) -> tuple[sp.Basic, ...]:
    """The relations of ``step``'s statement (then its given) whose left side prints as one of ``lhs``
    (plain text, :func:`derive.printing.text`), else those at ``index``; () when none is there."""
    rels = tuple(step.statement) + tuple(step.given)
    if lhs:
        found = tuple(r for r in rels if hasattr(r, "lhs") and text(r.lhs) in lhs)
        if found:
            return found
    return tuple(step.statement[i] for i in index if 0 <= i < len(step.statement))


# ----------------------------------------------------------------------------------------- the fixed text

@dataclass(frozen=True)
class MainLineItem:
    """One displayed equation of the introduction: a relation of step ``label``, and what it says."""

    label: str
    caption: str
    lhs: tuple[str, ...] = ()
    index: tuple[int, ...] = (0,)
    relations: tuple[sp.Basic, ...] = ()


#: the main line of the argument, in the introduction: (label, what it says, left sides or indices)
MAIN_LINE: tuple[MainLineItem, ...] = (
    MainLineItem("canonical.ensemble", "the hidden neurons are in a canonical ensemble with free energy F(q)",
                 ("F",), (2,)),
    MainLineItem("canonical.force", "learning is driven by the gradient of the free energy", (), (0,)),
    MainLineItem("learning.fokker-planck", "the trainable variables obey a Fokker–Planck equation", (), (0,)),
    MainLineItem("action.lagrangian", "the principle of stationary entropy production is an action for (p, F)",
                 ("ℒ", "L"), (0,)),
    MainLineItem("madelung.equations", "with F = S + c log p its Euler–Lagrange equations are the Madelung "
                 "equations", (), (1, 2)),
    MainLineItem("grand.ensemble", "neurons are exchanged with a reservoir at chemical potential μ", ("Ξ",), (0,)),
    MainLineItem("multivalued.postulate", "the free energy is postulated multivalued, with periods in μℤ", (), (0,)),
    MainLineItem("quantization.single-valued", "ψ = √p e^{iS/ħ} is single-valued iff", ("ħ",), (1,)),
    MainLineItem("schrodinger.equation", "ψ obeys the Schrödinger equation", (), (0,)),
    MainLineItem("superposition.interference", "and its solutions superpose and interfere", (), (0,)),
)


@dataclass(frozen=True)
class Gap:
    """A gap of the argument as the document shows it: ``derive.gaps`` owns the gap (key, the steps it
    names, what it says); the document adds its title and statement typeset (TeX)."""

    key: str
    title: str
    tex: str
    labels: tuple[str, ...]


#: the document's typeset statement of each gap (the gap itself, its title and its steps are derive.gaps')
GAP_TEX: Mapping[str, str] = {
    "G1": r"Read as a Fokker--Planck equation, the $F$-equation of the action has drift $2s_4\gamma\,\nabla F$ and "
          r"diffusion $s_2\gamma/\lambda$, not $\gamma\,\nabla F$ and $D$. They agree only at $\lambda = \gamma/(2D)$, "
          r"and there only up to a factor $\mp 2$: the hydrodynamic time runs twice as fast as learning time and, "
          r"in the descent convention, backwards.",
    "G2": r"At the learning equilibrium the Madelung phase $S = F + T_q\log p$ is constant, so only the sector "
          r"$n = 0$ exists. Away from it, the force $\nabla F = \langle\partial_q H\rangle$ of a finite network is "
          r"bounded and single-valued, and the circulation along a history with neuron exchange is $0$ or "
          r"continuous, never in $\mu\mathbb{Z}\setminus\{0\}$. The abstract's word ``imposing'' is accurate; the "
          r"package carries multivaluedness as a postulate.",
    "G3": r"Otherwise $\psi = \sqrt{p}\,e^{iS/\hbar}$ obeys a nonlinear equation and superposition is lost. A real "
          r"multiplier $\lambda$ with $\hbar_c(\lambda) = |\mu|/2\pi k$ exists only where the discriminant of "
          r"step~\ref*{consistency.match} is non-negative:",
}


def _gaps() -> tuple[Gap, ...]:
    """The gaps of :mod:`derive.gaps`, with the document's TeX (the title typeset from the gap's words)."""
    from derive.gaps import GAPS as DERIVED
    from papers.tex import prose

    return tuple(Gap(g.key, prose(g.title), GAP_TEX.get(g.key) or prose(g.statement), g.steps) for g in DERIVED)


#: the three gaps, read from derive.gaps
GAPS: tuple[Gap, ...] = _gaps()


def fact_relations(step: Step, facts: Sequence[str]) -> tuple[sp.Basic, ...]:
    """``quantity = value`` for each named fact of ``step``: the value is the step's fact, the quantity the
    displayed expression the step ties it to (:data:`FACT_DISPLAY`); a fact the step lacks is skipped."""
    out = []
    for name in facts:
        shown = FACT_DISPLAY.get((step.label, name))
        if name not in step.fact or shown is None:
            continue
        if isinstance(shown, int):
            if not 0 <= shown < len(step.statement):
                continue
            out.append(sp.Eq(step.statement[shown].lhs, step.fact[name], evaluate=False))
        else:  # (relation, left side): a bound on a quantity the step states in words
            rel, lhs = shown
            out.append(rel(lhs, step.fact[name], evaluate=False))
    return tuple(out)


def _bound_on_mu():
    from derive.symbols import mu

    return (lambda a, b, evaluate=False: sp.Le(a, b, evaluate=evaluate), sp.Abs(mu))


#: (step, fact) ↦ the index of the displayed relation whose left side the fact is the value of (the quantity
#: of the step's Show("fact:...")), or (relation, left side) for a bound the step states in words
FACT_DISPLAY: Mapping[tuple[str, str], object] = {
    ("madelung.equations", "m"): 3, ("madelung.equations", "hbar_c_sq"): 4,
    ("madelung.no-item-2", "m"): 1, ("madelung.no-item-2", "hbar_c_sq"): 2,
    ("madelung.nelson", "m"): 1, ("madelung.nelson", "hbar"): 2,
    ("madelung.bound", "lambda_star"): 1, ("madelung.bound", "hbar_c_max"): 2,
    ("equilibrium.verbatim-descent", "hbar_c_sq"): 1,
    ("quantization.single-valued", "hbar"): 1,
    ("quantization.largest", "h"): 1,
    ("quantization.phase-beta", "hbar"): 0,
    ("quantization.windings-d", "hbar"): 0,
    ("consistency.match", "discriminant_normalised"): 2,
    ("consistency.match", "mu_max"): _bound_on_mu(),
}


@dataclass(frozen=True)
class VariantRow:
    """One reading of m or ħ: the relations that state it, read from the facts of the step ``label``."""

    reading: str
    label: str
    relations: tuple[sp.Basic, ...]
    note: str = ""


#: the readings of m and ħ: (reading, step, facts read, remark); each value is the step's fact
VARIANTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("action route, s₂ = ±1, s₄ = ±1", "madelung.equations", ("m", "hbar_c_sq"),
     "coefficient of the quantum potential; positive only for s₄λ > γ/(4D)"),
    ("action without item 2 (s₂ = 0)", "madelung.no-item-2", ("m", "hbar_c_sq"), "no shift needed; no upper bound"),
    ("learning equilibrium λ*, s₂ = ±1, s₄ = ±1", "madelung.bound", ("lambda_star", "hbar_c_max"),
     "the largest ħ_c over λ"),
    ("Nelson route (Fokker–Planck only)", "madelung.nelson", ("m", "hbar"), "from Nelson's D = ħ/(2m)"),
    ("matched point, verbatim signs, descent", "equilibrium.verbatim-descent", ("hbar_c_sq",),
     "negative: a Euclidean (diffusive) system"),
    ("grand canonical, branch k", "quantization.single-valued", ("hbar",), "k = 1, 2, …"),
    ("grand canonical, k = 1", "quantization.largest", ("h",), "the paper's reading, h = 2πħ = |μ|"),
    ("phase βF instead of F", "quantization.phase-beta", ("hbar",), "a dimensionless phase changes the factor"),
    ("windings only in dℤ", "quantization.windings-d", ("hbar",), "if neurons are exchanged in multiples of d"),
)

#: the paragraph that opens each section of the argument (keys of derive.contents.CONTENTS)
SECTION_PROSE: Mapping[str, str] = {
    "hidden": "The hidden neurons x of a network with trainable variables q are assumed to be in a canonical "
              "ensemble at inverse temperature β. Its free energy F(q) is the object the whole argument is "
              "about: its gradient is the mean force that drives learning, its Hessian carries the gradient "
              "noise, and its β-derivatives give the mean loss and the entropy.",
    "learning": "Averaged over the fast hidden neurons, learning is a Langevin process for q with drift −γ∇F "
                "and diffusion D, and the density p(q, t) of an ensemble of networks obeys a Fokker–Planck "
                "equation. Its entropy production splits into a Fisher term and a free-energy term, whose "
                "balance at stationarity fixes the Gibbs law p ∝ exp(−γF/D).",
    "madelung": "The principle of stationary entropy production is written as an action for p and F. Its "
                "Euler–Lagrange equations become, after the shift F = S + c log p, the Madelung equations of "
                "a quantum particle with mass m and a coefficient ħ_c of the quantum potential. This section "
                "also shows what the action does not give: its F-equation is not the learning dynamics (G1), "
                "and the Madelung equations alone do not imply the Schrödinger equation (Wallstrom).",
    "grand": "Letting the number of active neurons change turns the canonical ensemble into a grand canonical "
             "one at chemical potential μ. If the free energy is multivalued with periods in μℤ, a wave "
             "function ψ = √p e^{iS/ħ} is single-valued only for ħ = |μ|/2πk, and ψ then obeys the "
             "Schrödinger equation whose solutions superpose. The multivaluedness is a postulate (G2), and ħ "
             "must match the Madelung coefficient ħ_c (G3).",
}

SECTION_SHORT: Mapping[str, str] = {"hidden": "hidden neurons", "learning": "learning dynamics",
                                    "madelung": "action and Madelung", "grand": "grand canonical and quantum"}


# ----------------------------------------------------------------------------------------- the experiment

@dataclass(frozen=True)
class Experiment:
    """The circulation experiment's recorded run: outcome, key figures, criteria (read from its files)."""

    outcome: str
    command: str
    seed: int | None
    n_networks: int | None
    n_steps: int | None
    figures: Mapping[str, float]
    criteria: tuple[tuple[str, bool], ...]
    source: str
    series: tuple["Series", ...] = ()


@dataclass(frozen=True)
class Series:
    """One measured curve of the recorded run: ``y ± se`` against ``x``, in the figure ``figure``
    (``"radius"``: Γ against the loop radius R per arm; ``"mu"``: Γ against μ)."""

    figure: str
    name: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    se: tuple[float, ...]


def _series(full: Mapping) -> tuple[Series, ...]:
    """The curves of the full record's ``figures`` (Γ(R) per arm, Γ(μ)); () when it has none."""
    figs = full.get("figures", {}) if isinstance(full, Mapping) else {}
    out = []

    def floats(values) -> tuple[float, ...]:
        return tuple(float(v) for v in values)

    for arm, rec in (figs.get("radius") or {}).items():
        if isinstance(rec, Mapping) and {"R", "gamma", "se"} <= rec.keys():
            out.append(Series("radius", str(arm), floats(rec["R"]), floats(rec["gamma"]), floats(rec["se"])))
    sweep = figs.get("mu_sweep")
    if isinstance(sweep, Mapping) and {"mu", "gamma", "se"} <= sweep.keys():
        out.append(Series("mu", "μ sweep", floats(sweep["mu"]), floats(sweep["gamma"]), floats(sweep["se"])))
    return tuple(out)


def experiment(root: Path = ROOT) -> Experiment | None:
    """The recorded circulation run (``derive/data/circulation.json`` and the full record in
    ``papers/data/circulation_full.json``); None when neither is there."""
    summary_path = root / "derive" / "data" / "circulation.json"
    full_path = root / "papers" / "data" / "circulation_full.json"
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        full = json.loads(full_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        full = {}
    figures = {k: v for k, v in summary.get("figures", {}).items() if isinstance(v, (int, float))
               and not isinstance(v, bool)}
    criteria = tuple((c["criterion"], bool(c["met"])) for c in full.get("criteria", ()))
    outcome = summary.get("figures", {}).get("outcome") or full.get("outcome", "")
    return Experiment(outcome, summary.get("command", ""), summary.get("seed"), summary.get("n_networks"),
                      summary.get("n_steps"), figures, criteria, "papers/data/circulation_full.json"
                      if full else "derive/data/circulation.json", _series(full))


# ----------------------------------------------------------------------------------------- recorded sections

@dataclass(frozen=True)
class RecordSection:
    """A section of recorded experiments as the document shows it: a table of each run's headline figures
    (value ± SE, what it is compared with, z) and its verdict, every number read from the records."""

    key: str
    title: str
    intro: str
    experiments: tuple  # papers.recorded.RecordedExperiment values


@dataclass(frozen=True)
class RecordSectionSpec:
    """A declared section: key (anchor ``sec:rec-<key>`` / ``#rec-<key>``), title, opening paragraph, and the
    reader that turns the records under the repository root into :class:`papers.recorded.RecordedExperiment`
    values."""

    key: str
    title: str
    intro: str
    read: Callable[[Path], tuple]


def _equilibrium(root: Path) -> tuple:
    from papers.recorded import equilibrium_experiments

    return equilibrium_experiments(root)


#: the sections of recorded experiments, in order; both renderers (PDF and site) show every entry, so adding a
#: section is one entry here
RECORD_SECTIONS: tuple[RecordSectionSpec, ...] = (
    RecordSectionSpec(
        "equilibrium", "Experiments at learning equilibrium",
        "The paper's claim is about learning at equilibrium. Four experiments test it where it applies and "
        "where it does not: the Witten map (the spectrum of H against the relaxation rates of learning) on the "
        "network at detailed balance, neuron exchange at two temperatures at a fixed exchange rate as eta -> 0, "
        "the circulation estimator's width on the nonlinear network, and the circulation verdict on a second "
        "architecture. Each figure below is read from the recorded run named with it; z is the figure minus what "
        "it is compared with, in units of its SE, against the threshold |z| < 4.5.",
        _equilibrium),
)


def record_sections(root: Path = ROOT) -> tuple[RecordSection, ...]:
    """Every declared section with the experiments recorded under ``root``."""
    return tuple(RecordSection(s.key, s.title, s.intro, tuple(s.read(root))) for s in RECORD_SECTIONS)


# ----------------------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class StepEntry:
    """A step as the document shows it."""

    number: int
    step: Step
    verdict: Verdict | None
    checks: tuple = ()
    uses: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    section: str = ""
    main_line: bool = False
    gaps: tuple[str, ...] = ()
    confirmed: str = ""  # "confirmed verbatim by the user's file": where in the file (eqnn match --file)

    @property
    def label(self) -> str:
        return self.step.label


@dataclass(frozen=True)
class SectionEntry:
    key: str
    title: str
    paper_section: str
    intro: str
    short: str
    steps: tuple[StepEntry, ...]


@dataclass(frozen=True)
class Document:
    """Everything the document shows, in its order."""

    steps: tuple[StepEntry, ...]
    sections: tuple[SectionEntry, ...]
    main_line: tuple[MainLineItem, ...]
    gaps: tuple[Gap, ...]
    gap_display: Mapping[str, tuple[str, tuple[sp.Basic, ...]]]
    variants: tuple[VariantRow, ...]
    experiment: Experiment | None
    crosschecks: tuple = ()
    orphans: tuple = ()
    seed: int | None = None
    crosscheck_note: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)
    record_sections: tuple[RecordSection, ...] = ()

    def entry(self, label: str) -> StepEntry:
        return next(e for e in self.steps if e.label == label)

    @property
    def numbers(self) -> dict[str, int]:
        return {e.label: e.number for e in self.steps}


def _sections(steps: Sequence[Step]) -> list[tuple[str, str, str, list[Step]]]:
    """(key, title, paper section, steps) per section of CONTENTS; steps of no section go last."""
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
        out.append((sec.key, sec.title, sec.paper_section, members))
    rest = [s for s in steps if s.label not in placed]
    if rest:
        out.append(("further", "Further steps", "", rest))
    return out


def _confirmed_text(c) -> str:
    """Where a user's file confirms a step: "§5 (5.4), line 3 of paper-equations.tex"."""
    if c is None:
        return ""
    where = " ".join(x for x in (c.section, f"({c.equation})" if c.equation else "") if x)
    return f"{where + ', ' if where else ''}line {c.line} of {Path(c.file).name}"


def build(verdicts: Sequence[Verdict], crosschecks: Sequence = (), *, steps: Sequence[Step] | None = None,
          seed: int | None = None, crosscheck_note: str = "",
          read_experiment: Callable[[], Experiment | None] = experiment,
          confirmations: Mapping | None = None, records_root: Path = ROOT) -> Document:
    """The document's model from verdicts and cross-checks (``steps``: default the whole chain).

    ``confirmations``: ``derive.match.confirmations(path)`` of a user's file of the paper's equations; the
    steps it confirms show that provenance beside their own (no verdict changes).  ``records_root``: where the
    recorded experiments of :data:`RECORD_SECTIONS` are read (``papers/data``, ``derive/data`` under it).
    """
    if steps is None:
        from derive.contents import derivation

        steps = derivation().steps
    steps = tuple(steps)
    by = {s.label: s for s in steps}
    vmap = {v.label: v for v in verdicts}
    cmap: dict[str, list] = {}
    for c in crosschecks:
        cmap.setdefault(c.step, []).append(c)
    used_by: dict[str, list[str]] = {s.label: [] for s in steps}
    for s in steps:
        for p in s.premises:
            if p in used_by:
                used_by[p].append(s.label)
    main = {m.label for m in MAIN_LINE}
    gaps_of: dict[str, list[str]] = {}
    for g in GAPS:
        for lab in g.labels:
            gaps_of.setdefault(lab, []).append(g.key)

    raw = _sections(steps)
    section_of = {s.label: key for key, _, _, members in raw for s in members}
    order = [s for _, _, _, members in raw for s in members]
    entries = {s.label: StepEntry(i + 1, s, vmap.get(s.label), tuple(cmap.get(s.label, ())),
                                  tuple(p for p in s.premises), tuple(used_by[s.label]), section_of[s.label],
                                  s.label in main, tuple(gaps_of.get(s.label, ())),
                                  _confirmed_text((confirmations or {}).get(s.label)))
               for i, s in enumerate(order)}
    sections = tuple(SectionEntry(key, title, paper, SECTION_PROSE.get(key, ""), SECTION_SHORT.get(key, title),
                                  tuple(entries[s.label] for s in members)) for key, title, paper, members in raw)
    main_line = tuple(MainLineItem(m.label, m.caption, m.lhs, m.index, relations(by[m.label], m.lhs, m.index))
                      for m in MAIN_LINE if m.label in by)
    gaps = tuple(Gap(g.key, g.title, g.tex, tuple(lab for lab in g.labels if lab in by)) for g in GAPS)
    from derive.gaps import GAPS as DERIVED

    gap_display = {g.key: (g.display[0], fact_relations(by[g.display[0]], g.display[1])) for g in DERIVED
                   if g.display is not None and g.display[0] in by}
    variants = tuple(VariantRow(reading, label, fact_relations(by[label], facts), note)
                     for reading, label, facts, note in VARIANTS if label in by)
    counts: dict[str, int] = {}
    for s in order:
        v = vmap.get(s.label)
        key = v.status.value if v is not None else "none"
        counts[key] = counts.get(key, 0) + 1
    orphans = tuple(c for c in crosschecks if c.step not in entries)
    return Document(tuple(entries[s.label] for s in order), sections, main_line, gaps, gap_display, variants,
                    read_experiment(), tuple(crosschecks), orphans, seed, crosscheck_note, counts,
                    record_sections(records_root))
