r"""The document as LaTeX: a paper (abstract, main line, gaps, experiment, one section per part, conclusion)
with the machine detail in an appendix keyed by step label.

:func:`document` renders the model of :mod:`papers.content` with the TeX rules of :mod:`papers.tex`.

>>> from derive.contents import derivation
>>> tex = document(derivation().verify(["canonical.force"]))
>>> r"\label{canonical.force}" in tex and r"\badge{st-verified}{verified}" in tex
True
"""

from __future__ import annotations

import re
from typing import Sequence

from derive.step import Step
from derive.verify import DEFAULT_SEED, Status, Verdict
from papers import bibliography as bib
from papers.content import Document, StepEntry, build
from papers.graph import dependency_graph
from papers.style import STATUS_COLOURS, badge, preamble, status_of as _status
from papers.tex import equations, escape, num as _num, prose, tt as _tt

__all__ = ["document", "unresolved"]

_FILE_REF = re.compile(r"\b[\w./-]+\.md\b|\bpaper-derivation\b")


def unresolved(text: str) -> list[str]:
    """References in ``text`` to notes that are not part of the repository (a ``*.md`` that is not there).

    The document does not print a module's free text that cites such a file: a reader could not open
    it.  (The module's text is fixed at its source; nothing is rewritten here.)

    >>> unresolved("see notes/missing.md E3 and README.md")
    ['notes/missing.md']
    """
    from papers.content import ROOT

    return [m for m in _FILE_REF.findall(text or "") if not (ROOT / m).exists()]


def _printable(text: str) -> bool:
    return bool(text) and not unresolved(text)


# ----------------------------------------------------------------------------------------- small pieces

def _cite(key: str) -> str:
    return r"\cite{%s}" % key if key in bib.KEYS else r"\texttt{%s} (unknown paper key)" % escape(key)


def _ref(label: str, known) -> str:
    if label in known:
        return r"\stepref{%s}" % label
    return r"\texttt{%s} (not in this chain)" % escape(label)


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _equation_ref(equation: str) -> str:
    """``(3.7)``, ``eq. (3.7)``, ``eqs. (3.7)-(3.13)`` as "eq.~(3.7)" (never "eq. eq.")."""
    bare = re.sub(r"^(eqs?\.|equations?)\s*", "", equation.strip(), flags=re.I)
    many = bool(re.search(r"[-–,]", bare))
    return ("eqs.~" if many else "eq.~") + prose(bare)


def _source_text(step: Step) -> str:
    src = step.source
    where = ", ".join(x for x in (prose(src.section), _equation_ref(src.equation) if src.equation else "") if x)
    text = r"%s%s \prov{%s}" % (_cite(src.paper), (", " + where) if where else "", src.provenance.value)
    if _printable(src.note):
        text += ": " + _sentence(prose(src.note))
    return text


def _witness_line(v: Verdict | None) -> str:
    """The one-line verdict: status and the two witnesses' headline figures."""
    if v is None:
        return r"%s this step was not verified in this run." % badge(None)
    parts = []
    sym, num = v.symbolic, v.numeric
    if sym is not None:
        parts.append("symbolic residual $0$" if all(r == "0" for r in sym.residuals) else
                     ("symbolic residual nonzero as claimed" if sym.as_expected else "symbolic residual not reduced"))
    if num is not None:
        parts.append(r"numeric %d points, $\max|r| = %s$" % (num.points, _num(num.max_abs_residual, 2)))
    c = v.counts
    if c.total and c.restatements:
        parts.append("by substitution" if c.restatements == c.total else
                     "%d of %d obligations by substitution" % (c.restatements, c.total))
    if c.inequalities:
        parts.append("%d inequalit%s proven by a signed form" % (c.inequalities, "y" if c.inequalities == 1 else "ies"))
    if c.rewrites_witnessed:
        parts.append("%d rewrite%s witnessed" % (c.rewrites_witnessed, "" if c.rewrites_witnessed == 1 else "s"))
    if v.step.depth != "proof":
        parts.append(r"checked on examples (%s)" % prose(v.step.depth[len("examples: "):]))
    if v.status is Status.ASSUMED:
        parts.append("an input of the argument")
    chain = ""
    if v.chain is not None and v.chain.status != v.status.value:
        why = []
        if v.chain.unsupported_by:
            why.append("rests on " + ", ".join(r"\texttt{%s}" % escape(x) for x in v.chain.unsupported_by[:4]))
        elif v.chain.postulates:
            why.append("rests on the postulate" + ("s " if len(v.chain.postulates) > 1 else " ")
                       + ", ".join(r"\texttt{%s}" % escape(x) for x in v.chain.postulates))
        if v.chain.conditions and not v.chain.unsupported_by:
            why.append("inherits %d condition%s" % (len(v.chain.conditions), "" if len(v.chain.conditions) == 1 else "s"))
        chain = r" Chain: %s%s." % (badge(v.chain.status), (" (" + "; ".join(why) + ")") if why else "")
    return "%s %s%s" % (badge(_status(v)), "; ".join(parts) + ("." if parts else ""), chain)


def _check_line(checks: Sequence) -> str:
    if not checks:
        return ""
    worst = max(checks, key=lambda c: abs(c.z))
    ok = all(c.passed for c in checks)
    return (r" Sampled cross-check%s: %s, largest $|z| = %s$."
            % ("s" if len(checks) > 1 else "", "passed" if ok else r"\textbf{failed}", f"{abs(worst.z):.2f}"))


def _itemize(title: str, items: Sequence) -> str:
    if not items:
        return ""
    body = "\n".join(r"\item " + prose(str(it)) for it in items)  # a Condition's str() is its display text
    return (r"\par\noindent\textbf{%s.}" % title + "\n\\begin{itemize}\\setlength\\itemsep{0pt}\\setlength"
            "\\parskip{0pt}\n" + body + "\n\\end{itemize}")


def _links(e: StepEntry, known) -> str:
    uses = ", ".join(_ref(p, known) for p in e.uses) if e.uses else "no earlier step"
    line = r"Uses %s." % uses
    if e.used_by:
        line += r" Used by %s." % ", ".join(_ref(p, known) for p in e.used_by)
    marks = []
    if e.main_line:
        marks.append(r"is on the main line (Section~\ref{sec:intro})")
    if e.gaps:
        marks.append("shows gap " + ", ".join(r"\hyperref[gap:%s]{%s}" % (g, g) for g in e.gaps))
    if marks:
        line += " This step " + " and ".join(marks) + "."
    return r"{\small\raggedright\noindent " + line + r"\par}"


def _step_block(e: StepEntry, known) -> str:
    s = e.step
    out = [r"\stephead{%s}{%s}\label{%s}" % (prose(s.title), badge(_status(e.verdict)), s.label)]
    out.append(r"{\small\noindent\texttt{%s} \textperiodcentered{} %s\par}" % (s.label, escape(s.kind.value)))
    out.append(equations(s.statement))
    if s.given:
        out.append(r"\noindent where" + equations(s.given))
    body = [_links(e, known)]
    body.append(_itemize("Assumptions", s.assumptions))
    body.append(_itemize("Conditions", s.conditions))
    if s.variant:
        body.append(r"\par\noindent\textbf{Variant.} " + "; ".join(prose(f"{k} = {val}") for k, val in s.variant))
    if s.transformation:
        body.append(r"\par\noindent\textbf{Proof.} " + _sentence(prose(s.transformation)))
    if _printable(s.note):
        body.append(r"\par\noindent\textbf{Note.} " + _sentence(prose(s.note)))
    body.append(r"\par\noindent\textbf{Source.} " + _source_text(s))
    if e.confirmed:
        body.append(r"\par\noindent\textbf{Confirmed verbatim by the user's file:} " + prose(e.confirmed) + ".")
    body.append(r"\par\noindent\textbf{Verdict.} " + _witness_line(e.verdict) + _check_line(e.checks)
                + r" (Appendix~\ref{app:%s})" % s.label)
    out.append("{\\small\\sloppy\n" + "\n".join(b for b in body if b) + "\n\\par}")
    return "\n".join(out)


# ----------------------------------------------------------------------------------------- front matter

_OUTCOMES = {"classical-current": "a classical current, not quantization", "quantization": "quantization",
             "no-circulation": "no circulation (only the sector n = 0)", "neither": "neither reading"}


def _abstract(doc: Document) -> str:
    c = doc.counts
    n = len(doc.steps)
    exp = doc.experiment
    tail = ""
    if exp is not None:
        f = exp.figures
        tail = (r" A numerical experiment the paper did not run trains %s networks by mini-batch SGD with neuron "
                r"exchange and measures the circulation of the learned current around loops in trainable space. "
                r"Its verdict is %s" % (f"{exp.n_networks:,}".replace(",", r"\,") if exp.n_networks else "an ensemble of",
                                       _OUTCOMES.get(exp.outcome, escape(exp.outcome))))
        if "alpha_B1_kex1" in f:
            tail += (r": the circulation grows with the loop radius as $R^{%s}$ and hardly depends on $\mu$, where "
                     r"quantization would give a constant multiple of $\mu$" % _num(f["alpha_B1_kex1"], 3))
        tail += "."
    return (r"\begin{abstract}" "\n"
            r"Katsnelson and Vanchurin~\cite{KV2021} argue that the learning dynamics of a neural network, with "
            r"the hidden neurons in a canonical ensemble and a varying number of active neurons, is described by "
            r"a Schr\"odinger equation with Planck's constant set by the chemical potential, $\hbar = |\mu|/2\pi$. "
            r"We rebuild the argument as a chain of %d steps, each stated in the paper's notation and checked by "
            r"computer algebra and by an independent numerical witness: %d are verified, %d verified under "
            r"conditions they name, %d are definitions or postulates%s. The algebra holds. The argument has three "
            r"gaps: the action's Euler--Lagrange equation is not the learning dynamics (G1), the multivaluedness "
            r"of the free energy is postulated, not derived (G2), and $\hbar$ must equal the Madelung coefficient, "
            r"which bounds $|\mu| \le 4\pi k\,T_q$ (G3).%s" "\n"
            r"\end{abstract}"
            % (n, c.get("verified", 0), c.get("conditional", 0), c.get("assumed", 0),
               "".join(f", {c[k]} {'not verified' if k == 'none' else k}" for k in c
                       if k not in ("verified", "conditional", "assumed")), tail))


def _introduction(doc: Document, known) -> str:
    out = [r"\section{Introduction: the argument in ten equations}\label{sec:intro}",
           r"Each display below is the statement of a step of the chain, as verified; the tag on its right links "
           r"to the step. Symbols: $q$ the trainable variables, $p(q,t)$ their density over an ensemble of "
           r"networks, $F(q)$ the free energy of the hidden neurons, $\gamma$ and $D$ the learning rate and "
           r"noise, $T_q = D/\gamma$, $\lambda$ the multiplier of the action, $\mu$ the chemical potential."]
    for i, item in enumerate(doc.main_line):
        if not item.relations:
            out.append(r"\par\noindent (%d) %s: \emph{step %s states no such relation in this build.}"
                       % (i + 1, prose(item.caption), _ref(item.label, known)))
            continue
        lead = "" if i == 0 else ("Then " if i < len(doc.main_line) - 1 else "Finally, ")
        caption = prose(item.caption)
        out.append(r"\par\noindent %s%s%s:" % (lead, caption if lead == "" else caption[0].lower() + caption[1:],
                                              ""))
        out.append(equations(item.relations, budget=54.0,
                             tag=r"\hyperref[%s]{Step~\ref*{%s}}" % (item.label, item.label)))
    out.append(_gaps(doc, known))
    out.append(_experiment(doc))
    return "\n".join(out)


def _gaps(doc: Document, known) -> str:
    out = [r"\subsection{Where the argument has gaps}\label{sec:gaps}",
           r"The algebra of the reconstruction is right; three steps of the argument do not follow. Each gap is "
           r"shown by steps whose verdicts say so, not by silent passes."]
    for g in doc.gaps:
        out.append(r"\par\smallskip\noindent\textbf{%s.}\label{gap:%s} \textbf{%s.} %s"
                   % (g.key, g.key, g.title, g.tex))
        if g.key in doc.gap_display:
            label, rels = doc.gap_display[g.key]
            if rels:
                out.append(equations(rels, budget=54.0, tag=r"\hyperref[%s]{Step~\ref*{%s}}" % (label, label)))
        if g.labels:
            out.append(r"{\small\raggedright Steps: " + ", ".join(_ref(lab, known) for lab in g.labels) + r".\par}")
    return "\n".join(out)


def _pm(f, key: str, digits: int = 3) -> str:
    value, se = f.get(key), f.get(key + "_se") or f.get(key.replace("_B1_kex1", "") + "_se")
    if value is None:
        return r"\text{--}"
    return _num(value, digits) + (r" \pm %s" % _num(se, 2) if se is not None else "")


def _experiment(doc: Document) -> str:
    exp = doc.experiment
    out = [r"\subsection{The experiment: does learning quantize circulation?}\label{sec:experiment}"]
    if exp is None:
        out.append("The circulation experiment has not been recorded in this build.")
        return "\n".join(out)
    f = exp.figures
    out.append(
        r"If the free energy were multivalued with periods in $\mu\mathbb{Z}$, the circulation $\Gamma$ of the "
        r"learned current around a loop in trainable space would be a multiple of $\mu$, independent of the "
        r"loop. The package trains a grand canonical ensemble of %s networks for %s steps of mini-batch SGD "
        r"with neuron exchange (seed %s; \texttt{%s}) and measures $\Gamma$, calibrated against the exact "
        r"Brownian-gyrator formula, with two controls (commuting data give $0$, mirrored data flip the sign)."
        % (escape(f"{exp.n_networks:,}") if exp.n_networks else "an ensemble of",
           escape(f"{exp.n_steps:,}") if exp.n_steps else "many", exp.seed, escape(exp.command)))
    out.append(r"\par\noindent\textbf{Verdict: %s.} " % escape(_OUTCOMES.get(exp.outcome, exp.outcome)).capitalize()
               + r"The circulation grows with the loop radius as $\Gamma \propto R^{\alpha}$ with $\alpha = %s$ "
                 r"(quantization: $\alpha = 0$; uniform vorticity: $2$); against $\mu$ it has slope "
                 r"$d\Gamma/d\mu = %s$ (quantization: a nonzero integer) and intercept $\Gamma(\mu{=}0) = %s$ "
                 r"(quantization: $0$); the exchange rate changes $\Gamma$ by at most $%s\,\mu$. The controls %s."
               % (_pm(f, "alpha_B1_kex1"), _pm(f, "dGamma_dmu"), _pm(f, "Gamma_mu0"),
                  _num(f.get("max_exchange_effect_over_mu", float("nan")), 2),
                  "passed" if f.get("controls_passed", 1) else "failed"))
    if exp.criteria:
        marks = "; ".join(r"%s %s" % (r"$\checkmark$" if met else r"$\times$", prose(re.sub(r"^[a-z]\d+\s+", "", c)))
                          for c, met in exp.criteria)
        out.append(r"{\small\par\noindent Criteria of the recorded run (\texttt{%s}): %s.\par}"
                   % (escape(exp.source), marks))
    out.append(r"\par\noindent This does not refute the paper for every network; it shows that the quantization "
               r"is not what learning produces here, in line with G2.")
    return "\n".join(out)


def _account(doc: Document) -> str:
    checks = doc.crosschecks
    passed = sum(1 for c in checks if c.passed)
    rows = []
    for sec in doc.sections:
        n = {k: sum(1 for e in sec.steps if _status(e.verdict) == k) for k in STATUS_COLOURS}
        other = len(sec.steps) - n["verified"] - n["conditional"] - n["assumed"]
        ck = [c for e in sec.steps for c in e.checks]
        rows.append(r"%s & %d & %d & %d & %d & %d & %d of %d \\"
                    % (escape(sec.short), len(sec.steps), n["verified"], n["conditional"], n["assumed"],
                       other, sum(1 for c in ck if c.passed), len(ck)))
    sympy_version = next((e.verdict.sympy_version for e in doc.steps if e.verdict is not None), "")
    statistical = [c for c in checks if getattr(c, "kind", "statistical") == "statistical"]
    threshold = (f"$|z^*| = {statistical[0].threshold:.2f}$" if statistical else "a suite-wide threshold")
    return rf"""
\section{{How the chain was checked}}\label{{sec:method}}
Each step states its claim in the paper's notation, names the steps it rests on, and says where it comes from:
the section and equation of a source paper, and whether the statement was seen there (\prov{{verbatim}}), seen
only in a third-party summary (\prov{{secondary}}) or rebuilt here (\prov{{reconstructed}}). The body text of
the paper could not be obtained; most steps are reconstructions.

The verifier reads each step's claim from what the step displays: both sides of every relation, the
definitions shown with it and the values it hands on. The step's derivation only says how the notation is
realised from the displayed statements of its premises (the free energy by its definition, averages by explicit
sums, $\partial_t p$ by what the transformation gives), and every simplification, limit or series it uses is
itself witnessed. The \emph{{symbolic witness}} reduces each residual to zero with SymPy
{escape(sympy_version)}; the \emph{{numeric witness}}, independent of the simplifier, evaluates it with random
concrete test functions at seeded random points at raised precision. An inequality is proven by an explicit
signed form and checked at every sampled point; a ``$\neq$'' carries the identity that gives the actual
difference and an exact point where it is nonzero. A relation whose two realised sides coincide before any
witness runs holds \emph{{by substitution}} and is counted as such. A step is \badge{{st-verified}}{{verified}}
when every displayed relation holds by both witnesses (or by substitution), \badge{{st-conditional}}{{conditional}}
when that holds under machine-readable conditions that are shown satisfiable, \badge{{st-assumed}}{{assumed}} for a
definition or postulate, \badge{{st-vacuous}}{{vacuous}} when its conditions cannot hold,
\badge{{st-inconclusive}}{{inconclusive}} when something is not shown or a witness cannot decide, and
\badge{{st-failed}}{{failed}} when a witness contradicts the claim. A theorem checked on a family of examples says
so. Each verdict is local; its \emph{{chain status}} adds what it rests on: the postulates below it, the conditions
it inherits, and \emph{{unsupported}} when a step below it failed or is inconclusive or vacuous. Identities are also checked against sampled ensembles
(estimate, standard error, $z$ against {threshold}, and a planted error that must be detected).
{escape(doc.crosscheck_note)} Seed: {doc.seed if doc.seed is not None else DEFAULT_SEED}. The machine detail of
every step is in Appendix~\ref{{app:detail}}; Section~\ref{{sec:graph}} draws the dependency graph.
\begin{{center}}\small
\begin{{tabular}}{{lrrrrrr}}
\toprule
part & steps & verified & conditional & assumed & other & cross-checks passed \\
\midrule
{chr(10).join(rows)}
\midrule
all & {len(doc.steps)} & {doc.counts.get("verified", 0)} & {doc.counts.get("conditional", 0)} & {doc.counts.get("assumed", 0)} & {len(doc.steps) - sum(doc.counts.get(k, 0) for k in ("verified", "conditional", "assumed"))} & {passed} of {len(checks)} \\
\bottomrule
\end{{tabular}}
\end{{center}}
"""


def _pm_cell(fig) -> str:
    """A recorded figure's ``value ± SE`` in math mode (:func:`papers.recorded.measured`)."""
    from papers.recorded import measured

    value, se = measured(fig)
    return value + (r" \pm " + se if se is not None else "")


def _record_section(sec) -> str:
    """A section of recorded experiments (:class:`papers.content.RecordSection`): per experiment its headline
    figures (value ± SE, what it is compared with, z), its verdict and where it is recorded."""
    out = [r"\section{%s}\label{sec:rec-%s}" % (prose(sec.title), sec.key), prose(sec.intro)]
    if not sec.experiments:
        out.append(r"\par\noindent\emph{No experiment of this section is recorded in this build.}")
        return "\n".join(out)
    rows = []
    for exp in sec.experiments:
        rows.append(r"\midrule" "\n" r"\multicolumn{4}{l}{\textbf{%s}} \\" % prose(exp.name))
        for f in exp.figures:
            rows.append(r"\raggedright %s & $%s$ & \raggedright %s & %s \tabularnewline"
                        % (prose(f.quantity), _pm_cell(f), prose(f.reference),
                           "--" if f.z is None else "$%+.2f$" % f.z))
        rows.append(r"\multicolumn{4}{p{15.2cm}}{\small\raggedright\emph{Verdict:} %s. Recorded in %s (%s): %s.}"
                    r" \tabularnewline" % (prose(exp.verdict), _tt(exp.source), prose(exp.size), _tt(exp.command)))
    out.append("{\\small\n\\begin{longtable}{p{6.4cm}lp{3.9cm}r}\n\\toprule\nfigure & measured $\\pm$ SE & "
               "compared with & $z$ \\\\\n\\endhead\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}\n}")
    return "\n".join(out)


# ----------------------------------------------------------------------------------------- back matter

def _variants(doc: Document, known) -> str:
    lines = []
    for r in doc.variants:
        value = equations(r.relations, budget=40.0) if r.relations else r"\emph{not stated by the step}"
        lines.append(r"\par\noindent\textbf{%s} (%s)%s %s" % (prose(r.reading), _ref(r.label, known),
                                                             (": " + prose(r.note)) if r.note else "", value))
    return (r"\section{Readings of $m$ and $\hbar$}\label{sec:variants}" "\n"
            r"The available text does not fix the mass $m$ and the constant $\hbar$. Each reading below is read "
            r"from the facts of the step that establishes it (values the verifier ties to the step's display). "
            r"$\lambda$ is the multiplier that~\cite{V2020b} calls $\mu$; $\mu$ is the chemical potential "
            r"of~\cite{KV2021}; $T_q = D/\gamma$." "\n" + "\n".join(lines))


def _open_questions() -> str:
    items = "\n".join(r"\item \textbf{%s.} %s" % (prose(t), prose(body)) for t, body in bib.OPEN_QUESTIONS)
    return (r"\section{What the available text leaves open}\label{sec:open}" "\n"
            r"The package carries the competing readings as variants where it can." "\n\\begin{enumerate}\n"
            + items + "\n\\end{enumerate}")


def _conclusion(doc: Document) -> str:
    c = doc.counts
    exp = doc.experiment
    verdict = (r" The experiment finds %s." % escape(_OUTCOMES.get(exp.outcome, exp.outcome))) if exp else ""
    return (r"\section{Conclusion}\label{sec:conclusion}" "\n"
            r"Every algebraic step of the reconstructed argument checks: from the canonical free energy through "
            r"the learning dynamics, the action and its Madelung form, to the grand canonical ensemble, the "
            r"quantization $\hbar = |\mu|/2\pi k$, the Schr\"odinger equation and its superpositions (%d steps "
            r"verified, %d under stated conditions). What does not check is the physics that connects the "
            r"parts: the action is not the learning dynamics (G1), the multivaluedness that produces $\hbar$ is "
            r"postulated (G2), and the two constants $\hbar$ and $\hbar_c$ must be made equal by hand, which is "
            r"possible only for $|\mu| \le 4\pi k\,T_q$ (G3).%s The emergence of quantum mechanics from learning "
            r"therefore rests on the multivaluedness postulate; deriving it, or finding networks whose learning "
            r"quantizes circulation, is the open problem." % (c.get("verified", 0), c.get("conditional", 0), verdict))


def _graph(doc: Document) -> str:
    steps = [e.step for e in doc.steps]
    vmap = {e.label: e.verdict for e in doc.steps if e.verdict is not None}
    clusters = [(sec.short, [e.step for e in sec.steps]) for sec in doc.sections]
    main = frozenset(e.label for e in doc.steps if e.main_line)
    gap = frozenset(e.label for e in doc.steps if e.gaps)
    legend = " ".join(badge(s) for s in STATUS_COLOURS)
    key = (r"\par\noindent{\small " + legend + r" \quad \tikz\draw[line width=1.6pt, rounded corners=1.5pt] "
           r"(0,0) rectangle (0.5,0.25); main line \quad \tikz\draw[dashed, draw=red!75!black, line width=1.1pt, "
           r"rounded corners=1.5pt] (0,0) rectangle (0.5,0.25); gap step\par}")
    return (r"\clearpage" "\n" r"\section{The dependency graph}\label{sec:graph}" "\n"
            r"Each node is a step (number and short title; click to go to it), filled by status; an arrow runs "
            r"from a premise to the step that uses it. One band per part; within a band a step sits right of "
            r"its premises." "\n" + key + "\n"
            r"\begin{center}" "\n" + dependency_graph(steps, vmap, doc.numbers, clusters, main, gap) + "\n"
            r"\end{center}" "\n" r"\clearpage")


def _witness_detail(v: Verdict) -> str:
    parts = []
    if _printable(v.reason):
        parts.append(r"\emph{Verdict:} " + _sentence(prose(v.reason)))
    sym = v.symbolic
    if sym is not None:
        if all(r == "0" for r in sym.residuals):
            how = ", ".join(sorted(set(sym.methods)))
            parts.append(r"\emph{Symbolic:} residual $0$ (by \texttt{%s}; %.2f\,s)." % (escape(how), sym.seconds))
        elif sym.as_expected:
            parts.append(r"\emph{Symbolic:} residuals %s: nonzero where the claim says so (%.2f\,s)."
                         % (_tt("; ".join(sym.residuals)), sym.seconds))
        else:
            parts.append(r"\emph{Symbolic:} residual not reduced as claimed: %s." % _tt("; ".join(sym.residuals)))
    num = v.numeric
    if num is not None:
        parts.append(r"\emph{Numeric:} %d points (seed %d, %d digits), $\max|r| = %s$, tolerance $%s$."
                     % (num.points, num.seed, num.dps, _num(num.max_abs_residual, 2), _num(num.tolerance, 2)))
        if num.counterexample:
            pairs = ", ".join(f"{k} = {val}" for k, val in num.counterexample)
            what = "Counterexample to the claim" if v.status is Status.FAILED else "Witness point"
            parts.append(r"%s: %s." % (what, _tt(pairs)))
        if _printable(num.note):
            parts.append(_sentence(prose(num.note)))
    parts.append(r"Time: %.2f\,s." % v.seconds)
    return " ".join(parts)


def _crosscheck_text(c) -> str:
    power = c.power
    if getattr(c, "kind", "statistical") == "deterministic":  # a numerical check: residual against tolerance
        return (r"\badge{%s}{%s} \emph{Deterministic check} %s: residual $%s$ against the tolerance $%s$ "
                r"(numerical error $%s$). Power: planted %s gives residual $%s$."
                % (STATUS_COLOURS["verified" if c.passed else "failed"][0], "pass" if c.passed else "fail",
                   prose(c.identity), _num(c.residual, 2), _num(c.tolerance, 2), _num(c.error_estimate, 2),
                   prose(power.planted), _num(getattr(power, "residual", float("nan")), 2)))
    return (r"\badge{%s}{%s} \emph{Cross-check} %s (%s): $%s \pm %s$ against $%s$; $z = %s$ ($|z^*| = %s$), "
            r"$n = %d$, seed %d. Power: planted %s gives $z = %s$ (%s)."
            % (STATUS_COLOURS["verified" if c.passed else "failed"][0], "pass" if c.passed else "fail",
               prose(c.identity), prose(c.statistic), _num(c.estimate), _num(c.stderr, 2), _num(c.expected),
               f"{c.z:+.2f}", f"{c.threshold:.2f}", c.n_samples, c.seed, prose(power.planted), _num(power.z, 3),
               "detected" if power.detected else "NOT detected"))


def _appendix(doc: Document) -> str:
    out = [r"\section{Machine detail of every step}\label{app:detail}",
           r"Keyed by step label: the verdict's reason, the symbolic and numeric witnesses (residuals, witness "
           r"points, seeds, tolerances, timings) and the sampled cross-checks with their statistics."]
    for e in doc.steps:
        out.append(r"\par\smallskip\noindent\textbf{\ref*{%s}.}~\hyperref[%s]{\texttt{%s}}\label{app:%s} %s"
                   % (e.label, e.label, e.label, e.label, badge(_status(e.verdict))))
        body = _witness_detail(e.verdict) if e.verdict is not None else "Not verified in this run."
        out.append(r"{\small\sloppy " + body + "".join(r"\par " + _crosscheck_text(c) for c in e.checks) + r"\par}")
    if doc.orphans:
        out.append(r"\subsection*{Cross-checks of steps not in this chain}")
        out.extend(r"{\small\par\noindent\texttt{%s}: " % escape(c.step) + _crosscheck_text(c) + r"\par}"
                   for c in doc.orphans)
    return "\n".join(out)


def _anchors() -> str:
    rows = "\n".join(r"\cite{%s} & %s & %s & %s & \prov{%s} \\" % (a.paper, escape(a.section), escape(a.equations)
                                                                   or "--", prose(a.content), a.evidence.value)
                     for a in bib.ANCHORS)
    return ("\\section{What is known of the papers' layout}\n"
            "Section and equation anchors of the source papers. Those marked \\prov{secondary} come from a "
            "third-party summary, not from the papers.\n{\\small\n"
            "\\begin{longtable}{lp{1.9cm}p{2.0cm}p{7.4cm}l}\n\\toprule\npaper & section & equations & content & "
            "evidence \\\\\n\\midrule\n\\endhead\n" + rows + "\n\\bottomrule\n\\end{longtable}\n}")


def _bibliography() -> str:
    items = []
    for p in bib.PAPERS:
        authors = escape("; ".join(p.authors))
        parts = [authors, r"\emph{%s}" % prose(p.title)]
        if p.journal:
            parts.append(r"%s \textbf{%s}, %s (%s)" % (escape(p.journal), escape(p.volume), escape(p.pages), p.year))
        elif p.year:
            parts.append(str(p.year))
        if p.doi:
            parts.append(r"\href{https://doi.org/%s}{doi:%s}" % (p.doi, escape(p.doi)))
        if p.eprint:
            parts.append(r"\href{https://arxiv.org/abs/%s}{arXiv:%s}" % (p.eprint, p.eprint))
        if p.url:
            parts.append(r"\url{%s}" % p.url if p.url.startswith("http") else r"\texttt{%s}" % escape(p.url))
        seen = r" \\ {\footnotesize\emph{Seen by this project:} %s.}" % prose(p.seen) if p.seen else ""
        items.append(r"\bibitem{%s} %s.%s" % (p.key, ", ".join(parts), seen))
    return "\\begin{thebibliography}{99}\n" + "\n".join(items) + "\n\\end{thebibliography}"


# ----------------------------------------------------------------------------------------- the document

def document(verdicts: Sequence[Verdict], crosschecks: Sequence = (), *, steps: Sequence[Step] | None = None,
             seed: int | None = None, crosscheck_note: str = "", confirmations=None, records_root=None) -> str:
    r"""The complete LaTeX document of the chain.

    ``verdicts``: from :meth:`derive.chain.Derivation.verify`; ``crosschecks``: ``numerics.stats.StatVerdict``
    values; ``steps``: the steps to write, in the paper's order (default: the whole chain, so that a step
    without a verdict still appears, marked so); ``records_root``: where the recorded experiments are read
    (default: this repository).
    """
    if not crosscheck_note:
        crosscheck_note = (f"This run made {len(crosschecks)} cross-checks." if crosschecks else
                           "No cross-check was run for this document.")
    doc = build(verdicts, crosschecks, steps=steps, seed=seed, crosscheck_note=crosscheck_note,
                confirmations=confirmations, **({} if records_root is None else {"records_root": records_root}))
    known = doc.numbers
    parts = [preamble(), r"\begin{document}",
             r"\title{Emergent quantumness in neural networks:\\ the argument as a machine-checked chain}",
             r"\author{written by \texttt{eqnn latex} (emergent-quantumness)\\ from the paper by "
             r"M.~I.~Katsnelson and V.~Vanchurin~\cite{KV2021}}",
             r"\date{}", r"\maketitle", _abstract(doc), _introduction(doc, known),
             r"{\small\tableofcontents}", _account(doc)]
    for sec in doc.sections:
        parts.append(r"\section{%s}\label{sec:part-%s}" % (prose(sec.title), sec.key))
        if sec.intro:
            parts.append(prose(sec.intro))
        if sec.paper_section:
            parts.append(r"\par\noindent\emph{In the papers:} %s.\par" % escape(sec.paper_section))
        if not sec.steps:
            parts.append(r"\noindent\emph{No step of this part is in the chain yet.}")
        for e in sec.steps:
            parts.append(_step_block(e, known))
    parts += [_record_section(sec) for sec in doc.record_sections]
    parts += [_variants(doc, known), _open_questions(), _conclusion(doc), _graph(doc), r"\appendix",
              _appendix(doc), _anchors(), _bibliography(), r"\end{document}"]
    return "\n\n".join(parts) + "\n"
