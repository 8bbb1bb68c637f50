"""Concrete values of a model: Python ints and bools, tuples for sequences, `UValue` for
elements of uninterpreted sorts, `ArrayValue` for arrays.  Shared by the solver drivers, the
evaluator and the reports."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Union


@dataclass(frozen=True)
class OpenRead:
    """A model value cvc5 leaves symbolic: the element at `index` of the sequence `seq`, out of
    bounds (e.g. `x = (seq.nth [] (seq.nth [] 0))`).  The evaluator settles it through its one
    table of out-of-bounds reads, so every use of that point gets the same value."""

    seq: object
    index: object


@dataclass(frozen=True)
class UValue:
    """An element of an uninterpreted sort, named as the solver named it (e.g. `@Addr_0`)."""

    sort: str
    name: str

    def __str__(self) -> str:
        return f"{self.sort}#{self.name.lstrip('@').rsplit('_', 1)[-1]}"


class OutsideSort(ArithmeticError):
    """An operator needed the value of an `Unnamed` element, which has none."""


@dataclass(frozen=True)
class Unnamed:
    """An element a model assumes beyond a finite sort's values.  Only `--combination no
    --unsound-ok` builds models with them (Nelson-Oppen's assumption of infinitely many
    elements, false for `Bool` or `(_ BitVec 1)`): equal only to itself, and no operator of
    the sort can compute with it."""

    sort: str
    index: int

    def __str__(self) -> str:
        return f"<unnamed {self.sort} #{self.index}>"

    def __bool__(self) -> bool:
        raise OutsideSort(f"{self} used as a truth value")

    def __int__(self) -> int:
        raise OutsideSort(f"{self} used as a number")

    __index__ = __int__


@dataclass(frozen=True)
class ArrayValue:
    """A total map: `default` everywhere except at the keys of `entries`.

    The representation is normalized on construction (later entries for a key win, entries
    equal to the default are dropped, the rest sorted by `order_key`), so two arrays that agree
    at every index compare (and hash) equal whenever the index sort is infinite, which is all
    the theory can tell apart.  A Bool index is finite and recognizable from its keys: such an
    array is stored as its value at `false` (the default) and at `true`.  Arrays over other
    finite universes (an uninterpreted sort in a model) need the universe: see `on_universe`.
    """

    default: Value
    entries: tuple[tuple[Value, Value], ...] = ()

    def __post_init__(self) -> None:
        table = dict(self.entries)
        default = self.default
        if any(isinstance(k, bool) for k in table):
            default = table.get(False, default)
            table = {True: table.get(True, self.default)}
        entries = tuple(sorted(((k, v) for k, v in table.items() if v != default),
                               key=lambda kv: order_key(kv[0])))
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "entries", entries)

    @cached_property
    def _table(self) -> dict[Value, Value]:
        return dict(self.entries)

    def select(self, key: Value) -> Value:
        return self._table.get(key, self.default)

    def store(self, key: Value, value: Value) -> ArrayValue:
        return ArrayValue(self.default, (*self.entries, (key, value)))

    def keys(self) -> tuple[Value, ...]:
        return tuple(k for k, _ in self.entries)

    def on_universe(self, universe: Iterable[Value]) -> ArrayValue:
        """The normal form of this array as a function on a finite index universe (plus its
        keys): the default becomes the value at the least point, so two arrays that agree on
        every point of the universe are equal."""
        points = sorted(set(universe) | set(self._table), key=order_key)
        if not points:
            return self
        return ArrayValue(self.select(points[0]), tuple((p, self.select(p)) for p in points))


Value = Union[bool, int, tuple, UValue, ArrayValue, Unnamed]


def order_key(v: object) -> tuple:
    """A total order on values of one sort (numeric on ints), used to normalize arrays."""
    if isinstance(v, bool):
        return (0, int(v))
    if isinstance(v, int):
        return (1, v)
    if isinstance(v, UValue):
        return (2, v.sort, v.name)
    if isinstance(v, tuple):
        return (3, tuple(order_key(x) for x in v))
    if isinstance(v, ArrayValue):
        return (4, order_key(v.default),
                tuple((order_key(k), order_key(x)) for k, x in v.entries))
    return (5, repr(v))


def to_json(v: object) -> object:
    """A JSON-friendly rendering: sequences become lists, uninterpreted elements strings,
    arrays `{"default": d, "values": {key: value}}` with keys rendered by `show`."""
    if isinstance(v, tuple):
        return [to_json(x) for x in v]
    if isinstance(v, UValue):
        return str(v)
    if isinstance(v, ArrayValue):
        return {"default": to_json(v.default),
                "values": {show(k): to_json(x) for k, x in v.entries}}
    return v


def show(v: object) -> str:
    """The text rendering used in counterexamples: vectors as lists, arrays as
    `{0: 5, 3: 7, else: 0}`; also accepts the `to_json` forms (reports render those)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(show(x) for x in v) + "]"
    if isinstance(v, ArrayValue):
        return _show_map([(show(k), show(x)) for k, x in v.entries], show(v.default))
    if isinstance(v, dict) and set(v) == {"default", "values"}:
        return _show_map([(str(k), show(x)) for k, x in v["values"].items()], show(v["default"]))
    return str(v)


def _show_map(items: list[tuple[str, str]], default: str) -> str:
    return "{" + ", ".join([f"{k}: {x}" for k, x in items] + [f"else: {default}"]) + "}"
