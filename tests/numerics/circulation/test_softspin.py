"""The soft-spin (quartic) architecture of issue 15 §4: its exact sampler against the package's MCMC sampler
(metropolis_quartic), its free energy against finite differences, and a small circulation run's controls.
Fixed seeds, no timing."""

import numpy as np

from numerics.circulation.softspin import SOFT_DESIGN, SoftSpinModel, measure_softspin
from numerics.circulation.results import Sizes
from numerics.hidden_neurons import QuarticNeurons, metropolis_quartic


def test_inverse_cdf_sampler_agrees_with_metropolis_quartic():
    model = SoftSpinModel()
    g = np.random.default_rng(7)
    for f in (0.0, 0.4, -1.2):
        x = model.sample(np.full(200000, f), g.standard_normal(200000))
        # the package's MCMC sampler for the same single-site law: a = 1, b = -1, field h0 = f (A q = 0)
        qn = QuarticNeurons(a=model.a, b=model.b, h0=np.array([f]), A=np.zeros((1, 1)), C=np.eye(1), beta=model.beta)
        y = metropolis_quartic(qn, [0.0], n_chains=4000, n_steps=200, burn_in=300, seed=11, step_size=1.2)[::10, :, 0]
        y = y.ravel()
        # means and second moments within 4.5 combined SE (MCMC SE from 4000 independent chains)
        for k in (1, 2):
            a, b = x**k, y**k
            se = np.hypot(a.std() / np.sqrt(a.size), b.reshape(-1, 4000).mean(axis=0).std() / np.sqrt(4000))
            assert abs(a.mean() - b.mean()) < 4.5 * se, (f, k, a.mean(), b.mean(), se)
        mean, m2 = model.moments(np.array([f]))
        assert abs(x.mean() - mean[0]) < 4.5 * x.std() / np.sqrt(x.size)
        assert abs((x * x).mean() - m2[0]) < 4.5 * (x * x).std() / np.sqrt(x.size)


def test_epsilon_slope_is_the_derivative():
    model = SoftSpinModel()
    s = np.array([0.05, 0.1, 0.3])
    h = 1e-3
    fd = (model.epsilon(s + h) - model.epsilon(s - h)) / (2 * h) / s
    assert np.allclose(fd, model.slope(s), atol=2e-4)
    assert np.isclose(model.slope(np.zeros(1))[0], -model.var0)  # g(0) = -beta <x^2>_0


def test_small_run_controls():
    sizes = Sizes(1000, 500, 100, 20, 2)
    main, width = measure_softspin(SOFT_DESIGN[0], sizes, seed=3, with_width=True)
    assert all(r.passed for r in width if r.estimator == "linear" and r.measured)
    zero = measure_softspin(SOFT_DESIGN[-2], sizes, seed=3)  # phi = 0: C commutes with K
    r0 = next(m for m in zero if m.R == 0.03)
    assert r0.measured and abs(r0.gamma) < 4.5 * r0.se
    r1 = next(m for m in main if m.R == 0.03)
    assert r1.measured and r1.gamma < 0 and abs(r1.gamma) > 4.5 * r1.se  # the gyrator current, as for spins
