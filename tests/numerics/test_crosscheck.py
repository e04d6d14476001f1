import argparse
import json

import pytest

from derive.errors import InputError
from derive.executor import Executor
from derive.seeds import DEFAULT_SEED
from numerics.checks import REGISTRY
from numerics.crosscheck import COMMAND, run, select, table


def _parse(*argv):
    p = argparse.ArgumentParser()
    COMMAND.configure(p)
    return p.parse_args(list(argv))


class TestSelect:
    def test_by_label_and_name(self):
        assert select(["learning.sgd"]) == ("sgd-noise", "sgd-stationary")
        assert select(["wallstrom"]) == ("wallstrom",)

    def test_unknown(self):
        with pytest.raises(InputError, match="no cross-check for 'no.such'"):
            select(["no.such"])

    def test_bad_seed(self):
        with pytest.raises(InputError, match="seed must be an integer >= 0"):
            run(["canonical.force"], seed=-1)


class TestRun:
    def test_default_seed_is_the_one_policy(self):
        assert _parse().seed == DEFAULT_SEED == 20201209

    def test_json_contract_and_table(self, capsys):
        assert COMMAND.run(_parse("canonical.force", "grand.ratio", "wallstrom", "--json", "--workers", "1")) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["seed"] == DEFAULT_SEED and data["threshold"] == REGISTRY.threshold
        assert data["n_sampled_checks"] == len(REGISTRY.sampled)
        kinds = {c["kind"] for c in data["checks"]}
        assert kinds == {"statistical", "deterministic"}
        for c in data["checks"]:
            assert c["seed"] == DEFAULT_SEED and c["passed"] and c["power"]["detected"]
            if c["kind"] == "statistical":
                assert set(c) >= {"identity", "step", "statistic", "estimate", "expected", "stderr", "z",
                                  "threshold", "n_samples", "seed", "passed", "power", "p_value"}
            else:
                assert set(c) >= {"residual", "error_estimate", "tolerance"} and "z" not in c

    def test_workers_do_not_change_the_numbers(self):
        labels = ["canonical.force", "learning.stationary", "wallstrom"]
        a = run(labels, executor=Executor(workers=2))
        b = run(labels, executor=Executor(workers=1))
        assert a == b
        text = table(a)
        assert "pass" in text and "det" in text and f"seed {DEFAULT_SEED}" in text

    def test_bad_seeds_range_is_one_line(self):
        with pytest.raises(InputError) as info:
            COMMAND.run(_parse("--seeds", "5:2"))
        assert "\n" not in str(info.value)

    def test_calibration_command(self, capsys):
        assert COMMAND.run(_parse("learning.sgd", "--seeds", "0:3", "--workers", "1", "--json")) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["n_seeds"] == 3 and [c["name"] for c in data["checks"]] == ["sgd-noise", "sgd-stationary"]
