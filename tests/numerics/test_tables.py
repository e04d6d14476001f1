"""Tests of numerics.tables: the one table writer and the one tally."""

import pytest

from derive.errors import InputError
from numerics.tables import Tally, format_table, tally


class TestFormatTable:
    def test_widths_and_alignment(self):
        text = format_table([("a", "bb"), ("ccc", "1")], right=[1])
        assert text.splitlines() == ["a    bb", "---  --", "ccc   1"]

    def test_ragged_rows_refused(self):
        with pytest.raises(ValueError):
            format_table([("a", "b"), ("c",)])


class TestTally:
    def test_counts(self):
        class V:
            def __init__(self, passed):
                self.passed = passed
        t = tally([V(True), V(False), True])
        assert t == Tally(2, 3) and not t.all_passed and str(t) == "2/3 pass"

    def test_bad(self):
        with pytest.raises(InputError):
            Tally(4, 3)
