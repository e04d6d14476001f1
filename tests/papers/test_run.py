"""papers.run: the summary table, the totals, the exit status, and the main job end to end on a small chain."""

import sympy as sp

import derive.cli as cli
import derive.contents
from derive.canonical import steps as canonical_steps
from derive.chain import Derivation
from derive.step import Kind, Obligation, Provenance, Source, Step
from derive.verify import Status
from papers import latex
from papers import run as run_module
from tests.papers._standin import check, stress_step, verdict


def eqnn(monkeypatch, argv):
    monkeypatch.setattr(cli, "_plugin_commands", lambda: [latex.COMMAND, run_module.COMMAND])
    return cli.main(argv)


def small_chain(failing: bool = False) -> Derivation:
    steps = list(canonical_steps()[:2])  # canonical.ensemble (assumed), canonical.force (verified)
    if failing:
        x = sp.Symbol("x", positive=True)
        steps.append(Step(label="planted.wrong-power", title="x^2 = x^3 (planted error)", kind=Kind.IDENTITY,
                          statement=(sp.Eq(x ** 2, x ** 3, evaluate=False),),
                          source=Source("referee", "§1", "", Provenance.RECONSTRUCTED),
                          derive=lambda ctx: [Obligation("power", x ** 2, x ** 3)]))
    return Derivation(tuple(steps))


def test_summary_table_columns_and_marks():
    s = stress_step()
    verdicts = [verdict(s, Status.VERIFIED)]
    table = run_module.summary_table(verdicts, [check(s.label, 1.5), check(s.label, -4.9, passed=False)])
    header, rule, row = table.splitlines()
    assert header.split() == ["step", "source", "status", "chain", "witnesses", "cross-check", "z", "s"]
    assert s.label in row and "verified" in row and "-4.90 FAIL (2)" in row


def test_result_ok_only_when_nothing_failed(tmp_path):
    s = stress_step()
    good = run_module.RunResult((verdict(s, Status.CONDITIONAL),), (check(s.label),), "", tmp_path, None)
    assert good.ok
    for bad in (run_module.RunResult((verdict(s, Status.INCONCLUSIVE),), (), "", tmp_path, None),
                run_module.RunResult((verdict(s, Status.FAILED),), (), "", tmp_path, None),
                run_module.RunResult((verdict(s, Status.VERIFIED),), (check(s.label, 9.0, False),), "", tmp_path,
                                     None),
                run_module.RunResult((verdict(s, Status.VERIFIED),), (), "", tmp_path, None, (), "TeX stopped")):
        assert not bad.ok
        assert "NOT ok" in run_module.totals(bad)


def test_main_job_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(derive.contents, "derivation", lambda: small_chain())
    # the forked worker inherits this stand-in for numerics.crosscheck.run
    monkeypatch.setattr(latex, "run_crosschecks", lambda seed, workers=None: ((check("canonical.force", 0.7),), ""))
    status = eqnn(monkeypatch, ["run", "-o", str(tmp_path / "build"), "--no-pdf", "--seed", "3", "--all"])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert "canonical.force" in out and "+0.70" in out and "cross-checks: 1 passed of 1" in out
    assert "verifying 2 steps" in err
    tex = (tmp_path / "build" / "eqnn.tex").read_text()
    assert r"\label{canonical.force}" in tex and "$z = +0.70$" in tex


def test_main_job_exit_1_on_a_failed_step(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(derive.contents, "derivation", lambda: small_chain(failing=True))
    monkeypatch.setattr(latex, "run_crosschecks", lambda seed, workers=None: ((), "stand-in: none"))
    assert eqnn(monkeypatch, ["run", "-o", str(tmp_path), "--no-pdf"]) == 1
    out = capsys.readouterr().out
    assert "planted.wrong-power" in out  # a step that does not pass is a row that needs attention
    assert "NOT ok" in out


def test_default_summary_fits_a_terminal_and_json_has_every_step(tmp_path):
    import json

    from derive.contents import derivation

    steps = derivation().steps
    statuses = list(Status)
    verdicts = tuple(verdict(s, statuses[i % len(statuses)]) for i, s in enumerate(steps))
    checks = tuple(check(s.label, 0.5) for s in steps[:20]) + (check(steps[0].label, 9.0, passed=False),)
    result = run_module.RunResult(verdicts, checks, "", tmp_path / "eqnn.tex", None, (("total", 1.0),))
    text = run_module.summary(result)
    assert len(text.splitlines()) <= run_module.MAX_LINES, text
    assert "needs attention:" in text and "experiment: circulation" in text and "hidden neurons" in text
    assert len(run_module.summary(result, wide=True).splitlines()) > len(steps)
    data = json.loads(json.dumps(run_module.to_json(result), default=str))
    assert len(data["steps"]) == len(steps) and data["ok"] is False
    # the four recorded experiments at learning equilibrium, each with its verdict read from its record
    keys = ["witten", "circulation2t", "width", "softspin"]
    assert [e["key"] for e in data["experiments_at_equilibrium"]] == keys
    lines = text.splitlines()
    for e in data["experiments_at_equilibrium"]:
        assert any(line.split()[:1] == [e["key"]] and e["verdict"][:40] in line for line in lines), e["key"]


def test_summary_says_when_no_experiment_at_equilibrium_is_recorded(monkeypatch):
    monkeypatch.setattr(run_module, "_equilibrium", lambda: ())
    assert run_module._equilibrium_lines() == ["experiments at learning equilibrium: not recorded"]
    assert run_module._equilibrium_records() == []


def test_crosscheck_errors_are_reported_not_lost(tmp_path, monkeypatch):
    def boom(seed, workers=None):
        raise RuntimeError("sampler exploded")

    monkeypatch.setattr(derive.contents, "derivation", lambda: small_chain())
    monkeypatch.setattr(latex, "run_crosschecks", boom)
    result = run_module.main_job(out_dir=tmp_path, pdf=False, say=lambda line: None)
    assert result.crosschecks == () and "sampler exploded" in result.crosscheck_note


def test_unwritable_output_is_exit_2_one_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert eqnn(monkeypatch, ["run", "-o", str(blocker / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("eqnn: error: cannot write to output folder")


def test_bad_seed_is_exit_2(monkeypatch, capsys):
    assert eqnn(monkeypatch, ["run", "--seed", "-4"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
