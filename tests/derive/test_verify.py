"""The verifier must not be able to lie: it checks what a step displays, both sides, and nothing else.

Wrong claims fail with a counterexample, SymPy's false zeros are caught, inequalities need a proven
sign, negative results an exact nonzero point, rewrites are witnessed, unread premises and free-text
conditions are reported, and a derivation that misbehaves gives an ``inconclusive`` verdict.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import derive.verify as verify_mod
from derive.proof import Condition, Nonzero, Realise, Show
from derive.step import Kind, Obligation, Provenance, Source, Step
from derive.verify import Status, numeric_residuals, random_function, symbolic_residual, verify_step

SRC = Source("KV2021", "§2", "", Provenance.RECONSTRUCTED)
q = sp.Symbol("q", real=True)
p = sp.Function("p", positive=True)
F = sp.Function("F", real=True)


def one_step(statement, derive=None, kind=Kind.IDENTITY, conditions=(), given=(), premises=(), facts=(),
             variant=()):
    """A one-step derivation displaying ``statement``; by default every relation is shown as an identity."""
    statement = tuple(statement)
    derive = derive or (lambda ctx: [Show(i) for i in range(len(statement))])
    return Step(label="demo.check", title="demo", kind=kind, statement=statement, source=SRC,
                conditions=conditions, given=given, premises=premises, facts=facts, variant=variant, derive=derive)


def eq(a, b):
    return sp.Eq(a, b, evaluate=False)


PRODUCT_RULE = eq(sp.Derivative(p(q) * sp.Derivative(F(q), q), q),
                  sp.diff(p(q), q) * sp.diff(F(q), q) + p(q) * sp.diff(F(q), q, 2))


class TestStatus:
    def test_ok(self):
        assert Status.VERIFIED.ok and Status.CONDITIONAL.ok and Status.ASSUMED.ok and Status.VACUOUS.ok
        assert not Status.FAILED.ok and not Status.INCONCLUSIVE.ok


class TestDisplayIsTheClaim:
    def test_true_identity_verified(self):
        v = verify_step(one_step([PRODUCT_RULE]), {})
        assert v.status is Status.VERIFIED, v.reason
        assert v.numeric.points == 5 and v.numeric.max_abs_residual < v.numeric.tolerance

    @pytest.mark.parametrize("side", ["lhs", "rhs"])
    def test_planted_symbol_on_either_side_fails(self, side):
        eps = sp.Symbol("epsilon", positive=True)
        lhs, rhs = PRODUCT_RULE.lhs, PRODUCT_RULE.rhs
        planted = eq(lhs + eps, rhs) if side == "lhs" else eq(lhs, rhs + eps)
        assert verify_step(one_step([planted]), {}).status is Status.FAILED

    def test_display_says_two_derivation_cannot_say_one(self):
        """sin²x + cos²x = 2 displayed: whatever the derivation realises, the display is what is checked."""
        v = verify_step(one_step([eq(sp.sin(q) ** 2 + sp.cos(q) ** 2, 2)]), {})
        assert v.status is Status.FAILED

    @pytest.mark.parametrize("planted", [2, -1, sp.Rational(1, 2)])
    def test_wrong_factor_fails_with_counterexample(self, planted):
        wrong = eq(PRODUCT_RULE.lhs, planted * sp.diff(p(q), q) * sp.diff(F(q), q) + p(q) * sp.diff(F(q), q, 2))
        v = verify_step(one_step([wrong]), {})
        assert v.status is Status.FAILED
        point = dict(v.numeric.counterexample)
        assert "q" in point and float(point["residual"]) > 0

    def test_sympy_false_zero_is_caught(self):
        """SymPy 1.14 integrates 1/(a x^2 + b x + c) to 0 (sympy#29081): quadrature disagrees."""
        a, b, c, x = sp.symbols("a b c x", positive=True)
        v = verify_step(one_step([eq(sp.Integral(1 / (a * x**2 + b * x + c), (x, 0, 1)), 0)]), {})
        assert v.status in (Status.FAILED, Status.INCONCLUSIVE)

    def test_patched_simplifier_cannot_verify_a_wrong_claim(self, monkeypatch):
        monkeypatch.setattr(verify_mod, "symbolic_residual", lambda ob, **kw: (sp.S.Zero, "patched"))
        v = verify_step(one_step([eq(sp.sin(q) ** 2, 1 - sp.cos(q) ** 2 + q**3 / 10**6)]), {})
        assert v.symbolic.as_expected and v.status is Status.FAILED

    def test_simplifier_blind_spot_is_inconclusive(self):
        a, b = sp.symbols("a b", positive=True)  # sympy#14290: not reduced, yet true
        assert verify_step(one_step([eq(sp.sqrt(a**2 + 2 * a * b + b**2), a + b)]), {}).status is Status.INCONCLUSIVE

    def test_relation_not_shown_is_inconclusive(self):
        v = verify_step(one_step([PRODUCT_RULE, eq(q, q + 0)], derive=lambda ctx: [Show(0)]), {})
        assert v.status is Status.INCONCLUSIVE and "not shown" in v.reason

    def test_restatement_is_counted(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([eq(F(x), q)], derive=lambda ctx: [Show(0, {F(x): q})]), {})
        assert v.status is Status.VERIFIED and v.counts.restatements == 1
        assert v.symbolic.methods == ("by substitution",)

    def test_realisation_is_applied_to_both_sides(self):
        x = sp.Symbol("x", real=True)
        U = sp.Function("U", real=True)
        st_ = [eq(sp.Derivative(U(x), x), 2 * x)]
        assert verify_step(one_step(st_, derive=lambda ctx: [Show(0, {U(x): x**2})]), {}).status is Status.VERIFIED
        assert verify_step(one_step(st_, derive=lambda ctx: [Show(0, {U(x): x**3})]), {}).status is Status.FAILED


class TestGiven:
    def test_given_is_part_of_the_claim(self):
        U = sp.Symbol("U", real=True)
        good = one_step([eq(U, sp.sin(q) ** 2)], given=(eq(U, 1 - sp.cos(q) ** 2),))
        assert verify_step(good, {}).status is Status.VERIFIED
        bad = one_step([eq(U, sp.sin(q) ** 2)], given=(eq(U, 1 - sp.cos(q) ** 2 + sp.Rational(1, 7)),))
        assert verify_step(bad, {}).status is Status.FAILED

    def test_decorative_given_is_reported(self):
        W = sp.Symbol("W", real=True)
        v = verify_step(one_step([PRODUCT_RULE], given=(eq(W, q),)), {})
        assert v.status is Status.INCONCLUSIVE and "not used" in v.reason


class TestFacts:
    def test_fact_tied_to_display(self):
        x = sp.Symbol("x", real=True)
        G = sp.Function("G", real=True)
        def derive(ctx):
            return [Show(0, {G(x): x**2}), Show("fact:G", {G(x): x**2}, quantity=G(x))]
        good = one_step([eq(sp.Derivative(G(x), x), 2 * x)], derive=derive, facts=(("G", x**2),))
        assert verify_step(good, {}).status is Status.VERIFIED
        bad = one_step([eq(sp.Derivative(G(x), x), 2 * x)], derive=derive, facts=(("G", x**2 + 1),))
        assert verify_step(bad, {}).status is Status.FAILED

    def test_untied_fact_is_inconclusive(self):
        v = verify_step(one_step([PRODUCT_RULE], facts=(("G", q),)), {})
        assert v.status is Status.INCONCLUSIVE and "fact 'G'" in v.reason


class TestInequalities:
    def test_signed_form_proves(self):
        x = sp.Symbol("x", real=True)
        st_ = [sp.Le(2 * x, x**2 + 1)]
        v = verify_step(one_step(st_, derive=lambda ctx: [Show(0, signed=(x - 1) ** 2)]), {})
        assert v.status is Status.VERIFIED and v.counts.inequalities == 1

    def test_sampled_only_is_inconclusive(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([sp.Le(2 * x, x**2 + 1)]), {})
        assert v.status is Status.INCONCLUSIVE and "sampled points only" in v.reason

    def test_unprovable_sign_is_inconclusive(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([sp.Le(0, x**2 - x + 1)], derive=lambda ctx: [Show(0, signed=x**2 - x + 1)]), {})
        assert v.status is Status.INCONCLUSIVE and "cannot prove the sign" in v.reason

    def test_shifted_bound_fails(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([sp.Le(2 * x + 100, x**2 + 1)],
                                 derive=lambda ctx: [Show(0, signed=(x - 1) ** 2)]), {})
        assert v.status is Status.FAILED

    def test_false_at_a_sampled_point_fails(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([sp.Lt(x**2, 0, evaluate=False)], derive=lambda ctx: [Show(0, signed=-x**2)]), {})
        assert v.status is Status.FAILED


class TestNegativeResults:
    def test_nonzero_with_exact_point(self):
        st_ = [sp.Ne(sp.Derivative(F(q) ** 2, q), sp.Derivative(F(q), q))]
        nz = Nonzero(2 * F(q) * sp.Derivative(F(q), q) - sp.Derivative(F(q), q),
                     {F: sp.Lambda(q, q), q: 1})
        v = verify_step(one_step(st_, derive=lambda ctx: [Show(0, nonzero=nz)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.VERIFIED, v.reason
        assert v.exact and "1" in v.exact[0][1]

    def test_value_zero_at_the_point_fails(self):
        st_ = [sp.Ne(sp.Derivative(F(q) ** 2, q), sp.Derivative(F(q), q))]
        nz = Nonzero(2 * F(q) * sp.Derivative(F(q), q) - sp.Derivative(F(q), q),
                     {F: sp.Lambda(q, sp.Rational(1, 2) + 0 * q), q: 1})
        v = verify_step(one_step(st_, derive=lambda ctx: [Show(0, nonzero=nz)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.FAILED

    def test_wrong_positive_content_fails(self):
        st_ = [sp.Ne(sp.Derivative(F(q) ** 2, q), sp.Derivative(F(q), q))]
        nz = Nonzero(3 * F(q) * sp.Derivative(F(q), q), {F: sp.Lambda(q, q), q: 1})
        v = verify_step(one_step(st_, derive=lambda ctx: [Show(0, nonzero=nz)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.FAILED

    def test_ne_without_positive_content_is_inconclusive(self):
        v = verify_step(one_step([sp.Ne(sp.sin(q), 0)], kind=Kind.NEGATIVE), {})
        assert v.status is Status.INCONCLUSIVE and "positive content" in v.reason

    def test_float_point_rejected(self):
        with pytest.raises(ValueError, match="exact"):
            Nonzero(q, {q: 0.5})


class TestConditions:
    def test_holds_condition_makes_conditional_and_is_sampled(self):
        x = sp.Symbol("x", real=True)
        st_ = [eq(sp.log(x**2), 2 * sp.log(x))]
        v = verify_step(one_step(st_, kind=Kind.CONDITIONAL, conditions=(Condition("x > 0", holds=x > 0),)), {})
        assert v.status is Status.CONDITIONAL and "x > 0" in v.reason and v.satisfied_at

    def test_impossible_condition_is_vacuous(self):
        x = sp.Symbol("x", real=True)
        v = verify_step(one_step([eq(x, x + 0 * q)], kind=Kind.CONDITIONAL,
                                 conditions=(Condition("x^2 < 0", holds=x**2 < 0),)), {})
        assert v.status is Status.VACUOUS

    def test_free_text_condition_is_inconclusive(self):
        v = verify_step(one_step([PRODUCT_RULE], kind=Kind.CONDITIONAL, conditions=("p > 0",)), {})
        assert v.status is Status.INCONCLUSIVE and "free text" in v.reason

    def test_case_must_be_in_variant(self):
        v = verify_step(one_step([PRODUCT_RULE], kind=Kind.CONDITIONAL,
                                 conditions=(Condition("descent", case=("drift", "descent")),)), {})
        assert v.status is Status.INCONCLUSIVE
        v = verify_step(one_step([PRODUCT_RULE], kind=Kind.CONDITIONAL, variant=(("drift", "descent"),),
                                 conditions=(Condition("descent", case=("drift", "descent")),)), {})
        assert v.status is Status.CONDITIONAL

    def test_condition_needs_one_form(self):
        with pytest.raises(ValueError, match="exactly one"):
            Condition("x", holds=q > 0, postulate="a.b")


class TestRewrites:
    def test_wrong_rewrite_is_caught(self):
        x = sp.Symbol("x", positive=True)

        def derive(ctx):
            value = ctx.rewrite(sp.log(x**2), lambda e: 3 * sp.log(x))  # a wrong "simplification"
            return [Show(0, {sp.Symbol("L"): value})]
        v = verify_step(one_step([eq(sp.Symbol("L"), 3 * sp.log(x))], derive=derive), {})
        assert v.status is Status.FAILED and v.counts.rewrites_witnessed == 1

    def test_good_rewrite_and_series_and_limit(self):
        x = sp.Symbol("x", positive=True)

        def derive(ctx):
            a = ctx.rewrite(sp.log(x**2), "expand_log")
            b = ctx.series(sp.exp(x), x, 0, 3)
            c = ctx.limit(sp.sin(x) / x, x, 0)
            return [Show(0, {sp.Symbol("L"): a + b + c})]
        v = verify_step(one_step([eq(sp.Symbol("L"), 2 * sp.log(x) + 1 + x + x**2 / 2 + 1)], derive=derive), {})
        assert v.status is Status.VERIFIED, v.reason
        assert v.counts.rewrites_witnessed == 3

    def test_series_with_the_wrong_order_is_caught(self):
        x = sp.Symbol("x", positive=True)

        def derive(ctx):
            ctx._record(__import__("derive.proof", fromlist=["Rewrite"]).Rewrite(
                "bad series", "series", sp.exp(x), 1 + x, x, sp.S.Zero, 3))  # exp x = 1 + x + O(x^3)? no
            return [Show(0)]
        v = verify_step(one_step([PRODUCT_RULE], derive=derive), {})
        assert v.status is Status.FAILED


class TestPremises:
    def test_unread_premise_is_reported(self):
        prem = Step(label="demo.def", title="d", kind=Kind.DEFINITION, statement=(eq(sp.Symbol("a"), 1),),
                    source=SRC)
        v = verify_step(one_step([PRODUCT_RULE], premises=("demo.def",)), {"demo.def": prem})
        assert v.status is Status.INCONCLUSIVE and "never read" in v.reason and "demo.def" in v.reason

    def test_read_premise_is_used(self):
        a = sp.Symbol("a", real=True)
        prem = Step(label="demo.def", title="d", kind=Kind.DEFINITION, statement=(eq(a, q**2),), source=SRC)
        st_ = [eq(sp.Derivative(a, q), 2 * q)]
        derive = lambda ctx: [Show(0, ctx["demo.def"].rules())]  # noqa: E731
        v = verify_step(one_step(st_, derive=derive, premises=("demo.def",)), {"demo.def": prem})
        assert v.status is Status.VERIFIED and v.premises_used == ("demo.def",)


class TestCleanFailures:
    def test_raising_derivation(self):
        def derive(ctx):
            raise ZeroDivisionError("boom")
        v = verify_step(one_step([PRODUCT_RULE], derive=derive), {})
        assert v.status is Status.INCONCLUSIVE and "ZeroDivisionError: boom" in v.reason and "demo.check" in v.reason

    def test_bare_expression_returned(self):
        v = verify_step(one_step([PRODUCT_RULE], derive=lambda ctx: sp.S.Zero), {})
        assert v.status is Status.INCONCLUSIVE and "Show" in v.reason

    def test_bare_obligations_are_refused(self):
        v = verify_step(one_step([PRODUCT_RULE], derive=lambda ctx: [Obligation("o", q, q)]), {})
        assert v.status is Status.INCONCLUSIVE and "Obligation" in v.reason

    @pytest.mark.parametrize("relation", [
        eq(sp.sqrt(q**2), sp.Abs(q)),
        eq(sp.Derivative(sp.Abs(q), q), sp.sign(q)),
        eq(sp.Derivative(sp.Heaviside(q), q), sp.DiracDelta(q)),
    ])
    def test_nonsmooth_functions_evaluate(self, relation):
        assert verify_step(one_step([relation]), {}).status is Status.VERIFIED

    def test_piecewise_evaluates_in_the_numeric_witness(self):
        v = verify_step(one_step([eq(sp.Piecewise((q, q > 0), (-q, True)), sp.Abs(q))]), {})
        assert v.numeric.points == 5 and v.numeric.as_expected and "could not evaluate" not in v.reason
        wrong = verify_step(one_step([eq(sp.Piecewise((q, q > 0), (q, True)), sp.Abs(q))]), {})
        assert wrong.status is Status.FAILED

    def test_no_admissible_point_is_inconclusive(self):
        x = sp.Symbol("x", positive=True)
        # satisfiable, but never among the sampled points
        v = verify_step(one_step([eq(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)], derive=lambda ctx: [Show(0, where=x > 3)]), {})
        assert v.status is Status.INCONCLUSIVE

    def test_unevaluable_numeric_witness_is_inconclusive_not_failed(self, monkeypatch):
        """An obligation the numeric witness cannot evaluate must not be reported as refuted."""
        def broken(*args, **kw):
            raise ValueError("cannot evaluate this")
        monkeypatch.setattr(verify_mod, "numeric_residuals", broken)
        v = verify_step(one_step([PRODUCT_RULE]), {})
        assert v.status is Status.INCONCLUSIVE and "could not evaluate" in v.reason


class TestJson:
    def test_contract(self):
        v = verify_step(one_step([PRODUCT_RULE]), {})
        j = v.to_json()
        for key in ("label", "title", "kind", "status", "premises", "assumptions", "conditions", "source",
                    "depth", "premises_used", "obligations", "chain"):
            assert key in j
        assert set(j["obligations"]) == {"total", "restatements", "inequalities", "rewrites_witnessed"}
        assert set(j["symbolic"]) >= {"residual", "seconds"}
        assert set(j["numeric"]) >= {"points", "max_abs_residual", "tolerance"}

    def test_assumed(self):
        s = Step(label="demo.def", title="d", kind=Kind.DEFINITION, statement=(eq(q, q),), source=SRC)
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


    @settings(max_examples=15, deadline=None)
    @given(st.integers(0, 10**6), st.sampled_from([p, F, sp.Function("psi")]), st.integers(1, 3))
    def test_closed_form_jet_matches_sympy_derivatives(self, seed, f, nargs):
        """The jet (every ∂^α up to total order 3) against SymPy's diff of the function's formula."""
        import itertools

        import mpmath
        tf = random_function(f, nargs, np.random.default_rng(seed))
        point = (sp.Rational(3, 8), sp.Rational(-5, 4), sp.Rational(1, 2))[:nargs]
        alphas = [al for al in itertools.product(range(4), repeat=nargs) if sum(al) <= 3]
        with mpmath.workdps(30):
            jet = tf.jet([mpmath.mpf(c.p) / c.q for c in point], alphas)
        for al, value in zip(alphas, jet):
            exact = sp.diff(tf.expr, *[(v, k) for v, k in zip(tf.variables, al) if k]) if any(al) else tf.expr
            exact = complex(exact.subs(dict(zip(tf.variables, point))).evalf(30))
            assert abs(complex(value) - exact) < 1e-20 * max(1, abs(exact)), al

class TestReprLatex:
    def test_verdict_renders_statement_and_status(self):
        from derive.contents import verify
        v = verify(["canonical.force"], workers=1)[0]
        out = v._repr_latex_()
        assert out.startswith("$") and out.endswith("$")
        assert "verified" in out and r"\partial_{q_{1}}" in out and "points" in out


class TestSymbolicRewrites:
    """The symbolic witness's rewrites, cheapest first; the first that reaches 0 is recorded."""

    def test_numerator_over_common_denominator_reaches_zero(self):
        # a sum of fractions whose expansion alone is not 0 but whose numerator over the common
        # denominator is: the rewrite the chain's inequality gaps need (multivalued.bounded-gradient)
        a, b, c, x = sp.symbols("a b c x", positive=True)
        ob = Obligation("fractions", a / (a + b) + b / (a + b) + x / (c + x), 1 + x / (c + x))
        assert symbolic_residual(ob) == (0, "numerator")

    def test_numerator_does_not_call_a_nonzero_residual_zero(self):
        a, b = sp.symbols("a b", positive=True)
        ob = Obligation("off by b", a / (a + b), (a + b) / (a + b))
        r, method = symbolic_residual(ob)
        assert r != 0 and method == "none"

    def test_gammasimp_reduces_a_ratio_of_factorials(self):
        # P(N+1)/P(N) of a Poisson law: only gammasimp (or simplify, at twice the cost) reaches 0
        N = sp.Symbol("N", integer=True, nonnegative=True)
        x = sp.Symbol("x", positive=True)
        p = lambda n: x**n / sp.factorial(n)  # noqa: E731
        ob = Obligation("Poisson ratio", p(N + 1) / p(N), x / (N + 1))
        assert symbolic_residual(ob) == (0, "gammasimp")

    def test_numerator_first_when_the_residual_divides_by_a_sum(self):
        # expand cannot combine a/(a+b) + b/(a+b); the numerator test is tried first and recorded
        a, b = sp.symbols("a b", positive=True)
        ob = Obligation("one", a / (a + b) + b / (a + b), sp.S.One)
        assert symbolic_residual(ob) == (0, "numerator")
        ob = Obligation("polynomial", (a + b)**2, a**2 + 2 * a * b + b**2)
        assert symbolic_residual(ob) == (0, "expand")


def _equal(a, b) -> bool:
    """a and b are the same expression, or (component by component) their difference expands to 0."""
    if a == b:
        return True
    if isinstance(a, (sp.Tuple, sp.Equality)) and type(a) is type(b) and len(a.args) == len(b.args):
        return all(_equal(u, v) for u, v in zip(a.args, b.args))
    return sp.expand(a - b) == 0


class TestDoit:
    """numeric_witness.doit equals SymPy's doit(integrals=False) (the same expression, or one whose difference
    from it expands to 0: derive.chain_rule differentiates), each derivative carried out once."""

    x, t = sp.symbols("x t")
    f, g = sp.Function("f"), sp.Function("g")
    CASES = (
        sp.Derivative(x**3 * sp.sin(x), x) + sp.Integral(sp.Derivative(f(x), x) * x, (x, 0, 1)),
        sp.Subs(sp.Derivative(f(x, t), t), f(x, t), g(x, t)),
        sp.Derivative(sp.Derivative(f(x) * g(x), x), x, 2),
        sp.Mul(2, sp.Derivative(x**2, x), evaluate=False) - sp.Add(x, x, evaluate=False),
        sp.Eq(sp.Derivative(sp.exp(f(x)), x), sp.Derivative(f(x), x) * sp.exp(f(x)), evaluate=False),
        sp.Tuple(sp.Derivative(sp.sqrt(f(x, t)), x, t), sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo))),
    )

    @pytest.mark.parametrize("k", range(len(CASES)))
    def test_equals_sympy_doit(self, k):
        from derive.chain_rule import doit

        e = self.CASES[k]
        assert _equal(doit(e), e.doit(integrals=False))

    def test_a_derivative_is_carried_out_once(self):
        from derive.chain_rule import _derivative_done, doit

        d = sp.Derivative(sp.exp(self.f(self.x)) * self.x**5, self.x, 3)
        doit(d + 1)
        hits = _derivative_done.cache_info().hits
        assert _equal(doit(2 * d), 2 * d.doit()) and _derivative_done.cache_info().hits == hits + 1

    def test_chain_step_obligations(self):
        from derive.contents import derivation
        from derive.chain_rule import doit

        d = derivation()
        for lab in ("madelung.equations", "canonical.hessian"):
            for ob in verify_mod.obligations(d.step(lab), d.premises_of(lab)):
                pair = sp.Tuple(ob.derived, ob.claimed)
                assert _equal(doit(pair), pair.doit(integrals=False)), (lab, ob.name)


class TestShowCase:
    """Show.case: a sign case, substituted into both sides, validated when the Show is made."""

    def test_case_values_must_be_integers_on_symbols(self):
        s = sp.Symbol("s_4")
        assert dict(Show(0, case={s: -1}).case) == {s: -1}
        with pytest.raises(TypeError, match="sign symbols to integers"):
            Show(0, case={s: sp.Rational(1, 2)})
        with pytest.raises(TypeError, match="sign symbols to integers"):
            Show(0, case={"s_4": 1})


class TestSampleStream:
    """numeric_witness._sample draws what rng.uniform and rng.choice drew, bit for bit (the recorded points
    of every verdict rest on it)."""

    def test_uniform_is_numpys(self):
        from derive.numeric_witness import _uniform
        for lo, hi in [(0.4, 2.2), (-1.5, 1.5), (0.0, 2.2), (-3.7, 0.25), (-2, 3), (sp.Rational(1, 3), sp.Integer(2))]:
            a, b = np.random.default_rng(7), np.random.default_rng(7)
            assert [_uniform(a, lo, hi) for _ in range(2000)] == [b.uniform(lo, hi) for _ in range(2000)]

    def test_signed_magnitude_is_choice_times_uniform(self):
        from derive.numeric_witness import _sample
        m = sp.Symbol("m", real=True, nonzero=True)
        a, b = np.random.default_rng(3), np.random.default_rng(3)
        ours = [_sample(m, a, {}) for _ in range(2000)]
        theirs = [b.choice([-1.0, 1.0]) * b.uniform(0.4, 2.2) for _ in range(2000)]
        assert ours == theirs
