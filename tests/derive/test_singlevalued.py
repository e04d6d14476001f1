import sympy as sp

from derive.singlevalued import circulation_integrand, polynomial_family, steps
from derive.symbols import mu, n
from derive.verify import Status

from .helpers import replaced, verify_label, verify_planted


class TestSingleValued:
    def test_theorem(self):
        v = verify_label("singlevalued.theorem")
        assert v.status is Status.VERIFIED and v.step.kind.value == "theorem"

    def test_theorem_depth_names_the_family(self):
        """The loop integral is checked on examples (a witnessed rewrite), not proven: the depth says so."""
        v = verify_label("singlevalued.theorem")
        assert v.step.depth.startswith("examples: ") and "affine" in v.step.depth
        assert v.counts.rewrites_witnessed >= 1

    def test_counter_case(self):
        assert verify_label("singlevalued.counter-case").status is Status.VERIFIED

    def test_counter_case_planted(self):
        s = verify_label("singlevalued.counter-case").step
        planted = replaced(s.statement, 0, 2 * n * mu)
        assert verify_planted("singlevalued.counter-case", planted).status is Status.FAILED

    def test_counter_case_jump_planted(self):
        s = verify_label("singlevalued.counter-case").step
        planted = replaced(s.statement, 2, n * mu / 2)
        assert verify_planted("singlevalued.counter-case", planted).status is Status.FAILED

    def test_planted_nonzero_circulation(self):
        s = verify_label("singlevalued.theorem").step
        planted = replaced(s.statement, 0, 1)
        assert verify_planted("singlevalued.theorem", planted).status is Status.FAILED

    def test_planted_curl(self):
        s = verify_label("singlevalued.theorem").step
        planted = list(s.statement)
        curl = planted[1].lhs
        planted[1] = sp.Eq(curl.args[0] + 2 * curl.args[1], 0, evaluate=False)  # not a curl any more
        assert verify_planted("singlevalued.theorem", planted).status is Status.FAILED

    def test_family_size(self):
        assert len(polynomial_family(3).free_symbols) == 10 + 2
        theta = sp.Symbol("theta", real=True)
        assert sp.integrate(sp.expand(circulation_integrand(polynomial_family(2))), (theta, 0, 2 * sp.pi)) == 0
