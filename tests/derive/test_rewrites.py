"""Every rewrite inside a derivation is witnessed: none is called behind the verifier's back.

Derivations reach SymPy's simplifier, forced log expansions, limits, series, closed-form integration
and solvers only through ``Context.rewrite``, ``Context.limit`` and ``Context.series``, which record
them for the numeric witness.  This test reads the source of every module of the chain; the body of a
function that is only ever handed to ``ctx.rewrite`` is marked ``# witnessed by ctx.rewrite``.
"""

import importlib
import inspect
import re

import pytest

from derive.contents import CONTENTS

CALLS = re.compile(r"\b(?:sp\.)?(simplify|cancel|together|expand_log|powsimp|logcombine|trigsimp|nsimplify|"
                   r"limit|integrate|solve|factor|radsimp)\(|\.series\(|\.limit\(|\.integrate\(")
MODULES = [m for section in CONTENTS for m in section.modules]


@pytest.mark.parametrize("module", MODULES)
def test_no_unwitnessed_rewrite(module):
    source = inspect.getsource(importlib.import_module(f"derive.{module}"))
    hits = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        if "# witnessed by ctx.rewrite" in line:  # the body of a rewrite function handed to ctx.rewrite
            continue
        if CALLS.search(code) and "ctx." not in code and '"' not in code.split("(", 1)[0]:
            hits.append(f"{module}.py:{number}: {line.strip()[:90]}")
    assert not hits, "rewrites outside ctx.rewrite/limit/series:\n" + "\n".join(hits)
