"""Quantifiers in the input, as far as they can be decided soundly around the QF core.

vecverify's own VCs quantify over vector positions (`forall k. 0 <= k < |v| ==> P(v[k])`
assumed, its negation to refute), so the procedure takes quantifiers of these shapes:

- An existential at positive polarity (a universal at negative polarity) is *skolemized*: its
  binders become fresh constants.  Equisatisfiable.
- A universal at positive polarity (an existential at negative polarity) is replaced by a
  fresh Boolean *proxy*; the formula is monotone in that position, so a model that makes the
  proxy false satisfies the original too, and one that makes it true must satisfy the
  quantifier.  Instances `proxy -> body[k := t]` are consequences of the input, so adding them
  preserves refutation soundness.  They are added for the integer index terms the problem
  reads sequences at (a bounded E-matching: terms born from instances are not used again,
  which prevents matching loops), and on a candidate model where the quantifier fails, for the
  failing point (model-based instantiation).
- Anything else (a quantifier under `=`/`ite` conditions, binders that are not Int or Bool)
  is `unsupported: forall`/`exists`.

Whatever is answered `sat` is still evaluated, quantifiers included, on the final model by the
reference evaluator, which enumerates their bounded domains.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from vecverify.terms.evaluate import Evaluator, NotEvaluable
from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import BOOL, INT
from vecverify.terms.walkers import has_quantifier, postorder, substitute
from vecverify.values import Value

from .abstraction import Unsupported


@dataclass
class Universal:
    """`proxy -> forall binders. body` (sign +1), or `not proxy -> forall binders. not body`
    (sign -1: an existential at negative polarity)."""

    proxy: Term
    binders: tuple[Term, ...]
    body: Term
    sign: int
    used: set[tuple[Term, ...]] = field(default_factory=set)

    def instance(self, tm: TermManager, values: tuple[Term, ...]) -> Term:
        inst = substitute(tm, self.body, dict(zip(self.binders, values)))
        if self.sign > 0:
            return tm.implies(self.proxy, inst)
        return tm.implies(tm.not_(self.proxy), tm.not_(inst))


class Quantifiers:
    """Removes quantifiers from formulas (skolems, proxies) and instantiates the proxies."""

    def __init__(self, tm: TermManager, known: set[Term]) -> None:
        self.tm = tm
        self.known = known                          # the solver's registered terms
        self.universals: list[Universal] = []
        self.instance_terms: set[Term] = set()     # subterms born from instances

    # -- preprocessing -------------------------------------------------------------------
    def eliminate(self, t: Term) -> Term:
        """`t` without quantifiers, at positive polarity."""
        if not has_quantifier(t):
            return t
        return self._walk(t, +1)

    def _walk(self, t: Term, pol: int) -> Term:
        tm, op = self.tm, t.op
        if not has_quantifier(t):
            return t
        if op is Op.NOT:
            return tm.not_(self._walk(t.args[0], -pol))
        if op is Op.AND:
            return tm.and_(*(self._walk(a, pol) for a in t.args))
        if op is Op.OR:
            return tm.or_(*(self._walk(a, pol) for a in t.args))
        if op is Op.IMPLIES:
            return tm.implies(self._walk(t.args[0], -pol), self._walk(t.args[1], pol))
        if op in (Op.FORALL, Op.EXISTS):
            binders, body = t.args[:-1], t.args[-1]
            for b in binders:
                if b.sort not in (INT, BOOL):
                    raise Unsupported("forall" if op is Op.FORALL else "exists")
            universal = (op is Op.FORALL) == (pol > 0)
            if not universal:
                skolems = {b: tm.fresh_var("@sk", b.sort) for b in binders}
                return self._walk(substitute(tm, body, skolems), pol)
            proxy = tm.fresh_var("@q", BOOL)
            self.universals.append(Universal(proxy, tuple(binders), body, pol))
            return proxy
        raise Unsupported("forall" if any(x.op is Op.FORALL for x in postorder(t))
                          else "exists")

    # -- instantiation -------------------------------------------------------------------
    def ematch(self, index_terms: list[Term]) -> list[Term]:
        """Instances of every one-binder Int universal at the given index terms that did not
        come from instances themselves."""
        out = []
        candidates = [j for j in index_terms if j not in self.instance_terms]
        for u in self.universals:
            if len(u.binders) != 1 or u.binders[0].sort != INT:
                continue
            for j in candidates:
                if (j,) not in u.used and not _mentions_bound(j):
                    u.used.add((j,))
                    out.append(self._born(u.instance(self.tm, (j,))))
        return out

    def model_based(self, ev: Evaluator, model_ints: dict[int, Term],
                    proxy_values: dict[Term, Value],
                    deadline: float = float("inf")) -> tuple[list[Term], list[str]]:
        """Instances at points where an active universal fails on the candidate model, and
        the universals that fail where no point could be found."""
        tm = self.tm
        out: list[Term] = []
        stuck: list[str] = []
        for u in self.universals:
            active = proxy_values.get(u.proxy)
            if active is None or bool(active) != (u.sign > 0):
                continue
            closed = tm.forall(u.binders, u.body if u.sign > 0 else tm.not_(u.body))
            try:
                if ev.value(closed) is True:
                    continue
            except NotEvaluable:
                pass
            point = self._failing_point(ev, u, model_ints, deadline)
            if point is None:
                stuck.append(f"quantifier {closed}")
                continue
            args = tuple(model_ints.get(v) or (tm.int(v) if b.sort == INT else tm.bool(v))
                         for b, v in zip(u.binders, point))
            if args in u.used:
                stuck.append(f"quantifier {closed}")
                continue
            u.used.add(args)
            out.append(self._born(u.instance(tm, args)))
        return out, stuck

    def _failing_point(self, ev: Evaluator, u: Universal, model_ints: dict[int, Term],
                       deadline: float) -> tuple | None:
        import itertools
        import time
        tm = self.tm
        longest = max((len(v) for v in ev.model.values() if isinstance(v, tuple)), default=0)
        ints = sorted(set(model_ints) | set(range(-1, longest + 2)))
        domains = [ints if b.sort == INT else [False, True] for b in u.binders]
        body = u.body if u.sign > 0 else tm.not_(u.body)
        for point in itertools.islice(itertools.product(*domains), 20000):
            if time.monotonic() > deadline:
                return None
            inst = substitute(tm, body, {b: tm.int(v) if b.sort == INT else tm.bool(v)
                                         for b, v in zip(u.binders, point)})
            try:
                if ev.value(inst) is False:
                    return point
            except NotEvaluable:
                continue
        return None

    def _born(self, lemma: Term) -> Term:
        for x in postorder(lemma):
            if x not in self.known:
                self.instance_terms.add(x)
        return lemma


def _mentions_bound(t: Term) -> bool:
    return any(x.op is Op.BVAR for x in postorder(t))
