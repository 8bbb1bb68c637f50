"""Untyped AST of specification annotations (solc-verify style) in Solidity doc comments.

Every node carries the `Span` of its exact text in the `.sol` file (parentheses around a
node are not part of its span; they are part of the span of the enclosing node).
Sequences are tuples so that nodes stay hashable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from vecverify.errors import Span


@dataclass(frozen=True)
class Ident:
    """A name: a variable, `this`, `msg`, a function or a type name used as callee."""

    name: str
    span: Span


@dataclass(frozen=True)
class Number:
    """An integer literal; subdenominations (`1 ether`, `2 days`) are already applied."""

    value: int
    span: Span


@dataclass(frozen=True)
class Bool:
    value: bool
    span: Span


@dataclass(frozen=True)
class Member:
    """`expr.name`, e.g. `a.length`, `msg.sender`, `s.field`."""

    expr: "Expr"
    name: str
    span: Span


@dataclass(frozen=True)
class Index:
    """`expr[index]`."""

    expr: "Expr"
    index: "Expr"
    span: Span


@dataclass(frozen=True)
class Call:
    """`callee(args...)`: `__verifier_old_uint(x)`, `f(x, y)`, conversions like `address(0)`."""

    callee: "Expr"
    args: tuple["Expr", ...]
    span: Span


@dataclass(frozen=True)
class Unary:
    """`op expr` with op one of `!`, `-`, `~`."""

    op: str
    expr: "Expr"
    span: Span


@dataclass(frozen=True)
class Binary:
    """`left op right`; op as written in the source (`+`, `&&`, `==>`, ...)."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True)
class Cond:
    """`cond ? then : els`."""

    cond: "Expr"
    then: "Expr"
    els: "Expr"
    span: Span


@dataclass(frozen=True)
class Quant:
    """`forall (T1 x1, T2 x2) body` / `exists (...) body`.

    `binders` holds `(type name, variable name, span of "T x")` per bound variable; the type
    is an elementary type name as written (`uint`, `uint8`, `int256`, `address`, `bool`).
    """

    kind: Literal["forall", "exists"]
    binders: tuple[tuple[str, str, Span], ...]
    body: "Expr"
    span: Span


Expr = Union[Ident, Number, Bool, Member, Index, Call, Unary, Binary, Cond, Quant]

AnnotationKind = Literal["precondition", "postcondition", "invariant", "modifies"]


@dataclass(frozen=True)
class Annotation:
    """One specification annotation found in a doc comment.

    - precondition / postcondition / invariant: `expr` is set, `target` and `cond` are None.
    - modifies: `target` is set (`x`, `a[i]`, `s.f`, ...), `cond` is the optional `if` condition,
      `expr` is None.

    `span` covers the annotation text after the NatSpec tag: `postcondition x > 0` for
    `@notice postcondition x > 0`, and `x > 0` for `@custom:vv-ensures x > 0`.
    `text` is the expression text (for modifies: `TARGET if COND`), with the comment markers
    of continuation lines removed.
    """

    kind: AnnotationKind
    expr: Expr | None
    target: Expr | None
    cond: Expr | None
    span: Span
    text: str
