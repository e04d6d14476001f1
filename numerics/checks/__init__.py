"""The cross-check registry: one module per ensemble, each contributing its ``CHECKS`` values.

:data:`REGISTRY` joins them in the order of the argument (canonical ensemble, learning dynamics,
wave functions, grand-canonical exchange).  Adding a cross-check is adding one :class:`Check` (or
:class:`DeterministicCheck`) value to the ``CHECKS`` of its ensemble's module, and its test: the
suite threshold follows from the registry's length.  Importing builds no model: models are built on
first use.

>>> len(REGISTRY) == len(REGISTRY.sampled) + sum(c.kind == "deterministic" for c in REGISTRY)
True
>>> from numerics.stats import suite_threshold
>>> REGISTRY.threshold == suite_threshold(len(REGISTRY.sampled))
True
"""

from __future__ import annotations

from numerics.checks import hidden_neurons, langevin, neuron_exchange, wavefunction
from numerics.checks.registry import Check, DeterministicCheck, Estimate, Registry, Residual

__all__ = ["REGISTRY", "Check", "DeterministicCheck", "Estimate", "Registry", "Residual"]

#: Every cross-check, in the paper's order of the ensembles.
REGISTRY = Registry(hidden_neurons.CHECKS + langevin.CHECKS + wavefunction.CHECKS + neuron_exchange.CHECKS)
