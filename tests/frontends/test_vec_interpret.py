"""The concrete `.vec` interpreter that replays counterexamples.

A counterexample is shown only if running the function on its inputs fails at the reported
check, so the interpreter must (1) have the language's semantics and (2) report each failure at
exactly the `(line, column, kind)` the verifier gives that check.  The first part is tested on
small programs, the second against the verifier itself: every violation it reports on a
program with one bug per check kind, and on random straight-line functions, must replay.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vecverify.frontends.vec.interpret import (QUANTIFIER_LIMIT, Outcome, load_program, run)
from vecverify.options import Options
from vecverify.pipeline import verify_paths
from vecverify.reports import Status


def _run(src: str, fn: str, inputs: dict | None = None, **kw: object) -> Outcome:
    return run(load_program("t.vec", src), fn, inputs or {}, **kw)  # type: ignore[arg-type]


def _pos(src: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `src`."""
    at = -1
    for _ in range(nth + 1):
        at = src.index(needle, at + 1)
    line = src.count("\n", 0, at) + 1
    return line, at - (src.rfind("\n", 0, at) + 1) + 1


def _fails(out: Outcome, src: str, needle: str, kind: str, nth: int = 0) -> None:
    assert out.status == "failed", out
    assert out.failure is not None and out.failure.where == (*_pos(src, needle, nth), kind), out


# ---- loops ----------------------------------------------------------------------------

COUNT = """\
fn count(n: int) -> (s: int)
  requires 0 <= n
  ensures s == 4 * n
{
  var i: int := 0;
  s := 0;
  while (i < n)
    invariant 0 <= i && i <= n
    invariant s == 4 * i
    invariant s <= 10
  {
    s := s + 4;
    i := i + 1;
  }
}
"""


def test_loop_runs_and_checks_invariants_at_every_arrival() -> None:
    out = _run(COUNT, "count", {"n": 2})
    assert out.status == "completed" and out.values == {"s": 8}
    out = _run(COUNT, "count", {"n": 7})
    # s is 12 after the third iteration: the third invariant is no longer preserved
    _fails(out, COUNT, "s <= 10", "loop-invariant-preserved")
    assert "after iteration 3" in out.failure.message  # type: ignore[union-attr]
    assert out.failure.function == "count"  # type: ignore[union-attr]


def test_loop_invariant_failing_on_first_arrival_is_an_entry_failure() -> None:
    src = COUNT.replace("s := 0;", "s := 11;")
    out = _run(src, "count", {"n": 0})
    # two sibling clauses fail on entry: both are listed, each is judged on its own
    assert [f.where for f in out.failures] == [(*_pos(src, "s == 4 * i"), "loop-invariant-entry"),
                                               (*_pos(src, "s <= 10"), "loop-invariant-entry")]
    assert out.failure == out.failures[0]
    assert out.fails_at(*_pos(src, "s <= 10"), "loop-invariant-entry")


def test_inner_loop_is_entered_afresh_on_every_outer_iteration() -> None:
    src = """\
fn nest(n: int) -> (t: int)
{
  var i: int := 0;
  t := 0;
  while (i < n) invariant 0 <= i {
    var j: int := 0;
    while (j < 2) invariant j <= i && j <= 2 {
      j := j + 1;
      t := t + 1;
    }
    i := i + 1;
  }
}
"""
    # i = 0: the inner invariant j <= i holds on entry (j = 0) and fails after one iteration
    _fails(_run(src, "nest", {"n": 1}), src, "j <= i", "loop-invariant-preserved")
    assert _run(src, "nest", {"n": 0}).values == {"t": 0}


def test_step_limit_stops_a_run_that_does_not_finish() -> None:
    src = "fn spin() { while (true) { } }\n"
    out = _run(src, "spin", step_limit=1000)
    assert out.status == "step-limit" and "did not finish" in out.reason and out.steps == 1001
    assert _run(COUNT, "count", {"n": 2}, step_limit=5).status == "step-limit"


def test_return_leaves_the_body_and_the_ensures_are_still_checked() -> None:
    src = """\
fn find(xs: vec<int>, key: int) -> (r: int)
  ensures r == -1 || xs[r] == key
  ensures r != 0
{
  var i: int := 0;
  r := -1;
  while (i < len(xs)) invariant 0 <= i {
    if (xs[i] == key) { r := i; return; }
    i := i + 1;
  }
}
"""
    assert _run(src, "find", {"xs": [5, 7], "key": 7}).values == {"r": 1}
    _fails(_run(src, "find", {"xs": [7], "key": 7}), src, "r != 0", "postcondition")


# ---- calls ------------------------------------------------------------------------------

CALLS = """\
fn divmod(a: int, b: int) -> (q: int, r: int)
  requires b != 0
  ensures a == q * b + r
{
  q := a / b;
  r := a % b;
}

fn use(x: int, y: int) -> (q: int, r: int)
{
  q, r := divmod(x, y);
}

fn bump(mut v: vec<int>, k: int)
  requires 0 <= k && k < len(v)
  ensures v[k] == old(v)[k] + 1
  ensures len(v) == len(old(v)) + 1
{
  v[k] := v[k] + 1;
}

fn bump_cell(mut g: vec<vec<int>>, i: int)
  requires 0 <= i && i < len(g)
{
  bump(g[i], 0);
}

fn abstract(x: int) -> (y: int)
  ensures y > x;

fn uses_abstract(x: int) -> (y: int)
{
  y := abstract(x);
}
"""


def test_calls_run_the_callee_with_truncating_division_and_several_results() -> None:
    assert _run(CALLS, "use", {"x": -7, "y": 2}).values == {"q": -3, "r": -1}
    assert _run(CALLS, "use", {"x": 7, "y": -2}).values == {"q": -3, "r": 1}


def test_a_false_requires_of_the_callee_fails_at_the_call_statement() -> None:
    out = _run(CALLS, "use", {"x": 1, "y": 0})
    _fails(out, CALLS, "q, r := divmod(x, y);", "precondition")
    assert out.failure.function == "use"  # type: ignore[union-attr]
    assert "requires b != 0 (line 2)" in out.failure.message  # type: ignore[union-attr]


def test_ensures_of_the_callee_fail_in_the_callee_and_mut_places_are_written_back() -> None:
    out = _run(CALLS, "bump_cell", {"g": [[1, 2], [3]], "i": 0})
    # bump's body is right about v[k] but its second ensures is wrong
    _fails(out, CALLS, "len(v) == len(old(v)) + 1", "postcondition")
    assert out.failure.function == "bump"  # type: ignore[union-attr]
    fixed = CALLS.replace("len(v) == len(old(v)) + 1", "len(v) == len(old(v))")
    assert _run(fixed, "bump_cell", {"g": [[1, 2], [3]], "i": 0}).values == {"g": [[2, 2], [3]]}
    _fails(_run(fixed, "bump_cell", {"g": [[], [3]], "i": 0}), fixed, "bump(g[i], 0);",
           "precondition")


def test_a_function_known_only_by_its_contract_is_not_executable() -> None:
    out = _run(CALLS, "uses_abstract", {"x": 1})
    assert out.status == "not-executable"
    assert "calls 'abstract'" in out.reason and "no body" in out.reason
    assert _run(CALLS, "abstract", {"x": 1}).status == "not-executable"


def test_recursion_deeper_than_pythons_default_stack_runs() -> None:
    src = """\
fn sum(xs: vec<int>, k: int) -> (s: int)
  requires 0 <= k && k <= len(xs)
{
  s := 0;
  if (k < len(xs)) {
    s := sum(xs, k + 1);
    s := s + xs[k];
  }
}
"""
    out = _run(src, "sum", {"xs": list(range(3000)), "k": 0})
    assert out.status == "completed" and out.values == {"s": sum(range(3000))}


# ---- entry, assume, inputs ---------------------------------------------------------------

DRAIN = """\
fn drain(mut xs: vec<int>) -> (last: int, n: int)
  requires len(xs) > 0
  ensures len(xs) == len(old(xs)) - 1 && last == old(xs)[len(old(xs)) - 1]
  ensures n >= 0
{
  last := pop(xs);
  assume last != 99;
}
"""


def test_entry_requires_and_assume_select_feasible_runs() -> None:
    assert _run(DRAIN, "drain", {"xs": []}).status == "infeasible"
    out = _run(DRAIN, "drain", {"xs": [1, 99]})
    assert out.status == "infeasible" and "assume" in out.reason
    out = _run(DRAIN, "drain", {"xs": [4, 5]})
    assert out.status == "completed" and out.values == {"xs": [4], "last": 5, "n": 0}


def test_results_start_from_the_given_values() -> None:
    _fails(_run(DRAIN, "drain", {"xs": [3]}, results={"n": -1}), DRAIN, "n >= 0",
           "postcondition")
    # a result given among the inputs works too
    assert _run(DRAIN, "drain", {"xs": [3], "n": -1}).status == "failed"


def test_inputs_outside_their_machine_type_are_infeasible_and_bad_shapes_are_errors() -> None:
    src = "fn f(xs: vec<u8>, b: bool) { }\n"
    assert _run(src, "f", {"xs": [1, 256], "b": True}).status == "infeasible"
    out = _run(src, "f", {"xs": [1]})
    assert out.status == "completed" and out.inputs == {"xs": [1], "b": False}
    with pytest.raises(TypeError):
        _run(src, "f", {"xs": 3})
    with pytest.raises(ValueError):
        _run(src, "f", {"ys": []})
    with pytest.raises(ValueError):
        _run(src, "g", {})


def test_uninterpreted_elements_compare_by_name() -> None:
    src = """\
type Addr;
fn same(xs: vec<Addr>, a: Addr) -> (r: bool)
  requires len(xs) > 0
{
  r := xs[0] == a;
  assert r;
}
"""
    assert _run(src, "same", {"xs": ["Addr#1"], "a": "Addr#1"}).values == {"r": True}
    _fails(_run(src, "same", {"xs": ["Addr#0"], "a": "Addr#1"}), src, "assert r;", "assert")


# ---- program checks and their positions -------------------------------------------------

ARITH = """\
fn ops(a: u8, b: u8, c: i8, d: i8, n: int) -> (r: u8, s: i8, t: int)
{
  r := a + b;
  r := a - b;
  s := c / d;
  s := c * d;
  t := n % n;
  s := -c;
  r := -a;
  r := n;
  s := (c + 1) - 1;
}
"""


@pytest.mark.parametrize("inputs, needle, kind", [
    ({"a": 200, "b": 100}, "a + b", "overflow"),
    ({"a": 1, "b": 2}, "a - b", "underflow"),
    ({"c": 64, "d": 2}, "c * d", "overflow"),
    ({"c": -64, "d": 3}, "c * d", "underflow"),
    ({"c": -128, "d": -1}, "c / d", "overflow"),
    ({"d": 0}, "c / d", "division-by-zero"),
    ({"d": 1, "n": 0}, "n % n", "division-by-zero"),
    ({"c": -128, "d": 1, "n": 1}, "-c", "overflow"),
    ({"a": 1, "c": 0, "d": 1, "n": 1}, "-a", "underflow"),
    ({"d": 1, "n": 256}, "r := n;", "overflow"),
    ({"d": 1, "n": -1}, "r := n;", "underflow"),
    ({"c": 127, "d": 1, "n": 1}, "c + 1", "overflow"),
])
def test_arithmetic_checks_fail_at_the_operation(inputs: dict, needle: str, kind: str) -> None:
    full = {"a": 0, "b": 0, "c": 0, "d": 0, "n": 0, **inputs}
    _fails(_run(ARITH, "ops", full), ARITH, needle, kind)


VECS = """\
fn v(mut xs: vec<int>, mut g: vec<vec<u8>>, i: int, j: int) -> (x: int, ys: vec<int>)
{
  ys := xs[i..j];
  xs[i + 1] := xs[j];
  g[i][j] := 1;
  push(g[i], 255);
  g[i][len(g[i]) - 1] := g[i][len(g[i]) - 1] + 1;
}

fn p(mut xs: vec<int>, mut g: vec<vec<int>>) -> (x: int)
{
  x := pop(g[0]);
  pop(xs);
  xs[len(xs)] := pop(xs);
}
"""


@pytest.mark.parametrize("inputs, needle, kind", [
    ({"i": 1, "j": 0}, "xs[i..j]", "index-out-of-bounds"),
    ({"xs": [1], "i": 0, "j": 1}, "xs[j]", "index-out-of-bounds"),
    ({"xs": [1, 2], "i": 1, "j": 1}, "xs[i + 1]", "index-out-of-bounds"),
    ({"xs": [1, 2], "i": 0, "j": 1}, "g[i]", "index-out-of-bounds"),
    ({"xs": [1, 2], "g": [[]], "i": 0, "j": 1}, "g[i][j]", "index-out-of-bounds"),
    ({"xs": [1, 2], "g": [[0, 0]], "i": 0, "j": 1}, "g[i][len(g[i]) - 1] + 1", "overflow"),
])
def test_vector_checks_fail_at_the_access(inputs: dict, needle: str, kind: str) -> None:
    full = {"xs": [], "g": [], "i": 0, "j": 0, **inputs}
    _fails(_run(VECS, "v", full), VECS, needle, kind)


def test_pop_checks_and_the_order_of_pop_then_store() -> None:
    _fails(_run(VECS, "p", {"xs": [], "g": []}), VECS, "g[0]", "index-out-of-bounds")
    _fails(_run(VECS, "p", {"xs": [], "g": [[]]}), VECS, "x := pop(g[0]);", "pop-empty")
    _fails(_run(VECS, "p", {"xs": [], "g": [[1]]}), VECS, "pop(xs);", "pop-empty")
    # the target xs[len(xs)] is resolved after the pop shrank xs, so it is out of bounds
    _fails(_run(VECS, "p", {"xs": [1, 2], "g": [[1]]}), VECS, "xs[len(xs)]",
           "index-out-of-bounds")


def test_nested_writes_and_slices_have_value_semantics() -> None:
    src = """\
fn f(g: vec<vec<int>>) -> (h: vec<vec<int>>, row: vec<int>)
  requires len(g) == 2 && len(g[1]) == 3
{
  h := g;
  h[1][2] := 7;
  row := h[1][1..3] ++ [9];
  push(h[0], 5);
}
"""
    out = _run(src, "f", {"g": [[], [1, 2, 3]]})
    assert out.values == {"h": [[5], [1, 2, 7]], "row": [2, 7, 9]}


# ---- specifications ---------------------------------------------------------------------

def test_specifications_are_mathematical_and_their_reads_are_unchecked() -> None:
    src = """\
fn f(x: u8, xs: vec<int>, k: int)
{
  assert x + 1 > x;
  assert k < 0 || k >= len(xs) || xs[k] == xs[k];
  assert xs[k] == 1 || true;
  assert -7 / 2 == -3 && -7 % 2 == -1 && 7 % -2 == 1;
  assert xs[k] == 1;
}
"""
    out = _run(src, "f", {"x": 255, "xs": [], "k": 3})
    # the last assert reads out of bounds: unspecified, neither failure nor success
    assert out.status == "unspecified" and "xs[k]" in out.reason
    _fails(_run(src, "f", {"x": 255, "xs": [0], "k": 0}), src, "assert xs[k] == 1;", "assert")
    assert _run(src, "f", {"x": 255, "xs": [1], "k": 0}).status == "completed"
    spec_div = "fn g(a: int) { assert a / 0 == 1 || a > 0; }\n"
    assert _run(spec_div, "g", {"a": 1}).status == "completed"
    assert _run(spec_div, "g", {"a": 0}).status == "unspecified"


QUANT = """\
type T;
fn q(xs: vec<int>, ts: vec<T>, t: T, m: u8, big: i64)
{
  assert forall i: int :: 0 <= i && i < len(xs) ==> xs[i] >= 0;
  assert exists i: int :: 0 <= i && i < len(xs) && xs[i] == 3;
  assert forall i: int, j: int :: 0 <= i && i < j && j < len(xs) ==> xs[i] <= xs[j];
  assert forall i: int :: i + 1 <= len(xs) && i >= 0 ==> xs[i] < 100;
  assert forall b: bool :: b || !b;
  assert exists u: u8 :: u == m && u > 0;
  assert forall u: T :: u == t ==> u == t;
  assert forall i: int :: 0 <= i && i < len(ts) ==> ts[i] == t;
  assert forall i: int :: len(xs) < 0 ==> i > i;
}
"""


def test_quantifiers_with_a_bounded_guard_are_enumerated() -> None:
    base = {"ts": ["T#0"], "t": "T#0", "m": 5, "big": 0}
    assert _run(QUANT, "q", {**base, "xs": [0, 3, 5]}).status == "completed"
    for xs, needle in [([-1, 3], "forall i: int :: 0 <= i && i < len(xs)"),
                       ([0, 1], "exists i"), ([3, 1], "forall i: int, j"),
                       ([3, 100], "forall i: int :: i + 1")]:
        _fails(_run(QUANT, "q", {**base, "xs": xs}), QUANT, "assert " + needle, "assert")
    _fails(_run(QUANT, "q", {**base, "xs": [3], "m": 0}), QUANT, "assert exists u", "assert")
    _fails(_run(QUANT, "q", {**base, "xs": [3], "ts": ["T#0", "T#1"]}), QUANT,
           "assert forall i: int :: 0 <= i && i < len(ts)", "assert")


@pytest.mark.parametrize("clause, reason", [
    ("forall i: int :: i >= 0 ==> xs[i] == 0", "quantifier over an unbounded range"),
    ("forall i: int :: xs[i] == 0", "quantifier over an unbounded range"),
    ("exists i: int :: i * i == 4", "quantifier over an unbounded range"),
    ("forall u: T :: u == u", "quantifier over the uninterpreted sort T"),
    ("forall v: i64 :: v != big", "quantifier over 18446744073709551616 values"),
    (f"forall i: int :: 0 <= i && i <= {QUANTIFIER_LIMIT} ==> i >= 0",
     f"(more than {QUANTIFIER_LIMIT})"),
])
def test_quantifiers_over_unbounded_or_huge_ranges_are_not_executable(clause: str,
                                                                      reason: str) -> None:
    src = f"type T;\nfn q(xs: vec<int>, big: i64)\n{{\n  assert {clause};\n}}\n"
    out = _run(src, "q", {"xs": [0]})
    assert out.status == "not-executable" and reason in out.reason, out
    # a quantifier the other operand makes irrelevant is never evaluated
    src = src.replace(f"assert {clause};", f"assert true || ({clause});")
    assert _run(src, "q", {"xs": [0]}).status == "completed"


# ---- agreement with the verifier --------------------------------------------------------

KINDS = """\
type T;

fn read(xs: vec<int>, i: int) -> (r: int)
{
  r := 0;
  r := xs[i];
}

fn write(mut xs: vec<int>, i: int)
{
  xs[i] := 1;
}

fn write_nested(mut g: vec<vec<int>>, i: int, j: int)
  requires 0 <= i && i < len(g)
{
  g[i][j] := 1;
}

fn slice(xs: vec<int>, i: int, j: int) -> (ys: vec<int>)
{
  ys := xs[i..j];
}

fn pop_stmt(mut xs: vec<int>)
{
  pop(xs);
}

fn pop_into(mut xs: vec<u8>) -> (x: u8)
{
  x := 0;
  x := pop(xs);
}

fn add(a: u8, b: u8) -> (r: u8)
{
  r := 0;
  r := a + b;
}

fn sub(a: u8, b: u8) -> (r: u8)
{
  r := 0;
  r := a - b;
}

fn mul(a: i8, b: i8) -> (r: i8)
{
  r := 0;
  r := a * b;
}

fn neg(a: i16, b: u16) -> (r: i16, s: u16)
{
  r := 0;
  s := 0;
  r := -a;
  s := -b;
}

fn narrow(x: int) -> (r: i8)
{
  r := 0;
  r := x;
}

fn divide(a: i8, b: i8) -> (r: i8)
{
  r := 0;
  r := a / b;
}

fn modulo(a: int, b: int) -> (r: int)
{
  r := a % b;
}

fn bump(mut xs: vec<u8>, i: int)
  requires 0 <= i && i < len(xs)
{
  xs[i] := xs[i] + 1;
}

fn push_narrow(mut xs: vec<u8>, x: int)
{
  push(xs, x);
}

fn asserted(x: int, xs: vec<T>, t: T)
  requires len(xs) > 0
{
  assert x != 7 || xs[0] == t;
}

fn posts(x: int) -> (r: int)
  ensures r >= x
  ensures r == x + 2
{
  r := x + 1;
}

fn positive(k: int) -> (r: int)
  requires k > 0
  ensures r == k
{
  r := k;
}

fn caller(k: int) -> (r: int)
{
  r := 0;
  if (k < 10) {
    r := positive(k - 1);
  }
}

fn entry(n: int)
{
  var i: int := 0;
  while (i < n)
    invariant i >= 1
  {
    i := i + 1;
  }
}

fn preserved(n: int) -> (i: int)
  requires 0 <= n
{
  i := 0;
  while (i < n)
    invariant 0 <= i && i <= n
    invariant i <= 2
  {
    i := i + 1;
  }
}

fn head(xs: vec<int>) -> (i: int)
{
  i := 0;
  while (xs[i] > 0)
    invariant 0 <= i && i <= len(xs)
    invariant forall k: int :: 0 <= k && k < i ==> xs[k] > 0
  {
    i := i + 1;
  }
}
"""

EXPECTED_VIOLATIONS = {
    ("read", "index-out-of-bounds"), ("write", "index-out-of-bounds"),
    ("write_nested", "index-out-of-bounds"), ("slice", "index-out-of-bounds"),
    ("pop_stmt", "pop-empty"), ("pop_into", "pop-empty"), ("add", "overflow"),
    ("sub", "underflow"), ("mul", "overflow"), ("mul", "underflow"), ("neg", "overflow"),
    ("neg", "underflow"), ("narrow", "overflow"), ("narrow", "underflow"),
    ("divide", "division-by-zero"), ("divide", "overflow"), ("modulo", "division-by-zero"),
    ("bump", "overflow"), ("push_narrow", "overflow"), ("push_narrow", "underflow"),
    ("asserted", "assert"), ("posts", "postcondition"), ("caller", "precondition"),
    ("entry", "loop-invariant-entry"), ("preserved", "loop-invariant-preserved"),
    ("head", "index-out-of-bounds"),
}


def _replay_all(path: Path, src: str) -> tuple[list[tuple[Any, Outcome]], Any]:
    """Verify `src`, then run every function with a reported violation on its inputs."""
    path.write_text(src)
    report = verify_paths([str(path)], Options(timeout_s=20.0, cache=False))
    program = load_program(str(path), src)
    return [(d, run(program, d.function, d.counterexample["inputs"]))  # type: ignore[index]
            for d in report.diagnostics if d.status is Status.VIOLATED], report


def test_every_reported_violation_of_every_check_kind_replays(tmp_path: Path) -> None:
    replays, report = _replay_all(tmp_path / "kinds.vec", KINDS)
    assert {(d.function, d.kind) for d, _ in replays} == EXPECTED_VIOLATIONS, report
    for d, out in replays:
        assert out.fails_at(d.line, d.column, d.kind), (d, out)
        assert out.failure is not None and out.failure.function == d.function
    # exactly one postcondition clause is wrong, and it is the one reported
    [post] = [d for d, _ in replays if d.kind == "postcondition"]
    assert (post.line, post.column) == _pos(KINDS, "r == x + 2")


# ---- random straight-line functions -----------------------------------------------------

HELPERS = """\
fn clamp_add(a: u8, b: u8) -> (r: u8)
  ensures (a + b <= 255 ==> r == a + b) && (a + b > 255 ==> r == 255)
{
  if (255 - a < b) { r := 255; } else { r := a + b; }
}

fn at(xs: vec<i8>, k: int) -> (v: i8)
  requires 0 <= k && k < len(xs)
  ensures v == xs[k]
{
  v := xs[k];
}
"""
I8_VARS = ["a", "b", "t", "r"]


@st.composite
def i8_expr(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["lit", "var"] + (["bin", "read", "neg"] if depth < 2 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "lit":
        return str(draw(st.integers(-3, 3)))
    if kind == "var":
        return draw(st.sampled_from(I8_VARS))
    if kind == "read":
        return f"xs[{draw(index_expr())}]"
    if kind == "neg":
        return f"-{draw(st.sampled_from(I8_VARS))}"
    op = draw(st.sampled_from(["+", "-", "*", "/", "%"]))
    return f"({draw(i8_expr(depth + 1))} {op} {draw(i8_expr(depth + 1))})"


@st.composite
def index_expr(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["0", "1", "2", "n", "len(xs) - 1", "len(xs)", "a"]))


@st.composite
def condition(draw: st.DrawFn) -> str:
    op = draw(st.sampled_from(["<", "<=", "==", "!="]))
    c = f"{draw(i8_expr())} {op} {draw(i8_expr())}"
    if draw(st.booleans()):
        k = draw(index_expr())
        c = f"0 <= {k} && {k} < len(xs) && xs[{k}] {op} {draw(i8_expr(1))}"
    return c


@st.composite
def statements(draw: st.DrawFn, depth: int = 0) -> list[str]:
    out: list[str] = []
    kinds = ["assign", "write", "push", "pop", "pop_into", "slice", "narrow", "unsigned",
             "at", "assert"] + (["if"] if depth < 1 else [])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        var = draw(st.sampled_from(I8_VARS))
        if kind == "assign":
            out.append(f"{var} := {draw(i8_expr())};")
        elif kind == "write":
            out.append(f"xs[{draw(index_expr())}] := {draw(i8_expr())};")
        elif kind == "push":
            out.append(f"push(xs, {draw(i8_expr())});")
        elif kind == "pop":
            out.append("pop(xs);")
        elif kind == "pop_into":
            out.append(f"{var} := pop(xs);")
        elif kind == "slice":
            out.append(f"xs := xs[{draw(index_expr())}..{draw(index_expr())}];")
        elif kind == "narrow":
            out.append(f"{var} := n - {draw(i8_expr(1))};")
        elif kind == "unsigned":
            out.append(draw(st.sampled_from(["u := clamp_add(u, 250);", "u := u + 200;",
                                             "u := u - 1;", "u := u * u;"])))
        elif kind == "at":
            out.append(f"{var} := at(xs, {draw(index_expr())});")
        elif kind == "assert":
            out.append(f"assert {draw(condition())};")
        else:
            out.append(f"if ({draw(condition())}) {{")
            out += ["  " + s for s in draw(statements(depth + 1))]
            out.append("} else {")
            out += ["  " + s for s in draw(statements(depth + 1))]
            out.append("}")
    return out


ENSURES = ["r >= old(a)", "len(xs) >= len(old(xs))", "u >= old(u)", "0 < len(xs) ==> xs[0] != 0",
           "a == 0 || r != a", "r * 2 != old(b) + 1"]


def straight_line(body: list[str], ensures: list[str]) -> str:
    head = "fn f(mut xs: vec<i8>, mut a: i8, mut b: i8, mut u: u8, n: int) -> (r: i8)"
    return "\n".join([HELPERS, head, *(f"  ensures {e}" for e in ensures), "{",
                      "  var t: i8 := 0;", "  r := 0;", *("  " + s for s in body), "}"]) + "\n"


@settings(derandomize=True, max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(statements(), st.lists(st.sampled_from(ENSURES), max_size=2, unique=True))
def test_violations_of_random_straight_line_functions_replay(tmp_path_factory, body: list[str],
                                                             ensures: list[str]) -> None:  # type: ignore[no-untyped-def]
    src = straight_line(body, ensures)
    path = Path(tmp_path_factory.mktemp("replay")) / "f.vec"
    replays, report = _replay_all(path, src)
    for d, out in replays:
        # an out-of-bounds read in a specification is unspecified: nothing to compare
        assert out.fails_at(d.line, d.column, d.kind) or out.status == "unspecified", \
            (src, d, out)
    # and a check the verifier proves fails on no input
    program = load_program(str(path), src)
    # `-b` and `-b + t` start at one column: a position and kind may name two checks, and
    # only one that names nothing but proved checks is known to hold
    proved = {(d.function, d.line, d.column, d.kind) for d in report.diagnostics
              if d.status is Status.PROVED} - \
        {(d.function, d.line, d.column, d.kind) for d in report.diagnostics
         if d.status is not Status.PROVED}
    rng = random.Random(src)
    for _ in range(40):
        inputs = {"xs": [rng.randint(-128, 127) if rng.random() < 0.2 else rng.randint(-3, 3)
                         for _ in range(rng.randint(0, 4))],
                  "a": rng.randint(-4, 4), "b": rng.choice([-128, -1, 0, 1, 2, 127]),
                  "u": rng.choice([0, 1, 5, 200, 255]), "n": rng.randint(-130, 130)}
        out = run(program, "f", inputs)
        for f in out.failures:
            assert (f.function, *f.where) not in proved, (src, inputs, f)
