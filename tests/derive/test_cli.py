import json
import subprocess
import sys

import pytest

from derive.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True)


class TestCLI:
    def test_list(self, capsys):
        assert main(["list"]) == 0
        out = capsys.readouterr().out
        assert "canonical.force" in out

    def test_show(self, capsys):
        assert main(["show", "canonical.hessian"]) == 0
        out = capsys.readouterr().out
        for word in ("statement", "premises", "source", "LaTeX"):
            assert word in out

    def test_verify_json_contract(self, capsys):
        assert main(["verify", "canonical.force", "canonical.entropy", "--json", "--workers", "1"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert set(data) >= {"sympy", "seed", "steps", "summary"}
        assert data["summary"]["steps"] == 2 and sum(data["summary"]["status"].values()) == 2
        assert sum(data["summary"]["chain"].values()) == 2
        step = data["steps"][0]
        for key in ("label", "title", "kind", "status", "premises", "assumptions", "conditions", "source",
                    "symbolic", "numeric", "depth", "premises_used", "obligations", "chain"):
            assert key in step
        assert set(step["chain"]) == {"status", "postulates", "conditions", "unsupported_by"}
        assert set(step["obligations"]) == {"total", "restatements", "inequalities", "rewrites_witnessed"}
        assert set(step["source"]) >= {"paper", "section", "equation", "provenance"}
        assert set(step["numeric"]) >= {"points", "max_abs_residual", "tolerance"}

    @pytest.mark.parametrize("args, message", [
        (["show", "no.such.step"], "unknown step label 'no.such.step'"),
        (["verify", "no.such.step"], "unknown step label"),
        (["verfy"], "invalid choice"),
        (["verify", "--seed", "-3"], "seed must be a non-negative integer"),
        (["list", "--bogus"], "unrecognized arguments"),
    ])
    def test_bad_input_one_line_exit_2(self, args, message):
        r = run(*args)
        assert r.returncode == 2
        assert message in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1

    def test_module_script(self):
        r = subprocess.run([sys.executable, "-m", "derive.canonical"], capture_output=True, text=True)
        assert r.returncode == 0 and "canonical.force" in r.stdout and "verified" in r.stdout
