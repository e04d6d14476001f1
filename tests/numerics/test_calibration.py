"""Tests of numerics.calibration: the suite over seeds, per-check figures and the suite rate."""

import json

import numpy as np
import pytest

from derive.executor import Executor
from derive.seeds import rng
from numerics.calibration import CheckCalibration, SuiteCalibration, calibrate, calibration_table
from numerics.checks import REGISTRY
from numerics.checks.registry import Check, Estimate, Registry


def alarm_sample(seed, planted):
    """A 'check' whose z is +5 at seed 4 and N(0,1)-ish otherwise (to test the false-alarm counting)."""
    z = 5.0 if seed == 4 else float(rng(seed, "alarm").normal())
    return Estimate(z + (10.0 if planted else 0.0), 1.0, 1)


ALARM = Check(name="alarm", step="canonical.force", identity="z = 0", statistic="a planted false alarm at seed 4",
              planted="z + 10", sample=alarm_sample, expected=0.0)


class TestCheckCalibration:
    def test_figures(self):
        cal = calibrate(range(10), registry=Registry((ALARM,)), executor=Executor(workers=1))
        c = cal.checks[0]
        assert isinstance(c, CheckCalibration)
        assert c.false_alarms == 1 and c.false_alarm_rate == 0.1 and c.n_seeds == 10
        assert c.power_detected == 10 and c.max_abs_z == 5.0
        assert 0 <= c.ks_p <= 1 and c.false_alarm_upper95 > c.false_alarm_rate


class TestSuiteCalibration:
    def test_suite_rate_counts_seeds_with_any_alarm(self):
        cal = calibrate(range(10), registry=Registry((ALARM,)).with_checks(REGISTRY["sgd-noise"]),
                        executor=Executor(workers=1))
        assert isinstance(cal, SuiteCalibration)
        assert cal.suite_false_alarms == 1 and cal.suite_false_alarm_rate == 0.1
        assert cal.nominal_false_alarm == 1e-3 and cal.threshold == Registry((ALARM, REGISTRY["sgd-noise"])).threshold
        data = json.loads(cal.to_json())
        assert data["seeds"] == "0:10" and len(data["checks"]) == 2
        assert "suite over seeds 0:10" in calibration_table(cal)

    def test_engine_does_not_change_the_figures(self):
        reg = REGISTRY.subset(["sgd-noise", "sgd-stationary", "wallstrom"])
        a = calibrate(range(2), registry=reg, executor=Executor(workers=1))
        b = calibrate(range(2), registry=reg, executor=Executor(workers=2))
        assert a.checks == b.checks and a.deterministic == b.deterministic and len(a.deterministic) == 1


def test_recorded_calibration_covers_200_seeds():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "papers" / "data" / "crosscheck_calibration.json"
    if not path.exists():
        pytest.skip("the calibration has not been recorded in this checkout")
    data = json.loads(path.read_text())
    assert data["n_seeds"] >= 200
    assert {c["name"] for c in data["checks"]} == {c.name for c in REGISTRY.sampled}
    assert np.isclose(data["threshold"], REGISTRY.threshold)


def test_adjacent_sweeps_merge_into_one(tmp_path):
    from numerics.calibration import merge_files

    reg = Registry((ALARM,))
    whole = calibrate(range(0, 6), registry=reg, executor=Executor(workers=1))
    paths = []
    for a, b in ((3, 6), (0, 3)):
        part = calibrate(range(a, b), registry=reg, executor=Executor(workers=1))
        paths.append(tmp_path / f"{a}.json")
        paths[-1].write_text(part.to_json())
    merged = merge_files([str(p) for p in paths])
    assert merged.seeds == (0, 6) and merged.checks == whole.checks
    assert merged.suite_false_alarms == whole.suite_false_alarms == 1
    with pytest.raises(Exception):
        SuiteCalibration.merge([whole, whole])
