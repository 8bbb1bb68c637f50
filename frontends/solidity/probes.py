"""Instrumentation that makes a property inside a run observable on the EVM.

A loop invariant or a callee's precondition fails in the middle of a run, where a call's
outcome says nothing about it.  For a replay, the contract is compiled once more with the
annotation turned into code that reverts with a custom error when it is false:

    for (init; cond; step)   becomes   { uint256 n = 0; for (init; __vvProbe((INV), 1, n++) && (cond); step) }
    function f(..) { body }  becomes   function f(..) { __vvProbe((PRE), 1, 0); body }

so the invariant is evaluated at every arrival at the loop head (n counts them: 0 is the
entry), and the precondition at every call.  Only annotations that are plain Solidity
expressions can be compiled (no quantifiers, `==>` or `__verifier_*`), and only `for`/`while`
loops with a condition; anything else is not instrumented and its replay says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import Node, Program
from .source import parse_src

ERROR = "__VVProbe(uint256,uint256)"
HELPER = ("\nerror __VVProbe(uint256 id, uint256 n);\n"
          "function __vvProbe(bool ok, uint256 id, uint256 n) pure returns (bool) {\n"
          "    if (!ok) revert __VVProbe(id, n);\n    return true;\n}\n")
NOT_SOLIDITY = re.compile(r"\bforall\b|\bexists\b|==>|__verifier|//|/\*")


@dataclass(frozen=True)
class Probe:
    """Texts to insert, (file, byte offset, text) in order, and what a failure means:
    `first` True when only the first evaluation (n == 0) is the check, False when only later
    ones are, None when any evaluation is."""

    insertions: tuple[tuple[str, int, str], ...]
    first: bool | None = None

    def for_kind(self, kind: str) -> "Probe":
        if kind == "loop-invariant-entry":
            return Probe(self.insertions, True)
        if kind == "loop-invariant-preserved":
            return Probe(self.insertions, False)
        return self

    def accepts(self, n: int) -> bool:
        return self.first is None or (n == 0) == self.first


def _plain(text: str) -> bool:
    return bool(text.strip()) and NOT_SOLIDITY.search(text) is None


def loop_probe(prog: Program, loop: Node, cond: Node | None, ann: Any) -> Probe | None:
    if loop["nodeType"] not in ("ForStatement", "WhileStatement") or cond is None or \
            not _plain(ann.text):
        return None
    path = prog.source_of(loop).path
    start, length, _ = parse_src(loop["src"])
    cstart, clength, _ = parse_src(cond["src"])
    n = f"__vv_n{loop['id']}"
    return Probe(((path, start, f"{{ uint256 {n} = 0; "),
                  (path, cstart, f"__vvProbe(({' '.join(ann.text.split())}), 1, {n}++) && ("),
                  (path, cstart + clength, ")"),
                  (path, start + length, " }"),
                  (path, len(prog.source_of(loop).data), HELPER)))


def precondition_probe(prog: Program, fn: Node, ann: Any) -> Probe | None:
    body = fn.get("body")
    if body is None or not _plain(ann.text):
        return None
    source = prog.source_of(fn)
    start, _, _ = parse_src(body["src"])
    return Probe(((source.path, start + 1, f" __vvProbe(({' '.join(ann.text.split())}), 1, 0);"),
                  (source.path, len(source.data), HELPER)))
