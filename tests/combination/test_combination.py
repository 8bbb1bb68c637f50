"""The theory-combination layer (`vecverify.theories.combination`): sort classification,
purification, the witness, and the three strategies on problems where the choice decides the
answer.

The problems that separate them are finite element sorts: Nelson-Oppen (`no`) arranges only
shared variables, fills unnamed positions with elements the sort does not have, and answers
sat where the polite and hybrid methods (and cvc5, where it answers) say unsat.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from vecverify.terms.sorts import BOOL, INT, BitVecSort, UninterpretedSort
from vecverify.terms.walkers import postorder
from vecverify.terms.ops import Op
from vecverify.theories.combination import Combination, Refused, classify, purify
from vecverify.theories.combination.witness import witness_bound, witness_pairs
from vecverify.theories.seq import SeqSolver

from ..seq.helpers import cvc5_status, model_holds, parse
from ..seq.test_differential import problems
from ..test_smtlib_reader import run_cli

BV1 = "(_ BitVec 1)"


def run(text: str, combination: str, unsound_ok: bool = False, timeout_s: float = 10.0):
    p = parse(text)
    out = SeqSolver(p.tm, timeout_s=timeout_s, combination=combination,
                    unsound_ok=unsound_ok).check(p.assertions)
    return p, out


def distinct_seqs(n: int, length: int, sort: str) -> str:
    """n pairwise distinct sequences of one length over `sort`."""
    names = [f"x{k}" for k in range(n)]
    return ("(set-logic ALL)\n" + "".join(f"(declare-fun {x} () (Seq {sort}))\n" for x in names)
            + "".join(f"(assert (= (seq.len {x}) {length}))\n" for x in names)
            + f"(assert (distinct {' '.join(names)}))\n")


# -- classification -------------------------------------------------------------------------
def test_sort_classification() -> None:
    assert classify(INT).stably_infinite and classify(INT).effectively_infinite
    e = classify(UninterpretedSort("E"))
    assert e.stably_infinite and e.cardinality is None
    for sort, k in ((BOOL, 2), (BitVecSort(1), 2), (BitVecSort(8), 256)):
        for needed in (300, None):
            c = classify(sort, needed)
            assert (c.cardinality, c.stably_infinite, c.effectively_infinite) == \
                (k, False, False)
    # a wide bit-vector is effectively infinite when the witness cannot exhaust it ...
    assert classify(BitVecSort(8), needed=256).effectively_infinite
    assert not classify(BitVecSort(8), needed=257).effectively_infinite
    assert classify(BitVecSort(256), needed=10**6).effectively_infinite
    # ... which the witness bound decides: 257 distinct u8 sequences need 2*C(257,2)+1 names
    p = parse(distinct_seqs(3, 1, BV1))
    parts = purify(p.tm, p.assertions)
    pairs = witness_pairs(parts, BitVecSort(1))
    assert len(pairs) == 3 and witness_bound(parts, BitVecSort(1), pairs) == 2 * 3 + 1


# -- purification ---------------------------------------------------------------------------
MIXED = """(set-logic ALL)
(declare-fun s () (Seq (_ BitVec 4)))
(declare-fun b () (Seq Bool))
(declare-fun x () (_ BitVec 4))
(declare-fun i () Int)
(assert (= (bvadd (seq.nth s i) #x1) x))
(assert (or (= s (seq.unit (bvadd x #x2))) (seq.nth b 0)))
(assert (not (= s (seq.update s 0 (seq.unit x)))))
(assert (> (seq.len s) (+ i 1)))
"""


def _ops(t) -> set:
    return {u.op for u in postorder(t)}


def test_purification_separates_the_parts_and_finds_shared_variables() -> None:
    p = parse(MIXED)
    parts = purify(p.tm, p.assertions)
    # the element part has no sequence operator except lengths in integer positions
    for f in parts.elem_part:
        assert not (_ops(f) & {Op.SEQ_NTH, Op.SEQ_UNIT, Op.SEQ_UPDATE, Op.SEQ_CONCAT}), f
    # the sequence part has no bit-vector operator: bvadd went to the element side
    for f in parts.seq_part:
        assert Op.BV not in _ops(f), f
    bv4 = BitVecSort(4)
    shared = {v.name.split("!")[0] if v.name.startswith("@") else v.name
              for v in parts.shared(bv4)}
    # the read nth(s, i) and the unit argument x+2 are purified; x itself occurs on both sides
    assert shared == {"@p", "x"} and len(parts.shared(bv4)) == 3
    assert len(parts.shared(BOOL)) == 1          # the Boolean read (seq.nth b 0)
    # purification preserves satisfiability: both parts together are decided like the input
    assert run(MIXED, "hybrid")[1].status == "sat"
    conj = parse(MIXED)
    both = purify(conj.tm, conj.assertions)
    out = SeqSolver(conj.tm).check(both.seq_part + both.elem_part)
    assert out.status == "sat"


# -- the problems NO gets wrong ---------------------------------------------------------------
WRONG_FOR_NO = [
    ("three one-element (_ BitVec 1) sequences", distinct_seqs(3, 1, BV1), True),
    ("three one-element Bool sequences", distinct_seqs(3, 1, "Bool"), True),
    ("nine length-3 (_ BitVec 1) sequences", distinct_seqs(9, 3, BV1), False),
    ("257 one-element u8 sequences", distinct_seqs(257, 1, "(_ BitVec 8)"), False),
]


@pytest.mark.parametrize("name,text,cvc5_answers", WRONG_FOR_NO,
                         ids=[w[0].replace(" ", "-") for w in WRONG_FOR_NO])
def test_no_answers_sat_polite_and_hybrid_unsat(name: str, text: str,
                                                 cvc5_answers: bool) -> None:
    if cvc5_answers:                 # the ground truth, where cvc5 decides it quickly
        assert cvc5_status(text, 20000) == "unsat"
    _, no = run(text, "no", unsound_ok=True, timeout_s=30)   # an answer, not a speed test
    assert no.status == "sat", no.reason                  # Nelson-Oppen is unsound here
    for strategy in ("polite", "hybrid"):
        _, out = run(text, strategy, timeout_s=30)
        assert out.status == "unsat", (strategy, out.reason)
        assert out.stats.lemmas["Card"] >= 1             # answered by cardinality


def test_no_is_refused_on_finite_sorts_without_unsound_ok() -> None:
    _, out = run(distinct_seqs(3, 1, BV1), "no")
    assert out.status == "unknown" and out.reason.startswith("refused:")
    assert BV1 in out.reason
    # on a stably infinite sort it runs, and is right
    _, out = run(distinct_seqs(3, 1, "Int"), "no")
    assert out.status == "sat"


def test_wide_bit_vectors_are_arranged_like_stably_infinite_sorts() -> None:
    text = distinct_seqs(4, 1, "(_ BitVec 8)")
    p, out = run(text, "hybrid")
    assert out.status == "sat" and model_holds(p, out)
    sort = out.stats.combination["sorts"]["(_ BitVec 8)"]
    assert sort["treatment"] == "shared-only" and sort["arranged"] == 0
    _, no = run(text, "no")                      # effectively infinite: `no` is not refused
    assert no.status == "sat"


@pytest.mark.parametrize("strategy", ["polite", "hybrid"])
def test_finite_sort_models_use_only_values_of_the_sort(strategy: str) -> None:
    text = distinct_seqs(4, 2, BV1)                 # 4 of the 4 length-2 bit strings
    p, out = run(text, strategy)
    assert out.status == "sat", out.reason
    assert model_holds(p, out)
    assert sorted(out.model[f"x{k}"] for k in range(4)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


# -- hybrid arranges fewer variables, with the same answers ----------------------------------
def mixed_family(n: int) -> str:
    """n pairwise distinct (Seq Int) of length 2 whose first elements feed arithmetic, and two
    distinct (Seq Bool) of length 1: Int is stably infinite, Bool is not."""
    xs = [f"x{k}" for k in range(n)]
    return ("(set-logic ALL)\n" + "".join(f"(declare-fun {x} () (Seq Int))\n" for x in xs)
            + "(declare-fun b0 () (Seq Bool))\n(declare-fun b1 () (Seq Bool))\n"
            + "".join(f"(assert (= (seq.len {x}) 2))\n" for x in xs)
            + f"(assert (distinct {' '.join(xs)}))\n"
            + f"(assert (< 0 (+ {' '.join(f'(seq.nth {x} 0)' for x in xs)})))\n"
            + "(assert (= (seq.len b0) 1))\n(assert (= (seq.len b1) 1))\n"
            + "(assert (not (= b0 b1)))\n")


def test_hybrid_arranges_only_shared_variables_of_stably_infinite_sorts() -> None:
    text = mixed_family(6)
    _, polite = run(text, "polite")
    _, hybrid = run(text, "hybrid")
    assert polite.status == hybrid.status == "sat"
    ps, hs = polite.stats.combination["sorts"], hybrid.stats.combination["sorts"]
    # Int: hybrid arranges the six shared reads; polite every read of the witnessed formula
    assert hs["Int"]["treatment"] == "shared-only" and hs["Int"]["arranged"] == 6
    assert ps["Int"]["arranged"] == 6 + 2 * 15 + 1        # + two reads per pair + w
    # Bool is finite: both arrange all its witnessed variables
    assert ps["Bool"] == hs["Bool"]
    # the witness of the input's atoms is the calculus' eager Deq-Ext, in every strategy
    assert polite.stats.lemmas["Deq-Ext"] == hybrid.stats.lemmas["Deq-Ext"] == 16


# -- random formulas over finite element sorts ------------------------------------------------
def finite_variant(text: str) -> str:
    """The generator's formulas over an uninterpreted E, with E read as Bool."""
    return (text.replace("(declare-sort E 0)\n", "").replace("(Seq E)", "(Seq Bool)")
            .replace("() E)", "() Bool)"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(problems())
def test_polite_and_hybrid_never_contradict_cvc5_on_bool_sequences(text: str) -> None:
    text = finite_variant(text)
    expected = cvc5_status(text, 2000)
    answers = {}
    for strategy in ("polite", "hybrid"):
        p, out = run(text, strategy, timeout_s=2.0)
        answers[strategy] = out.status
        if out.status == "sat":
            assert model_holds(p, out), (strategy, out.model, text)
            assert expected != "unsat", (strategy, text)
        elif out.status == "unsat":
            assert expected != "sat", (strategy, text)
    assert "sat" not in answers.values() or "unsat" not in answers.values(), (answers, text)


# -- the command line ---------------------------------------------------------------------------
def test_cli_combination_flag_and_stats(tmp_path: Path) -> None:
    f = tmp_path / "bv1.smt2"
    f.write_text(distinct_seqs(3, 1, BV1) + "(check-sat)\n")
    proc = run_cli(str(f), "--solver", "python", "--combination", "no")
    assert proc.returncode == 0 and proc.stdout.split() == ["unknown"]
    assert "refused: --combination no is unsound" in proc.stderr
    proc = run_cli(str(f), "--solver", "python", "--combination", "no", "--unsound-ok")
    assert proc.stdout.split() == ["sat"]
    assert "warning: sat under --combination no --unsound-ok" in proc.stderr
    for strategy in ("polite", "hybrid"):
        proc = run_cli(str(f), "--solver", "python", "--combination", strategy,
                       "--stats")
        assert proc.stdout.split() == ["unsat"], proc.stderr
        # cardinality refutes it before the witness is built: only w is arranged
        assert f"combination {strategy} [(_ BitVec 1) polite: 1 arranged (0 shared)]" in \
            proc.stderr and "Card 1" in proc.stderr
    proc = run_cli(str(f), "--combination", "polite")        # cvc5: no such option
    assert proc.returncode == 3 and "error:" in proc.stderr and "Traceback" not in proc.stderr


def run_verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vecverify", "verify", *args],
                          capture_output=True, text=True, timeout=300)


def test_cli_verify_with_combination_stats() -> None:
    root = Path(__file__).resolve().parents[2]
    example = root / "examples" / "vec" / "correct" / "swap.vec"
    proc = run_verify(str(example), "--solver", "python", "--combination", "polite",
                   "--stats")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "combination=polite" in proc.stderr and "combination_arranged=" in proc.stderr


def test_arranged_terms_are_read_without_voiding_the_model() -> None:
    """Regression: the arrangement was read off purified copies of the input terms, whose
    abstraction asserted new definitions between cvc5's answer and the reading of its model;
    the stale values made this satisfiable problem `unknown` ("no rule repairs nth")."""
    text = ("(set-logic ALL)\n(declare-fun f () (Seq Bool))\n(declare-fun i () Int)\n"
            "(assert (<= 0 i))\n(assert (< i (seq.len f)))\n"
            "(assert (not (= (seq.nth (seq.update f i (seq.unit (not (seq.nth f i)))) i) "
            "(seq.nth f i))))\n")
    for strategy in ("polite", "hybrid"):
        p, out = run(text, strategy)
        assert out.status == "sat", (strategy, out.reason)
        assert model_holds(p, out)


def test_benchmark_script_measures_and_tabulates() -> None:
    """benchmarks/combination.py on two small problems: identical answers, fewer arranged
    variables for hybrid, and a table row per family."""
    import importlib.util
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("comb_bench",
                                                  root / "benchmarks" / "combination.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench              # dataclasses look their module up there
    spec.loader.exec_module(bench)
    problems = [bench.Problem("mixed", "mixed-3", bench.mixed(3)),
                bench.Problem("bv1", "bv1-3-1", bench.distinct_bv1(3, 1))]
    rows = bench.measure(problems, timeout_s=10.0, repeat=1)
    assert not bench.disagreements(rows)
    by = {(r["problem"], r["strategy"]): r for r in rows}
    assert by[("mixed-3", "hybrid")]["status"] == "sat"
    assert by[("bv1-3-1", "hybrid")]["status"] == by[("bv1-3-1", "polite")]["status"] == "unsat"
    assert by[("bv1-3-1", "no")]["reason"].startswith("refused")
    assert by[("mixed-3", "hybrid")]["arranged"] < by[("mixed-3", "polite")]["arranged"]
    text = bench.table(rows)
    assert "| mixed | 1 |" in text and "| bv1 | 1 |" in text
