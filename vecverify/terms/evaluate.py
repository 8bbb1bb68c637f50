"""Evaluates terms on concrete values with the exact semantics of cvc5's sequence theory.

Used to check every counterexample before it is shown.  Out-of-bounds `seq.nth` and division by
zero are whatever the solver's model says for that application (its `probes`); quantifiers are
evaluated by enumeration over a finite domain (bounded integer ranges read off the guard, Bool,
the model's universe of an uninterpreted sort).  Anything else raises `NotEvaluable`, which the
caller reports as an unvalidated (unknown) result, never as a counterexample.
"""
from __future__ import annotations

import sys
from typing import Mapping

from vecverify.errors import VecverifyError
from vecverify.values import UValue, Value

from .manager import Term
from .ops import Op
from .sorts import BOOL, INT, UninterpretedSort

MAX_DOMAIN = 20000


class NotEvaluable(VecverifyError):
    """The term's value is not determined by the model we have."""


class Evaluator:
    def __init__(self, model: Mapping[str, Value], probes: Mapping[Term, Value] | None = None,
                 domains: Mapping[str, list[Value]] | None = None) -> None:
        self.model = dict(model)
        self.probes = dict(probes or {})
        self.domains = dict(domains or {})
        self.closed_memo: dict[Term, Value] = {}
        self.open_terms: set[Term] = set()

    def define(self, name: str, value: Value) -> None:
        self.model[name] = value

    def value(self, term: Term) -> Value:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            return self._eval(term, {})
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
            return self.model[t.name]
        if op is Op.BVAR:
            return env[t]
        if op in (Op.BOOL_CONST, Op.INT_CONST):
            return t.payload  # type: ignore[return-value]
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
            return self._probe(t, env, "out-of-bounds seq.nth")
        if op is Op.SEQ_UPDATE:
            s, i, u = ev(a[0], env), ev(a[1], env), ev(a[2], env)
            n = len(s)  # type: ignore[arg-type]
            if not 0 <= i < n:  # type: ignore[operator]
                return s
            m = min(len(u), n - i)  # type: ignore[arg-type, operator]
            return s[:i] + u[:m] + s[i + m:]  # type: ignore[index, operator]
        if op is Op.SEQ_EXTRACT:
            s, i, j = ev(a[0], env), ev(a[1], env), ev(a[2], env)
            if not (0 <= i < len(s)) or j <= 0:  # type: ignore[operator, arg-type]
                return ()
            return s[i:i + j]  # type: ignore[index, operator]
        raise NotEvaluable(f"cannot evaluate {op.name}")

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

    def _probe(self, t: Term, env: dict[Term, Value], what: str) -> Value:
        if t in self.probes:          # probes are closed terms, so env does not matter
            return self.probes[t]
        raise NotEvaluable(f"{what} whose value the model does not fix")

    # -- quantifiers ---------------------------------------------------------------------
    def _quantifier(self, t: Term, env: dict[Term, Value]) -> Value:
        binders, body = list(t.args[:-1]), t.args[-1]
        want_all = t.op is Op.FORALL

        def rec(k: int, cur: dict[Term, Value]) -> bool:
            if k == len(binders):
                return bool(self._eval(body, cur))
            for val in self._domain(binders[k], body, want_all, cur, set(binders[k + 1:])):
                nxt = dict(cur)
                nxt[binders[k]] = val
                if rec(k + 1, nxt) != want_all:
                    return not want_all
            return want_all

        return rec(0, dict(env))

    def _domain(self, b: Term, body: Term, universal: bool, env: dict[Term, Value],
                later: set[Term]) -> list[Value]:
        if b.sort == BOOL:
            return [False, True]
        if isinstance(b.sort, UninterpretedSort):
            dom = self.domains.get(b.sort.name)
            if dom is None:
                raise NotEvaluable(f"no finite universe for sort {b.sort.name}")
            return dom
        if b.sort != INT:
            raise NotEvaluable(f"quantifier over {b.sort.smt()}")
        lo, hi = self._bounds(b, body, universal, env, later)
        if lo is None or hi is None:
            raise NotEvaluable(f"quantified {b.name.split('!')[0]} has no finite range")
        if hi - lo > MAX_DOMAIN:
            raise NotEvaluable("quantifier range too large to check")
        return list(range(lo, hi + 1))

    def _bounds(self, b: Term, body: Term, universal: bool, env: dict[Term, Value],
                later: set[Term]) -> tuple[int | None, int | None]:
        """Bounds lo <= b <= hi such that outside them the body is trivially true (forall)
        or false (exists), read off the guard `lo <= b && b < hi ==> ...` / `... && ...`."""
        guards: list[Term] = []
        if universal and body.op is Op.IMPLIES:
            guards = _conjuncts(body.args[0])
        elif universal and body.op is Op.OR:
            guards = [x.args[0] for x in body.args if x.op is Op.NOT]
        elif not universal:
            guards = _conjuncts(body)
        lo: int | None = None
        hi: int | None = None
        for g in guards:
            if g.op not in (Op.LE, Op.LT):
                continue
            x, y = g.args
            strict = 1 if g.op is Op.LT else 0
            try:
                if y is b and not _mentions(x, later | {b}):
                    c = int(self._eval(x, env)) + strict  # type: ignore[arg-type]
                    lo = c if lo is None else max(lo, c)
                elif x is b and not _mentions(y, later | {b}):
                    c = int(self._eval(y, env)) - strict  # type: ignore[arg-type]
                    hi = c if hi is None else min(hi, c)
            except NotEvaluable:
                continue
        return lo, hi


def _conjuncts(t: Term) -> list[Term]:
    return list(t.args) if t.op is Op.AND else [t]


def _mentions(t: Term, vars: set[Term]) -> bool:
    from .walkers import postorder
    return any(x in vars for x in postorder(t))


def uvalue(sort: str, name: str) -> UValue:
    return UValue(sort, name)
