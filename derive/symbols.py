r"""The paper's symbols, defined once and imported everywhere.

Notation follows Katsnelson & Vanchurin, arXiv:2012.05082 §2, and its predecessors (Vanchurin,
arXiv:2004.09280 and arXiv:2008.01540):

* trainable variables :math:`q_k`, :math:`k = 1..K` (weights and biases), learning time :math:`t`;
* hidden-neuron temperature :math:`T = 1/\beta`; learning rate :math:`\gamma`; diffusion :math:`D`;
  effective temperature of the trainable variables :math:`T_q = D/\gamma`;
* :math:`\lambda`: the Lagrange multiplier that 2008.01540 §5 calls :math:`\mu` — renamed, because
  in 2012.05082 :math:`\mu` is the chemical potential of hidden neurons (the clash is never resolved
  silently);
* :math:`\hbar`, :math:`m`: the emergent "Planck constant" and mass; :math:`N`: number of active
  neurons; :math:`\eta`, :math:`\sigma`: SGD step size and per-step gradient-noise standard deviation.

Fields on :math:`(q, t)` are undefined SymPy functions carrying their assumptions (``p`` positive,
``F``, ``S``, ``V`` real) so that ``log(exp(x))`` and ``sqrt(p)**2`` simplify soundly.

>>> from derive.symbols import coords, field, p
>>> q = coords(2); field(p, q)
p(q_1, q_2, t)
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = [
    "t", "beta", "T", "gamma", "D", "lam", "mu", "hbar", "m", "N", "eta", "sigma", "Tq",
    "n", "k_branch", "coords", "field", "p", "F", "S", "V", "psi", "H", "h_state",
]

t = sp.Symbol("t", real=True)
beta = sp.Symbol("beta", positive=True)
T = sp.Symbol("T", positive=True)
gamma = sp.Symbol("gamma", positive=True)
D = sp.Symbol("D", positive=True)
#: the multiplier of the free-energy-production terms (the μ of 2008.01540); its sign is a variant
lam = sp.Symbol("lambda", real=True, nonzero=True)
#: chemical potential of hidden neurons (2012.05082); may be negative (a grand canonical chemical potential)
mu = sp.Symbol("mu", real=True)
hbar = sp.Symbol("hbar", positive=True)
m = sp.Symbol("m", real=True, nonzero=True)
N = sp.Symbol("N", integer=True, nonnegative=True)
eta = sp.Symbol("eta", positive=True)
sigma = sp.Symbol("sigma", positive=True)
Tq = sp.Symbol("T_q", positive=True)
#: winding number of a loop, and the branch integer k of ħ = |μ|/(2πk)
n = sp.Symbol("n", integer=True)
k_branch = sp.Symbol("k", integer=True, positive=True)

p = sp.Function("p", positive=True)
F = sp.Function("F", real=True)
S = sp.Function("S", real=True)
V = sp.Function("V", real=True)
psi = sp.Function("psi")
#: the loss of the network, H(x, q), for a hidden state x
H = sp.Function("H", real=True)


@cache
def coords(K: int) -> tuple[sp.Symbol, ...]:
    """The trainable variables q_1..q_K (real symbols)."""
    if not isinstance(K, int) or K < 1:
        from derive.errors import InputError

        raise InputError(f"the number of trainable variables K must be an integer >= 1, got {K!r}")
    return tuple(sp.Symbol(f"q_{k}", real=True) for k in range(1, K + 1))


def field(f: sp.FunctionClass, q: tuple[sp.Symbol, ...], time: bool = True) -> sp.Expr:
    """The field ``f(q_1, ..., q_K, t)`` (or ``f(q)`` with ``time=False``)."""
    return f(*q, t) if time else f(*q)


@cache
def h_state(i: int) -> sp.FunctionClass:
    """h_i(q) = H(x_i, q): the loss in the i-th hidden microstate (finite-sum representation)."""
    return sp.Function(f"h_{i}", real=True)
