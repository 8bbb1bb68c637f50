"""What a statement may change: the variables a loop havocs, and the side effects an
expression's evaluation has (frontends snapshot values that a later operand would change)."""
from __future__ import annotations

from typing import Iterator

from vecverify.terms import Term

from .nodes import Assign, Block, Choice, Havoc, Loop, ParAssign, ReturnScope, Stmt


def substatements(stmt: Stmt) -> Iterator[Stmt]:
    """The statement and every statement nested in it (loops' head, body and step too)."""
    todo: list[Stmt] = [stmt]
    while todo:
        s = todo.pop()
        yield s
        if isinstance(s, Block):
            todo.extend(s.stmts)
        elif isinstance(s, Choice):
            todo.extend(s.branches)
        elif isinstance(s, ReturnScope):
            todo.append(s.body)
        elif isinstance(s, Loop):
            todo.extend((s.head, s.body, s.step))


def modified_vars(stmt: Stmt) -> set[Term]:
    """Variables a statement may change (assignment or havoc targets), nested loops included."""
    out: set[Term] = set()
    for s in substatements(stmt):
        if isinstance(s, Assign):
            out.add(s.var)
        elif isinstance(s, ParAssign):
            out.update(v for v, _ in s.pairs)
        elif isinstance(s, Havoc):
            out.update(s.vars)
    return out
