"""SMT-LIB 2.6 text of a term (cvc5's sequence theory spelling), built without recursion.

Constant arrays print as `((as const (Array I E)) v)`.  cvc5 accepts them in assertions only
with its `arrays-exp` option, and only when `v` is a value literal (`is_smt_value`), in which a
negative integer must be the token `-5`, not `(- 5)`; the encoder sets the option and names
the other constant arrays (encoders/smtlib.py).
"""
from __future__ import annotations

import re

from .manager import Term
from .ops import SMT_NAMES, Op
from .walkers import DagWalker

_SIMPLE = re.compile(r"^[A-Za-z~!@$%^&*_+=<>.?/\-][A-Za-z0-9~!@$%^&*_+=<>.?/\-]*$")


def smt_symbol(name: str) -> str:
    """A symbol as SMT-LIB accepts it, quoted with |...| when needed."""
    return name if _SIMPLE.match(name) and not name.startswith("@") else f"|{name}|"


class _Printer(DagWalker[str]):
    def walk_var(self, t: Term, args: list[str]) -> str:
        return smt_symbol(t.name)

    walk_bvar = walk_var

    def walk_bool_const(self, t: Term, args: list[str]) -> str:
        return "true" if t.payload else "false"

    def walk_int_const(self, t: Term, args: list[str]) -> str:
        v = int(t.payload)  # type: ignore[arg-type]
        return str(v) if v >= 0 else f"(- {-v})"

    def walk_seq_empty(self, t: Term, args: list[str]) -> str:
        return f"(as seq.empty {t.sort.smt()})"

    def _quant(self, t: Term, args: list[str]) -> str:
        binders = " ".join(f"({smt_symbol(b.name)} {b.sort.smt()})" for b in t.args[:-1])
        return f"({SMT_NAMES[t.op]} ({binders}) {args[-1]})"

    walk_forall = _quant
    walk_exists = _quant

    def walk_const_array(self, t: Term, args: list[str]) -> str:
        v = t.args[0]
        if v.op is Op.INT_CONST and int(v.payload) < 0:  # type: ignore[arg-type]
            return f"((as const {t.sort.smt()}) {v.payload})"
        return f"((as const {t.sort.smt()}) {args[0]})"

    def walk_bv_const(self, t: Term, args: list[str]) -> str:
        value, width = t.payload  # type: ignore[misc]
        return "#b" + format(value, f"0{width}b")

    def walk_bv(self, t: Term, args: list[str]) -> str:
        return f"({t.payload} {' '.join(args)})"

    def walk_apply(self, t: Term, args: list[str]) -> str:
        return f"({smt_symbol(str(t.payload))} {' '.join(args)})"

    def walk_default(self, t: Term, args: list[str]) -> str:
        return f"({SMT_NAMES[t.op]} {' '.join(args)})"


def is_smt_value(t: Term) -> bool:
    """Whether cvc5 takes `t` as the default inside `((as const S) t)`: a literal of Bool, Int,
    the empty sequence or a constant array of such.  (cvc5 parses `(seq.unit 1)` as an
    application, not a value, so no nonempty sequence qualifies.)"""
    while t.op is Op.CONST_ARRAY:
        t = t.args[0]
    return t.op in (Op.BOOL_CONST, Op.INT_CONST, Op.SEQ_EMPTY, Op.BV_CONST)


def to_smtlib(term: Term) -> str:
    return _Printer().walk(term)
