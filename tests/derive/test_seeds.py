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


class TestFixedAssumptionOrder:
    """SymPy's assumption queries shuffle with a stream of their own; the verifier fixes the order."""

    @staticmethod
    def _module():
        import sys

        import sympy  # noqa: F401

        return sys.modules["sympy.core.assumptions"]

    def test_inside_fixed_outside_sympys_own(self):
        from derive.seeds import _keep_order, fixed_assumption_order

        mod = self._module()
        own = mod.shuffle
        with fixed_assumption_order():
            assert mod.shuffle is _keep_order
            with fixed_assumption_order():
                assert mod.shuffle is _keep_order
            assert mod.shuffle is _keep_order
        assert mod.shuffle is own

    def test_restored_when_the_block_raises(self):
        from derive.seeds import fixed_assumption_order

        mod = self._module()
        own = mod.shuffle
        with pytest.raises(ZeroDivisionError):
            with fixed_assumption_order():
                1 / 0
        assert mod.shuffle is own

    def test_keep_order_leaves_the_list(self):
        from derive.seeds import _keep_order

        items = [3, 1, 2]
        _keep_order(items)
        assert items == [3, 1, 2]

    def test_verify_step_runs_in_the_fixed_order(self, monkeypatch):
        import derive.verify as V
        from derive.contents import derivation
        from derive.seeds import _keep_order

        seen = []
        real = V._verify_step
        monkeypatch.setattr(V, "_verify_step", lambda *a: seen.append(self._module().shuffle) or real(*a))
        d = derivation()
        V.verify_step(d.step("canonical.force"), d.premises_of("canonical.force"))
        assert seen == [_keep_order]

    def test_verdicts_are_those_of_sympys_shuffled_order(self):
        """The same fields, timings aside, with the order fixed and shuffled under two seeds of SymPy's stream."""
        import sympy as sp
        from sympy.core.random import seed as sympy_seed

        import derive.verify as V
        from derive.contents import derivation
        from derive.seeds import fixed_assumption_order

        d = derivation()
        labels = ("canonical.hessian", "entropy.production", "madelung.bound")

        def fields(fixed: bool) -> list:
            sp.core.cache.clear_cache()
            out = []
            for lab in labels:
                if fixed:
                    with fixed_assumption_order():
                        v = V._verify_step(d.step(lab), d.premises_of(lab), V.DEFAULT_SEED, V.DEFAULT_POINTS,
                                           V.DEFAULT_DPS)
                else:
                    v = V._verify_step(d.step(lab), d.premises_of(lab), V.DEFAULT_SEED, V.DEFAULT_POINTS,
                                       V.DEFAULT_DPS)
                f = v.to_json()
                for k in ("seconds",):
                    f.pop(k, None)
                for w in ("symbolic", "numeric"):
                    if isinstance(f.get(w), dict):
                        f[w].pop("seconds", None)
                out.append(f)
            return out
        fixed = fields(True)
        for s in (1, 2):
            sympy_seed(s)
            assert fields(False) == fixed
