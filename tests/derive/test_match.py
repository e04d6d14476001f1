"""Matching equations typed from the paper against the steps' displays (derive.match)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.cli import main
from derive.errors import InputError
from derive.match import PROVENANCE_CONFIRMED, confirmations, match, match_file, readings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "paper-equations.tex"
CONTINUITY = r"\frac{\partial p}{\partial t} + \nabla\cdot\left(\frac{p\,\nabla S}{m}\right) = 0"


def _holds(rep, label):
    return [r.reading for r in rep.readings if r.ok and r.label == label]


def test_readings_enumerate_the_sign_cases():
    from derive.contents import derivation

    rs = readings(derivation().step("madelung.equations"))
    assert {(r["s2"], r["s4"], r["lambda"]) for r in rs} == {
        (a, b, c) for a in ("+1", "-1", "0") for b in ("+1", "-1") for c in ("+", "-")}


def test_continuity_holds_in_every_sign_case():
    rep = match(CONTINUITY, "madelung.equations")
    assert rep.matched and len(_holds(rep, "madelung.equations")) == 12
    assert all(r.relation == 1 for r in rep.readings)


def test_continuity_with_the_mass_written_out_names_s4():
    rep = match(r"\partial_t p + \nabla\cdot(2\gamma\, p\nabla S) = 0", "madelung.equations")
    assert {r["s4"] for r in _holds(rep, "madelung.equations")} == {"+1"}
    bad = [r for r in rep.readings if not r.ok]
    assert bad and all(r.counterexample and r.residual for r in bad)


def test_mistyped_sign_is_a_mismatch_with_residual():
    rep = match(r"\partial_t p - \nabla\cdot\left(\frac{p\nabla S}{m}\right) = 0", "madelung.equations")
    assert not rep.matched
    r = rep.readings[0]
    assert r.ok is False and r.relation == 1 and r.residual not in ("", "0")
    assert float(r.counterexample["residual"]) > 0
    assert main(["match", "madelung.equations",
                 r"\partial_t p - \nabla\cdot\left(\frac{p\nabla S}{m}\right) = 0"]) == 1


def test_quantum_hamilton_jacobi():
    rep = match(r"\partial_t S + \frac{(\nabla S)^2}{2m} + V - \frac{\hbar_c^2}{2m}\frac{\nabla^2\sqrt{p}}{\sqrt{p}} = 0",
                "madelung.equations")
    assert rep.matched and all(r.relation == 2 for r in rep.readings if r.ok)


@pytest.mark.parametrize("tex, relation", [
    (r"\ell_2 = \gamma\,\partial^2_{q_k} F", 1),
    (r"\ell_3 = \lambda\,\partial_t F", 2),
    (r"\ell_4 = \lambda\gamma\left(\partial_{q_k} F\right)^2", 3),
    (r"\ell_5 = \lambda V", 4),
    (r"\ell_1 = -4D\,\frac{\partial^2}{\partial q_k^2}", 0),
])
def test_the_five_terms_of_2008_01540(tex, relation):
    rep = match(tex, "action.terms")
    assert rep.matched and {r.relation for r in rep.readings if r.ok} == {relation}


def test_mistyped_term_sign():
    rep = match(r"\ell_4 = -\lambda\gamma\left(\partial_{q_k} F\right)^2", "action.terms")
    assert not rep.matched and all(r.relation == 3 for r in rep.readings)


def test_schrodinger_equation_and_hbar():
    rep = match(r"i\hbar\partial_t\psi = -\frac{\hbar^2}{2m}\nabla^2\psi + V\psi", "schrodinger.equation")
    assert rep.matched and _holds(rep, "schrodinger.equation")[0]["s4"] == "+1"
    rep = match(r"\hbar = \frac{|\mu|}{2\pi k}", "quantization.single-valued")
    assert rep.matched and rep.readings[0].relation == 1
    assert not match(r"\hbar = \frac{|\mu|}{\pi k}", "quantization.single-valued").matched


def test_factor_only_when_allowed():
    tex = r"2\partial_t p + 2\nabla\cdot\left(\frac{p\nabla S}{m}\right) = 0"
    assert not match(tex, "madelung.equations").matched
    rep = match(tex, "madelung.equations", up_to_factor=True)
    assert rep.matched and rep.readings[0].factor == "2"


def test_search_the_chain():
    rep = match(r"\psi = \sqrt{p}\, e^{iS/\hbar}")
    assert "madelung.schrodinger" in rep.labels


def test_bad_input():
    with pytest.raises(InputError, match="unknown step label"):
        match("a = b", "madelung.nosuch")
    with pytest.raises(InputError, match="not a relation"):
        match(r"\partial_t p", "madelung.equations")
    assert main(["match", "nosuch.step", "a = b"]) == 2


def test_cli_json(capsys):
    assert main(["match", "madelung.equations", CONTINUITY, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["matched"] and out["labels"] == ["madelung.equations"]


def test_file_table_and_narrowed_variants(capsys):
    assert main(["match", "--file", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "madelung.equations" in out and "action.terms" in out and "quantization.single-valued" in out
    assert "s4: +1, -1 -> +1   ruled out: -1" in out
    rep = match_file(EXAMPLE)
    assert rep.ruled_out["s4"] == ["-1"]
    assert all(r is not None and r.matched for _, r, _ in rep.entries)


def test_confirmations():
    conf = confirmations(EXAMPLE)
    assert {"action.terms", "madelung.equations", "quantization.single-valued"} <= set(conf)
    c = conf["madelung.equations"]
    assert c.provenance == PROVENANCE_CONFIRMED and c.section == "§5" and c.equation == "5.4"
    assert all(r["s4"] == "+1" for r in c.readings)


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.tex"
    bad.write_text("no colon here\n")
    with pytest.raises(InputError, match="expected"):
        match_file(bad)
    assert main(["match", "--file", str(tmp_path / "none.tex")]) == 2
