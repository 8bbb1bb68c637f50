"""The `python` solver: vecverify's own sequence calculus (`vecverify.theories.seq`) refining
a cvc5-decided abstraction, behind the same task/result protocol as the cvc5 driver."""
from __future__ import annotations

import time

from vecverify.errors import VecverifyError

from .base import SolverResult, SolverTask


class PythonSeqSolver:
    name = "python"

    def __init__(self, calculus: str = "ext", combination: str = "hybrid",
                 unsound_ok: bool = False) -> None:
        self.calculus = calculus
        self.combination = combination
        self.unsound_ok = unsound_ok

    def check(self, task: SolverTask) -> SolverResult:
        from vecverify.theories.seq import SeqSolver
        from vecverify.theories.smtlib import read_script
        from vecverify.theories.smtlib.queries import queries

        start = time.monotonic()
        script = read_script(task.smtlib, "<task>")
        query = queries(script)[0]          # a task is one check-sat
        if query.unsupported:
            return SolverResult("unknown", query.unsupported, solver=self.name,
                                time_s=time.monotonic() - start)
        solver = SeqSolver(script.tm, self.calculus, timeout_s=task.timeout_s,
                           combination=self.combination, unsound_ok=self.unsound_ok)
        out = solver.check(list(query.assertions), query.declared)
        stats = out.stats.as_dict()
        if out.status != "sat":
            return SolverResult(out.status, out.reason, time_s=time.monotonic() - start,
                                solver=self.name, stats=stats)
        ev = out.evaluator()
        probes = []
        for text in task.probes:
            try:
                probes.append(ev.value(script.term(text)))
            except VecverifyError:
                probes.append(None)
        return SolverResult("sat", model=out.model, probes=tuple(probes), domains=out.domains,
                            time_s=time.monotonic() - start, solver=self.name, stats=stats)


def python_base(**settings: object) -> PythonSeqSolver:
    return PythonSeqSolver("base", **settings)  # type: ignore[arg-type]
