"""The one executor: everything that fans out runs through :class:`Executor`.

Cross-checks, seed sweeps and experiment configurations are lists of independent jobs ``fn(item)``.
:meth:`Executor.map` runs them

* in this process when one worker is asked for (or there is one job),
* in a local pool of forked processes by default (nothing to start; ``workers`` processes, default
  all cores), or
* on a Dask cluster when a scheduler address is given (``--scheduler ADDRESS`` on the command line,
  or the environment variable ``EQNN_SCHEDULER``).  ``dask.distributed`` is the optional extra
  ``pip install 'emergent-quantumness[dask]'``.

and returns the results in the order of the items.  Jobs draw their random numbers from keyed seed
streams (:mod:`derive.seeds`), so the numbers do not depend on the engine or the number of workers.
``fn`` must be picklable: a module-level function, or a ``functools.partial`` of one.

>>> Executor(workers=1).map(abs, [-1, 2, -3])
[1, 2, 3]
>>> Executor(workers=2).engine
'processes'
>>> Executor(scheduler="tcp://10.0.0.5:8786").engine
'dask'
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from derive.errors import InputError

__all__ = ["ENV_SCHEDULER", "Executor", "add_arguments", "from_arguments", "workers_type"]

#: Environment variable naming the Dask scheduler when ``--scheduler`` is not given.
ENV_SCHEDULER = "EQNN_SCHEDULER"


def _indexed(fn: Callable[[Any], Any], pair: tuple[int, Any]) -> tuple[int, Any]:
    i, item = pair
    return i, fn(item)


@dataclass(frozen=True)
class Executor:
    """Where independent jobs run: ``workers`` local processes, or the Dask cluster at ``scheduler``.

    ``workers=None`` means all cores (``os.cpu_count()``); ``scheduler=None`` means local.
    """

    workers: Optional[int] = None
    scheduler: Optional[str] = None

    def __post_init__(self) -> None:
        w = self.workers
        if w is not None and (isinstance(w, bool) or not isinstance(w, int) or w < 1):
            raise InputError(f"workers must be an integer >= 1, got {w!r}")
        s = self.scheduler
        if s is not None and (not isinstance(s, str) or not s.strip() or any(c.isspace() for c in s)):
            raise InputError(f"scheduler must be an address such as tcp://host:8786, got {s!r}")

    @property
    def engine(self) -> str:
        """``'dask'``, ``'processes'`` (a local fork pool) or ``'serial'``."""
        if self.scheduler is not None:
            return "dask"
        if self.n_local == 1 or "fork" not in multiprocessing.get_all_start_methods():
            return "serial"
        return "processes"

    @property
    def n_local(self) -> int:
        """The number of local processes (all cores when ``workers`` is None)."""
        return self.workers if self.workers is not None else max(1, os.cpu_count() or 1)

    def describe(self) -> str:
        """One line for progress output and JSON: the engine and its size."""
        if self.engine == "dask":
            return f"dask scheduler {self.scheduler}"
        return f"{self.n_local} local process{'es' if self.n_local > 1 else ''}" if self.engine == "processes" \
            else "1 process (serial)"

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], *,
            on_result: Optional[Callable[[int, Any], None]] = None,
            order: Optional[Sequence[int]] = None) -> list:
        """``[fn(x) for x in items]``, run on this executor.

        ``on_result(index, result)`` is called as each job finishes (in completion order);
        ``order`` (a permutation of the indices) is the submission order, e.g. longest jobs first.
        """
        items = list(items)
        idx = list(range(len(items))) if order is None else [int(i) for i in order]
        if sorted(idx) != list(range(len(items))):
            raise InputError(f"order must be a permutation of 0..{len(items) - 1}, got {order!r}")
        results: dict[int, Any] = {}

        def done(i: int, r: Any) -> None:
            results[i] = r
            if on_result is not None:
                on_result(i, r)

        if not items:
            return []
        if self.engine == "dask":
            self._map_dask(fn, items, idx, done)
        elif self.engine == "serial" or len(items) == 1:
            for i in idx:
                done(i, fn(items[i]))
        else:
            from functools import partial

            n = min(self.n_local, len(items))
            with multiprocessing.get_context("fork").Pool(n) as pool:
                for i, r in pool.imap_unordered(partial(_indexed, fn), [(i, items[i]) for i in idx]):
                    done(i, r)
        return [results[i] for i in range(len(items))]

    def _map_dask(self, fn, items, idx, done) -> None:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise InputError("a Dask scheduler needs dask.distributed: pip install "
                             "'emergent-quantumness[dask]'") from None
        from functools import partial

        try:
            client = Client(self.scheduler, set_as_default=False, timeout=30)
        except (OSError, TimeoutError) as err:
            raise InputError(f"cannot reach the Dask scheduler at {self.scheduler}: {err}") from None
        try:
            futures = client.map(partial(_indexed, fn), [(i, items[i]) for i in idx], pure=False)
            with client.as_current():
                for fut in as_completed(futures):
                    i, r = fut.result()
                    done(i, r)
        finally:
            client.close()


def workers_type(value: str) -> int:
    """argparse type of ``--workers``: an integer >= 1 (one clear error otherwise)."""
    from derive.command import positive_int

    return positive_int(value, "workers")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers N`` and ``--scheduler ADDRESS`` to a sub-command."""
    parser.add_argument("--workers", type=workers_type, default=None,
                        help="local processes (default: all cores; the numbers do not depend on it)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help=f"run on the Dask cluster whose scheduler is at ADDRESS (default: ${ENV_SCHEDULER}, "
                             f"else local processes); needs the [dask] extra")


def from_arguments(args: Optional[argparse.Namespace] = None, *, workers: Optional[int] = None,
                   scheduler: Optional[str] = None) -> Executor:
    """The executor the user asked for: ``--scheduler`` (or ``$EQNN_SCHEDULER``), else local processes.

    >>> from_arguments(workers=3).describe()
    '3 local processes'
    """
    if args is not None:
        workers = getattr(args, "workers", workers)
        scheduler = getattr(args, "scheduler", scheduler)
    scheduler = scheduler or os.environ.get(ENV_SCHEDULER) or None
    return Executor(workers=workers, scheduler=scheduler)
