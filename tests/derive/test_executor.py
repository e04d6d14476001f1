"""Tests of derive.executor: serial, local processes and a real Dask LocalCluster give the same numbers.

The numerics jobs used here (a cross-check seed sweep, one experiment configuration) live in the
numerics package; derive itself imports neither numerics nor papers."""

import argparse
import functools
import os

import pytest

from derive.errors import InputError
from derive.executor import ENV_SCHEDULER, Executor, add_arguments, from_arguments


def square(x):
    return x * x


def seeded_draw(seed):
    from derive.seeds import rng

    return float(rng(seed, "executor-test").normal())


class TestExecutor:
    def test_engines(self):
        assert Executor(workers=1).engine == "serial"
        assert Executor(workers=2).engine == "processes"
        assert Executor(scheduler="tcp://127.0.0.1:8786").engine == "dask"

    def test_map_keeps_the_order(self):
        seen = []
        out = Executor(workers=2).map(square, range(7), on_result=lambda i, r: seen.append(i), order=[6, 5, 4, 3, 2, 1, 0])
        assert out == [i * i for i in range(7)] and sorted(seen) == list(range(7))
        assert Executor(workers=1).map(square, []) == []

    def test_same_numbers_with_one_and_two_workers(self):
        seeds = list(range(6))
        assert Executor(workers=1).map(seeded_draw, seeds) == Executor(workers=2).map(seeded_draw, seeds)

    @pytest.mark.parametrize("bad", [dict(workers=0), dict(workers=1.5), dict(workers=True),
                                     dict(scheduler=""), dict(scheduler="tcp://a b")])
    def test_bad_input_is_one_line(self, bad):
        with pytest.raises(InputError) as info:
            Executor(**bad)
        assert "\n" not in str(info.value)

    def test_bad_order(self):
        with pytest.raises(InputError):
            Executor(workers=1).map(square, [1, 2], order=[0, 0])


class TestArguments:
    def test_command_line_and_environment(self, monkeypatch):
        p = argparse.ArgumentParser()
        add_arguments(p)
        monkeypatch.delenv(ENV_SCHEDULER, raising=False)
        assert from_arguments(p.parse_args(["--workers", "3"])) == Executor(workers=3)
        monkeypatch.setenv(ENV_SCHEDULER, "tcp://10.0.0.1:8786")
        assert from_arguments(p.parse_args([])).scheduler == "tcp://10.0.0.1:8786"
        assert from_arguments(p.parse_args(["--scheduler", "tcp://h:1"])).scheduler == "tcp://h:1"
        with pytest.raises(SystemExit):
            p.parse_args(["--workers", "0"])


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as c:
        yield c


class TestDask:
    def test_unreachable_scheduler(self):
        pytest.importorskip("distributed")
        with pytest.raises(InputError, match="cannot reach"):
            Executor(scheduler="tcp://127.0.0.1:1").map(square, [1])

    def test_map(self, cluster):
        ex = Executor(scheduler=cluster.scheduler_address)
        assert ex.map(square, range(5)) == [0, 1, 4, 9, 16]
        assert ex.map(seeded_draw, range(4)) == Executor(workers=1).map(seeded_draw, range(4))

    def test_seed_sweep_is_identical_on_every_engine(self, cluster):
        from numerics.calibration import calibrate
        from numerics.checks import REGISTRY

        reg = REGISTRY.subset(["sgd-noise", "sgd-stationary", "equilibrium-spectrum", "wallstrom"])
        runs = [calibrate(range(3), registry=reg, executor=e) for e in
                (Executor(workers=1), Executor(workers=2), Executor(scheduler=cluster.scheduler_address))]
        for other in runs[1:]:
            assert other.checks == runs[0].checks and other.deterministic == runs[0].deterministic
        assert runs[2].engine.startswith("dask")

    def test_experiment_configuration_is_identical_on_every_engine(self, cluster):
        from numerics.circulation import DESIGN, Sizes
        from numerics.circulation.design import _job

        tiny = Sizes(n_networks=200, n_steps=200, burn_in=50, cal_walkers=20, cal_steps=2)
        jobs = [(a, tiny, 11) for a in DESIGN if a.arm == "minibatch" and a.B == 1 and a.kex == 1 and a.mu == 0.5]
        runs = [e.map(_job, jobs) for e in
                (Executor(workers=1), Executor(workers=2), Executor(scheduler=cluster.scheduler_address))]
        assert len(runs[0]) == 3 and all(len(rows) == 3 for rows in runs[0])
        assert runs[1] == runs[0] and runs[2] == runs[0]
