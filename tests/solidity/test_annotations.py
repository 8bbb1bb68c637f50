"""Specification annotations in Solidity doc comments: finding them, parsing their expressions,
and the exact spans of every node in the `.sol` file.

Most tests use real compact ASTs: all sources below are compiled in one solcjs run (node and
the npm package `solc` from vecverify's cache directory; skipped only when node is missing).
The rest build a minimal `documentation` dict by hand.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from importlib import resources
from typing import Any, Iterator

import pytest

from vecverify.errors import InputError, Span
from vecverify.frontends.solidity import spec_ast as S
from vecverify.frontends.solidity.annotations import (
    annotations_of,
    loop_annotations,
    parse_expression,
)
from vecverify.frontends.solidity.source import SourceFile

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


# ---- helpers ---------------------------------------------------------------------------


def show(e: S.Expr) -> str:
    """A compact S-expression rendering of an annotation expression."""
    if isinstance(e, S.Ident):
        return e.name
    if isinstance(e, S.Number):
        return str(e.value)
    if isinstance(e, S.Bool):
        return "true" if e.value else "false"
    if isinstance(e, S.Member):
        return f"{show(e.expr)}.{e.name}"
    if isinstance(e, S.Index):
        return f"{show(e.expr)}[{show(e.index)}]"
    if isinstance(e, S.Call):
        return f"{show(e.callee)}({', '.join(show(a) for a in e.args)})"
    if isinstance(e, S.Unary):
        return f"({e.op} {show(e.expr)})"
    if isinstance(e, S.Binary):
        return f"({e.op} {show(e.left)} {show(e.right)})"
    if isinstance(e, S.Cond):
        return f"(? {show(e.cond)} {show(e.then)} {show(e.els)})"
    if isinstance(e, S.Quant):
        binders = ", ".join(f"{t} {n}" for t, n, _ in e.binders)
        return f"({e.kind} ({binders}) {show(e.body)})"
    raise AssertionError(f"not an expression: {e!r}")


def nodes(e: S.Expr) -> Iterator[S.Expr]:
    yield e
    for child in _children(e):
        yield from nodes(child)


def _children(e: S.Expr) -> list[S.Expr]:
    if isinstance(e, S.Member):
        return [e.expr]
    if isinstance(e, S.Index):
        return [e.expr, e.index]
    if isinstance(e, S.Call):
        return [e.callee, *e.args]
    if isinstance(e, S.Unary):
        return [e.expr]
    if isinstance(e, S.Binary):
        return [e.left, e.right]
    if isinstance(e, S.Cond):
        return [e.cond, e.then, e.els]
    if isinstance(e, S.Quant):
        return [e.body]
    return []


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def span_of(text: str, path: str, needle: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of `needle` (on one line) in `text`."""
    line, column = where(text, needle, nth)
    return Span(path, line, column, line, column + len(needle))


def text_at(source: SourceFile, span: Span) -> str:
    """The source text a (possibly multi-line) span covers."""
    lines = source.data.decode("utf-8").split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line:span.end_line - 1]
    parts.append(lines[span.end_line - 1][:span.end_column - 1])
    return "\n".join(parts)


def doc_node(text: str, path: str = "T.sol") -> tuple[dict[str, Any], SourceFile]:
    """A fake AST node whose StructuredDocumentation is the whole of `text` minus a trailing
    `function f() {}` line (only its `src` is read)."""
    data = text.encode("utf-8")
    end = data.rindex(b"\n", 0, data.index(b"function")) if b"function" in data else len(data)
    node = {"nodeType": "FunctionDefinition", "src": f"{end + 1}:1:0",
            "documentation": {"nodeType": "StructuredDocumentation", "src": f"0:{end}:0",
                              "text": "(not read)"}}
    return node, SourceFile(path, data)


def annotations(text: str, path: str = "T.sol") -> tuple[list[S.Annotation], SourceFile]:
    node, source = doc_node(text, path)
    return annotations_of(node, source), source


# ---- compiling with solcjs -------------------------------------------------------------

PATH_A = "Token.sol"
SOURCE_A = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @title A token
/// @notice invariant total == __verifier_sum_uint(balances)
/// @custom:vv-invariant owner != address(0)
contract Token {
    uint256 total;
    mapping(address => uint256) balances;
    address owner;
    uint[] xs;

    /// @notice Transfers tokens (plain notice text)
    /// @notice precondition balances[msg.sender] >= amount
    /// @notice postcondition balances[to] == __verifier_old_uint(balances[to]) + amount
    ///     || to == msg.sender
    /// @notice modifies balances[msg.sender]
    /// @notice modifies balances[to] if to != msg.sender
    /// @dev postcondition false (a @dev tag: not an annotation)
    function transfer(address to, uint256 amount) public {
        balances[msg.sender] -= amount;
        balances[to] += amount;
    }

    /**
     * @notice precondition n > 0
     *   @custom:vv-ensures forall (uint i) i < xs.length ==> xs[i] >= n
     * @custom:vv-modifies xs
     */
    function fill(uint n) public {
        /// @notice invariant i <= xs.length
        /// @notice invariant forall (uint j) j < i ==> xs[j] == n
        for (uint i = 0; i < xs.length; i++) { xs[i] = n; }
        uint k = 0;
        /// @custom:vv-invariant k <= 10

        // a plain comment in between
        while (k < 10) { k++; }
        do { k--; } while (k > 0);
        /** @notice invariant kblock >= 0 */ while (k > 0) { k--; }
    }
}
"""

PATH_B = "Misplaced.sol"
SOURCE_B = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Misplaced {
    /// @notice postcondition r == n +
    function bad(uint n) public pure returns (uint r) { r = n; }

    function loops(uint n) public pure {
        n = 1; /// @notice invariant n > 0
        while (n > 5) { n--; }
    }

    /// @custom:vv-frobnicate x
    function unknown() public pure {}
}
"""

SOURCES = {PATH_A: SOURCE_A, PATH_B: SOURCE_B}


def _solc_package() -> str | None:
    roots = [os.environ.get("VECVERIFY_CACHE") or os.path.expanduser("~/.cache/vecverify"), "/tmp"]
    for root in roots:
        package = os.path.join(root, "solcjs", "node_modules", "solc")
        if os.path.isfile(os.path.join(package, "package.json")):
            return package
    return None


_DRIVER = """
const solc = require(process.argv[1]);
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => process.stdout.write(solc.compile(input)));
"""


@pytest.fixture(scope="module")
def compiled() -> dict[str, tuple[dict[str, Any], SourceFile]]:
    assert NODE is not None
    package = _solc_package()
    if package is None:
        pytest.fail("solcjs not found: npm install --prefix ~/.cache/vecverify/solcjs solc@0.8.26")
    std_input = {
        "language": "Solidity",
        "sources": {path: {"content": text} for path, text in SOURCES.items()},
        "settings": {"outputSelection": {"*": {"": ["ast"]}}},
    }
    run = subprocess.run([NODE, "-e", _DRIVER, package], input=json.dumps(std_input),
                         capture_output=True, text=True, timeout=120, check=True)
    output = json.loads(run.stdout)
    errors = [e for e in output.get("errors", []) if e["severity"] == "error"]
    assert not errors, errors
    return {path: (output["sources"][path]["ast"], SourceFile(path, text.encode("utf-8")))
            for path, text in SOURCES.items()}


def find(ast: Any, node_type: str, name: str | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(ast, dict):
        if ast.get("nodeType") == node_type and (name is None or ast.get("name") == name):
            out.append(ast)
        for value in ast.values():
            out += find(value, node_type, name)
    elif isinstance(ast, list):
        for value in ast:
            out += find(value, node_type, name)
    return out


# ---- expressions: constructs and precedence ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("x", "x"),
    ("this", "this"),
    ("msg.sender", "msg.sender"),
    ("msg.value + block.timestamp - block.number", "(- (+ msg.value block.timestamp) block.number)"),
    ("a.length", "a.length"),
    ("s.field.inner", "s.field.inner"),
    ("a[i]", "a[i]"),
    ("a[i][j]", "a[i][j]"),
    ("m[msg.sender].f[k + 1]", "m[msg.sender].f[(+ k 1)]"),
    ("true != false", "(!= true false)"),
    ("__verifier_old_uint(x) + __verifier_old_int(y)",
     "(+ __verifier_old_uint(x) __verifier_old_int(y))"),
    ("__verifier_old_bool(b) || __verifier_old_address(a) == a",
     "(|| __verifier_old_bool(b) (== __verifier_old_address(a) a))"),
    ("__verifier_sum_uint(arr) >= __verifier_sum_int(brr)",
     "(>= __verifier_sum_uint(arr) __verifier_sum_int(brr))"),
    ("f(x, y) == g()", "(== f(x, y) g())"),
    ("uint256(x) > 0 && owner != address(0)", "(&& (> uint256(x) 0) (!= owner address(0)))"),
    ("type(uint256).max", "type(uint256).max"),
    ("f(x)[0].y", "f(x)[0].y"),
    ("!b", "(! b)"),
    ("-x", "(- x)"),
    ("~x", "(~ x)"),
    ("!!b", "(! (! b))"),
    ("a * b / c % d", "(% (/ (* a b) c) d)"),
    ("a + b * c", "(+ a (* b c))"),
    ("a - b - c", "(- (- a b) c)"),
    ("a << 1 + b", "(<< a (+ 1 b))"),
    ("a >> b << c", "(<< (>> a b) c)"),
    ("a & b << c", "(& a (<< b c))"),
    ("a ^ b & c", "(^ a (& b c))"),
    ("a | b ^ c", "(| a (^ b c))"),
    ("a < b | c", "(< a (| b c))"),
    ("a <= b == c > d", "(== (<= a b) (> c d))"),
    ("a >= b != c", "(!= (>= a b) c)"),
    ("a == b && c != d", "(&& (== a b) (!= c d))"),
    ("a || b && c", "(|| a (&& b c))"),
    ("a && b || c", "(|| (&& a b) c)"),
    ("a ==> b ==> c", "(==> a (==> b c))"),
    ("a || b ==> c && d", "(==> (|| a b) (&& c d))"),
    ("a ==> b || c", "(==> a (|| b c))"),
    ("c ? a : b", "(? c a b)"),
    ("c ? a : d ? e : f", "(? c a (? d e f))"),
    ("c || d ? a + 1 : b", "(? (|| c d) (+ a 1) b)"),
    ("p ==> q ? a : b", "(? (==> p q) a b)"),
    ("(a + b) * c", "(* (+ a b) c)"),
    ("-(a + b)", "(- (+ a b))"),
    ("-x ** 2", "(** (- x) 2)"),
    ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
    ("!a == b", "(== (! a) b)"),
    ("forall (uint i) i < n ==> a[i] > 0",
     "(forall (uint i) (==> (< i n) (> a[i] 0)))"),
    ("exists (uint i) i < a.length && a[i] == x",
     "(exists (uint i) (&& (< i a.length) (== a[i] x)))"),
    ("forall (uint i, uint j) i < j && j < n ==> a[i] <= a[j]",
     "(forall (uint i, uint j) (==> (&& (< i j) (< j n)) (<= a[i] a[j])))"),
    ("forall (uint8 i) forall (int256 j) exists (address k) m[k] == i",
     "(forall (uint8 i) (forall (int256 j) (exists (address k) (== m[k] i))))"),
    ("forall (bool b) b || !b", "(forall (bool b) (|| b (! b)))"),
    ("x > 0 && forall (uint i) a[i] > 0 || y", "(&& (> x 0) (forall (uint i) (|| (> a[i] 0) y)))"),
    ("!forall (uint i) a[i] == 0", "(! (forall (uint i) (== a[i] 0)))"),
    ("(forall (uint i) a[i] > 0) && y", "(&& (forall (uint i) (> a[i] 0)) y)"),
    ("c ? forall (uint i) p(i) : q", "(? c (forall (uint i) p(i)) q)"),
    ("forall (uint i) c ? a[i] : b", "(forall (uint i) (? c a[i] b))"),
    ("f(forall (uint i) a[i] > 0, x)", "f((forall (uint i) (> a[i] 0)), x)"),
    # `forall` / `exists` are not Solidity keywords: elsewhere they are plain names
    ("exists[msg.sender] && exists(k) == forall", "(&& exists[msg.sender] (== exists(k) forall))"),
    ("exists (uint i) exists(i)", "(exists (uint i) exists(i))"),
    ("forall.x + exists()", "(+ forall.x exists())"),
    ("iffy + ifs", "(+ iffy ifs)"),
])
def test_expression_shapes(text: str, expected: str) -> None:
    assert show(parse_expression(text)) == expected


@pytest.mark.parametrize("text, value", [
    ("0", 0),
    ("42", 42),
    ("1_000_000", 1_000_000),
    ("0x1F", 31),
    ("0xff_ff", 0xFFFF),
    ("1e18", 10**18),
    ("2.5e3", 2500),
    ("1_0e1_0", 10 * 10**10),
    ("100e-2", 1),
    ("115792089237316195423570985008687907853269984665640564039457584007913129639935",
     2**256 - 1),
    ("1 wei", 1),
    ("3 gwei", 3 * 10**9),
    ("1 ether", 10**18),
    ("0.5 ether", 5 * 10**17),
    ("2 seconds", 2),
    ("2 minutes", 120),
    ("2 hours", 7200),
    ("2 days", 172800),
    ("2 weeks", 1209600),
])
def test_number_literals_are_exact_ints(text: str, value: int) -> None:
    e = parse_expression(text)
    assert isinstance(e, S.Number) and e.value == value and type(e.value) is int
    assert (e.span.column, e.span.end_column) == (1, len(text) + 1)


@pytest.mark.parametrize("text, column, fragment", [
    ("1.5", 1, "not an integer"),
    ("1e-3 + x", 1, "not an integer"),
    ("0.1 wei", 1, "not an integer"),
    ("1e99999", 1, "too large"),
    ("a +", 4, "unexpected end of annotation; expected an expression"),
    ("a # b", 3, "unexpected character '#'"),
    ("a b", 3, "unexpected 'b'"),
    ("(a", 3, "unexpected end of annotation; expected ')'"),
    ("f(,)", 3, "unexpected ','"),
    ("x ? y", 6, "unexpected end of annotation; expected ':'"),
    ("forall uint i", 8, "unexpected 'uint'; expected end of annotation or an operator "
                         "(a quantifier is written 'forall (uint i, ...) BODY')"),
    ("exists (uint) x", 15, "unexpected 'x'; expected end of annotation or an operator "
                            "(a quantifier is written 'forall (uint i, ...) BODY')"),
    ("forall (uint i x) y", 16, "unexpected 'x'"),
    ("forall (Foo i) true", 9, "elementary type"),
    ("f(uint i) true", 1, "must follow 'forall' or 'exists'"),
    ("a.forall(uint i) true", 1, "must follow 'forall' or 'exists'"),
    ("if", 1, "unexpected 'if'"),
    ("forall (string s) true", 9, "elementary type"),
    ("a.0", 3, "unexpected '0'"),
    ("1__0", 2, "unexpected"),
    ("a = b", 3, "unexpected character '='"),
    ("", 1, "unexpected end of annotation"),
])
def test_expression_errors(text: str, column: int, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_expression(text)
    e = info.value
    assert e.code == "annotation.syntax"
    assert e.message.startswith("bad annotation: ")
    assert fragment in e.message
    assert e.span is not None and (e.span.line, e.span.column) == (1, column)


def test_lark_errors_never_escape() -> None:
    """Random token soup: either a parse or an InputError, never a lark exception."""
    pieces = ["a", "b[", "]", "(", ")", ".", "x", ",", "1", "0x", "_", "e", "+", "-", "!", "==>",
              "?", ":", "forall", "exists", "(uint i)", "ether", "&&", "'", "\"", "@", "#", " ",
              "\n", "é", "if", "true", "**", "<<"]
    rng = random.Random(1234)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        try:
            parse_expression(text)
        except InputError as e:
            assert e.code == "annotation.syntax" and e.span is not None


def test_spans_of_every_node_are_its_exact_text() -> None:
    text = "forall (uint i, address a) (m[a] + x.y[i]) * -f(1 ether, (b)) >= 0 ? c : !d"
    e = parse_expression(text)
    source = SourceFile("<annotation>", text.encode("utf-8"))
    assert text_at(source, e.span) == text
    seen = {show(n): text_at(source, n.span) for n in nodes(e)}
    assert seen["(+ m[a] x.y[i])"] == "m[a] + x.y[i]"          # parentheses not included
    assert seen["(* (+ m[a] x.y[i]) (- f(1000000000000000000, b)))"] == \
        "(m[a] + x.y[i]) * -f(1 ether, (b))"                    # ...but part of the parent
    assert seen["x.y[i]"] == "x.y[i]"
    assert seen["f(1000000000000000000, b)"] == "f(1 ether, (b))"
    assert seen["1000000000000000000"] == "1 ether"
    assert seen["b"] == "b"
    assert seen["(! d)"] == "!d"
    assert isinstance(e, S.Quant)
    assert [(t, n, text_at(source, s)) for t, n, s in e.binders] == \
        [("uint", "i", "uint i"), ("address", "a", "address a")]


def test_nodes_are_hashable_and_immutable() -> None:
    e = parse_expression("f(a, b) + forall (uint i) a[i] > 0")
    assert hash(e) == hash(parse_expression("f(a, b) + forall (uint i) a[i] > 0"))
    with pytest.raises(AttributeError):
        e.op = "-"  # type: ignore[misc]


# ---- doc comments built by hand ----------------------------------------------------------


def test_hand_built_multiline_triple_slash_spans() -> None:
    text = (
        "    /// @notice Does things.\n"
        "      ///  @notice postcondition   total ==\n"
        "    ///         __verifier_old_uint(total) + amount\n"
        "    ///@notice invariant ok\n"
        "    function f() {}\n"
    )
    anns, source = annotations(text)
    assert [a.kind for a in anns] == ["postcondition", "invariant"]
    post, inv = anns
    assert show(post.expr) == "(== total (+ __verifier_old_uint(total) amount))"
    assert post.text == "total ==\n    ///         __verifier_old_uint(total) + amount".replace(
        "    ///", "")
    amount_line, amount_column = where(text, "amount")
    end = (amount_line, amount_column + len("amount"))
    assert post.span == Span("T.sol", *where(text, "postcondition"), *end)
    assert text_at(source, post.span).startswith("postcondition   total ==")
    e = post.expr
    assert isinstance(e, S.Binary) and isinstance(e.right, S.Binary)
    assert e.span == Span("T.sol", *where(text, "total"), *end)
    assert e.left.span == span_of(text, "T.sol", "total")
    old = e.right.left
    assert isinstance(old, S.Call) and old.span == span_of(text, "T.sol", "__verifier_old_uint(total)")
    assert old.args[0].span == span_of(text, "T.sol", "total", 1)
    assert e.right.right.span == span_of(text, "T.sol", "amount")
    assert inv.expr == S.Ident("ok", span_of(text, "T.sol", "ok"))
    assert inv.span == span_of(text, "T.sol", "invariant ok")


def test_hand_built_block_comment_spans() -> None:
    text = (
        "/**\n"
        " * @notice precondition a[i] > 0\n"
        "  *\t@custom:vv-ensures\n"
        "   *     forall (uint k) k < n ==> b[k] == 0 */\n"
        "function f() {}\n"
    )
    anns, source = annotations(text)
    pre, post = anns
    assert (pre.kind, post.kind) == ("precondition", "postcondition")
    assert pre.expr is not None and pre.expr.span == span_of(text, "T.sol", "a[i] > 0")
    assert pre.span == span_of(text, "T.sol", "precondition a[i] > 0")
    assert post.text == "forall (uint k) k < n ==> b[k] == 0"
    assert post.span == span_of(text, "T.sol", "forall (uint k) k < n ==> b[k] == 0")
    q = post.expr
    assert isinstance(q, S.Quant) and q.binders[0][2] == span_of(text, "T.sol", "uint k")
    body = q.body
    assert isinstance(body, S.Binary) and body.op == "==>"
    assert body.right.span == span_of(text, "T.sol", "b[k] == 0")


def test_hand_built_columns_count_characters_not_bytes() -> None:
    text = "/// Größe: @notice invariant x\u00e9 > 0\nfunction f() {}\n"
    # the first '@' of a line starts a tag (as in solc); 'xé' is not an identifier
    with pytest.raises(InputError) as info:
        annotations(text)
    assert info.value.span == Span("T.sol", 1, 31, 1, 32)
    text = "/// Größe @notice invariant zz > 0\nfunction f() {}\n"
    (inv,), _ = annotations(text)
    assert inv.expr is not None and inv.expr.span == span_of(text, "T.sol", "zz > 0")


def test_hand_built_crlf_line_endings() -> None:
    text = "/// @notice invariant a\r\n/// @notice invariant b ==> c\r\nfunction f() {}\r\n"
    (a, b), _ = annotations(text)
    assert show(b.expr) == "(==> b c)" and b.text == "b ==> c"
    assert b.expr is not None and b.expr.span == Span("T.sol", 2, 23, 2, 30)


def test_notice_text_and_other_tags_are_ignored() -> None:
    text = (
        "/// @notice Transfers tokens to the invariant holder\n"
        "/// @notice invariants are described elsewhere\n"
        "/// @notice modifiesX\n"
        "/// @notice\n"
        "/// @dev precondition this is prose\n"
        "/// @custom:other precondition x\n"
        "/// @param x invariant\n"
        "function f() {}\n"
    )
    assert annotations(text)[0] == []


def test_both_spellings_give_the_same_annotations() -> None:
    solc_verify = (
        "/// @notice precondition x > 0\n/// @notice postcondition y == 1\n"
        "/// @notice invariant z\n/// @notice modifies m[k] if k != 0\nfunction f() {}\n"
    )
    custom = (
        "/// @custom:vv-requires x > 0\n/// @custom:vv-ensures y == 1\n"
        "/// @custom:vv-invariant z\n/// @custom:vv-modifies m[k] if k != 0\nfunction f() {}\n"
    )
    a, _ = annotations(solc_verify)
    b, _ = annotations(custom)
    assert [x.kind for x in a] == [x.kind for x in b] == \
        ["precondition", "postcondition", "invariant", "modifies"]
    assert [(x.text, show(x.expr) if x.expr else None) for x in a] == \
        [(x.text, show(x.expr) if x.expr else None) for x in b]


def test_modifies_targets_and_conditions() -> None:
    text = (
        "/// @notice modifies x\n"
        "/// @notice modifies a[i]\n"
        "/// @notice modifies m[k].f if k != msg.sender && forall (uint j) j < n ==> z[j] > 0\n"
        "/// @custom:vv-modifies address(this).balance\n"
        "function f() {}\n"
    )
    anns, source = annotations(text)
    assert all(a.kind == "modifies" and a.expr is None for a in anns)
    assert [show(a.target) for a in anns if a.target] == ["x", "a[i]", "m[k].f", "address(this).balance"]
    assert [a.cond is None for a in anns] == [True, True, False, True]
    third = anns[2]
    assert show(third.cond) == \
        "(&& (!= k msg.sender) (forall (uint j) (==> (< j n) (> z[j] 0))))"
    assert third.target is not None and third.target.span == span_of(text, "T.sol", "m[k].f")
    assert third.text == "m[k].f if k != msg.sender && forall (uint j) j < n ==> z[j] > 0"
    assert text_at(source, third.span) == "modifies " + third.text


@pytest.mark.parametrize("text, column, fragment", [
    ("/// @notice modifies x +\n", 24, "unexpected '+'"),
    ("/// @notice modifies x if\n", 26, "unexpected end of annotation; expected an expression"),
    ("/// @notice modifies if c\n", 22, "unexpected 'if'"),
    ("/// @notice modifies\n", 21, "unexpected end of annotation"),
])
def test_modifies_errors(text: str, column: int, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        annotations(text + "function f() {}\n")
    assert info.value.code == "annotation.syntax" and fragment in info.value.message
    assert info.value.span is not None and (info.value.span.line, info.value.span.column) == (1, column)


def test_modifies_star_is_unsupported() -> None:
    with pytest.raises(InputError) as info:
        annotations("/// @notice modifies *\nfunction f() {}\n")
    assert info.value.code == "annotation.unsupported"
    assert info.value.span == Span("T.sol", 1, 22, 1, 23)


def test_unknown_vecverify_tag_is_an_error() -> None:
    text = "/// @notice invariant x\n///   @custom:vv-foo bar\nfunction f() {}\n"
    with pytest.raises(InputError) as info:
        annotations(text)
    assert info.value.code == "annotation.unknown"
    assert "unknown vecverify annotation @custom:vv-foo" in info.value.message
    assert info.value.span == span_of(text, "T.sol", "@custom:vv-foo")


def test_empty_notice_expression_points_after_the_keyword() -> None:
    with pytest.raises(InputError) as info:
        annotations("/// @notice postcondition   \nfunction f() {}\n")
    assert info.value.span is not None and (info.value.span.line, info.value.span.column) == (1, 26)


def test_two_tags_on_one_line_are_one_tag_as_in_solc() -> None:
    with pytest.raises(InputError) as info:
        annotations("/// @notice invariant a > 0 @notice invariant b\nfunction f() {}\n")
    assert info.value.span == Span("T.sol", 1, 29, 1, 30)
    assert "unexpected character '@'" in info.value.message


def test_node_without_documentation_has_no_annotations() -> None:
    source = SourceFile("T.sol", b"function f() {}\n")
    assert annotations_of({"nodeType": "FunctionDefinition", "src": "0:15:0"}, source) == []
    assert annotations_of({"nodeType": "FunctionDefinition", "src": "0:15:0",
                           "documentation": None}, source) == []


def test_loop_annotations_by_scanning_hand_built_source() -> None:
    text = (
        "function f() {\n"
        "    uint i;\n"
        "    /// @notice invariant i <= n\n"
        "    ///   && n > 0\n"
        "\n"
        "    // plain\n"
        "    /* plain */\n"
        "    while (i < n) { i++; }\n"
        "    //// @notice invariant nope\n"
        "    for (;;) {}\n"
        "    i = 0;\n"
        "    do {} while (false);\n"
        "}\n"
    )
    source = SourceFile("T.sol", text.encode("utf-8"))
    start = text.index("while (i")
    (inv,) = loop_annotations({"nodeType": "WhileStatement", "src": f"{start}:5:0"}, source)
    assert show(inv.expr) == "(&& (<= i n) (> n 0))"
    assert inv.expr is not None and inv.expr.span == Span("T.sol", 3, 27, 4, 19)
    for_start = text.index("for (")
    assert loop_annotations({"nodeType": "ForStatement", "src": f"{for_start}:3:0"}, source) == []
    do_start = text.index("do {")
    assert loop_annotations({"nodeType": "DoWhileStatement", "src": f"{do_start}:3:0"}, source) == []


# ---- real compact ASTs from solc ------------------------------------------------------------


@needs_node
def test_contract_invariants_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_A]
    (contract,) = find(ast, "ContractDefinition", "Token")
    a, b = annotations_of(contract, source)
    assert (a.kind, b.kind) == ("invariant", "invariant")
    assert show(a.expr) == "(== total __verifier_sum_uint(balances))"
    assert a.span == span_of(SOURCE_A, PATH_A, "invariant total == __verifier_sum_uint(balances)")
    assert show(b.expr) == "(!= owner address(0))"
    assert b.text == "owner != address(0)"
    assert b.span == span_of(SOURCE_A, PATH_A, "owner != address(0)")


@needs_node
def test_function_annotations_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_A]
    (transfer,) = find(ast, "FunctionDefinition", "transfer")
    anns = annotations_of(transfer, source)
    assert [a.kind for a in anns] == ["precondition", "postcondition", "modifies", "modifies"]
    pre, post, mod1, mod2 = anns
    assert show(pre.expr) == "(>= balances[msg.sender] amount)"
    assert pre.expr is not None and pre.expr.span == \
        span_of(SOURCE_A, PATH_A, "balances[msg.sender] >= amount")
    # a postcondition continued on the next /// line
    assert show(post.expr) == \
        "(|| (== balances[to] (+ __verifier_old_uint(balances[to]) amount)) (== to msg.sender))"
    e = post.expr
    assert isinstance(e, S.Binary)
    line, column = where(SOURCE_A, "balances[to] == __verifier_old_uint")
    end_line, end_column = where(SOURCE_A, "to == msg.sender")
    assert e.span == Span(PATH_A, line, column, end_line, end_column + len("to == msg.sender"))
    assert e.right.span == span_of(SOURCE_A, PATH_A, "to == msg.sender")
    sender = e.right.right
    assert isinstance(sender, S.Member) and sender.expr.span == span_of(SOURCE_A, PATH_A, "msg", 1)
    assert post.text == "balances[to] == __verifier_old_uint(balances[to]) + amount\n     || to == msg.sender"
    assert show(mod1.target) == "balances[msg.sender]" and mod1.cond is None
    assert show(mod2.target) == "balances[to]" and show(mod2.cond) == "(!= to msg.sender)"
    assert mod2.cond is not None and mod2.cond.span == span_of(SOURCE_A, PATH_A, "to != msg.sender")


@needs_node
def test_block_doc_comment_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_A]
    (fill,) = find(ast, "FunctionDefinition", "fill")
    pre, post, mod = annotations_of(fill, source)
    assert (pre.kind, post.kind, mod.kind) == ("precondition", "postcondition", "modifies")
    assert pre.expr is not None and pre.expr.span == span_of(SOURCE_A, PATH_A, "n > 0")
    q = post.expr
    assert isinstance(q, S.Quant) and q.kind == "forall"
    assert q.span == span_of(SOURCE_A, PATH_A, "forall (uint i) i < xs.length ==> xs[i] >= n")
    assert show(q) == "(forall (uint i) (==> (< i xs.length) (>= xs[i] n)))"
    length = q.body.left.right  # type: ignore[union-attr]
    assert isinstance(length, S.Member) and length.span == span_of(SOURCE_A, PATH_A, "xs.length", 0)
    assert show(mod.target) == "xs" and mod.cond is None


@needs_node
def test_loop_annotations_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_A]
    (fill,) = find(ast, "FunctionDefinition", "fill")
    (for_loop,) = find(fill, "ForStatement")
    whiles = find(fill, "WhileStatement")
    (do_loop,) = find(fill, "DoWhileStatement")
    i1, i2 = loop_annotations(for_loop, source)
    assert (i1.kind, i2.kind) == ("invariant", "invariant")
    assert show(i1.expr) == "(<= i xs.length)"
    assert i1.expr is not None and i1.expr.span == span_of(SOURCE_A, PATH_A, "i <= xs.length")
    assert show(i2.expr) == "(forall (uint j) (==> (< j i) (== xs[j] n)))"
    assert i2.span == span_of(SOURCE_A, PATH_A, "invariant forall (uint j) j < i ==> xs[j] == n")
    # separated from its loop by a blank line and a plain comment, as solc allows
    (k,) = loop_annotations(whiles[0], source)
    assert show(k.expr) == "(<= k 10)" and k.span == span_of(SOURCE_A, PATH_A, "k <= 10")
    assert loop_annotations(do_loop, source) == []
    (kb,) = loop_annotations(whiles[1], source)
    assert kb.expr is not None and kb.expr.span == span_of(SOURCE_A, PATH_A, "kblock >= 0")
    # solc attaches the comment text to the statement; annotations_of agrees
    assert annotations_of(for_loop, source) == [i1, i2]
    assert annotations_of(do_loop, source) == []


@needs_node
def test_bad_annotation_error_location_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_B]
    (bad,) = find(ast, "FunctionDefinition", "bad")
    with pytest.raises(InputError) as info:
        annotations_of(bad, source)
    e = info.value
    assert e.code == "annotation.syntax"
    assert e.message == "bad annotation: unexpected end of annotation; expected an expression"
    line, column = where(SOURCE_B, "n +")
    assert (e.span.line, e.span.column) == (line, column + 3)  # type: ignore[union-attr]


@needs_node
def test_unknown_custom_tag_from_solc(compiled: Any) -> None:
    ast, source = compiled[PATH_B]
    (unknown,) = find(ast, "FunctionDefinition", "unknown")
    with pytest.raises(InputError) as info:
        annotations_of(unknown, source)
    assert info.value.code == "annotation.unknown"
    assert info.value.message.startswith("unknown vecverify annotation @custom:vv-frobnicate")
    assert info.value.span == span_of(SOURCE_B, PATH_B, "@custom:vv-frobnicate")


@needs_node
def test_loop_doc_comment_solc_saw_but_we_cannot_place_is_an_error(compiled: Any) -> None:
    """`n = 1; /// @notice invariant ...` then a loop: solc attaches the comment to the loop;
    we do not read comments after code, so rather than drop the invariant we say so."""
    ast, source = compiled[PATH_B]
    (loop,) = find(ast, "WhileStatement")
    assert "invariant n > 0" in loop.get("documentation", "")
    with pytest.raises(InputError) as info:
        loop_annotations(loop, source)
    assert info.value.code == "annotation.location"
    line, column = where(SOURCE_B, "while (n > 5)")
    assert (info.value.span.line, info.value.span.column) == (line, column)  # type: ignore[union-attr]


def test_grammar_is_package_data() -> None:
    grammar = resources.files("vecverify.frontends.solidity") / "spec.lark"
    assert grammar.is_file() and "modifies_spec" in grammar.read_text(encoding="utf-8")


def test_a_line_comment_ends_the_annotation_text() -> None:
    text = ("contract C {\n"
            "    /// @notice postcondition x > 0  // expect: violated(postcondition)\n"
            "    /// @notice precondition y < 3 // plain remark\n"
            "    function f() public {}\n}\n")
    anns, source = annotations(text)
    assert [(a.kind, a.text) for a in anns] == [("postcondition", "x > 0"),
                                                 ("precondition", "y < 3")]
    assert text_at(source, anns[0].expr.span) == "x > 0"
