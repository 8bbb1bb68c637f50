"""Concrete values of a model: Python ints and bools, tuples for sequences, `UValue` for
elements of uninterpreted sorts.  Shared by the solver drivers, the evaluator and the reports."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class UValue:
    """An element of an uninterpreted sort, named as the solver named it (e.g. `@Addr_0`)."""

    sort: str
    name: str

    def __str__(self) -> str:
        return f"{self.sort}#{self.name.lstrip('@').rsplit('_', 1)[-1]}"


Value = Union[bool, int, tuple, UValue]


def to_json(v: object) -> object:
    """A JSON-friendly rendering: sequences become lists, uninterpreted elements strings."""
    if isinstance(v, tuple):
        return [to_json(x) for x in v]
    if isinstance(v, UValue):
        return str(v)
    return v


def show(v: object) -> str:
    """The text rendering used in counterexamples: vectors as lists."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + ", ".join(show(x) for x in v) + "]"
    return str(v)
