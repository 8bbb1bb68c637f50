"""Every traversal of terms is a walker: explicit stack (no recursion limit), memoised per node.

`DagWalker.walk(term)` visits children first and calls `walk_<op>(term, child_results)`;
an operator without a handler raises `UnsupportedOperatorError` instead of being skipped.
"""
from __future__ import annotations

from typing import Callable, Generic, Iterator, Mapping, TypeVar

from vecverify.errors import InternalError

from .manager import Term, TermManager
from .ops import EXPLICIT_SORT, Op

R = TypeVar("R")


class UnsupportedOperatorError(InternalError):
    """A walker met an operator it has no handler for."""


def postorder(root: Term) -> Iterator[Term]:
    """Each distinct subterm of `root` once, children before parents."""
    seen: set[int] = set()
    stack: list[tuple[Term, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node.id in seen:
            continue
        if expanded or not node.args:
            seen.add(node.id)
            yield node
            continue
        stack.append((node, True))
        for child in reversed(node.args):
            if child.id not in seen:
                stack.append((child, False))


class DagWalker(Generic[R]):
    """Bottom-up walker; subclasses define `walk_<op name lowercase>(term, args)`."""

    def __init__(self) -> None:
        self.memo: dict[Term, R] = {}

    def walk(self, root: Term) -> R:
        memo = self.memo
        for node in postorder(root):
            if node in memo:
                continue
            handler: Callable[[Term, list[R]], R] | None = getattr(
                self, f"walk_{node.op.name.lower()}", None)
            if handler is None:
                handler = self.walk_default
            memo[node] = handler(node, [memo[a] for a in node.args])
        return memo[root]

    def walk_default(self, term: Term, args: list[R]) -> R:
        raise UnsupportedOperatorError(f"{type(self).__name__} cannot handle {term.op.name}")


class Substituter(DagWalker[Term]):
    """Replaces terms by terms (usually variables by their SSA versions) and rebuilds."""

    def __init__(self, tm: TermManager, mapping: Mapping[Term, Term]) -> None:
        super().__init__()
        self.tm = tm
        self.memo.update(mapping)

    def walk_default(self, term: Term, args: list[Term]) -> Term:
        if all(a is b for a, b in zip(args, term.args)):
            return term
        # operators like APPLY and CONST_ARRAY carry their sort; the others re-derive (and so
        # re-check) it from the new arguments
        return self.tm.mk(term.op, args, term.payload,
                          term.sort if term.op in EXPLICIT_SORT else None)


def substitute(tm: TermManager, term: Term, mapping: Mapping[Term, Term]) -> Term:
    if not mapping:
        return term
    return Substituter(tm, mapping).walk(term)


def free_vars(term: Term) -> set[Term]:
    """The free symbols (Op.VAR leaves) of a term."""
    return {t for t in postorder(term) if t.op is Op.VAR}


def conjuncts(t: Term) -> list[Term]:
    """The conjuncts of nested `and`s (the term itself if it is not one)."""
    if t.op is Op.AND:
        return [c for a in t.args for c in conjuncts(a)]
    return [t]


def has_quantifier(term: Term) -> bool:
    return any(t.op in (Op.FORALL, Op.EXISTS) for t in postorder(term))
