import pytest
import sympy as sp

from derive.step import Context, Kind, Obligation, Provenance, Source, Step

x = sp.Symbol("x", real=True)
SRC = Source("KV2021", "§2", "", Provenance.RECONSTRUCTED)


def _derive(ctx):
    from derive.proof import Show
    return [Show(0)]


class TestSource:
    def test_needs_section_or_equation(self):
        with pytest.raises(ValueError, match="section or an equation"):
            Source("KV2021", "", "", Provenance.VERBATIM)

    def test_provenance_coerced(self):
        assert Source("KV2021", "§3", "", "secondary").provenance is Provenance.SECONDARY

    def test_json_keys(self):
        assert set(SRC.to_json()) >= {"paper", "section", "equation", "provenance"}


class TestObligation:
    def test_residual(self):
        assert Obligation("o", x**2, x).residual == x**2 - x

    def test_bad_domain(self):
        with pytest.raises(ValueError, match="bad domain"):
            Obligation("o", x, x, domain=((x, 2.0, 1.0),))


class TestStep:
    def make(self, **kw):
        base = dict(label="demo.step", title="t", kind=Kind.IDENTITY, statement=(sp.Eq(x, x, evaluate=False),),
                    source=SRC, derive=_derive)
        base.update(kw)
        return Step(**base)

    def test_frozen(self):
        s = self.make()
        with pytest.raises(Exception):
            s.label = "other.label"

    @pytest.mark.parametrize("label", ["nodot", "Upper.case", "demo..x", "demo.x y"])
    def test_bad_label(self, label):
        with pytest.raises(ValueError, match="step label"):
            self.make(label=label)

    def test_evaluated_statement_rejected(self):
        with pytest.raises(ValueError, match="evaluated to True"):
            self.make(statement=(sp.Eq(x, x),))

    def test_definition_has_no_derivation(self):
        with pytest.raises(ValueError, match="may only tie its facts"):
            self.make(kind=Kind.DEFINITION)

    def test_identity_needs_derivation(self):
        with pytest.raises(ValueError, match="needs a derivation"):
            self.make(derive=None)

    def test_conditional_needs_conditions(self):
        with pytest.raises(ValueError, match="must name its conditions"):
            self.make(kind=Kind.CONDITIONAL)

    def test_self_premise(self):
        with pytest.raises(ValueError, match="itself"):
            self.make(premises=("demo.step",))

    def test_latex(self):
        assert "x = x" in self.make().to_latex().replace(" ", " ")
        assert self.make()._repr_latex_().startswith("$")


class TestContext:
    def test_only_premises_visible(self):
        s = TestStep().make()
        with pytest.raises(KeyError, match="not among its premises"):
            Context(s, {})["canonical.ensemble"]

    def test_series_of_a_sum_is_the_series_and_is_recorded(self):
        # term by term, as SymPy's series of the whole sum gives it (the curvature step's sums of logs)
        e, d = sp.symbols("epsilon delta", positive=True)
        expr = -sp.log(1 / (e * (d + 1 + 1 / e))) - sp.log(1 / (e * (d + 2 + 1 / e))) + 2
        ctx = Context(TestStep().make(), {})
        out = ctx.series(expr, e, 0, 3, name="two logs")
        assert sp.expand(out - sp.series(expr, e, 0, 3).removeO()) == 0
        (rw,) = ctx.rewrites
        assert (rw.kind, rw.before, rw.after) == ("series", expr, out)

    def test_taylor_by_derivatives_only_where_it_is_the_series(self):
        from derive.step import _taylor

        x, c = sp.symbols("x c", positive=True)
        for e in (sp.log(1 / (x * (c + 1 / x))), sp.exp(c * x) * sp.cos(x) / (1 + x), (1 + x) ** sp.Rational(1, 3)):
            for order in (1, 2, 4):
                assert sp.expand(_taylor(e, x, 0, order) - sp.series(e, x, 0, order).removeO()) == 0
        # not analytic at the point, or not elementary: SymPy's series decides
        assert _taylor(x ** sp.Rational(3, 2), x, 0, 2) is None  # the 2nd derivative is infinite at 0
        assert _taylor(x * sp.log(x), x, 0, 2) is None
        assert _taylor(sp.Abs(x - 1), x, 1, 2) is None
        assert _taylor(sp.log(x), x, sp.oo, 2) is None
        ctx = Context(TestStep().make(), {})
        assert ctx.series(x ** sp.Rational(3, 2) + x, x, 0, 2) == x ** sp.Rational(3, 2) + x  # SymPy keeps x^(3/2)


class TestSignCases:
    """Regression (planted-fault probe): a step built in the sign case s4 = +2 must not load."""

    def test_s4_outside_the_sign_cases(self):
        with pytest.raises(ValueError, match="s4 is one of"):
            TestStep().make(variant=(("s4", "+2"),))

    def test_listed_cases_accepted(self):
        assert TestStep().make(variant=(("s2", "+1, -1, 0"), ("s4", "any (+1, -1)"))).variant
