"""SMT sorts of the terms vecverify builds: Bool, Int, uninterpreted sorts, bit-vectors, (Seq T),
(Array I E).

Sorts are small frozen values, so structural equality is enough and they hash-cons for free.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sort:
    """Base class of every sort; `smt()` is its SMT-LIB spelling."""

    def smt(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class BoolSort(Sort):
    def smt(self) -> str:
        return "Bool"


@dataclass(frozen=True)
class IntSort(Sort):
    def smt(self) -> str:
        return "Int"


@dataclass(frozen=True)
class UninterpretedSort(Sort):
    name: str

    def smt(self) -> str:
        return self.name


@dataclass(frozen=True)
class SeqSort(Sort):
    elem: Sort

    def smt(self) -> str:
        return f"(Seq {self.elem.smt()})"


@dataclass(frozen=True)
class ArraySort(Sort):
    """Total maps from `index` to `elem` (SMT-LIB arrays); Solidity mappings are these."""

    index: Sort
    elem: Sort

    def smt(self) -> str:
        return f"(Array {self.index.smt()} {self.elem.smt()})"


@dataclass(frozen=True)
class BitVecSort(Sort):
    """Bit-vectors of a fixed width: a finite sort with 2**width values."""

    width: int

    def smt(self) -> str:
        return f"(_ BitVec {self.width})"


BOOL = BoolSort()
INT = IntSort()


def uninterpreted_sorts(sort: Sort) -> set[UninterpretedSort]:
    """The uninterpreted sorts a sort mentions (they need a `declare-sort`)."""
    if isinstance(sort, UninterpretedSort):
        return {sort}
    if isinstance(sort, SeqSort):
        return uninterpreted_sorts(sort.elem)
    if isinstance(sort, ArraySort):
        return uninterpreted_sorts(sort.index) | uninterpreted_sorts(sort.elem)
    return set()
