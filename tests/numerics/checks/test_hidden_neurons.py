"""Tests of numerics.checks.hidden_neurons: each check passes at the default seed and detects its planted error."""

from numerics.checks import hidden_neurons
from tests.numerics.checks._common import check_module, seeds_change_samples


def test_every_check_of_the_module():
    check_module(hidden_neurons.CHECKS)


def test_seed_changes_the_sample():
    seeds_change_samples("canonical-force")
