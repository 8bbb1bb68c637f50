"""Replaying a `.vec` counterexample on the concrete interpreter (`interpret.py`).

The interpreter runs the checked AST with the language's semantics, independently of the
lowering that produced the VC, so a counterexample is shown only if running the function on
its inputs really fails at the reported check.  A model from an abstraction (a loop cut by its
invariants, a callee known by its contract) does not replay; the pipeline then searches with
unrolled loops or reports the check as unknown.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from vecverify.values import to_json

from .interpret import load_program, run

_PROGRAMS: dict[tuple[str, float], Any] = {}


@dataclass
class Replay:
    confirmed: bool
    info: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    final: bool = False                      # no other model could be confirmed either


def _program(path: str) -> Any:
    key = (os.path.abspath(path), os.path.getmtime(path))
    if key not in _PROGRAMS:
        _PROGRAMS[key] = load_program(path)
    return _PROGRAMS[key]


def confirm(proc: Any, vc: Any, validation: Any, options: Any) -> Replay:
    """The pipeline's entry point (`vecverify.pipeline.REPLAYERS`)."""
    cex = validation.counterexample or {}
    inputs = dict(cex.get("inputs") or {})
    entry = validation.entry or {}
    # results start unconstrained: the run starts them where the model did
    results = {info.source_name: to_json(entry[info.term]) for info in proc.variables
               if info.role == "result" and info.term in entry}
    span = vc.check.span
    try:
        out = run(_program(span.file), proc.name, inputs, results=results)
    except (ValueError, TypeError) as exc:
        return Replay(False, {}, f"not replayed: {exc}")
    call = f"{proc.name}({', '.join(f'{k} = {v}' for k, v in inputs.items())})"
    info = {"engine": "interpreter", "call": call, "status": out.status,
            "line": out.failure.line if out.failure else None, "confirmed": False}
    if out.fails_at(span.line, span.column, vc.check.kind):
        info["confirmed"] = True
        return Replay(True, info)
    if out.status == "failed" and out.failure is not None:
        f = out.failure
        return Replay(False, info, f"the run fails elsewhere first ({f.kind} at line "
                      f"{f.line}:{f.column})")
    return Replay(False, info, f"the run is {out.status}" + (f": {out.reason}"
                                                           if out.reason else ""))
