"""LaTeX in (derive.latex_in): the paper's notation read into the package's own symbols."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.cli import main
from derive.errors import InputError
from derive.latex_in import Signature, parse, read
from derive.symbols import D, F, S, V, coords, gamma, hbar, lam, m, mu, p, psi, t

q = coords(2)
P, Sq, Fq, Vq, Psi = p(*q, t), S(*q, t), F(*q, t), V(*q, t), psi(*q, t)


def lap(f):
    return sum(sp.Derivative(f, x, 2) for x in q)


def test_own_symbols():
    e = read(r"\hbar + \gamma + D + \lambda + \mu + m")
    assert e == hbar + gamma + D + lam + mu + m
    assert read(r"p").func is p and read(r"\psi").func is psi


@pytest.mark.parametrize("tex", [r"\partial_t p + \nabla\cdot(p \nabla S / m) = 0",
                                 r"\frac{\partial p}{\partial t} + \partial_k\left(\frac{p\,\partial_k S}{m}\right) = 0",
                                 r"\partial_t p + \nabla\cdot\left(\frac{p\nabla S}{m}\right) = 0"])
def test_continuity_forms(tex):
    want = sp.Derivative(P, t) + sum(sp.Derivative(P * sp.Derivative(Sq, x) / m, x) for x in q)
    got = read(tex)
    assert sp.simplify((got.lhs - got.rhs).doit() - want.doit()) == 0


def test_einstein_and_gradient_agree():
    a = read(r"(\partial_k F)^2")
    b = read(r"|\nabla F|^2")
    c = read(r"\nabla F \cdot \nabla F")
    assert sp.simplify(a - b) == 0 and sp.simplify(a - c) == 0


def test_schrodinger_and_wave_function():
    e = read(r"i\hbar\partial_t\psi = -\frac{\hbar^2}{2m}\nabla^2\psi + V\psi")
    assert e.lhs == sp.I * hbar * sp.Derivative(Psi, t)
    assert sp.simplify(e.rhs - (-hbar**2 / (2 * m) * lap(Psi) + Vq * Psi)) == 0
    w = read(r"\psi = \sqrt{p}\, e^{iS/\hbar}")
    assert w.rhs == sp.sqrt(P) * sp.exp(sp.I * Sq / hbar)


def test_relations_and_logs():
    assert isinstance(read(r"a \neq b"), sp.Ne) and isinstance(read(r"a \leq b"), sp.Le)
    assert isinstance(read("a ≤ b"), sp.Le) and isinstance(read(r"a < b"), sp.Lt)
    assert read(r"\ln p") == sp.log(P) == read(r"\log p")


def test_indexed_names_bind_to_the_step():
    from derive.contents import derivation

    step = derivation().step("grand.ratio")
    e = read(r"F_{N+1} - F_N", Signature.of(step.statement))
    fn = [a for a in step.statement[0].atoms(sp.core.function.AppliedUndef)
          if a.func.__name__ == "F_N" and a.args[0].is_Symbol][0]
    N = fn.args[0]
    assert e == fn.func(N + 1, *fn.args[1:]) - fn
    ell = read(r"\ell_2 = \gamma \partial^2_{q_k} F", Signature.of(derivation().step("action.terms").statement))
    assert ell == derivation().step("action.terms").statement[1]


def test_average_and_loop_integral():
    from derive.notation import Avg, Oint

    assert isinstance(read(r"\langle N \rangle"), Avg)
    loop = read(r"\oint_C \nabla F \cdot d\mathbf{q} = \mu n")
    assert isinstance(loop.lhs, Oint)


def test_typed_form_keeps_placeholders():
    assert "Dt" in sp.srepr(parse(r"\partial_t p = 0"))


MALFORMED = [
    r"\partial_t p = 1 +",            # incomplete
    r"\foo = 1",                       # unknown command
    r"\frac{1}{2",                     # unbalanced braces
    r"a = b = c",                      # two relations
    r"",                               # nothing
    r"   ",                            # blank
    r"\left( a = b",                   # \left without \right
    r"a + * b = 0",                    # operator without operand
    r"\nabla^3 F = 0",                 # only the Laplacian
    r"\nabla\times F = 0",             # curl not accepted
    r"\int p\, dq = 1",                # no integrals in a typed equation
    r"\partial_7 F = 0",               # no 7th coordinate
    r"\nabla\cdot F = 0",              # divergence of a scalar
    r"\nabla F = 0",                   # a vector equation
    r"\nabla F + F = 0",               # vector plus scalar
    r"p^{} = 1",                       # empty exponent
    r"a = )",                          # stray parenthesis
    r"\sqrt = 2",                      # \sqrt without argument
    r"\begin{align} a = b \end{align}",  # environments
    r"\mathbb{R} = 1",                 # unknown font command
]


@pytest.mark.parametrize("tex", MALFORMED)
def test_malformed_input_one_clear_line(tex, capsys):
    with pytest.raises(InputError) as err:
        read(tex)
    msg = str(err.value)
    assert msg and "\n" not in msg
    assert main(["match", "madelung.equations", tex]) == 2
    out = capsys.readouterr().err
    assert out.startswith("eqnn: error:") and out.count("\n") == 1


def test_unknown_notation_names_the_token():
    with pytest.raises(InputError, match=r"\\foo.*accepted"):
        read(r"\foo = 1")
