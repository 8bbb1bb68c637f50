"""The closed operator table: every term operator, its SMT-LIB name and its group.

The groups partition `Op` exactly (checked below at import time), so a walker or printer that
handles every group handles every operator.
"""
from __future__ import annotations

from enum import Enum, auto


class Op(Enum):
    # leaves
    VAR = auto()          # free symbol (payload: name)
    BVAR = auto()         # bound variable of a quantifier (payload: unique name)
    BOOL_CONST = auto()   # payload: bool
    INT_CONST = auto()    # payload: int
    SEQ_EMPTY = auto()    # payload: none; the sort says which (Seq T)
    # Boolean structure
    NOT = auto()
    AND = auto()
    OR = auto()
    IMPLIES = auto()
    IFF = auto()
    ITE = auto()
    EQ = auto()
    FORALL = auto()       # args: bound vars..., body
    EXISTS = auto()
    APPLY = auto()        # uninterpreted function application (payload: function name)
    # integer arithmetic
    LE = auto()
    LT = auto()
    ADD = auto()
    SUB = auto()
    NEG = auto()
    MUL = auto()
    DIV = auto()          # SMT-LIB (Euclidean) div
    MOD = auto()          # SMT-LIB (Euclidean) mod
    # sequences
    SEQ_UNIT = auto()
    SEQ_CONCAT = auto()
    SEQ_LEN = auto()
    SEQ_NTH = auto()
    SEQ_UPDATE = auto()
    SEQ_EXTRACT = auto()
    # arrays
    SELECT = auto()
    STORE = auto()
    CONST_ARRAY = auto()  # args: the value at every index; the sort says which (Array I E)
    # bit-vectors
    BV_CONST = auto()     # payload: (value, width), 0 <= value < 2**width
    BV = auto()           # a bit-vector operator of SMT-LIB's FixedSizeBitVectors (payload: name)


LEAVES = frozenset({Op.VAR, Op.BVAR, Op.BOOL_CONST, Op.INT_CONST, Op.SEQ_EMPTY, Op.BV_CONST})
BOOL_OPS = frozenset({Op.NOT, Op.AND, Op.OR, Op.IMPLIES, Op.IFF, Op.ITE, Op.EQ})
UF_OPS = frozenset({Op.APPLY})
QUANTIFIERS = frozenset({Op.FORALL, Op.EXISTS})
ARITH_OPS = frozenset({Op.LE, Op.LT, Op.ADD, Op.SUB, Op.NEG, Op.MUL, Op.DIV, Op.MOD})
SEQ_OPS = frozenset({Op.SEQ_UNIT, Op.SEQ_CONCAT, Op.SEQ_LEN, Op.SEQ_NTH, Op.SEQ_UPDATE,
                     Op.SEQ_EXTRACT})
ARRAY_OPS = frozenset({Op.SELECT, Op.STORE, Op.CONST_ARRAY})
BV_OPS = frozenset({Op.BV})

_GROUPS = (LEAVES, BOOL_OPS, UF_OPS, QUANTIFIERS, ARITH_OPS, SEQ_OPS, ARRAY_OPS, BV_OPS)
assert sum(len(g) for g in _GROUPS) == len(Op), "operator groups must partition Op"
assert frozenset().union(*_GROUPS) == frozenset(Op), "operator groups must cover Op"

SMT_NAMES: dict[Op, str] = {
    Op.NOT: "not", Op.AND: "and", Op.OR: "or", Op.IMPLIES: "=>", Op.IFF: "=", Op.ITE: "ite",
    Op.EQ: "=", Op.FORALL: "forall", Op.EXISTS: "exists",
    Op.LE: "<=", Op.LT: "<", Op.ADD: "+", Op.SUB: "-", Op.NEG: "-", Op.MUL: "*",
    Op.DIV: "div", Op.MOD: "mod",
    Op.SEQ_EMPTY: "seq.empty", Op.SEQ_UNIT: "seq.unit", Op.SEQ_CONCAT: "seq.++",
    Op.SEQ_LEN: "seq.len", Op.SEQ_NTH: "seq.nth", Op.SEQ_UPDATE: "seq.update",
    Op.SEQ_EXTRACT: "seq.extract",
    Op.SELECT: "select", Op.STORE: "store", Op.CONST_ARRAY: "const",
}
assert set(SMT_NAMES) == set(Op) - {Op.VAR, Op.BVAR, Op.BOOL_CONST, Op.INT_CONST, Op.APPLY,
                                   Op.BV_CONST, Op.BV}

# Bit-vector operators: name -> (arity, result) where result is "bv" (the arguments' sort) or
# "bool".  All take arguments of one bit-vector sort.
BV_FUNCTIONS: dict[str, tuple[int, str]] = {
    **{n: (2, "bv") for n in ("bvadd", "bvsub", "bvmul", "bvudiv", "bvurem", "bvand", "bvor",
                              "bvxor", "bvshl", "bvlshr")},
    **{n: (1, "bv") for n in ("bvnot", "bvneg")},
    **{n: (2, "bool") for n in ("bvult", "bvule", "bvugt", "bvuge", "bvslt", "bvsle", "bvsgt",
                                "bvsge")},
}

# Operators whose node sort is given when the node is built, not derived from the arguments:
# rebuilding such a node (substitution, boxing) must pass its sort again.
EXPLICIT_SORT = frozenset({Op.VAR, Op.BVAR, Op.SEQ_EMPTY, Op.APPLY, Op.CONST_ARRAY})
