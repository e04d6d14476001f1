"""papers.bibliography: every source key resolves, the BibTeX is well formed, the layout map says how it is known."""

import re

import pytest

from derive.contents import derivation
from derive.errors import InputError
from papers import bibliography as bib


def test_every_step_source_is_a_bibliography_key():
    missing = {s.label: s.source.paper for s in derivation().steps if s.source.paper not in bib.KEYS}
    assert not missing, f"source keys not in papers.bibliography: {missing}"


def test_keys_unique_and_required_ones_present():
    keys = [p.key for p in bib.PAPERS]
    assert len(keys) == len(set(keys))
    for key in ("KV2021", "V2020a", "V2020b", "V2021", "V2025", "referee", "Wallstrom1994", "Madelung1927",
                "Nelson1966", "talk-indico"):
        assert key in bib.KEYS


def test_target_paper_record():
    kv = bib.paper("KV2021")
    assert (kv.eprint, kv.journal, kv.volume, kv.pages, kv.doi) == (
        "2012.05082", "Foundations of Physics", "51", "94", "10.1007/s10701-021-00503-3")
    assert "no equation" in kv.seen


def test_unknown_key_is_one_line_input_error():
    with pytest.raises(InputError) as err:
        bib.paper("KV2099")
    assert "\n" not in str(err.value) and "KV2099" in str(err.value)


def test_bibtex_is_balanced_and_complete():
    text = bib.to_bibtex()
    assert text.count("{") == text.count("}")
    entries = re.findall(r"^@(\w+)\{([^,]+),", text, flags=re.M)
    assert sorted(k for _, k in entries) == sorted(bib.KEYS)
    assert all(ord(ch) < 128 for ch in text), "BibTeX output must be ASCII (TeX accents for umlauts)"


def test_anchors_say_how_they_are_known():
    kv = bib.anchors("KV2021")
    assert {a.equations for a in kv} >= {"(3.7)", "(3.7)-(3.13)", "(4.1)-(4.8)"}
    assert all(a.evidence is bib.Evidence.SECONDARY for a in kv if a.equations)


def test_open_questions_follow_the_reconstruction():
    assert len(bib.OPEN_QUESTIONS) == 9
    assert all(title and body for title, body in bib.OPEN_QUESTIONS)
