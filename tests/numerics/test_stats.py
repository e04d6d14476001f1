"""Tests of numerics.stats: verdict invariants, thresholds, standard errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats as sps

from derive.errors import InputError
from numerics.stats import (DEFAULT_FALSE_ALARM, DeterministicVerdict, PlantedResidual, PowerCheck, StatVerdict,
                            batch_means_se, jackknife, make_verdict, mean_se, p_value, probit_upper, rate_upper,
                            ratio_se, suite_threshold, z_score)

CONTRACT_KEYS = ["identity", "step", "statistic", "estimate", "expected", "stderr", "z", "threshold",
                 "n_samples", "seed", "passed", "power"]


def _verdict(**kw):
    base = dict(identity="id", step="canonical.force", statistic="mean", estimate=1.0, expected=0.5,
                stderr=0.25, n_samples=10, seed=0, planted="beta' = 1.1 beta", planted_z=9.0, threshold=4.0)
    base.update(kw)
    return make_verdict(**base)


class TestPowerCheck:
    def test_valid(self):
        p = PowerCheck("planted", -5.0, True)
        assert p.to_json() == {"planted": "planted", "z": -5.0, "detected": True}

    @pytest.mark.parametrize("bad", [dict(planted="", z=1.0, detected=True),
                                     dict(planted="x", z=float("nan"), detected=True),
                                     dict(planted="x", z=1.0, detected="yes")])
    def test_bad_input(self, bad):
        with pytest.raises(InputError):
            PowerCheck(**bad)


class TestStatVerdict:
    def test_make_verdict_computes_z_and_pass(self):
        v = _verdict()
        assert v.z == pytest.approx(2.0)
        assert v.passed and v.power.detected

    def test_fails_beyond_threshold(self):
        v = _verdict(estimate=2.0)            # z = 6
        assert not v.passed

    def test_undetected_planted_error_fails_the_verdict(self):
        v = _verdict(planted_z=3.0)
        assert not v.power.detected and not v.passed

    def test_to_json_has_exactly_the_contract_keys_in_order(self):
        d = _verdict().to_json()
        assert list(d) == CONTRACT_KEYS + ["kind", "p_value"]
        assert d["kind"] == "statistical" and d["p_value"] == pytest.approx(p_value(d["z"]))
        assert list(d["power"]) == ["planted", "z", "detected"]

    def test_cannot_lie_about_z(self):
        v = _verdict()
        with pytest.raises(InputError):
            StatVerdict(**{**v.__dict__, "z": 0.0})

    def test_cannot_lie_about_pass(self):
        v = _verdict(estimate=2.0)
        with pytest.raises(InputError):
            StatVerdict(**{**v.__dict__, "passed": True})

    def test_cannot_lie_about_detection(self):
        v = _verdict()
        with pytest.raises(InputError):
            StatVerdict(**{**v.__dict__, "power": PowerCheck("p", 1.0, True)})

    @pytest.mark.parametrize("kw", [dict(stderr=0.0), dict(stderr=-1.0), dict(n_samples=0), dict(seed=-1),
                                    dict(step=""), dict(estimate=float("inf"))])
    def test_bad_input(self, kw):
        with pytest.raises(InputError):
            _verdict(**kw)

    def test_describe_mentions_failure(self):
        assert _verdict(estimate=2.0).describe().startswith("FAIL")
        assert "NOT DETECTED" in _verdict(planted_z=1.0).describe()


class TestThreshold:
    def test_default_rate_is_the_suite_rate(self):
        assert DEFAULT_FALSE_ALARM == 1e-3
        for k in (1, 17, 100):
            assert 2 * k * sps.norm.sf(suite_threshold(k)) == pytest.approx(DEFAULT_FALSE_ALARM, rel=1e-9)

    @given(st.floats(1e-8, 0.5), st.integers(1, 10_000))
    def test_bonferroni_rate(self, alpha, k):
        z = suite_threshold(k, alpha)
        assert k * 2 * sps.norm.sf(z) == pytest.approx(alpha, rel=1e-6)

    @given(st.floats(1e-6, 0.1), st.integers(1, 1000))
    def test_monotone_in_number_of_checks(self, alpha, k):
        assert suite_threshold(k + 1, alpha) > suite_threshold(k, alpha)

    @pytest.mark.parametrize("a,k", [(0.0, 1), (1.0, 1), (0.01, 0), (0.01, 2.5)])
    def test_bad_input(self, a, k):
        with pytest.raises(InputError):
            suite_threshold(k, a)


class TestPValueAndRates:
    @given(st.floats(-8, 8))
    def test_p_value_is_two_sided_normal(self, z):
        assert p_value(z) == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-9, abs=1e-300)

    def test_rate_upper_bound(self):
        # zero events in n trials: 1 - 0.05^(1/n)
        assert rate_upper(0, 200) == pytest.approx(1 - 0.05 ** (1 / 200), rel=1e-9)
        assert rate_upper(5, 5) == 1.0
        with pytest.raises(InputError):
            rate_upper(3, 2)


def _det(**kw):
    base = dict(identity="W + J = dF", step="multivalued.driven-loop", statistic="max residual", residual=1e-12,
                error_estimate=1e-13, tolerance=1e-9, n_samples=10, seed=0,
                power=PlantedResidual("jumps ignored", 0.5, 1e-9))
    base.update(kw)
    return DeterministicVerdict(**base)


class TestPlantedResidual:
    def test_detected_iff_above_tolerance(self):
        assert PlantedResidual("x", 2e-9, 1e-9).detected
        assert not PlantedResidual("x", 5e-10, 1e-9).detected

    @pytest.mark.parametrize("bad", [dict(planted="", residual=1.0, tolerance=1.0),
                                     dict(planted="x", residual=float("inf"), tolerance=1.0),
                                     dict(planted="x", residual=1.0, tolerance=0.0)])
    def test_bad_input(self, bad):
        with pytest.raises(InputError):
            PlantedResidual(**bad)


class TestDeterministicVerdict:
    def test_pass_needs_residual_error_and_power(self):
        assert _det().passed
        assert not _det(residual=2e-9).passed
        assert not _det(error_estimate=2e-9).passed
        assert not _det(power=PlantedResidual("x", 1e-10, 1e-9)).passed

    def test_json_has_no_z(self):
        d = _det().to_json()
        assert d["kind"] == "deterministic" and "z" not in d and d["tolerance"] == 1e-9
        assert set(d["power"]) == {"planted", "residual", "detected"}

    @pytest.mark.parametrize("bad", [dict(residual=-1.0), dict(tolerance=0.0), dict(seed=-1), dict(n_samples=0),
                                     dict(power=PlantedResidual("x", 1.0, 2e-9))])
    def test_bad_input(self, bad):
        with pytest.raises(InputError):
            _det(**bad)


class TestHelpers:
    def test_z_score(self):
        assert z_score(3.0, 1.0, 0.5) == 4.0
        with pytest.raises(InputError):
            z_score(1.0, 1.0, 0.0)

    def test_probit(self):
        assert probit_upper(0.025) == pytest.approx(1.959964, abs=1e-6)
        assert math.isfinite(probit_upper(0.0))
        with pytest.raises(InputError):
            probit_upper(1.5)

    @given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=50))
    def test_jackknife_of_mean_equals_sd_over_root_n(self, xs):
        x = np.array(xs)
        est, se = jackknife(lambda a: a.mean(), x)
        m, s = mean_se(x)
        assert est == pytest.approx(m, abs=1e-9)
        assert se == pytest.approx(s, rel=1e-6, abs=1e-9)

    def test_jackknife_of_pooled_sums(self):
        x = np.stack([np.arange(20.0), np.ones(20)], axis=1)
        est, se = jackknife(lambda s: s[0] / s[1], x, pooled="sum")
        assert est == pytest.approx(9.5) and se == pytest.approx(np.arange(20.0).std(ddof=1) / math.sqrt(20))
        with pytest.raises(InputError):
            jackknife(lambda s: s[0], x, pooled="median")

    def test_jackknife_groups(self):
        x = np.arange(40.0)
        est, se = jackknife(lambda a: a.mean(), x, n_groups=4)
        assert est == pytest.approx(19.5)
        with pytest.raises(InputError):
            jackknife(lambda a: a.mean(), x, n_groups=100)

    def test_mean_se_on_normal_data(self):
        x = np.random.default_rng(0).normal(0, 2.0, 40000)
        m, se = mean_se(x)
        assert se == pytest.approx(2.0 / 200, rel=0.02)
        assert abs(m) < 4 * se

    def test_batch_means_sees_autocorrelation(self):
        rng = np.random.default_rng(1)
        e = rng.normal(size=200000)
        x = np.empty_like(e)
        x[0] = 0.0
        for i in range(1, x.size):   # AR(1) with rho = 0.9: integrated time 19, SE inflation sqrt(19)
            x[i] = 0.9 * x[i - 1] + e[i]
        _, naive = mean_se(x)
        _, bm = batch_means_se(x, 50)
        assert 3.0 < bm / naive < 6.0

    def test_ratio_se(self):
        rng = np.random.default_rng(2)
        b = rng.uniform(1, 2, 5000)
        a = 3 * b + rng.normal(0, 0.1, 5000)
        r, se = ratio_se(a, b)
        assert abs(r - 3) < 5 * se
        with pytest.raises(InputError):
            ratio_se([1.0, 2.0], [0.0, 0.0])

    def test_too_few_samples(self):
        with pytest.raises(InputError):
            mean_se([1.0])
