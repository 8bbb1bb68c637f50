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
from typing import Any, Callable

from vecverify.ir import Assign, ParAssign, Stmt
from vecverify.terms import INT, Op, Term, TermManager

from .types import BOOL_T, INT_CONST, Bundle, Bundles, SolType, Unsupported


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
    because which place it points to would then depend on the path.  `epoch` is how often
    the pointer's root had shrunk when it was made (see `Memory.shrink`)."""

    ty: SolType
    bundle: Bundle | None = None
    place: Place | None = None
    depth: int = 0
    epoch: int = 0


class Memory:
    """The locations of one function being lowered and the variables that reach them.

    Reading and writing go through places: a write rebuilds the root from the inside out
    (one simultaneous assignment of its leaves).  A state variable summed in the annotations
    (`__verifier_sum_uint(v)`) has a ghost sum that changes in the same step: by the element's
    difference, or to `sum_update` for whole-array writes (push, pop, delete).
    """

    def __init__(self, tm: TermManager, bundles: Bundles, state_vars: dict[int, Var],
                 sums: dict[int, Term], ghost: Callable[[str, SolType], Bundle]) -> None:
        self.tm = tm
        self.b = bundles
        self.state_vars = state_vars
        self.sums = sums
        self.ghost = ghost                      # a fresh variable of a type (for snapshots)
        self.vars: dict[int, Var] = {}          # declaration id -> variable (locals, params)
        self.roots: dict[int, Bundle] = {}      # local locations (negative keys) -> leaves
        self.frames: list[int] = []             # inlined calls: their first location key
        self._next_root = -1
        self.shrinks: dict[int, int] = {}       # state root -> times it may have shrunk

    def new_root(self, bundle: Bundle) -> int:
        """A new local location holding `bundle`; keys count down from -1."""
        key = self._next_root
        self._next_root -= 1
        self.roots[key] = bundle
        return key

    def next_root_key(self) -> int:
        """The key the next location will get: locations made from now on have keys <= it."""
        return self._next_root

    def root_bundle(self, root: int) -> Bundle:
        if root in self.roots:
            return self.roots[root]
        var = self.state_vars.get(root)
        assert var is not None and var.bundle is not None
        return var.bundle

    def var_value(self, decl_id: int) -> Bundle:
        """The current value of a declared variable (through its pointer, if it is one)."""
        var = self.vars[decl_id]
        assert var.place is not None
        return self.read(var.place)

    def freeze(self, place: Place, pre: list[Stmt]) -> Place:
        """The place with every index and key evaluated now: a pointer keeps pointing where it
        was made (`S storage s = arr[i]; i = 1;` still means arr[old i])."""
        steps: list[tuple[Any, ...]] = []
        for step in place.steps:
            if step[0] in ("index", "key") and step[1].op not in (Op.INT_CONST, Op.BOOL_CONST):
                snap = self.ghost("at", INT_CONST if step[1].sort == INT else BOOL_T)[()]
                pre.append(Assign(snap, step[1]))
                step = (step[0], snap)
            steps.append(step)
        return Place(place.root, steps)

    def point(self, decl_id: int, ty: SolType, place: Place, node: Any, depth: int) -> None:
        """Make a pointer variable point to `place` (a re-pointing at branch depth `depth`)."""
        old = self.vars.get(decl_id)
        if old is not None and old.depth != depth:
            raise Unsupported(node, "re-pointing a reference inside a branch or loop")
        self.vars[decl_id] = self.pointer(ty, place, depth if old is None else old.depth)

    def pointer(self, ty: SolType, place: Place, depth: int) -> Var:
        return Var(ty, None, place, depth, self.shrinks.get(place.root, 0))

    # A storage pointer into an array element outlives the element: after a `pop` (or a
    # `delete`, or a whole-array assignment) the EVM still reads and writes the removed slot,
    # and a later `push()` finds what was written there, while a sequence has no such slot.
    # So a pointer into an array may not be used once its root may have shrunk.
    def shrink(self, root: int) -> None:
        if root >= 0:
            self.shrinks[root] = self.shrinks.get(root, 0) + 1

    def shrink_all(self) -> None:
        for root in self.state_vars:
            self.shrink(root)

    def check_alive(self, var: Var, node: Any) -> None:
        place = var.place
        if var.bundle is None and place is not None and place.root >= 0 and \
                any(step[0] == "index" for step in place.steps) and \
                self.shrinks.get(place.root, 0) != var.epoch:
            raise Unsupported(node, "a storage pointer into an array element, used after the "
                              "array may have shrunk (pop, delete): the EVM keeps using the "
                              "removed slot")

    def read(self, place: Place) -> Bundle:
        cur = self.root_bundle(place.root)
        for step in place.steps:
            if step[0] == "index":
                cur = {p: self.tm.seq_nth(x, step[1]) for p, x in cur.items()}
            elif step[0] == "key":
                cur = {p: self.tm.select(x, step[1]) for p, x in cur.items()}
            else:
                cur = self.b.member(cur, step[1])
        return cur

    def write(self, place: Place, value: Bundle, sum_update: Term | None = None
              ) -> list[Stmt]:
        """Assign through a place (see the class docstring for summed variables)."""
        chain = [self.root_bundle(place.root)]
        for _ in place.steps[:-1]:
            chain.append(self.read(Place(place.root, place.steps[:len(chain)])))
        new = value
        for step, outer in zip(reversed(place.steps), reversed(chain)):
            if step[0] == "index":
                new = self.b.update(outer, step[1], new)
            elif step[0] == "key":
                new = self.b.store(outer, step[1], new)
            else:
                new = self.b.with_member(outer, step[1], new)
        root = self.root_bundle(place.root)
        pairs = [(root[p], new[p]) for p in root]
        ghost = self.sums.get(place.root)
        if ghost is not None:
            if sum_update is None:
                if len(place.steps) != 1 or place.steps[0][0] not in ("index", "key"):
                    raise Unsupported(None, "a write to a summed variable other than to one "
                                      "element, push, pop or delete")
                old_elem = self.read(place)[()]
                sum_update = self.tm.add(self.tm.sub(ghost, old_elem), value[()])
            pairs.append((ghost, sum_update))
        return [ParAssign(tuple(pairs))]
