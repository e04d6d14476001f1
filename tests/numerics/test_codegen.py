import numpy as np
import pytest
import sympy as sp

from derive.errors import InputError
from numerics.codegen import KERNELS, Kernel, kernel


class TestKernel:
    @pytest.mark.parametrize("name", sorted(KERNELS))
    def test_matches_symbolic_expression(self, name):
        """The compiled kernel equals its SymPy expression at random points (arrays in, arrays out)."""
        k = kernel(name)
        rng = np.random.default_rng(abs(hash(name)) % 2**32)
        values = {a: rng.uniform(0.2, 2.0, size=50) for a in k.args}
        out = np.broadcast_to(k(**values), (50,))
        syms = {s.name: s for s in k.expr.free_symbols}
        for i in range(0, 50, 7):
            exact = float(k.expr.subs({syms[a]: values[a][i] for a in k.args}).evalf(30))
            assert out[i] == pytest.approx(exact, rel=1e-12, abs=1e-12)

    @pytest.mark.parametrize("name", sorted(KERNELS))
    def test_knows_its_step(self, name):
        from derive.contents import derivation
        assert kernel(name).step in derivation().labels

    def test_cached(self):
        assert kernel("fp_current_1d") is kernel("fp_current_1d")

    def test_unknown_kernel(self):
        with pytest.raises(InputError, match="unknown kernel"):
            kernel("nope")

    def test_wrong_arguments(self):
        with pytest.raises(InputError, match="takes"):
            kernel("fp_current_1d")(p=1.0)

    def test_free_symbols_must_be_arguments(self):
        x = sp.Symbol("x")
        with pytest.raises(ValueError, match="not arguments"):
            Kernel("k", "demo.step", x, (), "", lambda: 0)

    def test_stationary_current_vanishes(self):
        """The current kernel at the stationary law kernel is zero: two generated kernels agree."""
        q = np.linspace(-2, 2, 101)
        F, F_q = q**4 / 4 - q**2, q**3 - 2 * q
        g, D = 0.7, 0.3
        p = kernel("stationary_law")(D=D, F=F, gamma=g)
        p_q = p * (-g / D) * F_q
        J = kernel("fp_current_1d")(D=D, F_q1=F_q, gamma=g, p=p, p_q1=p_q)
        assert np.max(np.abs(J)) < 1e-12
