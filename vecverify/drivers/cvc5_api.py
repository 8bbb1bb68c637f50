"""cvc5 through its Python API, run on SMT-LIB text with a per-call time limit.

Quantified VCs that cvc5's default instantiation answers `unknown` are retried with bounded
finite-model finding and model-based instantiation (both are sound; they only help cvc5 find
models), within the same overall time budget.
"""
from __future__ import annotations

import time
from typing import Any

from vecverify.values import UValue, Value

from .base import SolverResult, SolverTask

# Strategies tried in order on quantified VCs; quantifier-free VCs use the first only.
STRATEGIES: tuple[dict[str, str], ...] = (
    {},
    {"fmf-bound": "true"},
    {"mbqi": "true"},
)


class Cvc5Solver:
    name = "cvc5"

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.options = dict(options or {})

    def check(self, task: SolverTask) -> SolverResult:
        start = time.monotonic()
        deadline = start + task.timeout_s
        strategies = STRATEGIES if task.quantified else STRATEGIES[:1]
        last: SolverResult | None = None
        for strategy in strategies:
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            last = self._attempt(task, {**self.options, **strategy}, remaining)
            if last.status != "unknown":
                break
        elapsed = time.monotonic() - start
        if last is None:
            return SolverResult("unknown", "timeout", time_s=elapsed, solver=self.name)
        return SolverResult(last.status, last.reason, last.model, last.probes, last.domains,
                            elapsed, self.name)

    def _attempt(self, task: SolverTask, options: dict[str, str],
                 budget_s: float) -> SolverResult:
        import cvc5
        solver = cvc5.Solver()
        solver.setOption("produce-models", "true")
        solver.setOption("tlimit-per", str(max(1, int(budget_s * 1000))))
        for key, val in options.items():
            solver.setOption(key, val)
        sm = cvc5.SymbolManager(solver)
        parser = cvc5.InputParser(solver, sm)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, task.smtlib, "vc")
        result = None
        while True:
            cmd = parser.nextCommand()
            if cmd.isNull():
                break
            if cmd.getCommandName() == "check-sat":
                result = solver.checkSat()
                break
            cmd.invoke(solver, sm)
        if result is None:
            result = solver.checkSat()
        if result.isUnsat():
            return SolverResult("unsat", solver=self.name)
        if result.isUnknown():
            why = str(result.getUnknownExplanation()).rsplit(".", 1)[-1].lower()
            if why in ("timeout", "resourceout"):
                why = "timeout"
            return SolverResult("unknown", why, solver=self.name)
        model: dict[str, Value] = {}
        for term in sm.getDeclaredTerms():
            model[term.getSymbol()] = to_value(solver.getValue(term))
        probes: list[Value | None] = []
        for text in task.probes:
            parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "probe")
            probes.append(to_value(solver.getValue(parser.nextTerm())))
        domains: dict[str, list[Value]] = {}
        for sort in sm.getDeclaredSorts():
            domains[sort.getSymbol()] = [to_value(v) for v in solver.getModelDomainElements(sort)]
        return SolverResult("sat", model=model, probes=tuple(probes), domains=domains,
                            solver=self.name)


def to_value(term: Any) -> Value:
    """A cvc5 value term as a plain Python value."""
    if term.isBooleanValue():
        return bool(term.getBooleanValue())
    if term.isIntegerValue():
        return int(term.getIntegerValue())
    if term.isSequenceValue():
        return tuple(to_value(e) for e in term.getSequenceValue())
    if term.isUninterpretedSortValue():
        raw = term.getUninterpretedSortValue()
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        return UValue(term.getSort().getSymbol(), name)
    raise ValueError(f"unsupported model value {term} of sort {term.getSort()}")
