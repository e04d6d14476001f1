r"""The look of the document: status colours, badges and the LaTeX preamble.

The document needs only these LaTeX packages: amsmath, amssymb, geometry, hyperref, longtable,
multicol (Debian ``texlive-latex-base``), xcolor, booktabs (``texlive-latex-recommended``), tikz
(``texlive-pictures``).
"""

from __future__ import annotations

from typing import Mapping

from derive.verify import Verdict

__all__ = ["STATUS_COLOURS", "badge", "status_of", "preamble"]

#: status → (colour name, RGB) of the badges and graph nodes
STATUS_COLOURS: Mapping[str, tuple[str, str]] = {
    "verified": ("st-verified", "0.13,0.55,0.13"),
    "conditional": ("st-conditional", "0.00,0.45,0.60"),
    "assumed": ("st-assumed", "0.42,0.35,0.65"),
    "inconclusive": ("st-inconclusive", "0.90,0.50,0.00"),
    "failed": ("st-failed", "0.80,0.05,0.05"),
    "vacuous": ("st-vacuous", "0.55,0.40,0.20"),
    "none": ("st-none", "0.50,0.50,0.50"),
}


def badge(status: str | None) -> str:
    """The coloured status box, e.g. ``\\badge{st-verified}{verified}``."""
    key = status if status in STATUS_COLOURS else "none"
    return r"\badge{%s}{%s}" % (STATUS_COLOURS[key][0], "not verified" if key == "none" else key)


def status_of(v: Verdict | None) -> str:
    return v.status.value if v is not None else "none"


_PREAMBLE = r"""\documentclass[10pt,a4paper]{article}
\usepackage[utf8]{inputenc}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage{booktabs,longtable,multicol}
\usepackage{tikz}
\pgfdeclarelayer{background}\pgfsetlayers{background,main}
\usepackage[colorlinks=true,linkcolor=blue!50!black,citecolor=green!35!black,urlcolor=blue!50!black]{hyperref}
%(colours)s
\newcommand{\badge}[2]{\fcolorbox{#1!80!black}{#1!15}{\sffamily\bfseries\scriptsize\textcolor{#1!80!black}{#2}}}
\newcommand{\prov}[1]{\textsf{\small[#1]}}
\newcounter{step}
\newcommand{\stephead}[2]{\par\bigskip\goodbreak\refstepcounter{step}%%
  \noindent{\large\bfseries Step~\thestep.}\ #2\ {\large\bfseries #1}\par\nopagebreak\smallskip}
\newcommand{\stepref}[1]{\hyperref[#1]{\texttt{#1}}~(\ref*{#1})}
\setlength{\parindent}{0pt}
\setlength{\parskip}{3pt}
\allowdisplaybreaks
\setcounter{tocdepth}{1}
\hypersetup{pdftitle={Emergent quantumness in neural networks: the verified chain}}
"""


def colours() -> str:
    return "\n".join(r"\definecolor{%s}{rgb}{%s}" % (name, rgb) for name, rgb in STATUS_COLOURS.values())



def preamble() -> str:
    """The document's preamble, with the status colours defined."""
    return _PREAMBLE % {"colours": colours()}
