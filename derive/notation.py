r"""The paper's notation: how names are read, and unevaluated display objects.

Names.  A symbol's name is read as a mathematical name by :func:`name_latex` (LaTeX) and
:func:`name_text` (Unicode): ``hbar_c`` is ħ_c, ``p_eq`` is p with an upright subscript "eq",
``psi_1`` is ψ₁, ``grad``/``lap``/``div``/``curl``/``oint``/``oo``/``sqrt`` are ∇, ∇², ∇·, ∇×, ∮, ∞, √,
``d_t`` is ∂_t and any other word is set upright.  A name that holds a backslash is TeX typed by its
module and printed as it is.  A module that needs a symbol whose printed form is not its name uses
:class:`Named`.

Display objects.  A statement typed with them reads as in the paper: :class:`Avg` ⟨A⟩, :class:`Var`,
:class:`Cov`, :class:`Oint` ∮_C (integrand), :class:`Grad` ∇F, :class:`Lap` ∇²F, :class:`Div` ∇·J,
:class:`Functional` N[ψ], :class:`At` (expression at a point), :class:`Text` (a named concept) and
:class:`DimensionOf` [x].  A module gives the *realisation* that turns them into explicit sums
(:func:`realise` does it for Grad, Lap and Div over given coordinates; averages are realised by the
ensemble's module, e.g. :func:`derive.canonical.realise`).

>>> import sympy as sp
>>> from derive.printing import latex
>>> x = sp.Symbol("x")
>>> latex(Avg(x**2))
'\\left\\langle x^{2} \\right\\rangle'
>>> name_latex("hbar_c^2")
'\\hbar_{c}^{2}'
>>> name_latex("p_eq")
'p_{\\mathrm{eq}}'
>>> name_text("psi_1")
'ψ₁'
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["Avg", "Var", "Cov", "Oint", "Grad", "Lap", "Div", "Functional", "At", "Named", "Text", "DimensionOf",
           "realise", "name_latex", "name_text", "GREEK"]

# ----------------------------------------------------------------------------------------- names

#: ASCII Greek names (and hbar) → (TeX macro, Unicode letter)
GREEK: dict[str, tuple[str, str]] = {
    name: ("\\" + name, chr(code)) for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
        ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA),
        ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1),
        ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8),
        ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B),
        ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
GREEK["hbar"] = (r"\hbar", "ħ")
GREEK["ell"] = (r"\ell", "ℓ")
GREEK["varepsilon"] = (r"\varepsilon", "ε")

#: words that are operators or constants → (TeX, Unicode)
_WORDS: dict[str, tuple[str, str]] = {
    "grad": (r"\nabla", "∇"), "lap": (r"\nabla^{2}", "∇²"), "div": (r"\nabla\cdot", "∇·"),
    "curl": (r"\nabla\times", "∇×"), "oint": (r"\oint", "∮"), "oo": (r"\infty", "∞"), "inf": (r"\infty", "∞"),
    "sum": (r"\sum", "Σ"), "log": (r"\log", "log"), "exp": (r"\exp", "exp"), "sin": (r"\sin", "sin"),
    "cos": (r"\cos", "cos"), "tan": (r"\tan", "tan"), "det": (r"\det", "det"), "max": (r"\max", "max"),
    "min": (r"\min", "min"), "lim": (r"\lim", "lim"), "Var": (r"\operatorname{Var}", "Var"),
    "Cov": (r"\operatorname{Cov}", "Cov"), "Disc": (r"\operatorname{Disc}", "Disc"),
    "Schrodinger": (r"\text{Schr\"odinger}", "Schrödinger"),
}
_OPS: dict[str, tuple[str, str]] = {
    "<=>": (r"\Leftrightarrow", "⇔"), "<=": (r"\leq", "≤"), ">=": (r"\geq", "≥"), "!=": (r"\neq", "≠"),
    "->": (r"\to", "→"), "=>": (r"\Rightarrow", "⇒"), "+-": (r"\pm", "±"), "==": ("=", "="),
    "~": (r"\sim", "~"), "*": (r"\,", "·"), "&": (r"\&", "&"), "%": (r"\%", "%"), "#": (r"\#", "#"),
    "$": (r"\$", "$"), "{": (r"\{", "{"), "}": (r"\}", "}"),
}
_SUBS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_SUPS = dict(zip("0123456789+-=()in*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ*"))

_TOKEN = re.compile(r"(?P<ws>\s+)|(?P<op><=>|<=|>=|!=|->|=>|\+-|==)|(?P<word>[A-Za-z]+)|(?P<num>\d+(?:\.\d+)?)"
                    r"|(?P<script>[_^])|(?P<ch>.)")


def _group_end(s: str, i: int, open_: str, close: str) -> int:
    depth = 0
    for j in range(i, len(s)):
        depth += (s[j] == open_) - (s[j] == close)
        if depth == 0:
            return j + 1
    return len(s)


def _script(s: str, i: int) -> tuple[str, int]:
    """The script after ``_``/``^`` at ``s[i:]``: a braced or parenthesised group, a word, a number, a char."""
    if i >= len(s):
        return "", i
    if s[i] == "{":
        j = _group_end(s, i, "{", "}")
        return s[i + 1:j - 1], j
    if s[i] == "(":
        j = _group_end(s, i, "(", ")")
        return s[i:j], j
    m = re.compile(r"[A-Za-z0-9]+|.").match(s, i)
    return m.group(0), m.end()


def _atoms(name: str):
    """Tokens of a name: (kind, text, subscripts, superscripts), scripts gathered onto their base."""
    out: list[list] = []
    i = 0
    while i < len(name):
        m = _TOKEN.match(name, i)
        kind = m.lastgroup
        if kind == "script":
            script, i = _script(name, m.end())
            if not out or out[-1][0] == "ws":
                out.append(["ch", "", [], []])
            out[-1][2 if m.group(0) == "_" else 3].append(script)
            continue
        out.append([kind, m.group(0), [], []])
        i = m.end()
    return out


def _is_text_word(word: str) -> bool:
    """A word set upright as a name (not a letter, Greek name, operator or index pair)."""
    return len(word) > 1 and word not in GREEK and word not in _WORDS and not _bar(word) \
        and not re.fullmatch(r"[ijklmn]{2}|d[lqxtsr]", word)


def _bar(word: str) -> str | None:
    """The stem of ``phibar``-style names (φ̄), else None."""
    stem = word[:-3] if word.endswith("bar") and word != "hbar" else ""
    return stem if stem in GREEK or len(stem) == 1 else None


def _word_latex(word: str, in_script: bool) -> str:
    if word in GREEK:
        return GREEK[word][0]
    if _bar(word):
        return r"\bar{%s}" % _word_latex(_bar(word), in_script)
    if word in _WORDS and not in_script or word in ("oo", "inf", "Var", "Disc"):
        return _WORDS[word][0]
    if len(word) == 1 or re.fullmatch(r"[ijklmn]{2}", word):
        return word
    if len(word) == 2 and word[0] == "d" and word[1] in "lqxtsr" and not in_script:
        return r"\mathrm{d}" + word[1]  # dl, dq, dx, dt: a line element
    if word == "Schrodinger":
        return _WORDS[word][0]
    return r"\mathrm{%s}" % word


def _scripts_latex(scripts: list[str]) -> str:
    return r",\,".join(name_latex(sc, True) for sc in scripts)


def name_latex(name: str, _in_script: bool = False) -> str:
    """The LaTeX of a symbol's name read as mathematics (see the module's docstring)."""
    if "\\" in name:
        return _tex_name(name)
    atoms = _atoms(name)
    out: list[str] = []
    spaced = out_word = False  # whitespace in the name since the last atom; the last atom an upright word
    for idx, (kind, tok, subs, sups) in enumerate(atoms):
        if kind == "ws":
            spaced = True
            continue
        # a space written in the name is kept next to an upright word ("quantum HJ", "shift F")
        if spaced and out and (kind == "word" and _is_text_word(tok) or out_word):
            out.append("\\ ")
        spaced, out_word = False, False
        if kind == "word":
            nxt_is_group = idx + 1 < len(atoms) and atoms[idx + 1][1] == "("
            if tok == "d" and len(subs) == 1 and not sups and len(subs[0]) <= 2:
                out.append(r"\partial_{%s}" % name_latex(subs[0], True))
                continue
            if tok == "sqrt" and nxt_is_group:
                out.append(r"\sqrt")
                atoms[idx + 1][0] = "sqrtarg"
                continue
            piece = _word_latex(tok, _in_script)
            out_word = _is_text_word(tok)
        elif kind == "op":
            piece = _OPS[tok][0]
        elif kind == "num":
            piece = tok
        elif kind == "sqrtarg":
            piece = "{%s}" % name_latex(tok[1:-1] if tok.startswith("(") else tok, True)
        else:  # one character
            if tok == "." and 0 < idx < len(atoms) - 1 and atoms[idx - 1][0] == "ws" == atoms[idx + 1][0]:
                piece = r"\cdot"
            elif tok == "*" and (_in_script or idx == len(atoms) - 1):
                piece = "*"
            elif tok in _OPS:
                piece = _OPS[tok][0]
            else:
                piece = tok
        if (subs or sups) and not piece:
            piece = "{}"
        if subs:
            piece += "_{%s}" % _scripts_latex(subs)
        if sups:
            piece = ("{%s}" % piece if "^" in piece else piece) + "^{%s}" % _scripts_latex(sups)
        out.append(piece)
    joined = ""
    for piece in (p for p in out if p):
        if joined and re.search(r"[A-Za-z0-9]$", joined) and re.match(r"[A-Za-z0-9\\]", piece) \
                and not piece.startswith("\\ "):
            joined += " "
        joined += piece
    return joined.replace("\\ \\ ", "\\ ")


_TEX_GROUP = re.compile(r"\\(?:text|mathrm|operatorname|textrm|mathit)\{(?:[^{}]|\{[^{}]*\})*\}")
_TEX_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")


def _tex_name(tex: str) -> str:
    """A name its module typed as TeX (``E[\\Delta q_{SGD}]``): kept, except that a run of letters outside
    a macro name or a text group is a word, set upright (``q_{\\mathrm{SGD}}``, ``\\operatorname{Var}``)."""
    out, i = [], 0
    for m in _TEX_GROUP.finditer(tex):
        out.append(_TEX_WORD.sub(_tex_word, tex[i:m.start()]))
        out.append(m.group(0))
        i = m.end()
    out.append(_TEX_WORD.sub(_tex_word, tex[i:]))
    return "".join(out)


def _tex_word(m: re.Match) -> str:
    word = m.group(0)
    if word in _WORDS and _WORDS[word][0].startswith("\\operatorname"):
        return _WORDS[word][0]
    if word in ("log", "exp", "sin", "cos", "tan", "det", "max", "min", "lim"):
        return "\\" + word
    return r"\mathrm{%s}" % word


def _script_text(scripts: list[str], table: dict[str, str], mark: str) -> str:
    inner = ",".join(name_text(sc) for sc in scripts)
    if inner and all(c in table for c in inner):
        return "".join(table[c] for c in inner)
    return mark + (inner if len(inner) == 1 else "(" + inner.strip("()") + ")")


def name_text(name: str) -> str:
    """The Unicode of a symbol's name read as mathematics: ``hbar_c^2`` → ħ_c², ``psi_1`` → ψ₁."""
    if "\\" in name:
        return _tex_to_text(name)
    out: list[str] = []
    for kind, tok, subs, sups in _atoms(name):
        if kind == "ws":
            out.append(" ")
            continue
        if kind == "word" and tok == "d" and len(subs) == 1 and not sups:
            out.append("∂" + _script_text(subs, _SUBS, "_"))
            continue
        if kind == "word":
            stem = _bar(tok)
            piece = GREEK[tok][1] if tok in GREEK else _WORDS[tok][1] if tok in _WORDS else \
                ("√" if tok == "sqrt" else (name_text(stem) + "\u0304") if stem else tok)
        elif kind == "op":
            piece = _OPS[tok][1]
        else:
            piece = tok
        if subs:
            piece += _script_text(subs, _SUBS, "_")
        if sups:
            piece += _script_text(sups, _SUPS, "^")
        out.append(piece)
    return "".join(out)


_TEX_TEXT = {r"\oint": "∮", r"\partial": "∂", r"\nabla": "∇", r"\hbar": "ħ", r"\infty": "∞", r"\cdot": "·",
             r"\,": " ", r"\mathcal": "", r"\varepsilon": "ε", r"\int": "∫", r"\frac": "", r"\left": "",
             r"\right": "", r"\delta": "δ", r"\mu": "μ", r"\lambda": "λ", r"\gamma": "γ", r"\psi": "ψ"}


def _tex_to_text(tex: str) -> str:
    """TeX typed by a module, for the terminal: its macros as Unicode, braces dropped."""
    out = re.sub(r"\\[A-Za-z]+|\\,", lambda m: _TEX_TEXT.get(m.group(0), m.group(0)[1:]), tex)
    return out.replace("{", "").replace("}", "")


# ----------------------------------------------------------------------------------------- display objects

class Avg(sp.Function):
    r"""⟨A⟩: the ensemble average of A (which ensemble: the step says)."""

    nargs = 1

    def _latex(self, printer):
        return r"\left\langle %s \right\rangle" % printer._print(self.args[0])

    def _sympystr(self, printer):
        return "<%s>" % printer._print(self.args[0])


class Var(sp.Function):
    r"""Var A = ⟨A²⟩ − ⟨A⟩²."""

    nargs = 1

    def _latex(self, printer):
        return r"\operatorname{Var}\left(%s\right)" % printer._print(self.args[0])


class Cov(sp.Function):
    r"""Cov(A, B) = ⟨AB⟩ − ⟨A⟩⟨B⟩."""

    nargs = 2

    def _latex(self, printer):
        return r"\operatorname{Cov}\left(%s, %s\right)" % tuple(printer._print(a) for a in self.args)


class Oint(sp.Function):
    r"""∮_C (integrand): a loop integral (display object); an optional second argument names the contour.

    >>> from derive.printing import latex, text
    >>> latex(Oint(sp.Symbol("f")))
    '\\oint_{C} f'
    >>> q, dq = sp.symbols("q dq")
    >>> latex(Oint(q * dq + q**2 * dq, sp.Symbol("C_n")))
    '\\oint_{C_{n}} \\left(\\mathrm{d}q q^{2} + \\mathrm{d}q q\\right)'
    >>> text(Oint(sp.Symbol("f")))
    '∮_C f'
    """

    nargs = (1, 2)

    def _contour(self, printer):
        return printer._print(self.args[1]) if len(self.args) > 1 else "C"

    def _latex(self, printer):
        body = printer._print(self.args[0])
        if isinstance(self.args[0], sp.Add):
            body = r"\left(%s\right)" % body
        return r"\oint_{%s} %s" % (self._contour(printer), body)

    def _sympystr(self, printer):
        body = printer._print(self.args[0])
        if isinstance(self.args[0], sp.Add):
            body = f"({body})"
        return f"∮_{self._contour(printer)} {body}"


def _coords(args) -> tuple[sp.Symbol, ...]:
    return tuple(args[1]) if len(args) > 1 and isinstance(args[1], sp.Tuple) else tuple(args[1:])


class Grad(sp.Function):
    r"""∇F: the gradient of F over the coordinates given as second argument (a Tuple).

    Realised by :func:`realise` as the Matrix of partial derivatives.

    >>> from derive.printing import latex
    >>> q = sp.symbols("q_1 q_2", real=True)
    >>> F = sp.Function("F")(*q)
    >>> latex(Grad(F, sp.Tuple(*q)))
    '\\nabla F'
    >>> latex(Grad(F, sp.Tuple(*q)).norm2())
    '\\left|\\nabla F\\right|^{2}'
    """

    nargs = 2

    def _latex(self, printer):
        return r"\nabla %s" % _operand(printer, self.args[0])

    def _sympystr(self, printer):
        return "∇" + _operand(printer, self.args[0], "(%s)")

    def norm2(self) -> "Norm2":
        """|∇F|², which :func:`realise` writes as the sum of squared partials."""
        return Norm2(self)


class Norm2(sp.Function):
    r"""|v|²  of a vector display object (e.g. :class:`Grad`)."""

    nargs = 1

    def _latex(self, printer):
        return r"\left|%s\right|^{2}" % printer._print(self.args[0])

    def _sympystr(self, printer):
        return "|%s|²" % printer._print(self.args[0])


class Lap(sp.Function):
    r"""∇²F: the Laplacian of F over the coordinates (second argument, a Tuple).

    >>> from derive.printing import latex
    >>> q = sp.symbols("q_1 q_2", real=True)
    >>> latex(Lap(sp.sqrt(sp.Function("p")(*q)), sp.Tuple(*q)))
    '\\nabla^{2} \\sqrt{p}'
    """

    nargs = 2

    def _latex(self, printer):
        return r"\nabla^{2} %s" % _operand(printer, self.args[0])

    def _sympystr(self, printer):
        return "∇²" + _operand(printer, self.args[0], "(%s)")


class Div(sp.Function):
    r"""∇·J: the divergence of the vector J (first argument: a Tuple of components, or a display vector).

    >>> from derive.printing import latex
    >>> q = sp.symbols("q_1 q_2", real=True)
    >>> J = sp.Tuple(sp.Symbol("J_1"), sp.Symbol("J_2"))
    >>> latex(Div(J, sp.Tuple(*q), sp.Symbol("J")))
    '\\nabla\\cdot J'
    """

    nargs = (2, 3)

    def _latex(self, printer):
        shown = self.args[2] if len(self.args) > 2 else self.args[0]
        return r"\nabla\cdot %s" % _operand(printer, shown)

    def _sympystr(self, printer):
        shown = self.args[2] if len(self.args) > 2 else self.args[0]
        return "∇·" + _operand(printer, shown, "(%s)")


def _operand(printer, arg, wrap=r"\left(%s\right)") -> str:
    out = printer._print(arg)
    if isinstance(arg, (sp.Add, sp.Mul)) and not (isinstance(arg, sp.Mul) and len(arg.args) == 1):
        return wrap % out
    return out


def realise(expr: sp.Basic) -> sp.Basic:
    r"""Grad, Lap, Div and Norm2 of ``expr`` written out over their coordinates (for verification).

    >>> q = sp.symbols("q_1 q_2", real=True)
    >>> F = sp.Function("F")(*q)
    >>> realise(Lap(F, sp.Tuple(*q))) == sp.Derivative(F, q[0], 2) + sp.Derivative(F, q[1], 2)
    True
    """
    def grad(f, q):
        return sp.Matrix([sp.Derivative(f, x) for x in q])

    expr = expr.replace(lambda e: isinstance(e, Norm2) and isinstance(e.args[0], Grad),
                        lambda e: sum(d ** 2 for d in grad(e.args[0].args[0], _coords(e.args[0].args))))
    expr = expr.replace(lambda e: isinstance(e, Lap),
                        lambda e: sum(sp.Derivative(e.args[0], x, 2) for x in _coords(e.args)))
    expr = expr.replace(lambda e: isinstance(e, Div),
                        lambda e: sum(sp.Derivative(c, x) for c, x in zip(e.args[0], _coords(e.args[:2]))))
    return expr


class Functional(sp.Function):
    r"""A functional or operator applied to an expression, in brackets: N[ψ₁ + ψ₂] (first argument: its name).

    >>> from derive.printing import latex, text
    >>> psi1, psi2 = sp.symbols("psi_1 psi_2")
    >>> latex(Functional(sp.Symbol("N"), psi1 + psi2))
    'N\\left[\\psi_{1} + \\psi_{2}\\right]'
    >>> text(Functional(sp.Symbol("N"), psi1 + psi2))
    'N[ψ₁ + ψ₂]'
    """

    nargs = 2

    def _latex(self, printer):
        return r"%s\left[%s\right]" % (printer._print(self.args[0]), printer._print(self.args[1]))

    def _sympystr(self, printer):
        return "%s[%s]" % (printer._print(self.args[0]), printer._print(self.args[1]))


class At(sp.Function):
    r"""An expression evaluated at a point: (expr)|_{x = 0} (arguments: the expression, then an Eq or Tuple).

    >>> from derive.printing import latex
    >>> x = sp.Symbol("x")
    >>> latex(At(sp.Symbol("f") + 1, sp.Eq(x, 0)))
    '\\left.\\left(f + 1\\right)\\right|_{x = 0}'
    """

    nargs = 2

    def _latex(self, printer):
        return r"\left.%s\right|_{%s}" % (_operand(printer, self.args[0]), printer._print(self.args[1]))

    def _sympystr(self, printer):
        return "%s|_(%s)" % (_operand(printer, self.args[0], "(%s)"), printer._print(self.args[1]))


class Named(sp.Symbol):
    r"""A quantity whose printed form is given explicitly (LaTeX and Unicode), not read from its name.

    Use it for a quantity that no name reads as: ``Named("ratio_asc", r"\frac{\partial_t p|_{EL}}{...}",
    "∂_t p|EL / ∂_t p|SGD")``.  Two Named symbols are equal iff name, forms and assumptions are.

    >>> from derive.printing import latex, text
    >>> g = Named("absgradF", r"\left|\nabla F\right|", "|∇F|", positive=True)
    >>> latex(2 * g), text(g), g.is_positive
    ('2 \\left|\\nabla F\\right|', '|∇F|', True)
    """

    def __new__(cls, name: str, tex: str, txt: str | None = None, **assumptions):
        obj = sp.Symbol.__xnew__(cls, name, **assumptions)
        obj._tex = tex
        obj._txt = txt if txt is not None else name
        return obj

    def __getnewargs_ex__(self):
        return ((self.name, self._tex, self._txt), self.assumptions0)

    def _hashable_content(self):
        return super()._hashable_content() + (self._tex, self._txt)

    def _latex(self, printer):
        return self._tex

    def _sympystr(self, printer):
        return self._txt


class Text(sp.Symbol):
    r"""A named concept inside a statement (e.g. "stationary Fokker-Planck"), printed as text.

    Words are set as text; a name with mathematics in it (``_``, ``=``, parentheses) is read as
    mathematics (:func:`name_latex`).

    >>> from derive.printing import latex
    >>> latex(Text("stationary Fokker-Planck"))
    '\\text{stationary Fokker-Planck}'
    >>> latex(Text("Z = Z_1(beta) Z_2(q)"))
    'Z=Z_{1}(\\beta)Z_{2}(q)'
    """

    def _latex(self, printer):
        if re.fullmatch(r"[A-Za-z' -]+", self.name):
            return r"\text{%s}" % self.name
        return name_latex(self.name)

    def _sympystr(self, printer):
        return f"[{name_text(self.name)}]"


class DimensionOf(sp.Symbol):
    r"""[x]: the dimension of the quantity named x (e.g. "hbar_c^2"), printed as :math:`[\hbar_c^2]`.

    >>> from derive.printing import latex
    >>> latex(DimensionOf("hbar_c^2"))
    '\\left[\\hbar_{c}^{2}\\right]'
    """

    def _latex(self, printer):
        return r"\left[%s\right]" % name_latex(self.name)

    def _sympystr(self, printer):
        return f"[{name_text(self.name)}]"
