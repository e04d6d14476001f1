r"""Printing in the paper's notation: one printer for the document (LaTeX) and the terminal (Unicode).

Rules (each a method of the printers below, none a string substitution on the output):

* a field is written without its coordinates: ``p`` for p(q, t); arguments that are not coordinates
  are kept: an integer argument as a subscript (``P_{N+1}`` for P(N + 1, q), replacing the name's own
  subscript ``N`` of ``F_N``), any other in parentheses (``ψ(θ + 2π)``);
* derivatives as :math:`\partial_{q_1}^2 p`, ensemble averages as :math:`\langle\cdot\rangle` and the
  other display objects of :mod:`derive.notation` by their own ``_latex``/``_sympystr``;
* a symbol's name is read as a mathematical name (:func:`derive.notation.name_latex`): Greek names
  become Greek letters, words become upright (``p_{\mathrm{eq}}``), ``grad``/``lap``/``oint``/``oo``
  become ∇, ∇², ∮, ∞; a name holding a backslash is TeX typed by its module and printed as it is.

>>> from derive.symbols import coords, field, p
>>> import sympy as sp
>>> q = coords(1)
>>> latex(sp.Derivative(field(p, q), q[0], 2))
'\\partial_{q_{1}}^{2} p'
>>> N = sp.Symbol("N", integer=True)
>>> latex(sp.Function("F_N")(N + 1, *q))
'F_{N + 1}'
>>> text(sp.Function("psi")(sp.Symbol("theta") + 2 * sp.pi))
'ψ(θ + 2π)'
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.simplify.radsimp import fraction
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from derive.notation import name_latex, name_text

__all__ = ["latex", "text", "pretty", "is_coordinate"]

_SQUARES = {sp.Integer(2): "²", sp.Integer(3): "³"}
_COORD = re.compile(r"^(q(_[a-z0-9]+)?|t|x)$")


def is_coordinate(arg: sp.Basic) -> bool:
    """A coordinate of a field (q, q_k, t, the hidden state x): not written among a field's arguments."""
    return isinstance(arg, sp.Symbol) and bool(_COORD.match(arg.name))


def _index_base(sym: sp.Symbol) -> str:
    return re.split(r"[_^]", sym.name, maxsplit=1)[0]


def _split_applied(expr: AppliedUndef, explicit: frozenset = frozenset()):
    """(base name, own subscript, index arguments, other arguments) of an applied function.

    Index arguments (integer-valued, with a free symbol: N, N + 1, N*) are written as a subscript that
    replaces the name's own (``F_N`` at N + 1 is F_{N+1}); a plain-symbol argument (a parameter such
    as β) is left out unless the same function appears elsewhere in the relation at a compound
    argument (``ψ(θ + 2π)/ψ(θ)``, the names in ``explicit``); every other argument is kept.
    """
    name = expr.func.__name__
    base, sub = name.split("_", 1) if "_" in name and "\\" not in name else (name, None)
    shown = [a for a in expr.args if not is_coordinate(a)]
    ints = [a for a in shown if a.is_integer and a.free_symbols]
    others = [a for a in shown if a not in ints and (name in explicit or not isinstance(a, sp.Symbol))]
    if ints and sub is not None and not any(_index_base(s) == sub for a in ints for s in a.free_symbols):
        others, ints = [a for a in shown if a in ints or a in others], []
    return (base if ints else name), sub, ints, others


def _explicit(expr: sp.Basic) -> frozenset:
    """Names of functions applied somewhere in ``expr`` to an argument that is not a symbol or index."""
    names = set()
    for f in expr.atoms(AppliedUndef):
        if any(not is_coordinate(a) and not isinstance(a, sp.Symbol) and not (a.is_integer and a.free_symbols)
               for a in f.args):
            names.add(f.func.__name__)
    return frozenset(names)


class _PaperLatex(LatexPrinter):
    def _print_Symbol(self, expr, style="plain"):  # noqa: N802 (SymPy's printer protocol)
        return name_latex(expr.name)

    explicit: frozenset = frozenset()

    def doprint(self, expr):
        self.explicit = _explicit(expr) if isinstance(expr, sp.Basic) else frozenset()
        return super().doprint(expr)

    def _print_AppliedUndef(self, expr):  # noqa: N802
        base, sub, ints, others = _split_applied(expr, self.explicit)
        if ints:
            head = name_latex(base)
            out = ("{%s}" % head if "_" in head else head) + "_{%s}" % ", ".join(self._print(a) for a in ints)
        else:
            out = name_latex(base)
        if others:
            out += r"\left(%s\right)" % ", ".join(self._print(a) for a in others)
        return out

    def _print_Derivative(self, expr):  # noqa: N802
        parts = []
        for var, count in expr.variable_count:
            sub = self._print(var)
            parts.append(r"\partial_{%s}" % sub + ("" if count == 1 else "^{%d}" % count))
        inner = self._print(expr.expr)
        if not isinstance(expr.expr, (AppliedUndef, sp.Symbol)):
            inner = r"\left(%s\right)" % inner
        return " ".join(parts) + " " + inner

    def _print_atan2(self, expr):  # noqa: N802
        return r"\operatorname{atan2}\left(%s, %s\right)" % tuple(self._print(a) for a in expr.args)


class _PaperStr(StrPrinter):
    """One line of Unicode: ħ, ψ, ∂, √, ⟨⟩, ≠, ≤ (for the terminal)."""

    def _print_Symbol(self, expr):  # noqa: N802
        return name_text(expr.name)

    explicit: frozenset = frozenset()

    def doprint(self, expr):
        self.explicit = _explicit(expr) if isinstance(expr, sp.Basic) else frozenset()
        return super().doprint(expr)

    def _print_AppliedUndef(self, expr):  # noqa: N802
        base, sub, ints, others = _split_applied(expr, self.explicit)
        if ints:
            inner = ", ".join(self._print(a) for a in ints)
            out = name_text(base) + "_" + (inner if len(inner) == 1 else f"({inner})")
        else:
            out = name_text(base)
        if others:
            out += "(%s)" % ", ".join(self._print(a) for a in others)
        return out

    def _print_Derivative(self, expr):  # noqa: N802
        parts = []
        for var, count in expr.variable_count:
            parts.append(f"∂_{self._print(var)}" + ("" if count == 1 else {2: "²", 3: "³"}.get(count, f"^{count}")))
        inner = self._print(expr.expr)
        if not isinstance(expr.expr, (AppliedUndef, sp.Symbol)):
            inner = f"({inner})"
        return " ".join(parts) + " " + inner

    def _print_Pow(self, expr, rational=False):  # noqa: N802
        if expr.exp == sp.Rational(1, 2):
            base = self._print(expr.base)
            return "√" + (base if isinstance(expr.base, (sp.Symbol, AppliedUndef)) else f"({base})")
        if expr.exp.is_negative:
            return self._print_Mul(expr)
        base = self.parenthesize(expr.base, PRECEDENCE["Pow"], strict=True)
        if expr.exp in _SQUARES:
            return base + _SQUARES[expr.exp]
        return f"{base}^{self.parenthesize(expr.exp, PRECEDENCE['Pow'], strict=True)}"

    def _print_Mul(self, expr):  # noqa: N802
        if expr.could_extract_minus_sign():
            return "-" + self.parenthesize(-expr, PRECEDENCE["Mul"])
        num, den = fraction(expr, exact=True)

        def product(m):
            factors = sp.Mul.make_args(m)
            out = " ".join(self.parenthesize(a, PRECEDENCE["Mul"]) for a in factors[1:])
            if factors[0].is_Number and out:
                return ("" if factors[0] == 1 else self._print(factors[0])) + out
            return " ".join(x for x in (self.parenthesize(factors[0], PRECEDENCE["Mul"]), out) if x)

        if den == 1:
            return product(num)
        top = product(num)
        bottom = product(den)
        if isinstance(num, sp.Add):
            top = f"({top})"
        if len(sp.Mul.make_args(den)) > 1 or isinstance(den, sp.Add):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _print_Pi(self, expr):  # noqa: N802
        return "π"

    def _print_Infinity(self, expr):  # noqa: N802
        return "∞"

    def _print_ImaginaryUnit(self, expr):  # noqa: N802
        return "i"

    def _print_Exp1(self, expr):  # noqa: N802
        return "e"

    def _print_Abs(self, expr):  # noqa: N802
        return f"|{self._print(expr.args[0])}|"

    def _print_Relational(self, expr):  # noqa: N802
        op = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}[expr.rel_op]
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Equality(self, expr):  # noqa: N802
        return self._print_Relational(expr)

    def _print_Unequality(self, expr):  # noqa: N802
        return self._print_Relational(expr)


class _PaperPretty(PrettyPrinter):
    """SymPy's two-dimensional layout, with the names and fields of :class:`_PaperStr`."""

    def _print_Symbol(self, e, bold_name=False):  # noqa: N802
        return prettyForm(name_text(e.name))

    def _print_AppliedUndef(self, e):  # noqa: N802
        return prettyForm(_PaperStr().doprint(e))

    def _print_Derivative(self, e):  # noqa: N802
        return prettyForm(_PaperStr().doprint(e))


def latex(expr: sp.Basic) -> str:
    """LaTeX of ``expr`` in the paper's notation."""
    return _PaperLatex({"symbol_names": {}}).doprint(expr)


def text(expr: sp.Basic) -> str:
    """One line of Unicode text of ``expr`` in the paper's notation (for the terminal, ``eqnn show``)."""
    return _PaperStr().doprint(expr)


def pretty(expr: sp.Basic) -> str:
    """Several lines of Unicode (fractions stacked) of ``expr`` in the paper's notation."""
    return _PaperPretty({"use_unicode": True}).doprint(expr)
