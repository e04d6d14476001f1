"""Tests of numerics.checks.registry: checks as values, the registry, the one runner.

Adding a cross-check is one value: the dummy checks below are registered in a temporary registry, and
its threshold follows from its length (nothing else changes)."""

import pytest

from derive.errors import InputError
from derive.executor import Executor
from derive.seeds import rng
from numerics.checks import REGISTRY
from numerics.checks.registry import Check, DeterministicCheck, Estimate, Registry, Residual
from numerics.crosscheck import run
from numerics.stats import DeterministicVerdict, StatVerdict, suite_threshold


def dummy_sample(seed, planted):
    x = rng(seed, "dummy").normal(1.2 if planted else 1.0, 1.0, 2500)
    return Estimate(float(x.mean()), float(x.std(ddof=1) / 50), x.size)


def dummy_compute(planted):
    return Residual(0.3 if planted else 1e-15, 1e-14, 10)


DUMMY = Check(name="dummy-mean", step="canonical.force", identity="<x> = 1", statistic="mean of 2500 normals",
              planted="mean 1.2", sample=dummy_sample, expected=1.0)
DUMMY_DET = DeterministicCheck(name="dummy-identity", step="canonical.force", identity="a - a = 0",
                               statistic="roundoff", planted="a - 1.3 a", compute=dummy_compute, tolerance=1e-9)


class TestEstimate:
    def test_valid_and_bad(self):
        assert Estimate(1, 0.5, 3).value == 1.0
        for bad in (dict(value=float("nan"), stderr=1.0, n_samples=1), dict(value=1.0, stderr=0.0, n_samples=1),
                    dict(value=1.0, stderr=1.0, n_samples=0)):
            with pytest.raises(InputError):
                Estimate(**bad)


class TestResidual:
    def test_valid_and_bad(self):
        assert Residual(0, 0, 1).value == 0.0
        with pytest.raises(InputError):
            Residual(-1.0, 0.0, 1)


class TestCheck:
    def test_runs_to_a_stat_verdict(self):
        v = DUMMY.run(5, threshold=4.0)
        assert isinstance(v, StatVerdict) and v.passed and v.seed == 5 and v.power.detected
        assert DUMMY.ensemble == __name__

    def test_planted_error_in_the_claim(self):
        c = Check(name="d", step="s", identity="i", statistic="t", planted="claim 1.2", sample=dummy_sample,
                  expected=1.0, planted_expected=1.2)
        v = c.run(5, threshold=4.0)
        assert v.power.z == pytest.approx((v.estimate - 1.2) / v.stderr)

    def test_same_seed_same_numbers(self):
        assert DUMMY.run(3, 4.0) == DUMMY.run(3, 4.0)
        assert DUMMY.run(3, 4.0).estimate != DUMMY.run(4, 4.0).estimate

    @pytest.mark.parametrize("field", ["name", "step", "identity", "statistic", "planted"])
    def test_empty_text_refused(self, field):
        kw = dict(name="d", step="s", identity="i", statistic="t", planted="p", sample=dummy_sample, expected=1.0)
        kw[field] = " "
        with pytest.raises(InputError):
            Check(**kw)

    def test_bad_seed(self):
        with pytest.raises(InputError):
            DUMMY.run(-1, 4.0)


class TestDeterministicCheck:
    def test_runs_to_a_deterministic_verdict(self):
        v = DUMMY_DET.run(0)
        assert isinstance(v, DeterministicVerdict) and v.passed and v.power.detected

    def test_bad_tolerance(self):
        with pytest.raises(InputError):
            DeterministicCheck(name="d", step="s", identity="i", statistic="t", planted="p", compute=dummy_compute,
                               tolerance=0.0)


class TestRegistry:
    def test_threshold_follows_the_number_of_sampled_checks(self):
        k = len(REGISTRY.sampled)
        assert REGISTRY.threshold == suite_threshold(k)
        bigger = REGISTRY.with_checks(DUMMY)
        assert bigger.threshold == suite_threshold(k + 1) > REGISTRY.threshold
        # a deterministic check has no z and does not share the false-alarm budget
        assert bigger.with_checks(DUMMY_DET).threshold == bigger.threshold

    def test_a_registered_dummy_check_runs_through_the_command_runner(self):
        reg = REGISTRY.subset(["sgd-noise"]).with_checks(DUMMY, DUMMY_DET)
        out = run(["canonical.force"], seed=2, registry=reg, executor=Executor(workers=1))
        assert [v.identity for v in out] == ["<x> = 1", "a - a = 0"]
        assert out[0].threshold == suite_threshold(2)
        assert run(["canonical.force"], seed=2, registry=reg, executor=Executor(workers=2)) == out

    def test_names_unique_and_nonempty(self):
        with pytest.raises(InputError, match="unique"):
            Registry((DUMMY, DUMMY))
        with pytest.raises(InputError):
            Registry(())

    def test_select_and_groups(self):
        assert REGISTRY.select(["learning.sgd"]) == ("sgd-noise", "sgd-stationary")
        assert REGISTRY.select(["wallstrom"]) == ("wallstrom",)
        with pytest.raises(InputError, match="no cross-check for 'no.such'"):
            REGISTRY.select(["no.such"])
        groups = REGISTRY.groups(REGISTRY.names)
        assert sorted(n for g in groups for n in g) == sorted(REGISTRY.names)

    def test_import_builds_no_model(self):
        import subprocess
        import sys
        code = ("import time; t = time.perf_counter(); import numerics.checks; "
                "from numerics.checks import hidden_neurons as h; "
                "assert h._model.cache_info().currsize == 0")
        subprocess.run([sys.executable, "-c", code], check=True)
