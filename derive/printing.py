r"""Printing in the paper's notation.

Fields are written without their arguments (``p`` for p(q, t)), derivatives as
:math:`\partial_{q_1}^2 p`, ensemble averages as :math:`\langle\cdot\rangle`.

>>> from derive.symbols import coords, field, p
>>> import sympy as sp
>>> q = coords(1)
>>> latex(sp.Derivative(field(p, q), q[0], 2))
'\\partial_{q_{1}}^{2} p'
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

__all__ = ["latex", "text"]


class _PaperLatex(LatexPrinter):
    def _print_AppliedUndef(self, expr):  # noqa: N802 (SymPy's printer protocol)
        return self._deal_with_super_sub(expr.func.__name__)

    def _print_Derivative(self, expr):  # noqa: N802
        parts = []
        for var, count in expr.variable_count:
            sub = self._print(var)
            parts.append(r"\partial_{%s}" % sub + ("" if count == 1 else "^{%d}" % count))
        inner = self._print(expr.expr)
        if not isinstance(expr.expr, (AppliedUndef, sp.Symbol)):
            inner = r"\left(%s\right)" % inner
        return " ".join(parts) + " " + inner


class _PaperStr(StrPrinter):
    def _print_AppliedUndef(self, expr):  # noqa: N802
        return expr.func.__name__

    def _print_Derivative(self, expr):  # noqa: N802
        parts = []
        for var, count in expr.variable_count:
            parts.append(f"d_{var}" + ("" if count == 1 else f"^{count}"))
        inner = self._print(expr.expr)
        if not isinstance(expr.expr, (AppliedUndef, sp.Symbol)):
            inner = f"({inner})"
        return " ".join(parts) + " " + inner

    def _print_Equality(self, expr):  # noqa: N802
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Unequality(self, expr):  # noqa: N802
        return f"{self._print(expr.lhs)} != {self._print(expr.rhs)}"


def latex(expr: sp.Basic) -> str:
    """LaTeX of ``expr`` in the paper's notation."""
    return _PaperLatex({"symbol_names": {}}).doprint(expr)


def text(expr: sp.Basic) -> str:
    """One-line plain text of ``expr`` in the paper's notation (for the terminal)."""
    return _PaperStr().doprint(expr)
