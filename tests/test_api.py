"""The public API (derive, numerics, papers) and the CLI's refusal of bad input."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["derive", "numerics", "papers"])
def test_every_public_name_resolves(package):
    mod = importlib.import_module(package)
    for name in mod.__all__:
        assert getattr(mod, name) is not None, name
    # a public name never shadows (or is shadowed by) a submodule
    for path in (ROOT / package).glob("*.py"):
        assert path.stem not in mod.__all__, path.stem


def test_import_derive_is_fast():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import derive"], capture_output=True,
                         text=True, env=env)
    assert "sympy" not in out.stderr  # nothing heavy until a name is used


def _eqnn(*argv, env=None, cwd=None):
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "derive", *argv], capture_output=True, text=True, env=e, cwd=cwd)


@pytest.mark.parametrize("argv", [["verify", "--workers", "0", "canonical.force"], ["verify", "--workers", "-3"],
                                  ["verify", "canonical.force", "canonical.force"], ["show", "canonical.forse"],
                                  ["verify", "--seed", "-1"], ["show", "nope"]])
def test_bad_input_one_line_exit_2_nothing_written(argv, tmp_path):
    out = _eqnn(*argv, cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert not list(tmp_path.iterdir())


def test_did_you_mean():
    assert "did you mean 'canonical.force'" in _eqnn("show", "canonical.forse").stderr


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_unusable_cache_folder(kind, tmp_path):
    target = tmp_path / "cache"
    if kind == "file":
        target.write_text("")
    else:
        target.mkdir()
        target.chmod(0o500)
        if os.access(target, os.W_OK):  # root ignores permissions
            pytest.skip("running as root: a read-only folder is still writable")
    out = _eqnn("verify", "canonical.force", env={"EQNN_CACHE_DIR": str(target), "EQNN_NO_CACHE": "0"})
    assert out.returncode == 2 and "EQNN_CACHE_DIR" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_version():
    out = _eqnn("--version")
    assert out.returncode == 0 and out.stdout.startswith("eqnn ")


def test_common_checks_cover_plugin_options():
    """Every sub-command's counts and output paths are checked, whoever defines the option."""
    import argparse

    from derive.cli import _check_common
    from derive.errors import InputError
    for ns in (argparse.Namespace(output=""), argparse.Namespace(output="  "), argparse.Namespace(workers=0),
               argparse.Namespace(n=-3)):
        with pytest.raises(InputError):
            _check_common(ns)
    _check_common(argparse.Namespace(output="build", workers=2))


def test_extend_and_display():
    import sympy as sp

    import derive
    x = sp.Symbol("x", real=True)
    good = derive.Step(label="mine.ok", title="ok", kind=derive.Kind.IDENTITY,
                       statement=(sp.Eq(sp.diff(x**3, x), 3 * x**2, evaluate=False),),
                       source=derive.Source("user", "", "(1)", "reconstructed"), derive=lambda ctx: [derive.Show(0)])
    bad = derive.Step(label="mine.bad", title="bad", kind=derive.Kind.IDENTITY,
                      statement=(sp.Eq(sp.Derivative(x**3, x), 2 * x**2, evaluate=False),),
                      source=derive.Source("user", "", "(2)", "reconstructed"), derive=lambda ctx: [derive.Show(0)])
    table = derive.extend([good, bad], base=()).verify()
    assert table["mine.ok"].status is derive.Status.VERIFIED and table["mine.bad"].status is derive.Status.FAILED
    assert table.labels == ("mine.ok", "mine.bad") and not table.ok
    html, tex = table._repr_html_(), table._repr_latex_()
    assert "<table" in html and "mine.bad" in html and "counterexample" not in tex.split("mine.ok")[0]
    assert "counterexample" in table["mine.bad"]._repr_html_() and "counterexample" in table["mine.bad"]._repr_latex_()
    s_html, s_tex = good._repr_html_(), good._repr_latex_()
    assert "mine.ok" in s_html and "ok" in s_tex and "mine.ok" in s_tex
    only = derive.extend([good, bad], base=()).verify(only=["mine.ok"])
    assert only.labels == ("mine.ok",)
    with pytest.raises(derive.InputError, match="did you mean"):
        derive.extend([good], base=()).verify(only=["mine.okk"])
    with pytest.raises(derive.InputError):
        derive.extend([good, good], base=())
