"""The core without a frontend: hand-built IR -> VCs -> cvc5 -> judged, validated verdicts."""
from __future__ import annotations

from vecverify.drivers import SolverTask, run_tasks
from vecverify.drivers.cvc5_api import Cvc5Solver
from vecverify.encoders import encode
from vecverify.errors import Span
from vecverify.ir import (Assert, Assign, Assume, Block, Check, Choice, Invariant, Loop,
                          Procedure, Return, ReturnScope, VarInfo)
from vecverify.obligations import (LoopInvariantEntry, LoopInvariantPreserved, PopEmpty,
                                   Postcondition)
from vecverify.pipeline import judge
from vecverify.reports import Status
from vecverify.terms import INT, SeqSort, TermManager
from vecverify.vcgen import generate


def _span(line: int) -> Span:
    return Span("t.vec", line, 1, line, 10)


def _run(tm: TermManager, proc: Procedure) -> list:
    vcs = generate(tm, proc)
    scripts = [encode(tm, vc) for vc in vcs]
    results = run_tasks([SolverTask(s.text(), s.probe_texts(), 10.0, s.quantified,
                                    s.boxed_text()) for s in scripts], Cvc5Solver)
    return [judge(tm, vc, s, r) for vc, s, r in zip(vcs, scripts, results)]


def _drain(tm: TermManager, precondition: bool) -> Procedure:
    xs, old, last = tm.var("xs", SeqSort(INT)), tm.var("xs.old", SeqSort(INT)), tm.var("last", INT)
    n = tm.seq_len(xs)
    one = tm.int(1)
    post = tm.and_(tm.eq(tm.seq_len(xs), tm.sub(tm.seq_len(old), one)),
                   tm.eq(last, tm.seq_nth(old, tm.sub(tm.seq_len(old), one))))
    body = Block((
        Assign(old, xs),
        Assume(tm.lt(tm.int(0), n) if precondition else tm.true),
        ReturnScope(Block((
            Assert(tm.lt(tm.int(0), n), Check(PopEmpty, _span(4), "drain", "pop on empty",
                                               (("len(xs)", n),))),
            Assign(last, tm.seq_nth(xs, tm.sub(n, one))),
            Assign(xs, tm.seq_extract(xs, tm.int(0), tm.sub(n, one))),
        ))),
        Assert(post, Check(Postcondition, _span(3), "drain", "postcondition may not hold")),
    ))
    variables = (VarInfo(xs, "xs", "mut_param", "vec<int>"), VarInfo(old, "old(xs)", "old", "vec<int>"),
                 VarInfo(last, "last", "result", "int"))
    return Procedure("drain", _span(1), variables, body)


def test_drain_proved_with_precondition() -> None:
    tm = TermManager()
    diags = _run(tm, _drain(tm, True))
    assert [(d.kind, d.status) for d in diags] == [("pop-empty", Status.PROVED),
                                                   ("postcondition", Status.PROVED)]


def test_drain_without_precondition_gives_validated_counterexample() -> None:
    tm = TermManager()
    diags = _run(tm, _drain(tm, False))
    pop = diags[0]
    assert pop.kind == "pop-empty" and pop.status is Status.VIOLATED
    assert pop.counterexample is not None
    assert pop.counterexample["inputs"]["xs"] == []
    assert pop.counterexample["values"]["len(xs)"] == 0
    # after the failed check is assumed, the postcondition holds
    assert diags[1].status is Status.PROVED


def _counter_loop(tm: TermManager, inv_bound: int) -> Procedure:
    """i := 0; while (i < 10) invariant 0 <= i <= inv_bound { i := i + 1 }; assert-post i == 10"""
    i = tm.var("i", INT)
    inv = tm.and_(tm.le(tm.int(0), i), tm.le(i, tm.int(inv_bound)))
    loop = Loop((Invariant(inv, Check(LoopInvariantEntry, _span(3), "f", "entry"),
                           Check(LoopInvariantPreserved, _span(3), "f", "preserved")),),
                Block(()), tm.lt(i, tm.int(10)),
                Block((Assign(i, tm.add(i, tm.int(1))),)), _span(2))
    body = Block((Assign(i, tm.int(0)), ReturnScope(loop),
                  Assert(tm.eq(i, tm.int(10)), Check(Postcondition, _span(5), "f", "post"))))
    return Procedure("f", _span(1), (VarInfo(i, "i", "local", "int"),), body)


def test_loop_cut_by_invariant() -> None:
    tm = TermManager()
    assert [d.status for d in _run(tm, _counter_loop(tm, 10))] == [Status.PROVED] * 3
    tm = TermManager()
    statuses = {d.kind: d.status for d in _run(tm, _counter_loop(tm, 9))}
    assert statuses["loop-invariant-entry"] is Status.PROVED
    assert statuses["loop-invariant-preserved"] is Status.VIOLATED
    # the cut loop knows only i <= 9 and !(i < 10) afterwards: contradiction, so post is proved
    assert statuses["postcondition"] is Status.PROVED


def test_branching_does_not_blow_up() -> None:
    """40 sequential if-statements: the VC stays linear (labels at joins)."""
    tm = TermManager()
    x = tm.var("x", INT)
    stmts = []
    for k in range(40):
        c = tm.lt(x, tm.int(k))
        stmts.append(Choice((Block((Assume(c), Assign(x, tm.add(x, tm.int(1))))),
                             Block((Assume(tm.not_(c)), Assign(x, tm.sub(x, tm.int(1))))))))
    stmts.append(Assert(tm.le(tm.int(-10**6), x), Check(Postcondition, _span(9), "g", "post")))
    proc = Procedure("g", _span(1), (VarInfo(x, "x", "param", "int"),),
                     Block((Assume(tm.eq(x, tm.int(0))), *stmts)))
    [vc] = generate(tm, proc)
    assert len(encode(tm, vc).text()) < 40 * 400
    script = encode(tm, vc)
    assert judge(tm, vc, script, run_tasks([SolverTask(script.text())], Cvc5Solver)[0]
                 ).status is Status.PROVED


def test_return_skips_rest() -> None:
    tm = TermManager()
    x = tm.var("x", INT)
    body = Block((ReturnScope(Block((Assign(x, tm.int(1)), Return(), Assign(x, tm.int(2))))),
                  Assert(tm.eq(x, tm.int(1)), Check(Postcondition, _span(2), "h", "post"))))
    diags = _run(tm, Procedure("h", _span(1), (VarInfo(x, "x", "local", "int"),), body))
    assert diags[0].status is Status.PROVED


def test_cvc5_ext_constant_unit_bug_does_not_produce_a_false_proof() -> None:
    """cvc5 1.4.2 with seq-array answers unsat here (wrong); we must report a violation.

    z has length 1, y = update(z ++ [5], 0, [7]); then y == [7, 5], so `!(y[0]==7 && y[1]==5)`
    fails.  The portfolio only trusts EXT's unsat on the boxed encoding, where it is correct.
    """
    tm = TermManager()
    z, y = tm.var("z", SeqSort(INT)), tm.var("y", SeqSort(INT))
    body = Block((
        Assume(tm.eq(tm.seq_len(z), tm.int(1))),
        Assign(y, tm.seq_update(tm.seq_concat(z, tm.seq_unit(tm.int(5))), tm.int(0),
                                tm.seq_unit(tm.int(7)))),
        Assert(tm.not_(tm.and_(tm.eq(tm.seq_nth(y, tm.int(0)), tm.int(7)),
                               tm.eq(tm.seq_nth(y, tm.int(1)), tm.int(5)))),
               Check(Postcondition, _span(3), "bug", "post")),
    ))
    proc = Procedure("bug", _span(1), (VarInfo(z, "z", "param", "vec<int>"),
                                       VarInfo(y, "y", "local", "vec<int>")), body)
    [d] = _run(tm, proc)
    assert d.status is Status.VIOLATED
    assert len(d.counterexample["inputs"]["z"]) == 1
