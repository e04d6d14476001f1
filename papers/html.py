r"""HTML of text and of mathematics for the blueprint site: presentation MathML, prose, numbers.

Every rule for turning a string or a SymPy relation into HTML lives here, as :mod:`papers.tex` holds them
for TeX.  The printing rules are the PDF's: a symbol's name is read by :func:`derive.notation.name_latex`
and a field's arguments are split by :mod:`derive.printing`, then that TeX is turned into MathML by
:func:`tex_mathml`, a small converter for the TeX those rules produce; the structure of an expression
(sums, products, fractions, powers, integrals) comes from SymPy's own presentation-MathML printer.
Prose goes through :func:`papers.tex.prose` (the PDF's reading of ASCII math in text) and its TeX is
turned into HTML with inline MathML.

>>> import sympy as sp
>>> "<mi>&#295;</mi>" in mathml(sp.Symbol("hbar")) or "ħ" in mathml(sp.Symbol("hbar"))
True
>>> tex_mathml(r"\hbar_{c}^{2}")
'<msubsup><mi>ħ</mi><mi>c</mi><mn>2</mn></msubsup>'
>>> prose_html("beta <= 2 T_q")  # doctest: +ELLIPSIS
'<math><mi>β</mi></math> <math><mo>≤</mo></math> 2 <math>...'
"""

from __future__ import annotations

import html as _html
import math
import re
from typing import Callable, Mapping
from xml.dom import minidom

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.mathml import MathMLPresentationPrinter

from derive.notation import name_latex
from derive.printing import _explicit, _split_applied, latex as tex_of, text as text_of
from papers.tex import prose as prose_tex

__all__ = ["tex_mathml", "mathml", "MathMLError", "prose_html", "tex_text_html", "esc", "num", "pm"]


class MathMLError(ValueError):
    """TeX that :func:`tex_mathml` cannot turn into MathML (a macro it does not know)."""


def esc(text: str) -> str:
    """Text as HTML (``&``, ``<``, ``>`` and quotes escaped)."""
    return _html.escape(str(text), quote=True)


# ----------------------------------------------------------------------------------------- TeX → MathML

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "hbar": "ħ", "ell": "ℓ", "partial": "∂", "infty": "∞", "emptyset": "∅", "imath": "ı",
}
_OPERATORS = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔",
    "mapsto": "↦", "pm": "±", "mp": "∓", "cdot": "·", "times": "×", "sim": "∼", "approx": "≈", "simeq": "≃",
    "equiv": "≡", "propto": "∝", "in": "∈", "notin": "∉", "setminus": "∖", "subset": "⊂", "cup": "∪",
    "cap": "∩", "mid": "∣", "ast": "∗", "star": "⋆", "circ": "∘", "dots": "…", "ldots": "…", "cdots": "⋯",
    "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|", "vert": "|", "|": "‖", "Vert": "‖",
    "nabla": "∇", "oint": "∮", "int": "∫", "sum": "∑", "prod": "∏", "circlearrowleft": "↺",
    "circlearrowright": "↻", "forall": "∀", "exists": "∃", "ll": "≪", "gg": "≫", "perp": "⊥",
    "parallel": "∥", "otimes": "⊗", "oplus": "⊕", "surd": "√", "lbrace": "{", "rbrace": "}",
    "{": "{", "}": "}", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "prime": "′",
}
_LARGE = {"oint", "int", "sum", "prod"}
_FUNCTIONS = {"log", "exp", "sin", "cos", "tan", "det", "max", "min", "lim", "arg", "sinh", "cosh", "tanh",
              "ln", "sup", "inf", "sec", "csc", "cot", "arctan", "arcsin", "arccos", "tr", "sgn"}
_SPACES = {",": "0.167em", ":": "0.222em", ";": "0.278em", " ": "0.25em", "quad": "1em", "qquad": "2em",
           "enspace": "0.5em", "thinspace": "0.167em"}
_ACCENT = {"bar": "¯", "overline": "¯", "hat": "^", "widehat": "^", "tilde": "~", "widetilde": "~",
           "dot": "˙", "ddot": "¨", "vec": "→"}
_IGNORE = {"displaystyle", "textstyle", "limits", "nolimits", "left.", "big", "Big", "bigg", "Bigg", "!",
           "allowbreak", "nonumber", "mathstrut", "strut"}
_ESCAPED = {"_": "_", "%": "%", "#": "#", "&": "&", "$": "$"}
_TEXT_MACROS = {"text", "textrm", "mbox", "textnormal", "textit", "texttt", "textsf"}


def _script_letters(start: int, holes: Mapping[str, str]) -> dict[str, str]:
    return {c: holes.get(c, chr(start + i)) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


_CAL = _script_letters(0x1D49C, {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ",
                                 "R": "ℛ"})
_BB = _script_letters(0x1D538, {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"})


def _el(tag: str, body: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f"<{tag}{extra}>{body}</{tag}>"


def _row(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _el("mrow", "".join(items))


class _Tex:
    """A recursive-descent reader of the TeX that the printing rules produce (math mode)."""

    def __init__(self, tex: str) -> None:
        self.s, self.i = tex, 0

    def error(self, what: str) -> MathMLError:
        return MathMLError(f"{what} at {self.i} in {self.s!r}")

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_space(self) -> None:
        while self.peek() in (" ", "\t", "\n") and self.peek():
            self.i += 1

    def macro_name(self) -> str:
        """After a backslash: a run of letters, or one character."""
        m = re.compile(r"[A-Za-z]+|.", re.S).match(self.s, self.i)
        if not m:
            raise self.error("dangling backslash")
        self.i = m.end()
        return m.group(0)

    def raw_group(self) -> str:
        """The raw text of a brace group (or one character)."""
        self.skip_space()
        if self.peek() != "{":
            ch = self.peek()
            self.i += 1
            return ch
        depth, start = 0, self.i
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == "\\":
                self.i += 2
                continue
            depth += (ch == "{") - (ch == "}")
            self.i += 1
            if depth == 0:
                return self.s[start + 1:self.i - 1]
        raise self.error("unbalanced brace")

    def argument(self) -> str:
        """One argument: a brace group, a macro or one character, as MathML."""
        self.skip_space()
        ch = self.peek()
        if ch == "{":
            self.i += 1
            items = self.items("}")
            self.i += 1
            return _row(items) if items else "<mrow></mrow>"
        if ch == "\\":
            self.i += 1
            out = self.macro(self.macro_name())
            return out if out is not None else "<mrow></mrow>"
        if not ch:
            raise self.error("missing argument")
        self.i += 1
        return self.char(ch)

    def delimiter(self) -> str:
        """The delimiter after \\left or \\right ('' for '.')."""
        self.skip_space()
        ch = self.peek()
        self.i += 1
        if ch == ".":
            return ""
        if ch == "\\":
            name = self.macro_name()
            if name in _OPERATORS:
                return _OPERATORS[name]
            raise self.error(f"unknown delimiter \\{name}")
        return {"<": "⟨", ">": "⟩"}.get(ch, ch)

    def char(self, ch: str) -> str:
        if ch.isalpha():
            return _el("mi", esc(ch))
        if ch.isdigit():
            return _el("mn", ch)
        if ch == "-":
            return _el("mo", "−")
        if ch in "([":
            return _el("mo", ch, stretchy="false")
        if ch in ")]":
            return _el("mo", ch, stretchy="false")
        if ch == "|":
            return _el("mo", "|", stretchy="false", lspace="0", rspace="0")
        if ch == "/":
            return _el("mo", "/", stretchy="false", lspace="0", rspace="0")
        if ch == "'":
            return _el("mo", "′")
        if ch == "~":
            return _el("mspace", "", width="0.25em")
        if ch == "*":
            return _el("mo", "*")
        return _el("mo", esc(ch))

    def items(self, stop: str = "") -> list[str]:
        """Atoms up to ``stop`` ('}' or '\\right'), scripts attached to their base."""
        atoms: list[list] = []  # [base, sub, sup]
        while self.i < len(self.s):
            self.skip_space()
            ch = self.peek()
            if not ch:
                break
            if stop == "}" and ch == "}":
                break
            if ch == "}":
                raise self.error("unexpected }")
            if ch in "^_":
                self.i += 1
                arg = self.argument()
                if not atoms:
                    atoms.append(["<mrow></mrow>", None, None])
                slot = 1 if ch == "_" else 2
                if atoms[-1][slot] is not None:  # a double script: a new empty base
                    atoms.append(["<mrow></mrow>", None, None])
                atoms[-1][slot] = arg
                continue
            if ch == "'":
                self.i += 1
                if atoms and atoms[-1][2] is None:
                    atoms[-1][2] = _el("mo", "′")
                else:
                    atoms.append([_el("mo", "′"), None, None])
                continue
            if ch == "{":
                self.i += 1
                inner = self.items("}")
                self.i += 1
                atoms.append([_row(inner) if inner else "<mrow></mrow>", None, None])
                continue
            if ch == "\\":
                save = self.i
                self.i += 1
                name = self.macro_name()
                if name == "right":
                    if stop != "right":
                        raise self.error("\\right without \\left")
                    self.i = save
                    break
                out = self.macro(name)
                if out is not None:
                    atoms.append([out, None, None])
                continue
            m = re.compile(r"\d+(?:\.\d+)?").match(self.s, self.i)
            if m:
                self.i = m.end()
                atoms.append([_el("mn", m.group(0)), None, None])
                continue
            self.i += 1
            atoms.append([self.char(ch), None, None])
        out = []
        for base, sub, sup in atoms:
            if sub is not None and sup is not None:
                out.append(_el("msubsup", base + sub + sup))
            elif sub is not None:
                out.append(_el("msub", base + sub))
            elif sup is not None:
                out.append(_el("msup", base + sup))
            else:
                out.append(base)
        return out

    def macro(self, name: str) -> str | None:  # noqa: C901 (one branch per kind of macro)
        if name in _GREEK:
            return _el("mi", _GREEK[name])
        if name in _LARGE:
            return _el("mo", _OPERATORS[name], largeop="true", movablelimits="false")
        if name in _OPERATORS:
            ch = _OPERATORS[name]
            return _el("mo", ch, stretchy="false") if ch in "{}⟨⟩|‖√" else _el("mo", ch)
        if name in _FUNCTIONS:
            return _el("mi", name)
        if name in _SPACES:
            return _el("mspace", "", width=_SPACES[name])
        if name in _IGNORE:
            return None
        if name in _ESCAPED:
            return _el("mi" if name.isalpha() else "mo", esc(_ESCAPED[name]))
        if name == "frac" or name in ("dfrac", "tfrac"):
            a = self.argument()
            b = self.argument()
            return _el("mfrac", a + b)
        if name == "sqrt":
            self.skip_space()
            if self.peek() == "[":
                end = self.s.index("]", self.i)
                index = _row(_Tex(self.s[self.i + 1:end]).items())
                self.i = end + 1
                return _el("mroot", self.argument() + index)
            return _el("msqrt", self.argument())
        if name in _ACCENT:
            return _el("mover", self.argument() + _el("mo", _ACCENT[name]), accent="true")
        if name in ("mathrm", "operatorname", "mathsf", "mathit", "mathbf", "boldsymbol"):
            raw = self.raw_group()
            if re.fullmatch(r"[A-Za-z]+", raw):
                if name == "mathit":
                    return _el("mi", esc(raw)) if len(raw) == 1 else _row([_el("mi", c) for c in raw])
                return _el("mi", esc(raw), mathvariant="normal") if len(raw) == 1 else _el("mi", esc(raw))
            return _row(_Tex(raw).items() or ["<mrow></mrow>"])
        if name == "mathcal" or name == "mathscr":
            raw = self.raw_group()
            return _el("mi", "".join(_CAL.get(c, c) for c in raw))
        if name == "mathbb":
            raw = self.raw_group()
            return _el("mi", "".join(_BB.get(c, c) for c in raw))
        if name in _TEXT_MACROS:
            return _el("mtext", esc(_text_unescape(self.raw_group())))
        if name == "left":
            opener = self.delimiter()
            inner = self.items("right")
            self.i += len("\\right")
            closer = self.delimiter()
            parts = ([_el("mo", esc(opener), fence="true")] if opener else []) + inner + \
                ([_el("mo", esc(closer), fence="true")] if closer else [])
            return _el("mrow", "".join(parts))
        if name in ("big", "Big", "bigl", "bigr", "Bigl", "Bigr"):
            return None
        if name == "ensuremath":
            return _row(_Tex(self.raw_group()).items() or ["<mrow></mrow>"])
        raise self.error(f"no MathML for \\{name}")


def _text_unescape(raw: str) -> str:
    """The text of a ``\\text{...}`` group (TeX text escapes resolved)."""
    return tex_text_plain(raw)


def tex_mathml(tex: str) -> str:
    r"""Math-mode TeX (the subset the printing rules produce) as a MathML fragment (no ``<math>``).

    >>> tex_mathml(r"\frac{a}{b}")
    '<mfrac><mi>a</mi><mi>b</mi></mfrac>'
    >>> tex_mathml(r"\left\langle x \right\rangle")
    '<mrow><mo fence="true">⟨</mo><mi>x</mi><mo fence="true">⟩</mo></mrow>'
    """
    reader = _Tex(tex)
    items = reader.items()
    if reader.i < len(tex):
        raise reader.error("trailing input")
    return _row(items) if items else "<mrow></mrow>"


# ----------------------------------------------------------------------------------------- SymPy → MathML

class _PaperMathML(MathMLPresentationPrinter):
    """SymPy's presentation-MathML printer with the paper's notation (the rules of :mod:`derive.printing`)."""

    explicit: frozenset = frozenset()

    def doprint(self, expr):
        self.explicit = _explicit(expr) if isinstance(expr, sp.Basic) else frozenset()
        return super().doprint(expr)

    # why: pieces built from TeX come back as DOM nodes, so that SymPy's structure and ours nest
    def _frag(self, fragment: str):
        doc = minidom.parseString("<mrow>%s</mrow>" % fragment)
        node = doc.documentElement
        if len(node.childNodes) == 1 and node.firstChild.nodeType == node.ELEMENT_NODE:
            node = node.firstChild
        return self.dom.importNode(node, True)

    def _tex(self, tex: str):
        return self._frag(tex_mathml(tex))

    def _mo(self, ch: str, **attrs):
        mo = self.dom.createElement("mo")
        for k, v in attrs.items():
            mo.setAttribute(k, v)
        mo.appendChild(self.dom.createTextNode(ch))
        return mo

    def _mrow(self, *nodes):
        row = self.dom.createElement("mrow")
        for n in nodes:
            row.appendChild(n)
        return row

    def _fence(self, node, open_: str = "(", close: str = ")"):
        return self._mrow(self._mo(open_, fence="true"), node, self._mo(close, fence="true"))

    def _operand(self, arg):
        node = self._print(arg)
        if isinstance(arg, (sp.Add, sp.Mul)) and not (isinstance(arg, sp.Mul) and len(arg.args) == 1):
            return self._fence(node)
        return node

    def _script(self, tag: str, *nodes):
        el = self.dom.createElement(tag)
        for n in nodes:
            el.appendChild(n)
        return el

    def _print_Symbol(self, sym, style="plain"):  # noqa: N802 (SymPy's printer protocol)
        return self._tex(name_latex(sym.name))

    def _via_latex(self, expr):
        """An object printed by its own ``_latex`` (the PDF's rule), turned into MathML."""
        return self._tex(tex_of(expr))

    _print_Named = _via_latex
    _print_Text = _via_latex
    _print_DimensionOf = _via_latex

    def _print_AppliedUndef(self, expr):  # noqa: N802
        base, _sub, ints, others = _split_applied(expr, self.explicit)
        if ints:
            head = name_latex(base)
            index = self._mrow(*sum(([self._print(a)] + ([self._mo(",")] if k < len(ints) - 1 else [])
                                     for k, a in enumerate(ints)), []))
            node = self._script("msub", self._tex(head if "_" not in head else "{%s}" % head), index)
        else:
            node = self._tex(name_latex(base))
        if others:
            args = []
            for k, a in enumerate(others):
                if k:
                    args.append(self._mo(","))
                args.append(self._print(a))
            node = self._mrow(node, self._fence(self._mrow(*args)))
        return node

    def _print_Derivative(self, expr):  # noqa: N802
        parts = []
        for var, count in expr.variable_count:
            d = self._script("msub", self._mo("∂", lspace="0", rspace="0"), self._print(var))
            if count != 1:
                d = self._script("msubsup", d.firstChild, d.lastChild, self._tex(str(int(count))))
            parts.append(d)
        inner = self._print(expr.expr)
        if not isinstance(expr.expr, (AppliedUndef, sp.Symbol)):
            inner = self._fence(inner)
        return self._mrow(*parts, inner)

    def _print_Avg(self, expr):  # noqa: N802
        return self._fence(self._print(expr.args[0]), "⟨", "⟩")

    def _named_call(self, name: str, args, open_="(", close=")"):
        inner = []
        for k, a in enumerate(args):
            if k:
                inner.append(self._mo(","))
            inner.append(self._print(a))
        return self._mrow(self._tex(r"\operatorname{%s}" % name), self._fence(self._mrow(*inner), open_, close))

    def _print_Var(self, expr):  # noqa: N802
        return self._named_call("Var", expr.args)

    def _print_Cov(self, expr):  # noqa: N802
        return self._named_call("Cov", expr.args)

    def _print_Oint(self, expr):  # noqa: N802
        contour = self._print(expr.args[1]) if len(expr.args) > 1 else self._tex("C")
        body = self._print(expr.args[0])
        if isinstance(expr.args[0], sp.Add):
            body = self._fence(body)
        return self._mrow(self._script("msub", self._mo("∮", largeop="true"), contour), body)

    def _print_Grad(self, expr):  # noqa: N802
        return self._mrow(self._mo("∇", lspace="0", rspace="0"), self._operand(expr.args[0]))

    def _print_Lap(self, expr):  # noqa: N802
        return self._mrow(self._script("msup", self._mo("∇", lspace="0", rspace="0"), self._tex("2")),
                          self._operand(expr.args[0]))

    def _print_Div(self, expr):  # noqa: N802
        shown = expr.args[2] if len(expr.args) > 2 else expr.args[0]
        return self._mrow(self._mo("∇", lspace="0", rspace="0"), self._mo("·"), self._operand(shown))

    def _print_Norm2(self, expr):  # noqa: N802
        return self._script("msup", self._fence(self._print(expr.args[0]), "|", "|"), self._tex("2"))

    def _print_Functional(self, expr):  # noqa: N802
        return self._mrow(self._print(expr.args[0]), self._fence(self._print(expr.args[1]), "[", "]"))

    def _print_At(self, expr):  # noqa: N802
        return self._script("msub", self._mrow(self._operand(expr.args[0]), self._mo("|", stretchy="true")),
                            self._print(expr.args[1]))

    def _print_Subs(self, expr):  # noqa: N802
        body, old, new = expr.args
        pairs = []
        for k, (o, n) in enumerate(zip(old, new)):
            if k:
                pairs.append(self._mo(","))
            pairs.append(self._mrow(self._print(o), self._mo("="), self._print(n)))
        return self._script("msub", self._mrow(self._fence(self._print(body)), self._mo("|", stretchy="true")),
                            self._mrow(*pairs))

    def _print_Order(self, expr):  # noqa: N802
        return self._mrow(self._tex(r"\mathcal{O}"), self._fence(self._print(expr.expr)))

    def _print_sign(self, expr):  # noqa: N802
        return self._named_call("sign", expr.args)

    def _print_atan2(self, expr):  # noqa: N802
        return self._named_call("atan2", expr.args)

    def _print_Tuple(self, expr):  # noqa: N802
        return self._fence(self._mrow(*sum(([self._print(a)] + ([self._mo(",")] if k < len(expr) - 1 else [])
                                            for k, a in enumerate(expr.args)), [])))

    def _print_BooleanTrue(self, expr):  # noqa: N802
        return self._tex(r"\text{true}")

    def _print_BooleanFalse(self, expr):  # noqa: N802
        return self._tex(r"\text{false}")

    def _print_Function(self, expr):  # noqa: N802
        # why: a display object that another module adds with only a ``_latex`` prints by that rule
        own = getattr(type(expr), "_latex", None)
        if own is not None and not type(expr).__module__.startswith("sympy."):
            return self._via_latex(expr)
        return super()._print_Function(expr)

    def _print_Basic(self, expr):  # noqa: N802
        own = getattr(type(expr), "_latex", None)
        if own is not None and not type(expr).__module__.startswith("sympy."):
            return self._via_latex(expr)
        return super()._print_Basic(expr)


_MINUS = re.compile(r"<mo>-</mo>")


def mathml(expr: sp.Basic, display: bool = False, strict: bool = False) -> str:
    """``<math>`` of ``expr`` in the paper's notation; where no MathML can be made (``strict`` false), a
    ``<code class="math-fallback">`` of :func:`derive.printing.text` instead."""
    try:
        body = _MINUS.sub("<mo>&#8722;</mo>", _PaperMathML({"mul_symbol": None}).doprint(expr))
    except Exception as err:  # noqa: BLE001 (any printer failure is shown as text, never as a traceback)
        if strict:
            raise
        return '<code class="math-fallback" title="%s">%s</code>' % (esc(f"{type(err).__name__}: {err}"),
                                                                   esc(text_of(expr)))
    return ('<math display="block">%s</math>' if display else "<math>%s</math>") % body


# ----------------------------------------------------------------------------------------- prose

_TEXT_ESC = {"textbackslash": "\\", "textless": "<", "textgreater": ">", "textbar": "|",
             "textasciicircum": "^", "textasciitilde": "~", "textbullet": "•", "S": "§", "P": "¶", "ss": "ß",
             "dots": "…", "ldots": "…", "textperiodcentered": "·", "quad": "\u2003", "qquad": "\u2003\u2003"}
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "c": "\u0327",
            "v": "\u030c", "=": "\u0304"}
_TEXT_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|\$|``|''|---|--|~|\{|\}", re.S)


def _group_at(s: str, i: int) -> tuple[str, int]:
    """The brace group at ``s[i]`` (after spaces): (content, index after it); else ('', i)."""
    j = i
    while j < len(s) and s[j] == " ":
        j += 1
    if j >= len(s) or s[j] != "{":
        return "", i
    depth, k = 0, j
    while k < len(s):
        if s[k] == "\\":
            k += 2
            continue
        depth += (s[k] == "{") - (s[k] == "}")
        k += 1
        if depth == 0:
            return s[j + 1:k - 1], k
    return s[j + 1:], len(s)


def _bracket_at(s: str, i: int) -> tuple[str, int]:
    if i < len(s) and s[i] == "[":
        end = s.index("]", i)
        return s[i + 1:end], end + 1
    return "", i


def tex_text_plain(tex: str) -> str:
    """Text-mode TeX as plain text (escapes, accents and quotes resolved; math kept as its TeX)."""
    return re.sub(r"<[^>]+>", "", tex_text_html(tex, math=lambda m: m))


def tex_text_html(tex: str, link: Callable[[str, str], str] | None = None,
                  cite: Callable[[str], str] | None = None, math: Callable[[str], str] | None = None) -> str:
    r"""Text-mode TeX (what :func:`papers.tex.prose` writes, and the gaps' TeX) as HTML with inline MathML.

    ``link(label, text)`` makes a step reference (``\texttt{label}``, ``\ref*{label}``, ``\stepref{label}``);
    ``cite(key)`` a citation.

    >>> tex_text_html(r"Schr\"odinger: $\hbar$ --- 50\%")
    'Schrödinger: <math><mi>ħ</mi></math> — 50%'
    """
    link = link or (lambda label, text: "<code>%s</code>" % esc(text))
    cite = cite or (lambda key: "[%s]" % esc(key))
    math = math or (lambda body: "<math>%s</math>" % tex_mathml(body))
    out: list[str] = []
    i = 0
    while i < len(tex):
        m = _TEXT_TOKEN.search(tex, i)
        if not m:
            out.append(esc(tex[i:]))
            break
        out.append(esc(tex[i:m.start()]))
        tok = m.group(0)
        i = m.end()
        if tok == "$":
            end = tex.index("$", i)
            out.append(math(tex[i:end]))
            i = end + 1
        elif tok == "``":
            out.append("“")
        elif tok == "''":
            out.append("”")
        elif tok == "---":
            out.append("—")
        elif tok == "--":
            out.append("–")
        elif tok == "~":
            out.append("\u00a0")
        elif tok in "{}":
            continue
        else:
            name = m.group(1)
            if name in ("ensuremath",):
                body, i = _group_at(tex, i)
                out.append(math(body))
            elif name in ("texttt",):
                body, i = _group_at(tex, i)
                plain = tex_text_plain(body)
                out.append(link(plain, plain) if re.fullmatch(r"[a-z][a-z0-9-]*(\.[a-z0-9-]+)+", plain)
                           else "<code>%s</code>" % esc(plain))
            elif name in ("ref", "ref*", "stepref"):
                body, i = _group_at(tex, i)
                out.append(link(body, "#"))
            elif name == "hyperref":
                target, i = _bracket_at(tex, i)
                body, i = _group_at(tex, i)
                out.append(link(target, tex_text_plain(body)))
            elif name == "cite":
                body, i = _group_at(tex, i)
                out.append(", ".join(cite(k.strip()) for k in body.split(",")))
            elif name in ("emph", "textit"):
                body, i = _group_at(tex, i)
                out.append("<em>%s</em>" % tex_text_html(body, link, cite, math))
            elif name in ("textbf",):
                body, i = _group_at(tex, i)
                out.append("<strong>%s</strong>" % tex_text_html(body, link, cite, math))
            elif name in ("textsf", "textrm", "text", "mbox", "small", "footnotesize"):
                body, i = _group_at(tex, i)
                out.append(tex_text_html(body, link, cite, math))
            elif name in _TEXT_ESC:
                _, i = _group_at(tex, i) if tex[i:i + 2] == "{}" else ("", i)
                out.append(esc(_TEXT_ESC[name]))
            elif name in _ACCENTS:
                body, j = _group_at(tex, i)
                if j == i:
                    body, j = tex[i:i + 1], i + 1
                i = j
                import unicodedata

                out.append(esc(unicodedata.normalize("NFC", body + _ACCENTS[name])))
            elif name in ("_", "%", "&", "#", "$", "{", "}"):
                out.append(esc(name))
            elif name in (",", " "):
                out.append("\u2009" if name == "," else " ")
            elif name in ("\\",):
                out.append("<br>")
            elif name in ("par", "noindent", "smallskip", "allowbreak", "sloppy", "raggedright"):
                out.append(" " if name == "par" else "")
            else:
                raise MathMLError(f"no HTML for text macro \\{name} in {tex!r}")
    return "".join(out)


def prose_html(text: str, link: Callable[[str, str], str] | None = None) -> str:
    """Human-written plain text (titles, conditions, notes) as HTML: its ASCII math read as by the PDF
    (:func:`papers.tex.prose`), then set as inline MathML; step labels become links through ``link``."""
    return tex_text_html(prose_tex(text), link)


# ----------------------------------------------------------------------------------------- numbers

_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def num(x, digits: int = 4) -> str:
    """A number as text: 0.0123, 4.3×10⁻³², −1.5 (a minus sign, not a hyphen)."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    try:
        x = float(x)
    except (TypeError, ValueError):
        return esc(str(x))
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e5:
        out = f"{x:.{digits}g}"
    else:
        mant, exp = f"{x:.{max(digits - 2, 1)}e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        out = ("" if mant in ("1", "-1") else mant + "×") + "10" + str(int(exp)).translate(_SUPERSCRIPT)
        if mant == "-1":
            out = "-" + out
    return out.replace("-", "−")


def pm(value, se, digits: int = 4) -> str:
    """``value ± se``."""
    return num(value, digits) + ("" if se is None else " ± " + num(se, 2))
