"""The theory of arrays end to end: terms, printing, values, evaluation against cvc5, model
values, the encoder's naming of constant arrays cvc5 cannot read, boxing, the pipeline.

As in test_evaluator_vs_cvc5, hypothesis builds random ground terms (constant arrays, stores,
selects, extensional equalities, arrays of sequences and sequences of arrays); the evaluator
computes a value and cvc5 must find `term != value` unsatisfiable.  Quantifiers over mapping
keys are checked against brute-force enumeration.
"""
from __future__ import annotations

import cvc5
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vecverify.drivers import SolverTask, run_tasks
from vecverify.drivers.cvc5_api import Cvc5Solver, to_value
from vecverify.encoders import encode
from vecverify.errors import InternalError, Span
from vecverify.ir import Assert, Assign, Assume, Block, Check, Procedure, VarInfo
from vecverify.obligations import AssertCheck, Postcondition
from vecverify.pipeline import judge
from vecverify.reports import Status
from vecverify.terms import (BOOL, INT, Op, SeqSort, Sort, Term, TermManager,
                             UninterpretedSort, substitute, to_smtlib)
from vecverify.terms.evaluate import Evaluator, NotEvaluable
from vecverify.terms.sorts import ArraySort, uninterpreted_sorts
from vecverify.values import ArrayValue, UValue, show, to_json
from vecverify.vcgen import VC, generate

from .test_evaluator_vs_cvc5 import SEQ, TM, seqs

AII = ArraySort(INT, INT)
ABI = ArraySort(BOOL, INT)
AIS = ArraySort(INT, SEQ)
SEQ_A = SeqSort(AII)
U = UninterpretedSort("U")


# -- helpers -------------------------------------------------------------------------------
def value_term(v: object, sort: Sort) -> Term:
    """The ground term denoting a value of `sort` (in the shared manager TM)."""
    if isinstance(sort, ArraySort):
        assert isinstance(v, ArrayValue)
        out = TM.const_array(sort, value_term(v.default, sort.elem))
        for k, x in v.entries:
            out = TM.store(out, value_term(k, sort.index), value_term(x, sort.elem))
        return out
    if isinstance(sort, SeqSort):
        assert isinstance(v, tuple)
        return TM.seq_lit([value_term(x, sort.elem) for x in v], sort)
    if isinstance(v, bool):
        return TM.bool(v)
    assert isinstance(v, int)
    return TM.int(v)


def run_script(text: str, options: dict[str, str] | None = None) -> cvc5.Result:
    solver = cvc5.Solver()
    solver.setOption("tlimit-per", "10000")
    for key, val in (options or {}).items():
        solver.setOption(key, val)
    sm = cvc5.SymbolManager(solver)
    parser = cvc5.InputParser(solver, sm)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "t")
    result = None
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        if cmd.getCommandName() == "check-sat":
            result = solver.checkSat()
            continue
        cmd.invoke(solver, sm)
    return result if result is not None else solver.checkSat()


def cvc5_agrees(term: Term, value: object) -> bool:
    """cvc5 (the driver's portfolio) finds `term != value` unsatisfiable, in the script the
    encoder makes of it (constant arrays of sequences are named there and defined by quantified
    axioms, see encoders.smtlib.ConstArrays)."""
    formula = TM.not_(TM.eq(term, value_term(value, term.sort)))
    script = encode(TM, vc_of(formula))
    task = SolverTask(script.text(), script.probe_texts(), 20.0, script.quantified)
    return Cvc5Solver().check(task).status == "unsat"


def span(line: int = 1) -> Span:
    return Span("t.sol", line, 1, line, 10)


def vc_of(formula: Term) -> VC:
    return VC("p", Check(AssertCheck, span(), "p", "assertion may not hold"), (), formula, (), ())


# -- terms and sorts -----------------------------------------------------------------------
def test_array_terms_have_sorts_and_print_as_smtlib() -> None:
    tm = TermManager()
    m = tm.var("m", AII)
    zero = tm.const_array(AII, tm.int(0))
    assert tm.select(m, tm.int(1)).sort == INT
    assert tm.store(m, tm.int(1), tm.int(2)).sort == AII
    assert to_smtlib(zero) == "((as const (Array Int Int)) 0)"
    assert to_smtlib(tm.select(tm.store(zero, tm.int(3), tm.int(-7)), tm.var("i", INT))) == \
        "(select (store ((as const (Array Int Int)) 0) 3 (- 7)) i)"
    assert ArraySort(U, SeqSort(INT)).smt() == "(Array U (Seq Int))"
    assert uninterpreted_sorts(SeqSort(ArraySort(U, ArraySort(INT, UninterpretedSort("V"))))) \
        == {U, UninterpretedSort("V")}
    assert tm.const_array(AII, tm.int(0)) is zero


def test_ill_sorted_array_terms_are_rejected() -> None:
    tm = TermManager()
    m = tm.var("m", AII)
    with pytest.raises(InternalError):
        tm.select(m, tm.true)
    with pytest.raises(InternalError):
        tm.store(m, tm.int(0), tm.true)
    with pytest.raises(InternalError):
        tm.select(tm.var("xs", SEQ), tm.int(0))
    with pytest.raises(InternalError):
        tm.const_array(AII, tm.true)
    with pytest.raises(InternalError):
        tm.mk(Op.CONST_ARRAY, (tm.int(0),))          # no sort given


def test_substitution_rebuilds_constant_arrays_with_their_sort() -> None:
    tm = TermManager()
    x, k = tm.var("x", INT), tm.var("k", INT)
    t = tm.select(tm.store(tm.const_array(AII, x), k, x), tm.int(2))
    out = substitute(tm, t, {x: tm.int(4)})
    assert out is tm.select(tm.store(tm.const_array(AII, tm.int(4)), k, tm.int(4)), tm.int(2))
    assert out.args[0].args[0].sort == AII
    # rebuilding a node whose sort follows from its arguments gives the very same node
    p = tm.var("p", BOOL)
    assert substitute(tm, tm.ite(p, x, k), {x: tm.int(1)}) is tm.ite(p, tm.int(1), k)


def test_printed_array_scripts_parse_in_cvc5() -> None:
    tm = TermManager()
    m, s = tm.var("m", AIS), tm.var("s", SEQ_A)
    n = tm.var("n", ArraySort(U, ArraySort(INT, BOOL)))
    u = tm.var("u", U)
    facts = [
        tm.eq(tm.select(m, tm.int(1)), tm.seq_unit(tm.int(3))),
        tm.eq(tm.store(m, tm.int(2), tm.seq_empty(SEQ)),
              tm.const_array(AIS, tm.seq_empty(SEQ))),
        tm.eq(tm.select(tm.seq_nth(s, tm.int(0)), tm.int(5)), tm.int(1)),
        tm.select(tm.select(n, u), tm.int(0)),
        tm.eq(tm.select(n, u), tm.const_array(ArraySort(INT, BOOL), tm.false)),
    ]
    decls = "".join(f"(declare-fun {v.name} () {v.sort.smt()})\n" for v in (m, s, n, u))
    for f in facts:
        text = ("(set-option :arrays-exp true)\n(set-logic ALL)\n(declare-sort U 0)\n" + decls
                + f"(assert {to_smtlib(f)})\n")
        assert not run_script(text).isUnknown(), to_smtlib(f)


def test_constant_arrays_cvc5_cannot_read_are_named_and_defined_by_an_axiom() -> None:
    tm = TermManager()
    i, x = tm.var("i", INT), tm.var("x", INT)
    # value literals stay literals (a negative one spelled as cvc5 wants it)
    neg = tm.const_array(ArraySort(INT, AII), tm.const_array(AII, tm.int(-1)))
    script = encode(tm, vc_of(tm.neq(tm.select(tm.select(neg, i), i), tm.int(-1))))
    assert "((as const (Array Int (Array Int Int))) ((as const (Array Int Int)) -1))" in \
        script.text() and not script.quantified
    assert run_script(script.text()).isUnsat()
    # a symbolic default, also one that depends on a bound variable
    b = tm.bound_var("b", INT)
    f = tm.or_(tm.neq(tm.select(tm.const_array(AII, x), i), x),
               tm.not_(tm.forall([b], tm.eq(tm.select(tm.const_array(AII, b), i), b))))
    script = encode(tm, vc_of(f))
    text = script.text()
    assert "(declare-fun const!0 () (Array Int Int))" in text
    assert "(declare-fun const!1 (Int) (Array Int Int))" in text and script.quantified
    assert "(as const" not in text and "arrays-exp" not in text
    assert run_script(text).isUnsat()
    # naming is equisatisfiable: a satisfiable formula does not become unsat
    s = tm.var("s", SEQ)
    g = tm.eq(tm.select(tm.store(tm.const_array(AIS, s), tm.int(1), tm.seq_empty(SEQ)),
                        tm.int(2)), tm.seq_lit([tm.int(4)], SEQ))
    assert not run_script(encode(tm, vc_of(g)).text()).isUnsat()


# -- values --------------------------------------------------------------------------------
def test_array_values_are_normalized_so_equal_arrays_compare_equal() -> None:
    a = ArrayValue(0, ((3, 7), (1, 0), (3, 8), (10, 2)))
    assert a == ArrayValue(0, ((10, 2), (3, 8)))
    assert a.entries == ((3, 8), (10, 2)) and hash(a) == hash(ArrayValue(0, ((10, 2), (3, 8))))
    assert a.select(3) == 8 and a.select(4) == 0
    assert a.store(3, 0) == ArrayValue(0, ((10, 2),))
    assert a.store(5, 1).select(5) == 1 and a.select(5) == 0         # immutable
    assert ArrayValue(0, ((1, 5),)) != ArrayValue(5, ((1, 0),))
    # a Bool index is finite: both points stored means the default is irrelevant
    assert ArrayValue(0, ((True, 1), (False, 1))) == ArrayValue(1)
    assert ArrayValue(0, ((True, 7), (False, 1))) == ArrayValue(7, ((False, 1),))
    # over a finite universe of an uninterpreted sort, normal forms need the universe
    u0, u1 = UValue("U", "@U_0"), UValue("U", "@U_1")
    b, c = ArrayValue(0, ((u0, 1), (u1, 0))), ArrayValue(3, ((u0, 1), (u1, 0)))
    assert b != c and b.on_universe([u0, u1]) == c.on_universe([u1, u0])


def test_array_values_render_in_reports_and_json() -> None:
    a = ArrayValue(0, ((3, 7), (0, 5)))
    assert show(a) == "{0: 5, 3: 7, else: 0}"
    assert to_json(a) == {"default": 0, "values": {"0": 5, "3": 7}}
    assert show(to_json(a)) == show(a)
    nested = ArrayValue((), ((1, (2, 3)),))
    assert show(nested) == "{1: [2, 3], else: []}"
    assert to_json(nested) == {"default": [], "values": {"1": [2, 3]}}
    assert show(ArrayValue(False, ((UValue("Addr", "@Addr_2"), True),))) == \
        "{Addr#2: true, else: false}"


# -- the evaluator agrees with cvc5 ----------------------------------------------------------
SMALL = st.integers(-2, 4).map(TM.int)


def int_arrays(index: st.SearchStrategy[Term] = SMALL, sort: ArraySort = AII,
               values: st.SearchStrategy[Term] = SMALL) -> st.SearchStrategy[Term]:
    base = values.map(lambda v: TM.const_array(sort, v))

    def extend(inner: st.SearchStrategy[Term]) -> st.SearchStrategy[Term]:
        idx = index if sort.elem != sort.index else st.one_of(
            index, st.tuples(inner, index).map(lambda p: TM.select(*p)))
        return st.one_of(
            st.tuples(inner, idx, values).map(lambda p: TM.store(*p)),
            st.tuples(inner, inner, inner, inner).map(
                lambda p: TM.ite(TM.eq(p[0], p[1]), p[2], p[3])))
    return st.recursive(base, extend, max_leaves=8)


def seq_arrays() -> st.SearchStrategy[Term]:
    return int_arrays(sort=AIS, values=seqs())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(int_arrays(), SMALL)
def test_int_array_terms_evaluate_as_cvc5_says(a: Term, i: Term) -> None:
    ev = Evaluator({})
    assert cvc5_agrees(a, ev.value(a)), (to_smtlib(a), ev.value(a))
    read = TM.select(a, i)
    assert cvc5_agrees(read, ev.value(read))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(int_arrays(values=st.integers(0, 1).map(TM.int)),
       int_arrays(values=st.integers(0, 1).map(TM.int)))
def test_array_equality_is_extensional_as_in_cvc5(a: Term, b: Term) -> None:
    eq = TM.eq(a, b)
    assert cvc5_agrees(eq, Evaluator({}).value(eq)), to_smtlib(eq)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(*[int_arrays(st.booleans().map(TM.bool), ABI, st.integers(0, 2).map(TM.int))] * 2)
def test_bool_indexed_arrays_evaluate_as_cvc5_says(a: Term, b: Term) -> None:
    ev = Evaluator({})
    assert cvc5_agrees(a, ev.value(a)), to_smtlib(a)
    eq = TM.eq(a, b)
    assert cvc5_agrees(eq, ev.value(eq)), to_smtlib(eq)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seq_arrays(), SMALL)
def test_arrays_of_sequences_evaluate_as_cvc5_says(a: Term, i: Term) -> None:
    ev = Evaluator({})
    assert cvc5_agrees(a, ev.value(a)), to_smtlib(a)
    read = TM.select(a, i)
    assert cvc5_agrees(read, ev.value(read))
    length = TM.seq_len(read)
    assert cvc5_agrees(length, ev.value(length))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(int_arrays(), min_size=1, max_size=3), st.integers(0, 5), SMALL)
def test_sequences_of_arrays_evaluate_as_cvc5_says(arrs: list[Term], k: int, i: Term) -> None:
    s = TM.seq_lit(arrs, SEQ_A)
    s = TM.seq_update(s, TM.int(k % 4), TM.seq_unit(arrs[-1]))
    ev = Evaluator({})
    assert cvc5_agrees(s, ev.value(s))
    read = TM.select(TM.seq_nth(s, TM.int(k % len(arrs))), i)
    assert cvc5_agrees(read, ev.value(read))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(-3, 3), st.integers(-2, 2), max_size=4), st.integers(-2, 2),
       st.dictionaries(st.integers(-3, 3), st.integers(-2, 2), max_size=2),
       st.booleans(), st.integers(-2, 2), st.none() | st.integers(-5, 5),
       st.none() | st.integers(-5, 5))
def test_quantifiers_over_mapping_keys_evaluate_as_by_brute_force(
        m_entries: dict[int, int], m_default: int, n_entries: dict[int, int], universal: bool,
        c: int, lo: int | None, hi: int | None) -> None:
    """`forall key :: lo <= key && key + 1 < hi ==> m[key] <= n[key] + c` (and the `exists`
    dual) is decided on the arrays' keys plus one other point, as on a wide range."""
    tm = TermManager()
    m, n, k = tm.var("m", AII), tm.var("n", AII), tm.bound_var("key", INT)
    guards = ([tm.le(tm.int(lo), k)] if lo is not None else []) + \
        ([tm.lt(tm.add(k, tm.int(1)), tm.int(hi))] if hi is not None else [])
    atom = tm.le(tm.select(m, k), tm.add(tm.select(n, k), tm.int(c)))
    body = tm.implies(tm.and_(*guards), atom) if universal else tm.and_(*guards, atom)
    q = tm.forall([k], body) if universal else tm.exists([k], body)
    model = {"m": ArrayValue(m_default, tuple(m_entries.items())),
             "n": ArrayValue(0, tuple(n_entries.items()))}
    brute = [Evaluator(model).value(substitute(tm, body, {k: tm.int(z)})) for z in range(-40, 40)]
    assert Evaluator(model).value(q) == (all(brute) if universal else any(brute))


def test_key_domains_need_the_binder_to_be_only_an_index() -> None:
    tm = TermManager()
    m, k, i = tm.var("m", AII), tm.bound_var("key", INT), tm.bound_var("i", INT)
    xs = tm.var("xs", SEQ)
    model = {"m": ArrayValue(0, ((3, 9),)), "xs": (1, 2)}
    # the Solidity-style type invariant of a mapping, next to a bounded binder
    inv = tm.forall([i, k], tm.implies(tm.and_(tm.le(tm.int(0), i), tm.lt(i, tm.seq_len(xs))),
                                       tm.le(tm.seq_nth(xs, i), tm.select(m, k))))
    assert Evaluator(model).value(inv) is False                   # m[0] = 0 < xs[1] = 2
    assert Evaluator(model).value(tm.exists([k], tm.eq(tm.select(m, k), tm.int(9)))) is True
    for bad in (tm.forall([k], tm.le(tm.int(0), tm.select(m, tm.add(k, tm.int(1))))),
                tm.forall([k], tm.le(k, tm.select(m, k)))):
        with pytest.raises(NotEvaluable):
            Evaluator(model).value(bad)


# -- model values from cvc5 ------------------------------------------------------------------
def solve(tm: TermManager, decls: list[Term], facts: list[Term]):  # type: ignore[no-untyped-def]
    sorts = sorted({u.name for d in decls for u in uninterpreted_sorts(d.sort)})
    text = "(set-option :arrays-exp true)\n(set-logic ALL)\n"
    text += "".join(f"(declare-sort {n} 0)\n" for n in sorts)
    text += "".join(f"(declare-fun {d.name} () {d.sort.smt()})\n" for d in decls)
    text += "".join(f"(assert {to_smtlib(f)})\n" for f in facts) + "(check-sat)\n"
    [result] = run_tasks([SolverTask(text, timeout_s=20.0)], Cvc5Solver)
    assert result.status == "sat", result.reason
    return result


def holds(result, facts: list[Term]) -> bool:  # type: ignore[no-untyped-def]
    ev = Evaluator(result.model, domains=result.domains)
    return all(ev.value(f) is True for f in facts)


def test_cvc5_array_model_converts_and_satisfies_the_assertions() -> None:
    tm = TermManager()
    m = tm.var("m", AII)
    facts = [tm.eq(tm.select(m, tm.int(3)), tm.int(7)), tm.eq(tm.select(m, tm.int(4)), tm.int(1))]
    result = solve(tm, [m], facts)
    value = result.model["m"]
    assert isinstance(value, ArrayValue) and value.select(3) == 7 and value.select(4) == 1
    assert holds(result, facts)
    assert not holds(result, [tm.eq(tm.select(m, tm.int(3)), tm.int(8))])


def test_cvc5_models_of_nested_arrays_and_sequences_convert() -> None:
    tm = TermManager()
    m, s = tm.var("m", AIS), tm.var("s", SEQ_A)
    n, u, v = tm.var("n", ArraySort(U, ArraySort(INT, BOOL))), tm.var("u", U), tm.var("v", U)
    b = tm.var("b", ABI)
    facts = [
        tm.eq(tm.select(m, tm.int(3)), tm.seq_unit(tm.int(7))),
        tm.eq(tm.seq_len(tm.select(m, tm.int(4))), tm.int(2)),
        tm.neq(tm.select(m, tm.int(5)), tm.select(m, tm.int(6))),
        tm.eq(tm.seq_len(s), tm.int(2)),
        tm.eq(tm.select(tm.seq_nth(s, tm.int(1)), tm.int(5)), tm.int(2)),
        tm.neq(tm.seq_nth(s, tm.int(0)), tm.seq_nth(s, tm.int(1))),
        tm.select(tm.select(n, u), tm.int(5)),
        tm.not_(tm.select(tm.select(n, u), tm.int(6))),
        tm.neq(tm.select(n, v), tm.select(n, u)),
        tm.eq(tm.select(b, tm.true), tm.select(b, tm.false)),
        tm.neq(b, tm.const_array(ABI, tm.int(3))),
    ]
    result = solve(tm, [m, s, n, u, v, b], facts)
    assert isinstance(result.model["s"], tuple) and len(result.model["s"]) == 2
    assert all(isinstance(x, ArrayValue) for x in result.model["s"])
    assert isinstance(result.model["n"], ArrayValue)
    assert holds(result, facts)


def test_arrays_over_uninterpreted_sorts_are_compared_on_the_model_universe() -> None:
    tm = TermManager()
    a, b, u = tm.var("a", ArraySort(U, INT)), tm.var("b", ArraySort(U, INT)), tm.var("u", U)
    facts = [tm.eq(tm.select(a, u), tm.select(b, u)), tm.neq(a, b)]
    result = solve(tm, [a, b, u], facts)
    assert holds(result, facts)           # cvc5 names the index where a and b differ
    # with a two-element universe the arrays below agree everywhere: they are equal
    u0, u1 = UValue("U", "@U_0"), UValue("U", "@U_1")
    model = {"a": ArrayValue(0, ((u0, 1), (u1, 0))), "b": ArrayValue(5, ((u0, 1), (u1, 0))),
             "u": u0}
    assert Evaluator(model, domains={"U": [u0, u1]}).value(tm.eq(a, b)) is True
    assert Evaluator(model, domains={"U": [u0, u1, UValue("U", "@U_2")]}).value(
        tm.eq(a, b)) is False
    x = tm.bound_var("x", U)
    same = tm.forall([x], tm.eq(tm.select(a, x), tm.select(b, x)))
    assert Evaluator(model, domains={"U": [u0, u1]}).value(tm.iff(same, tm.eq(a, b))) is True


def test_to_value_of_a_constant_array() -> None:
    tm = cvc5.TermManager()
    arr = tm.mkConstArray(tm.mkArraySort(tm.getIntegerSort(), tm.getBooleanSort()),
                          tm.mkTrue())
    assert to_value(arr) == ArrayValue(True)


# -- the boxed encoding ----------------------------------------------------------------------
def _unsat_array_seq_formula(tm: TermManager) -> Term:
    """Negation of a valid property of mappings to vectors: after `m[i][0] := 5` (when m[i] is
    nonempty) m[i][0] is 5 and other keys are untouched; fresh mappings read [] and [1, 2]."""
    m, i, j = tm.var("m", AIS), tm.var("i", INT), tm.var("j", INT)
    row = tm.select(m, i)
    m2 = tm.store(m, i, tm.seq_update(row, tm.int(0), tm.seq_unit(tm.int(5))))
    fresh = tm.const_array(AIS, tm.seq_lit([tm.int(1), tm.int(2)], SEQ))
    empty = tm.const_array(AIS, tm.seq_empty(SEQ))
    good = tm.and_(tm.eq(tm.seq_len(tm.select(tm.store(empty, i, row), j)),
                         tm.ite(tm.eq(i, j), tm.seq_len(row), tm.int(0))),
                   tm.eq(tm.seq_nth(tm.select(m2, i), tm.int(0)), tm.int(5)),
                   tm.eq(tm.select(m2, j), tm.ite(tm.eq(i, j), tm.select(m2, i),
                                                  tm.select(m, j))),
                   tm.eq(tm.seq_nth(tm.select(tm.store(fresh, i, row), j), tm.int(1)),
                         tm.ite(tm.eq(i, j), tm.seq_nth(row, tm.int(1)), tm.int(2))))
    return tm.and_(tm.lt(tm.int(0), tm.seq_len(row)), tm.not_(good))


def test_boxed_encoding_of_arrays_of_sequences_parses_and_stays_unsat() -> None:
    tm = TermManager()
    script = encode(tm, vc_of(_unsat_array_seq_formula(tm)))
    boxed = script.boxed_text()
    assert "(declare-fun m () (Array Int (Seq Box!Int)))" in boxed
    assert "((as const (Array Int (Seq Box!Int))) (as seq.empty (Seq Box!Int)))" in boxed
    # the constant array of [1, 2] is named and defined by an axiom (cvc5 takes no such literal)
    assert "(declare-fun const!0 () (Array Int (Seq Box!Int)))" in boxed and script.quantified
    assert encode(tm, vc_of(_unsat_array_seq_formula(tm))).text() == script.text()
    assert "(declare-sort Box!Int 0)" in boxed and "(Seq Int)" not in boxed
    assert "(set-option :arrays-exp true)" in boxed and "(set-option :arrays-exp true)" in \
        script.text()
    assert run_script(boxed, {"seq-array": "lazy"}).isUnsat()
    assert run_script(script.text()).isUnsat()


def test_boxed_encoding_of_a_satisfiable_array_formula_is_not_unsat() -> None:
    tm = TermManager()
    m, i = tm.var("m", AIS), tm.var("i", INT)
    f = tm.and_(tm.eq(tm.select(m, i), tm.seq_lit([tm.int(1), tm.int(2)], SEQ)),
                tm.neq(m, tm.const_array(AIS, tm.seq_empty(SEQ))))
    script = encode(tm, vc_of(f))
    assert run_script(script.boxed_text(), {"seq-array": "lazy"}).isSat()


def test_boxed_encoding_boxes_arrays_stored_in_sequences() -> None:
    tm = TermManager()
    s, i = tm.var("s", SEQ_A), tm.var("i", INT)
    row = tm.store(tm.const_array(AII, tm.int(0)), i, tm.int(1))
    f = tm.and_(tm.eq(s, tm.seq_unit(row)),
                tm.not_(tm.eq(tm.select(tm.seq_nth(s, tm.int(0)), i), tm.int(1))))
    script = encode(tm, vc_of(f))
    boxed = script.boxed_text()
    assert "(declare-fun s () (Seq Box!Array_Int_Int))" in boxed
    assert "(declare-fun box!Array_Int_Int ((Array Int Int)) Box!Array_Int_Int)" in boxed
    assert run_script(boxed, {"seq-array": "lazy"}).isUnsat()


# -- through the pipeline ----------------------------------------------------------------------
def _transfer(tm: TermManager, distinct: bool) -> Procedure:
    """bal[from] -= amt; bal[to] += amt; ensure bal[to] == old(bal)[to] + amt."""
    bal, old = tm.var("bal", AII), tm.var("bal.old", AII)
    src, dst, amt = tm.var("from", INT), tm.var("to", INT), tm.var("amt", INT)
    post = tm.eq(tm.select(bal, dst), tm.add(tm.select(old, dst), amt))
    body = Block((
        Assign(old, bal),
        Assume(tm.and_(tm.lt(tm.int(0), amt), tm.neq(src, dst) if distinct else tm.true)),
        Assign(bal, tm.store(bal, src, tm.sub(tm.select(bal, src), amt))),
        Assign(bal, tm.store(bal, dst, tm.add(tm.select(bal, dst), amt))),
        Assert(post, Check(Postcondition, span(3), "transfer", "postcondition may not hold",
                           (("balances[to]", tm.select(bal, dst)),))),
    ))
    variables = (VarInfo(bal, "balances", "mut_param", "mapping(address => uint256)"),
                 VarInfo(old, "old(balances)", "old", "mapping(address => uint256)"),
                 VarInfo(src, "from", "param", "address"), VarInfo(dst, "to", "param", "address"),
                 VarInfo(amt, "amt", "param", "uint256"))
    return Procedure("transfer", span(1), variables, body)


@pytest.mark.parametrize("distinct", [True, False])
def test_mapping_program_is_proved_or_refuted_with_a_checked_counterexample(
        distinct: bool) -> None:
    tm = TermManager()
    vcs = generate(tm, _transfer(tm, distinct))
    scripts = [encode(tm, vc) for vc in vcs]
    results = run_tasks([SolverTask(s.text(), s.probe_texts(), 20.0, s.quantified,
                                    s.boxed_text()) for s in scripts], Cvc5Solver)
    [d] = [judge(tm, vc, s, r) for vc, s, r in zip(vcs, scripts, results)]
    if distinct:
        assert d.status is Status.PROVED
        return
    assert d.status is Status.VIOLATED and d.counterexample is not None
    cex = d.counterexample
    assert cex["inputs"]["from"] == cex["inputs"]["to"]
    assert set(cex["inputs"]["balances"]) == {"default", "values"}
