"""tools/pool_width.py: the width checks of independent runs pooled into one record."""

import importlib.util
import json
from pathlib import Path

import pytest

from numerics.circulation.width import pool_runs

ROOT = Path(__file__).resolve().parents[2]
SOFT = ROOT / "papers/data/softspin_full.json"


def _tool():
    spec = importlib.util.spec_from_file_location("pool_width", ROOT / "tools/pool_width.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class TestPoolWidth:
    def test_pools_the_width_rows_of_each_record(self, tmp_path):
        rec = json.loads(SOFT.read_text())
        other = dict(rec, seed=rec["seed"] + 1)
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        a.write_text(json.dumps(rec))
        b.write_text(json.dumps(other))
        out = _tool().pool([a, b])
        want = pool_runs([{"rows": rec["width"]["rows"], "seed": rec["seed"]},
                          {"rows": rec["width"]["rows"], "seed": rec["seed"] + 1}])
        assert out["pooled"] == want["pooled"] and out["seeds"] == [rec["seed"], rec["seed"] + 1]
        one = pool_runs([{"rows": rec["width"]["rows"], "seed": rec["seed"]}])
        assert out["pooled"]["linear"]["n"] == 2 * one["pooled"]["linear"]["n"] > 0

    def test_refuses_runs_of_the_same_seed(self, tmp_path):
        with pytest.raises(ValueError, match="different seeds"):
            _tool().pool([SOFT, SOFT])

    def test_bad_input_exits_2_and_writes_nothing(self, tmp_path, capsys):
        out = tmp_path / "pooled.json"
        assert _tool().main([str(SOFT), "-o", str(out)]) == 2
        assert _tool().main([str(SOFT), str(tmp_path / "missing.json"), "-o", str(out)]) == 2
        assert not out.exists()
        assert capsys.readouterr().err.count("\n") == 2
