import pytest
import sympy as sp

from derive.chain import Derivation
from derive.contents import CONTENTS, derivation, verify
from derive.errors import InputError
from derive.step import Kind, Provenance, Source, Step

x = sp.Symbol("x")
SRC = Source("KV2021", "§2", "", Provenance.RECONSTRUCTED)


def d(label, premises=()):
    return Step(label=label, title=label, kind=Kind.POSTULATE, statement=(sp.Eq(x, 1, evaluate=False),),
                source=SRC, premises=premises)


class TestDerivation:
    def test_unknown_premise(self):
        with pytest.raises(ValueError, match="unknown step"):
            Derivation((d("a.one", ("a.missing",)),))

    def test_cycle(self):
        with pytest.raises(ValueError, match="cycle"):
            Derivation((d("a.one", ("a.two",)), d("a.two", ("a.one",))))

    def test_duplicate(self):
        with pytest.raises(ValueError, match="duplicate"):
            Derivation((d("a.one"), d("a.one")))

    def test_topological_and_paper_order(self):
        chain = Derivation((d("a.late", ("a.early",)), d("a.early")))
        assert chain.labels == ("a.late", "a.early")
        assert chain.topological.index("a.early") < chain.topological.index("a.late")
        assert chain.ancestors("a.late") == ("a.early",)

    def test_unknown_label_is_input_error(self):
        with pytest.raises(InputError, match="unknown step label 'no.such'"):
            Derivation((d("a.one"),)).step("no.such")


class TestContents:
    def test_every_section_module_contributes(self):
        import importlib
        labels = set(derivation().labels)
        for section in CONTENTS:
            for module in section.modules:
                own = [s.label for s in importlib.import_module(f"derive.{module}").steps()]
                assert own and set(own) <= labels, module

    def test_every_step_cites_a_source(self):
        for s in derivation().steps:
            assert s.source.section or s.source.equation, s.label
            assert s.source.provenance in Provenance

    def test_parallel_equals_serial(self):
        labels = ["canonical.energy", "canonical.force", "learning.stationary"]
        par = verify(labels, workers=2)
        ser = verify(labels, workers=1)
        assert [v.status for v in par] == [v.status for v in ser]
        assert [v.label for v in par] == ["canonical.force", "canonical.energy", "learning.stationary"]
