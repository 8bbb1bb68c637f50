"""Structure: check kinds describe themselves, the operator table is complete, imports go one way."""
from __future__ import annotations

import ast
import pathlib

import cvc5

from vecverify.obligations import REGISTRY
from vecverify.terms import BOOL, INT, Op, SeqSort, Term, TermManager, free_vars, to_smtlib
from vecverify.terms.ops import SMT_NAMES
from vecverify.terms.sorts import ArraySort, BitVecSort

ROOT = pathlib.Path(__file__).resolve().parent.parent

EXPECTED_KINDS = {"index-out-of-bounds", "pop-empty", "overflow", "underflow", "division-by-zero",
                  "assert", "postcondition", "precondition", "loop-invariant-entry",
                  "loop-invariant-preserved", "contract-invariant", "modifies", "enum-conversion"}


def test_every_check_kind_of_the_language_is_registered_with_metadata() -> None:
    assert set(REGISTRY) == EXPECTED_KINDS
    for cls in REGISTRY.values():
        assert cls.short and cls.failure and cls.success and cls.help


def test_every_operator_prints() -> None:
    leaves = {Op.VAR, Op.BVAR, Op.BOOL_CONST, Op.INT_CONST, Op.APPLY, Op.BV_CONST, Op.BV}
    assert set(SMT_NAMES) | leaves == set(Op)


def _samples(tm: TermManager) -> dict[Op, Term]:
    """One term per operator (whose root is that operator)."""
    x, y, p, q = tm.var("x", INT), tm.var("y", INT), tm.var("p", BOOL), tm.var("q", BOOL)
    xs, m = tm.var("xs", SeqSort(INT)), tm.var("m", ArraySort(INT, BOOL))
    b = tm.bound_var("b", INT)
    bv = tm.var("bv", BitVecSort(4))
    return {
        Op.VAR: x, Op.BVAR: b, Op.BOOL_CONST: tm.true, Op.INT_CONST: tm.int(-3),
        Op.SEQ_EMPTY: tm.seq_empty(SeqSort(INT)), Op.NOT: tm.not_(p), Op.AND: tm.and_(p, q),
        Op.OR: tm.or_(p, q), Op.IMPLIES: tm.implies(p, q), Op.IFF: tm.iff(p, q),
        Op.ITE: tm.ite(p, x, y), Op.EQ: tm.eq(x, y), Op.FORALL: tm.forall([b], tm.le(b, x)),
        Op.EXISTS: tm.exists([b], tm.lt(b, x)), Op.APPLY: tm.apply("f", [x], INT),
        Op.LE: tm.le(x, y), Op.LT: tm.lt(x, y), Op.ADD: tm.add(x, y), Op.SUB: tm.sub(x, y),
        Op.NEG: tm.neg(x), Op.MUL: tm.mul(x, y), Op.DIV: tm.div(x, y), Op.MOD: tm.mod(x, y),
        Op.SEQ_UNIT: tm.seq_unit(x), Op.SEQ_CONCAT: tm.seq_concat(xs, xs),
        Op.SEQ_LEN: tm.seq_len(xs), Op.SEQ_NTH: tm.seq_nth(xs, x),
        Op.SEQ_UPDATE: tm.seq_update(xs, x, xs), Op.SEQ_EXTRACT: tm.seq_extract(xs, x, y),
        Op.SELECT: tm.select(m, x), Op.STORE: tm.store(m, x, p),
        Op.CONST_ARRAY: tm.const_array(ArraySort(INT, BOOL), tm.false),
        Op.BV_CONST: tm.bv_const(5, 4), Op.BV: tm.bv("bvadd", tm.bv_const(5, 4), bv),
    }


def test_every_operator_prints_as_smtlib_that_cvc5_parses() -> None:
    tm = TermManager()
    samples = _samples(tm)
    assert set(samples) == set(Op), "add a sample of the new operator"
    lines = ["(set-option :arrays-exp true)", "(set-logic ALL)",
             "(declare-fun f (Int) Int)"]
    symbols = sorted(set().union(*(free_vars(t) for t in samples.values())), key=str)
    lines += [f"(declare-fun {v.name} () {v.sort.smt()})" for v in symbols]
    for op, t in samples.items():
        assert t.op is op
        text = to_smtlib(t)
        if op is Op.CONST_ARRAY:
            assert text == "((as const (Array Int Bool)) false)"
        elif op is Op.BV_CONST:
            assert text == "#b0101"
        elif op is Op.BV:
            assert text == "(bvadd #b0101 bv)"
        elif op in SMT_NAMES and op is not Op.SEQ_EMPTY:
            assert text.startswith(f"({SMT_NAMES[op]} "), text
        if op is not Op.BVAR:
            lines.append(f"(assert {text})" if t.sort == BOOL else f"(assert (= {text} {text}))")
    solver = cvc5.Solver()
    sm = cvc5.SymbolManager(solver)
    parser = cvc5.InputParser(solver, sm)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, "\n".join(lines), "ops")
    while not (cmd := parser.nextCommand()).isNull():
        cmd.invoke(solver, sm)                       # raises on any text cvc5 cannot read


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


# package -> packages it must never import
FORBIDDEN = {
    "terms": ("vecverify.ir", "vecverify.vcgen", "vecverify.encoders", "vecverify.drivers",
              "vecverify.frontends", "vecverify.reports", "vecverify.pipeline"),
    "ir": ("vecverify.vcgen", "vecverify.encoders", "vecverify.drivers", "vecverify.frontends",
           "vecverify.pipeline"),
    "vcgen": ("vecverify.encoders", "vecverify.drivers", "vecverify.frontends",
              "vecverify.pipeline"),
    "encoders": ("vecverify.drivers", "vecverify.frontends", "vecverify.pipeline"),
    "drivers": ("vecverify.frontends", "vecverify.vcgen", "vecverify.ir", "vecverify.pipeline"),
    "reports": ("vecverify.frontends", "vecverify.vcgen", "vecverify.ir", "vecverify.terms",
                "vecverify.drivers", "vecverify.pipeline"),
}


def test_import_arrows_go_one_way() -> None:
    bad = []
    for pkg, forbidden in FORBIDDEN.items():
        for path in (ROOT / "vecverify" / pkg).glob("*.py"):
            for mod in _imports(path):
                if mod.startswith(forbidden):
                    bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    for path in (ROOT / "frontends").rglob("*.py"):
        for mod in _imports(path):
            if mod.startswith(("vecverify.drivers", "vecverify.vcgen", "vecverify.pipeline")):
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert not bad, bad
