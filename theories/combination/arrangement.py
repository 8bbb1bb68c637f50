"""Arrangement strategies: which variables of each shared element sort are arranged, and the
arrangements cvc5 proposes while the sequence side checks them.

- `no` (Nelson-Oppen): the shared variables of every sort; no witness.  Sound only where the
  element theory is stably infinite (or the sort is effectively infinite, see `sorts.py`), so
  it is refused for other sorts unless the caller accepts unsound answers.
- `polite`: every variable of each shared sort in the witnessed sequence part, for every
  sort (the polite combination theorem needs nothing of the element theory).
- `hybrid`: shared variables for stably infinite (and effectively infinite) sorts, every
  witnessed variable for the others ("Politeness and Stable Infiniteness: Stronger
  Together").

Arrangements are never enumerated.  The arranged variables are ordinary terms of the one cvc5
instance that decides the element part, so each interface equality between two of them is a
literal cvc5 decides; the arrangement is read off cvc5's candidate model (model-based theory
combination).  When the sequence side cannot complete that arrangement into a model it returns
a lemma (extensionality, a witness read, a rule instance), valid in the sequence theory, that
cvc5 must respect from then on; the arrangement is rejected.

The plan also fixes how the sequence side fills positions no variable names (`gaps`):
`fresh` elements where the sort has room (stably infinite, effectively infinite), the value of
the witness element `w_E` where the minimal model must consist of named elements (the polite
treatment), or, under `no` forced onto a finite sort, `unnamed` elements outside the sort:
exactly the assumption that makes Nelson-Oppen unsound there.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import comb
from typing import Any

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import Sort
from vecverify.terms.walkers import postorder

from .purify import Purification
from .sorts import Classification, classify
from .witness import base_element, witness_bound, witness_pairs

STRATEGIES = ("no", "polite", "hybrid")
DEFAULT = "hybrid"


class Refused(Exception):
    """`no` asked for on a sort where Nelson-Oppen is unsound, without `unsound_ok`."""


@dataclass
class SortPlan:
    """What the combination does for one shared element sort."""

    classification: Classification
    full: bool                    # arrange every witnessed variable (polite treatment)
    gaps: str                     # fresh | named | unnamed
    arranged: dict[Term, None] = field(default_factory=dict)   # V_E
    shared: int = 0
    witness: Term | None = None   # w_E (full sorts)
    pairs: list[tuple[Term, Term]] = field(default_factory=list)

    @property
    def sort(self) -> Sort:
        return self.classification.sort


@dataclass
class CombinationStats:
    strategy: str = DEFAULT
    sorts: dict[str, dict[str, Any]] = field(default_factory=dict)
    interface_literals: int = 0
    arrangements_tried: int = 0
    arrangements_rejected: int = 0
    time_s: float = 0.0
    unsound: list[str] = field(default_factory=list)   # finite sorts `no` was forced onto

    def as_dict(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "sorts": self.sorts,
                "arranged": sum(s["arranged"] for s in self.sorts.values()),
                "interface_literals": self.interface_literals,
                "arrangements_tried": self.arrangements_tried,
                "arrangements_rejected": self.arrangements_rejected,
                "time_s": round(self.time_s, 4), "unsound": self.unsound}


def render(stats: dict[str, Any]) -> str:
    """The combination counters of `CombinationStats.as_dict` as one line of `--stats`."""
    sorts = "; ".join(f"{name} {s['treatment']}: {s['arranged']} arranged ({s['shared']} "
                      f"shared)" for name, s in stats.get("sorts", {}).items()) or "no element sorts"
    return (f"combination {stats['strategy']} [{sorts}], interface literals "
            f"{stats['interface_literals']}, arrangements tried {stats['arrangements_tried']} "
            f"(rejected {stats['arrangements_rejected']}), {stats['time_s']:.3f}s")


class Combination:
    """The combination layer of one check: the plan per sort and the arrangement tracker."""

    def __init__(self, tm: TermManager, strategy: str, purification: Purification,
                 facts: set[Term], unsound_ok: bool = False) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown combination {strategy!r} (one of {', '.join(STRATEGIES)})")
        t0 = time.monotonic()
        self.tm = tm
        self.strategy = strategy
        self.purification = purification
        self.stats = CombinationStats(strategy)
        self.plans: dict[Sort, SortPlan] = {}
        self._seen: set[tuple] = set()
        self._literals: set[Term] = set()
        unsound = []
        for sort in purification.element_sorts:
            pairs = witness_pairs(purification, sort, facts)
            c = classify(sort, witness_bound(purification, sort, pairs))
            if strategy == "no":
                full = False
                if not c.effectively_infinite:
                    unsound.append(c)
            else:
                full = strategy == "polite" or not c.effectively_infinite
            gaps = "named" if full else ("fresh" if c.effectively_infinite else "unnamed")
            plan = SortPlan(c, full, gaps)
            shared = purification.shared(sort)
            plan.shared = len(shared)
            if full:
                plan.witness = base_element(tm, sort)
                plan.pairs = pairs
                for v in purification.seq_vars.get(sort, {}):
                    plan.arranged[self._named(v)] = None
                plan.arranged[plan.witness] = None
            else:
                for v in shared:
                    plan.arranged[self._named(v)] = None
            self.plans[sort] = plan
        self.stats.unsound = [c.sort.smt() for c in unsound]
        if unsound and not unsound_ok:
            raise Refused(
                "refused: --combination no is unsound for element sort "
                f"{', '.join(c.sort.smt() for c in unsound)}, on which the element theory is "
                "not stably infinite (use hybrid or polite, or --unsound-ok to run it anyway)")
        self.stats.time_s += time.monotonic() - t0

    def _named(self, v: Term) -> Term:
        """The input term a purified variable or term stands for: the solver decides the
        unpurified input, whose abstraction names each application by a constant of its
        own, so the arrangement is over those terms."""
        return self.purification.origin.get(v, v)

    # -- what the sequence side asks -------------------------------------------------------
    def cardinality_applies(self, sort: Sort) -> bool:
        """Pigeonhole lemmas are the finite element theory's knowledge: not under `no`."""
        plan = self.plans.get(sort)
        return plan is not None and self.strategy != "no" and \
            plan.classification.cardinality is not None

    def eager_extensionality(self, sort: Sort) -> bool:
        """Whether the calculus may name a distinguishing position of an input disequality
        up front.  Not under `no` on a finite sort: Nelson-Oppen decides the sequence side as
        if the sort were infinite, so the reads such a lemma shares would arrange more than
        the shared variables (the witness is exactly what `no` leaves out)."""
        plan = self.plans.get(sort)
        return plan is None or self.strategy != "no" or plan.classification.effectively_infinite

    def witness_reads(self, plan: SortPlan, lemma: Term) -> None:
        """The element reads a witness lemma adds are witnessed variables: arranged."""
        for t in postorder(lemma):
            if t.op is Op.SEQ_NTH and t.sort == plan.sort:
                plan.arranged[t] = None

    def arranged_terms(self) -> list[Term]:
        return [t for p in self.plans.values() for t in p.arranged]

    def note_formula(self, formula: Term) -> None:
        """Count the interface literals (equalities between two arranged variables) of a
        formula given to cvc5."""
        t0 = time.monotonic()
        for t in postorder(formula):
            if t.op in (Op.EQ, Op.IFF) and t not in self._literals:
                plan = self.plans.get(t.args[0].sort)
                if plan is not None and t.args[0] in plan.arranged and t.args[1] in plan.arranged:
                    self._literals.add(t)
        self.stats.interface_literals = len(self._literals)
        self.stats.time_s += time.monotonic() - t0

    def observe(self, values: dict[Term, Any], rejected: bool) -> None:
        """One arrangement the sequence side checked: the partition of each sort's arranged
        variables by their values in cvc5's model (restricted growth strings)."""
        t0 = time.monotonic()
        key = []
        for sort, plan in self.plans.items():
            classes: dict[Any, int] = {}
            key.append((sort, tuple(classes.setdefault(values[t], len(classes))
                                    for t in plan.arranged if t in values)))
        canonical = tuple(key)
        if canonical not in self._seen:
            self._seen.add(canonical)
            self.stats.arrangements_tried += 1
        if rejected:
            self.stats.arrangements_rejected += 1
        self.stats.time_s += time.monotonic() - t0

    def finish(self) -> CombinationStats:
        for sort, plan in self.plans.items():
            n = len(plan.arranged)
            self.stats.sorts[sort.smt()] = {
                "treatment": "polite" if plan.full else "shared-only",
                "classification": plan.classification.reason,
                "arranged": n, "shared": plan.shared, "witness_pairs": len(plan.pairs),
                "interface_pairs": comb(n, 2), "gaps": plan.gaps}
        return self.stats



def combination_totals(per_check: list[dict[str, Any]]) -> dict[str, Any]:
    """The combination counters of many checks, summed (for `verify --stats`)."""
    seen = [c for c in per_check if c]
    if not seen:
        return {}
    arranged: dict[str, int] = {}
    for c in seen:
        for sort, s in c["sorts"].items():
            arranged[sort] = arranged.get(sort, 0) + s["arranged"]
    return {"combination": seen[0]["strategy"],
            "combination_arranged": ", ".join(f"{k}:{v}" for k, v in arranged.items()) or "0",
            "combination_interface_literals": sum(c["interface_literals"] for c in seen),
            "combination_arrangements_tried": sum(c["arrangements_tried"] for c in seen),
            "combination_s": sum(c["time_s"] for c in seen)}
