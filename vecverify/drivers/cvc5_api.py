"""cvc5 through its Python API, as a portfolio of sound attempts within one time budget.

1. the boxed encoding with the array-style solver (`seq-array=lazy`, the paper's EXT calculus):
   fast on update/nth reasoning; only its `unsat` is used (see encoders/boxing.py for why the
   boxing makes that answer trustworthy despite a known cvc5 EXT bug);
   on quantified VCs, again with `full-saturate-quant` (instantiation to saturation), which
   proves quantified invariants after swap-and-pop style updates;
2. the plain encoding with cvc5's default (BASE) sequence solver: `sat` and `unsat` trusted;
3. on quantified VCs, the plain encoding with bounded finite-model finding and with model-based
   instantiation (also combined with `seq-array`, sat only), which find the models that default
   e-matching answers `unknown` on;
4. the plain encoding with `seq-array=lazy`, whose `sat` models are used (they are checked by
   evaluation before being shown) but whose `unsat` is not.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from vecverify.values import ArrayValue, UValue, Value

from .base import SolverResult, SolverTask


@dataclass(frozen=True)
class Attempt:
    encoding: str                              # plain | boxed
    options: dict[str, str]
    trusted: frozenset[str]                    # which answers of this attempt count
    quantified_only: bool = False
    share: float | None = None                 # fraction of the remaining budget
    label: str = field(default="")


ATTEMPTS: tuple[Attempt, ...] = (
    Attempt("boxed", {"seq-array": "lazy"}, frozenset({"unsat"}), share=0.5, label="boxed-ext"),
    Attempt("boxed", {"seq-array": "lazy", "full-saturate-quant": "true"}, frozenset({"unsat"}),
            True, share=0.4, label="boxed-ext-saturate"),
    Attempt("plain", {}, frozenset({"sat", "unsat"}), label="base"),
    Attempt("plain", {"fmf-bound": "true"}, frozenset({"sat", "unsat"}), True, label="fmf-bound"),
    Attempt("plain", {"mbqi": "true", "seq-array": "lazy"}, frozenset({"sat"}), True,
            label="mbqi-ext-models"),
    Attempt("plain", {"mbqi": "true"}, frozenset({"sat", "unsat"}), True, label="mbqi"),
    Attempt("plain", {"seq-array": "lazy"}, frozenset({"sat"}), label="ext-models"),
)


class Cvc5Solver:
    name = "cvc5"

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.options = dict(options or {})

    def check(self, task: SolverTask) -> SolverResult:
        start = time.monotonic()
        deadline = start + task.timeout_s
        plan = [a for a in ATTEMPTS
                if (task.quantified or not a.quantified_only)
                and (a.encoding == "plain" or task.boxed_smtlib)]
        reasons: list[str] = []
        for k, attempt in enumerate(plan):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            budget = remaining * attempt.share if attempt.share else remaining / (len(plan) - k)
            text = task.boxed_smtlib if attempt.encoding == "boxed" else task.smtlib
            res = self._attempt(text, task.probes, {**attempt.options, **self.options}, budget,
                                want_model=attempt.encoding == "plain")
            if res.status in attempt.trusted:
                return SolverResult(res.status, "", res.model, res.probes, res.domains,
                                    time.monotonic() - start, self.name)
            reasons.append(res.reason or f"{attempt.label}: {res.status} not trusted")
        reason = "timeout" if (not reasons or "timeout" in reasons
                               or time.monotonic() >= deadline - 0.1) else reasons[-1]
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
            why = str(result.getUnknownExplanation()).rsplit(".", 1)[-1].lower()
            if why in ("timeout", "resourceout"):
                why = "timeout"
            return SolverResult("unknown", why, solver=self.name)
        if not want_model:
            return SolverResult("sat", solver=self.name)
        model: dict[str, Value] = {}
        for term in sm.getDeclaredTerms():
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


def to_value(term: Any) -> Value:
    """A cvc5 value term as a plain Python value.

    cvc5 writes an array value as a chain of `store`s over a constant array, innermost store
    first (`(store (store ((as const (Array Int Int)) 0) 3 7) 4 1)`); indices, elements and the
    base may themselves be arrays or sequences."""
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
    if term.getSort().isArray():
        return _array_value(term)
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
