r"""Unevaluated notation of the paper: ensemble averages, variances and covariances.

These are display objects: a statement typed with them reads as in the paper,
:math:`\langle \partial_{q_1} H\rangle`; a module that defines an ensemble gives the
*realisation* that turns them into explicit sums (see :func:`derive.canonical.realise`).

>>> import sympy as sp
>>> from derive.printing import latex
>>> x = sp.Symbol("x")
>>> latex(Avg(x**2))
'\\left\\langle x^{2} \\right\\rangle'
"""

from __future__ import annotations

import sympy as sp

__all__ = ["Avg", "Var", "Cov", "Oint", "Text", "DimensionOf"]


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
    r"""∮_C (integrand): a loop integral (display object).

    >>> from derive.printing import latex
    >>> latex(Oint(sp.Symbol("f")))
    '\\oint_{C} f'
    """

    nargs = 1

    def _latex(self, printer):
        return r"\oint_{C} %s" % printer._print(self.args[0])

    def _sympystr(self, printer):
        return "oint_C(%s)" % printer._print(self.args[0])


class Text(sp.Symbol):
    r"""A named concept inside a statement (e.g. "stationary Fokker-Planck"), printed as text.

    >>> from derive.printing import latex
    >>> latex(Text("Z = Z_1 Z_2"))
    '\\text{Z = Z\\_1 Z\\_2}'
    """

    def _latex(self, printer):
        escaped = self.name
        for ch in "\\&%$#_{}":
            escaped = escaped.replace(ch, "\\" + ch)
        return r"\text{%s}" % escaped

    def _sympystr(self, printer):
        return f"[{self.name}]"


class DimensionOf(sp.Symbol):
    r"""[x]: the dimension of the quantity named x (e.g. "hbar_c^2"), printed as :math:`[\hbar_c^2]`.

    >>> from derive.printing import latex
    >>> latex(DimensionOf("hbar_c^2"))
    '\\left[\\hbar^{2}_{c}\\right]'
    """

    def _latex(self, printer):
        return r"\left[%s\right]" % printer._print(sp.Symbol(self.name))

    def _sympystr(self, printer):
        return f"[{self.name}]"
