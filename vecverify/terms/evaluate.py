"""Evaluates terms on concrete values with the exact semantics of cvc5's sequence theory.

Used to check every counterexample before it is shown.  Out-of-bounds `seq.nth` and division by
zero are whatever the solver's model says for that application (its `probes`).  An out-of-bounds
read at a point no probe fixes (e.g. under a quantifier) is unconstrained by the theory, so the
evaluator may interpret it by any value consistent with the probes: it uses one fresh value per
(sequence value, index) point (large positive or, with `fresh_sign=-1`, large negative
integers); if the formula then holds, the extended model is a genuine model of it, and if not,
the counterexample is simply not confirmed.  Arrays are `ArrayValue`s; array equality is
extensional, which normalized `ArrayValue`s give by `==`, except over an uninterpreted index
sort, whose model universe is finite: arrays over one are kept in their normal form on that
universe (`ArrayValue.on_universe`), the structure in which quantifiers are enumerated too.
Quantifiers are evaluated by enumeration over a finite domain (bounded integer ranges read off
the guard, the keys of the arrays an integer binder only indexes plus one other point, Bool,
the model's universe of an uninterpreted sort).  Anything else raises `NotEvaluable`, which the
caller reports as an unvalidated (unknown) result, never as a counterexample.
"""
from __future__ import annotations

import itertools
import sys
from typing import Mapping

from vecverify.errors import VecverifyError
from vecverify.values import ArrayValue, OpenRead, OutsideSort, UValue, Value

from .manager import Term
from .ops import Op
from .walkers import conjuncts, postorder
from .sorts import BOOL, INT, ArraySort, SeqSort, Sort, UninterpretedSort

MAX_DOMAIN = 20000


class NotEvaluable(VecverifyError):
    """The term's value is not determined by the model we have."""


class Evaluator:
    def __init__(self, model: Mapping[str, Value], probes: Mapping[Term, Value] | None = None,
                 domains: Mapping[str, list[Value]] | None = None, fresh_sign: int = 1) -> None:
        self.model = dict(model)
        self.probes = dict(probes or {})
        self.domains = dict(domains or {})
        self.closed_memo: dict[Term, Value] = {}
        # (element sort, seq, index) -> value: the empty (Seq Int) and the empty (Seq E) are
        # equal Python values, their reads are not
        self.oob: dict[tuple[object, object, object], Value] | None = None
        self.oob_used: list[tuple[object, object]] = []   # out-of-bounds points read, in order
        # unprobed out-of-bounds reads of Int: distinct values far above (or below) the model's
        self.fresh_ints = (fresh_sign * v for v in itertools.count(10**9 + 7))
        self._finite_index: dict[Sort, bool] = {}

    def define(self, name: str, value: Value) -> None:
        self.model[name] = value

    def value(self, term: Term) -> Value:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            return self._eval(term, {})
        except OutsideSort as exc:        # an `Unnamed` element met an operator
            raise NotEvaluable(str(exc)) from None
        finally:
            sys.setrecursionlimit(limit)

    # -- core ----------------------------------------------------------------------------
    def _eval(self, t: Term, env: dict[Term, Value]) -> Value:
        if not env:
            cached = self.closed_memo.get(t)
            if cached is not None:
                return cached
        v = self._compute(t, env)
        if not env:
            self.closed_memo[t] = v
        return v

    def _compute(self, t: Term, env: dict[Term, Value]) -> Value:
        op, a = t.op, t.args
        ev = self._eval
        if op is Op.VAR:
            if t.name not in self.model:
                raise NotEvaluable(f"no model value for {t.name}")
            return self._normal(t.sort, self._settle(t.sort, self.model[t.name]))
        if op is Op.BVAR:
            return env[t]
        if op in (Op.BOOL_CONST, Op.INT_CONST):
            return t.payload  # type: ignore[return-value]
        if op is Op.BV_CONST:
            return t.payload[0]  # type: ignore[index]
        if op is Op.BV:
            return bv_apply(str(t.payload), a[0].sort.width,  # type: ignore[attr-defined]
                            [int(ev(x, env)) for x in a])  # type: ignore[arg-type]
        if op is Op.SEQ_EMPTY:
            return ()
        if op is Op.NOT:
            return not ev(a[0], env)
        if op is Op.AND:
            return all(ev(x, env) for x in a)
        if op is Op.OR:
            return any(ev(x, env) for x in a)
        if op is Op.IMPLIES:
            return (not ev(a[0], env)) or bool(ev(a[1], env))
        if op in (Op.IFF, Op.EQ):
            return ev(a[0], env) == ev(a[1], env)
        if op is Op.ITE:
            return ev(a[1], env) if ev(a[0], env) else ev(a[2], env)
        if op in (Op.FORALL, Op.EXISTS):
            return self._quantifier(t, env)
        if op in (Op.LE, Op.LT, Op.ADD, Op.SUB, Op.MUL, Op.NEG, Op.DIV, Op.MOD):
            return self._arith(t, [int(ev(x, env)) for x in a])  # type: ignore[arg-type]
        if op is Op.SEQ_UNIT:
            return (ev(a[0], env),)
        if op is Op.SEQ_CONCAT:
            out: tuple = ()
            for x in a:
                out += ev(x, env)  # type: ignore[operator]
            return out
        if op is Op.SEQ_LEN:
            return len(ev(a[0], env))  # type: ignore[arg-type]
        if op is Op.SEQ_NTH:
            s, i = ev(a[0], env), ev(a[1], env)
            if 0 <= i < len(s):  # type: ignore[operator, arg-type]
                return s[i]  # type: ignore[index]
            if (s, i) not in self.oob_used:
                self.oob_used.append((s, i))
            if t in self.probes:
                return self._normal(t.sort, self._settle(t.sort, self.probes[t]))
            return self._oob_point(t, s, i)
        if op is Op.SEQ_UPDATE:
            return update_value(ev(a[0], env), ev(a[1], env), ev(a[2], env))  # type: ignore
        if op is Op.SEQ_EXTRACT:
            return extract_value(ev(a[0], env), ev(a[1], env), ev(a[2], env))  # type: ignore
        if op is Op.APPLY:      # an uninterpreted function: what the model says (probes)
            return self._apply(t, [ev(x, env) for x in a])
        if op is Op.SELECT:
            return ev(a[0], env).select(ev(a[1], env))  # type: ignore[union-attr]
        if op is Op.STORE:
            arr = ev(a[0], env).store(ev(a[1], env), ev(a[2], env))  # type: ignore[union-attr]
            return self._normal(t.sort, arr)
        if op is Op.CONST_ARRAY:
            return ArrayValue(ev(a[0], env))        # normal on any universe
        raise NotEvaluable(f"cannot evaluate {op.name}")

    # -- arrays over finite universes ----------------------------------------------------
    def _normal(self, sort: Sort, v: Value) -> Value:
        """`v` with every array over an uninterpreted index sort whose model universe is known
        in its normal form on that universe, so `==` is extensional equality in the model."""
        if not self._has_finite_index(sort):
            return v
        if isinstance(sort, SeqSort):
            return tuple(self._normal(sort.elem, x) for x in v)  # type: ignore[union-attr]
        assert isinstance(sort, ArraySort) and isinstance(v, ArrayValue)
        out = ArrayValue(self._normal(sort.elem, v.default),
                         tuple((self._normal(sort.index, k), self._normal(sort.elem, x))
                               for k, x in v.entries))
        universe = self._universe(sort.index)
        return out.on_universe(universe) if universe is not None else out

    def _universe(self, sort: Sort) -> list[Value] | None:
        if isinstance(sort, UninterpretedSort) and self.domains.get(sort.name):
            return list(self.domains[sort.name])
        return None

    def _has_finite_index(self, sort: Sort) -> bool:
        found = self._finite_index.get(sort)
        if found is None:
            if isinstance(sort, SeqSort):
                found = self._has_finite_index(sort.elem)
            elif isinstance(sort, ArraySort):
                found = (self._universe(sort.index) is not None
                         or self._has_finite_index(sort.index)
                         or self._has_finite_index(sort.elem))
            else:
                found = False
            self._finite_index[sort] = found
        return found

    def _arith(self, t: Term, v: list[int]) -> Value:
        op = t.op
        if op is Op.LE:
            return v[0] <= v[1]
        if op is Op.LT:
            return v[0] < v[1]
        if op is Op.ADD:
            return sum(v)
        if op is Op.SUB:
            return v[0] - sum(v[1:]) if len(v) > 1 else -v[0]
        if op is Op.NEG:
            return -v[0]
        if op is Op.MUL:
            out = 1
            for x in v:
                out *= x
            return out
        a, b = v
        if b == 0:
            return self._probe(t, {}, "division by zero")
        q = a // abs(b) * (1 if b > 0 else -1)     # Euclidean: a = b*q + r, 0 <= r < |b|
        if op is Op.DIV:
            return q
        return a - b * q

    def _apply(self, t: Term, args: list[Value]) -> Value:
        """The function's value at `args`: the probe of an application at the same point, or
        else (a point the model does not fix) the value of the first probed point."""
        if t in self.probes:
            return self._settle(t.sort, self.probes[t])
        default = None
        for p, v in self.probes.items():
            if p.op is Op.APPLY and p.payload == t.payload:
                try:
                    if [self._eval(x, {}) for x in p.args] == args:
                        return self._settle(t.sort, v)
                except NotEvaluable:
                    continue
                default = v if default is None else default
        if default is None:
            raise NotEvaluable("an uninterpreted function application whose value the model "
                               "does not fix")
        return self._settle(t.sort, default)

    def _probe(self, t: Term, env: dict[Term, Value], what: str) -> Value:
        if t in self.probes:          # probes are closed terms, so env does not matter
            return self._settle(t.sort, self.probes[t])
        raise NotEvaluable(f"{what} whose value the model does not fix")

    def _settle(self, sort: Sort, v: Value) -> Value:
        """`v` with open out-of-bounds reads (`OpenRead`) replaced by their table values."""
        if isinstance(v, OpenRead):
            seq_sort = SeqSort(sort)
            s = self._settle(seq_sort, v.seq)  # type: ignore[arg-type]
            i = self._settle(INT, v.index)  # type: ignore[arg-type]
            if not isinstance(s, tuple) or not isinstance(i, int):
                raise NotEvaluable("an open model value of an unexpected shape")
            if 0 <= i < len(s):
                return s[i]  # type: ignore[no-any-return]
            if (s, i) not in self.oob_used:
                self.oob_used.append((s, i))
            return self._oob_point_of(sort, s, i)
        if isinstance(v, tuple) and isinstance(sort, SeqSort):
            return tuple(self._settle(sort.elem, x) for x in v)
        return v

    def _oob_point(self, t: Term, s: Value, i: Value) -> Value:
        return self._oob_point_of(t.sort, s, i)

    def _oob_point_of(self, sort: Sort, s: Value, i: Value) -> Value:
        """The value of an unprobed out-of-bounds read, consistent with every probed point."""
        if self.oob is None:
            self.oob = {}
            for p, v in self.probes.items():
                if p.op is Op.SEQ_NTH:
                    try:
                        self.oob[(p.sort, self._eval(p.args[0], {}),
                                  self._eval(p.args[1], {}))] = \
                            self._normal(p.sort, self._settle(p.sort, v))
                    except NotEvaluable:
                        continue
        key = (sort, s, i)
        if key not in self.oob:
            self.oob[key] = self._fresh(sort)
        return self.oob[key]

    def _fresh(self, sort: object) -> Value:
        if sort == INT:
            return next(self.fresh_ints)
        if sort == BOOL:
            return False
        if isinstance(sort, UninterpretedSort) and self.domains.get(sort.name):
            return self.domains[sort.name][0]
        if isinstance(sort, SeqSort):
            return ()
        if isinstance(sort, ArraySort):
            return ArrayValue(self._fresh(sort.elem))
        raise NotEvaluable(f"out-of-bounds read of sort {getattr(sort, 'smt', str)()}")

    # -- quantifiers ---------------------------------------------------------------------
    def _quantifier(self, t: Term, env: dict[Term, Value]) -> Value:
        """Enumerate the binders over finite domains outside which the body is trivial."""
        binders, body = list(t.args[:-1]), t.args[-1]
        want_all = t.op is Op.FORALL
        outer: list[Term] = []          # forall x :: G(x) ==> forall y :: B  ==  forall x, y ::
        while True:                     #   G(x) ==> B   (G does not mention y)
            if body.op is t.op:
                binders += list(body.args[:-1])
                body = body.args[-1]
            elif want_all and body.op is Op.IMPLIES and body.args[1].op is Op.FORALL:
                outer += conjuncts(body.args[0])
                body = body.args[1]
            else:
                break
        domains = self._domains(binders, body, want_all, env, outer)

        def rec(k: int, cur: dict[Term, Value]) -> bool:
            if k == len(binders):
                if not all(self._eval(g, cur) for g in outer):
                    return True                     # only in the forall case
                return bool(self._eval(body, cur))
            dom = domains[k]
            if dom is None:
                dom = self._domains(binders[k:], body, want_all, cur, outer, lazy=False)[0]
            for val in dom:
                nxt = dict(cur)
                nxt[binders[k]] = val
                if rec(k + 1, nxt) != want_all:
                    return not want_all
            return want_all

        return rec(0, dict(env))

    def _domains(self, binders: list[Term], body: Term, universal: bool,
                 env: dict[Term, Value], outer: list[Term], lazy: bool = True
                 ) -> list[list[Value] | None]:
        """Finite domains per binder; with `lazy`, None for a binder whose range depends on
        an earlier binder (`m < len(g[k])`), to be computed once that one is bound."""
        ints = [b for b in binders if b.sort == INT]
        bounds = self._int_bounds(ints, body, universal, env, outer) if ints else {}
        out: list[list[Value] | None] = []
        size = 1
        for k, b in enumerate(binders):
            if lazy and k > 0 and b.sort == INT and None in bounds[b]:
                out.append(None)
                continue
            if b.sort == BOOL:
                dom: list[Value] = [False, True]
            elif isinstance(b.sort, UninterpretedSort):
                if b.sort.name not in self.domains:
                    raise NotEvaluable(f"no finite universe for sort {b.sort.name}")
                dom = list(self.domains[b.sort.name])
            elif b.sort == INT:
                lo, hi = bounds[b]
                if lo is None or hi is None or hi - lo + 1 > MAX_DOMAIN:
                    keyed = self._key_domain(b, binders, body, universal, env, outer)
                    if keyed is None and (lo is None or hi is None):
                        raise NotEvaluable(
                            f"quantified {b.name.split('!')[0]} has no finite range")
                    if keyed is None:               # before building it (e.g. 0..2^160)
                        raise NotEvaluable("quantifier range too large to check")
                    dom = keyed
                else:
                    dom = list(range(lo, hi + 1)) if hi >= lo else []
            else:
                raise NotEvaluable(f"quantifier over {b.sort.smt()}")
            size *= max(1, len(dom))
            if size > MAX_DOMAIN:
                raise NotEvaluable("quantifier range too large to check")
            out.append(dom)
        return out

    def _int_bounds(self, ints: list[Term], body: Term, universal: bool,
                    env: dict[Term, Value], outer: list[Term]
                    ) -> dict[Term, tuple[int | None, int | None]]:
        """Bounds lo <= b <= hi per binder such that outside them the body is trivially true
        (forall) or false (exists): read off the guard `lo <= b && b + c < hi ==> ...`, with
        relations between binders (`p < q && q <= n`) propagated."""
        guards = list(outer) + _guards(body, universal)
        lo: dict[Term, int | None] = {b: None for b in ints}
        hi: dict[Term, int | None] = {b: None for b in ints}
        rel: list[tuple[Term, Term, int]] = []      # (x, y, c): x + c <= y between binders
        binder_set = set(ints)
        for g in guards:
            if g.op not in (Op.LE, Op.LT):
                continue
            strict = 1 if g.op is Op.LT else 0
            left, right = _linear(g.args[0], binder_set), _linear(g.args[1], binder_set)
            if left is None or right is None:
                continue
            # lb + loff (+ strict) <= rb + roff, where a missing binder or offset is 0
            (lb, loff), (rb, roff) = left, right
            try:
                if lb is not None and rb is not None:
                    rel.append((lb, rb, self._int(loff, env) + strict - self._int(roff, env)))
                elif lb is not None:      # lb <= right - loff - strict
                    c = self._int(roff, env) - self._int(loff, env) - strict
                    hi[lb] = c if hi[lb] is None else min(hi[lb], c)  # type: ignore[type-var]
                elif rb is not None:      # rb >= left - roff + strict
                    c = self._int(loff, env) - self._int(roff, env) + strict
                    lo[rb] = c if lo[rb] is None else max(lo[rb], c)  # type: ignore[type-var]
            except NotEvaluable:
                continue
        for _ in range(len(ints) + 1):
            for x, y, c in rel:                    # x + c <= y
                if hi[y] is not None:
                    v = hi[y] - c  # type: ignore[operator]
                    hi[x] = v if hi[x] is None else min(hi[x], v)  # type: ignore[type-var]
                if lo[x] is not None:
                    v = lo[x] + c  # type: ignore[operator]
                    lo[y] = v if lo[y] is None else max(lo[y], v)  # type: ignore[type-var]
        return {b: (lo[b], hi[b]) for b in ints}

    def _key_domain(self, b: Term, binders: list[Term], body: Term, universal: bool,
                    env: dict[Term, Value], outer: list[Term]) -> list[Value] | None:
        """The values of the Int binder `b` that matter when the body uses it only as an array
        index `m[b]` (m free of bound variables other than outer ones) and in guards
        `lo <= b`, `b + c < hi` on `b` alone (e.g. `forall key :: m[key] <= MAX`): the arrays'
        keys within [lo, hi] and one more point of [lo, hi].  At every other point of [lo, hi]
        each guard holds and each read gives its array's default, so the body has the value
        it has at that one point; outside [lo, hi] a guard fails and the body is trivial.
        None when `b` is used in any other way (including in guards not of that form)."""
        bset = set(binders)
        lo: int | None = None
        hi: int | None = None
        guard_atoms: set[Term] = set()
        for g in list(outer) + _guards(body, universal):
            if g.op not in (Op.LE, Op.LT) or not _mentions(g, {b}):
                continue
            left, right = _linear(g.args[0], bset), _linear(g.args[1], bset)
            if left is None or right is None:
                continue                           # no bound (e.g. `m[b] <= c`)
            (lb, loff), (rb, roff) = left, right
            if {lb, rb} != {b, None} or not _closed_in(g, env, b):
                continue                           # a relation between binders, or open
            strict = 1 if g.op is Op.LT else 0
            if lb is b:                            # b <= right - loff - strict
                c = self._int(roff, env) - self._int(loff, env) - strict
                hi = c if hi is None else min(hi, c)
            else:                                  # b >= left - roff + strict
                c = self._int(loff, env) - self._int(roff, env) + strict
                lo = c if lo is None else max(lo, c)
            guard_atoms.add(g)
        parents: dict[Term, list[Term]] = {}
        seen: set[Term] = set()
        for root in (*outer, body):
            for t in postorder(root):
                if t in seen:
                    continue
                seen.add(t)
                for a in set(t.args):
                    parents.setdefault(a, []).append(t)
        arrays: list[Term] = []
        for p in parents.get(b, []):
            if p in guard_atoms or (p.op is Op.ADD and all(q in guard_atoms
                                                           for q in parents.get(p, []))):
                continue
            if p.op is Op.SELECT and p.args[1] is b and _closed_in(p.args[0], env):
                arrays.append(p.args[0])
                continue
            return None
        keys: set[Value] = set()
        for a in arrays:
            keys.update(self._eval(a, env).keys())  # type: ignore[union-attr]
        ints = sorted(int(k) for k in keys)  # type: ignore[call-overload]
        dom: list[Value] = [k for k in ints if (lo is None or k >= lo) and (hi is None or k <= hi)]
        start = lo if lo is not None else (hi if hi is not None else 0)
        step = 1 if lo is not None or hi is None else -1
        for n in range(len(keys) + 1):             # a point of [lo, hi] that is no key
            z = start + step * n
            if (lo is not None and z < lo) or (hi is not None and z > hi):
                break
            if z not in keys:
                dom.append(z)
                break
        return dom

    def _int(self, t: Term | None, env: dict[Term, Value]) -> int:
        return 0 if t is None else int(self._eval(t, env))  # type: ignore[arg-type]


def update_value(s: tuple, i: int, u: tuple) -> tuple:
    """`seq.update`: out of bounds the identity; `u` is cut off at the end of `s`."""
    if not 0 <= i < len(s):
        return s
    m = min(len(u), len(s) - i)
    return s[:i] + u[:m] + s[i + m:]


def extract_value(s: tuple, i: int, j: int) -> tuple:
    """`seq.extract`: empty unless 0 <= i < |s| and j > 0."""
    if not 0 <= i < len(s) or j <= 0:
        return ()
    return s[i:i + j]


def bv_apply(name: str, width: int, v: list[int]) -> Value:
    """SMT-LIB's bit-vector operators on unsigned values (udiv by 0 is all ones, urem by 0
    the dividend, as the standard fixes them)."""
    mask = (1 << width) - 1

    def signed(x: int) -> int:
        return x - (1 << width) if x >> (width - 1) else x

    if name == "bvnot":
        return ~v[0] & mask
    if name == "bvneg":
        return -v[0] & mask
    a, b = v
    table = {
        "bvadd": lambda: (a + b) & mask, "bvsub": lambda: (a - b) & mask,
        "bvmul": lambda: (a * b) & mask, "bvand": lambda: a & b, "bvor": lambda: a | b,
        "bvxor": lambda: a ^ b, "bvudiv": lambda: a // b if b else mask,
        "bvurem": lambda: a % b if b else a, "bvshl": lambda: (a << b) & mask if b < width else 0,
        "bvlshr": lambda: a >> b if b < width else 0,
        "bvult": lambda: a < b, "bvule": lambda: a <= b, "bvugt": lambda: a > b,
        "bvuge": lambda: a >= b, "bvslt": lambda: signed(a) < signed(b),
        "bvsle": lambda: signed(a) <= signed(b), "bvsgt": lambda: signed(a) > signed(b),
        "bvsge": lambda: signed(a) >= signed(b),
    }
    return table[name]()


def _guards(body: Term, universal: bool) -> list[Term]:
    """Atoms that must hold for the body to matter: the antecedents of a forall's implication
    chain (or the negated disjuncts), or the conjuncts of an exists."""
    out: list[Term] = []
    if universal:
        while True:
            if body.op is Op.IMPLIES:
                out += conjuncts(body.args[0])
                body = body.args[1]
            elif body.op is Op.OR:
                out += [x.args[0] for x in body.args if x.op is Op.NOT]
                break
            else:
                break
    else:
        out = conjuncts(body)
    return out


def _linear(t: Term, binders: set[Term]) -> tuple[Term | None, Term | None] | None:
    """`t` as (binder, offset) with t = binder + offset, (None, t) if it mentions no binder,
    None if it is some other shape (the guard is then not used for bounds)."""
    if t in binders:
        return t, None
    if t.op is Op.ADD and len(t.args) == 2:
        a, b = t.args
        if a in binders and not _mentions(b, binders):
            return a, b
        if b in binders and not _mentions(a, binders):
            return b, a
    if _mentions(t, binders):
        return None
    return None, t


def _closed_in(t: Term, env: dict[Term, Value], but: Term | None = None) -> bool:
    """Whether every bound variable of `t` (other than `but`) has a value in `env`."""
    return all(x in env or x is but for x in postorder(t) if x.op is Op.BVAR)


def _mentions(t: Term, vars: set[Term]) -> bool:
    from .walkers import postorder
    return any(x in vars for x in postorder(t))


def uvalue(sort: str, name: str) -> UValue:
    return UValue(sort, name)
