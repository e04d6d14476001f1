"""Tests of numerics.crosscheck_checks: every check passes at the default seed and detects its planted error."""

import time

import numpy as np
import pytest

from derive.errors import InputError
from numerics import crosscheck_checks as cc
from numerics.stats import DEFAULT_N_CHECKS, StatVerdict, suite_threshold

STEP_LABELS = {"canonical.force", "canonical.hessian", "canonical.energy-variance", "grand.mean-number",
               "grand.number-variance", "grand.force", "grand.ratio", "learning.stationary", "learning.sgd",
               "entropy.balance", "madelung.schrodinger", "quantization.vortex", "superposition.interference",
               "wallstrom.counterexample", "equilibrium.spectrum", "multivalued.driven-loop"}


@pytest.fixture(scope="module")
def verdicts():
    t0 = time.perf_counter()
    out = {name: f(seed=0) for name, f in cc.CHECKS.items()}
    return out, time.perf_counter() - t0


class TestStatVerdictsOfTheSuite:
    def test_every_check_passes_and_detects_its_planted_error(self, verdicts):
        vs, _ = verdicts
        bad = [v.describe() for v in vs.values() if not v.passed]
        assert not bad, "\n".join(bad)

    def test_every_verdict_is_complete(self, verdicts):
        vs, _ = verdicts
        for v in vs.values():
            assert isinstance(v, StatVerdict)
            assert v.step in STEP_LABELS
            assert v.threshold == pytest.approx(suite_threshold())
            assert v.seed == 0 and v.n_samples >= 1 and v.stderr > 0
            assert abs(v.power.z) >= v.threshold

    def test_every_step_label_is_covered(self, verdicts):
        vs, _ = verdicts
        assert {v.step for v in vs.values()} == STEP_LABELS

    def test_threshold_is_corrected_for_the_suite_size(self):
        assert len(cc.CHECKS) == DEFAULT_N_CHECKS

    def test_runtime_budget(self, verdicts):
        _, seconds = verdicts
        assert seconds < 60.0          # ~10 s measured on 2 cores; the budget leaves room for a loaded machine

    def test_z_values_are_not_degenerate(self, verdicts):
        # a stochastic check whose |z| is always ~0 would be suspicious: at least some stochastic z are O(1)
        vs, _ = verdicts
        zs = [abs(v.z) for v in vs.values() if v.stderr > 1e-3 * abs(v.estimate) and v.stderr != 1.0]
        assert max(zs) > 0.2


class TestSeeds:
    def test_reproducible(self):
        a = cc.check_grand_ratio(seed=3)
        b = cc.check_grand_ratio(seed=3)
        assert a.to_json() == b.to_json()

    def test_seed_changes_the_sample(self):
        assert cc.check_ehrenfest(seed=1).estimate != cc.check_ehrenfest(seed=2).estimate

    @pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
    def test_bad_seed(self, seed):
        with pytest.raises(InputError):
            cc.check_canonical_force(seed=seed)

    def test_tight_threshold_makes_checks_fail(self):
        v = cc.check_canonical_force(seed=0, threshold=1e-6)
        assert not v.passed

    @pytest.mark.slow
    @pytest.mark.parametrize("seed", [1, 2, 3, 4])
    def test_other_seeds(self, seed):
        bad = [v.describe() for v in cc.run_all(seed) if not v.passed]
        assert not bad, "\n".join(bad)
