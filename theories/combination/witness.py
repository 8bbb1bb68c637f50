"""The witness function of the sequence theory, and why it makes the theory strongly finitely
witnessable with respect to an element sort E.

Fragment: `seq.empty`, `seq.unit`, `seq.++`, `seq.len`, `seq.nth`, `seq.update`,
`seq.extract`, uninterpreted functions over sequences, linear integer arithmetic on lengths and
indices; `seq.nth` out of bounds is an unconstrained function of (sequence, index).

Witness.  For a purified sequence part phi (in flat form every sequence and element subterm is
named by a variable) and a set of element sorts to witness:

    wit(phi) = phi  and  w_E = w_E                                   (w_E : E fresh)
                    and  D(x, y)   for every atom x = y over (Seq E) in phi, and for every
                                   pair of sequence arguments at one position of two
                                   applications of one uninterpreted function
    D(x, y)  = x = y  or  |x| != |y|  or  (0 <= k < |x|  and  nth(x, k) != nth(y, k))

with k fresh per pair; the element variables it adds are the two reads.  `D` is the
calculus' Deq-Ext lemma, here asserted up front and for both polarities of the atom.

Condition 1 (phi and exists-fresh. wit(phi) are equivalent).  Each D(x, y) is valid once k is
existentially quantified: two different sequences of one length differ at some position in
bounds, and `w_E = w_E` is valid.  So wit only adds conjuncts that are valid modulo the
existential closure of its fresh variables.

Condition 2' (strong finite witnessability).  Let A satisfy wit(phi) and delta, where delta is
any arrangement of any finite set of variables of sort E, and let N be the set of values A
gives the E-variables of wit(phi) and delta (not empty: w_E is one).  Define h on A_E as the
identity on N and as w_E^A everywhere else, and let B be A with E restricted to N, every
sequence mapped pointwise by h, and out-of-bounds reads of B defined as h of A's.
- h commutes with every operator of the fragment: `len` keeps lengths, `nth` in bounds reads
  the mapped element, `unit`, `++`, `update`, `extract` are defined position by position, and
  out-of-bounds reads were defined through h.  Integers are untouched.
- Every element literal of wit(phi) and delta holds in B: its variables take values in N, on
  which h is the identity.
- A sequence equality that holds in A holds in B (h is a function).  A sequence disequality
  x != y of wit(phi) holds in B: by D(x, y) the lengths differ, or position k holds two
  different values that are values of the variables nth(x, k), nth(y, k), hence in N and
  kept apart by h.  The same argument keeps the arguments of two applications of an
  uninterpreted function apart where A does, so B can interpret the function as A does.
So B satisfies wit(phi) and delta and every element of B_E is the value of a variable:
exactly condition 2'.  Collapsing does not break a literal that delta adds, because delta only
relates variables, whose values h fixes.

Smoothness (so together: strongly polite).  Adding fresh elements to E changes no sequence
over the old ones, so models grow to any cardinality (this holds for the whole theory).

Not covered: `seq.contains`, `seq.indexof`, `seq.replace`, `seq.prefixof`, `seq.suffixof`
(collapsing can create occurrences); the reader refuses them, so they never reach the solver.
"""
from __future__ import annotations

from itertools import combinations

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.sorts import Sort

from .purify import Purification


def witness_pairs(p: Purification, sort: Sort, facts: set[Term] = frozenset()) -> list[tuple[Term, Term]]:  # type: ignore[assignment]
    """The pairs of (Seq sort) terms the witness must keep apart by a named position: each
    atom x = y (unless asserted as a fact, when no model separates them), and the sequence
    arguments of two applications of one function."""
    out: dict[tuple[Term, Term], None] = {}
    for atom in p.seq_atoms.get(sort, {}):
        if atom not in facts:
            x, y = atom.args
            out[(x, y) if x.id < y.id else (y, x)] = None
    apps = list(p.functions.get(sort, {}))
    for f, g in combinations(apps, 2):
        if f.payload != g.payload:
            continue
        for a, b in zip(f.args, g.args):
            if a is not b and getattr(a.sort, "elem", None) == sort:
                out[(a, b) if a.id < b.id else (b, a)] = None
    return list(out)


def witness_bound(p: Purification, sort: Sort, pairs: list[tuple[Term, Term]]) -> int:
    """|vars_E(wit(phi))| for the witness pairs `pairs` of `sort`: the variables of sort E of
    the witnessed sequence part (its own, two reads per pair, and w_E).  No arrangement needs
    more values than this."""
    return len(p.seq_vars.get(sort, {})) + 2 * len(pairs) + 1


def base_element(tm: TermManager, sort: Sort) -> Term:
    """w_E: the fresh element that keeps E inhabited and that every unnamed position of the
    minimal model collapses to."""
    return tm.fresh_var("@w", sort)
