"""The verifier must not be able to lie: wrong claims fail, false zeros are caught."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

import derive.verify as verify_mod
from derive.step import Kind, Obligation, Provenance, Source, Step
from derive.verify import Status, numeric_residuals, symbolic_residual, random_function, verify_step

SRC = Source("referee", "§D.1", "", Provenance.RECONSTRUCTED)
q = sp.Symbol("q", real=True)
p = sp.Function("p", positive=True)
F = sp.Function("F", real=True)


def one_step(obligations, kind=Kind.IDENTITY, conditions=()):
    obs = tuple(obligations)
    return Step(label="demo.check", title="demo", kind=kind, statement=(sp.Eq(q, q, evaluate=False),),
                source=SRC, conditions=conditions, derive=lambda ctx: obs)


class TestStatus:
    def test_ok(self):
        assert Status.VERIFIED.ok and Status.CONDITIONAL.ok and Status.ASSUMED.ok
        assert not Status.FAILED.ok and not Status.INCONCLUSIVE.ok


class TestVerdict:
    def test_true_identity_verified(self):
        # (p F')' = p' F' + p F''
        ob = Obligation("product rule", sp.diff(p(q) * sp.diff(F(q), q), q),
                        sp.diff(p(q), q) * sp.diff(F(q), q) + p(q) * sp.diff(F(q), q, 2))
        v = verify_step(one_step([ob]), {})
        assert v.status is Status.VERIFIED
        assert v.numeric.points == 5 and v.numeric.max_abs_residual < v.numeric.tolerance

    def test_conditions_make_conditional(self):
        ob = Obligation("o", sp.log(p(q) ** 2), 2 * sp.log(p(q)))
        v = verify_step(one_step([ob], kind=Kind.CONDITIONAL, conditions=("p > 0",)), {})
        assert v.status is Status.CONDITIONAL and "p > 0" in v.reason

    @pytest.mark.parametrize("planted", [2, -1, sp.Rational(1, 2)])
    def test_wrong_factor_fails_with_counterexample(self, planted):
        ob = Obligation("product rule", sp.diff(p(q) * sp.diff(F(q), q), q),
                        planted * sp.diff(p(q), q) * sp.diff(F(q), q) + p(q) * sp.diff(F(q), q, 2))
        v = verify_step(one_step([ob]), {})
        assert v.status is Status.FAILED
        point = dict(v.numeric.counterexample)
        assert "q" in point and float(point["|residual|"]) > 0

    def test_sympy_false_zero_is_caught(self):
        """SymPy 1.14 integrates 1/(a x^2 + b x + c) to 0 (sympy#29081): quadrature disagrees."""
        a, b, c, x = sp.symbols("a b c x", positive=True)
        ob = Obligation("false zero", sp.Integral(1 / (a * x**2 + b * x + c), (x, 0, 1)), 0)
        v = verify_step(one_step([ob]), {})
        assert v.status in (Status.FAILED, Status.INCONCLUSIVE)
        assert v.status is not Status.VERIFIED

    def test_patched_simplifier_cannot_verify_a_wrong_claim(self, monkeypatch):
        monkeypatch.setattr(verify_mod, "symbolic_residual", lambda ob, **kw: (sp.S.Zero, "patched"))
        ob = Obligation("wrong", sp.sin(q) ** 2, 1 - sp.cos(q) ** 2 + q**3 / 10**6)
        v = verify_step(one_step([ob]), {})
        assert v.symbolic.as_expected and v.status is Status.FAILED

    def test_simplifier_blind_spot_is_inconclusive(self):
        a, b = sp.symbols("a b", positive=True)  # sympy#14290: not reduced, yet true
        v = verify_step(one_step([Obligation("o", sp.sqrt(a**2 + 2 * a * b + b**2), a + b)]), {})
        assert v.status is Status.INCONCLUSIVE

    def test_negative_claim_needs_a_counterexample(self):
        v = verify_step(one_step([Obligation("nonzero", sp.sin(q), 0, expect_zero=False)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.VERIFIED
        v = verify_step(one_step([Obligation("really zero", sp.sin(q) ** 2 + sp.cos(q) ** 2, 1,
                                             expect_zero=False)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.FAILED

    def test_no_admissible_point_is_inconclusive(self):
        x = sp.Symbol("x", positive=True)
        ob = Obligation("o", x, x, where=x < 0)
        v = verify_step(one_step([ob]), {})
        assert v.status is Status.INCONCLUSIVE

    def test_json_contract(self):
        v = verify_step(one_step([Obligation("o", q, q)]), {})
        j = v.to_json()
        for key in ("label", "title", "kind", "status", "premises", "assumptions", "conditions", "source"):
            assert key in j
        assert set(j["symbolic"]) >= {"residual", "seconds"}
        assert set(j["numeric"]) >= {"points", "max_abs_residual", "tolerance"}

    def test_assumed(self):
        s = Step(label="demo.def", title="d", kind=Kind.DEFINITION, statement=(sp.Eq(q, q, evaluate=False),),
                 source=SRC)
        assert verify_step(s, {}).status is Status.ASSUMED


class TestWitnesses:
    def test_symbolic_records_method(self):
        r, method = symbolic_residual(Obligation("o", (q + 1) ** 2, q**2 + 2 * q + 1))
        assert r == 0 and method == "expand"

    @given(st.integers(0, 10**6))
    def test_test_functions_respect_assumptions(self, seed):
        rng = np.random.default_rng(seed)
        f = random_function(p, 2, rng)
        x0, x1 = f.variables
        for point in ((0.3, -1.2), (1.5, 0.7)):
            assert float(f.expr.subs({x0: point[0], x1: point[1]})) > 0
        g = random_function(F, 1, rng)
        assert g.expr.subs(g.variables[0], 0.4).is_real

    def test_numeric_residuals_seeded(self):
        ob = Obligation("o", sp.diff(F(q) ** 2, q), 2 * F(q) * sp.diff(F(q), q))
        a = numeric_residuals(ob, seed=3)
        b = numeric_residuals(ob, seed=3)
        assert [x[0] for x in a] == [x[0] for x in b]
        assert max(r for _, r, _ in a) < 1e-20


class TestRegressions:
    def test_unevaluable_numeric_witness_is_inconclusive_not_failed(self, monkeypatch):
        """An obligation the numeric witness cannot evaluate must not be reported as refuted."""
        def broken(*args, **kw):
            raise ValueError("cannot evaluate this")
        monkeypatch.setattr(verify_mod, "numeric_residuals", broken)
        v = verify_step(one_step([Obligation("o", q, q)]), {})
        assert v.status is Status.INCONCLUSIVE and "could not evaluate" in v.reason


class TestTestFunction:
    @given(st.integers(0, 10**6), st.sampled_from([p, F, sp.Function("psi")]))
    def test_direct_evaluation_matches_sympy_form(self, seed, f):
        import mpmath
        tf = random_function(f, 2, np.random.default_rng(seed))
        point = (0.37, -1.1)
        exact = complex(tf.expr.subs(dict(zip(tf.variables, point))).evalf(30))
        with mpmath.workdps(30):
            direct = complex(tf(*(mpmath.mpf(x) for x in point)))
        assert abs(direct - exact) < 1e-13 * max(1, abs(exact))  # compared in double precision


class TestReprLatex:
    def test_verdict_renders_statement_and_status(self):
        from derive.contents import verify
        v = verify(["canonical.force"], workers=1)[0]
        out = v._repr_latex_()
        assert out.startswith("$") and out.endswith("$")
        assert "verified" in out and r"\partial_{q_{1}}" in out and "points" in out
