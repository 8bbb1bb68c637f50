"""Hash-consed terms, built only through a `TermManager`.

`TermManager.mk(op, args, payload)` returns the existing node for a structurally equal term, so
structural equality is identity and terms can be dict keys cheaply.  Sorts are checked when a node
is created; derived operators (`>`, `>=`, `!=`, n-ary `-`) are rewritten into core ones here.
The manager is passed explicitly; there is no global one.

>>> tm = TermManager()
>>> xs = tm.var("xs", SeqSort(INT))
>>> tm.seq_len(xs).sort
IntSort()
>>> tm.add(tm.int(1), tm.int(2)) is tm.add(tm.int(1), tm.int(2))
True
"""
from __future__ import annotations

import itertools
from typing import Iterable

from vecverify.errors import InternalError

from .ops import BV_FUNCTIONS, EXPLICIT_SORT, Op
from .sorts import BOOL, INT, ArraySort, BitVecSort, SeqSort, Sort


class Term:
    """An immutable, hash-consed term node; compare with `is`, never build directly."""

    __slots__ = ("id", "op", "args", "payload", "sort")

    def __init__(self, id: int, op: Op, args: tuple["Term", ...], payload: object,
                 sort: Sort) -> None:
        self.id = id
        self.op = op
        self.args = args
        self.payload = payload
        self.sort = sort

    def __hash__(self) -> int:
        return self.id

    def __eq__(self, other: object) -> bool:
        return self is other

    def __lt__(self, other: "Term") -> bool:
        return self.id < other.id

    def __repr__(self) -> str:
        from .printer import to_smtlib
        return to_smtlib(self)

    @property
    def name(self) -> str:
        """The symbol name of a VAR/BVAR."""
        assert self.op in (Op.VAR, Op.BVAR)
        return str(self.payload)

    def is_true(self) -> bool:
        return self.op is Op.BOOL_CONST and self.payload is True

    def is_false(self) -> bool:
        return self.op is Op.BOOL_CONST and self.payload is False


class TermManager:
    """Creates and owns terms; one manager per verification run."""

    def __init__(self) -> None:
        self._table: dict[tuple[object, ...], Term] = {}
        self._ids = itertools.count()
        self._fresh = itertools.count()
        self.true = self.mk(Op.BOOL_CONST, (), True)
        self.false = self.mk(Op.BOOL_CONST, (), False)

    # -- the one constructor -------------------------------------------------------------
    def mk(self, op: Op, args: Iterable[Term] = (), payload: object = None,
           sort: Sort | None = None) -> Term:
        """The node `op(args)`; `sort` is required for the EXPLICIT_SORT operators and, for the
        others, optional and checked (it is not part of the key, so a rebuilt node that passes
        its sort is still the same node)."""
        args = tuple(args)
        key = (op, args, payload, sort if op in EXPLICIT_SORT else None)
        found = self._table.get(key)
        if found is not None:
            if sort is not None and found.sort != sort:
                raise InternalError(f"{op.name} has sort {found.sort.smt()}, not {sort.smt()}")
            return found
        node_sort = _sort_of(op, args, payload, sort)
        node = Term(next(self._ids), op, args, payload, node_sort)
        self._table[key] = node
        return node

    # -- leaves --------------------------------------------------------------------------
    def var(self, name: str, sort: Sort) -> Term:
        return self.mk(Op.VAR, (), name, sort)

    def fresh_var(self, base: str, sort: Sort) -> Term:
        """A free symbol whose name is new in this manager (`base!N`)."""
        return self.var(f"{base}!{next(self._fresh)}", sort)

    def bound_var(self, base: str, sort: Sort) -> Term:
        """A quantifier variable with a unique name, so it never captures a program variable."""
        return self.mk(Op.BVAR, (), f"{base}!q{next(self._fresh)}", sort)

    def bool(self, value: bool) -> Term:
        return self.true if value else self.false

    def int(self, value: int) -> Term:
        return self.mk(Op.INT_CONST, (), int(value), INT)

    def seq_empty(self, sort: SeqSort) -> Term:
        return self.mk(Op.SEQ_EMPTY, (), None, sort)

    # -- Boolean structure (with the obvious constant simplifications) -----------------
    def not_(self, a: Term) -> Term:
        if a.op is Op.BOOL_CONST:
            return self.bool(not a.payload)
        if a.op is Op.NOT:
            return a.args[0]
        return self.mk(Op.NOT, (a,))

    def and_(self, *args: Term) -> Term:
        flat: dict[Term, None] = {}        # ordered, and O(1) duplicate checks
        for a in args:
            parts = a.args if a.op is Op.AND else (a,)
            for p in parts:
                if p.is_false():
                    return self.false
                if not p.is_true():
                    flat[p] = None
        if not flat:
            return self.true
        return next(iter(flat)) if len(flat) == 1 else self.mk(Op.AND, flat)

    def or_(self, *args: Term) -> Term:
        flat: dict[Term, None] = {}
        for a in args:
            parts = a.args if a.op is Op.OR else (a,)
            for p in parts:
                if p.is_true():
                    return self.true
                if not p.is_false():
                    flat[p] = None
        if not flat:
            return self.false
        return next(iter(flat)) if len(flat) == 1 else self.mk(Op.OR, flat)

    def implies(self, a: Term, b: Term) -> Term:
        if a.is_true():
            return b
        if a.is_false() or b.is_true():
            return self.true
        return self.mk(Op.IMPLIES, (a, b))

    def iff(self, a: Term, b: Term) -> Term:
        return self.mk(Op.IFF, (a, b))

    def ite(self, c: Term, a: Term, b: Term) -> Term:
        if c.is_true():
            return a
        if c.is_false():
            return b
        return self.mk(Op.ITE, (c, a, b))

    def eq(self, a: Term, b: Term) -> Term:
        if a is b:
            return self.true
        if a.sort == BOOL:
            return self.iff(a, b)
        return self.mk(Op.EQ, (a, b))

    def neq(self, a: Term, b: Term) -> Term:
        return self.not_(self.eq(a, b))

    def forall(self, bound: Iterable[Term], body: Term) -> Term:
        return self._quant(Op.FORALL, tuple(bound), body)

    def exists(self, bound: Iterable[Term], body: Term) -> Term:
        return self._quant(Op.EXISTS, tuple(bound), body)

    def _quant(self, op: Op, bound: tuple[Term, ...], body: Term) -> Term:
        if not bound or body.op is Op.BOOL_CONST:
            return body
        for b in bound:
            if b.op is not Op.BVAR:
                raise InternalError(f"quantifier over non-bound variable {b!r}")
        return self.mk(op, (*bound, body))

    def apply(self, fn: str, args: Iterable[Term], sort: Sort) -> Term:
        """Application of the uninterpreted function `fn` (declared by whoever prints it)."""
        return self.mk(Op.APPLY, tuple(args), fn, sort)

    # -- arithmetic ----------------------------------------------------------------------
    def le(self, a: Term, b: Term) -> Term:
        return self.mk(Op.LE, (a, b))

    def lt(self, a: Term, b: Term) -> Term:
        return self.mk(Op.LT, (a, b))

    def ge(self, a: Term, b: Term) -> Term:
        return self.le(b, a)

    def gt(self, a: Term, b: Term) -> Term:
        return self.lt(b, a)

    def add(self, a: Term, b: Term) -> Term:
        return self.mk(Op.ADD, (a, b))

    def sub(self, a: Term, b: Term) -> Term:
        return self.mk(Op.SUB, (a, b))

    def neg(self, a: Term) -> Term:
        if a.op is Op.INT_CONST:
            return self.int(-int(a.payload))  # type: ignore[arg-type]
        return self.mk(Op.NEG, (a,))

    def mul(self, a: Term, b: Term) -> Term:
        return self.mk(Op.MUL, (a, b))

    def div(self, a: Term, b: Term) -> Term:
        return self.mk(Op.DIV, (a, b))

    def mod(self, a: Term, b: Term) -> Term:
        return self.mk(Op.MOD, (a, b))

    # -- sequences -----------------------------------------------------------------------
    def seq_unit(self, e: Term) -> Term:
        return self.mk(Op.SEQ_UNIT, (e,))

    def seq_concat(self, *parts: Term) -> Term:
        flat = [p for part in parts
                for p in (part.args if part.op is Op.SEQ_CONCAT else (part,))
                if p.op is not Op.SEQ_EMPTY]
        if not flat:
            return self.seq_empty(parts[0].sort)  # type: ignore[arg-type]
        return flat[0] if len(flat) == 1 else self.mk(Op.SEQ_CONCAT, flat)

    def seq_len(self, s: Term) -> Term:
        return self.mk(Op.SEQ_LEN, (s,))

    def seq_nth(self, s: Term, i: Term) -> Term:
        return self.mk(Op.SEQ_NTH, (s, i))

    def seq_update(self, s: Term, i: Term, t: Term) -> Term:
        return self.mk(Op.SEQ_UPDATE, (s, i, t))

    def seq_extract(self, s: Term, i: Term, n: Term) -> Term:
        return self.mk(Op.SEQ_EXTRACT, (s, i, n))

    def seq_lit(self, elems: Iterable[Term], sort: SeqSort) -> Term:
        """The sequence literal [e1, ..., en] as a concatenation of units."""
        units = [self.seq_unit(e) for e in elems]
        return self.seq_concat(*units) if units else self.seq_empty(sort)

    # -- arrays --------------------------------------------------------------------------
    def select(self, a: Term, i: Term) -> Term:
        return self.mk(Op.SELECT, (a, i))

    def store(self, a: Term, i: Term, v: Term) -> Term:
        return self.mk(Op.STORE, (a, i, v))

    def bv_const(self, value: int, width: int) -> Term:
        """The bit-vector literal of `width` bits whose unsigned value is `value mod 2**width`."""
        return self.mk(Op.BV_CONST, (), (value % (1 << width), width))

    def bv(self, name: str, *args: Term) -> Term:
        """A bit-vector operator application (`bvadd`, `bvult`, ... see ops.BV_FUNCTIONS)."""
        return self.mk(Op.BV, args, name)

    def const_array(self, sort: ArraySort, value: Term) -> Term:
        """The array of sort `sort` holding `value` at every index."""
        return self.mk(Op.CONST_ARRAY, (value,), None, sort)


def _expect(cond: bool, op: Op, args: tuple[Term, ...]) -> None:
    if not cond:
        sorts = ", ".join(a.sort.smt() for a in args)
        raise InternalError(f"ill-sorted term: {op.name} applied to ({sorts})")


def _sort_of(op: Op, args: tuple[Term, ...], payload: object, given: Sort | None) -> Sort:
    """The sort rule of every operator; raises InternalError on ill-sorted applications."""
    if op in EXPLICIT_SORT:
        if given is None:
            raise InternalError(f"{op.name} needs an explicit sort")
        if op is Op.SEQ_EMPTY:
            _expect(not args and isinstance(given, SeqSort), op, args)
        if op is Op.CONST_ARRAY:
            _expect(len(args) == 1 and isinstance(given, ArraySort)
                    and args[0].sort == given.elem, op, args)
        return given
    derived = _derived_sort(op, args, payload)
    if given is not None and given != derived:
        raise InternalError(f"{op.name} has sort {derived.smt()}, not {given.smt()}")
    return derived


def _derived_sort(op: Op, args: tuple[Term, ...], payload: object = None) -> Sort:
    if op is Op.BV_CONST:
        return BitVecSort(payload[1])  # type: ignore[index]
    if op is Op.BV:
        arity, result = BV_FUNCTIONS.get(str(payload), (-1, ""))
        _expect(arity == len(args) and isinstance(args[0].sort, BitVecSort)
                and all(a.sort == args[0].sort for a in args), op, args)
        return BOOL if result == "bool" else args[0].sort
    if op is Op.BOOL_CONST:
        return BOOL
    if op is Op.INT_CONST:
        return INT
    if op in (Op.NOT, Op.AND, Op.OR, Op.IMPLIES, Op.IFF):
        _expect(all(a.sort == BOOL for a in args) and len(args) >= 1, op, args)
        return BOOL
    if op is Op.ITE:
        _expect(len(args) == 3 and args[0].sort == BOOL and args[1].sort == args[2].sort, op, args)
        return args[1].sort
    if op is Op.EQ:
        _expect(len(args) == 2 and args[0].sort == args[1].sort, op, args)
        return BOOL
    if op in (Op.FORALL, Op.EXISTS):
        _expect(args[-1].sort == BOOL, op, args)
        return BOOL
    if op in (Op.LE, Op.LT):
        _expect(len(args) == 2 and all(a.sort == INT for a in args), op, args)
        return BOOL
    if op in (Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.NEG):
        _expect(all(a.sort == INT for a in args), op, args)
        return INT
    if op is Op.SEQ_UNIT:
        _expect(len(args) == 1, op, args)
        return SeqSort(args[0].sort)
    if op is Op.SEQ_CONCAT:
        _expect(len(args) >= 2 and isinstance(args[0].sort, SeqSort)
                and all(a.sort == args[0].sort for a in args), op, args)
        return args[0].sort
    if op is Op.SEQ_LEN:
        _expect(len(args) == 1 and isinstance(args[0].sort, SeqSort), op, args)
        return INT
    if op is Op.SEQ_NTH:
        s = args[0].sort
        _expect(len(args) == 2 and isinstance(s, SeqSort) and args[1].sort == INT, op, args)
        return s.elem  # type: ignore[union-attr]
    if op is Op.SEQ_UPDATE:
        _expect(len(args) == 3 and isinstance(args[0].sort, SeqSort) and args[1].sort == INT
                and args[2].sort == args[0].sort, op, args)
        return args[0].sort
    if op is Op.SEQ_EXTRACT:
        _expect(len(args) == 3 and isinstance(args[0].sort, SeqSort) and args[1].sort == INT
                and args[2].sort == INT, op, args)
        return args[0].sort
    if op is Op.SELECT:
        a = args[0].sort if args else None
        _expect(len(args) == 2 and isinstance(a, ArraySort) and args[1].sort == a.index,
                op, args)
        return a.elem  # type: ignore[union-attr]
    if op is Op.STORE:
        a = args[0].sort if args else None
        _expect(len(args) == 3 and isinstance(a, ArraySort) and args[1].sort == a.index
                and args[2].sort == a.elem, op, args)
        return args[0].sort
    raise InternalError(f"no sort rule for {op.name}")
