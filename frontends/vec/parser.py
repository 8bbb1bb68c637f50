"""Parse `.vec` source text into the (unchecked) AST of `ast.py`.

Lark (LALR(1), contextual lexer) produces a parse tree; `_Builder` turns it into AST nodes
with spans.  Every lark error is translated into `InputError(code='syntax')` with a
one-line message, so callers never see a lark exception.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

_T = TypeVar("_T")

from lark import Lark, Token, Tree
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from vecverify import limits
from vecverify.errors import InputError, Span
from vecverify.limits import deep_call  # noqa: F401  (re-exported for interpret.py)

from . import ast as A
from .types import Type, UninterpT, VecT, builtin_type_named

_GRAMMAR_PATH = Path(__file__).parent / "grammar.lark"


@lru_cache(maxsize=1)
def _lark() -> Lark:
    """The (cached) LALR parser; building the tables costs a few tens of milliseconds."""
    return Lark(
        _GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def parse(text: str, filename: str) -> A.Program:
    """Parse `text` (the contents of `filename`) into an unchecked `Program`."""
    parser = _lark()
    try:
        tree = parser.parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(e, text, filename, parser) from None
    except LarkError as e:  # pragma: no cover - defensive: any other lark failure
        raise InputError(Span.point(filename, 1, 1), f"syntax error: {e}", "syntax") from None
    return run_deep(lambda: _Builder(filename).program(tree), filename)


def run_deep(work: Callable[[], _T], filename: str) -> _T:
    """`limits.run_deep` for the tree walks of reading a `.vec` file."""
    return limits.run_deep(work, Span.point(filename, 1, 1), "program")


# ---- syntax errors -------------------------------------------------------------------

_FRIENDLY = {"NAME": "a name", "INT": "an integer", "$END": "end of file"}
# Tokens (by lexeme) that can begin an expression.
_EXPR_START = {"(", "[", "!", "-", "len", "old", "true", "false", "forall", "exists"}
# Tokens (by lexeme) that can continue an expression after an operand.
_OPERATORS = {
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=",
    "&&", "||", "==>", "<==>", "++",
}


_COMPARISONS = {"EQ", "NE", "LT", "LE", "GT", "GE"}


def _lexeme(parser: Lark, term: str) -> str | None:
    """The fixed text of terminal `term`, or None for pattern terminals like NAME."""
    try:
        pattern = parser.get_terminal(term).pattern
    except KeyError:
        return None
    return pattern.value if pattern.type == "str" else None


def _describe_expected(parser: Lark, expected: set[str]) -> str:
    """Summarise a set of acceptable terminals as human text ("';' or an operator")."""
    expected = {t for t in expected if t not in parser.ignore_tokens}
    lexemes = {t: _lexeme(parser, t) for t in expected}
    parts: list[str] = []
    remaining = set(expected)
    if "NAME" in expected and "INT" in expected:
        parts.append("an expression")
        remaining = {t for t in remaining if t not in ("NAME", "INT") and lexemes[t] not in _EXPR_START}
    operators = {t for t in remaining if lexemes[t] in _OPERATORS}
    others = remaining - operators
    words: list[str] = []
    for t in sorted(others, key=lambda t: (lexemes[t] is None, lexemes[t] or t)):
        lx = lexemes[t]
        words.append(f"'{lx}'" if lx is not None else _FRIENDLY.get(t, t.lower()))
    if operators:
        if words or parts:
            words.append("an operator")
        else:
            words.extend(f"'{lexemes[t]}'" for t in sorted(operators, key=lambda t: lexemes[t] or t))
    items = parts + words
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _end_position(text: str) -> tuple[int, int]:
    """1-based (line, column) just after the last non-blank character of `text`."""
    stripped = text.rstrip()
    line = stripped.count("\n") + 1
    column = len(stripped) - (stripped.rfind("\n") + 1) + 1
    return line, column


def _exact_expected(e: UnexpectedInput) -> set[str]:
    """The terminals really acceptable at the error point.

    LALR merges lookahead sets, so `e.expected` may list tokens that would fail a few
    reductions later; the interactive parser checks each candidate for real.
    """
    expected = set(getattr(e, "expected", None) or ())
    interactive = getattr(e, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except LarkError:  # pragma: no cover - fall back to the approximate set
            pass
    return expected


def _after_stack_top(e: UnexpectedInput, rule: str, terminal: str = "") -> bool:
    """Whether the parser had just completed a `rule` node (e.g. a comparison), or shifted a
    `terminal` token, when it hit the error."""
    interactive = getattr(e, "interactive_parser", None)
    stack = getattr(getattr(interactive, "parser_state", None), "value_stack", None)
    if not stack:
        return False
    top = stack[-1]
    if isinstance(top, Token):
        return top.type == terminal
    return isinstance(top, Tree) and top.data == rule


def _syntax_error(e: UnexpectedInput, text: str, filename: str, parser: Lark) -> InputError:
    """Translate a lark parse failure into a one-line `InputError`."""
    if isinstance(e, UnexpectedToken) and e.token.type != "$END":
        tok = e.token
        span = Span(filename, tok.line, tok.column, tok.end_line or tok.line,
                    tok.end_column or tok.column + 1)
        if tok.value == "/" and text.startswith("/*", tok.start_pos or 0):
            return InputError(span, "unterminated comment '/*'", "syntax")
        expected = _describe_expected(parser, _exact_expected(e))
        message = f"unexpected token '{tok.value}'"
        if expected:
            message += f"; expected {expected}"
        if tok.type in _COMPARISONS and _after_stack_top(e, "cmp"):
            message += " (comparisons do not chain; combine them with &&)"
        elif tok.value == "(" and _after_stack_top(e, "name", "NAME"):
            message += " (calls and pop() are statements: write `x := f(...);`)"
        return InputError(span, message, "syntax")
    if isinstance(e, (UnexpectedToken, UnexpectedEOF)):
        line, column = _end_position(text)
        expected = _describe_expected(parser, _exact_expected(e))
        message = "unexpected end of file"
        if expected:
            message += f"; expected {expected}"
        return InputError(Span.point(filename, line, column), message, "syntax")
    if isinstance(e, UnexpectedCharacters):
        pos = e.pos_in_stream
        ch = text[pos] if pos is not None and 0 <= pos < len(text) else "?"
        if text.startswith("/*", pos):
            return InputError(Span.point(filename, e.line, e.column), "unterminated comment '/*'", "syntax")
        return InputError(Span.point(filename, e.line, e.column), f"unexpected character {ch!r}", "syntax")
    line = getattr(e, "line", 1) or 1
    column = getattr(e, "column", 1) or 1
    return InputError(Span.point(filename, line, column), "syntax error", "syntax")  # pragma: no cover


# ---- parse tree -> AST ---------------------------------------------------------------


class _Builder:
    """Converts lark trees into AST nodes, creating one `Binding` per declaration."""

    def __init__(self, filename: str) -> None:
        self.file = filename
        self.type_refs: list[A.TypeRef] = []

    # -- spans
    def tspan(self, tok: Token) -> Span:
        return Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def span(self, node: Tree | Token) -> Span:
        if isinstance(node, Token):
            return self.tspan(node)
        m = node.meta
        return Span(self.file, m.line, m.column, m.end_line, m.end_column)

    def outer_span(self, node: Tree | Token) -> Span:
        """Like `span`, but including parentheses that lark inlined around the node."""
        if isinstance(node, Token):
            return self.tspan(node)
        m = node.meta
        return Span(self.file, getattr(m, "container_line", m.line),
                    getattr(m, "container_column", m.column),
                    getattr(m, "container_end_line", m.end_line),
                    getattr(m, "container_end_column", m.end_column))

    def join(self, a: Span, b: Span) -> Span:
        return Span(self.file, a.line, a.column, b.end_line, b.end_column)

    # -- declarations
    def program(self, tree: Tree) -> A.Program:
        types: list[A.TypeDecl] = []
        fns: list[A.FnDecl] = []
        for child in tree.children:
            if child.data == "type_decl":
                name = child.children[0]
                types.append(A.TypeDecl(str(name), self.span(child), self.tspan(name)))
            else:
                fns.append(self.fn_decl(child))
        return A.Program(self.file, types, fns, self.type_refs)

    def fn_decl(self, tree: Tree) -> A.FnDecl:
        name = tree.children[0]
        params: list[A.Param] = []
        results: list[A.Binding] = []
        requires: list[A.Expr] = []
        ensures: list[A.Expr] = []
        body: A.Block | None = None
        for child in tree.children[1:]:
            kind = child.data
            if kind == "param":
                params.append(self.param(child))
            elif kind == "results":
                for r in child.children:
                    rname, rty = r.children
                    results.append(A.Binding(str(rname), self.type(rty), "result",
                                             self.tspan(rname), self.span(rty)))
            elif kind == "requires":
                requires.append(self.expr(child.children[0]))
            elif kind == "ensures":
                ensures.append(self.expr(child.children[0]))
            elif kind == "fn_body":
                inner = child.children[0]
                body = self.block(inner) if isinstance(inner, Tree) else None
        return A.FnDecl(str(name), params, results, requires, ensures, body,
                        self.span(tree), self.tspan(name))

    def param(self, tree: Tree) -> A.Param:
        children = list(tree.children)
        mut = isinstance(children[0], Token) and children[0].type == "MUT"
        if mut:
            children = children[1:]
        name, ty = children
        binding = A.Binding(str(name), self.type(ty), "mut_param" if mut else "param",
                            self.tspan(name), self.span(ty))
        return A.Param(binding, mut, self.span(tree))

    def type(self, tree: Tree) -> Type:
        if tree.data == "vec_type":
            inner = [c for c in tree.children if isinstance(c, Tree)][0]
            return VecT(self.type(inner))
        tok = tree.children[0]
        builtin = builtin_type_named(str(tok))
        if builtin is not None:
            return builtin
        self.type_refs.append(A.TypeRef(str(tok), self.tspan(tok)))
        return UninterpT(str(tok))

    # -- statements
    def block(self, tree: Tree) -> A.Block:
        stmts: list[A.Stmt] = []
        for c in tree.children:
            if c.data in ("var_call_stmt", "var_pop_stmt"):
                stmts.extend(self.var_init_by_stmt(c))
            else:
                stmts.append(self.stmt(c))
        return A.Block(stmts, span=self.span(tree))

    def stmt(self, tree: Tree) -> A.Stmt:
        return getattr(self, "s_" + tree.data)(tree)

    def var_init_by_stmt(self, tree: Tree) -> list[A.Stmt]:
        """Desugar `var x: T := f(..);` / `var x: T := pop(v);` into a declaration and
        the call / pop assigning x (both spanning the whole statement)."""
        name, ty = tree.children[0], tree.children[1]
        span = self.span(tree)
        binding = A.Binding(str(name), self.type(ty), "local", self.tspan(name), self.span(ty))
        decl = A.VarDeclStmt(binding, None, span=span, init_by_next=True)
        target = A.Name(str(name), span=self.tspan(name))
        rest: A.Stmt
        if tree.data == "var_pop_stmt":
            rest = A.Pop(target, self.expr(tree.children[2]), span=span)
        else:
            callee = tree.children[2]
            args = [self.expr(c) for c in tree.children[3:]]
            rest = A.CallStmt([target], str(callee), args, span=span, callee_span=self.tspan(callee))
        return [decl, rest]

    def s_var_stmt(self, tree: Tree) -> A.Stmt:
        name, ty = tree.children[0], tree.children[1]
        init = self.expr(tree.children[2]) if len(tree.children) > 2 else None
        binding = A.Binding(str(name), self.type(ty), "local", self.tspan(name), self.span(ty))
        return A.VarDeclStmt(binding, init, span=self.span(tree))

    def s_assign_stmt(self, tree: Tree) -> A.Stmt:
        target, value = tree.children
        return A.Assign(self.expr(target), self.expr(value), span=self.span(tree))

    def s_pop_assign_stmt(self, tree: Tree) -> A.Stmt:
        target, vec = tree.children
        return A.Pop(self.expr(target), self.expr(vec), span=self.span(tree))

    def s_call_stmt(self, tree: Tree) -> A.Stmt:
        children = tree.children
        callee_pos = next(i for i, c in enumerate(children) if isinstance(c, Token))
        callee = children[callee_pos]
        targets = [self.expr(c) for c in children[:callee_pos]]
        args = [self.expr(c) for c in children[callee_pos + 1:]]
        return A.CallStmt(targets, str(callee), args, span=self.span(tree),
                          callee_span=self.tspan(callee))

    def s_push_stmt(self, tree: Tree) -> A.Stmt:
        target, value = tree.children
        return A.Push(self.expr(target), self.expr(value), span=self.span(tree))

    def s_pop_stmt(self, tree: Tree) -> A.Stmt:
        return A.Pop(None, self.expr(tree.children[0]), span=self.span(tree))

    def s_assert_stmt(self, tree: Tree) -> A.Stmt:
        return A.AssertStmt(self.expr(tree.children[0]), span=self.span(tree))

    def s_assume_stmt(self, tree: Tree) -> A.Stmt:
        return A.AssumeStmt(self.expr(tree.children[0]), span=self.span(tree))

    def s_if_stmt(self, tree: Tree) -> A.Stmt:
        cond = self.expr(tree.children[0])
        then = self.block(tree.children[1])
        els: A.Block | None = None
        if len(tree.children) > 2:
            other = tree.children[2]
            if other.data == "block":
                els = self.block(other)
            else:
                nested = self.s_if_stmt(other)
                els = A.Block([nested], span=nested.span)
        return A.If(cond, then, els, span=self.span(tree))

    def s_while_stmt(self, tree: Tree) -> A.Stmt:
        cond = self.expr(tree.children[0])
        invariants = [self.expr(c.children[0]) for c in tree.children[1:-1]]
        body = self.block(tree.children[-1])
        return A.While(cond, invariants, body, span=self.span(tree))

    def s_return_stmt(self, tree: Tree) -> A.Stmt:
        return A.Return(span=self.span(tree))

    # -- expressions
    def expr(self, node: Tree | Token) -> A.Expr:
        if isinstance(node, Token):  # pragma: no cover - every atom is aliased to a rule
            raise AssertionError(f"unexpected token {node!r}")
        return getattr(self, "e_" + node.data)(node)

    def e_int_lit(self, tree: Tree) -> A.Expr:
        text = str(tree.children[0])
        value = int(text[2:], 16) if text[:2] in ("0x", "0X") else int(text, 10)
        return A.IntLit(value, span=self.span(tree))

    def e_bool_lit(self, tree: Tree) -> A.Expr:
        return A.BoolLit(tree.children[0].type == "TRUE", span=self.span(tree))

    def e_name(self, tree: Tree) -> A.Expr:
        return A.Name(str(tree.children[0]), span=self.span(tree))

    def e_len(self, tree: Tree) -> A.Expr:
        return A.Len(self.expr(tree.children[0]), span=self.span(tree))

    def e_old(self, tree: Tree) -> A.Expr:
        return A.Old(self.expr(tree.children[0]), span=self.span(tree))

    def e_vec_lit(self, tree: Tree) -> A.Expr:
        return A.VecLit([self.expr(c) for c in tree.children], span=self.span(tree))

    def e_index(self, tree: Tree) -> A.Expr:
        seq, index = tree.children
        return A.Index(self.expr(seq), self.expr(index), span=self.span(tree))

    def e_slice(self, tree: Tree) -> A.Expr:
        seq, lo, hi = tree.children
        return A.Slice(self.expr(seq), self.expr(lo), self.expr(hi), span=self.span(tree))

    def e_unary_op(self, tree: Tree) -> A.Expr:
        op, operand = tree.children
        return A.Unary(str(op), self.expr(operand), span=self.span(tree))

    def e_quant(self, tree: Tree) -> A.Expr:
        kind = str(tree.children[0])
        binders = []
        for b in tree.children[1:-1]:
            name, ty = b.children
            binders.append(A.Binding(str(name), self.type(ty), "bound", self.tspan(name), self.span(ty)))
        return A.Quant(kind, binders, self.expr(tree.children[-1]), span=self.span(tree))

    def _left_chain(self, tree: Tree) -> A.Expr:
        """Fold `a op b op c` (flat children) to the left: ((a op b) op c)."""
        children = tree.children
        acc = self.expr(children[0])
        start = self.outer_span(children[0])
        for i in range(1, len(children), 2):
            right = self.expr(children[i + 1])
            end = self.outer_span(children[i + 1])
            acc = A.Binary(str(children[i]), acc, right, span=self.join(start, end))
        return acc

    def e_implies(self, tree: Tree) -> A.Expr:
        """Fold `a ==> b ==> c` to the right: a ==> (b ==> c)."""
        nodes = tree.children[::2]
        acc = self.expr(nodes[-1])
        end = self.outer_span(nodes[-1])
        for node in reversed(nodes[:-1]):
            left = self.expr(node)
            acc = A.Binary("==>", left, acc, span=self.join(self.outer_span(node), end))
        return acc

    e_iff = _left_chain
    e_or_expr = _left_chain
    e_and_expr = _left_chain
    e_cmp = _left_chain
    e_concat = _left_chain
    e_sum = _left_chain
    e_product = _left_chain
