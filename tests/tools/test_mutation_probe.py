"""tools/mutation_probe.py: how a mutant is judged (the probe itself runs for minutes: not in the tests)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def probe():
    spec = importlib.util.spec_from_file_location("mutation_probe", ROOT / "tools/mutation_probe.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _data(statuses, claims=None):
    return {"changed": list(statuses), "claims": list(statuses) if claims is None else claims, "statuses": statuses}


class TestJudge:
    OK = {"a": True, "b": True, "c": False}
    BEFORE = {"a": "conditional", "b": "vacuous", "c": "failed"}

    @pytest.mark.parametrize("statuses, claims, outcome", [
        ({}, None, "equivalent"),
        ({"a": "failed"}, None, "caught"),
        ({"a": "inconclusive"}, None, "caught"),
        # a step whose conditions can no longer hold no longer certifies its claim (probe seed 7, madelung.bound)
        ({"a": "vacuous"}, None, "caught"),
        ({"b": "vacuous"}, None, "survived"),  # vacuous before the mutation as well
        ({"a": "conditional"}, None, "survived"),
        ({"a": "conditional"}, [], "evidence"),
        ({"c": "failed"}, None, "unjudged"),  # only a step that did not pass before
    ])
    def test_outcomes(self, probe, statuses, claims, outcome):
        assert probe.judge(_data(statuses, claims), self.OK, self.BEFORE) == outcome

    def test_a_count_that_is_not_positive_is_exit_2(self, probe, capsys):
        assert probe.main(["--mutants", "0"]) == 2
        assert "--mutants must be a positive integer" in capsys.readouterr().err
