"""Types of the `.vec` language.

Types are small frozen dataclasses compared by value, so the checker and the lowering can
test `t == INT` or `isinstance(t, VecT)` directly.  `LiteralIntT` and `HoleT` are
*flexible* types used only inside the checker while an integer literal or an empty `[]`
waits for its type to be fixed by context; they never survive into a checked program.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


class Type:
    """Base class of all `.vec` types."""


@dataclass(frozen=True)
class IntT(Type):
    """Mathematical (unbounded) integers."""

    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class BoolT(Type):
    """Booleans."""

    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class MachineInt(Type):
    """A fixed-width integer `uN` / `iN` (two's complement range when signed)."""

    signed: bool
    bits: int

    @property
    def min(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    def contains(self, value: int) -> bool:
        """Whether `value` is representable in this type."""
        return self.min <= value <= self.max

    def __str__(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"


@dataclass(frozen=True)
class UninterpT(Type):
    """A user-declared uninterpreted sort (`type Addr;`); only equality is available."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class VecT(Type):
    """A finite sequence (dynamic array) of `elem`."""

    elem: Type

    def __str__(self) -> str:
        return f"vec<{self.elem}>"


@dataclass(frozen=True)
class LiteralIntT(Type):
    """Checker-internal: an integer literal expression whose type is not fixed yet."""

    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class HoleT(Type):
    """Checker-internal: the unknown element type of an empty `[]`."""

    def __str__(self) -> str:
        return "?"


INT = IntT()
BOOL = BoolT()
LITERAL_INT = LiteralIntT()
HOLE = HoleT()

_MACHINE_RE = re.compile(r"([ui])([1-9][0-9]*)")


def machine_int_named(name: str) -> MachineInt | None:
    """The machine type spelled `name` (`u8`, `i256`, ...), or None if it is not one."""
    m = _MACHINE_RE.fullmatch(name)
    if m is None:
        return None
    bits = int(m.group(2))
    if bits % 8 != 0 or not 8 <= bits <= 256:
        return None
    return MachineInt(m.group(1) == "i", bits)


def builtin_type_named(name: str) -> Type | None:
    """The built-in scalar type spelled `name` (`int`, `bool`, `uN`, `iN`), or None."""
    if name == "int":
        return INT
    if name == "bool":
        return BOOL
    return machine_int_named(name)


def is_integral(t: Type) -> bool:
    """Whether `t` is `int` or a machine integer type (a fixed, non-literal integer type)."""
    return isinstance(t, (IntT, MachineInt))


def is_flexible(t: Type) -> bool:
    """Whether `t` still contains a checker-internal placeholder (literal int or `[]` hole)."""
    if isinstance(t, (LiteralIntT, HoleT)):
        return True
    if isinstance(t, VecT):
        return is_flexible(t.elem)
    return False
