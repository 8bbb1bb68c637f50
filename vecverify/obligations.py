"""Check kinds: each proof obligation describes itself once, here.

`--list-checks`, the JSON `kind`, text messages and (later) SARIF rules all come from these
classes.  A subclass is registered when it is defined, and its metadata is checked then.
"""
from __future__ import annotations

from typing import ClassVar

REGISTRY: dict[str, type["Obligation"]] = {}


class Obligation:
    """A kind of proof obligation; subclasses set the class attributes below."""

    kind: ClassVar[str]        # kebab-case id, e.g. "index-out-of-bounds"
    short: ClassVar[str]       # one-line description
    failure: ClassVar[str]     # message when the check may fail
    success: ClassVar[str]     # message when proved
    help: ClassVar[str]        # what it means and how to fix it

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for attr in ("kind", "short", "failure", "success", "help"):
            if not isinstance(getattr(cls, attr, None), str) or not getattr(cls, attr):
                raise TypeError(f"obligation {cls.__name__} lacks {attr}")
        if cls.kind in REGISTRY:
            raise TypeError(f"duplicate obligation kind {cls.kind}")
        REGISTRY[cls.kind] = cls


class IndexOutOfBounds(Obligation):
    kind = "index-out-of-bounds"
    short = "vector index within bounds"
    failure = "index may be out of bounds"
    success = "index is within bounds"
    help = ("A read, write or slice of a vector needs 0 <= index < len (for slices "
            "0 <= lo <= hi <= len). Guard the access or strengthen the precondition.")


class PopEmpty(Obligation):
    kind = "pop-empty"
    short = "pop from a non-empty vector"
    failure = "pop may be applied to an empty vector"
    success = "the vector is non-empty when popped"
    help = "pop(xs) needs len(xs) > 0; check the length first or require it."


class Overflow(Obligation):
    kind = "overflow"
    short = "no machine-integer overflow"
    failure = "arithmetic may overflow"
    success = "arithmetic does not overflow"
    help = "The result must not exceed the maximum of its machine-integer type."


class Underflow(Obligation):
    kind = "underflow"
    short = "no machine-integer underflow"
    failure = "arithmetic may underflow"
    success = "arithmetic does not underflow"
    help = "The result must not be below the minimum of its machine-integer type."


class DivisionByZero(Obligation):
    kind = "division-by-zero"
    short = "divisor is non-zero"
    failure = "possible division by zero"
    success = "divisor is non-zero"
    help = "The right operand of / and % must be non-zero."


class AssertCheck(Obligation):
    kind = "assert"
    short = "assertion holds"
    failure = "assertion may not hold"
    success = "assertion holds"
    help = "The asserted condition must hold on every execution reaching it."


class Postcondition(Obligation):
    kind = "postcondition"
    short = "postcondition holds"
    failure = "postcondition may not hold"
    success = "postcondition holds"
    help = "Every `ensures` clause must hold whenever the function returns."


class Precondition(Obligation):
    kind = "precondition"
    short = "callee precondition holds at the call"
    failure = "precondition of the callee may not hold"
    success = "callee precondition holds"
    help = "The caller must establish each `requires` clause of the function it calls."


class LoopInvariantEntry(Obligation):
    kind = "loop-invariant-entry"
    short = "loop invariant holds on entry"
    failure = "loop invariant may not hold on entry"
    success = "loop invariant holds on entry"
    help = "Each invariant must hold before the first iteration of the loop."


class LoopInvariantPreserved(Obligation):
    kind = "loop-invariant-preserved"
    short = "loop invariant is preserved"
    failure = "loop invariant may not be preserved by the loop body"
    success = "loop invariant is preserved"
    help = ("Each invariant must hold again after an iteration, assuming only the invariants "
            "and the loop condition at its start; strengthen the invariants if needed.")


def by_kind(kind: str) -> type[Obligation]:
    return REGISTRY[kind]


class ContractInvariant(Obligation):
    kind = "contract-invariant"
    short = "contract invariant holds after each public function and the constructor"
    failure = "contract invariant may not hold"
    success = "contract invariant holds"
    help = ("A contract invariant must hold after the constructor and be preserved by every "
            "public and external function (it is assumed on their entry).")


class Modifies(Obligation):
    kind = "modifies"
    short = "function changes only what its modifies clauses allow"
    failure = "function may modify state outside its modifies clauses"
    success = "function modifies only what it declares"
    help = ("With `modifies` annotations, every state variable (or element) not listed must "
            "be unchanged when the function returns.")


class EnumConversion(Obligation):
    kind = "enum-conversion"
    short = "conversion to an enum is within its members"
    failure = "conversion to an enum may be out of range"
    success = "conversion to an enum is within range"
    help = ("Converting an integer to an enum type (`Dir(x)`) reverts with Panic(0x21) unless "
            "x is smaller than the number of members; check or require the bound first.")
