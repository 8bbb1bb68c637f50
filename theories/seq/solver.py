"""The lemmas-on-demand loop: cvc5 decides the abstraction, the Python calculus refines it.

1. Asserted definitions `v = t` are substituted away (as solvers' preprocessing does), the
   quantifiers our VCs use are skolemized or replaced by instantiated proxies
   (`quantifiers.py`), and every assertion is registered (each sequence term gets its eager
   lemmas: length facts, reductions or array rules, see `rules.py`) and asserted, abstracted,
   into one incremental cvc5 solver.
   The combination layer (`vecverify.theories.combination`) purifies the input, plans each
   element sort (shared variables only, or the witness and every witnessed variable) and
   decides how unnamed positions are filled; the witness and the calculus' extensionality
   lemmas for the input's sequence atoms join before the first check (after it, when a
   pigeonhole lemma may refute the input alone).
2. cvc5 answers.  `unsat` is final: the abstraction plus valid lemmas is unsatisfiable, so is
   the input.  `unknown` (timeout) is final too.
3. On `sat` the configuration is read off the model (`model.py`), every application of a
   sequence operator is checked against the concrete values, and the rules that repair what
   disagrees add their lemmas; then back to 2.
4. When nothing disagrees, the concrete model is evaluated against the original assertions
   (`vecverify.terms.evaluate`, the reference semantics) and only then reported as `sat`.  A
   model that fails there is an internal error reported as `unknown`, never as `sat`.

Integer reasoning is never done in Python: the loop only reads integer values and asks cvc5
through lemmas.  There is no termination guarantee (word equations); the deadline and the
iteration limit answer `unknown`.
"""
from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Iterable

from vecverify.drivers.cvc5_api import unknown_reason
from vecverify.terms.evaluate import Evaluator, NotEvaluable, extract_value, update_value
from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import SeqSort, UninterpretedSort
from vecverify.terms.walkers import conjuncts, postorder
from vecverify.values import UValue, Value

from ..combination.arrangement import DEFAULT as DEFAULT_COMBINATION
from ..combination.arrangement import Combination, Refused
from ..combination.arrangement import render as render_combination
from ..combination.purify import purify
from .abstraction import Abstraction, Unsupported
from .model import Configuration, len_key
from .quantifiers import Quantifiers
from .rules import Rules, cardinality, element_cardinality

CALCULI = ("base", "ext")


@dataclass
class Stats:
    """What one check-sat cost: refinement iterations, lemmas by rule, time on each side."""

    iterations: int = 0
    lemmas: Counter = field(default_factory=Counter)
    cvc5_s: float = 0.0
    python_s: float = 0.0
    terms: int = 0
    combination: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"iterations": self.iterations, "lemmas": dict(sorted(self.lemmas.items())),
                "cvc5_s": round(self.cvc5_s, 4), "python_s": round(self.python_s, 4),
                "terms": self.terms, "combination": self.combination}

    def render(self) -> str:
        rules = ", ".join(f"{k} {v}" for k, v in sorted(self.lemmas.items())) or "none"
        return (f"iterations {self.iterations}, lemmas {sum(self.lemmas.values())} ({rules}), "
                f"sequence terms {self.terms}, time in cvc5 {self.cvc5_s:.3f}s, "
                f"in Python {self.python_s:.3f}s" +
                (f"; {render_combination(self.combination)}" if self.combination else ""))


@dataclass
class Outcome:
    status: str                                   # sat | unsat | unknown
    reason: str = ""
    model: dict[str, Value] = field(default_factory=dict)
    probes: dict[Term, Value] = field(default_factory=dict)
    domains: dict[str, list[Value]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)

    def evaluator(self) -> Evaluator:
        return Evaluator(self.model, self.probes, self.domains)


class SeqSolver:
    """Decides quantifier-free formulas over sequences with the BASE or EXT calculus."""

    def __init__(self, tm: TermManager, calculus: str = "ext", timeout_s: float = 10.0,
                 max_iterations: int = 100_000, disabled: Iterable[str] = (),
                 combination: str = DEFAULT_COMBINATION, unsound_ok: bool = False) -> None:
        """`disabled`: rule names whose lemmas are dropped (for tests that show a rule is
        needed: without it the procedure must not answer unsat).  `combination`: how the
        element theory is combined (`vecverify.theories.combination`); `unsound_ok` lets
        `no` run on finite element sorts."""
        if calculus not in CALCULI:
            raise ValueError(f"unknown calculus {calculus!r} (one of {', '.join(CALCULI)})")
        self.tm = tm
        self.ext = calculus == "ext"
        self.timeout_s = timeout_s
        self.max_iterations = max_iterations
        self.disabled = frozenset(disabled)
        self.combination = combination
        self.unsound_ok = unsound_ok

    # -- entry point ---------------------------------------------------------------------
    def check(self, assertions: list[Term], declared: Iterable[Term] = ()) -> Outcome:
        import cvc5
        self.stats = Stats()
        start = time.monotonic()
        deadline = start + self.timeout_s
        solver = cvc5.Solver()
        solver.setOption("incremental", "true")
        solver.setOption("produce-models", "true")
        if any(t.op is Op.CONST_ARRAY for a in assertions for t in postorder(a)):
            solver.setOption("arrays-exp", "true")     # cvc5 needs it for constant arrays
        solver.setLogic("ALL")
        self.solver = solver
        self.abs = Abstraction(self.tm, solver)
        self.rules = Rules(self.tm, self.ext, self.abs.rest)
        self.known: set[Term] = set()
        self.emitted: set[Term] = set()
        self.pending: deque[tuple[str, Term]] = deque()
        self.seq_terms: list[Term] = []
        self.nths: list[Term] = []
        self.updates: list[Term] = []
        self.extracts: list[Term] = []
        self.seq_eqs: list[Term] = []
        self.uf_apps: list[Term] = []
        self.quant = Quantifiers(self.tm, self.known)
        self.witnessed = False
        self.ext_atoms: list[Term] = []
        try:
            self.facts: set[Term] = set()   # asserted conjuncts: no extensionality needed
            simplified, self.definitions = eliminate_definitions(self.tm, assertions)
            qfs = [self.quant.eliminate(a) for a in simplified]
            for qf in qfs:
                self.facts |= set(conjuncts(qf))
            parts = purify(self.tm, qfs)
            for elem in parts.element_sorts:      # refuse unsupported element sorts first
                self.abs.sort(SeqSort(elem))
            self.comb = Combination(self.tm, self.combination, parts, self.facts,
                                    self.unsound_ok)
            for plan in self.comb.plans.values():
                if plan.witness is not None:      # w_E: a cvc5 constant of sort E
                    self._register(plan.witness)
                    self.abs(plan.witness)
            for qf in qfs:
                self._register(qf, from_input=True)
                solver.assertFormula(self.abs(qf))
                self.comb.note_formula(qf)
            pigeonholes = self._cardinality()
            for lemma in pigeonholes:
                self._lemma(*lemma)
            if not pigeonholes:
                # extensionality and the witness go in before the first check, which is what
                # cvc5 solves fastest; only a pigeonhole argument is tried alone first, since
                # it may refute the input without the quadratic witness
                self._witness()
            self._flush()
        except (Unsupported, Refused) as exc:
            return Outcome("unknown", str(exc), stats=self.stats)
        self.stats.python_s += time.monotonic() - start
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0.01:
                return self._unknown("timeout")
            if self.stats.iterations >= self.max_iterations:
                return self._unknown(f"iteration limit ({self.max_iterations}) reached")
            self.stats.iterations += 1
            solver.setOption("tlimit-per", str(max(1, int(remaining * 1000))))
            t0 = time.monotonic()
            result = solver.checkSat()
            t1 = time.monotonic()
            self.stats.cvc5_s += t1 - t0
            if result.isUnsat():
                return self._done(Outcome("unsat", stats=self.stats))
            if result.isUnknown():
                why = unknown_reason(result)
                return self._unknown(why if why == "timeout" else f"cvc5: {why}")
            if self._witness():       # wit(phi) before the first arrangement is checked
                self._flush()
                self.stats.python_s += time.monotonic() - t1
                continue
            try:
                conf, values = self._configuration()
                new, failures = self._refine(conf, values)
                for inst in self.quant.ematch(self._index_terms()):
                    new += self._lemma("Inst", self.quant.eliminate(inst))
                self.comb.observe(values, rejected=bool(new or failures))
                if not new and not failures:
                    candidate = self._candidate(conf, values, assertions, declared)
                    insts, stuck = self.quant.model_based(
                        candidate.evaluator(), self._ground_ints(values),
                        self._proxy_values(), deadline)
                    for inst in insts:
                        new += self._lemma("Inst-Model", self.quant.eliminate(inst))
                    failures += stuck
                if new:
                    self._flush()
                    self.stats.python_s += time.monotonic() - t1
                    continue
                if time.monotonic() > deadline:
                    return self._unknown("timeout")
                outcome = (self._final(candidate, assertions) if not failures else
                           Outcome("unknown", f"incomplete: no rule repairs {failures[0]}"))
            except Unsupported as exc:
                return self._unknown(str(exc))
            self.stats.python_s += time.monotonic() - t1
            return self._done(outcome)

    def _unknown(self, reason: str) -> Outcome:
        return self._done(Outcome("unknown", reason, stats=self.stats))

    def _done(self, outcome: Outcome) -> Outcome:
        self.stats.terms = len(self.seq_terms)
        self.stats.combination = self.comb.finish().as_dict()
        outcome.stats = self.stats
        return outcome

    # -- registration and lemmas ---------------------------------------------------------
    def _register(self, root: Term, from_input: bool = False) -> None:
        for t in postorder(root):
            if t in self.known:
                continue
            self.known.add(t)
            self._register_node(t, from_input)

    def _register_node(self, t: Term, from_input: bool) -> None:
        rules = self.rules
        if t.op is Op.APPLY:            # its model value is a probe of the final model
            self.uf_apps.append(t)
        if isinstance(t.sort, SeqSort):
            if t.op is Op.SEQ_CONCAT:
                self._register(self.abs.rest(t))
            elif t.op is Op.SEQ_UPDATE:
                self.updates.append(t)
            elif t.op is Op.SEQ_EXTRACT:
                self.extracts.append(t)
            self.abs.sort(t.sort)          # refuse unsupported element sorts early
            self.seq_terms.append(t)
            for lemma in rules.on_seq_term(t):
                self._lemma(*lemma)
        elif t.op is Op.SEQ_NTH:
            self.nths.append(t)
            for lemma in rules.on_nth(t):
                self._lemma(*lemma)
        elif t.op is Op.EQ and isinstance(t.args[0].sort, SeqSort):
            self.seq_eqs.append(t)
            if from_input and t not in self.facts and \
                    self.comb.eager_extensionality(t.args[0].sort.elem):  # type: ignore[union-attr]
                # the calculus' Deq-Ext for the input's sequence atoms, whatever the element
                # sort (the distinguishing index is what most unsat proofs need), added with
                # the witness after cvc5's first answer
                self.ext_atoms.append(t)

    def _witness(self) -> bool:
        """The calculus' extensionality for the input's sequence atoms, and wit(phi) for the
        sorts the combination arranges fully: a named distinguishing position for each pair
        the witness lists (`combination.witness`; its atoms are the same lemmas, counted
        once, as Deq-Ext).  Added once: before the first check, or, when there are pigeonhole
        lemmas, after cvc5's first answer, so that an input unsatisfiable by cardinality
        (wit only adds conjuncts) never builds the quadratic witness.  Returns whether it
        added lemmas."""
        if self.witnessed:
            return False
        self.witnessed = True
        new = False
        for t in self.ext_atoms:
            new |= self._lemma(*self.rules.deq_ext(t.args[0], t.args[1]))
        for plan in self.comb.plans.values():
            if plan.full:
                for x, y in plan.pairs:
                    _, lemma = self.rules.deq_ext(x, y)
                    self.comb.witness_reads(plan, lemma)
                    new |= self._lemma("Witness", lemma)
        return new

    def _cardinality(self) -> list[tuple[str, Term]]:
        """Pigeonhole lemmas for cliques of asserted disequalities between sequences over a
        finite element sort (found greedily; any clique gives a valid lemma)."""
        neighbours: dict[Term, set[Term]] = {}
        for f in self.facts:
            if f.op is Op.NOT and f.args[0].op is Op.EQ:
                x, y = f.args[0].args
                if isinstance(x.sort, SeqSort) and element_cardinality(x.sort.elem):
                    neighbours.setdefault(x, set()).add(y)
                    neighbours.setdefault(y, set()).add(x)
        out, used = [], set()
        for x in sorted(neighbours, key=lambda t: -len(neighbours[t])):
            if x in used:
                continue
            clique = [x]
            for y in sorted(neighbours[x], key=lambda t: t.id):
                if all(y in neighbours[c] for c in clique):
                    clique.append(y)
            if len(clique) > 2 and self.comb.cardinality_applies(x.sort.elem):  # type: ignore[union-attr]
                used |= set(clique)
                k = element_cardinality(x.sort.elem)  # type: ignore[union-attr]
                out.append(cardinality(self.tm, clique, k))  # type: ignore[arg-type]
        return out

    def _lemma(self, rule: str, lemma: Term) -> bool:
        if lemma.is_true() or lemma in self.emitted or rule in self.disabled:
            return False
        self.emitted.add(lemma)
        self.pending.append((rule, lemma))
        return True

    def _flush(self) -> None:
        while self.pending:
            rule, lemma = self.pending.popleft()
            self._register(lemma)
            self.solver.assertFormula(self.abs(lemma))
            self.comb.note_formula(lemma)
            self.stats.lemmas[rule] += 1

    # -- reading the candidate model -----------------------------------------------------
    def _configuration(self) -> tuple[Configuration, dict[Any, Value]]:
        tm = self.tm
        keys: list[Any] = []
        terms: list[Any] = []
        for t in self.seq_terms:
            keys.append(("abs", t))
            terms.append(self.abs(t))
            keys.append(len_key(t))
            terms.append(self.abs(tm.seq_len(t)))
        scalars: dict[Term, None] = {}
        for n in self.nths:
            scalars[n] = scalars[n.args[1]] = None
        for y in self.updates:
            scalars[y.args[1]] = None
        for e in self.extracts:
            scalars[e.args[1]] = scalars[e.args[2]] = None
        for t in self.seq_terms:
            if t.op is Op.SEQ_UNIT:
                scalars[t.args[0]] = None
        for app in self.uf_apps:
            scalars[app] = None
            for a in app.args:
                if not isinstance(a.sort, SeqSort):
                    scalars[a] = None
        for a in self.comb.arranged_terms():    # the arrangement is read off these values
            if a in self.known:    # abstracting a new term now would assert its definition
                scalars[a] = None  # and void the model being read
        for s in scalars:
            keys.append(s)
            terms.append(self.abs(s))
        t0 = time.monotonic()      # the first read makes cvc5 build its model: its time
        raw = self.solver.getValue(terms) if terms else []
        self.stats.cvc5_s += time.monotonic() - t0
        self.stats.python_s -= time.monotonic() - t0
        values: dict[Any, Value] = {}
        abstract: dict[Term, Any] = {}
        for key, val in zip(keys, raw):
            if isinstance(key, tuple) and key[0] == "abs":
                abstract[key[1]] = val
            elif isinstance(key, tuple):
                values[key] = int(val.getIntegerValue())
            else:
                values[key] = self._value(key, val)
        gaps = {sort: (plan.gaps, values.get(plan.witness))  # type: ignore[arg-type]
                for sort, plan in self.comb.plans.items()}
        conf = Configuration(self.seq_terms, values, abstract, self.abs.rest, self.nths,
                             self.updates, self.ext, gaps)
        return conf, values

    def _value(self, t: Term, val: Any) -> Value:
        """A model value of a non-sequence term; uninterpreted elements that the abstraction
        represents by integers come back as elements of their sort."""
        from vecverify.drivers.cvc5_api import to_value
        v = to_value(val)
        if isinstance(t.sort, UninterpretedSort) and isinstance(v, int):
            return UValue(t.sort.name, f"@{t.sort.name}_{v}" if v >= 0 else f"@{t.sort.name}_m{-v}")
        return v

    # -- the lazy rules --------------------------------------------------------------------
    def _refine(self, conf: Configuration, values: dict[Any, Value]) -> tuple[int, list[str]]:
        """Lemmas for what the candidate model gets wrong; returns (new lemmas, failures)."""
        rules, new, failures = self.rules, 0, []
        cls = conf.cls_of
        # normal forms: every usable concatenation of a class against its defining one
        for c in conf.classes.values():
            d = c.definition
            if d is None:
                continue
            for cat in c.cats:
                if cat is d or not conf.usable_cat(cat):
                    continue
                a, b = cls[cat.args[0]], cls[d.args[0]]
                if a is b and cls[self.abs.rest(cat)] is cls[self.abs.rest(d)]:
                    continue
                order = None if a.length == b.length else a.length < b.length
                new += self._lemma(*rules.unify(cat, d, order))
        # nth: in bounds it must read the class's value, out of bounds be a function of it
        oob: dict[tuple, Term] = {}
        for n in self.nths:
            s, j = n.args
            c, p, e = cls[s], values[j], values[n]
            if 0 <= p < c.length:  # type: ignore[operator]
                if p >= len(c.value) or c.value[p] != e:  # type: ignore[index, arg-type]
                    failures.append(f"nth {n}")
                    if c.unit is not None:
                        new += self._lemma(*rules.nth_unit(c.unit, j))
                    elif c.update_def is not None:
                        for u in self._definition_chain(conf, values, c, values[j]):
                            new += self._lemma(*rules.nth_update(u, j))
                    elif c.definition is not None and self.ext:   # BASE: R-Nth + L-*
                        for lemma in rules.nth_concat(c.definition, j):
                            new += self._lemma(*lemma)
                continue
            key = (s.sort, c.value, p)
            other = oob.setdefault(key, n)
            if other is not n and values[other] != e:
                failures.append(f"out-of-bounds nth {n}")
                new += self._lemma(*rules.deq_ext(s, other.args[0]))
        # updates
        for y in self.updates:
            x, i, z = y.args
            cx, cy = cls[x], cls[y]
            if cy.value == update_value(cx.value, values[i], cls[z].value):  # type: ignore
                if cx is not cy and cx.value == cy.value and rules.handled_update(y):
                    new += self._lemma(*rules.update_bound(y))
                continue
            assert cy.update_def is not y
            failures.append(f"update {y}")
            if not rules.handled_update(y):
                continue            # reduced by R-Update: the normal-form rules repair it
            d = cx.empty or cx.unit or cx.definition
            if d is not None:
                new += self._lemma(*rules.update_over(y, d))
            elif cy.definition is not None:
                new += self._lemma(*rules.update_concat_inv(y, cy.definition.args[0]))
            else:
                expect = update_value(cx.value, values[i], cls[z].value)  # type: ignore
                wrong = {q for q in range(min(len(cy.value), len(expect)))  # type: ignore
                         if cy.value[q] != expect[q]}  # type: ignore
                # the positions where the two ways of computing the class disagree are read
                # or written somewhere: read the class there through both definitions
                others = [u for u in (cy.update_def,) if u is not None]
                indices = [n.args[1] for n in cx.nths + cy.nths] + \
                    [u.args[1] for u in self.updates]
                for j in dict.fromkeys(indices):
                    if values[j] in wrong:
                        for u in [y] + others:
                            for v in self._definition_chain(conf, values, cls[u], values[j],
                                                            start=u):
                                new += self._lemma(*rules.nth_update(v, j))
        # concatenations and extracts must agree with their parts
        for c in conf.classes.values():
            for cat in c.cats:
                if c.value != conf.value(cat.args[0]) + conf.value(self.abs.rest(cat)):
                    failures.append(f"concatenation {cat}")
        for e in self.extracts:
            s, i, j = e.args
            if conf.value(e) != extract_value(conf.value(s), values[i], values[j]):  # type: ignore
                failures.append(f"extract {e}")
        # distinct classes that the model makes equal, where it matters
        for eq in self.seq_eqs:
            x, y = eq.args
            if cls[x] is not cls[y] and cls[x].value == cls[y].value:
                failures.append(f"disequality {eq}")
                new += self._lemma(*rules.deq_ext(x, y))
        apps: dict[tuple, Term] = {}
        for app in self.uf_apps:
            key = (app.payload,) + tuple(
                conf.value(a) if isinstance(a.sort, SeqSort) else values[a] for a in app.args)
            other = apps.setdefault(key, app)
            if other is not app and self._app_value(conf, values, other) != \
                    self._app_value(conf, values, app):
                failures.append(f"function {app}")
                for a, b in zip(app.args, other.args):
                    if isinstance(a.sort, SeqSort) and cls[a] is not cls[b]:
                        new += self._lemma(*rules.deq_ext(a, b))
        return new, failures

    def _definition_chain(self, conf: Configuration, values: dict[Any, Value], c: Any,
                          p: Value, start: Term | None = None) -> list[Term]:
        """The updates that compute class `c`'s value at position `p`: its defining update,
        then the one defining that update's base, ..., until one writes `p`.  Reading all of
        them at the index in one round does what one hop per round would do in many."""
        out: list[Term] = []
        u = start or c.update_def
        seen: set[int] = set()
        while u is not None and id(u) not in seen:
            seen.add(id(u))
            out.append(u)
            if values[u.args[1]] == p:
                break
            u = conf.cls_of[u.args[0]].update_def
        return out

    # -- the answer ----------------------------------------------------------------------
    def _candidate(self, conf: Configuration, values: dict[Any, Value],
                   assertions: list[Term], declared: Iterable[Term]) -> Outcome:
        """The concrete model of this configuration (not yet checked)."""
        symbols: dict[str, Term] = {}
        for t in list(declared) + [t for a in assertions for t in postorder(a)]:
            if t.op is Op.VAR:
                symbols.setdefault(t.name, t)
        for t in self.known:
            if t.op is Op.VAR:
                symbols.setdefault(t.name, t)
        model: dict[str, Value] = {}
        scalar = [(n, t) for n, t in symbols.items() if not isinstance(t.sort, SeqSort)]
        raw = self.solver.getValue([self.abs(t) for _, t in scalar]) if scalar else []
        for (name, t), val in zip(scalar, raw):
            model[name] = self._value(t, val)
        defined = {v.name for v, _ in self.definitions}
        for name, t in symbols.items():
            if isinstance(t.sort, SeqSort) and name not in defined:
                model[name] = conf.value(t) if t in conf.cls_of else ()
        probes: dict[Term, Value] = {n: values[n] for n in self.nths}
        probes.update({a: self._app_value(conf, values, a) for a in self.uf_apps})
        ev = Evaluator(model, probes)
        for v, body in self.definitions:      # eliminated symbols: the value of their body
            try:
                model[v.name] = ev.value(body)
            except NotEvaluable:
                model.pop(v.name, None)
        return Outcome("sat", model=model, probes=probes,
                       domains=self._domains(model, values, conf))

    def _final(self, candidate: Outcome, assertions: list[Term]) -> Outcome:
        """`sat` only if the candidate model satisfies every original assertion."""
        ev = candidate.evaluator()
        for a in assertions:
            try:
                ok = ev.value(a) is True
            except NotEvaluable as exc:
                return Outcome("unknown", f"model not evaluable ({exc})")
            if not ok:
                return Outcome("unknown", "internal error: the constructed model does not "
                               f"satisfy the input (assertion {a})")
        user = {n: v for n, v in candidate.model.items() if not n.startswith("@")}
        return Outcome("sat", model=user, probes=candidate.probes, domains=candidate.domains)

    @staticmethod
    def _app_value(conf: Configuration, values: dict[Any, Value], app: Term) -> Value:
        """A function application's value: concrete for a sequence, else the model's."""
        return conf.value(app) if isinstance(app.sort, SeqSort) else values[app]

    def _index_terms(self) -> list[Term]:
        return list(dict.fromkeys(n.args[1] for n in self.nths))

    def _ground_ints(self, values: dict[Any, Value]) -> dict[int, Term]:
        """A ground index term for each integer value the model gives one (instances at a
        term generalize better than at a numeral)."""
        out: dict[int, Term] = {}
        for j in self._index_terms():
            v = values.get(j)
            if isinstance(v, int) and v not in out and j not in self.quant.instance_terms:
                out[v] = j
        return out

    def _proxy_values(self) -> dict[Term, Value]:
        proxies = [u.proxy for u in self.quant.universals]
        if not proxies:
            return {}
        raw = self.solver.getValue([self.abs(p) for p in proxies])
        return {p: bool(v.getBooleanValue()) for p, v in zip(proxies, raw)}

    def _domains(self, model: dict[str, Value], values: dict[Any, Value],
                 conf: Configuration) -> dict[str, list[Value]]:
        """The universe of each uninterpreted sort: every element the model mentions."""
        out: dict[str, list[Value]] = {}

        def add(v: Value) -> None:
            if isinstance(v, UValue) and v not in out.setdefault(v.sort, []):
                out[v.sort].append(v)
            elif isinstance(v, tuple):
                for x in v:
                    add(x)

        for v in list(model.values()) + list(values.values()):
            add(v)
        for c in conf.classes.values():
            add(c.value)
        return out


def eliminate_definitions(tm: TermManager, assertions: list[Term]
                          ) -> tuple[list[Term], list[tuple[Term, Term]]]:
    """Asserted equalities `v = t` (v a symbol not in t) substituted away, as solvers do in
    preprocessing: update chains written through named intermediate sequences become the
    nested terms the syntactic rules see through.  Returns the assertions and the
    definitions, in order, each body free of the eliminated symbols."""
    from vecverify.terms.walkers import free_vars, substitute
    work = list(assertions)
    defs: list[tuple[Term, Term]] = []
    changed = True
    while changed:
        changed = False
        for n, a in enumerate(work):
            for c in conjuncts(a):
                if c.op is not Op.EQ:
                    continue
                for v, body in (c.args, c.args[::-1]):
                    if v.op is Op.VAR and not v.name.startswith("@") and \
                            v not in free_vars(body):
                        sub = {v: body}
                        work = [substitute(tm, x, sub) for x in work]
                        defs = [(w, substitute(tm, b, sub)) for w, b in defs]
                        defs.append((v, body))
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break
    return [a for a in work if not a.is_true()], defs
