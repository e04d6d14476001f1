r"""Samplers, kernels and property-testing strategies for the identities of ``derive``: the public API.

Loaded on first use (``import numerics`` imports nothing heavy):

* kernels generated from steps: :func:`kernel`, :func:`kernel_from`, :class:`Kernel`, ``KERNELS``;
* hypothesis strategies: :func:`smooth_potentials`, :class:`SmoothPotential`, :func:`positive_densities`,
  :class:`Density`, :func:`positive_parameters`, :func:`parameter_sets`, :func:`concrete_functions`,
  :func:`realisations`, :func:`spin_hamiltonians`;
* statistics: :func:`z_score`, :func:`p_value`, :func:`mean_se`, :class:`StatVerdict`;
* cross-checks against sampled ensembles: :func:`run_crosschecks` (``numerics.crosscheck.run``);
* wave functions: :class:`Grid`, :func:`split_step`, :func:`harmonic_potential`;
* :class:`InputError` (the same as ``derive.InputError``).

>>> import numerics
>>> numerics.kernel("langevin_drift_1d").args
('F_q1', 'gamma')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS: dict[str, tuple[str, str]] = {
    "Kernel": ("numerics.codegen", "Kernel"),
    "kernel": ("numerics.codegen", "kernel"),
    "kernel_from": ("numerics.codegen", "kernel_from"),
    "KERNELS": ("numerics.codegen", "KERNELS"),
    "SmoothPotential": ("numerics.strategies", "SmoothPotential"),
    "Density": ("numerics.strategies", "Density"),
    "smooth_potentials": ("numerics.strategies", "smooth_potentials"),
    "positive_densities": ("numerics.strategies", "positive_densities"),
    "positive_parameters": ("numerics.strategies", "positive_parameters"),
    "parameter_sets": ("numerics.strategies", "parameter_sets"),
    "concrete_functions": ("numerics.strategies", "concrete_functions"),
    "realisations": ("numerics.strategies", "realisations"),
    "spin_hamiltonians": ("numerics.strategies", "spin_hamiltonians"),
    "z_score": ("numerics.stats", "z_score"),
    "p_value": ("numerics.stats", "p_value"),
    "mean_se": ("numerics.stats", "mean_se"),
    "StatVerdict": ("numerics.stats", "StatVerdict"),
    "run_crosschecks": ("numerics.crosscheck", "run"),
    "Grid": ("numerics.wavefunction", "Grid"),
    "split_step": ("numerics.wavefunction", "split_step"),
    "harmonic_potential": ("numerics.wavefunction", "harmonic_potential"),
    "InputError": ("derive.errors", "InputError"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'numerics' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # explicit re-exports for type checkers and IDEs
    from derive.errors import InputError
    from numerics.codegen import KERNELS, Kernel, kernel, kernel_from
    from numerics.crosscheck import run as run_crosschecks
    from numerics.stats import StatVerdict, mean_se, p_value, z_score
    from numerics.strategies import (Density, SmoothPotential, concrete_functions, parameter_sets, positive_densities,
                                     positive_parameters, realisations, smooth_potentials, spin_hamiltonians)
    from numerics.wavefunction import Grid, harmonic_potential, split_step
