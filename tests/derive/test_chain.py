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

    def test_jobs_are_modules_costliest_first_and_cover_each_step_once(self):
        from derive.contents import COST, _jobs

        todo = derivation().closure(["learning.stationary", "canonical.force"])
        jobs = _jobs(todo, 7)
        assert [lab for group, _ in jobs for lab in group].count("canonical.ensemble") == 1
        assert sorted(lab for group, _ in jobs for lab in group) == sorted(todo)
        assert all(len({lab.split(".")[0] for lab in group}) == 1 and seed == 7 for group, seed in jobs)
        first, last = sorted(("canonical", "learning"), key=lambda m: -COST[m])
        assert COST[first] > COST[last]
        assert jobs[0][0][0].startswith(first + ".") and jobs[-1][0][0].startswith(last + ".")
        # every module of the chain has a cost; a module without one goes first
        assert {lab.split(".")[0] for lab in derivation().labels} <= set(COST)
        assert _jobs(["zz.new", "canonical.energy"], 7)[0][0] == ("zz.new",)


class TestChainRecords:
    """Verdicts inherit: postulates, conditions of conditional premises, and failures upstream."""

    @staticmethod
    def _chain(premise_claim, kind=Kind.POSTULATE):
        from derive.proof import Condition, Show
        a = sp.Symbol("a", real=True)
        base = Step(label="t.base", title="base", kind=kind, statement=(sp.Eq(a, premise_claim, evaluate=False),),
                    source=SRC, derive=None if kind.is_input else (lambda ctx: [Show(0)]),
                    conditions=(Condition("a > 0", holds=a > 0),) if kind is Kind.CONDITIONAL else ())
        use = Step(label="t.use", title="use", kind=Kind.IDENTITY, premises=("t.base",),
                   statement=(sp.Eq(sp.Symbol("b"), 2 * a, evaluate=False),), source=SRC,
                   derive=lambda ctx: [Show(0, {sp.Symbol("b"): 2 * ctx["t.base"].statement[0].lhs})])
        return Derivation((base, use))

    def test_postulate_is_inherited(self):
        v = {x.label: x for x in self._chain(1).verify()}
        assert v["t.use"].status.value == "verified"
        assert v["t.use"].chain.status == "conditional" and v["t.use"].chain.postulates == ("t.base",)

    def test_failed_premise_makes_dependents_unsupported(self):
        v = {x.label: x for x in self._chain(sp.Symbol("a", real=True) + 1, kind=Kind.IDENTITY).verify()}
        assert v["t.base"].status.value == "failed"
        assert v["t.use"].status.value == "verified" and v["t.use"].chain.status == "unsupported"
        assert v["t.use"].chain.unsupported_by == ("t.base",)

    def test_conditions_are_inherited(self):
        a = sp.Symbol("a", real=True)
        v = {x.label: x for x in self._chain(a + 0, kind=Kind.CONDITIONAL).verify()}
        assert v["t.base"].status.value == "conditional"
        assert v["t.use"].chain.status == "conditional" and "t.base: a > 0" in v["t.use"].chain.conditions

    def test_selection_verifies_what_it_rests_on(self):
        v = self._chain(1).verify(["t.use"])
        assert [x.label for x in v] == ["t.use"] and v[0].chain is not None
