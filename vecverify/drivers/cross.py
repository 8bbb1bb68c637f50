"""The `cross` solver: cvc5 and the Python sequence procedure on every task; a definite
answer of one contradicting a definite answer of the other is a disagreement, reported as
such (a bug in one of them), never resolved by picking a side."""
from __future__ import annotations

import time
from dataclasses import replace

from .base import SolverResult, SolverTask
from .cvc5_api import Cvc5Solver
from .python_seq import PythonSeqSolver


class CrossSolver:
    name = "cross"

    def __init__(self, calculus: str = "ext", combination: str = "hybrid",
                 unsound_ok: bool = False) -> None:
        self.solvers = (Cvc5Solver(), PythonSeqSolver(calculus, combination, unsound_ok))

    def check(self, task: SolverTask) -> SolverResult:
        # the task's budget is shared: each solver gets half (the worker pool enforces it)
        half = replace(task, timeout_s=task.timeout_s / 2)
        start = time.monotonic()
        cvc5, python = (s.check(half) for s in self.solvers)
        spent = time.monotonic() - start
        stats = {**python.stats, "cvc5": cvc5.status, "python": python.status}
        if {cvc5.status, python.status} == {"sat", "unsat"}:
            return SolverResult(
                "unknown", f"solvers disagree: cvc5 says {cvc5.status}, the Python procedure "
                f"says {python.status}", time_s=spent, solver=self.name,
                stats={**stats, "disagreement": True})
        if cvc5.status == python.status == "unknown":
            return SolverResult("unknown", f"cvc5: {cvc5.reason}; python: {python.reason}",
                                time_s=spent, solver=self.name, stats=stats)
        pick = cvc5 if cvc5.status != "unknown" else python
        return replace(pick, time_s=spent, solver=self.name, stats=stats)


def cross_base(**settings: object) -> CrossSolver:
    return CrossSolver("base", **settings)  # type: ignore[arg-type]
