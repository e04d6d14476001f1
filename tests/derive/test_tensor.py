import pytest
import sympy as sp

from derive.tensor import steps, tensor
from derive.symbols import hbar
from derive.verify import Status

from .helpers import replaced, verify_label, verify_planted


class TestTensorSteps:
    @pytest.mark.parametrize("label", [s.label for s in steps()])
    def test_each_step_passes(self, label):
        v = verify_label(label)
        assert v.status in (Status.CONDITIONAL, Status.ASSUMED), v.reason

    def test_tensor_symmetric(self):
        G = tensor("G", 3)
        assert G == G.T and len(G.free_symbols) == 6


class TestPlantedErrors:
    def test_scalar_hbar(self):
        s = verify_label("tensor.scalar-hbar").step
        planted = replaced(s.statement, 1, 2 * s.statement[1].rhs)
        assert verify_planted("tensor.scalar-hbar", planted).status is Status.FAILED

    def test_ordering_residual(self):
        s = verify_label("tensor.ordering").step
        planted = replaced(s.statement, 1, -s.statement[1].rhs)
        assert verify_planted("tensor.ordering", planted).status is Status.FAILED

    def test_inverse_mass_factor(self):
        s = verify_label("tensor.equations").step
        cont = s.statement[1]
        planted = [s.statement[0], sp.Eq(cont.lhs.subs(sp.Integer(2), 3), 0, evaluate=False), s.statement[2]]
        assert verify_planted("tensor.equations", planted).status is Status.FAILED

    def test_shift_coefficient(self):
        s = verify_label("tensor.equations").step
        planted = replaced(s.statement, 0, 2 * s.statement[0].rhs)
        assert verify_planted("tensor.equations", planted).status is Status.FAILED
