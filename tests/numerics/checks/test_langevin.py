"""Tests of numerics.checks.langevin: each check passes at the default seed and detects its planted error."""

from numerics.checks import langevin
from tests.numerics.checks._common import check_module, seeds_change_samples


def test_every_check_of_the_module():
    check_module(langevin.CHECKS)


def test_seed_changes_the_sample():
    seeds_change_samples("sgd-noise")
