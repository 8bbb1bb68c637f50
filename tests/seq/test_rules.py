"""Every rule of the sequence calculi (`vecverify.theories.seq`, rule names in `rules.py`) is
needed, and the procedure's answers are right.

For each rule, a small hand-written unsat problem (confirmed unsat by cvc5 on the same text,
independently of the procedure) such that
  (a) the procedure answers unsat with all rules (in the calculus where the rule lives),
  (b) it does not answer unsat with that one rule disabled (it answers unknown: an
      incomplete configuration, or a candidate model that fails the final evaluation),
  (c) the rule's lemmas are counted in the full run.

Whether a problem needs a rule depends on the other rules and on how the procedure builds
its candidate models: when a case here starts answering unsat without its rule, the rule has
become redundant for that problem; find another one or move the rule to NOT_ISOLATED.

Some rules cannot be isolated this way, because other rules of the implementation always do
their work too; for those (see NOT_ISOLATED, with the reasons) the tests check that the rule
fires where it applies (when it does at all) and that the answer is right with and without
it.  `Card` is needed only within a time budget (`test_card_makes_pigeonhole_fast`).

Then sat problems, whose models are checked here by the reference evaluator
(`vecverify.terms.evaluate.Evaluator`), with out-of-bounds `seq.nth` and `seq.update`, and a
few unsat problems about the semantics (out-of-bounds reads, updates, extracts).
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from .helpers import cvc5_status, model_holds, run_python

FULL_TIMEOUT_S = 10.0
DISABLED_TIMEOUT_S = 5.0

INT_SEQS = "(set-logic ALL)\n" + "".join(
    f"(declare-fun {n} () (Seq Int))\n" for n in ("x", "s", "t", "a", "b", "c", "d")) + \
    "(declare-fun i () Int)\n(declare-fun f ((Seq Int)) Int)\n"
BOOL_SEQS = "(set-logic ALL)\n(declare-fun s () (Seq Bool))\n"


@lru_cache(maxsize=None)
def cvc5_answer(text: str) -> str:
    return cvc5_status(text, 20000)


# (rule, calculus, problem body) -- the problem is unsat, and unsat only thanks to the rule
NEEDED: list[tuple[str, str, str]] = [
    # length facts: |s| >= 0
    ("S-A", "base", "(assert (< (seq.len s) 0))"),
    ("S-A", "ext", "(assert (< (seq.len s) 0))"),
    # unit injectivity: nothing else relates unit(i) to i when no nth is around
    ("U-Eq", "base", "(assert (= (seq.unit i) (seq.unit 3))) (assert (not (= i 3)))"),
    ("U-Eq", "ext", "(assert (= (seq.unit i) (seq.unit 3))) (assert (not (= i 3)))"),
    # |s| = 0 -> s ++ t = t
    ("Cat-Empty", "base",
     "(assert (= (seq.len s) 0)) (assert (not (= (seq.++ s t) t)))"),
    ("Cat-Empty", "base",
     "(assert (= (seq.len s) 0)) (assert (= (seq.unit 1) (seq.++ s (seq.unit 0))))"),
    ("Cat-Empty", "ext",
     "(assert (= (seq.len s) 0)) (assert (= (seq.unit 1) (seq.++ s (seq.unit 0))))"),
    # normal forms: a ++ b = c ++ d with |a| = |c| gives a = c
    ("L-Eq", "base", "(assert (= (seq.++ a b) (seq.++ c d))) "
                     "(assert (= (seq.len a) (seq.len c))) (assert (not (= a c)))"),
    ("L-Eq", "ext", "(assert (= (seq.++ a b) (seq.++ c d))) "
                    "(assert (= (seq.len a) (seq.len c))) (assert (not (= a c)))"),
    # |a| < |c| gives c = a ++ k: the first elements agree
    ("L-Split", "base",
     "(assert (= (seq.++ a b) (seq.++ c d))) (assert (< (seq.len a) (seq.len c))) "
     "(assert (<= 1 (seq.len a))) (assert (not (= (seq.nth a 0) (seq.nth c 0))))"),
    ("L-Split", "ext",
     "(assert (= (seq.++ a b) (seq.++ c d))) (assert (< (seq.len a) (seq.len c))) "
     "(assert (<= 1 (seq.len a))) (assert (not (= (seq.nth a 0) (seq.nth c 0))))"),
    # extensionality (lazy, over a stably infinite element sort the witness leaves alone)
    ("Deq-Ext", "ext", "(assert (= (seq.len s) 1)) (assert (not (= s (seq.unit (seq.nth s 0)))))"),
    # reading a concatenation: BASE reduces nth (no Nth-Concat in BASE)
    ("R-Nth", "base", "(assert (= (seq.nth (seq.++ (seq.unit 5) t) 0) 6))"),
    # update reduced to concatenations (BASE; EXT for updates that write a non-unit)
    ("R-Update", "base",
     "(assert (= (seq.len x) 2)) (assert (= (seq.nth (seq.update x 0 (seq.unit 5)) 0) 6))"),
    ("R-Update", "base",
     "(assert (= (seq.len x) 2)) (assert (not (= (seq.update x 5 (seq.unit 1)) x)))"),
    ("R-Update", "ext",
     "(assert (= (seq.len x) 3)) "
     "(assert (= (seq.nth (seq.update x 0 (seq.++ (seq.unit 5) (seq.unit 6))) 1) 7))"),
    # extract reduced to concatenations (BASE; EXT for extracts not of length 1)
    ("R-Extract", "base", "(assert (= (seq.len s) 3)) (assert (= (seq.nth s 1) 7)) "
                          "(assert (= (seq.extract s 1 1) (seq.unit 8)))"),
    ("R-Extract", "ext", "(assert (= (seq.len s) 3)) (assert (= (seq.nth s 1) 7)) "
                         "(assert (= (seq.extract s 1 2) (seq.++ (seq.unit 8) (seq.unit 9))))"),
    # EXT: reading an update elsewhere reads its base
    ("Nth-Update", "ext", "(assert (= (seq.len x) 3)) (assert (= (seq.nth x 1) 4)) "
                          "(assert (= (seq.nth (seq.update x 0 (seq.unit 5)) 1) 6))"),
    # EXT: reading a concatenation reads a part
    ("Nth-Concat", "ext", "(assert (= (seq.nth (seq.++ x (seq.unit 5)) (seq.len x)) 6))"),
    # EXT: a length-1 extract is the unit of a read
    ("Nth-Extract", "ext", "(assert (= (seq.len s) 3)) (assert (= (seq.nth s 1) 7)) "
                           "(assert (= (seq.extract s 1 1) (seq.unit 8)))"),
    # EXT: an update of a concatenation is the concatenation of the updated parts.  The
    # equalities are under `or` so that the solver's preprocessing does not substitute them.
    ("Update-Concat", "ext",
     "(assert (or (= x (seq.++ a b)) (< (seq.len x) 0))) "
     "(assert (or (= (seq.update x 0 (seq.unit 5)) (seq.++ c d)) (< (seq.len x) 0))) "
     "(assert (= (seq.len a) 1)) (assert (= (seq.len c) 1)) (assert (not (= d b)))"),
    # EXT: an update equal to a concatenation splits its base
    ("Update-Concat-Inv", "ext",
     "(assert (= (seq.update x 0 (seq.unit 5)) (seq.++ (seq.unit 5) (seq.unit 2)))) "
     "(assert (not (= (seq.nth x 1) 2)))"),
]

BOOL_BOTH = (BOOL_SEQS + "(assert (= (seq.len s) 1)) (assert (not (= s (seq.unit true)))) "
             "(assert (not (= s (seq.unit false))))")


def pigeonhole(n: int, length: int) -> str:
    """n pairwise distinct Bool sequences of one length: unsat iff 2**length < n."""
    names = [f"p{k}" for k in range(n)]
    return ("(set-logic ALL)\n" + "".join(f"(declare-fun {x} () (Seq Bool))\n" for x in names)
            + "".join(f"(assert (= (seq.len {x}) {length}))\n" for x in names)
            + f"(assert (distinct {' '.join(names)}))\n")


def problem(body: str) -> str:
    if body == "@bool":
        return BOOL_BOTH
    if body == "@bool-f":         # three one-element Bool sequences a function tells apart
        return ("(set-logic ALL)\n" + "".join(f"(declare-fun {n} () (Seq Bool))\n"
                                              f"(assert (= (seq.len {n}) 1))\n" for n in "abc")
                + "(declare-fun f ((Seq Bool)) Int)\n(assert (distinct (f a) (f b) (f c)))\n")
    if body == "@php5":
        return pigeonhole(5, 2)
    return INT_SEQS + body


def _id(case: tuple[str, str, str]) -> str:
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize("rule,calculus,body", NEEDED, ids=[
    f"{_id(c)}-{k}" for k, c in enumerate(NEEDED)])
def test_rule_is_needed(rule: str, calculus: str, body: str) -> None:
    text = problem(body)
    assert cvc5_answer(text) == "unsat"
    _, full = run_python(text, calculus, FULL_TIMEOUT_S)
    assert full.status == "unsat", full.reason
    assert full.stats.lemmas[rule] > 0, full.stats.render()
    _, without = run_python(text, calculus, DISABLED_TIMEOUT_S, disabled=(rule,))
    assert without.status == "unknown", (without.status, without.reason)
    assert rule not in without.stats.lemmas


def test_every_rule_has_a_case() -> None:
    import inspect

    from vecverify.theories.seq import rules, solver
    source = inspect.getsource(rules) + inspect.getsource(solver)
    assert all(f'"{r}"' in source for r in RULES)        # the names the lemmas are counted by
    named = {r for r, _, _ in NEEDED} | {r for r, _, _, _ in NOT_ISOLATED}
    assert named == set(RULES)


RULES = ("S-A", "Len-Split", "U-Eq", "Cat-Empty", "L-Eq", "L-Split", "Deq-Ext", "R-Nth",
         "R-Update", "R-Extract", "Nth-Update", "Nth-Term-From-Update", "Update-Bound",
         "Nth-Concat", "Nth-Unit", "Nth-Extract", "Update-Concat", "Update-Concat-Inv",
         "Update-Unit", "Update-Empty", "Card", "Witness")

# Rules that no problem needs in this implementation: (rule, calculus, an unsat problem where
# the rule applies, whether it fires there).  Why:
# - Len-Split (|t| = 0 -> t = empty): every observer of a length-0 class (a disequality, an
#   out-of-bounds read, a function application) gets a lazy Deq-Ext lemma, whose cases
#   (equal, lengths differ, an in-bounds witness) force t = empty when |t| = 0.
# - Nth-Term-From-Update (nth(update(x,i,unit e), i) = e): the class of an update is valued by
#   the update itself, and every failure that reads position i is repaired by Nth-Update at
#   i (the update indices are among the positions read), which is the same lemma.
# - Update-Bound (writing what is there changes nothing): whatever can tell the update from
#   its base (an equality, a function application) gets Deq-Ext, and its witness is read
#   through Nth-Update; the rule only spares refinement rounds.
# - Nth-Unit (j = 0 -> nth(unit(e), j) = e): U-Eq asserts nth(unit(e), 0) = e for every unit
#   term, and congruence does the rest.
# - Update-Unit, Update-Empty: an update of a unit is fixed by the eager Nth-Term-From-Update,
#   R-Update (out of bounds: identity) and U-Eq; one of empty by R-Update (every index is out of
#   bounds), so the candidate model never gets them wrong and the rules never fire.
# - Witness (the combination layer's wit(phi) over a finite element sort; for the input's
#   sequence atoms it is the calculus' own Deq-Ext, counted as such, so what remains are the
#   arguments of function applications): when the model makes two such arguments collide,
#   the lazy Deq-Ext lemma names the same distinguishing position, so the witness only
#   spares rounds.  What it is needed for
#   is the polite combination itself: tests/combination shows `no`, which has neither the
#   witness nor named gaps, answering such problems sat.
# - Card (pigeonhole over a finite element sort): the Deq-Ext witnesses of the disequalities
#   refute the same problems, but cvc5 has to do the pigeonhole by search, exponentially:
#   `test_card_makes_pigeonhole_fast` shows the rule needed within a time budget.
NOT_ISOLATED: list[tuple[str, str, str, bool]] = [
    ("Witness", "ext", "@bool-f", True),
    ("Len-Split", "base",
     "(assert (= (seq.len s) 0)) (assert (not (= s (as seq.empty (Seq Int)))))", True),
    ("Len-Split", "ext",
     "(assert (= (seq.len s) 0)) (assert (not (= s (as seq.empty (Seq Int)))))", True),
    ("Nth-Term-From-Update", "ext",
     "(assert (= (seq.len x) 1)) "
     "(assert (= (f (seq.update x 0 (seq.unit 5))) 1)) (assert (= (f (seq.unit 5)) 2))", True),
    ("Update-Bound", "ext",
     "(assert (= (seq.len x) 2)) "
     "(assert (not (= (f (seq.update x 0 (seq.unit (seq.nth x 0)))) (f x))))", True),
    ("Nth-Unit", "ext",
     "(assert (= (seq.nth (seq.unit 5) i) 6)) (assert (<= 0 i)) (assert (<= i 0))", True),
    ("Update-Unit", "ext",
     "(assert (or (= x (seq.unit 1)) (< (seq.len x) 0))) "
     "(assert (or (= a (seq.unit 2)) (< (seq.len x) 0))) "
     "(assert (= (seq.update x i (seq.unit 5)) (seq.update a 0 (seq.unit 6))))", False),
    ("Update-Empty", "ext",
     "(assert (= (seq.len x) 0)) (assert (not (= (seq.update x i (seq.unit 5)) x)))", False),
    ("Card", "base", "@php5", True),
    ("Card", "ext", "@php5", True),
]


@pytest.mark.parametrize("rule,calculus,body,fires", NOT_ISOLATED, ids=[
    f"{r}-{c}" for r, c, _, _ in NOT_ISOLATED])
def test_rule_not_isolated_still_right(rule: str, calculus: str, body: str,
                                       fires: bool) -> None:
    text = problem(body)
    assert cvc5_answer(text) == "unsat"
    _, full = run_python(text, calculus, FULL_TIMEOUT_S)
    assert full.status == "unsat", full.reason
    if fires:
        assert full.stats.lemmas[rule] > 0, full.stats.render()
    _, without = run_python(text, calculus, DISABLED_TIMEOUT_S, disabled=(rule,))
    assert without.status != "sat", without.model       # never a wrong answer
    assert rule not in without.stats.lemmas


@pytest.mark.parametrize("calculus", ["ext", "base"])
def test_card_makes_pigeonhole_fast(calculus: str) -> None:
    """9 distinct Bool sequences of length 3 (8 values).  cvc5's default sequence solver does
    not refute it in 20 s either; its array-style solver (`seq-array`) does at once, which is
    the confirmation used here."""
    text = pigeonhole(9, 3)
    assert cvc5_status(text, 20000, {"seq-array": "lazy"}) == "unsat"
    _, full = run_python(text, calculus, FULL_TIMEOUT_S)
    assert full.status == "unsat", full.reason
    assert full.stats.lemmas["Card"] > 0
    _, without = run_python(text, calculus, 2.0, disabled=("Card",))
    assert without.status == "unknown", (without.status, without.reason)


# -- sat problems: the model is checked here --------------------------------------------------
SAT_HEADER = ("(set-logic ALL)\n(declare-fun x () (Seq Int))\n(declare-fun y () (Seq Int))\n"
              "(declare-fun i () Int)\n(declare-fun j () Int)\n")
E_HEADER = ("(set-logic ALL)\n(declare-sort E 0)\n(declare-fun u () (Seq E))\n"
            "(declare-fun v () (Seq E))\n(declare-fun e () E)\n(declare-fun i () Int)\n")

SAT: dict[str, str] = {
    # out-of-bounds nth: any value, a function of the sequence value and the index
    "oob-nth-value": "(assert (= (seq.len x) 2)) (assert (= (seq.nth x 5) 7)) "
                     "(assert (= (seq.nth x (- 1)) 8))",
    "oob-nth-distinct-seqs": "(assert (= (seq.len x) 1)) (assert (= (seq.len y) 1)) "
                             "(assert (= (seq.nth x 3) 5)) (assert (= (seq.nth y 3) 6))",
    "oob-nth-empty": "(assert (= (seq.nth (as seq.empty (Seq Int)) i) 4)) "
                     "(assert (= (seq.nth x i) 5))",
    "oob-nth-of-update": "(assert (= (seq.len x) 1)) "
                         "(assert (= (seq.nth (seq.update x 0 (seq.unit 3)) 1) 9)) "
                         "(assert (= (seq.nth x 1) 8))",
    # out-of-bounds update: the identity
    "oob-update-identity": "(assert (= (seq.len x) 2)) "
                           "(assert (= (seq.update x i (seq.unit 9)) x)) "
                           "(assert (not (= (seq.nth x 0) 9))) (assert (not (= (seq.nth x 1) 9)))",
    "update-changes": "(assert (not (= (seq.update x i (seq.unit 9)) x))) "
                      "(assert (= (seq.nth (seq.update x i (seq.unit 9)) j) 3))",
    "update-truncates": "(assert (= (seq.update x 1 (seq.++ (seq.unit 4) (seq.unit 5))) "
                        "(seq.++ (seq.unit 1) (seq.unit 4))))",
    "update-chain": "(assert (= (seq.len x) 3)) "
                    "(assert (= (seq.update (seq.update x 0 (seq.unit 1)) i (seq.unit 2)) "
                    "(seq.update x 0 (seq.unit 1)))) (assert (not (= i 0)))",
    "extract-truncates": "(assert (= (seq.extract x 1 5) (seq.unit 3))) "
                         "(assert (= (seq.nth x 0) 4))",
    "extract-oob-empty": "(assert (= (seq.extract x i 2) (as seq.empty (Seq Int)))) "
                         "(assert (< 0 (seq.len x)))",
    "pointwise-but-distinct": "(assert (= (seq.nth x i) (seq.nth y i))) (assert (not (= x y))) "
                              "(assert (= (seq.len x) (seq.len y))) (assert (<= 0 i)) "
                              "(assert (< i (seq.len x)))",
    "concat": "(assert (= (seq.++ x (seq.unit 1)) (seq.++ (seq.unit 2) y))) "
              "(assert (<= 2 (seq.len x)))",
}
E_SAT: dict[str, str] = {
    "e-distinct-elements": "(assert (= (seq.len u) 2)) "
                           "(assert (not (= (seq.nth u 0) (seq.nth u 1))))",
    "e-update": "(assert (= (seq.update u i (seq.unit e)) v)) (assert (not (= u v))) "
                "(assert (not (= (seq.nth u 0) e)))",
    "e-oob-nth": "(assert (= (seq.len u) 0)) (assert (= (seq.nth u 0) e)) "
                 "(assert (not (= (seq.nth v 0) e))) (assert (= (seq.len v) 1))",
}
SAT_CASES = [(k, SAT_HEADER + b) for k, b in SAT.items()] + \
    [(k, E_HEADER + b) for k, b in E_SAT.items()]


@pytest.mark.parametrize("calculus", ["ext", "base"])
@pytest.mark.parametrize("name,text", SAT_CASES, ids=[k for k, _ in SAT_CASES])
def test_sat_model_satisfies_the_input(name: str, text: str, calculus: str) -> None:
    assert cvc5_answer(text) == "sat"
    p, out = run_python(text, calculus, FULL_TIMEOUT_S)
    assert out.status == "sat", out.reason
    assert model_holds(p, out), (out.model, out.probes)


# -- unsat problems about the semantics ------------------------------------------------------
UNSAT: dict[str, str] = {
    # nth out of bounds is a function of the sequence value and the index
    "oob-nth-functional": "(assert (= x y)) (assert (not (= (seq.nth x 5) (seq.nth y 5))))",
    "oob-nth-empty-functional": "(assert (= (seq.len x) 0)) (assert (= (seq.len y) 0)) "
                                "(assert (not (= (seq.nth x 0) (seq.nth y 0))))",
    "oob-nth-update-functional": "(assert (= (seq.len x) 1)) "
                                 "(assert (not (= (seq.nth (seq.update x 3 (seq.unit 1)) 3) "
                                 "(seq.nth x 3))))",
    # update writes within bounds only, truncated at the end
    "update-in-bounds": "(assert (<= 0 i)) (assert (< i (seq.len x))) "
                        "(assert (not (= (seq.nth (seq.update x i (seq.unit 4)) i) 4)))",
    "update-truncated": "(assert (= (seq.len x) 2)) "
                        "(assert (not (= (seq.len (seq.update x 1 (seq.++ (seq.unit 4) "
                        "(seq.unit 5)))) 2)))",
    "update-commutes": "(assert (= (seq.len x) 3)) "
                       "(assert (not (= (seq.update (seq.update x 0 (seq.unit 1)) 1 (seq.unit 2)) "
                       "(seq.update (seq.update x 1 (seq.unit 2)) 0 (seq.unit 1)))))",
    "extract-empty-when-oob": "(assert (< i 0)) "
                              "(assert (not (= (seq.extract x i 1) (as seq.empty (Seq Int)))))",
}


@pytest.mark.parametrize("calculus", ["ext", "base"])
@pytest.mark.parametrize("name,body", list(UNSAT.items()), ids=list(UNSAT))
def test_unsat_semantics(name: str, body: str, calculus: str) -> None:
    text = SAT_HEADER + body
    assert cvc5_answer(text) == "unsat"
    _, out = run_python(text, calculus, FULL_TIMEOUT_S)
    assert out.status == "unsat", (out.status, out.reason)


# -- disabling a rule must give unknown, not a crash -----------------------------------------
def test_disabling_s_a_does_not_crash() -> None:
    """With S-A disabled a class's value could be shorter than the length cvc5 gives it
    (|update| = |x| is an S-A lemma), and SeqSolver._refine indexed it out of range
    (IndexError; fixed in fca7e82)."""
    text = ("(set-logic ALL)\n(declare-fun x () (Seq Int))\n(declare-fun i () Int)\n"
            "(assert (= x (seq.update (as seq.empty (Seq Int)) i x)))\n")
    assert cvc5_answer(text) == "sat"
    for calculus in ("ext", "base"):
        p, out = run_python(text, calculus, 2.0, disabled=("S-A",))
        assert out.status != "unsat"
        assert out.status == "unknown" or model_holds(p, out)
