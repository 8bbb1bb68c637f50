"""A concrete interpreter for loop-free `.vec` functions, used as a test oracle only.

It runs a checked AST on concrete inputs with the language's semantics and raises
`CheckFailed(line, kind)` at the first check that fails.
"""
from __future__ import annotations

from typing import Any

from vecverify.frontends.vec import ast as A


class CheckFailed(Exception):
    def __init__(self, span: object, kind: str) -> None:
        line, column = span.line, span.column  # type: ignore[attr-defined]
        super().__init__(f"{kind} at {line}:{column}")
        self.where = (line, column, kind)


class Unspecified(Exception):
    """A specification read an element out of bounds: its value is not defined."""


class Interpreter:
    def __init__(self, env: dict[str, Any]) -> None:
        self.env = dict(env)
        self.in_spec = False

    def run(self, fn: A.FnDecl) -> None:
        assert fn.body is not None
        self.block(fn.body)

    def block(self, b: A.Block) -> None:
        for s in b.stmts:
            self.stmt(s)

    def stmt(self, s: A.Stmt) -> None:
        if isinstance(s, A.VarDeclStmt):
            self.env[s.binding.name] = self.expr(s.init) if s.init is not None else 0
        elif isinstance(s, A.Assign):
            self.store(s.target, self.expr(s.value))
        elif isinstance(s, A.Push):
            self.store(s.target, self.expr(s.target) + [self.expr(s.value)])
        elif isinstance(s, A.Pop):
            v = self.expr(s.vec)
            if not v:
                raise CheckFailed(s.span, "pop-empty")
            self.store(s.vec, v[:-1])
            if s.target is not None:
                self.store(s.target, v[-1])
        elif isinstance(s, A.AssertStmt):
            self.in_spec = True
            try:
                holds = self.expr(s.cond)
            finally:
                self.in_spec = False
            if not holds:
                raise CheckFailed(s.span, "assert")
        elif isinstance(s, A.If):
            if self.expr(s.cond):
                self.block(s.then)
            elif s.els is not None:
                self.block(s.els)
        elif isinstance(s, A.Block):
            self.block(s)
        else:
            raise NotImplementedError(type(s).__name__)

    def store(self, place: A.Expr, value: Any) -> None:
        if isinstance(place, A.Name):
            self.env[place.name] = value
            return
        assert isinstance(place, A.Index)
        seq = list(self.expr(place.seq))
        i = self.index(seq, place)
        seq[i] = value
        self.store(place.seq, seq)

    def index(self, seq: list[Any], e: A.Index) -> int:
        i = self.expr(e.index)
        if not 0 <= i < len(seq):
            if self.in_spec:
                raise Unspecified()
            raise CheckFailed(e.span, "index-out-of-bounds")
        return int(i)

    def expr(self, e: A.Expr) -> Any:
        if isinstance(e, A.IntLit):
            return e.value
        if isinstance(e, A.BoolLit):
            return e.value
        if isinstance(e, A.Name):
            return self.env[e.name]
        if isinstance(e, A.Len):
            return len(self.expr(e.arg))
        if isinstance(e, A.Index):
            seq = self.expr(e.seq)
            return seq[self.index(seq, e)]
        if isinstance(e, A.VecLit):
            return [self.expr(x) for x in e.elems]
        if isinstance(e, A.Unary):
            v = self.expr(e.operand)
            return (not v) if e.op == "!" else -v
        if isinstance(e, A.Binary):
            op = e.op
            if op == "&&":
                return self.expr(e.left) and self.expr(e.right)
            if op == "||":
                return self.expr(e.left) or self.expr(e.right)
            if op == "==>":
                return (not self.expr(e.left)) or self.expr(e.right)
            a, b = self.expr(e.left), self.expr(e.right)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                    "==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b,
                    "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
                    "++": lambda: a + b, "<==>": lambda: a == b}[op]()
        raise NotImplementedError(type(e).__name__)
