"""The language-neutral IR: guarded commands over terms, each with a source span.

Frontends lower into these frozen nodes; `ir` knows nothing about any frontend.  Loops stay
structured (`Loop`) and are cut by their invariants during VC generation; calls are replaced by
their contracts in the frontend (assert pre / havoc / assume post).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from vecverify.errors import Span
from vecverify.obligations import Obligation
from vecverify.terms import Term


@dataclass(frozen=True)
class Check:
    """What an `Assert` proves, where it is reported and what values explain a failure."""

    obligation: type[Obligation]
    span: Span
    function: str
    message: str
    # (source text, term) pairs whose values are shown with a counterexample
    details: tuple[tuple[str, Term], ...] = ()

    @property
    def kind(self) -> str:
        return self.obligation.kind


class Stmt:
    """Base of IR statements."""


@dataclass(frozen=True)
class Assume(Stmt):
    cond: Term


@dataclass(frozen=True)
class Assert(Stmt):
    """Prove `cond` here (one VC); afterwards it is assumed unless `keep` is False.

    Sibling clauses that end a path (postconditions, invariant checks) use keep=False so each
    clause is judged on its own, not under the assumption that the others hold.
    """

    cond: Term
    check: Check
    keep: bool = True


@dataclass(frozen=True)
class Assign(Stmt):
    var: Term
    value: Term


@dataclass(frozen=True)
class ParAssign(Stmt):
    """Simultaneous assignment: every value is evaluated before any variable changes (the
    leaves of one structured value, which may refer to each other)."""

    pairs: tuple[tuple[Term, Term], ...]


@dataclass(frozen=True)
class Havoc(Stmt):
    """Give the variables arbitrary values satisfying their well-formedness (type range)."""

    vars: tuple[Term, ...]


@dataclass(frozen=True)
class Block(Stmt):
    stmts: tuple[Stmt, ...]


@dataclass(frozen=True)
class Choice(Stmt):
    """Nondeterministic choice; `if` is Choice(Block(assume c, ..), Block(assume !c, ..))."""

    branches: tuple[Stmt, ...]


@dataclass(frozen=True)
class ReturnScope(Stmt):
    """A region that `Return` leaves (the body of a function, before its postconditions)."""

    body: Stmt


@dataclass(frozen=True)
class Return(Stmt):
    pass


@dataclass(frozen=True)
class Break(Stmt):
    pass


@dataclass(frozen=True)
class Continue(Stmt):
    pass


@dataclass(frozen=True)
class Invariant:
    cond: Term
    entry: Check
    preserved: Check


@dataclass(frozen=True)
class Loop(Stmt):
    """`while (cond) invariant* body`; `head` evaluates the condition (its own checks).

    `step` runs after the body and after every `continue`, before the invariants are checked
    again (the `i++` of a `for` loop; a `break` there leaves the loop, which is how a
    `do { B } while (C)` is expressed: `while (true) { B } step { if (!C) break; }`).
    """

    invariants: tuple[Invariant, ...]
    head: Stmt
    cond: Term
    body: Stmt
    span: Span
    step: Stmt = Block(())


@dataclass(frozen=True)
class VarInfo:
    """A program variable: its term, source name, role and well-formedness (type range)."""

    term: Term
    source_name: str
    role: str                      # param | mut_param | result | local | old | ghost
    type_name: str
    wf: Term | None = None         # predicate over `term`, e.g. 0 <= x < 2^256
    decl_line: int = 0


@dataclass(frozen=True)
class Procedure:
    """A function to verify: its variables and one guarded-command body holding every check."""

    name: str
    span: Span
    variables: tuple[VarInfo, ...]
    body: Stmt
    notes: tuple[str, ...] = field(default=())
    # (ghost, collection): in a reachable state the ghost equals the sum of the collection's
    # elements; a counterexample whose entry state breaks this is not shown
    sum_ghosts: tuple[tuple[Term, Term], ...] = field(default=())
    # what the frontend's replayer needs to run a counterexample concretely (opaque here)
    origin: object = field(default=None, compare=False)

    def info(self) -> dict[Term, VarInfo]:
        return {v.term: v for v in self.variables}


@dataclass(frozen=True)
class UnsupportedFunction:
    """A function the frontend could not translate; reported as `unsupported`, never skipped."""

    name: str
    span: Span
    construct: str
