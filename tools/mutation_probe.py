"""Planted-fault probe: mutate ``derive/`` at random and see whether ``verify`` notices.

Each mutant changes one site of one module of the chain (the modules listed in
``derive.contents.CONTENTS``): a numeric constant (n → n + 1), an arithmetic operator (+ ↔ −, * ↔ /,
** → *), or a unary minus (dropped).  The mutant is written into a private copy of the package (the
working tree is never touched) and judged in a child process:

* **equivalent** — no step's mathematics changed: every step's displayed statement, given, facts,
  conditions and every obligation the verifier builds from them are as in the unmutated package.
  Such a mutant (a message text, a seed, a dead branch) cannot be caught and is left out;
* **caught** — a step whose mathematics changed is ``failed`` or ``inconclusive``, or has become
  ``vacuous`` (its conditions can no longer hold, so its verdict no longer certifies its claim; ``eqnn run``
  lists it under "needs attention"), or the package no longer loads (``eqnn`` stops with an error);
* **survived** — mathematics changed and every changed step still passes;
* **evidence** — no step's claim changed, only the evidence given for it (a sampling restriction, an
  exact point of a negative result) and every step still passes: the claim is still shown, by other
  evidence.  Reported beside the score (``score_with_evidence`` counts these as survivors);
* **unjudged** — only steps that did not pass before the mutation changed (left out of the score).

The score is caught / (caught + survived).  Usage::

    python tools/mutation_probe.py [--mutants 120] [--seed 1] [--json out.json]

Run time is about 5–15 s a mutant on 2 cores.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import hashlib, json, sys
import sympy as sp
from derive.contents import derivation
from derive.verify import _plan, verify_step

def fingerprint(d, s):
    """(claim, evidence): what the step claims, and the evidence it gives for it (sampling, exact points)."""
    claim = [sp.sstr(s.statement), sp.sstr(s.given), sp.sstr(s.facts), str([str(c) for c in s.conditions]),
             sp.sstr([getattr(c, "holds", None) for c in s.conditions]), str(s.premises), str(s.variant)]
    evidence = []
    if s.derive is not None:
        plan, ctx = _plan(s, d.premises_of(s.label))
        claim += [sp.sstr((it.ob.derived, it.ob.claimed, it.ob.relation)) for it in plan.items
                  if it.ob.kind in ("claim", "fact", "condition")]
        evidence += [sp.sstr((it.ob.derived, it.ob.claimed, it.ob.where, it.ob.domain)) for it in plan.items]
        claim += plan.problems + plan.refuted + plan.vacuous
        evidence += [str(e) for e in plan.exact]
    h = lambda parts: hashlib.sha256("\n".join(parts).encode()).hexdigest()  # noqa: E731
    return h(claim) + ":" + h(evidence)

d = derivation()
fps = {s.label: fingerprint(d, s) for s in d.steps}
if sys.argv[1] == "baseline":
    status = {s.label: verify_step(s, d.premises_of(s.label)).status for s in d.steps}
    print(json.dumps({"fingerprints": fps, "ok": {lab: st.ok for lab, st in status.items()},
                      "status": {lab: st.value for lab, st in status.items()}}))
    sys.exit(0)
base = json.load(open(sys.argv[1]))["fingerprints"]
changed = [lab for lab in d.labels if fps.get(lab) != base.get(lab)]
claims = [lab for lab in changed if fps.get(lab, ":").split(":")[0] != base.get(lab, ":").split(":")[0]]
statuses = {}
for lab in changed:
    s = d.step(lab)
    statuses[lab] = verify_step(s, d.premises_of(lab)).status.value
print(json.dumps({"changed": changed, "claims": claims, "statuses": statuses}))
'''


class _Sites(ast.NodeVisitor):
    """Mutation sites of a module: constants, binary operators, unary minus (docstrings skipped)."""

    def __init__(self) -> None:
        self.sites: list[tuple[str, int, int, str]] = []

    def visit_Expr(self, node):  # a bare string (docstring) has nothing to mutate
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            self.sites.append(("const", node.lineno, node.col_offset, repr(node.value)))

    def visit_BinOp(self, node):
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            self.sites.append(("binop", node.lineno, node.col_offset, type(node.op).__name__))
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.USub):
            self.sites.append(("usub", node.lineno, node.col_offset, "-"))
        self.generic_visit(node)


class _Mutate(ast.NodeTransformer):
    def __init__(self, site) -> None:
        self.kind, self.line, self.col, _ = site
        self.done = False

    def _here(self, node) -> bool:
        return not self.done and node.lineno == self.line and node.col_offset == self.col

    def visit_Constant(self, node):
        if self.kind == "const" and self._here(node) and isinstance(node.value, (int, float)):
            self.done = True
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node

    def visit_BinOp(self, node):
        if self.kind == "binop" and self._here(node):
            self.done = True
            swap = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult}
            node.op = swap[type(node.op)]()
            return node
        self.generic_visit(node)
        return node

    def visit_UnaryOp(self, node):
        if self.kind == "usub" and self._here(node):
            self.done = True
            return node.operand
        self.generic_visit(node)
        return node


def _modules() -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from derive.contents import CONTENTS

    return [ROOT / "derive" / f"{m}.py" for section in CONTENTS for m in section.modules]


def _child(tree: Path, arg: str, timeout: float) -> tuple[int, str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), EQNN_NO_CACHE="1")
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, arg], cwd=tree, env=env, capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "", "timeout"
    return out.returncode, out.stdout, out.stderr


def judge(data: dict, base_ok: dict, base_status: dict) -> str:
    """The outcome of a mutant that loads, from the child's report ``data`` (changed steps, changed claims,
    their statuses) and the unmutated statuses (module docstring: equivalent, caught, unjudged, evidence,
    survived).

    >>> judge({"changed": ["a"], "claims": ["a"], "statuses": {"a": "vacuous"}}, {"a": True}, {"a": "conditional"})
    'caught'
    >>> judge({"changed": ["a"], "claims": ["a"], "statuses": {"a": "verified"}}, {"a": True}, {"a": "verified"})
    'survived'
    """
    judged = {lab: st for lab, st in data["statuses"].items() if base_ok.get(lab, False)}
    if not data["changed"]:
        return "equivalent"
    if any(st in ("failed", "inconclusive") or (st == "vacuous" and base_status.get(lab) != "vacuous")
           for lab, st in judged.items()):
        return "caught"  # failed, undecided, or its conditions can no longer hold
    if not judged:
        return "unjudged"  # only steps that did not pass before the mutation changed
    if not data["claims"]:
        return "evidence"  # only the evidence changed (a sample region, an exact point)
    return "survived"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=120, help="how many mutants to draw (default 120)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the draw (default 1)")
    ap.add_argument("--json", default="", help="write the per-mutant record here")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a mutant may take")
    args = ap.parse_args(argv)
    if args.mutants <= 0:
        print("mutation_probe: error: --mutants must be a positive integer", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="eqnn-mutants-"))
    tree = work / "tree"  # a snapshot: the working tree may change while the probe runs
    shutil.copytree(ROOT / "derive", tree / "derive", ignore=shutil.ignore_patterns("__pycache__"))
    sites = []
    for module in _modules():
        path = tree / "derive" / module.name
        finder = _Sites()
        finder.visit(ast.parse(path.read_text()))
        sites.extend((path, s) for s in finder.sites)
    draw = rng.sample(sites, min(args.mutants, len(sites)))
    code, out, err = _child(tree, "baseline", args.timeout)
    if code != 0:
        print("baseline failed:\n" + err[-2000:], file=sys.stderr)
        return 1
    base_file = work / "baseline.json"
    base_file.write_text(out)
    base = json.loads(out)
    base_ok, base_status = base["ok"], base["status"]
    records, t0 = [], time.perf_counter()
    for k, (path, site) in enumerate(draw, 1):
        target = path
        original = path.read_text()
        mutated_tree = _Mutate(site).visit(ast.parse(original))
        target.write_text(ast.unparse(mutated_tree))
        code, out, err = _child(tree, str(base_file), args.timeout)
        target.write_text(original)
        rec = {"module": path.name, "site": list(site), "returncode": code}
        if code != 0:
            rec["why"] = "the package no longer loads or verify stops: " + (err.strip().splitlines() or ["?"])[-1][:160]
            rec["outcome"] = "caught"
        else:
            data = json.loads(out)
            rec["changed"] = data["changed"]
            rec["statuses"] = data["statuses"]
            rec["outcome"] = judge(data, base_ok, base_status)
        records.append(rec)
        print(f"[{k}/{len(draw)}] {path.name}:{site[1]} {site[0]} {site[3]} -> {rec['outcome']}"
              + (f" {rec.get('changed', [])[:3]}" if rec["outcome"] == "survived" else ""), flush=True)
    caught = sum(r["outcome"] == "caught" for r in records)
    survived = sum(r["outcome"] == "survived" for r in records)
    equivalent = sum(r["outcome"] == "equivalent" for r in records)
    unjudged = sum(r["outcome"] == "unjudged" for r in records)
    evidence = sum(r["outcome"] == "evidence" for r in records)
    score = caught / (caught + survived) if caught + survived else float("nan")
    summary = {"mutants": len(records), "caught": caught, "survived": survived, "equivalent": equivalent,
               "unjudged": unjudged, "evidence_only": evidence, "score_with_evidence":
               caught / (caught + survived + evidence) if caught + survived + evidence else float("nan"), "score": score, "seed": args.seed, "seconds": round(time.perf_counter() - t0, 1),
               "source_hash": hashlib.sha256(b"".join((tree / "derive" / p.name).read_bytes()
                                                      for p in _modules())).hexdigest()[:16]}
    print(json.dumps(summary))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "mutants": records}, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
