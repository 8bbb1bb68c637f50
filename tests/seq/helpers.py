"""Shared helpers for the tests of the pure-Python sequence procedure (`vecverify.theories.seq`):
parsing SMT-LIB text, running the procedure, running cvc5 directly on the same text, checking a
model with the reference evaluator, and a brute-force search for small models.

Everything here is independent of the procedure under test except `run_python`: cvc5 reads the
text itself (its own parser, its own sequence solver), models are checked by
`vecverify.terms.evaluate.Evaluator` (the exact semantics), and the brute force enumerates
concrete values.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, Iterator

import cvc5

from vecverify.terms.evaluate import Evaluator, NotEvaluable
from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import BOOL, INT, SeqSort, Sort, UninterpretedSort
from vecverify.terms.walkers import postorder
from vecverify.theories.seq import Outcome, SeqSolver
from vecverify.theories.smtlib import read_script
from vecverify.values import UValue, Value


@dataclass
class Problem:
    """An SMT-LIB script read once: its term manager and its assertions."""

    text: str
    tm: TermManager
    assertions: list[Term]


def parse(text: str) -> Problem:
    script = read_script(text, "t.smt2")
    assertions = [c.term for c in script.commands if c.kind == "assert"]
    assert all(a is not None for a in assertions)
    return Problem(text, script.tm, assertions)  # type: ignore[arg-type]


def run_python(text_or_problem: str | Problem, calculus: str, timeout_s: float = 5.0,
               disabled: Iterable[str] = ()) -> tuple[Problem, Outcome]:
    """The procedure under test on a fresh parse (a fresh term manager each time)."""
    p = parse(text_or_problem) if isinstance(text_or_problem, str) else \
        parse(text_or_problem.text)
    out = SeqSolver(p.tm, calculus=calculus, timeout_s=timeout_s,
                    disabled=tuple(disabled)).check(p.assertions)
    return p, out


def cvc5_status(text: str, timeout_ms: int = 5000,
                options: dict[str, str] | None = None) -> str:
    """cvc5 (its default sequence solver unless `options` say otherwise) on the SMT-LIB text,
    through its own parser: 'sat' | 'unsat' | 'unknown'."""
    solver = cvc5.Solver()
    solver.setOption("tlimit-per", str(timeout_ms))
    for key, val in (options or {}).items():
        solver.setOption(key, val)
    sm = cvc5.SymbolManager(solver)
    parser = cvc5.InputParser(solver, sm)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "t")
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull() or cmd.getCommandName() == "check-sat":
            break
        cmd.invoke(solver, sm)
    result = solver.checkSat()
    if result.isUnsat():
        return "unsat"
    if result.isSat():
        return "sat"
    return "unknown"


def holds(assertions: list[Term], model: dict[str, Value],
          probes: dict[Term, Value] | None = None,
          domains: dict[str, list[Value]] | None = None) -> bool:
    """Every assertion evaluates to true under the reference semantics; out-of-bounds reads
    the probes do not fix get the evaluator's own consistent fresh values."""
    ev = Evaluator(model, probes or {}, domains or {})
    try:
        return all(ev.value(a) is True for a in assertions)
    except NotEvaluable:
        return False


def oob_reads_consistent(out: Outcome) -> bool:
    """The model's out-of-bounds reads are a function of (sequence value, index), as the theory
    requires: two probed `seq.nth` terms that read the same point out of bounds agree.  (The
    evaluator takes each probe as given, so it would not notice.)"""
    ev = Evaluator(out.model, out.probes, out.domains)
    seen: dict[tuple, Value] = {}
    for t, v in out.probes.items():
        if t.op is not Op.SEQ_NTH:
            continue
        try:
            s, i = ev.value(t.args[0]), ev.value(t.args[1])
        except NotEvaluable:          # over the procedure's own (hidden) Skolem symbols
            continue
        if 0 <= i < len(s):  # type: ignore[operator, arg-type]
            continue
        if seen.setdefault((t.sort, s, i), v) != v:
            return False
    return True


def model_holds(p: Problem, out: Outcome) -> bool:
    """The procedure's model checked here, by a fresh evaluator (not the solver's own check):
    every assertion holds and the out-of-bounds reads are consistent."""
    assert out.status == "sat"
    return holds(p.assertions, out.model, out.probes, out.domains) and \
        oob_reads_consistent(out)


# -- brute force --------------------------------------------------------------------------
INT_RANGE = (-1, 0, 1, 2)
ELEMENTS = (0, 1)
MAX_LEN = 2
E_ELEMENTS = 2        # the universe of an uninterpreted element sort


def free_vars(assertions: list[Term]) -> list[Term]:
    seen: dict[str, Term] = {}
    for a in assertions:
        for t in postorder(a):
            if t.op is Op.VAR:
                seen.setdefault(t.name, t)
    return sorted(seen.values(), key=lambda t: t.name)


def _elements(sort: Sort) -> tuple[Value, ...]:
    if sort == INT:
        return ELEMENTS
    if sort == BOOL:
        return (False, True)
    if isinstance(sort, UninterpretedSort):
        return tuple(UValue(sort.name, f"@{sort.name}_{k}") for k in range(E_ELEMENTS))
    raise ValueError(f"no brute-force domain for {sort}")


def _domain(sort: Sort) -> list[Value]:
    if sort == INT:
        return list(INT_RANGE)
    if isinstance(sort, SeqSort):
        elems = _elements(sort.elem)
        return [tuple(xs) for n in range(MAX_LEN + 1) for xs in itertools.product(elems, repeat=n)]
    return list(_elements(sort))


def small_models(assertions: list[Term]) -> Iterator[dict[str, Value]]:
    vs = free_vars(assertions)
    for combo in itertools.product(*(_domain(v.sort) for v in vs)):
        yield {v.name: val for v, val in zip(vs, combo)}


def brute_force(p: Problem) -> dict[str, Value] | None:
    """A small model of the assertions, or None.  A model found is a genuine model (every
    unprobed out-of-bounds read gets one fixed value per (sequence, index) point, which the
    theory allows); finding none proves nothing."""
    domains: dict[str, list[Value]] = {}
    for v in free_vars(p.assertions):
        for sort in (v.sort, getattr(v.sort, "elem", None)):
            if isinstance(sort, UninterpretedSort):
                domains[sort.name] = list(_elements(sort))
    for model in small_models(p.assertions):
        if holds(p.assertions, model, domains=domains):
            return model
    return None
