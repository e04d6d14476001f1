"""Tests of numerics.checks.wavefunction: each check passes at the default seed and detects its planted error."""

from numerics.checks import wavefunction
from tests.numerics.checks._common import check_module, seeds_change_samples


def test_every_check_of_the_module():
    check_module(wavefunction.CHECKS)


def test_seed_changes_the_sample():
    seeds_change_samples("ehrenfest")


def test_deterministic_checks_are_not_statistics():
    from numerics.checks import REGISTRY

    det = {c.name for c in REGISTRY if c.kind == "deterministic"}
    assert det == {"madelung-residuals", "wallstrom", "vortex-circulation", "loop-bookkeeping"}
    for name in det:
        v = REGISTRY.run_check(name, 0)
        assert v.error_estimate <= v.tolerance < v.power.residual
