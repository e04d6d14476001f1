"""A user identity property-tested with the package's hypothesis strategies and a generated kernel.

Identity: for p ∝ e^{−F} on the line, ⟨(∂ log p)²⟩ = ⟨∂²F⟩ (Fisher information = mean curvature, by
parts; it needs the mass inside the grid), tested with
``positive_densities`` (mass inside the grid, with its F) and a kernel generated from our own expression.

    python examples/property_identity.py
"""

import numpy as np
import sympy as sp
from hypothesis import given, settings

import derive
import numerics

q = derive.coords(1)
P = derive.field(derive.p, q, time=False)
# the Fisher-information density (∂p)²/p as a kernel of our own: arguments p, p_q1, checked p > 0
fisher = numerics.kernel_from(sp.Derivative(P, q[0]) ** 2 / P, name="fisher_density")
X = np.linspace(-5.0, 5.0, 401)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(numerics.positive_densities(X, edge=1e-10))
def test_fisher_information_is_mean_curvature(d):
    p_q = -d.F.grad(d.x) * d.p                      # ∂p = −F′ p for p ∝ e^{−F}
    lhs = np.sum(fisher(p=d.p, p_q1=p_q)) * d.dx     # ∫ (∂p)²/p
    rhs = np.sum(d.p * d.F.hess(d.x)) * d.dx         # ∫ p F″
    assert abs(lhs - rhs) <= 1e-3 * max(1.0, abs(rhs)), (lhs, rhs)


if __name__ == "__main__":
    test_fisher_information_is_mean_curvature()
    print("fisher kernel arguments:", fisher.args, "- 30 random densities: identity holds")
    try:
        fisher(p=-X, p_q1=X)
    except derive.InputError as err:
        print("bad input:", err)
