"""Parser and type-checker tests for the `.vec` front end."""
from __future__ import annotations

from typing import Iterator

import pytest

from vecverify.errors import InputError
from vecverify.frontends.vec import parse_and_check
from vecverify.frontends.vec import ast as A
from vecverify.frontends.vec.parser import parse
from vecverify.frontends.vec.types import BOOL, INT, MachineInt, UninterpT, VecT, is_integral

EXAMPLE = """\
type Addr;                                   // uninterpreted element sort
fn sum(xs: vec<u256>) -> (s: u256)
  requires forall i: int :: 0 <= i && i < len(xs) ==> xs[i] < 1000
  requires len(xs) < 1000
  ensures s <= 1000 * len(xs)
{
  var i: int := 0;
  s := 0;
  while (i < len(xs))
    invariant 0 <= i && i <= len(xs)
    invariant s <= 1000 * i
  {
    s := s + xs[i];
    i := i + 1;
  }
}
fn drain(mut xs: vec<int>) -> (last: int)
  requires len(xs) > 0
  ensures len(xs) == len(old(xs)) - 1 && last == old(xs)[len(old(xs)) - 1]
{ last := pop(xs); }
"""

U8 = MachineInt(False, 8)
U256 = MachineInt(False, 256)


def check(src: str) -> A.Program:
    return parse_and_check(src, "t.vec")


def body_of(src: str) -> list[A.Stmt]:
    """Statements of the body of the first function."""
    prog = check(src)
    body = prog.fns[0].body
    assert body is not None
    return body.stmts


def expr_of(e_src: str, decls: str = "a: bool, b: bool, c: bool", prelude: str = "") -> A.Expr:
    """The checked expression `e_src` asserted inside `fn f(decls)`."""
    stmts = body_of(f"{prelude}fn f({decls}) {{ assert {e_src}; }}")
    stmt = stmts[0]
    assert isinstance(stmt, A.AssertStmt)
    return stmt.cond


def error(src: str) -> InputError:
    with pytest.raises(InputError) as info:
        check(src)
    return info.value


def assert_error(src: str, line: int, column: int, fragment: str, code: str = "type") -> InputError:
    err = error(src)
    assert err.code == code, err.render()
    assert err.span is not None
    assert (err.span.line, err.span.column) == (line, column), err.render()
    assert fragment in err.message, err.render()
    return err


def walk(e: A.Expr) -> Iterator[A.Expr]:
    yield e
    for name in ("operand", "left", "right", "arg", "seq", "index", "lo", "hi", "body"):
        child = getattr(e, name, None)
        if isinstance(child, A.Expr):
            yield from walk(child)
    for child in getattr(e, "elems", []):
        yield from walk(child)


# ---- the example ---------------------------------------------------------------------


def test_example_parses_and_types() -> None:
    prog = check(EXAMPLE)
    assert prog.file == "t.vec"
    assert [t.name for t in prog.types] == ["Addr"]
    sum_fn, drain = prog.fns
    assert sum_fn.name == "sum" and drain.name == "drain"
    assert (sum_fn.span.line, sum_fn.span.column, sum_fn.span.end_line) == (2, 1, 16)
    assert (sum_fn.name_span.line, sum_fn.name_span.column) == (2, 4)
    (xs,) = sum_fn.params
    assert not xs.mut and xs.binding.kind == "param" and xs.binding.ty == VecT(U256)
    (s,) = sum_fn.results
    assert s.kind == "result" and s.ty == U256

    # requires/ensures keep the span of the clause expression itself.
    assert [r.span.line for r in sum_fn.requires] == [3, 4]
    assert [e.span.line for e in sum_fn.ensures] == [5]
    ens = sum_fn.ensures[0]
    assert (ens.span.column, ens.span.end_column) == (11, 30)
    q = sum_fn.requires[0]
    assert isinstance(q, A.Quant) and q.kind == "forall" and q.ty == BOOL
    assert (q.span.line, q.span.column, q.span.end_column) == (3, 12, 67)
    (i_bound,) = q.binders
    assert i_bound.kind == "bound" and i_bound.ty == INT
    assert isinstance(q.body, A.Binary) and q.body.op == "==>"
    # `xs[i] < 1000`: a comparison is mathematical, the literal stays int
    cmp = q.body.right
    assert isinstance(cmp, A.Binary) and cmp.op == "<"
    assert cmp.left.ty == U256 and cmp.right.ty == INT
    # every expression is typed, every name resolved
    for clause in sum_fn.requires + sum_fn.ensures + drain.requires + drain.ensures:
        for node in walk(clause):
            assert node.ty is not None
            if isinstance(node, A.Name):
                assert node.decl is not None

    body = sum_fn.body
    assert body is not None
    var_i, assign_s, loop = body.stmts
    assert isinstance(var_i, A.VarDeclStmt) and var_i.binding.kind == "local"
    assert isinstance(assign_s, A.Assign) and assign_s.value.ty == U256
    assert isinstance(loop, A.While) and len(loop.invariants) == 2
    assert [inv.span.line for inv in loop.invariants] == [10, 11]
    # names resolve to the unique Binding objects of their declarations
    inv_i = loop.invariants[0].left.right  # `i` in `0 <= i`
    assert isinstance(inv_i, A.Name) and inv_i.decl is var_i.binding
    assert inv_i.decl is not i_bound

    (dxs,) = drain.params
    assert dxs.mut and dxs.binding.kind == "mut_param"
    (pop,) = drain.body.stmts
    assert isinstance(pop, A.Pop) and isinstance(pop.target, A.Name)
    assert pop.target.decl is drain.results[0] and pop.vec.decl is dxs.binding
    ens = drain.ensures[0]
    olds = [n for n in walk(ens) if isinstance(n, A.Old)]
    assert len(olds) == 3 and all(o.ty == VecT(INT) for o in olds)


def test_parse_alone_leaves_types_empty() -> None:
    prog = parse(EXAMPLE, "t.vec")
    req = prog.fns[0].requires[0]
    assert all(node.ty is None for node in walk(req))


def test_comments_and_hex() -> None:
    e = expr_of("x == 0xFF /* block\n comment */ // line\n", "x: u8")
    assert isinstance(e.right, A.IntLit) and e.right.value == 255 and e.right.ty == INT


def test_many_functions_check() -> None:
    src = EXAMPLE + "\n".join(
        f"fn g{k}(mut v: vec<u8>) -> (r: int) requires len(v) > 0 {{ r := 1 + 2 * 3; push(v, 7); }}"
        for k in range(300))
    program = check(src)
    assert len(program.fns) == 302


# ---- precedence ----------------------------------------------------------------------


def test_implies_is_right_associative() -> None:
    e = expr_of("a ==> b ==> c")
    assert isinstance(e, A.Binary) and e.op == "==>"
    assert isinstance(e.left, A.Name) and e.left.name == "a"
    assert isinstance(e.right, A.Binary) and e.right.op == "==>"


def test_iff_lowest_and_left_associative() -> None:
    e = expr_of("a <==> b <==> c ==> a")
    assert e.op == "<==>" and e.left.op == "<==>"
    assert e.right.op == "==>"


def test_arithmetic_precedence() -> None:
    e = expr_of("x + y * z == x - y - z", "x: int, y: int, z: int")
    assert e.op == "=="
    assert e.left.op == "+" and e.left.right.op == "*"
    assert e.right.op == "-" and e.right.left.op == "-"  # left associative
    # the full source range of `x + y * z`
    assert (e.left.span.column, e.left.span.end_column) == (39, 48)


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    e = expr_of("!a && b || c")
    assert e.op == "||" and e.left.op == "&&"
    assert isinstance(e.left.left, A.Unary) and e.left.left.op == "!"


def test_concat_between_comparison_and_additive() -> None:
    e = expr_of("xs ++ ys == [1] ++ xs[1..len(xs)]", "xs: vec<int>, ys: vec<int>")
    assert e.op == "==" and e.left.op == "++" and e.right.op == "++"
    sl = e.right.right
    assert isinstance(sl, A.Slice) and sl.ty == VecT(INT)


def test_unary_minus_and_postfix() -> None:
    e = expr_of("-xs[0] * 2 < 0", "xs: vec<int>")
    assert e.left.op == "*"
    neg = e.left.left
    assert isinstance(neg, A.Unary) and isinstance(neg.operand, A.Index)


def test_quantifier_extends_right_and_is_an_operand() -> None:
    e = expr_of("a ==> forall i: int, j: int :: i <= j ==> b", "a: bool, b: bool")
    assert e.op == "==>" and isinstance(e.right, A.Quant)
    q = e.right
    assert [b.name for b in q.binders] == ["i", "j"]
    assert q.body.op == "==>"  # the body takes everything to its right
    e2 = expr_of("(exists i: int :: i > 0) && a", "a: bool")
    assert e2.op == "&&" and isinstance(e2.left, A.Quant) and e2.left.kind == "exists"


def test_comparisons_do_not_chain() -> None:
    err = assert_error("fn f(x: int) { assert 0 < x < 9; }", 1, 29, "unexpected token '<'", "syntax")
    assert "do not chain" in err.message


# ---- syntax errors -------------------------------------------------------------------


@pytest.mark.parametrize("src, line, column, fragment", [
    ("fn f() { var x: int := ; }", 1, 24, "unexpected token ';'; expected an expression"),
    ("fn f() {\n  var x: int := 1\n}", 3, 1, "unexpected token '}'; expected ';'"),
    ("fn f() {\n  var x: int := 1;\n", 2, 19, "unexpected end of file; expected"),
    ("fn f(x int) {}", 1, 8, "expected ':'"),
    ("fn f() { x := 1 # 2; }", 1, 17, "unexpected character '#'"),
    ("fn f() { /* never closed }", 1, 10, "unterminated comment"),
    ("fn f() { if x { } }", 1, 13, "expected '('"),
    ("fn f() { f(1,); }", 1, 14, "expected an expression"),
    ("fn f() -> r: int {}", 1, 11, "expected '('"),
    ("fn f() { x := len(xs; }", 1, 21, "unexpected token ';'"),
])
def test_syntax_errors(src: str, line: int, column: int, fragment: str) -> None:
    assert_error(src, line, column, fragment, "syntax")


def test_calls_are_not_expressions() -> None:
    assert_error("fn g() -> (r: int) {}\nfn f() -> (r: int) { r := 1 + g(); }", 2, 32,
                 "unexpected token '('", "syntax")


def test_reserved_word_as_name() -> None:
    assert_error("fn f() { var while: int; }", 1, 14, "reserved word", "syntax")


# ---- types and literal inference -------------------------------------------------------


def test_machine_types() -> None:
    prog = check("fn f(a: u8, b: i16, c: u256, d: i256, e: u72) {}")
    tys = [p.binding.ty for p in prog.fns[0].params]
    assert [str(t) for t in tys] == ["u8", "i16", "u256", "i256", "u72"]
    assert tys[0].min == 0 and tys[0].max == 255
    assert tys[1].min == -32768 and tys[1].max == 32767
    assert all(is_integral(t) for t in tys) and is_integral(INT) and not is_integral(BOOL)


def test_unknown_and_bad_types() -> None:
    assert_error("fn f(x: u7) {}", 1, 9, "unknown type 'u7'")
    assert_error("fn f(x: vec<Foo>) {}", 1, 13, "unknown type 'Foo'")
    assert_error("type A;\ntype A;", 2, 6, "already declared")
    assert_error("type u8;", 1, 6, "built-in type")


def test_literal_out_of_range() -> None:
    assert_error("fn f() { var x: u8 := 300; }", 1, 23, "literal 300 does not fit in u8")
    assert_error("fn f(x: u8) { assert x + 256 > 0; }", 1, 26, "literal 256 does not fit in u8")
    assert_error("fn f() { var x: u8 := -1; }", 1, 23, "literal -1 does not fit in u8")
    assert_error("fn f() -> (v: vec<u8>) { v := [1, 2, 300]; }", 1, 38, "literal 300 does not fit in u8")
    stmts = body_of("fn f() { var x: i8 := -128; var y: u8 := 255; }")
    assert stmts[0].init.ty == MachineInt(True, 8)


def test_literal_inference() -> None:
    e = expr_of("x + 1 == 2", "x: u8")
    assert e.left.ty == U8 and e.left.right.ty == U8
    assert e.right.ty == INT  # comparisons are mathematical: the literal stays int
    e = expr_of("x < 300", "x: u8")  # so a literal beyond the type's range is fine there
    assert e.right.ty == INT
    e = expr_of("1 + 2 == 3", "")
    assert all(n.ty in (INT, BOOL) for n in walk(e))
    e = expr_of("x + y > 0", "x: u8, y: int")  # machine with int is mathematical
    assert e.left.ty == INT


def test_mismatched_machine_types() -> None:
    assert_error("fn f(x: u8, y: u256) -> (r: u256) { r := x + y; }", 1, 42,
                 "mismatched integer types u8 and u256")
    # in specifications arithmetic is mathematical, so mixing is fine and gives int
    e = expr_of("x + y > 0", "x: u8, y: u256")
    assert e.left.ty == INT
    # comparisons between machine types are fine
    expr_of("x < y && x == y", "x: u8, y: u256")


def test_assignment_compatibility() -> None:
    body_of("fn f(y: int) { var x: u8 := y; var z: int := x; }")  # range checked later
    assert_error("fn f() { var x: int := true; }", 1, 24, "type mismatch: cannot assign bool to 'x' of type int")
    assert_error("fn f() -> (v: vec<u8>) { var w: vec<int> := v; }", 1, 45, "cannot assign vec<u8>")
    assert_error("type A;\nfn f(a: A) { var b: int := a; }", 2, 28, "cannot assign A to 'b'")


def test_conditions_must_be_bool() -> None:
    assert_error("fn f(x: int) requires x { }", 1, 23, "requires clause must be bool, found int")
    assert_error("fn f(x: int) { while (x) { } }", 1, 23, "while condition must be bool")
    assert_error("fn f(x: int) { if (x + 1) { } }", 1, 20, "if condition must be bool")
    assert_error("fn f(x: int) { assert !x; }", 1, 24, "operator '!' expects a bool operand")


def test_operator_type_errors() -> None:
    assert_error("fn f(a: bool) { assert a + 1 > 0; }", 1, 24, "expects integer operands, found bool")
    assert_error("fn f(x: int) { assert x && true; }", 1, 23, "expects bool operands, found int")
    assert_error("fn f(x: int) { assert len(x) > 0; }", 1, 27, "len expects a vector")
    assert_error("fn f(x: int) { assert x[0] > 0; }", 1, 23, "cannot index into a value of type int")
    assert_error("fn f(xs: vec<int>) { assert xs[true] > 0; }", 1, 32, "vector index must be an integer")
    assert_error("fn f(xs: vec<int>, ys: vec<u8>) { assert xs == ys; }", 1, 42, "cannot compare vec<int> and vec<u8>")
    assert_error("fn f(xs: vec<int>, ys: vec<u8>) { assert len(xs ++ ys) > 0; }", 1, 46, "mismatched vector types")
    assert_error("fn f(a: bool) { assert [1, a] == [] ; }", 1, 28, "different types")


def test_uninterpreted_types() -> None:
    e = expr_of("a == b && s[0] != a", "a: Addr, b: Addr, s: vec<Addr>", "type Addr;\n")
    assert e.left.left.ty == UninterpT("Addr")
    with pytest.raises(InputError):
        check("type Addr;\nfn f(a: Addr) { assert a < a; }")


def test_nested_vec() -> None:
    prog = check("fn f(mut m: vec<vec<u8>>) -> (r: u8) requires len(m) > 0 && len(m[0]) > 1 "
                 "{ r := m[0][1]; m[0][1] := r + 1; push(m[0], 3); push(m, []); pop(m[0]); }")
    f = prog.fns[0]
    assert f.params[0].binding.ty == VecT(VecT(U8))
    assign = f.body.stmts[1]
    assert isinstance(assign, A.Assign) and isinstance(assign.target, A.Index)
    assert isinstance(assign.target.seq, A.Index) and assign.target.ty == U8
    push_empty = f.body.stmts[3]
    assert isinstance(push_empty.value, A.VecLit) and push_empty.value.ty == VecT(U8)


def test_empty_vec_literal_needs_context() -> None:
    body_of("fn f() -> (v: vec<int>) { v := []; assert v == []; assert [] ++ v == v; }")
    assert_error("fn f() { assert len([]) == 0; }", 1, 21, "cannot infer the element type of []")
    assert_error("fn f() { assert [] == []; }", 1, 17, "cannot infer the element type of []")
    stmts = body_of("fn f() { assert [[], [1]] == [[2]]; }")
    assert stmts[0].cond.left.ty == VecT(VecT(INT))


# ---- names and scopes ------------------------------------------------------------------


def test_unknown_names() -> None:
    assert_error("fn f() { assert y > 0; }", 1, 17, "unknown variable 'y'")
    assert_error("fn f() { g(1); }", 1, 10, "unknown function 'g'")
    assert_error("fn f() { y := 1; }", 1, 10, "unknown variable 'y'")


def test_duplicates_and_shadowing() -> None:
    assert_error("fn f(x: int, x: int) {}", 1, 14, "'x' is already declared")
    assert_error("fn f(x: int) -> (x: int) {}", 1, 18, "'x' is already declared")
    assert_error("fn f(x: int) { var x: int; }", 1, 20, "'x' is already declared")
    assert_error("fn f() { var y: int; if (true) { var y: int; } }", 1, 38, "'y' is already declared")
    assert_error("fn f(x: int) { assert forall x: int :: x > 0; }", 1, 30, "'x' is already declared")
    assert_error("fn f() {}\nfn f() {}", 2, 4, "function 'f' is already declared")
    # the same bound name in two separate quantifiers is fine
    check("fn f(xs: vec<int>) requires forall i: int :: i > 0 requires exists i: int :: i < 0 {}")


def test_local_scope_ends_with_block() -> None:
    assert_error("fn f() { if (true) { var t: int := 1; } assert t == 1; }", 1, 48, "unknown variable 't'")
    assert_error("fn f() { var x: int := x; }", 1, 24, "unknown variable 'x'")


def test_results_may_be_read_before_assignment() -> None:
    check("fn f() -> (r: int) { assert r == r; r := r + 1; }")


def test_quantifier_rules() -> None:
    assert_error("fn f() { assert forall v: vec<int> :: len(v) >= 0; }", 1, 27, "quantifying over vec is not supported")
    assert_error("fn f() { assert forall i: int :: i; }", 1, 34, "quantifier body must be bool")
    check("type A;\nfn f() { assert forall a: A, b: bool, c: u8 :: b || c >= 0; }")


# ---- old ------------------------------------------------------------------------------


def test_old_rules() -> None:
    assert_error("fn f(mut xs: vec<int>) requires len(old(xs)) > 0 {}", 1, 37, "old() is not allowed in requires")
    assert_error("fn f(mut xs: vec<int>) ensures len(old(old(xs))) > 0 {}", 1, 40, "nested old()")
    assert_error("fn f() -> (r: int) ensures old(r) == 0 {}", 1, 32, "old() can only refer to parameters")
    check("fn f(mut xs: vec<int>) ensures len(xs) >= len(old(xs)) "
          "{ assert xs == old(xs); while (false) invariant xs == old(xs) { } var n: int := len(old(xs)); }")


def test_result_not_allowed_in_requires() -> None:
    assert_error("fn f() -> (r: int) requires r > 0 {}", 1, 29, "result 'r' cannot be used in requires")


# ---- mutation rules ---------------------------------------------------------------------


def test_params_are_values_unless_mut() -> None:
    assert_error("fn f(x: int) { x := 1; }", 1, 16, "cannot assign to parameter 'x'; declare it `mut`")
    assert_error("fn f(xs: vec<int>) { push(xs, 1); }", 1, 27, "declare it `mut`")
    assert_error("fn f(xs: vec<int>) { pop(xs); }", 1, 26, "declare it `mut`")
    assert_error("fn f(xs: vec<int>) { xs[0] := 1; }", 1, 22, "cannot assign to parameter 'xs'")
    check("fn f(mut x: int, mut xs: vec<int>) -> (r: int) { x := 1; xs[0] := 2; push(xs, 3); r := pop(xs); pop(xs); }")


def test_push_pop_targets() -> None:
    assert_error("fn f(mut xs: vec<int>) { push(xs ++ xs, 1); }", 1, 31, "push needs a variable or vector element")
    assert_error("fn f(mut x: int) { push(x, 1); }", 1, 25, "push expects a vector, found int")
    assert_error("fn f(mut xs: vec<int>) { push(xs, true); }", 1, 35, "cannot push bool onto 'xs'")
    assert_error("fn f(mut xs: vec<int>) -> (b: bool) { b := pop(xs); }", 1, 39, "cannot assign int to 'b'")


def test_mut_arguments_must_be_places() -> None:
    callee = "fn g(mut v: vec<int>, n: int) -> (r: int) {}\n"
    check(callee + "fn f(mut xs: vec<vec<int>>, ys: vec<int>) -> (r: int) { var zs: vec<int> := ys; "
                   "r := g(zs, len(ys) + 1); g(xs[0], 2); }")
    assert_error(callee + "fn f(ys: vec<int>) { g(ys ++ ys, 1); }", 2, 24, "must be a variable or vector element")
    assert_error(callee + "fn f(ys: vec<int>) { g(ys, 1); }", 2, 24, "cannot pass parameter 'ys' to a `mut` parameter")
    assert_error(callee + "fn f(mut ys: vec<u8>) { g(ys, 1); }", 2, 27, "`mut` parameter 'v' has type vec<int>")
    assert_error(callee + "fn f(mut ys: vec<int>) { g(ys, true); }", 2, 32, "cannot pass bool as parameter 'n'")
    assert_error("fn g(mut a: vec<int>, mut b: vec<int>) {}\nfn f(mut v: vec<int>) { g(v, v); }", 2, 30,
                 "more than one `mut` parameter")


def test_bound_variables_cannot_be_assigned() -> None:
    # a bound variable is only visible inside its quantifier, so the name is unknown here
    assert_error("fn f() { assert forall i: int :: i == i; i := 1; }", 1, 42, "unknown variable 'i'")


# ---- calls, control flow, bodiless functions -----------------------------------------------


def test_multi_result_calls() -> None:
    src = ("fn divmod(a: int, b: int) -> (q: int, r: int) requires b > 0 ensures a == q * b + r;\n"
           "fn f() -> (x: int, y: u8) { x, y := divmod(7, 2); divmod(1, 1); x := later(x); }\n"
           "fn later(n: int) -> (m: int) { m := n; }")
    prog = check(src)
    divmod, f, later = prog.fns
    assert divmod.body is None and len(divmod.results) == 2
    call, bare, fwd = f.body.stmts
    assert isinstance(call, A.CallStmt) and call.callee == "divmod" and call.fn is divmod
    assert [t.decl for t in call.targets] == f.results
    assert bare.targets == [] and bare.fn is divmod
    assert fwd.fn is later  # declared after use
    assert_error(src.replace("x, y := divmod", "x := divmod"), 2, 29, "returns 2 result(s), but 1 target(s)")
    assert_error(src.replace("divmod(7, 2)", "divmod(7)"), 2, 29, "expects 2 argument(s), got 1")
    assert_error(src.replace("x, y := divmod", "x, x := divmod"), 2, 32, "assigned more than once")


def test_recursion_allowed() -> None:
    check("fn fact(n: int) -> (r: int) requires n >= 0 { if (n == 0) { r := 1; } else { r := fact(n - 1); r := n * r; } }")


def test_else_if_chain() -> None:
    (stmt,) = body_of("fn f(x: int) -> (r: int) { if (x < 0) { r := 0; } else if (x < 10) { r := 1; } "
                      "else if (x < 20) { r := 2; } else { r := 3; return; } }")
    assert isinstance(stmt, A.If) and stmt.els is not None
    (inner,) = stmt.els.stmts
    assert isinstance(inner, A.If) and inner.els is not None
    (inner2,) = inner.els.stmts
    assert isinstance(inner2, A.If) and isinstance(inner2.els.stmts[-1], A.Return)
    (no_else,) = body_of("fn f(x: int) { if (x < 0) { } }")
    assert no_else.els is None


def test_bodiless_function() -> None:
    prog = check("fn abs(x: int) -> (r: int) requires true ensures r >= 0 && (r == x || r == -x);\n"
                 "fn noresult(x: int);")
    abs_fn, nores = prog.fns
    assert abs_fn.body is None and len(abs_fn.ensures) == 1 and abs_fn.ensures[0].span.line == 1
    assert nores.body is None and nores.results == []


def test_var_without_initializer_and_assume() -> None:
    (decl, assume) = body_of("fn f() { var x: vec<bool>; assume len(x) == 2 && x[0]; }")
    assert decl.init is None and decl.binding.ty == VecT(BOOL)
    assert isinstance(assume, A.AssumeStmt)


def test_errors_never_leak_lark_exceptions() -> None:
    for src in ["", "fn", "fn f(", "}", "fn f() { var x: vec<int := 1; }", "@", "fn f() { x := [1, 2; }",
                "fn f() { xs[1..2] := 3; }", "fn f() { a, b; }", "type", "fn f() -> (r: int) { r := pop xs; }"]:
        try:
            check(src)
        except InputError as e:
            assert e.code == "syntax" and e.span is not None and "\n" not in e.message


def test_call_used_as_expression_hint() -> None:
    err = assert_error("fn g() -> (r: int) {}\nfn f() -> (x: int) { x := 2 * g(); }", 2, 32,
                       "unexpected token '('", "syntax")
    assert "statements" in err.message


def test_var_initialised_by_call_or_pop_is_desugared() -> None:
    src = ("fn g(n: int) -> (r: u8) {}\n"
           "fn f(mut v: vec<int>) { var a: int := g(1); var b: u8 := pop(v); assert a == b; }")
    prog = check(src)
    decl_a, call, decl_b, pop, _ = prog.fns[1].body.stmts
    assert isinstance(decl_a, A.VarDeclStmt) and decl_a.init is None and decl_a.init_by_next
    assert isinstance(call, A.CallStmt) and call.fn is prog.fns[0]
    assert call.targets[0].decl is decl_a.binding and call.span == decl_a.span
    assert isinstance(decl_b, A.VarDeclStmt) and decl_b.init is None
    assert isinstance(pop, A.Pop) and pop.target.decl is decl_b.binding
    # like `var x: int := x;`, the new variable cannot be read by its own initialiser
    assert_error("fn g(n: int) -> (r: int) {}\nfn f() { var n: int := g(n); }", 2, 26, "unknown variable 'n'")
    assert_error("fn f(mut v: vec<u8>) { var m: bool := pop(v); }", 1, 28, "cannot assign u8 to 'm'")


def test_decimal_with_leading_zero() -> None:
    e = expr_of("x == 007 + 0x1f", "x: int")
    assert e.right.left.value == 7 and e.right.right.value == 31


def test_very_deep_expressions_are_accepted() -> None:
    import sys

    limit = sys.getrecursionlimit()
    src = "fn f() -> (r: u8) { r := " + " + ".join(["1"] * 5000) + "; }"
    (assign,) = body_of(src)
    assert assign.value.ty == U8
    nested = "fn f() -> (r: int) { r := " + "(" * 3000 + "1" + ")" * 3000 + "; }"
    body_of(nested)
    # raised once for deep input (never lowered under another thread's feet)
    assert sys.getrecursionlimit() >= limit
    assert_error("fn f() -> (r: u8) { r := " + " + ".join(["1"] * 3000) + " + 300; }", 1, 12026,
                 "literal 300 does not fit in u8")
