"""A verification condition: one check, the path to it, and how to name its values."""
from __future__ import annotations

from dataclasses import dataclass

from vecverify.ir import Check, VarInfo
from vecverify.terms import Term


@dataclass(frozen=True)
class VC:
    """`formula` is satisfiable exactly when the check can fail (sat = violated, unsat = proved).

    `definitions` are Boolean labels (`label := term`, in dependency order) that name join
    points of the control flow, so the formula stays linear in the size of the program.
    """

    procedure: str
    check: Check
    definitions: tuple[tuple[Term, Term], ...]
    formula: Term
    at_entry: tuple[tuple[VarInfo, Term], ...]
    at_check: tuple[tuple[VarInfo, Term], ...]
    notes: tuple[str, ...] = ()
    sum_ghosts: tuple[tuple[Term, Term], ...] = ()      # entry versions, see Procedure
    # the checked condition over the program's variables (a replay evaluates it on the
    # state a concrete run reaches)
    assertion: Term | None = None
