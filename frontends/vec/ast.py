"""The `.vec` abstract syntax tree, produced by the parser and annotated in place by the checker.

Every node carries the `span` of its full source range.  Expressions carry `ty`, which is
None until `check_program` fills it in.  Nodes use identity equality (`eq=False`): the
lowering tells variables apart by the identity of their `Binding`, and may key dicts by node.
`span` and `ty` are keyword-only so that node-specific fields can be given positionally.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from vecverify.errors import Span

from .types import Type

BINDING_KINDS = ("param", "mut_param", "result", "local", "bound")


@dataclass(eq=False)
class Binding:
    """One declared variable: a parameter, result, local or quantifier-bound variable.

    `span` is the span of the declared name; `ty_span` that of its type annotation.
    """

    name: str
    ty: Type
    kind: str
    span: Span | None = None
    ty_span: Span | None = None

    @property
    def assignable(self) -> bool:
        """Whether statements may write this variable (mut params, results and locals)."""
        return self.kind in ("mut_param", "result", "local")


# ---- expressions -----------------------------------------------------------------


@dataclass(eq=False)
class Expr:
    """Base of all expressions."""

    span: Span = field(kw_only=True)
    ty: Type | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class IntLit(Expr):
    value: int


@dataclass(eq=False)
class BoolLit(Expr):
    value: bool


@dataclass(eq=False)
class Name(Expr):
    name: str
    decl: Binding | None = None


@dataclass(eq=False)
class Unary(Expr):
    op: str  # '-' or '!'
    operand: Expr


@dataclass(eq=False)
class Binary(Expr):
    op: str  # + - * / % == != < <= > >= && || ==> <==> ++
    left: Expr
    right: Expr


@dataclass(eq=False)
class Len(Expr):
    arg: Expr


@dataclass(eq=False)
class Index(Expr):
    seq: Expr
    index: Expr


@dataclass(eq=False)
class Slice(Expr):
    """`seq[lo..hi]`: elements lo (inclusive) to hi (exclusive)."""

    seq: Expr
    lo: Expr
    hi: Expr


@dataclass(eq=False)
class VecLit(Expr):
    elems: list[Expr]


@dataclass(eq=False)
class Old(Expr):
    arg: Expr


@dataclass(eq=False)
class Quant(Expr):
    kind: str  # 'forall' or 'exists'
    binders: list[Binding]
    body: Expr


ARITH_OPS = frozenset({"+", "-", "*", "/", "%"})
ORDER_OPS = frozenset({"<", "<=", ">", ">="})
EQUALITY_OPS = frozenset({"==", "!="})
BOOL_OPS = frozenset({"&&", "||", "==>", "<==>"})


def is_place(e: Expr) -> bool:
    """Whether `e` is syntactically a place: a variable or an index chain rooted at one."""
    while isinstance(e, Index):
        e = e.seq
    return isinstance(e, Name)


def place_root(e: Expr) -> Name:
    """The variable at the root of a place expression (`xs` in `xs[i][j]`)."""
    while isinstance(e, Index):
        e = e.seq
    assert isinstance(e, Name)
    return e


# ---- statements ------------------------------------------------------------------


@dataclass(eq=False)
class Stmt:
    """Base of all statements."""

    span: Span = field(kw_only=True)


@dataclass(eq=False)
class Block(Stmt):
    stmts: list[Stmt]


@dataclass(eq=False)
class VarDeclStmt(Stmt):
    """`var x: T := init;`.  `var x: T := f(..);` / `:= pop(v);` are desugared into a
    VarDeclStmt with `init=None` and `init_by_next=True`, followed by the CallStmt / Pop
    whose target is `x`."""

    binding: Binding
    init: Expr | None
    init_by_next: bool = field(default=False, kw_only=True)


@dataclass(eq=False)
class Assign(Stmt):
    target: Expr  # a place: Name or Index chain
    value: Expr


@dataclass(eq=False)
class Push(Stmt):
    target: Expr  # a place of vec type
    value: Expr


@dataclass(eq=False)
class Pop(Stmt):
    target: Expr | None  # a place receiving the popped element, or None for `pop(xs);`
    vec: Expr  # a place of vec type


@dataclass(eq=False)
class AssertStmt(Stmt):
    cond: Expr


@dataclass(eq=False)
class AssumeStmt(Stmt):
    cond: Expr


@dataclass(eq=False)
class If(Stmt):
    cond: Expr
    then: Block
    els: Block | None  # `else if` becomes a Block holding a single If


@dataclass(eq=False)
class While(Stmt):
    cond: Expr
    invariants: list[Expr]
    body: Block


@dataclass(eq=False)
class Return(Stmt):
    pass


@dataclass(eq=False)
class CallStmt(Stmt):
    targets: list[Expr]  # places; empty for a bare call
    callee: str
    args: list[Expr]
    fn: FnDecl | None = None  # resolved by the checker
    callee_span: Span | None = field(default=None, kw_only=True)


# ---- declarations ----------------------------------------------------------------


@dataclass(eq=False)
class Param:
    binding: Binding
    mut: bool
    span: Span


@dataclass(eq=False)
class FnDecl:
    """A function; `body` is None for an abstract function known only by its contract."""

    name: str
    params: list[Param]
    results: list[Binding]
    requires: list[Expr]
    ensures: list[Expr]
    body: Block | None
    span: Span
    name_span: Span


@dataclass(eq=False)
class TypeDecl:
    name: str
    span: Span
    name_span: Span | None = None


@dataclass(eq=False)
class TypeRef:
    """A use of a named (non-built-in) type in an annotation, kept so the checker can
    report an undeclared type at the exact token."""

    name: str
    span: Span


@dataclass(eq=False)
class Program:
    file: str
    types: list[TypeDecl]
    fns: list[FnDecl]
    type_refs: list[TypeRef] = field(default_factory=list)

    def fn(self, name: str) -> FnDecl | None:
        """The function called `name`, if declared."""
        for f in self.fns:
            if f.name == name:
                return f
        return None
