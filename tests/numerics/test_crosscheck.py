import json

import pytest

from derive.contents import derivation
from derive.errors import InputError
from numerics.crosscheck import COMMAND, run, select, table
from numerics.crosscheck_checks import CHECKS, Check


class TestRegistry:
    def test_every_check_names_a_derive_step(self):
        labels = set(derivation().labels)
        missing = {c.name: c.step for c in CHECKS.values() if c.step not in labels}
        assert not missing, f"checks tied to steps that derive does not have: {missing}"

    def test_at_least_twelve_checks(self):
        assert len(CHECKS) >= 12

    def test_check_reports_its_registered_step(self):
        bad = Check("x", "canonical.hessian", CHECKS["canonical-force"].fn)
        with pytest.raises(AssertionError, match="registered as"):
            bad(seed=0)


class TestSelect:
    def test_by_label_and_name(self):
        assert select(["learning.sgd"]) == ("sgd-noise", "sgd-stationary")
        assert select(["wallstrom"]) == ("wallstrom",)

    def test_unknown(self):
        with pytest.raises(InputError, match="no cross-check for 'no.such'"):
            select(["no.such"])

    def test_bad_seed(self):
        with pytest.raises(InputError, match="seed must be a non-negative integer"):
            run(["canonical.force"], seed=-1)


class TestRun:
    def test_json_contract_and_table(self, capsys):
        import argparse
        p = argparse.ArgumentParser()
        COMMAND.configure(p)
        args = p.parse_args(["canonical.force", "grand.ratio", "--json", "--workers", "1"])
        assert COMMAND.run(args) == 0
        data = json.loads(capsys.readouterr().out)
        assert set(data) >= {"seed", "checks"}
        for c in data["checks"]:
            assert set(c) >= {"identity", "step", "statistic", "estimate", "expected", "stderr", "z", "threshold",
                              "n_samples", "seed", "passed", "power"}
            assert set(c["power"]) >= {"planted", "z", "detected"}
            assert c["passed"] and c["power"]["detected"]

    def test_parallel_matches_serial(self):
        a = run(["canonical.force", "learning.stationary"], workers=2)
        b = run(["canonical.force", "learning.stationary"], workers=1)
        assert [v.z for v in a] == [v.z for v in b]
        assert "pass" in table(a)
