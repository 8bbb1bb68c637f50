"""The abstraction cvc5 decides: every `(Seq E)` an uninterpreted sort, every sequence operator
an uninterpreted function.

Booleans, linear integer arithmetic, uninterpreted element sorts and arrays over them stay
with cvc5; what makes the abstract functions behave like sequences is the lemmas the Python
calculus adds (`rules.py`).  An n-ary `seq.++` becomes right-nested binary `cat`, so that the
calculus can name every suffix of a concatenation as a term of its own.

Anything we do not decide (quantifiers, non-linear arithmetic, sequences of sequences or of
arrays, arrays holding sequences) raises `Unsupported` with the SMT-LIB symbol, which the
solver answers `unknown` with the reason `unsupported: <symbol>`.
"""
from __future__ import annotations

from typing import Any

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import (BOOL, INT, ArraySort, BitVecSort, SeqSort, Sort,
                                   UninterpretedSort)


class Unsupported(Exception):
    """A construct outside the procedure's input language."""

    def __init__(self, symbol: str) -> None:
        super().__init__(f"unsupported: {symbol}")
        self.symbol = symbol


_BUILTIN = {
    Op.NOT: "NOT", Op.AND: "AND", Op.OR: "OR", Op.IMPLIES: "IMPLIES", Op.IFF: "EQUAL",
    Op.ITE: "ITE", Op.EQ: "EQUAL", Op.LE: "LEQ", Op.LT: "LT", Op.ADD: "ADD", Op.SUB: "SUB",
    Op.NEG: "NEG", Op.MUL: "MULT", Op.DIV: "INTS_DIVISION", Op.MOD: "INTS_MODULUS",
    Op.SELECT: "SELECT", Op.STORE: "STORE",
}
_BV_KINDS = {
    "bvadd": "BITVECTOR_ADD", "bvsub": "BITVECTOR_SUB", "bvmul": "BITVECTOR_MULT",
    "bvudiv": "BITVECTOR_UDIV", "bvurem": "BITVECTOR_UREM", "bvand": "BITVECTOR_AND",
    "bvor": "BITVECTOR_OR", "bvxor": "BITVECTOR_XOR", "bvshl": "BITVECTOR_SHL",
    "bvlshr": "BITVECTOR_LSHR", "bvnot": "BITVECTOR_NOT", "bvneg": "BITVECTOR_NEG",
    "bvult": "BITVECTOR_ULT", "bvule": "BITVECTOR_ULE", "bvugt": "BITVECTOR_UGT",
    "bvuge": "BITVECTOR_UGE", "bvslt": "BITVECTOR_SLT", "bvsle": "BITVECTOR_SLE",
    "bvsgt": "BITVECTOR_SGT", "bvsge": "BITVECTOR_SGE",
}
_SEQ_FUNS = {Op.SEQ_LEN: "len", Op.SEQ_NTH: "nth", Op.SEQ_UPDATE: "update",
             Op.SEQ_UNIT: "unit", Op.SEQ_CONCAT: "cat", Op.SEQ_EXTRACT: "extract"}


def element_sort_supported(sort: Sort) -> bool:
    """Element sorts the model construction can fill: Int, Bool, bit-vectors, uninterpreted
    sorts."""
    return sort in (INT, BOOL) or isinstance(sort, (UninterpretedSort, BitVecSort))


def _is_constant(t: Term) -> bool:
    return t.op is Op.INT_CONST or (t.op is Op.NEG and t.args[0].op is Op.INT_CONST)


class Abstraction:
    """Translates vecverify terms to cvc5 terms over the abstract signature (memoized)."""

    def __init__(self, tm: TermManager, solver: Any) -> None:
        import cvc5
        self.cvc5 = cvc5
        self.tm = tm
        self.solver = solver
        self._sorts: dict[Sort, Any] = {}
        self._funs: dict[tuple[str, Sort], Any] = {}
        self._terms: dict[Term, Any] = {}
        self._uf: dict[str, Any] = {}

    # -- sorts ---------------------------------------------------------------------------
    def sort(self, sort: Sort) -> Any:
        found = self._sorts.get(sort)
        if found is not None:
            return found
        s = self.solver
        if sort == INT:
            out = s.getIntegerSort()
        elif sort == BOOL:
            out = s.getBooleanSort()
        elif isinstance(sort, UninterpretedSort):
            out = s.mkUninterpretedSort(sort.name)
        elif isinstance(sort, BitVecSort):
            out = s.mkBitVectorSort(sort.width)
        elif isinstance(sort, SeqSort):
            if not element_sort_supported(sort.elem):
                raise Unsupported(f"(Seq {sort.elem.smt()})")
            out = s.mkUninterpretedSort(f"@Seq<{sort.elem.smt()}>")
        elif isinstance(sort, ArraySort):
            if _mentions_seq(sort):
                raise Unsupported(sort.smt())
            out = s.mkArraySort(self.sort(sort.index), self.sort(sort.elem))
        else:
            raise Unsupported(sort.smt())
        self._sorts[sort] = out
        return out

    def _seq_fun(self, name: str, seq: SeqSort) -> Any:
        key = (name, seq)
        found = self._funs.get(key)
        if found is not None:
            return found
        S, E, I = self.sort(seq), self.sort(seq.elem), self.solver.getIntegerSort()
        doms, rng = {
            "len": ([S], I), "nth": ([S, I], E), "update": ([S, I, S], S), "unit": ([E], S),
            "cat": ([S, S], S), "extract": ([S, I, I], S)}[name]
        out = self.solver.mkConst(self.solver.mkFunctionSort(doms, rng),
                                  f"@seq.{name}<{seq.elem.smt()}>")
        self._funs[key] = out
        return out

    def _empty(self, seq: SeqSort) -> Any:
        key = ("empty", seq)
        found = self._funs.get(key)
        if found is None:
            found = self.solver.mkConst(self.sort(seq), f"@seq.empty<{seq.elem.smt()}>")
            self._funs[key] = found
        return found

    # -- terms ---------------------------------------------------------------------------
    def __call__(self, term: Term) -> Any:
        done = self._terms
        if term in done:
            return done[term]
        stack = [(term, False)]
        while stack:
            t, expanded = stack.pop()
            if t in done:
                continue
            if not expanded:
                stack.append((t, True))
                stack.extend((a, False) for a in self._children(t) if a not in done)
                continue
            done[t] = self._build(t)
        return done[term]

    def _children(self, t: Term) -> tuple[Term, ...]:
        if t.op is Op.SEQ_CONCAT:
            return (t.args[0], self.rest(t))
        return t.args

    def rest(self, t: Term) -> Term:
        """The suffix `a2 ++ ... ++ an` of the concatenation `a1 ++ a2 ++ ... ++ an`."""
        return self.tm.seq_concat(*t.args[1:])

    def _build(self, t: Term) -> Any:
        s, K, op = self.solver, self.cvc5.Kind, t.op
        if op is Op.VAR:
            return s.mkConst(self.sort(t.sort), t.name)
        if op is Op.INT_CONST:
            return s.mkInteger(str(int(t.payload)))  # type: ignore[arg-type]
        if op is Op.BOOL_CONST:
            return s.mkBoolean(bool(t.payload))
        if op is Op.BV_CONST:
            value, width = t.payload  # type: ignore[misc]
            return s.mkBitVector(width, str(value), 10)
        if op is Op.BV:
            return s.mkTerm(getattr(K, _BV_KINDS[str(t.payload)]),
                            *(self._terms[a] for a in t.args))
        if op in (Op.FORALL, Op.EXISTS, Op.BVAR):
            raise Unsupported("forall" if op is Op.FORALL else "exists")
        if op is Op.SEQ_EMPTY:
            return self._empty(t.sort)  # type: ignore[arg-type]
        if op in _SEQ_FUNS:
            seq = t.args[0].sort if op is not Op.SEQ_UNIT else t.sort
            fn = self._seq_fun(_SEQ_FUNS[op], seq)  # type: ignore[arg-type]
            args = self._children(t)
            return self._purified(s.mkTerm(K.APPLY_UF, fn, *(self._terms[a] for a in args)),
                                  t.sort)
        if op is Op.MUL and sum(not _is_constant(a) for a in t.args) > 1:
            raise Unsupported("*")
        if op in (Op.DIV, Op.MOD) and not _is_constant(t.args[1]):
            raise Unsupported("div" if op is Op.DIV else "mod")
        if op is Op.APPLY:
            return self._apply(t)
        if op is Op.CONST_ARRAY:
            base = self._terms[t.args[0]]
            if t.args[0].op not in (Op.INT_CONST, Op.BOOL_CONST):
                raise Unsupported("const")
            return s.mkConstArray(self.sort(t.sort), base)
        kind = _BUILTIN.get(op)
        if kind is None:
            raise Unsupported(op.name.lower())
        for a in t.args:
            self.sort(a.sort)
        return s.mkTerm(getattr(K, kind), *(self._terms[a] for a in t.args))

    def _purified(self, app: Any, sort: Sort) -> Any:
        """A fresh constant defined equal to `app`: cvc5 reads a constant's model value in
        constant time, an application's only by evaluating its function's model (slow for
        the thousands of values each refinement round reads)."""
        k = self.solver.mkConst(self.sort(sort), f"@t{len(self._terms)}")
        self.solver.assertFormula(self.solver.mkTerm(self.cvc5.Kind.EQUAL, k, app))
        return k

    def _apply(self, t: Term) -> Any:
        name = str(t.payload)
        fn = self._uf.get(name)
        if fn is None:
            doms = [self.sort(a.sort) for a in t.args]
            fn = self.solver.mkConst(self.solver.mkFunctionSort(doms, self.sort(t.sort)), name)
            self._uf[name] = fn
        return self.solver.mkTerm(self.cvc5.Kind.APPLY_UF, fn,
                                  *(self._terms[a] for a in t.args))


def _mentions_seq(sort: Sort) -> bool:
    if isinstance(sort, SeqSort):
        return True
    if isinstance(sort, ArraySort):
        return _mentions_seq(sort.index) or _mentions_seq(sort.elem)
    return False
