"""Tests for derive.multivalued: the multivaluedness postulate and why it cannot be derived."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import multivalued as mv
from derive.contents import derivation
from derive.errors import InputError
from derive.symbols import T, mu, n
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestPostulate:
    def test_is_an_assumed_input(self):
        s = derivation().step("multivalued.postulate")
        assert s.kind.value == "postulate" and s.kind.is_input
        assert verify_label("multivalued.postulate").status is Status.ASSUMED

    def test_consequences_name_it(self):
        s = derivation().step("quantization.single-valued")
        assert "multivalued.postulate" in s.premises
        assert any("multivalued.postulate" in str(c) or getattr(c, "postulate", None) == "multivalued.postulate"
                   for c in s.conditions)


class TestCirculationRecord:
    RECORD = {"verdict": "CLASSICAL CURRENT, NOT QUANTIZATION: Gamma grows with the loop. Loop size: ...",
              "command": "eqnn experiment circulation --seed 3", "seed": 3, "n_networks": 5000,
              "n_steps": 2000, "figures": {"alpha": 2.0}}

    def test_absent_file_says_not_yet_run(self, tmp_path):
        assert mv.read_circulation(tmp_path / "circulation.json") is None
        assert "not yet run" in mv.circulation_sentence(None)

    def test_recorded_verdict_is_cited(self, tmp_path):
        path = tmp_path / "circulation.json"
        path.write_text(json.dumps(self.RECORD | {"date": "2025-02-01"}))
        rec = mv.read_circulation(path)
        assert rec.seed == 3 and rec.n_networks == 5000 and rec.figures["alpha"] == 2.0
        sentence = mv.circulation_sentence(rec)
        assert "CLASSICAL CURRENT, NOT QUANTIZATION: Gamma grows with the loop." in sentence
        assert "Loop size" not in sentence  # one sentence: the verdict's outcome line
        for part in ("eqnn experiment circulation --seed 3", "seed 3", "5000 networks", "2000 steps", "2025-02-01"):
            assert part in sentence

    @pytest.mark.parametrize("bad", [{"seed": "3"}, {"n_networks": 0}, {"verdict": ""}, {"figures": []},
                                     {"seed": True}, {"date": 5}])
    def test_malformed_record_raises(self, tmp_path, bad):
        path = tmp_path / "circulation.json"
        path.write_text(json.dumps(self.RECORD | bad))
        with pytest.raises(InputError):
            mv.read_circulation(path)

    def test_missing_key_and_bad_json_raise(self, tmp_path):
        path = tmp_path / "circulation.json"
        path.write_text(json.dumps({k: v for k, v in self.RECORD.items() if k != "n_steps"}))
        with pytest.raises(InputError, match="n_steps"):
            mv.read_circulation(path)
        path.write_text("{not json")
        with pytest.raises(InputError):
            mv.read_circulation(path)

    def test_postulate_note_cites_the_package_record(self):
        note = derivation().step("multivalued.postulate").note
        assert note.endswith(mv.circulation_sentence(mv.read_circulation()))
        assert "Circulation experiment" in note


class TestOmegaSingleValued:
    def test_verified_theorem_with_counter_case(self):
        v = verify_label("multivalued.omega-single-valued")
        assert v.status is Status.VERIFIED and v.step.kind.value == "theorem"

    def test_counter_case_is_displayed(self):
        st = _statement("multivalued.omega-single-valued")
        assert len(st) == 5 and isinstance(st[3], sp.Unequality)

    def test_planted_circulation_fails(self):
        st = list(_statement("multivalued.omega-single-valued"))
        st[1] = sp.Eq(st[1].lhs, mu, evaluate=False)  # "the exchange force circulates mu": no
        assert verify_planted("multivalued.omega-single-valued", st).status is Status.FAILED

    def test_planted_curl_fails(self):
        st = list(_statement("multivalued.omega-single-valued"))
        st[0] = sp.Eq(st[0].lhs, mu, evaluate=False)
        assert verify_planted("multivalued.omega-single-valued", st).status is Status.FAILED

    def test_planted_counter_case_circulation_fails(self):
        st = list(_statement("multivalued.omega-single-valued"))
        st[3] = sp.Ne(st[3].lhs, mu, evaluate=False)  # circulation - mu = (n - 1) mu: 0 at the point n = 1
        assert verify_planted("multivalued.omega-single-valued", st).status is Status.FAILED

    def test_counter_case_circulation(self):
        circ = mv._circulation(mv.vortex_free_energy()).subs({n: 2, mu: sp.Rational(3, 2), mv._r: sp.Rational(1, 2)})
        assert float(circ.evalf(30)) == pytest.approx(3.0, abs=1e-12)


class TestBoundedGradient:
    def test_conditional_negative_result_with_proven_inequalities(self):
        v = verify_label("multivalued.bounded-gradient")
        assert v.status is Status.CONDITIONAL and v.step.kind.value == "negative result"
        assert v.counts.inequalities == 3

    def test_planted_bound_plus_100_fails(self):
        st = list(_statement("multivalued.bounded-gradient"))
        st[3] = sp.Lt(st[3].lhs + 100, st[3].rhs, evaluate=False)  # 2 pi r B + 100 < |n mu|: no
        assert verify_planted("multivalued.bounded-gradient", st).status is Status.FAILED

    def test_planted_gradient_bound_fails(self):
        st = list(_statement("multivalued.bounded-gradient"))
        st[0] = sp.Le(st[0].lhs, st[0].rhs / 2, evaluate=False)  # |dF| <= B/2 does not follow
        assert verify_planted("multivalued.bounded-gradient", st).status is Status.FAILED

    def test_planted_dropped_two_fails(self):
        st = list(_statement("multivalued.bounded-gradient"))
        st[2] = sp.Eq(st[2].lhs, st[2].rhs * 2, evaluate=False)  # |n mu|/(pi r): a dropped 2
        assert verify_planted("multivalued.bounded-gradient", st).status is Status.FAILED


class TestDrivenLoop:
    def test_verified(self):
        assert verify_label("multivalued.driven-loop").status is Status.VERIFIED

    def test_planted_book_fails(self):
        a, b, c = _statement("multivalued.driven-loop")
        planted = sp.Eq(a.lhs, a.rhs + mu, evaluate=False)  # "the loop adds n mu": no
        assert verify_planted("multivalued.driven-loop", [planted, b, c]).status is Status.FAILED

    def test_coupled_work_rate_is_exactly_nonzero(self):
        v = verify_label("multivalued.driven-loop")
        assert any(text.endswith(": -1") for _, text in v.exact)

    @settings(max_examples=30, deadline=None)
    @given(st.lists(st.integers(0, 9), min_size=5, max_size=5), st.integers(0, 2**31 - 1))
    def test_pathwise_identity_numerically(self, Ns, seed):
        # a random F_N(q) on a random closed polygon with jumps: W + J = F_{N_end}(q0) - F_{N_start}(q0)
        rng = np.random.default_rng(seed)
        c = rng.normal(size=(10, 3))
        F = lambda N, x: c[N, 0] * np.sin(x[0]) + c[N, 1] * x[1] ** 2 + c[N, 2] * x[0] * x[1]  # noqa: E731
        pts = rng.normal(size=(4, 2))
        W = sum(F(Ns[i], pts[(i + 1) % 4]) - F(Ns[i], pts[i]) for i in range(4))
        J = sum(F(Ns[i + 1], pts[(i + 1) % 4]) - F(Ns[i], pts[(i + 1) % 4]) for i in range(4))
        assert W + J == np.float64(W + J)
        assert abs(W + J - (F(Ns[4], pts[0]) - F(Ns[0], pts[0]))) < 1e-9


class TestCurvature:
    def test_verified_approximation_on_examples(self):
        v = verify_label("multivalued.curvature")
        assert v.status is Status.VERIFIED and v.step.kind.value == "approximation"
        assert v.step.depth.startswith("examples: n = 1, 2, 3") and v.counts.rewrites_witnessed == 3

    def test_planted_dropped_half_fails(self):
        (a,) = _statement("multivalued.curvature")
        planted = sp.Eq(a.lhs, a.rhs + n ** 2 * T / (2 * mv._VarN), evaluate=False)  # n^2 T/Var N
        assert verify_planted("multivalued.curvature", [planted]).status is Status.FAILED
