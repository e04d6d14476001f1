import pytest

from derive import cache
from derive.contents import verify


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EQNN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("EQNN_NO_CACHE", raising=False)
    return tmp_path


class TestCache:
    def test_second_run_is_cached_and_identical(self, cache_dir):
        labels = ["canonical.force", "entropy.ito-term", "learning.langevin"]
        fresh = verify(labels, workers=1)
        again = verify(labels, workers=1)
        assert not any(v.cached for v in fresh) and all(v.cached for v in again)
        for a, b in zip(fresh, again):
            ja, jb = a.to_json(), b.to_json()
            ja.pop("cached"), jb.pop("cached")
            assert ja == jb

    def test_key_includes_seed(self, cache_dir):
        verify(["canonical.energy"], workers=1, seed=1)
        assert not verify(["canonical.energy"], workers=1, seed=2)[0].cached

    def test_disabled(self, cache_dir, monkeypatch):
        verify(["canonical.energy"], workers=1)
        monkeypatch.setenv("EQNN_NO_CACHE", "1")
        assert not verify(["canonical.energy"], workers=1)[0].cached
        assert not verify(["canonical.energy"], workers=1, use_cache=False)[0].cached

    def test_corrupt_entry_is_ignored(self, cache_dir):
        verify(["canonical.energy"], workers=1)
        for f in cache_dir.rglob("*.json"):
            f.write_text("{not json")
        v = verify(["canonical.energy"], workers=1)[0]
        assert not v.cached and v.status.ok

    def test_code_hash_is_stable(self):
        assert cache.code_hash() == cache.code_hash() and len(cache.code_hash()) == 20
