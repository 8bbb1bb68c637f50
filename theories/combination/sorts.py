"""Which element sorts the element theory is stably infinite on, and which need the polite
treatment.

The rule (notes: ../shared/research/polite.md, sections 3.2 and 3.6a):

- **Stably infinite** (Nelson-Oppen suffices, only shared variables are arranged): `Int` (the
  element theory is linear integer arithmetic, whose every model is infinite; range
  constraints such as `0 <= x < 256` that our frontends emit for `u8` are *formulas*, not
  axioms, so they do not change this), and uninterpreted sorts (quantifier-free EUF has no
  cardinality axioms: any model can be enlarged).  Infinite datatypes would belong here; the
  procedure does not accept them as element sorts.
- **Finite** (not stably infinite; the polite side must witness and every witnessed variable
  is arranged): `Bool` (2 values) and `(_ BitVec w)` (2^w values).  Finite datatypes and
  enums would belong here.
- **Effectively infinite**: a finite sort with at least as many values as an arrangement can
  ask for.  An arrangement of the witnessed formula's n variables of sort E has at most n
  classes, so when |E| >= n every arrangement the element side accepts can be extended by
  fresh, distinct values to the sequence side's unshared variables, and arranging the shared
  variables alone is complete (section 3.6a).  For the 256-bit words of smart contracts this
  holds for any formula we can build; for `(_ BitVec 1)` or `Bool` it essentially never does.
  The bound n is computed from the witness (`witness.witness_bound`).
"""
from __future__ import annotations

from dataclasses import dataclass

from vecverify.terms.sorts import BOOL, INT, BitVecSort, Sort, UninterpretedSort


def cardinality(sort: Sort) -> int | None:
    """The number of values of an element sort; None when it is infinite."""
    if sort == BOOL:
        return 2
    if isinstance(sort, BitVecSort):
        return 1 << sort.width
    if sort == INT or isinstance(sort, UninterpretedSort):
        return None
    raise ValueError(f"{sort.smt()} is not an element sort the combination knows")


@dataclass(frozen=True)
class Classification:
    """How the combination treats one shared element sort."""

    sort: Sort
    cardinality: int | None       # None: infinite
    stably_infinite: bool         # the element theory is stably infinite on the sort
    effectively_infinite: bool    # stably infinite, or finite with room for any arrangement
    reason: str

    def render(self) -> str:
        return f"{self.sort.smt()}: {self.reason}"


def classify(sort: Sort, needed: int | None = None) -> Classification:
    """Classify `sort`, given that an arrangement may need up to `needed` distinct values
    (the number of the witnessed formula's variables of that sort; None: unknown, so a
    finite sort is never taken as effectively infinite)."""
    k = cardinality(sort)
    if k is None:
        why = ("linear integer arithmetic is stably infinite" if sort == INT else
               "quantifier-free EUF is stably infinite on uninterpreted sorts")
        return Classification(sort, None, True, True, why)
    if needed is not None and k >= needed:
        return Classification(sort, k, False, True,
                              f"finite ({k} values) but no arrangement of its {needed} "
                              f"witnessed variables can exhaust it")
    return Classification(sort, k, False, False, f"finite ({k} values), not stably infinite")
