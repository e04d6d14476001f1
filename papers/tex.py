r"""TeX of text and of mathematics: escaping, ASCII/Unicode math in prose, display equations, numbers.

Every rule for turning a string or a SymPy relation into TeX lives here (one file per job: adding a
display rule touches only this file).

>>> escape("T_q < 2 beta^2 & 50% of #1")
'T\\_q \\textless{} 2 beta\\textasciicircum{}2 \\& 50\\% of \\#1'
>>> escape("ħ_c² ≤ 2D/γ")
'\\ensuremath{\\hbar}\\_c\\ensuremath{^{2}} \\ensuremath{\\leq} 2D/\\ensuremath{\\gamma}'
>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> "multline" in equations([sp.Eq(x, sp.Add(*[sp.Symbol(f"a_{i}") * x**i for i in range(30)]))])
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Sequence

import sympy as sp

from derive.notation import name_latex
from derive.printing import latex as tex_of

__all__ = ["escape", "prose", "math_tex", "equations", "width", "num", "tt", "BUDGET"]

#: width budget of one display line, in the units of :func:`width` (≈ one math letter at 10 pt);
#: A4 with 2.2 cm margins leaves ≈ 470 pt, ≈ 72 letters; the rest is margin for the estimate's error
BUDGET = 62.0

# ----------------------------------------------------------------------------------------- escaping

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
    "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}
_GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau " \
         "upsilon phi chi psi omega".split()
# α..ρ in Unicode order, which has omicron (ο, no TeX macro) between ξ and π
_MATH = {chr(0x3B1 + i): ("o" if name == "omicron" else "\\" + name)
         for i, name in enumerate(_GREEK[:14] + ["omicron"] + _GREEK[14:16])}
_MATH.update({"\u03c3": r"\sigma", "\u03c2": r"\varsigma", "\u03c4": r"\tau", "\u03c5": r"\upsilon",
              "\u03c6": r"\phi", "\u03c7": r"\chi", "\u03c8": r"\psi", "\u03c9": r"\omega",
              "\u03d5": r"\phi", "\u03b5": r"\varepsilon"})
_MATH.update({"\u0393": r"\Gamma", "\u0394": r"\Delta", "\u0398": r"\Theta", "\u039b": r"\Lambda",
              "\u039e": r"\Xi", "\u03a0": r"\Pi", "\u03a3": r"\Sigma", "\u03a6": r"\Phi", "\u03a8": r"\Psi",
              "\u03a9": r"\Omega"})
_MATH.update({
    "\u0127": r"\hbar", "\u2202": r"\partial", "\u2207": r"\nabla", "\u222e": r"\oint", "\u222b": r"\int",
    "\u2211": r"\sum", "\u221a": r"\surd", "\u221e": r"\infty", "\u2264": r"\leq", "\u2265": r"\geq",
    "\u2260": r"\neq", "\u2248": r"\approx", "\u2243": r"\simeq", "\u221d": r"\propto", "\u2192": r"\to",
    "\u2190": r"\leftarrow", "\u21d2": r"\Rightarrow", "\u21d4": r"\Leftrightarrow", "\u2194": r"\leftrightarrow",
    "\u2208": r"\in", "\u2209": r"\notin", "\u2124": r"\mathbb{Z}", "\u211d": r"\mathbb{R}",
    "\u2115": r"\mathbb{N}", "\u2216": r"\setminus", "\u00b7": r"\cdot", "\u22c5": r"\cdot", "\u00d7": r"\times",
    "\u2212": "-", "\u00b1": r"\pm", "\u2213": r"\mp", "\u27e8": r"\langle", "\u27e9": r"\rangle",
    "\u2016": r"\|", "\u223c": r"\sim", "\u2261": r"\equiv", "\u2282": r"\subset", "\u222a": r"\cup",
    "\u2229": r"\cap", "\u2200": r"\forall", "\u2203": r"\exists", "\u2205": r"\emptyset", "\u00b0": r"^{\circ}",
    "\u2032": r"'", "\u2033": r"''", "\u2113": r"\ell", "\u2218": r"\circ", "\u226a": r"\ll", "\u226b": r"\gg",
    "\u2026": r"\dots", "\u22ef": r"\cdots", "\u2297": r"\otimes", "\u2295": r"\oplus", "\u0394": r"\Delta",
    "\u210f": r"\hbar", "\u2223": r"\mid", "\u2225": r"\parallel", "\u22a5": r"\perp", "\u2245": r"\cong",
})
_SUP = dict(zip("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u207f\u2071\u1d4f",
                "0123456789+-nik"))
_SUB = dict(zip("\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089\u208a\u208b\u2096\u2097\u2099"
                "\u1d62\u2c7c\u2098\u209a\u209c\u2093\u2090\u2091\u2092\u2095\u209b",
                "0123456789+-klnijmptxaeohs"))
_TEXT = {"\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u2013": "--", "\u2014": "---",
         "\u00a0": "~", "\u2022": r"\textbullet{}", "\u00a7": r"\S{}", "\u00b6": r"\P{}", "\u00df": r"\ss{}",
         "\u2009": r"\,", "\u202f": r"\,", "\u2011": "-", "\u2010": "-", "\u00ab": "<<", "\u00bb": ">>"}


def escape(text: str) -> str:
    """Plain text (with ``_ ^ < > & % # {}`` and Unicode math such as β, ħ, ∂, ², ₖ) as LaTeX text.

    Greek letters and math symbols become ``\\ensuremath{...}`` (valid in text and math); runs of
    Unicode super- and subscripts become one ``^{...}``/``_{...}``; accented Latin letters are
    decomposed into TeX accents; any other non-ASCII character is shown as ``[U+XXXX]`` so that
    nothing is silently lost and pdfLaTeX never stops on it.
    """
    out: list[str] = []
    i, s = 0, str(text)
    while i < len(s):
        ch = s[i]
        for table, mark in ((_SUP, "^"), (_SUB, "_")):
            if ch in table:
                j = i
                while j < len(s) and s[j] in table:
                    j += 1
                out.append(r"\ensuremath{%s{%s}}" % (mark, "".join(table[c] for c in s[i:j])))
                i = j
                break
        else:
            if ch in _SPECIAL:
                out.append(_SPECIAL[ch])
            elif ord(ch) < 128:
                out.append(ch)
            elif ch in _MATH:
                out.append(r"\ensuremath{%s}" % _MATH[ch])
            elif ch in _TEXT:
                out.append(_TEXT[ch])
            else:
                out.append(_accented(ch))
            i += 1
    return "".join(out)


_GREEK_WORDS = ("alpha beta gamma delta epsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau phi chi "
                "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega hbar ell").split()
_G = "(?:" + "|".join(sorted(_GREEK_WORDS, key=len, reverse=True)) + ")"
_UNI = "".join(sorted(c for c, tex in _MATH.items() if len(c) == 1 and tex.startswith("\\"))) + "\u0127\u210f"
_BASE = "(?:" + _G + r"(?![A-Za-z])|[" + _UNI + "])"
_SCRIPT = r"(?:\{[^{}]+\}|" + _G + r"(?![A-Za-z])|[A-Za-z0-9]+|[" + _UNI + "])"
_PROSE = re.compile(
    r"(?P<label>(?<![\w./-])[a-z]{2,}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\w/]|\.\w))|(?P<op><=>|<=|>=|!=|->|=>|\+-|(?<= )~(?= ))|(?P<sqrt>sqrt\((?P<radicand>(?:[^()]|\([^()]*\))+)\))"
    r"|(?P<sqrtword>\bsqrt\s+(?P<radicand2>" + _BASE + r"|[A-Za-z])(?![A-Za-z0-9]))"
    r"|(?P<root>\u221a(?:\((?P<radicand3>(?:[^()]|\([^()]*\))+)\)|(?P<radicand4>(?:" + _BASE + r"|[A-Za-z])(?:_[A-Za-z0-9]+)?)(?![A-Za-z0-9])))"
    r"|(?P<avg><(?P<avgbody>[^<>\s=](?:[^<>=]{0,30}[^<>\s=])?)>)"
    r"|(?P<word>\b(?:Schrodinger|lap|grad|oo|sum_(?:\{[^{}]+\}|[A-Za-z0-9]+))(?![A-Za-z0-9]))"
    r"|(?P<sup>\^" + _SCRIPT + ")"
    r"|(?P<id>(?<![A-Za-z0-9_\\])(?:" + _BASE + r"(?:_" + _SCRIPT + r")?(?:\^" + _SCRIPT + r")?"
    r"|[A-Za-z](?:_" + _SCRIPT + r"(?:\^" + _SCRIPT + r")?|\^" + _SCRIPT + r"))(?![A-Za-z0-9]))")
_WORDS = {"lap": r"\nabla^{2}", "grad": r"\nabla", "oo": r"\infty"}
_TOKEN = re.compile(r"(?P<b>" + _BASE + r"|[A-Za-z])(?:_(?P<s>" + _SCRIPT + r"))?(?:\^(?P<p>" + _SCRIPT + r"))?")
_OPS = {"<=": r"\leq", ">=": r"\geq", "!=": r"\neq", "->": r"\to", "=>": r"\Rightarrow", "+-": r"\pm",
        "<=>": r"\Leftrightarrow", "~": r"\sim"}
_MATH_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-*/=(),.|<> '")


def _to_math(part: str) -> str | None:
    """Plain text as math-mode TeX (Greek words and letters to macros), or None if a character is unsafe."""
    out = []
    for token in re.split("(" + _G + r"(?![A-Za-z]))", part):
        if token in _GREEK_WORDS:
            out.append("\\" + token + " ")
            continue
        for ch in token:
            if ch in _MATH and _MATH[ch].startswith("\\"):
                out.append(_MATH[ch] + " ")
            elif ch in ("\u0127", "\u210f"):
                out.append(r"\hbar ")
            elif ch == "*":
                out.append(r"\ast ")
            elif ch in _MATH_SAFE:
                out.append(ch)
            else:
                return None
    return "".join(out).strip()


def _script_tex(part: str) -> str:
    inner = part.strip("{}")
    tex = _to_math(inner)
    return tex if tex is not None else _ascii_math(inner)


def _ascii_math(part: str) -> str:
    """ASCII math with scripts, words and Greek names (``(d log p)^2``, ``iS/hbar_b``) as math-mode TeX:
    the reading of :func:`derive.notation.name_latex`, the same as for symbol names in statements."""
    part = part.replace("\u0127", "hbar").replace("\u210f", "hbar")
    for ch, tex in _MATH.items():  # Unicode letters (ψ, λ, ...) by their names, which name_latex reads
        if len(ch) == 1 and ch in part and tex.startswith("\\") and tex[1:] in _GREEK_WORDS:
            part = re.sub(re.escape(ch) + "(?=[A-Za-z0-9])", tex[1:] + " ", part).replace(ch, tex[1:])
    part = re.sub(r"\bi(?=[A-Z](?![A-Za-z]))", "i ", part)  # iS: the imaginary unit times S, not a word
    return name_latex(part)


def _base_tex(base: str) -> str:
    if base in _GREEK_WORDS:
        return "\\" + base
    if base in ("\u0127", "\u210f"):
        return r"\hbar"
    return _MATH.get(base, base)


def prose(text: str) -> str:
    r"""Human-written plain text (titles, assumptions, notes) as LaTeX, with its ASCII math typeset.

    Greek names become Greek letters, ``T_q``-style names get real subscripts, ``<=``, ``!=``, ``->``
    become symbols; everything else goes through :func:`escape`, so the result is always valid TeX.

    >>> prose("beta > 0 and T_q <= 2 hbar_c^2, 50%")
    '\\ensuremath{\\beta} \\textgreater{} 0 and \\ensuremath{T_{q}} \\ensuremath{\\leq} 2 \\ensuremath{\\hbar_{c}^{2}}, 50\\%'
    """
    out, i = [], 0
    for m in _PROSE.finditer(text):
        out.append(escape(text[i:m.start()]))
        if m.group("label"):
            # a step label (or a module path) is a name, not mathematics: no Greek letters in it
            out.append(r"\texttt{%s}" % m.group("label"))
        elif m.group("op"):
            out.append(r"\ensuremath{%s}" % _OPS[m.group("op")])
        elif m.group("sqrt"):
            out.append(r"\ensuremath{\sqrt{%s}}" % _script_tex(m.group("radicand")))
        elif m.group("sqrtword"):
            out.append(r"\ensuremath{\sqrt{%s}}" % _script_tex(m.group("radicand2")))
        elif m.group("root"):
            out.append(r"\ensuremath{\sqrt{%s}}" % _script_tex(m.group("radicand3") or m.group("radicand4")))
        elif m.group("avg"):
            body = _to_math(m.group("avgbody"))
            out.append(r"\ensuremath{\langle %s\rangle}" % (body if body is not None else
                                                             _ascii_math(m.group("avgbody"))))
        elif m.group("word"):
            word = m.group("word")
            if word == "Schrodinger":
                out.append(r'Schr\"odinger')
            elif word.startswith("sum_"):
                out.append(r"\ensuremath{\sum_{%s}}" % _script_tex(word[4:]))
            else:
                out.append(r"\ensuremath{%s}" % _WORDS[word])
        elif m.group("sup"):
            out.append(r"\ensuremath{^{%s}}" % _script_tex(m.group("sup")[1:]))
        else:
            # base, then _sub and ^sup, each possibly in braces (whose content may hold _ or ^ itself)
            parts = _TOKEN.fullmatch(m.group("id"))
            base, sub, sup = parts.group("b"), parts.group("s") or "", parts.group("p") or ""
            tex = _base_tex(base)
            if sub:
                tex += "_{%s}" % _script_tex(sub)
            if sup:
                tex += "^{%s}" % _script_tex(sup)
            out.append(r"\ensuremath{%s}" % tex)
        i = m.end()
    out.append(escape(text[i:]))
    return "".join(out)


_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~", "\u0327": "c",
            "\u030c": "v", "\u0304": "="}


def _accented(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if ord(base) < 128 and base.isalpha() and len(marks) == 1 and marks in _ACCENTS:
        return "\\%s{%s}" % (_ACCENTS[marks], base)
    return r"\texttt{[U+%04X]}" % ord(ch)


# ----------------------------------------------------------------------------------------- equations

_CMD = re.compile(r"\\([A-Za-z]+|.)")
_WIDE_OPS = set("=+-<>")
_NAMED = {"log", "exp", "sin", "cos", "tan", "det", "max", "min", "arg", "sinh", "cosh", "tanh", "lim"}
_ZERO = {"left", "right", "displaystyle", "limits", "nolimits", "mathrm", "mathit", "mathbf", "operatorname",
         "text", "textrm", "big", "Big", "bigg", "Bigg"}


def _group(tex: str, i: int) -> tuple[str, int]:
    """The brace group (or single token) starting at ``tex[i]``: (content, index after it)."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] != "{":
        if tex[i] == "\\":
            m = _CMD.match(tex, i)
            return m.group(0), m.end()
        return tex[i], i + 1
    depth, j = 0, i
    while j < len(tex):
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return tex[i + 1:j], j + 1
        j += 1
    return tex[i + 1:], len(tex)


def width(tex: str) -> float:
    r"""A rough display width of math ``tex`` in units of one letter (fractions stack, scripts shrink).

    >>> width("a + b") < width(r"\frac{a + b + c}{d}") < width("a + b + c + d")
    True
    """
    total, i = 0.0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = _CMD.match(tex, i)
            name, i = m.group(1), m.end()
            if name in ("frac", "dfrac", "tfrac", "binom"):
                a, i = _group(tex, i)
                b, i = _group(tex, i)
                total += max(width(a), width(b)) + 0.6
            elif name == "sqrt":
                a, i = _group(tex, i)
                total += width(a) + 1.2
            elif name in ("operatorname", "mathrm", "text", "textrm", "mathit", "mathbf", "texttt"):
                a, i = _group(tex, i)
                total += 0.9 * len(re.sub(r"\\[A-Za-z]+|[{}]", "", a))
            elif name in _NAMED:
                total += len(name) + 0.5
            elif name in ("quad",):
                total += 2.0
            elif name in ("qquad",):
                total += 4.0
            elif name in (",", ";", ":", "!", " "):
                total += 0.3
            elif name in ("left", "right"):
                total += 0.6
                _, i = _group(tex, i)  # the delimiter itself
            elif name in _ZERO:
                pass
            elif name in ("leq", "geq", "neq", "approx", "to", "in", "cdot", "times", "equiv", "simeq"):
                total += 2.0
            else:
                total += 1.0
        elif ch in "^_":
            a, i = _group(tex, i + 1)
            total += 0.7 * width(a)
        elif ch in "{}":
            i += 1
        elif ch == " ":
            i += 1
        elif ch in _WIDE_OPS:
            total += 2.0
            i += 1
        elif ch in "(),.;|":
            total += 0.5
            i += 1
        else:
            total += 1.0
            i += 1
    return total


_TEXT_ARG = re.compile(r"\\(?:text|textrm|mathrm|operatorname)\{")


def math_tex(expr: sp.Basic) -> str:
    r"""LaTeX of ``expr`` (derive.printing), with TeX specials inside ``\text{...}`` escaped.

    Statements may name conditions as symbols such as ``\text{Z = Z_1(beta)}``, where a bare ``_``
    would stop TeX; outside text mode the printer's output is used as is.

    >>> math_tex(sp.Symbol(r"\text{Z_1 & Z_2}"))
    '\\text{Z\\_1 \\& Z\\_2}'
    """
    tex = tex_of(expr)
    out, i = [], 0
    for m in _TEXT_ARG.finditer(tex):
        if m.start() < i:
            continue
        body, end = _group(tex, m.end() - 1)
        body = re.sub(r"(?<!\\)([_^&%#$])", lambda g: "\\textasciicircum{}" if g.group(1) == "^" else "\\" + g.group(1), body)
        out.append(tex[i:m.end()] + body + "}")
        i = end
    out.append(tex[i:])
    return "".join(out)


_REL = {sp.Eq: "=", sp.Ne: r"\neq", sp.Lt: "<", sp.Le: r"\leq", sp.Gt: ">", sp.Ge: r"\geq"}


def _terms(expr: sp.Basic) -> list[tuple[str, str]]:
    """(sign, LaTeX) pieces of a side: the terms of an Add in printing order, else the whole side."""
    if isinstance(expr, sp.Add):
        pieces = []
        for term in expr.as_ordered_terms():
            if term.could_extract_minus_sign():
                pieces.append(("-", math_tex(-term)))
            else:
                pieces.append(("+", math_tex(term)))
        return pieces
    return [("", math_tex(expr))]


def _pieces(rel: sp.Basic) -> list[str]:
    """The relation as breakable pieces: each piece begins with its joining operator (if any)."""
    op = next((o for cls, o in _REL.items() if isinstance(rel, cls)), None)
    if op is None:
        return [math_tex(rel)]
    out = []
    for side, lead in ((rel.lhs, ""), (rel.rhs, op)):
        for j, (sign, t) in enumerate(_terms(side)):
            if j == 0:
                prefix = (lead + " " if lead else "") + ("- " if sign == "-" else "")
            else:
                prefix = sign + " "
            out.append(prefix + t)
    return out


def _lines(pieces: Sequence[str], budget: float) -> list[str]:
    lines: list[str] = []
    for piece in pieces:
        if lines and width(lines[-1] + " " + piece) <= budget:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines


def equations(statement: Sequence[sp.Basic], budget: float = BUDGET, tag: str = "") -> str:
    r"""Display math for the relations of a statement, broken so that no line is wider than ``budget``.

    Relations that fit go together in one ``gather*``; a long one gets its own ``multline*``, broken
    between the terms of its sides (the operator starts the continuation line, as in print).  A single
    term wider than the budget cannot be broken that way: its lines are set one or two sizes smaller.
    """
    blocks: list[str] = []
    short: list[str] = []

    def flush() -> None:
        if short:
            blocks.append("\\begin{gather*}\n" + " \\\\\n".join(short) + "\n\\end{gather*}")
            short.clear()

    for rel in statement:
        whole = math_tex(rel)
        if width(whole) <= budget:
            short.append(whole)
            continue
        flush()
        lines = _lines(_pieces(rel), budget)
        widest = max(width(line) for line in lines)
        body = "\\begin{multline*}\n" + " \\\\\n".join(lines) + "\n\\end{multline*}" if len(lines) > 1 else \
            "\\begin{gather*}\n" + lines[0] + "\n\\end{gather*}"
        # why: an unbreakable term (a long fraction) would run into the margin; a smaller size is the
        # honest fallback (no \resizebox, so the symbols keep their shapes)
        if widest > 1.25 * budget:
            body = "{\\footnotesize\n" + body + "\n}"
        elif widest > budget:
            body = "{\\small\n" + body + "\n}"
        blocks.append(body)
    flush()
    if tag and blocks:
        # the tag (e.g. a link to the step) closes the last line of the last block
        last = blocks[-1]
        end = last.rindex("\\end{")
        blocks[-1] = last[:end].rstrip("\n") + " \\tag*{%s}\n" % tag + last[end:]
    return "\n".join(blocks)


# ----------------------------------------------------------------------------------------- numbers

def num(x: float, digits: int = 4) -> str:
    """A float as math-mode LaTeX: 0.0123, 4.3\\times10^{-32}."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return r"\text{--}"
    x = float(x)
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e5:
        return f"{x:.{digits}g}"
    mant, exp = f"{x:.{max(digits - 2, 1)}e}".split("e")
    mant = mant.rstrip("0").rstrip(".")
    return (f"{mant}\\times" if mant not in ("1", "-1") else ("-" if mant == "-1" else "")) + f"10^{{{int(exp)}}}"


_FLOAT = re.compile(r"-?\d+\.\d{7,}(?:e[+-]?\d+)?")


def tt(text: str, limit: int = 240) -> str:
    r"""Machine text (residuals, sample points) in typewriter, shortened, with break points.

    Long floats are cut to 6 significant digits; ``\allowbreak`` after ``* , ( + / =`` lets TeX break
    a long SymPy expression instead of running it into the margin.
    """
    text = _FLOAT.sub(lambda m: f"{float(m.group(0)):.6g}", text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    out = escape(text)
    out = re.sub(r"([*,(+/=])", r"\1\\allowbreak{}", out)
    return r"\texttt{%s}" % out

