"""Tests for derive.scope: the learning-equilibrium sector and units."""

from __future__ import annotations

import sympy as sp

from derive.contents import derivation
from derive.units import E
from derive.verify import Status
from tests.derive.helpers import verify_label, verify_planted


class TestEquilibriumSector:
    def test_conditional_names_the_equilibrium(self):
        v = verify_label("scope.equilibrium-sector")
        assert v.status is Status.CONDITIONAL
        assert "equilibrium.phase-constant" in v.step.premises
        assert any("stationary Fokker-Planck" in c for c in v.step.conditions)

    def test_planted_sector_one_fails(self):
        circ, sector = derivation().step("scope.equilibrium-sector").statement
        planted = [circ, sp.Eq(sector.lhs, 1, evaluate=False)]  # "the n = 1 sector at equilibrium": no
        assert verify_planted("scope.equilibrium-sector", planted).status is Status.FAILED


class TestUnits:
    def test_verified(self):
        assert verify_label("scope.units").status is Status.VERIFIED

    def test_planted_hbar_squared_energy_fails(self):
        a, b, c = derivation().step("scope.units").statement
        planted = [sp.Eq(a.lhs, E ** 2, evaluate=False), b, c]
        assert verify_planted("scope.units", planted).status is Status.FAILED
