"""Tests for derive.scope: the learning-equilibrium sector and units."""

from __future__ import annotations

import sympy as sp

from derive.contents import derivation
from derive.notation import DimensionOf
from derive.units import E
from derive.verify import Status
from tests.derive.helpers import replaced, verify_label, verify_planted


def _statement(label):
    return derivation().step(label).statement


class TestEquilibriumSector:
    def test_conditional_names_the_equilibrium(self):
        v = verify_label("scope.equilibrium-sector")
        assert v.status is Status.CONDITIONAL
        assert "equilibrium.phase-constant" in v.premises_used and "quantization.vortex" in v.premises_used
        assert any("stationary Fokker-Planck" in c for c in v.step.conditions)

    def test_conditions_are_machine_readable(self):
        conds = derivation().step("scope.equilibrium-sector").conditions
        assert sorted(c.form for c in conds) == ["case", "holds"]

    def test_planted_sector_one_fails(self):
        st_ = _statement("scope.equilibrium-sector")
        planted = replaced(st_, 1, 1)  # "the n = 1 sector at equilibrium": no
        assert verify_planted("scope.equilibrium-sector", planted).status is Status.FAILED

    def test_planted_sector_circulation_fails(self):
        st_ = _statement("scope.equilibrium-sector")
        planted = replaced(st_, 2, st_[2].rhs * 2)
        assert verify_planted("scope.equilibrium-sector", planted).status is Status.FAILED

    def test_sector_n_differs_at_an_exact_point(self):
        v = verify_label("scope.equilibrium-sector")
        assert [value for _, value in v.exact] == ["at n = 1, mu = 1, k = 1: 1"]


class TestUnits:
    def test_verified_from_units_constants(self):
        v = verify_label("scope.units")
        assert v.status is Status.VERIFIED and "units.constants" in v.premises_used

    def test_planted_hbar_squared_energy_fails(self):
        st_ = _statement("scope.units")
        assert verify_planted("scope.units", replaced(st_, 0, E ** 2)).status is Status.FAILED

    def test_planted_lambda_times_hbar_fails(self):
        st_ = _statement("scope.units")
        assert verify_planted("scope.units", replaced(st_, 1, E)).status is Status.FAILED

    def test_regression_lambda_is_not_hbar_by_an_exact_point(self):
        v = verify_label("scope.units")
        assert [value for _, value in v.exact] == ["at E = 2: -3/2"]
        # the false claim [lambda] != 1/[hbar] cannot be shown
        st_ = list(_statement("scope.units"))
        st_[2] = sp.Ne(DimensionOf("lambda"), 1 / DimensionOf("hbar"))
        assert verify_planted("scope.units", st_).status is Status.FAILED
