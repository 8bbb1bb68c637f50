"""Re-encoding an assertion stack as an SMT-LIB script, and model values as SMT-LIB text."""
from __future__ import annotations

from typing import Iterable

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.printer import smt_symbol, to_smtlib
from vecverify.terms.sorts import (BOOL, INT, ArraySort, BitVecSort, SeqSort, Sort,
                                   UninterpretedSort,
                                   uninterpreted_sorts)
from vecverify.terms.walkers import postorder
from vecverify.values import ArrayValue, OpenRead, Unnamed, UValue, Value


def encode(tm: TermManager, assertions: list[Term],
           constants: Iterable[Term] = ()) -> tuple[str, bool]:
    """The script `declarations; assertions; (check-sat)` and whether it has quantifiers.

    `constants` are declared even when no assertion uses them (so the model has them)."""
    if any(t.op is Op.CONST_ARRAY for a in assertions for t in postorder(a)):
        # cvc5 takes `((as const S) v)` only for a value literal v: name the others
        from vecverify.encoders.smtlib import ConstArrays
        named = ConstArrays(tm)
        assertions = [named.walk(a) for a in assertions]
        assertions = named.axioms + assertions
    consts: dict[str, Term] = {c.name: c for c in constants}
    funs: dict[str, tuple[tuple[Sort, ...], Sort]] = {}
    sorts: set[UninterpretedSort] = set()
    quantified = const_array = False
    for a in assertions:
        for t in postorder(a):
            sorts |= uninterpreted_sorts(t.sort)
            if t.op is Op.VAR:
                consts.setdefault(t.name, t)
            elif t.op is Op.APPLY:
                funs.setdefault(str(t.payload), (tuple(x.sort for x in t.args), t.sort))
            elif t.op in (Op.FORALL, Op.EXISTS):
                quantified = True
            elif t.op is Op.CONST_ARRAY:
                const_array = True
    for c in consts.values():
        sorts |= uninterpreted_sorts(c.sort)
    lines = ["(set-option :arrays-exp true)"] if const_array else []
    lines.append("(set-logic ALL)")
    lines += [f"(declare-sort {smt_symbol(s.name)} 0)" for s in sorted(sorts, key=lambda s: s.name)]
    lines += [f"(declare-fun {smt_symbol(n)} () {c.sort.smt()})" for n, c in consts.items()]
    lines += [f"(declare-fun {smt_symbol(n)} ({' '.join(s.smt() for s in args)}) {res.smt()})"
              for n, (args, res) in funs.items()]
    lines += [f"(assert {to_smtlib(a)})" for a in assertions]
    lines.append("(check-sat)")
    return "\n".join(lines) + "\n", quantified


def value_smtlib(value: Value, sort: Sort) -> str:
    """A model value in SMT-LIB syntax (as cvc5 prints it).  An `Unnamed` element (only in the
    models of `--combination no --unsound-ok`) has no SMT-LIB value: it prints as a
    qualified symbol that no solver will accept, on purpose."""
    if isinstance(value, Unnamed):
        return f"(as @unnamed_{value.index} {sort.smt()})"
    if sort == BOOL:
        return "true" if value else "false"
    if sort == INT:
        v = int(value)  # type: ignore[arg-type]
        return str(v) if v >= 0 else f"(- {-v})"
    if isinstance(sort, BitVecSort):
        return "#b" + format(int(value), f"0{sort.width}b")  # type: ignore[arg-type]
    if isinstance(sort, SeqSort):
        if isinstance(value, OpenRead):
            raise ValueError("open sequence value")
        elems = [f"(seq.unit {value_smtlib(x, sort.elem)})" for x in value]  # type: ignore[union-attr]
        if not elems:
            return f"(as seq.empty {sort.smt()})"
        return elems[0] if len(elems) == 1 else f"(seq.++ {' '.join(elems)})"
    if isinstance(sort, ArraySort) and isinstance(value, ArrayValue):
        out = f"((as const {sort.smt()}) {value_smtlib(value.default, sort.elem)})"
        for k, v in value.entries:
            out = f"(store {out} {value_smtlib(k, sort.index)} {value_smtlib(v, sort.elem)})"
        return out
    if isinstance(sort, UninterpretedSort) and isinstance(value, UValue):
        return f"(as {smt_symbol(value.name)} {sort.smt()})"
    raise ValueError(f"cannot print value {value!r} of sort {sort.smt()}")
