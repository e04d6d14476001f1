"""Tests of derive.seeds: the one default seed and keyed child streams."""

import numpy as np
import pytest

from derive.errors import InputError
from derive.seeds import DEFAULT_SEED, check_seed, key, parse_seeds, rng, sequence, spawn


class TestPolicy:
    def test_default_seed(self):
        assert DEFAULT_SEED == 20201209

    def test_keyed_streams_are_reproducible_and_distinct(self):
        assert rng(5, "a", 2).integers(1 << 62) == rng(5, "a", 2).integers(1 << 62)
        draws = {rng(5, k).integers(1 << 62) for k in ("a", "b", 0, 1)} | {rng(6, "a").integers(1 << 62)}
        assert len(draws) == 5

    def test_integer_keys_are_the_historic_streams(self):
        # default_rng([seed, index]) is what the experiment's configurations have always used
        assert rng(20120505, 3).normal() == np.random.default_rng([20120505, 3]).normal()

    def test_spawn_children(self):
        kids = spawn(1, 3, "workers")
        assert len(kids) == 3 and len({np.random.default_rng(k).integers(1 << 62) for k in kids}) == 3
        assert kids[0].entropy == sequence(1, "workers").entropy

    @pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
    def test_bad_seed_is_one_line(self, bad):
        with pytest.raises(InputError) as info:
            check_seed(bad)
        assert "\n" not in str(info.value) and "seed" in str(info.value)

    @pytest.mark.parametrize("bad", [-1, 1.5, None])
    def test_bad_key(self, bad):
        with pytest.raises(InputError):
            key(bad)


class TestParseSeeds:
    def test_range(self):
        assert parse_seeds("0:200") == range(0, 200)

    @pytest.mark.parametrize("bad", ["", "5", "3:3", "4:2", "-1:3", "a:b", "1:2:3"])
    def test_bad(self, bad):
        with pytest.raises(InputError, match="A:B"):
            parse_seeds(bad)
