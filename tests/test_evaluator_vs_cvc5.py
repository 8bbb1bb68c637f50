"""The counterexample evaluator agrees with cvc5 on the sequence theory's semantics.

Hypothesis builds random ground terms over Int sequences (concatenation, extract and update
with out-of-range arguments, nth in bounds, len, arithmetic); the evaluator computes a value
and cvc5 must find `term != value` unsatisfiable.  Out-of-bounds nth is left out: it is
unconstrained, so no single value is right.
"""
from __future__ import annotations

import cvc5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vecverify.terms import INT, SeqSort, Term, TermManager, to_smtlib
from vecverify.terms.evaluate import Evaluator

SEQ = SeqSort(INT)
TM = TermManager()


def ints() -> st.SearchStrategy[Term]:
    base = st.integers(-3, 6).map(TM.int)
    return st.recursive(base, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: TM.add(*p)),
        st.tuples(inner, inner).map(lambda p: TM.sub(*p)),
        seqs_leaf().map(TM.seq_len)), max_leaves=3)


def seqs_leaf() -> st.SearchStrategy[Term]:
    return st.lists(st.integers(-5, 5), max_size=4).map(
        lambda xs: TM.seq_lit([TM.int(x) for x in xs], SEQ))


def seqs() -> st.SearchStrategy[Term]:
    small = st.integers(-2, 6).map(TM.int)
    return st.recursive(seqs_leaf(), lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: TM.seq_concat(*p)),
        st.tuples(inner, small, small).map(lambda p: TM.seq_extract(*p)),
        st.tuples(inner, small, inner).map(lambda p: TM.seq_update(*p)),
        st.tuples(inner, small, st.integers(-5, 5)).map(
            lambda p: TM.seq_update(p[0], p[1], TM.seq_unit(TM.int(p[2]))))), max_leaves=6)


def literal(v: object) -> str:
    if isinstance(v, tuple):
        if not v:
            return "(as seq.empty (Seq Int))"
        units = [f"(seq.unit {literal(x)})" for x in v]
        return units[0] if len(units) == 1 else f"(seq.++ {' '.join(units)})"
    assert isinstance(v, int)
    return str(v) if v >= 0 else f"(- {-v})"


def cvc5_agrees(term: Term, value: object) -> bool:
    solver = cvc5.Solver()
    solver.setOption("tlimit-per", "10000")
    sm = cvc5.SymbolManager(solver)
    parser = cvc5.InputParser(solver, sm)
    text = (f"(set-logic ALL)\n(assert (not (= {to_smtlib(term)} {literal(value)})))\n")
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "t")
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        cmd.invoke(solver, sm)
    return solver.checkSat().isUnsat()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seqs())
def test_sequence_terms_evaluate_as_cvc5_says(term: Term) -> None:
    value = Evaluator({}).value(term)
    assert cvc5_agrees(term, value), (to_smtlib(term), value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seqs(), st.integers(0, 8), ints())
def test_in_bounds_nth_and_lengths_evaluate_as_cvc5_says(s: Term, k: int, n: Term) -> None:
    ev = Evaluator({})
    length = ev.value(TM.seq_len(s))
    assert cvc5_agrees(TM.seq_len(s), length)
    assert cvc5_agrees(n, ev.value(n))
    if length:
        read = TM.seq_nth(s, TM.int(k % length))   # type: ignore[operator]
        assert cvc5_agrees(read, ev.value(read))


@settings(max_examples=60, deadline=None)
@given(st.integers(-9, 9), st.integers(-9, 9).filter(lambda b: b != 0))
def test_division_matches_smtlib(a: int, b: int) -> None:
    for t in (TM.div(TM.int(a), TM.int(b)), TM.mod(TM.int(a), TM.int(b))):
        assert cvc5_agrees(t, Evaluator({}).value(t))
