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


class TestMadelungKernels:
    """The kernels generated from madelung.equations vanish on real solutions and see a planted error."""

    def test_qhj_vanishes_on_the_harmonic_ground_state(self):
        q = np.linspace(-4, 4, 201)
        p = np.exp(-q**2) / np.sqrt(np.pi)               # |ψ₀|², ħ = m = ω = 1, E₀ = 1/2
        p_q, p_qq = -2 * q * p, (4 * q**2 - 2) * p
        args = dict(S_q1=0 * q, S_t=-0.5 + 0 * q, V=q**2 / 2, m=1.0, p=p, p_q1=p_q, p_q1q1=p_qq)
        assert np.max(np.abs(kernel("madelung_qhj_1d")(hbar_c=1.0, **args))) < 1e-12
        assert np.max(np.abs(kernel("madelung_qhj_1d")(hbar_c=1.1, **args))) > 0.1

    def test_quantum_potential_is_the_hbar_part_of_qhj(self):
        q = np.linspace(-2, 2, 41)
        p = np.exp(-q**2 / 3)
        p_q, p_qq = -2 * q / 3 * p, (4 * q**2 / 9 - 2 / 3) * p
        Q = kernel("quantum_potential_1d")(hbar_c=0.7, m=1.3, p=p, p_q1=p_q, p_q1q1=p_qq)
        sqrt_p = np.sqrt(p)
        sqrt_p_qq = (q**2 / 9 - 1 / 3) * sqrt_p           # (√p)'' for p = exp(-q²/3)
        np.testing.assert_allclose(Q, -0.7**2 / (2 * 1.3) * sqrt_p_qq / sqrt_p, rtol=1e-12, atol=1e-14)

    def test_residuals_of_a_split_step_evolved_state_converge_at_second_order(self):
        """On ψ evolved by split-step Fourier (anharmonic trap), the generated residuals are O(Δt²)."""
        from numerics.wavefunction import Grid, fitted_order, split_step, spectral_gradient
        g = Grid(n=512, length=40.0, dim=1)
        x = g.x
        V = 0.5 * x**2 + 0.1 * x**4
        psi0 = np.pi**-0.25 * np.exp(-((x - 2.0) ** 2) / 2)
        steps, cont_err, qhj_err, planted_err = (1e-3, 5e-4, 2.5e-4), [], [], []
        for dt in steps:
            a = split_step(psi0, g, V, dt=dt, n_steps=int(round(0.2 / dt)))
            b = split_step(a, g, V, dt=dt, n_steps=1)
            c = split_step(b, g, V, dt=dt, n_steps=1)
            p = np.abs(b) ** 2
            bulk = p > 1e-3 * p.max()
            safe = np.where(bulk, p, 1.0)
            p_q, = spectral_gradient(p, g)
            p_qq, = spectral_gradient(p_q, g)
            dpsi, = spectral_gradient(b, g)
            j = np.imag(np.conj(b) * dpsi)             # p ∂S (ħ = 1): smooth where S is not
            j_q, = spectral_gradient(j, g)
            S_q = j / safe
            S_qq = (j_q - p_q * S_q) / safe
            p_t = (np.abs(c) ** 2 - np.abs(a) ** 2) / (2 * dt)
            S_t = np.angle(c * np.conj(a)) / (2 * dt)
            common = dict(S_q1=S_q, m=1.0, p=p, p_q1=p_q)
            cont = kernel("madelung_continuity_1d")(S_q1q1=S_qq, p_t=p_t, **common)
            qhj = kernel("madelung_qhj_1d")(S_t=S_t, V=V, hbar_c=1.0, p_q1q1=p_qq, **common)
            planted = kernel("madelung_qhj_1d")(S_t=S_t, V=V, hbar_c=1.1, p_q1q1=p_qq, **common)
            cont_err.append(np.max(np.abs(cont[bulk])))
            qhj_err.append(np.max(np.abs(qhj[bulk])))
            planted_err.append(np.max(np.abs(planted[bulk])))
        assert abs(fitted_order(steps, cont_err) - 2) < 0.2 and cont_err[-1] < 1e-5
        assert abs(fitted_order(steps, qhj_err) - 2) < 0.2 and qhj_err[-1] < 1e-4
        assert min(planted_err) > 0.1  # ħ' = 1.1 ħ in the quantum potential does not converge away
