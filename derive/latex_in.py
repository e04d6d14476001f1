r"""LaTeX in: an equation typed as the paper prints it, read into the package's own symbols.

Built on SymPy's Lark LaTeX parser (``sympy.parsing.latex``, ``backend="lark"``): its grammar is
extended with the paper's notation (``\partial_t``, ``\partial_{q_k}``, ``\partial_k^2``,
``\frac{\partial p}{\partial t}``, ``\nabla``, ``\nabla^2``, ``\nabla\cdot``, ``\langle\cdot\rangle``,
``\oint``, ``\hbar``, indexed names ``F_{N+1}``) and its transformer is subclassed.

Reading an equation takes two stages:

1. :func:`parse` turns the text into a *typed form*: SymPy with placeholders for the operators
   (``∂_t``, ``∇``, ...) and bare names for the fields (``p``, ``S``, ``\psi``);
2. :func:`bind` turns the typed form into concrete SymPy with a :class:`Signature`: the coordinates
   (q₁, ..., q_K) and the fields with the arguments a step uses (``p(q_1, q_2, t)`` for K = 2;
   ``F(beta, q_1, q_2)`` in the canonical steps), the constants from :mod:`derive.symbols` (ħ, γ, D,
   λ, μ, ...).  :func:`Signature.of` reads a signature off a step's display, so K and the fields'
   arguments are those of the step being matched; :func:`Signature.default` is K = 2 with the
   fields of :mod:`derive.symbols`.

``∂_k`` and ``∇`` are the same operator: a repeated index is summed (Einstein), so
``(\partial_k F)^2``, ``\partial_k(p\,\partial_k S)`` and ``|\nabla F|^2``, ``\nabla\cdot(p\nabla S)``
give the same sums over the coordinates.  A free ``i`` is the imaginary unit, ``e`` is Euler's number.

>>> from derive.latex_in import read
>>> read(r"\partial_t p + \nabla\cdot(p \nabla S / m) = 0")
Eq(Derivative(p(q_1, q_2, t)*Derivative(S(q_1, q_2, t), q_1)/m, q_1) + Derivative(p(q_1, q_2, t)*Derivative(S(q_1, q_2, t), q_2)/m, q_2) + Derivative(p(q_1, q_2, t), t), 0)
>>> read(r"\hbar = \frac{|\mu|}{2\pi k}")
Eq(hbar, Abs(mu)/(2*pi*k))
>>> read(r"\partial_t p = 1 +")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.InputError: cannot read the LaTeX at its end ('al_t p = 1 +'): the equation is incomplete; ...
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.errors import InputError

__all__ = ["parse", "bind", "read", "Signature", "ACCEPTED", "KNOWN_COMMANDS"]

#: what the parser accepts, in one line (quoted in every error message)
ACCEPTED = (r"accepted: + - \cdot \times \frac \sqrt ^ _ ( ) [ ] | |, \partial_t \partial_k \partial_{q_k} "
            r"\partial_k^2 \frac{\partial p}{\partial t}, \nabla \nabla^2 \nabla\cdot, \langle A\rangle, "
            r"\oint_C ... dq, \sum, \log \ln \exp e^{...}, Greek letters, \hbar, indexed names F_{N+1}, "
            r"relations = \neq \leq \geq < >")

#: LaTeX commands the extended grammar knows (anything else is reported by name)
KNOWN_COMMANDS = frozenset(r"""
\alpha \beta \gamma \delta \epsilon \varepsilon \zeta \eta \theta \vartheta \kappa \lambda \mu \nu \xi \rho
\varrho \tau \upsilon \phi \varphi \chi \psi \omega \hbar \sigma \pi \ell \Omega \Xi \Gamma \Psi \Phi \Sigma
\Lambda \Theta \Pi \frac \dfrac \tfrac \sqrt \partial \nabla \langle \rangle \oint \int \sum \prod \log \ln
\exp \sin \cos \tan \sinh \cosh \tanh \arctan \cdot \times \left \right \neq \ne \leq \le \geq \ge \infty
\mathcal \mathrm \text \quad \qquad \, \; \: \! \lim \to \min \max \overline \binom \displaystyle
""".split())

_UNICODE = {"≠": r"\neq ", "≤": r"\leq ", "≥": r"\geq ", "∂": r"\partial ", "∇": r"\nabla ", "ħ": r"\hbar ",
            "⟨": r"\langle ", "⟩": r"\rangle ", "∮": r"\oint ", "√": r"\sqrt ", "·": r"\cdot ", "−": "-",
            "λ": r"\lambda ", "μ": r"\mu ", "γ": r"\gamma ", "ψ": r"\psi ", "β": r"\beta ", "π": r"\pi ",
            "×": r"\times ", "Σ": r"\sum "}

_EXTENSION = r"""
// ---- eqnn: the paper's notation on top of SymPy's grammar
%extend GREEK_SYMBOL: "\\hbar" | "\\sigma" | "\\pi" | "\\ell" | "\\Omega" | "\\Xi" | "\\Gamma" | "\\Psi"
    | "\\Phi" | "\\Sigma" | "\\Lambda" | "\\Theta" | "\\Pi" | "\\iota"
CMD_PARTIAL: "\\partial"
CMD_NABLA: "\\nabla"
CMD_OINT: "\\oint"
CMD_DQ: "\\eqnndq"
CMD_SLOT: "\\eqnnslot"
CMD_MATHCAL: "\\mathcal"
CMD_TEXTNAME: "\\mathrm" | "\\text" | "\\operatorname"

_pidx: SYMBOL | GREEK_SYMBOL_WITH_PRIMES | DIGIT | LATIN_SYMBOL_WITH_LATIN_SUBSCRIPT | group_curly_parentheses
_dop: partial | partial2 | pfrac | nabla | lap | ndiv | avg | oint | sub_expr | named | dq

partial: CMD_PARTIAL UNDERSCORE _pidx _expression_power
partial2: CMD_PARTIAL UNDERSCORE _pidx CARET _expression_core _expression_power
    | CMD_PARTIAL CARET _expression_core UNDERSCORE _pidx _expression_power
pfrac: CMD_FRAC L_BRACE CMD_PARTIAL _expression_power R_BRACE L_BRACE CMD_PARTIAL _pidx R_BRACE
    | CMD_FRAC L_BRACE CMD_PARTIAL CARET _expression_core _expression_power R_BRACE L_BRACE CMD_PARTIAL _pidx CARET _expression_core R_BRACE
    | CMD_FRAC L_BRACE CMD_PARTIAL R_BRACE L_BRACE CMD_PARTIAL _pidx R_BRACE _expression_power?
    | CMD_FRAC L_BRACE CMD_PARTIAL CARET _expression_core R_BRACE L_BRACE CMD_PARTIAL _pidx CARET _expression_core R_BRACE _expression_power?
nabla: CMD_NABLA _expression_power
lap: CMD_NABLA CARET _expression_core _expression_power
ndiv: CMD_NABLA MUL_SYMBOL _expression_power
avg: CMD_LANGLE _expression CMD_RANGLE
oint: CMD_OINT _expression
    | CMD_OINT UNDERSCORE _pidx _expression
sub_expr: (SYMBOL | GREEK_SYMBOL_WITH_PRIMES | named) UNDERSCORE L_BRACE _expression R_BRACE
named: CMD_MATHCAL L_BRACE SYMBOL R_BRACE
    | CMD_TEXTNAME L_BRACE MULTI_LETTER_SYMBOL R_BRACE
dq: CMD_DQ
    | CMD_SLOT

%extend _expression_func: _dop
%extend adjacent_expressions: _dop _expression_mul
    | group_round_parentheses _dop
    | abs _expression_mul
    | group_round_parentheses _function
    | superscript _expression_mul
    | _function _expression_mul
"""


# ----------------------------------------------------------------------------------------- typed form

class _Op(sp.Function):
    """A placeholder of the typed form (bound to concrete SymPy by :func:`bind`)."""

    @classmethod
    def eval(cls, *args):  # never evaluate
        return None


class Dt(_Op):
    """∂ along a named variable ``∂_v X`` (second argument the variable, third the order)."""
    nargs = 3


class Nabla(_Op):
    """∇X (a vector over the coordinates)."""
    nargs = 1


class LapOp(_Op):
    """∇²X."""
    nargs = 1


class DivOp(_Op):
    """∇·X."""
    nargs = 1


class AvgOp(_Op):
    """⟨X⟩."""
    nargs = 1


class OintOp(_Op):
    """∮_C X (second argument: the contour)."""
    nargs = 2


class SubOp(_Op):
    """base_{index} with an expression as index (F_{N+1})."""
    nargs = 2


_DQ = sp.Symbol("eqnn_dq")
_K_INDEX = sp.Symbol("eqnn_k")  # a coordinate index (k, i, j, l, q_k): ∂_k is ∇


def _lark_module():
    try:
        import lark  # noqa: F401
    except ImportError:  # pragma: no cover - lark is a dependency
        raise InputError("reading LaTeX needs the 'lark' package (pip install lark)") from None
    import lark

    return lark


@cache
def _parser():
    lark = _lark_module()
    from sympy.parsing.latex.lark.transformer import TransformToSymPyExpr

    gdir = os.path.join(os.path.dirname(sp.__file__), "parsing", "latex", "lark", "grammar")
    grammar = Path(gdir, "latex.lark").read_text(encoding="utf-8") + _EXTENSION

    class Transformer(TransformToSymPyExpr):
        def _ambig(self, children):
            return children[0]

        def CMD_INFTY(self, tokens):
            return sp.oo

        def adjacent_expressions(self, tokens):
            a, b = tokens[0], tokens[1]
            if isinstance(a, tuple) or isinstance(b, tuple):
                raise InputError("a bare 'd' reads as a differential: write \\mathrm{d}q only after \\oint")
            return sp.Mul(a, b)

        def _idx(self, tok):
            if isinstance(tok, lark.Token):
                if tok.type == "DIGIT":
                    return sp.Integer(tok.value)
                tok = self._token_value(tok)
            return tok

        def _token_value(self, tok):
            fn = getattr(self, tok.type, None)
            if fn is None:
                return sp.Symbol(tok.value)
            return fn(tok) if callable(fn) else fn(tok.value)

        def partial(self, tokens):
            return Dt(tokens[-1], self._idx(tokens[2]), 1)

        def partial2(self, tokens):
            if tokens[1] == "_":
                return Dt(tokens[-1], self._idx(tokens[2]), tokens[4])
            return Dt(tokens[-1], self._idx(tokens[4]), tokens[2])

        def pfrac(self, tokens):
            toks = [t for t in tokens if not (isinstance(t, lark.Token) and t.type in
                                              ("CMD_FRAC", "L_BRACE", "R_BRACE", "CMD_PARTIAL", "CARET"))]
            # forms: [X, v] | [n, X, v, n] | [v, X] | [n, v, n, X]; an operator with nothing after it acts on (.)
            if len(toks) in (1, 3):
                toks = toks + [sp.Symbol("(.)")]
            def is_rbrace(i):
                return isinstance(tokens[i], lark.Token) and tokens[i].type == "R_BRACE"
            if len(toks) == 2:
                if not is_rbrace(3):
                    return Dt(toks[0], self._idx(toks[1]), 1)
                return Dt(toks[1], self._idx(toks[0]), 1)
            if len(toks) == 4:
                if is_rbrace(5):  # operator form
                    n, v, n2, x = toks
                else:
                    n, x, v, n2 = toks
                if n != n2:
                    raise InputError(f"\\frac{{\\partial^{n}}}{{\\partial ...^{n2}}}: the orders differ")
                return Dt(x, self._idx(v), n)
            raise InputError("cannot read this \\frac{\\partial ...}{\\partial ...}")

        def nabla(self, tokens):
            return Nabla(tokens[1])

        def lap(self, tokens):
            if tokens[2] != 2:
                raise InputError(f"\\nabla^{tokens[2]}: only \\nabla^2 (the Laplacian) is accepted")
            return LapOp(tokens[3])

        def ndiv(self, tokens):
            if str(tokens[1]) not in (r"\cdot",):
                raise InputError(r"\nabla\times is not accepted (only \nabla, \nabla^2, \nabla\cdot)")
            return DivOp(tokens[2])

        def avg(self, tokens):
            return AvgOp(tokens[1])

        def oint(self, tokens):
            if len(tokens) == 2:
                return OintOp(tokens[1], sp.Symbol("C"))
            return OintOp(tokens[3], self._idx(tokens[2]))

        def sub_expr(self, tokens):
            base = tokens[0]
            if isinstance(base, lark.Token):
                base = self._token_value(base)
            return SubOp(base, tokens[3])

        def named(self, tokens):
            if tokens[0].type == "CMD_MATHCAL":
                return sp.Symbol(r"\mathcal{%s}" % tokens[2].value)
            return sp.Symbol(tokens[2].value)

        def dq(self, tokens):
            return _DQ if tokens[0].type == "CMD_DQ" else sp.Symbol("(.)")

        def normal_integral(self, tokens):
            raise InputError(r"\int is not accepted in a typed equation (write the integrand, or \oint for a loop)")

        def summation(self, tokens):
            body, limits = tokens[2], tokens[1]
            return sp.Sum(body, limits)

    parser = lark.Lark(grammar, source_path=gdir + os.sep, parser="earley", start="latex_string", lexer="auto",
                       ambiguity="explicit", propagate_positions=False, maybe_placeholders=False,
                       keep_all_tokens=True)
    return parser, Transformer()


def _preprocess(tex: str) -> str:
    s = tex.strip()
    for u, l in _UNICODE.items():
        s = s.replace(u, l)
    s = re.sub(r"^\$+|\$+$", "", s).strip()
    s = re.sub(r"\\(?:,|;|:|!|quad|qquad)\s*$", "", s).strip()  # trailing spacing
    s = re.sub(r"[.,;]\s*$", "", s).strip()  # a full stop or comma after a displayed equation
    s = re.sub(r"\\(?:big|Big|bigg|Bigg)[lr]?(?=[()\[\]|.]|\\langle|\\rangle)", "", s)
    s = s.replace(r"\left.", "").replace(r"\right.", "")
    s = s.replace(r"\lvert", "|").replace(r"\rvert", "|").replace(r"\vert", "|")
    s = re.sub(r"\\dfrac|\\tfrac", r"\\frac", s)
    s = re.sub(r"\\(?:mathbf|boldsymbol|vec)\{\s*q\s*\}", "q", s)
    # a line element after \oint: dq, dq_k, \mathrm{d}q, \mathrm{d}\mathbf{q}
    s = re.sub(r"(?:\\mathrm\{d\}|\\text\{d\}|\\,d|(?<![A-Za-z\\])d)\s*q(?:_\{?[kij]\}?)?(?![A-Za-z_])",
               r" \\eqnndq ", s)
    s = re.sub(r"\\mathrm\{d\}\s*\\eqnndq|\\mathrm\{d\}", lambda m: m.group(0), s)
    # an operator with nothing to act on (item 1 of the five terms, -4D d^2/dq_k^2): it acts on (.)
    s = re.sub(r"(\\partial(?:\^\{?\d\}?)?_(?:\{[^{}]*\}|[A-Za-z])(?:\^\{?\d\}?)?)\s*$", r"\1 \\eqnnslot", s)
    unknown = [c for c in re.findall(r"\\[A-Za-z]+", s) if c not in KNOWN_COMMANDS and c not in (r"\eqnndq", r"\eqnnslot")]
    if unknown:
        raise InputError(f"unknown notation {unknown[0]} in {tex.strip()!r}; {ACCEPTED}")
    return s


def parse(tex: str) -> sp.Basic:
    r"""The typed form of ``tex`` (a relation or an expression), placeholders not yet bound.

    >>> parse(r"\partial_t p = 0")
    Eq(Dt(p, t, 1), 0)
    """
    if not isinstance(tex, str) or not tex.strip():
        raise InputError(f"no LaTeX to read (got {tex!r}); {ACCEPTED}")
    s = _preprocess(tex)
    if s.count("{") != s.count("}"):
        raise InputError(f"unbalanced braces in {tex.strip()!r}: {s.count('{')} '{{' and {s.count('}')} '}}'")
    if s.count(r"\left") != s.count(r"\right"):
        raise InputError(f"\\left without \\right (or the reverse) in {tex.strip()!r}")
    if len(re.findall(r"(?<![<>\\])=|\\neq|\\ne\b|\\leq|\\le\b|\\geq|\\ge\b|(?<!\\)[<>]", s)) > 1:
        raise InputError(f"more than one relation in {tex.strip()!r}: type one equation (a = b) per line")
    lark = _lark_module()
    parser, transformer = _parser()
    try:
        tree = parser.parse(s)
    except lark.exceptions.UnexpectedInput as err:
        col = getattr(err, "column", "?")
        pos = getattr(err, "pos_in_stream", None)
        near = s[pos:pos + 12] if isinstance(pos, int) and pos >= 0 else s[-12:]
        if isinstance(err, lark.exceptions.UnexpectedEOF) or not near:
            near = s[-12:]
            raise InputError(f"cannot read the LaTeX at its end ({near!r}): the equation is incomplete; "
                             f"{ACCEPTED}") from None
        raise InputError(f"cannot read the LaTeX at column {col} ({near!r}): unexpected token; "
                         f"{ACCEPTED}") from None
    try:
        out = transformer.transform(tree)
    except InputError:
        raise
    except lark.exceptions.VisitError as err:
        inner = err.orig_exc
        if isinstance(inner, InputError):
            raise inner from None
        raise InputError(f"cannot read {tex.strip()!r}: {type(inner).__name__}: "
                         f"{(str(inner).splitlines() or [''])[0][:120]}; {ACCEPTED}") from None
    except Exception as err:  # noqa: BLE001
        raise InputError(f"cannot read {tex.strip()!r}: {type(err).__name__}; {ACCEPTED}") from None
    if not isinstance(out, sp.Basic) or isinstance(out, lark.Tree):
        raise InputError(f"cannot read {tex.strip()!r} as one expression or relation; {ACCEPTED}")
    return out


# ----------------------------------------------------------------------------------------- binding

_COORD_INDEX = re.compile(r"^(?:[ijkl]|q_\{?[ijkl]\}?|q)$")
_CONSTANTS = None


def _constants() -> dict[str, sp.Basic]:
    global _CONSTANTS
    if _CONSTANTS is None:
        from derive import symbols as S

        _CONSTANTS = {s.name: s for s in (S.t, S.beta, S.T, S.gamma, S.D, S.lam, S.mu, S.hbar, S.m, S.N, S.eta,
                                          S.sigma, S.Tq, S.n, S.k_branch)}
    return _CONSTANTS


def _fields() -> dict[str, sp.FunctionClass]:
    from derive import symbols as S

    return {"p": S.p, "F": S.F, "S": S.S, "V": S.V, "psi": S.psi, "H": S.H}


def _norm(name: str) -> str:
    """SymPy-parser names to the package's: ``hbar_{c}`` → ``hbar_c``, ``T_{q}`` → ``T_q``."""
    name = re.sub(r"_\{([^{}]*)\}", r"_\1", name)
    return name.replace("{", "").replace("}", "").replace(" ", "")


@dataclass(frozen=True)
class Signature:
    """How bare names are bound: the coordinates, the fields with their arguments, the named symbols."""

    coords: tuple[sp.Symbol, ...]
    functions: Mapping[str, sp.Expr] = field(default_factory=dict)  # name -> applied function (default args)
    symbols: Mapping[str, sp.Basic] = field(default_factory=dict)   # name -> symbol of the display

    def __post_init__(self) -> None:
        object.__setattr__(self, "functions", MappingProxyType(dict(self.functions)))
        object.__setattr__(self, "symbols", MappingProxyType(dict(self.symbols)))

    @property
    def K(self) -> int:
        return len(self.coords)

    @staticmethod
    def default(K: int = 2) -> "Signature":
        """K coordinates q_1..q_K and the fields of :mod:`derive.symbols` on (q, t)."""
        from derive.symbols import coords, t

        q = coords(K)
        return Signature(q, {name: f(*q, t) for name, f in _fields().items()}, {})

    @staticmethod
    def of(relations, K: int | None = None) -> "Signature":
        """The signature a display uses: its coordinates (q_1..q_K, or q_k, or q) and its fields' arguments."""
        exprs = [sp.sympify(r) for r in relations]
        funcs: dict[str, sp.Expr] = {}
        syms: dict[str, sp.Basic] = {}
        for e in exprs:
            for a in sorted(e.atoms(AppliedUndef), key=sp.default_sort_key):
                name = a.func.__name__
                if name not in funcs or len(a.args) > len(funcs[name].args):
                    funcs[name] = a
            for s in e.free_symbols:
                syms.setdefault(s.name, s)
        qs = sorted({s for s in syms.values() if isinstance(s, sp.Symbol) and re.fullmatch(r"q_(\d+)", s.name)},
                    key=lambda s: int(s.name[2:]))
        if qs:
            coords = tuple(qs)
        elif "q_k" in syms:
            coords = (syms["q_k"],)
        elif "q" in syms:
            coords = (syms["q"],)
        else:
            from derive.symbols import coords as _c

            coords = _c(K or 2)
        from derive.symbols import t

        base = Signature.default(len(coords)) if K is None else Signature.default(K)
        defaults = {name: f(*coords, t) for name, f in _fields().items()}
        merged = {**defaults, **funcs} if coords == base.coords or True else funcs
        return Signature(coords, merged, syms)


class _Vec(tuple):
    """A vector over the coordinates (the value of ∇X or ∂_k X while binding)."""


def bind(typed: sp.Basic, sig: Signature | None = None) -> sp.Basic:
    r"""The typed form bound to concrete SymPy (see the module docstring).

    >>> bind(parse(r"(\partial_k F)^2"))
    Derivative(F(q_1, q_2, t), q_1)**2 + Derivative(F(q_1, q_2, t), q_2)**2
    """
    sig = sig or Signature.default()
    b = _Binder(sig)
    if isinstance(typed, sp.core.relational.Relational):
        lhs, rhs = b.scalar(typed.lhs), b.scalar(typed.rhs)
        return typed.func(lhs, rhs, evaluate=False)
    return b.scalar(typed)


class _Binder:
    def __init__(self, sig: Signature) -> None:
        self.sig = sig
        self.bound_indices: set[str] = set()

    def scalar(self, e):
        v = self.b(e)
        if isinstance(v, _Vec):
            raise InputError(f"{sp.sstr(e)} is a vector (a gradient); contract it (\\cdot, a square, \\nabla\\cdot)")
        return v

    # names -------------------------------------------------------------------------------------
    def name(self, raw: str, index=None):
        sig = self.sig
        name = _norm(raw)
        if name in ("e",) and "e" not in sig.symbols:
            return sp.E
        if name == "i" and "i" not in self.bound_indices and "i" not in sig.symbols:
            return sp.I
        if name == "pi":
            return sp.pi
        if name in ("infty", "oo"):
            return sp.oo
        if name in self.bound_indices:
            return sp.Symbol(name, integer=True)
        if name in sig.functions:
            return sig.functions[name]
        if name in sig.symbols:
            return sig.symbols[name]
        if name == "dq":
            return _Vec(sp.Symbol(f"d{q.name}", real=True) for q in sig.coords)
        # an indexed function of the display: F_N is F_N(N, ...)
        if "_" in name:
            base, sub = name.split("_", 1)
            hit = self.indexed(base, sp.Integer(sub) if sub.isdigit() else self.name(sub))
            if hit is not None:
                return hit
        if name in _constants():
            return _constants()[name]
        if name in _fields():
            from derive.symbols import t

            return _fields()[name](*sig.coords, t)
        return sp.Symbol(name, real=True)

    def indexed(self, base: str, index: sp.Expr):
        """base_{index} as a function of the display whose first argument is an index (F_N(N, q...), ell(1))."""
        for fname, applied in self.sig.functions.items():
            args = applied.args
            if fname == base and len(args) >= 1 and (args[0].is_Integer or args[0].is_Symbol and
                                                      args[0] not in self.sig.coords):
                return applied.func(index, *args[1:])
            if fname.startswith(base + "_") and args and isinstance(args[0], sp.Symbol) \
                    and fname[len(base) + 1:] == args[0].name:
                return applied.func(index.xreplace({sp.Symbol(args[0].name): args[0]})
                                    if isinstance(index, sp.Basic) else index, *args[1:])
        return None

    def coord_of(self, idx):
        """The variable of ∂_idx: a coordinate index (returns _K_INDEX), a coordinate, t, or a symbol."""
        if isinstance(idx, sp.Integer):
            k = int(idx)
            if not 1 <= k <= self.sig.K:
                raise InputError(f"\\partial_{k}: there are {self.sig.K} coordinates here")
            return self.sig.coords[k - 1]
        name = _norm(idx.name) if isinstance(idx, sp.Symbol) else _norm(sp.sstr(idx))
        if _COORD_INDEX.match(name) and not any(name == q.name for q in self.sig.coords if q.name != "q"):
            if self.sig.K == 1:
                return self.sig.coords[0]
            return _K_INDEX
        for q in self.sig.coords:
            if q.name == name:
                return q
        if name == "t":
            from derive.symbols import t

            return t
        v = self.name(name)
        if not isinstance(v, sp.Symbol):
            raise InputError(f"\\partial_{{{name}}}: {name} is not a variable here")
        return v

    # structure ---------------------------------------------------------------------------------
    def b(self, e):
        sig = self.sig
        if isinstance(e, sp.Symbol):
            if e == _DQ:
                return _Vec(sp.Symbol(f"d{q.name}", real=True) for q in sig.coords)
            return self.name(e.name)
        if isinstance(e, (sp.Number, sp.NumberSymbol)) or e in (sp.I, sp.oo, sp.zoo, sp.nan, -sp.oo):
            return e
        if isinstance(e, Dt):
            x, idx, order = e.args
            order = int(order) if sp.sympify(order).is_Integer else None
            if order is None or order < 1:
                raise InputError(f"a derivative of order {sp.sstr(e.args[2])}: give a positive integer order")
            var = self.coord_of(idx)
            if var == _K_INDEX:
                if order == 2:
                    return self.b(LapOp(x))
                if order != 1:
                    raise InputError(f"\\partial_k^{order}: only first and second coordinate derivatives")
                inner = self.b(x)
                if isinstance(inner, _Vec):  # ∂_k v_k: the divergence
                    return sp.Add(*(sp.Derivative(c, q) for c, q in zip(inner, sig.coords)))
                return _Vec(sp.Derivative(inner, q) for q in sig.coords)
            inner = self.b(x)
            if isinstance(inner, _Vec):
                return _Vec(sp.Derivative(c, var, order) if order > 1 else sp.Derivative(c, var) for c in inner)
            return sp.Derivative(inner, var, order) if order > 1 else sp.Derivative(inner, var)
        if isinstance(e, Nabla):
            inner = self.b(e.args[0])
            if isinstance(inner, _Vec):
                raise InputError(r"\nabla of a vector: write \nabla\cdot for the divergence")
            return _Vec(sp.Derivative(inner, q) for q in sig.coords)
        if isinstance(e, LapOp):
            inner = self.scalar(e.args[0])
            return sp.Add(*(sp.Derivative(inner, q, 2) for q in sig.coords))
        if isinstance(e, DivOp):
            inner = self.b(e.args[0])
            if not isinstance(inner, _Vec):
                raise InputError(r"\nabla\cdot of a scalar: write \nabla for the gradient")
            return sp.Add(*(sp.Derivative(c, q) for c, q in zip(inner, sig.coords)))
        if isinstance(e, AvgOp):
            from derive.notation import Avg

            return Avg(self.scalar(e.args[0]))
        if isinstance(e, OintOp):
            from derive.notation import Oint

            body = self.scalar(e.args[0])
            contour = e.args[1]
            return Oint(body) if contour == sp.Symbol("C") else Oint(body, self.name(sp.sstr(contour)))
        if isinstance(e, SubOp):
            base, index = e.args
            bname = _norm(base.name) if isinstance(base, sp.Symbol) else sp.sstr(base)
            idx = self.scalar(index)
            hit = self.indexed(bname, idx)
            if hit is not None:
                return hit
            return self.name(f"{bname}_{sp.sstr(idx).replace(' ', '')}")
        if isinstance(e, sp.Sum):
            body, *limits = e.args
            (var, lo, hi), = limits if len(limits) == 1 else (limits[0],)
            vname = _norm(var.name)
            if _COORD_INDEX.match(vname):  # Σ_k over a coordinate index: the contraction is already summed
                return self.b(body)
            self.bound_indices.add(vname)
            try:
                ivar = sp.Symbol(vname, integer=True)
                return sp.Sum(self.scalar(body), (ivar, self.scalar(lo), self.scalar(hi)))
            finally:
                self.bound_indices.discard(vname)
        if isinstance(e, AppliedUndef):
            return self.applied(e)
        if isinstance(e, sp.Add):
            parts = [self.b(a) for a in e.args]
            vecs = [p_ for p_ in parts if isinstance(p_, _Vec)]
            if vecs and len(vecs) != len(parts):
                raise InputError(f"{sp.sstr(e)}: a vector added to a scalar")
            if vecs:
                return _Vec(sp.Add(*cs) for cs in zip(*vecs))
            return sp.Add(*parts)
        if isinstance(e, sp.Mul):
            parts = [self.b(a) for a in e.args]
            vecs = [p_ for p_ in parts if isinstance(p_, _Vec)]
            scal = sp.Mul(*[p_ for p_ in parts if not isinstance(p_, _Vec)])
            if not vecs:
                return scal
            if len(vecs) == 1:
                return _Vec(scal * c for c in vecs[0])
            if len(vecs) == 2:
                return scal * sp.Add(*(a * c for a, c in zip(*vecs)))
            raise InputError(f"{sp.sstr(e)}: a product of three vectors")
        if isinstance(e, sp.Pow):
            base, ex = e.args
            if isinstance(base, AppliedUndef) and len(base.args) == 1 and not self._is_function(base):
                return self.b(sp.Symbol(base.func.__name__)) * self.b(sp.Pow(base.args[0], ex))  # \gamma(x)^2
            if isinstance(base, sp.Abs):
                inner = self.b(base.args[0])
                if isinstance(inner, _Vec):
                    sq = sp.Add(*(c**2 for c in inner))
                    return sq if ex == 2 else sq ** (ex / 2)
            bb = self.b(base)
            if isinstance(bb, _Vec):
                if ex == 2:
                    return sp.Add(*(c**2 for c in bb))
                if ex == -1:
                    raise InputError(f"{sp.sstr(e)}: dividing by a vector")
                raise InputError(f"{sp.sstr(e)}: a vector to the power {ex}")
            return sp.Pow(bb, self.scalar(ex))
        if isinstance(e, sp.Abs):
            inner = self.b(e.args[0])
            if isinstance(inner, _Vec):
                return sp.sqrt(sp.Add(*(c**2 for c in inner)))
            return sp.Abs(inner)
        if isinstance(e, sp.Function):  # log, exp, sqrt, sin, ...
            return e.func(*[self.scalar(a) for a in e.args])
        if isinstance(e, sp.Derivative):
            return sp.Derivative(self.scalar(e.expr), *e.variable_count)
        if isinstance(e, (sp.Tuple,)):
            return sp.Tuple(*[self.scalar(a) for a in e.args])
        raise InputError(f"cannot bind {type(e).__name__} {sp.sstr(e)[:40]}; {ACCEPTED}")

    def _is_function(self, e: AppliedUndef) -> bool:
        name = _norm(e.func.__name__)
        return not (name in _constants() or name in self.sig.symbols) or name in self.sig.functions \
            or name in _fields()

    def applied(self, e: AppliedUndef):
        """f(args) as typed: the display's f with these arguments (q read as all coordinates)."""
        from derive.symbols import t

        name = _norm(e.func.__name__)
        args = []
        for a in e.args:
            if isinstance(a, sp.Symbol) and _norm(a.name) in ("q", r"\mathbf{q}"):
                args.extend(self.sig.coords)
            else:
                args.append(self.scalar(a))
        known = self.sig.functions.get(name)
        if known is None and name in _fields():
            known = _fields()[name](*self.sig.coords, t)
        if known is None and len(args) == 1 and (name in _constants() or name in self.sig.symbols):
            return self.name(name) * args[0]  # \gamma(\partial F)^2: a product, not a function
        if known is None:
            return sp.Function(name)(*args)
        if len(args) == len(known.args):
            return known.func(*args)
        if len(args) < len(known.args):  # P(N+1): replace the leading arguments
            if all(a in known.args for a in args):
                return known
            return known.func(*args, *known.args[len(args):])
        raise InputError(f"{name} takes {len(known.args)} arguments here ({sp.sstr(known)}), got {len(args)}")


def read(tex: str, sig: Signature | None = None) -> sp.Basic:
    """``bind(parse(tex), sig)``: an equation typed as printed, in the package's own symbols."""
    return bind(parse(tex), sig)
