"""Differential tests of the pure-Python sequence procedure (`vecverify.theories.seq`).

Hypothesis builds random quantifier-free formulas as SMT-LIB text over a small vocabulary
(sequences of Int and of an uninterpreted sort E, two Int variables, small constants, `seq.len
seq.nth seq.update seq.unit seq.++ seq.extract seq.empty`, `= <= not and or`).  Each formula is
decided by the procedure with the EXT and the BASE calculus, by cvc5 on the text, and, when
someone answers unsat, by a brute-force search of small models (`helpers.brute_force`).
No two of them may disagree:

- the procedure answers unsat  =>  cvc5 does not answer sat and no small model exists;
- the procedure answers sat    =>  its model satisfies the formula under the reference
                                   evaluator, and cvc5 does not answer unsat;
- cvc5 answers unsat           =>  the procedure does not answer sat (and no small model).

`unknown` is always allowed.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vecverify.values import UValue

from .helpers import brute_force, cvc5_status, holds, model_holds, parse, run_python

INT_SEQS = ("x", "y", "z")
E_SEQS = ("u", "v")
INTS = ("i", "j")
TIMEOUT_S = 2.0


def _num(n: int) -> str:
    return str(n) if n >= 0 else f"(- {-n})"


class _Gen:
    """Draws one formula; `use_e` adds (Seq E) atoms."""

    def __init__(self, draw: st.DrawFn, use_e: bool) -> None:
        self.draw = draw
        self.use_e = use_e

    def pick(self, options: list[str]) -> str:
        return self.draw(st.sampled_from(options))

    def int_(self, depth: int) -> str:
        kinds = ["const", "var", "len"] + (["nth"] if depth > 0 else [])
        kind = self.pick(kinds)
        if kind == "const":
            return _num(self.draw(st.integers(-1, 2)))
        if kind == "var":
            return self.pick(list(INTS))
        if kind == "len":
            return f"(seq.len {self.seq(depth - 1, 'Int')})"
        return f"(seq.nth {self.seq(depth - 1, 'Int')} {self.int_(depth - 1)})"

    def elem(self, depth: int, sort: str) -> str:
        if sort == "Int":
            return self.int_(depth)
        if depth > 0 and self.draw(st.booleans()):
            return f"(seq.nth {self.seq(depth - 1, 'E')} {self.int_(depth - 1)})"
        return "e"

    def seq(self, depth: int, sort: str) -> str:
        names = list(INT_SEQS if sort == "Int" else E_SEQS)
        kinds = ["var", "var", "empty", "unit"]
        if depth > 0:
            kinds += ["cat", "update", "update", "extract"]
        kind = self.pick(kinds)
        if kind == "var":
            return self.pick(names)
        if kind == "empty":
            return f"(as seq.empty (Seq {sort}))"
        if kind == "unit":
            return f"(seq.unit {self.elem(max(depth - 1, 0), sort)})"
        if kind == "cat":
            return f"(seq.++ {self.seq(depth - 1, sort)} {self.seq(depth - 1, sort)})"
        if kind == "update":
            if self.draw(st.integers(0, 3)) == 0:     # a general (non-unit) update, rarely
                written = self.seq(depth - 1, sort)
            else:
                written = f"(seq.unit {self.elem(depth - 1, sort)})"
            return f"(seq.update {self.seq(depth - 1, sort)} {self.int_(depth - 1)} {written})"
        return (f"(seq.extract {self.seq(depth - 1, sort)} {self.int_(depth - 1)} "
                f"{self.int_(depth - 1)})")

    def atom(self) -> str:
        kinds = ["int=", "int<=", "seq=", "seq="] + (["eseq=", "e="] if self.use_e else [])
        kind = self.pick(kinds)
        if kind == "int=":
            return f"(= {self.int_(2)} {self.int_(2)})"
        if kind == "int<=":
            return f"(<= {self.int_(2)} {self.int_(2)})"
        if kind == "seq=":
            return f"(= {self.seq(2, 'Int')} {self.seq(2, 'Int')})"
        if kind == "eseq=":
            return f"(= {self.seq(2, 'E')} {self.seq(2, 'E')})"
        return f"(= {self.elem(2, 'E')} {self.elem(2, 'E')})"

    def formula(self, depth: int) -> str:
        kind = self.pick(["atom", "atom", "not"] + (["and", "or"] if depth > 0 else []))
        if kind == "atom":
            return self.atom()
        if kind == "not":
            return f"(not {self.atom() if depth == 0 else self.formula(depth - 1)})"
        return f"({kind} {self.formula(depth - 1)} {self.formula(depth - 1)})"


HEADER = ("(set-logic ALL)\n"
          + "".join(f"(declare-fun {n} () (Seq Int))\n" for n in INT_SEQS)
          + "".join(f"(declare-fun {n} () Int)\n" for n in INTS))
E_HEADER = ("(declare-sort E 0)\n"
            + "".join(f"(declare-fun {n} () (Seq E))\n" for n in E_SEQS)
            + "(declare-fun e () E)\n")


@st.composite
def problems(draw: st.DrawFn) -> str:
    """An SMT-LIB script: the declarations and one to three assertions."""
    use_e = draw(st.integers(0, 3)) == 0
    gen = _Gen(draw, use_e)
    asserts = [gen.formula(1) for _ in range(draw(st.integers(1, 3)))]
    return (HEADER + (E_HEADER if use_e else "")
            + "".join(f"(assert {a})\n" for a in asserts))


def check_agreement(text: str, timeout_s: float = TIMEOUT_S) -> dict[str, str]:
    """Runs everything on `text` and asserts that nobody disagrees; returns the answers."""
    answers = {"cvc5": cvc5_status(text, int(timeout_s * 1000))}
    small: list = []            # brute force, computed once and only when someone says unsat

    def small_model():
        if not small:
            small.append(brute_force(p))
        return small[0]

    for calculus in ("ext", "base"):
        p, out = run_python(text, calculus, timeout_s)
        answers[calculus] = out.status
        if out.status == "sat":
            assert model_holds(p, out), (calculus, "model does not satisfy", out.model, text)
            assert answers["cvc5"] != "unsat", (calculus, "sat, cvc5 unsat", out.model, text)
        elif out.status == "unsat":
            assert answers["cvc5"] != "sat", (calculus, "unsat, cvc5 sat", text)
            assert small_model() is None, (calculus, "unsat, small model", small[0], text)
    if answers["cvc5"] == "unsat":
        assert small_model() is None, ("cvc5 unsat, small model", small[0], text)
    return answers


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(problems())
def test_procedure_agrees_with_cvc5_and_brute_force(text: str) -> None:
    answers = check_agreement(text)
    event(f"cvc5 {answers['cvc5']}, ext {answers['ext']}, base {answers['base']}")


# -- regressions found by this harness (fixed in fca7e82) ---------------------------------------
# The evaluator kept its table of unprobed out-of-bounds reads by (sequence value, index), without
# the element sort: the empty (Seq Int) and the empty (Seq E) are the same Python value `()`, so
# the two reads shared a point.  The procedure's final check evaluates the original assertions,
# in which asserted definitions (`i := 0`, `x := empty`) are not yet substituted, so reads such as
# `(seq.nth (as seq.empty (Seq Int)) i)` are not among its probes and came from that table.
def test_evaluator_out_of_bounds_table_separates_element_sorts() -> None:
    p = parse("(set-logic ALL)\n(declare-sort E 0)\n(declare-fun e () E)\n"
              "(assert (= (seq.nth (as seq.empty (Seq E)) 0) e))\n"
              "(assert (<= 0 (seq.nth (as seq.empty (Seq Int)) 0)))\n")
    assert cvc5_status(p.text) == "sat"
    elem = UValue("E", "@E_0")
    # a genuine model: e is the value of the E read; the Int read is an unconstrained point
    # (it used to get the E element: TypeError)
    assert holds(p.assertions, {"e": elem}, domains={"E": [elem]})


OOB_TWO_SORTS_CRASH = """(set-logic ALL)
(declare-sort E 0)
(declare-fun e () E)
(declare-fun i () Int)
(assert (= i 0))
(assert (<= 0 (seq.nth (as seq.empty (Seq Int)) i)))
(assert (= e (seq.nth (as seq.empty (Seq E)) 0)))
"""
OOB_TWO_SORTS_UNKNOWN = """(set-logic ALL)
(declare-fun x () (Seq Int))
(assert (= x (as seq.empty (Seq Int))))
(assert (= 5 (seq.nth x 0)))
(assert (seq.nth (as seq.empty (Seq Bool)) 0))
"""


@pytest.mark.parametrize("calculus", ["ext", "base"])
def test_procedure_oob_reads_of_two_element_sorts(calculus: str) -> None:
    """Used to raise TypeError out of SeqSolver.check (an element of E compared with 0)."""
    assert cvc5_status(OOB_TWO_SORTS_CRASH) == "sat"
    p, out = run_python(OOB_TWO_SORTS_CRASH, calculus)
    assert out.status == "sat", out.reason
    assert model_holds(p, out)


@pytest.mark.parametrize("calculus", ["ext", "base"])
def test_procedure_oob_reads_of_int_and_bool(calculus: str) -> None:
    """Used to answer unknown ('internal error: the constructed model does not satisfy the
    input'): the unprobed (seq.nth x 0), x = [], got the Bool read's value true."""
    assert cvc5_status(OOB_TWO_SORTS_UNKNOWN) == "sat"
    p, out = run_python(OOB_TWO_SORTS_UNKNOWN, calculus)
    assert out.status == "sat", out.reason
    assert model_holds(p, out)
