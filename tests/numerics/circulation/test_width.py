"""The estimator's width on the nonlinear network (issue 15 §3): fixed seeds, no timing."""

import math

import pytest

from numerics.circulation.design import DESIGN
from numerics.circulation.results import Sizes
from numerics.circulation.width import WidthRow, measure_width, pooled_bias

SIZES = Sizes(4000, 1200, 200, 20, 2)


@pytest.fixture(scope="module")
def rows():
    # the main arm (mini-batch B = 1, kex = 1, mu = 0.5), R = 0.05, at twice the experiment's half-width
    return measure_width(DESIGN[0], SIZES, seed=20201209, radii=(0.05,), halfwidth=0.025)


def test_linear_intercept_has_no_width_dependence(rows):
    lin = next(r for r in rows if r.estimator == "linear")
    assert lin.measured and lin.passed
    assert abs(lin.z) < lin.threshold
    # the w -> 0 value agrees with the reported one within the joint SE
    assert abs(lin.gamma0 - lin.gamma_w) < 4.5 * lin.se_bias


def test_power_bin_mean_width_bias_detected(rows):
    mean = next(r for r in rows if r.estimator == "mean")
    assert abs(mean.z) > mean.threshold  # the referee's bin mean: its first-order width bias is seen
    assert abs(mean.gamma_w) > abs(mean.gamma0)  # and it inflates |Gamma|


def test_same_stream_as_the_experiment():
    # the width check re-runs the experiment's trajectories: Gamma(w) is the experiment's number
    from numerics.circulation.design import measure_network

    small = Sizes(200, 200, 50, 20, 2)
    w = measure_width(DESIGN[0], small, seed=3, radii=(0.03,), estimators=("linear",))[0]
    m = measure_network(DESIGN[0], small, seed=3)[0]
    assert m.R == 0.03 and (w.gamma_w is None) == (m.gamma is None)
    if m.gamma is not None:
        assert math.isclose(w.gamma_w, m.gamma, rel_tol=1e-12)


def test_pooled_bias_planted():
    def row(b, se=1.0, g=10.0, est="linear"):
        return WidthRow("minibatch", 1, 1, 0.5, 35.0, 0.05, 0.0125, est, g, se, g, se, 3 * b / 4, 1.0, 0.0, 1.0,
                        g - b, 1.0, b, 0.5)

    ok = pooled_bias([row(0.0) for _ in range(20)])
    assert ok["below_se"] and ok["rho"] == 0.0
    planted = pooled_bias([row(2.0) for _ in range(20)])  # a planted bias of 2 SE per loop
    assert not planted["below_se"] and planted["z"] > 4.5
