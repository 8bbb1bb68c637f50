"""cvc5 through its Python API, as a portfolio of sound attempts within one time budget.

Attempts differ in encoding and options, and in which answers they are trusted for:
- the *boxed* encoding (vector elements in uninterpreted boxes; see encoders/boxing.py) with
  the array-style solver (`seq-array`, the paper's EXT calculus), also with
  `full-saturate-quant`, and with cvc5's default (BASE) solver and `full-saturate-quant`:
  only `unsat` counts (boxing makes EXT's unsat trustworthy despite a known cvc5 bug; a boxed
  model proves nothing);
- the *plain* encoding with the default solver: `sat` and `unsat`; with bounded finite-model
  finding or model-based instantiation on quantified VCs: `sat` and `unsat`; with `seq-array`
  or cvc5's experimental array features (`arrays-exp`, which finds models of quantified
  mapping invariants): `sat` only (models are checked by evaluation before being shown; the
  unsat of these configurations is not used).
Each attempt gets a share of the budget that remains when it starts, so a quick `unknown`
leaves time to the next one.  Violations are usually found in milliseconds, so the cheap
model-finding attempts run first on quantified VCs, the one that finds most models with the
largest share: on 155 quantified VCs of generated contracts (benchmarks/evm_campaign.py),
`base` decided every unsat one (p90 0.04 s) and `mbqi-arrays-models` found every model
(p90 0.15 s); `mbqi-ext-models` found none of them (it is kept for the .vec examples).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from vecverify.values import ArrayValue, OpenRead, UValue, Value

from .base import AttemptHook, SolverResult, SolverTask

SAT_UNSAT = frozenset({"sat", "unsat"})
UNSAT = frozenset({"unsat"})
SAT = frozenset({"sat"})


@dataclass(frozen=True)
class Attempt:
    encoding: str                              # plain | boxed
    options: dict[str, str]
    trusted: frozenset[str]                    # which answers of this attempt count
    share: float                               # fraction of the remaining budget
    label: str = field(default="")


QUANTIFIER_FREE_PLAN: tuple[Attempt, ...] = (
    Attempt("boxed", {"seq-array": "lazy"}, UNSAT, 0.5, "boxed-ext"),
    Attempt("plain", {}, SAT_UNSAT, 0.7, "base"),
    Attempt("plain", {"seq-array": "lazy"}, SAT, 1.0, "ext-models"),
)
QUANTIFIED_PLAN: tuple[Attempt, ...] = (
    Attempt("plain", {}, SAT_UNSAT, 0.1, "base"),
    Attempt("plain", {"mbqi": "true", "arrays-exp": "true"}, SAT, 0.25, "mbqi-arrays-models"),
    Attempt("plain", {"mbqi": "true", "seq-array": "lazy"}, SAT, 0.05, "mbqi-ext-models"),
    Attempt("boxed", {"seq-array": "lazy", "full-saturate-quant": "true"}, UNSAT, 0.4,
            "boxed-ext-saturate"),
    Attempt("boxed", {"full-saturate-quant": "true"}, UNSAT, 0.5, "boxed-base-saturate"),
    Attempt("boxed", {"seq-array": "lazy"}, UNSAT, 0.4, "boxed-ext"),
    Attempt("plain", {"fmf-bound": "true"}, SAT_UNSAT, 0.5, "fmf-bound"),
    Attempt("plain", {"mbqi": "true"}, SAT_UNSAT, 1.0, "mbqi"),
)


class Cvc5Solver:
    name = "cvc5"

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.options = dict(options or {})
        self.on_attempt: AttemptHook | None = None      # set by the worker pool

    def check(self, task: SolverTask) -> SolverResult:
        start = time.monotonic()
        deadline = start + task.timeout_s
        plan = [a for a in (QUANTIFIED_PLAN if task.quantified else QUANTIFIER_FREE_PLAN)
                if a.encoding == "plain" or task.boxed_smtlib]
        reasons: list[str] = list(task.notes)
        for k, attempt in enumerate(plan):
            if k < task.first_attempt:
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            budget = remaining * attempt.share
            if self.on_attempt is not None:
                self.on_attempt(k, attempt.label, budget)
            text = task.boxed_smtlib if attempt.encoding == "boxed" else task.smtlib
            res = self._attempt(text, task.probes, {**attempt.options, **self.options}, budget,
                                want_model=attempt.encoding == "plain")
            if res.status in attempt.trusted:
                return SolverResult(res.status, "", res.model, res.probes, res.domains,
                                    time.monotonic() - start, self.name)
            reasons.append(res.reason or f"{attempt.label}: {res.status} not trusted")
        reason = "timeout" if (not reasons or "timeout" in reasons
                               or time.monotonic() >= deadline - 0.1) else reasons[-1]
        if task.notes and reason not in task.notes:
            reason += f" ({'; '.join(task.notes)})"
        return SolverResult("unknown", reason, time_s=time.monotonic() - start, solver=self.name)

    def _attempt(self, text: str, probe_texts: tuple[str, ...], options: dict[str, str],
                 budget_s: float, want_model: bool = True) -> SolverResult:
        import cvc5
        solver = cvc5.Solver()
        solver.setOption("produce-models", "true")
        solver.setOption("tlimit-per", str(max(1, int(budget_s * 1000))))
        for key, val in options.items():
            solver.setOption(key, val)
        sm = cvc5.SymbolManager(solver)
        parser = cvc5.InputParser(solver, sm)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "vc")
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
            return SolverResult("unknown", unknown_reason(result), solver=self.name)
        if not want_model:
            return SolverResult("sat", solver=self.name)
        model: dict[str, Value] = {}
        for term in sm.getDeclaredTerms():
            if term.getSort().isFunction():      # n-ary functions: lambdas, used only applied
                continue
            model[term.getSymbol()] = to_value(solver.getValue(term))
        probes: list[Value | None] = []
        for probe in probe_texts:
            parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, probe, "probe")
            try:
                probes.append(to_value(solver.getValue(parser.nextTerm())))
            except ValueError:
                # cvc5 left this application open (e.g. nth of nth out of bounds): the model
                # does not fix it, and the evaluator interprets it itself
                probes.append(None)
        domains: dict[str, list[Value]] = {}
        for sort in sm.getDeclaredSorts():
            domains[sort.getSymbol()] = [to_value(v) for v in solver.getModelDomainElements(sort)]
        return SolverResult("sat", model=model, probes=tuple(probes), domains=domains,
                            solver=self.name)


def unknown_reason(result: Any) -> str:
    """Why cvc5 answered unknown, in lower case; time and resource limits are `timeout`."""
    why = str(result.getUnknownExplanation()).rsplit(".", 1)[-1].lower()
    return "timeout" if why in ("timeout", "resourceout") else why


def to_value(term: Any) -> Value:
    """A cvc5 value term as a plain Python value.

    cvc5 writes an array value as a chain of `store`s over a constant array, innermost store
    first (`(store (store ((as const (Array Int Int)) 0) 3 7) 4 1)`); indices, elements and the
    base may themselves be arrays or sequences."""
    if term.isBooleanValue():
        return bool(term.getBooleanValue())
    if term.isIntegerValue():
        return int(term.getIntegerValue())
    if term.isBitVectorValue():
        return int(term.getBitVectorValue(10))
    if term.isSequenceValue():
        return tuple(to_value(e) for e in term.getSequenceValue())
    if term.isUninterpretedSortValue():
        raw = term.getUninterpretedSortValue()
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        return UValue(term.getSort().getSymbol(), name)
    if term.getSort().isArray():
        return _array_value(term)
    from cvc5 import Kind
    if term.getKind() == Kind.SEQ_NTH:          # an out-of-bounds read the model leaves open
        return OpenRead(to_value(term[0]), to_value(term[1]))
    raise ValueError(f"unsupported model value {term} of sort {term.getSort()}")


def _array_value(term: Any) -> ArrayValue:
    from cvc5 import Kind
    stores = []
    while term.getKind() == Kind.STORE:        # a loop: a model may hold many stores
        stores.append((term[1], term[2]))
        term = term[0]
    if not term.isConstArray():
        raise ValueError(f"unsupported array value {term} of sort {term.getSort()}")
    # inner stores first: ArrayValue keeps the last entry of a key, so outer stores win
    return ArrayValue(to_value(term.getConstArrayBase()),
                      tuple((to_value(k), to_value(v)) for k, v in reversed(stores)))
