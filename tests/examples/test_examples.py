"""The worked examples of examples/ run as scripts, and the notebook tour runs with its rich outputs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(script: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, env=env,
                         cwd=EXAMPLES, timeout=timeout)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    return out


def test_harmonic_oscillator_eigenstates_verify():
    out = run("harmonic_oscillator.py")
    assert out.stdout.count(" verified ") >= 4 or "verified 4" in out.stdout


def test_wrong_energy_fails_with_its_counterexample():
    out = run("wrong_energy.py")
    assert "[failed]" in out.stdout and "counterexample: {" in out.stdout and "'residual'" in out.stdout


def test_display_that_disagrees_with_its_check_is_failed_not_verified():
    out = run("display_disagrees.py")
    assert out.stdout.startswith("verified | failed")


def test_madelung_at_a_node():
    out = run("madelung_nodes.py")
    assert "whole plane  inconclusive" in out.stdout and "q_1 > 0      conditional" in out.stdout


def test_hydrogen_in_three_dimensions():
    out = run("hydrogen.py")
    assert out.stdout.count("verified") == 4 and "failed" in out.stdout


def test_property_tested_identity():
    out = run("property_identity.py")
    assert "identity holds" in out.stdout and "p must be > 0" in out.stdout


def test_user_document():
    out = run("my_document.py")
    assert r"\begin{document}" in out.stdout and "No step of this" not in out.stdout


def test_examples_are_short():
    """The harmonic-oscillator step of one's own is about 20 lines."""
    src = (EXAMPLES / "harmonic_oscillator.py").read_text().splitlines()
    start = next(i for i, line in enumerate(src) if line.startswith("def oscillator"))
    end = next(i for i, line in enumerate(src[start + 1:], start + 1) if line and not line.startswith(" "))
    body = [line for line in src[start:end] if line.strip()]
    assert len(body) <= 20, len(body)


def test_tour_notebook_runs_with_rich_outputs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(EXAMPLES / "tour.ipynb", as_version=4)
    old = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), old])
    try:
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    finally:
        os.environ["PYTHONPATH"] = old
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    rich = [o["data"] for o in outputs if o.get("output_type") == "execute_result"]
    step_out, table_out, failed_out = rich[0], rich[1], rich[2]
    assert "schrodinger.equation" in step_out["text/html"] and "$$" in step_out["text/latex"]
    assert '<table class="eqnn-verdicts">' in table_out["text/html"] and r"\begin{array}" in table_out["text/latex"]
    assert "counterexample" in failed_out["text/html"] and "counterexample" in failed_out["text/latex"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "p = " in text and "z = " in text
