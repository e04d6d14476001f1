"""Root pytest configuration: applies to the doctests of every package as well as to ``tests/``."""

import gc

from _pytest.doctest import DoctestItem


def pytest_runtest_setup(item):
    """Collect garbage before each doctest.

    The doctest runner calls ``linecache.checkcache()``, which looks each cached file name up again
    after listing them; SymPy's ``lambdify`` removes its functions' entries from that cache when they
    are garbage-collected (sympy/sympy#27223).  A collection that falls inside ``checkcache`` makes the
    lookup fail with ``KeyError: '<lambdifygenerated-N>'`` in whichever doctest runs then.  Collecting
    first leaves no finalizer pending.
    """
    if isinstance(item, DoctestItem):
        gc.collect()
