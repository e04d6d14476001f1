"""Tests of numerics.checks.neuron_exchange: each check passes at the default seed and detects its planted error."""

from numerics.checks import neuron_exchange
from tests.numerics.checks._common import check_module, seeds_change_samples


def test_every_check_of_the_module():
    check_module(neuron_exchange.CHECKS)


def test_seed_changes_the_sample():
    seeds_change_samples("grand-ratio")
