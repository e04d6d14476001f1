"""benchmarks/bench_arms.py runs (tiny sizes, no timing asserted: speed is measured in benchmarks/, never in a
test) and reports every arm with the issue's target."""

import importlib.util
import json
import pathlib

import pytest

_PATH = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "bench_arms.py"


@pytest.fixture(scope="module")
def bench_arms():
    spec = importlib.util.spec_from_file_location("bench_arms", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestBenchArms:
    def test_every_arm_has_a_row_and_the_target(self, bench_arms):
        rows = bench_arms.measure(walkers=40, steps=3, repeats=1)
        names = [r["arm"] for r in rows]
        assert len(names) == 6 and len(set(names)) == 6
        for r in rows:
            assert r["walkers"] == 40 and r["steps"] == 3
            assert r["seconds_per_network_step"] > 0 and r["seconds_random_only"] > 0
            assert r["ratio"] == pytest.approx(r["seconds_per_network_step"] / r["seconds_random_only"])
            assert r["target"] == (None if "with its estimators" in r["arm"] else 2.0)

    def test_arm_selects_by_name(self, bench_arms, capsys):
        assert bench_arms.main(["--json", "--walkers", "30", "--steps", "2", "--arm", "isotropic", "witten"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert sorted(r["arm"] for r in rows) == ["isotropic kex=1", "witten frozen-N Langevin"]

    @pytest.mark.parametrize("argv, message", [
        (["--walkers", "0"], "--walkers must be integers >= 1"),
        (["--steps", "-1"], "--steps must be an integer >= 1"),
        (["--arm", "nosuch"], "names no arm"),
    ])
    def test_bad_input_is_one_line_and_exit_2(self, bench_arms, capsys, argv, message):
        assert bench_arms.main(argv) == 2
        out = capsys.readouterr()
        assert out.out == "" and message in out.err and len(out.err.strip().splitlines()) == 1
