"""The configuration read off a candidate model of the abstraction, and its concrete model.

cvc5's model of the abstraction fixes, for every registered sequence term, an abstract value
(its equivalence class), the value of its length, the integer values of the indices and the
element values of the `nth` terms.  From these we build one concrete sequence per class, as in
the paper's model construction:

- a class holding `empty` is `[]`, one holding `unit(e)` is `[e]`;
- a class holding a concatenation `a ++ r` (both parts non-empty, not cyclic) is the
  concatenation of the parts' values (its normal form);
- (EXT) a class holding a handled `update(x, i, unit(e))` is the value the update computes
  from the value of x;
- any other class is *atomic*: its value is its "write model", the element of every in-bounds
  `nth` term on the class at its index, and in the gaps fresh elements shared by the class's
  connected component (classes linked by `update`), so that an update agrees with its base at
  every position nobody wrote (cvc5's `SEQ_MODEL_BASE_ELEMENT` skeletons).

The solver then checks every application against these values; what disagrees is what the
lazy rules repair.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from vecverify.terms.evaluate import update_value
from vecverify.terms.manager import Term
from vecverify.terms.ops import Op
from vecverify.terms.sorts import BOOL, INT, BitVecSort, SeqSort, Sort, UninterpretedSort
from vecverify.values import Unnamed, UValue, Value


@dataclass(eq=False)
class Cls:
    """One equivalence class of sequence terms in the candidate model."""

    key: Any
    length: int
    terms: list[Term] = field(default_factory=list)
    empty: Term | None = None
    unit: Term | None = None
    cats: list[Term] = field(default_factory=list)
    nths: list[Term] = field(default_factory=list)     # nth(s, i) with s in this class
    updates: list[Term] = field(default_factory=list)   # handled update terms in the class
    definition: Term | None = None                      # the cat the value was built from
    update_def: Term | None = None                      # or the update it was computed by
    value: tuple | None = None
    component: int = -1


class Configuration:
    """Classes, lengths and concrete values for one candidate model."""

    def __init__(self, seq_terms: list[Term], values: dict[Term, Value],
                 abstract: dict[Term, Any], rest: Callable[[Term], Term],
                 nths: list[Term], updates: list[Term], ext: bool,
                 gaps: dict[Sort, tuple[str, Value | None]] | None = None) -> None:
        self.values = values          # Int/Bool/element values of non-sequence terms
        self.rest = rest
        self.cls_of: dict[Term, Cls] = {}
        self.classes: dict[Any, Cls] = {}
        for t in seq_terms:
            key = (t.sort, abstract[t])     # values of different sequence sorts never mix
            c = self.classes.get(key)
            if c is None:
                c = Cls(key, int(values[len_key(t)]))  # type: ignore[arg-type]
                self.classes[key] = c
            c.terms.append(t)
            self.cls_of[t] = c
            if t.op is Op.SEQ_EMPTY:
                c.empty = t
            elif t.op is Op.SEQ_UNIT and c.unit is None:
                c.unit = t
            elif t.op is Op.SEQ_CONCAT:
                c.cats.append(t)
        for n in nths:
            self.cls_of[n.args[0]].nths.append(n)
        if ext:
            for y in updates:
                if y.args[2].op is Op.SEQ_UNIT:
                    self.cls_of[y].updates.append(y)
        self._components(updates if ext else [])
        self._fresh = _FreshElements(values, gaps)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            for c in self.classes.values():
                self._value(c, set())
        finally:
            sys.setrecursionlimit(limit)

    def value(self, t: Term) -> tuple:
        return self.cls_of[t].value  # type: ignore[return-value]

    def usable_cat(self, c: Term) -> bool:
        """A concatenation that can define its class: both parts non-empty in the model."""
        return (self.cls_of[c.args[0]].length > 0 and self.cls_of[self.rest(c)].length > 0)

    # -- construction --------------------------------------------------------------------
    def _components(self, updates: list[Term]) -> None:
        parent: dict[int, int] = {}

        def find(a: int) -> int:
            while parent.get(a, a) != a:
                parent[a] = parent.get(parent[a], parent[a])
                a = parent[a]
            return a

        ids = {id(c): n for n, c in enumerate(self.classes.values())}
        for y in updates:
            a, b = find(ids[id(self.cls_of[y.args[0]])]), find(ids[id(self.cls_of[y])])
            if a != b:
                parent[a] = b
        for c in self.classes.values():
            c.component = find(ids[id(c)])

    def _value(self, c: Cls, visiting: set[int]) -> tuple:
        if c.value is not None:
            return c.value
        visiting.add(id(c))
        value: tuple | None = None
        if c.empty is not None:
            value = ()
        elif c.unit is not None:
            value = (self.values[c.unit.args[0]],)
        else:
            for cat in c.cats:
                a, r = self.cls_of[cat.args[0]], self.cls_of[self.rest(cat)]
                if (a.length == 0 or r.length == 0 or id(a) in visiting or id(r) in visiting
                        or a.length + r.length != c.length):
                    continue
                value = self._value(a, visiting) + self._value(r, visiting)
                c.definition = cat
                break
        if value is None:                   # EXT: the value an update computes
            for y in c.updates:
                x, z = self.cls_of[y.args[0]], self.cls_of[y.args[2]]
                if id(x) in visiting or id(z) in visiting:
                    continue
                computed = update_value(self._value(x, visiting), self.values[y.args[1]],
                                        self._value(z, visiting))  # type: ignore[arg-type]
                if len(computed) != c.length:      # only without the length lemmas (tests)
                    continue
                value, c.update_def = computed, y
                break
        if value is None:
            value = self._write_model(c)
        visiting.discard(id(c))
        c.value = value
        return value

    def _write_model(self, c: Cls) -> tuple:
        written: dict[int, Value] = {}
        for n in c.nths:
            p = self.values[n.args[1]]
            if 0 <= p < c.length and p not in written:  # type: ignore[operator]
                written[p] = self.values[n]  # type: ignore[index]
        sort = c.terms[0].sort
        assert isinstance(sort, SeqSort)
        return tuple(written[p] if p in written else self._fresh.get(sort.elem, c.component, p)
                     for p in range(c.length))


class _FreshElements:
    """Gap elements, as the combination layer's plan for each element sort says (`gaps`):

    - `fresh` (the default): one per (component, position), distinct from every model value
      where the sort has room (Int, uninterpreted sorts, bit-vectors wider than the values in
      use); a finite sort that runs out cycles, and the solver's checks notice collisions and
      separate the classes by extensionality lemmas;
    - `named`: the value of the witness element w_E, where the model must consist of named
      elements (the polite treatment of a finite sort);
    - `unnamed`: an `Unnamed` element outside the sort (only `--combination no` forced onto a
      finite sort)."""

    def __init__(self, values: dict[Term, Value],
                 gaps: dict[Sort, tuple[str, Value | None]] | None = None) -> None:
        ints = [v for v in values.values() if isinstance(v, int) and not isinstance(v, bool)]
        self._next_int = max([abs(v) for v in ints] + [0]) + 1000
        self._table: dict[tuple, Value] = {}
        self._next_bv: dict[int, int] = {}
        self._gaps = gaps or {}
        self._used_bv: dict[int, set[int]] = {}
        for t, v in values.items():
            if isinstance(getattr(t, "sort", None), BitVecSort) and isinstance(v, int):
                self._used_bv.setdefault(t.sort.width, set()).add(v)  # type: ignore[union-attr]

    def get(self, sort: Sort, component: int, position: int) -> Value:
        key = (sort, component, position)
        found = self._table.get(key)
        if found is None:
            mode, named = self._gaps.get(sort, ("fresh", None))
            if mode == "named":
                found = named
            elif mode == "unnamed":
                found = Unnamed(sort.smt(), len(self._table))
            elif sort == INT:
                found = self._next_int
                self._next_int += 1
            elif sort == BOOL:
                found = False
            elif isinstance(sort, UninterpretedSort):
                found = UValue(sort.name, f"@{sort.name}_gap{len(self._table)}")
            elif isinstance(sort, BitVecSort):
                found = self._bv(sort.width)
            else:  # pragma: no cover - the abstraction refuses other element sorts
                raise ValueError(f"no fresh element of sort {sort.smt()}")
            self._table[key] = found
        return found  # type: ignore[return-value]

    def _bv(self, width: int) -> int:
        """The next value no model term takes, while there is one; then any, cycling."""
        size, used = 1 << width, self._used_bv.setdefault(width, set())
        start = self._next_bv.get(width, 0)
        for step in range(min(size, len(used) + 1)):
            v = (start + step) % size
            if v not in used:
                self._next_bv[width] = v + 1
                used.add(v)
                return v
        self._next_bv[width] = start + 1
        return start % size


def len_key(t: Term) -> Any:
    """Where the solver stores the value of `seq.len t` in the values table."""
    return ("len", t)

