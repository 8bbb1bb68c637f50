"""Where values live while a function is lowered: the memory model of the Solidity frontend.

A *place* is a root location plus index/key/member steps.  Roots are state variables
(storage, keyed by their declaration id) or local locations (negative keys): every declared
local, parameter and fresh memory object gets one.  Variables reach their value through a
place, so a storage pointer or a memory reference is simply a variable whose place is
someone else's, fixed when it is made (indices are evaluated then), and re-pointing it
changes only the variable, never a location.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .types import Bundle, SolType


@dataclass
class Place:
    """Where a value lives: a root variable bundle and the steps into it."""

    root: int                                   # declaration id of the root variable
    steps: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Var:
    """A declared variable of the function: its type and where its value lives.

    Every local is reached through `place`: its own root (a fresh location made when it is
    declared, so two instances of one declaration, e.g. a modifier applied twice, never share
    leaves), or, for a storage pointer or a memory reference, the place it points to.
    `bundle` is the variable's own root, None for a pointer.  `depth` is the branch depth of
    the declaration: a pointer declared outside a branch or loop cannot be re-pointed inside it,
    because which place it points to would then depend on the path."""

    ty: SolType
    bundle: Bundle | None = None
    place: Place | None = None
    depth: int = 0
