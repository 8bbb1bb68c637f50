"""The `python` solver: vecverify's own sequence calculus (`vecverify.theories.seq`) refining
a cvc5-decided abstraction, behind the same task/result protocol as the cvc5 driver."""
from __future__ import annotations

import time

from vecverify.errors import VecverifyError

from .base import SolverResult, SolverTask


class PythonSeqSolver:
    name = "python"

    def __init__(self, calculus: str = "ext") -> None:
        self.calculus = calculus

    def check(self, task: SolverTask) -> SolverResult:
        from vecverify.theories.seq import SeqSolver
        from vecverify.theories.smtlib import read_script

        start = time.monotonic()
        script = read_script(task.smtlib, "<task>")
        assertions, declared = [], []
        for cmd in script.commands:
            if cmd.unsupported is not None:
                return SolverResult("unknown", cmd.unsupported.reason, solver=self.name,
                                    time_s=time.monotonic() - start)
            if cmd.kind == "assert" and cmd.term is not None:
                assertions.append(cmd.term)
            elif cmd.kind in ("declare-fun", "declare-const") and cmd.term is not None:
                declared.append(cmd.term)
            elif cmd.kind == "check-sat":
                break
        solver = SeqSolver(script.tm, self.calculus, timeout_s=task.timeout_s)
        out = solver.check(assertions, declared)
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


def python_base() -> PythonSeqSolver:
    return PythonSeqSolver("base")
