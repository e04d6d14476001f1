import sympy as sp

from derive.singlevalued import circulation_integrand, polynomial_family, steps
from derive.symbols import mu, n
from derive.verify import Status

from .helpers import verify_label, verify_planted


class TestSingleValued:
    def test_theorem(self):
        v = verify_label("singlevalued.theorem")
        assert v.status is Status.VERIFIED and v.step.kind.value == "theorem"

    def test_counter_case(self):
        assert verify_label("singlevalued.counter-case").status is Status.VERIFIED

    def test_counter_case_planted(self):
        s = verify_label("singlevalued.counter-case").step
        planted = list(s.statement)
        planted[0] = sp.Eq(planted[0].lhs, 2 * n * mu, evaluate=False)
        assert verify_planted("singlevalued.counter-case", planted).status is Status.FAILED

    def test_planted_nonzero_circulation(self):
        s = verify_label("singlevalued.theorem").step
        planted = [sp.Eq(s.statement[0].lhs, 1, evaluate=False)]
        assert verify_planted("singlevalued.theorem", planted).status is Status.FAILED

    def test_family_size(self):
        assert len(polynomial_family(3).free_symbols) == 10 + 2
        theta = sp.Symbol("theta", real=True)
        assert sp.integrate(sp.expand(circulation_integrand(polynomial_family(2))), (theta, 0, 2 * sp.pi)) == 0
