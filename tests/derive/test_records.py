"""derive.records: the Witten-map record cited by equilibrium.spectrum (derive never imports numerics)."""

import json

import pytest

from derive import records
from derive.errors import InputError


def test_missing_file_says_not_yet_run(tmp_path):
    assert records.read_witten(tmp_path / "none.json") is None
    assert "not yet run" in records.witten_sentence(None)


def test_record_round_trip(tmp_path):
    f = tmp_path / "w.json"
    f.write_text(json.dumps({"verdict": "WITTEN MAP HOLDS: r_n = E_n/2hbar. More.", "command": "eqnn experiment witten",
                             "seed": 1, "n_networks": 10, "size": "quick run", "figures": {}}))
    rec = records.read_witten(f)
    assert rec.headline == "WITTEN MAP HOLDS: r_n = E_n/2hbar."
    assert "seed 1" in records.witten_sentence(rec)


@pytest.mark.parametrize("bad", [[], {"verdict": "x"}, {"verdict": "", "command": "c", "seed": 1, "n_networks": 1,
                                                        "size": "q", "figures": {}}])
def test_malformed_record_raises(tmp_path, bad):
    f = tmp_path / "w.json"
    f.write_text(json.dumps(bad))
    with pytest.raises(InputError):
        records.read_witten(f)


def test_spectrum_note_cites_the_record():
    from derive.equilibrium import steps

    spectrum = next(s for s in steps() if s.label == "equilibrium.spectrum")
    assert spectrum.note.endswith(records.witten_sentence(records.read_witten()))
    shipped = records.read_witten()
    assert shipped is not None and shipped.command.startswith("eqnn experiment witten")
