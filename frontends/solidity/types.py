"""Solidity types as vecverify sees them, and how their values become terms.

A value of any type is a *bundle*: a dict from a struct-field path to a leaf term.  Value
types are single leaves (path `()`); a struct has one leaf per (nested) field; an array or a
mapping of structs has one sequence or SMT array per field ("struct of arrays").  So
`orders[i].price` is `nth(orders.price, i)` and `orders.push(o)` pushes onto every field.
Integers and addresses are `Int` with their range as a type invariant; `T[]` is `(Seq T)`,
`T[k]` a sequence of length k, `mapping(K => V)` an SMT array.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vecverify.ir import ParAssign, Stmt
from vecverify.terms import BOOL, INT, SeqSort, Sort, Term, TermManager
from vecverify.terms.sorts import ArraySort

Path = tuple[str, ...]
Bundle = dict[Path, Term]


class Unsupported(Exception):
    """A construct outside the supported subset; the function becomes `unsupported`."""

    def __init__(self, node: dict[str, Any] | None, construct: str) -> None:
        super().__init__(construct)
        self.node = node
        self.construct = construct


class SolType:
    """Base of the supported Solidity types."""


@dataclass(frozen=True)
class IntType(SolType):
    signed: bool
    bits: int

    @property
    def min(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    def __str__(self) -> str:
        return f"{'int' if self.signed else 'uint'}{self.bits}"


@dataclass(frozen=True)
class AddressType(IntType):
    """An address: a 160-bit unsigned number (so `address(0)` and comparisons just work)."""

    def __str__(self) -> str:
        return "address"


@dataclass(frozen=True)
class BoolType(SolType):
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class EnumType(IntType):
    name: str = ""
    count: int = 256

    @property
    def max(self) -> int:
        return self.count - 1

    def __str__(self) -> str:
        return f"enum {self.name}"


@dataclass(frozen=True)
class ArrayType(SolType):
    base: SolType
    length: int | None = None      # fixed-size arrays T[k]

    def __str__(self) -> str:
        return f"{self.base}[{'' if self.length is None else self.length}]"


@dataclass(frozen=True)
class MappingType(SolType):
    key: SolType
    value: SolType

    def __str__(self) -> str:
        return f"mapping({self.key} => {self.value})"


@dataclass(frozen=True)
class StructType(SolType):
    name: str
    fields: tuple[tuple[str, SolType], ...]

    def field(self, name: str) -> SolType:
        for f, t in self.fields:
            if f == name:
                return t
        raise KeyError(name)

    def __str__(self) -> str:
        return f"struct {self.name}"


MAX_ARRAY_LENGTH = 2**64 - 1
UINT256 = IntType(False, 256)
# the type of a constant solc folded (`int_const N`): an exact integer; the context it flows
# into (an operation, a declaration, a conversion) gives the machine type
INT_CONST = IntType(True, 4096)
ADDRESS = AddressType(False, 160)
BOOL_T = BoolType()

_INT_RE = re.compile(r"^(u?)int(\d*)$")


def elementary(name: str) -> SolType | None:
    """An elementary type from its spelling (`uint`, `int8`, `address payable`, `bool`)."""
    name = name.strip()
    if name in ("address", "address payable"):
        return ADDRESS
    if name == "bool":
        return BOOL_T
    m = _INT_RE.match(name)
    if m:
        bits = int(m.group(2) or 256)
        return IntType(m.group(1) != "u", bits)
    return None


def is_value_type(t: SolType) -> bool:
    return isinstance(t, (IntType, BoolType))


def sort_of(t: SolType) -> Sort:
    """The sort of a value-type leaf."""
    if isinstance(t, BoolType):
        return BOOL
    if isinstance(t, IntType):
        return INT
    raise Unsupported(None, f"type {t} as a single value")


def leaf_sorts(t: SolType) -> dict[Path, Sort]:
    if isinstance(t, (IntType, BoolType)):
        return {(): sort_of(t)}
    if isinstance(t, StructType):
        return {(f,) + p: s for f, ft in t.fields for p, s in leaf_sorts(ft).items()}
    if isinstance(t, ArrayType):
        return {p: SeqSort(s) for p, s in leaf_sorts(t.base).items()}
    if isinstance(t, MappingType):
        return {p: ArraySort(sort_of(t.key), s) for p, s in leaf_sorts(t.value).items()}
    raise Unsupported(None, f"type {t}")


def leaf_name(base: str, path: Path) -> str:
    return ".".join((base, *path))


class Bundles:
    """Operations on bundles (values of any supported type) over one TermManager."""

    def __init__(self, tm: TermManager) -> None:
        self.tm = tm

    def vars(self, base: str, t: SolType) -> Bundle:
        return {p: self.tm.var(leaf_name(base, p), s) for p, s in leaf_sorts(t).items()}

    def scalar(self, b: Bundle) -> Term:
        return b[()]

    def index(self, arr: Bundle, t: ArrayType, idx: Term) -> Bundle:
        return {p: self.tm.seq_nth(x, idx) for p, x in arr.items()}

    def select(self, m: Bundle, t: MappingType, key: Term) -> Bundle:
        return {p: self.tm.select(x, key) for p, x in m.items()}

    def member(self, s: Bundle, name: str) -> Bundle:
        return {p[1:]: x for p, x in s.items() if p and p[0] == name}

    def length(self, arr: Bundle) -> Term:
        return self.tm.seq_len(next(iter(arr.values())))

    def update(self, arr: Bundle, idx: Term, elem: Bundle) -> Bundle:
        return {p: self.tm.seq_update(x, idx, self.tm.seq_unit(elem[p])) for p, x in arr.items()}

    def store(self, m: Bundle, key: Term, val: Bundle) -> Bundle:
        return {p: self.tm.store(x, key, val[p]) for p, x in m.items()}

    def with_member(self, s: Bundle, name: str, val: Bundle) -> Bundle:
        out = {p: x for p, x in s.items() if not (p and p[0] == name)}
        out.update({(name,) + p: x for p, x in val.items()})
        return out

    def push(self, arr: Bundle, elem: Bundle) -> Bundle:
        return {p: self.tm.seq_concat(x, self.tm.seq_unit(elem[p])) for p, x in arr.items()}

    def pop(self, arr: Bundle) -> Bundle:
        tm = self.tm
        n = self.length(arr)
        return {p: tm.seq_extract(x, tm.int(0), tm.sub(n, tm.int(1))) for p, x in arr.items()}

    def slice_first(self, arr: Bundle, n: Term) -> Bundle:
        return {p: self.tm.seq_extract(x, self.tm.int(0), n) for p, x in arr.items()}

    def eq(self, a: Bundle, b: Bundle) -> Term:
        return self.tm.and_(*(self.tm.eq(a[p], b[p]) for p in a))

    def ite(self, c: Term, a: Bundle, b: Bundle) -> Bundle:
        return {p: self.tm.ite(c, a[p], b[p]) for p in a}

    def default(self, t: SolType) -> Bundle:
        tm = self.tm
        if isinstance(t, BoolType):
            return {(): tm.false}
        if isinstance(t, IntType):
            return {(): tm.int(0)}
        if isinstance(t, StructType):
            out: Bundle = {}
            for f, ft in t.fields:
                out.update({(f,) + p: x for p, x in self.default(ft).items()})
            return out
        if isinstance(t, ArrayType):
            sorts = leaf_sorts(t)
            if t.length is None:
                return {p: tm.seq_empty(s) for p, s in sorts.items()}  # type: ignore[arg-type]
            elem = self.default(t.base)
            return {p: tm.seq_lit([elem[p]] * t.length, s)  # type: ignore[arg-type]
                    for p, s in sorts.items()}
        if isinstance(t, MappingType):
            val = self.default(t.value)
            return {p: tm.const_array(s, val[p]) for p, s in leaf_sorts(t).items()}
        raise Unsupported(None, f"default value of {t}")

    def in_range(self, x: Term, t: IntType) -> Term:
        tm = self.tm
        return tm.and_(tm.le(tm.int(t.min), x), tm.le(x, tm.int(t.max)))

    def wf(self, t: SolType, b: Bundle) -> Term:
        """The type invariant: integers in range, equal field lengths in arrays of structs,
        fixed lengths, recursively through arrays and mappings."""
        tm = self.tm
        if isinstance(t, IntType):
            return self.in_range(b[()], t)
        if isinstance(t, BoolType):
            return tm.true
        if isinstance(t, StructType):
            return tm.and_(*(self.wf(ft, self.member(b, f)) for f, ft in t.fields))
        if isinstance(t, ArrayType):
            n = self.length(b)
            # no EVM array reaches 2^64 elements (gas, memory); solc itself assumes this
            parts = [tm.le(n, tm.int(MAX_ARRAY_LENGTH))]
            parts += [tm.eq(tm.seq_len(x), n) for x in list(b.values())[1:]]
            if t.length is not None:
                parts.append(tm.eq(n, tm.int(t.length)))
            k = tm.bound_var("k", INT)
            inner = self.wf(t.base, self.index(b, t, k))
            if not inner.is_true():
                guard = tm.and_(tm.le(tm.int(0), k), tm.lt(k, n))
                parts.append(tm.forall([k], tm.implies(guard, inner)))
            return tm.and_(*parts)
        if isinstance(t, MappingType):
            k = tm.bound_var("key", sort_of(t.key))
            inner = self.wf(t.value, self.select(b, t, k))
            if inner.is_true():
                return tm.true
            return tm.forall([k], inner)
        raise Unsupported(None, f"type {t}")


def assign_bundle(target: Bundle, value: Bundle) -> Stmt:
    """Assign every leaf at once (the new leaves may be computed from the old ones)."""
    return ParAssign(tuple((target[p], value[p]) for p in target))
