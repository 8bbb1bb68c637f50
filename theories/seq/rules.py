"""The lemma schemas of the sequence calculi, as instances over the abstraction's terms.

Every function returns `(rule, lemma)` pairs.  A lemma is a valid formula of the theory of
sequences (the calculus' inference read as a clause), or introduces fresh Skolem symbols that
the premise determines uniquely (the `p`, `q` of a reduction, the witness index `k` of
extensionality), so adding it preserves satisfiability of the input.  That is all the
refutation soundness of the procedure rests on: cvc5 answers unsat only for the input plus
such lemmas.

Rule names follow the paper ("Reasoning About Vectors using an SMT Theory of Sequences") where
it names them and cvc5's inference identifiers otherwise:

- BASE: `S-A` (length facts), `Len-Split` (`|t| = 0 -> t = empty`), `U-Eq` (unit injectivity,
  as `nth(unit(e), 0) = e`), `Cat-Empty`, `L-Eq` and `L-Split` (normal-form unification),
  `Deq-Ext` (extensionality for disequalities), the reductions `R-Nth`, `R-Update`,
  `R-Extract`.
- EXT: `Nth-Update`, `Nth-Term-From-Update`, `Update-Bound`, `Nth-Concat`, `Nth-Unit`,
  `Nth-Extract`, `Update-Concat`, `Update-Concat-Inv`, `Update-Unit`, `Update-Empty`.  EXT
  handles `update(x, i, unit(e))` and length-1 `extract` array-style and reduces the others
  with the BASE reductions (as cvc5's `--seq-array` does).
- Both: `Card` (pigeonhole over a finite element sort: n asserted pairwise distinct sequences
  of one length L need k**L >= n).
"""
from __future__ import annotations

from typing import Callable

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import Op
from vecverify.terms.sorts import INT

Lemma = tuple[str, Term]


class Rules:
    """Builds lemma instances; Skolems are memoized per (purpose, terms) so that an instance
    asked for twice is the same term (and deduplicated by the solver)."""

    def __init__(self, tm: TermManager, ext: bool, rest: Callable[[Term], Term]) -> None:
        self.tm = tm
        self.ext = ext
        self.rest = rest
        self._skolems: dict[tuple, Term] = {}
        self.zero = tm.int(0)
        self.one = tm.int(1)

    # -- helpers -------------------------------------------------------------------------
    def skolem(self, purpose: str, key: tuple, sort) -> Term:
        k = (purpose, key)
        found = self._skolems.get(k)
        if found is None:
            found = self.tm.fresh_var(f"@{purpose}", sort)
            self._skolems[k] = found
        return found

    def len(self, s: Term) -> Term:
        return self.tm.seq_len(s)

    def inb(self, i: Term, s: Term) -> Term:
        """0 <= i < |s|"""
        tm = self.tm
        return tm.and_(tm.le(self.zero, i), tm.lt(i, self.len(s)))

    def handled_update(self, t: Term) -> bool:
        """EXT treats `update(x, i, unit(e))` like an array store."""
        return self.ext and t.args[2].op is Op.SEQ_UNIT

    def handled_extract(self, t: Term) -> bool:
        return self.ext and t.args[2].op is Op.INT_CONST and t.args[2].payload == 1

    # -- eager: on registering a sequence term -------------------------------------------
    def on_seq_term(self, t: Term) -> list[Lemma]:
        tm, ln = self.tm, self.len
        out: list[Lemma] = [("S-A", tm.le(self.zero, ln(t)))]
        if t.op is not Op.SEQ_EMPTY:
            out.append(("Len-Split", tm.implies(tm.eq(ln(t), self.zero),
                                                tm.eq(t, tm.seq_empty(t.sort)))))
        op = t.op
        if op is Op.SEQ_EMPTY:
            out.append(("S-A", tm.eq(ln(t), self.zero)))
        elif op is Op.SEQ_UNIT:
            out.append(("S-A", tm.eq(ln(t), self.one)))
            out.append(("U-Eq", tm.eq(tm.seq_nth(t, self.zero), t.args[0])))
        elif op is Op.SEQ_CONCAT:
            a, r = t.args[0], self.rest(t)
            out.append(("S-A", tm.eq(ln(t), tm.add(ln(a), ln(r)))))
            out.append(("Cat-Empty", tm.implies(tm.eq(ln(a), self.zero), tm.eq(t, r))))
            out.append(("Cat-Empty", tm.implies(tm.eq(ln(r), self.zero), tm.eq(t, a))))
        elif op is Op.SEQ_UPDATE:
            out += self._update(t)
        elif op is Op.SEQ_EXTRACT:
            out += self._extract(t)
        return out

    def _update(self, t: Term) -> list[Lemma]:
        tm, ln = self.tm, self.len
        x, i, z = t.args
        inb = self.inb(i, x)
        out: list[Lemma] = [("S-A", tm.eq(ln(t), ln(x))),
                            ("R-Update", tm.implies(tm.not_(inb), tm.eq(t, x)))]
        if self.handled_update(t):
            e = z.args[0]
            out.append(("Nth-Term-From-Update", tm.implies(inb, tm.eq(tm.seq_nth(t, i), e))))
            return out
        p = self.skolem("p", ("update", t), x.sort)
        w = self.skolem("w", ("update", t), x.sort)
        q = self.skolem("q", ("update", t), x.sort)
        zz = z if z.op is Op.SEQ_UNIT else tm.seq_extract(z, self.zero, tm.sub(ln(x), i))
        out.append(("R-Update", tm.implies(inb, tm.and_(
            tm.eq(t, tm.seq_concat(p, zz, q)), tm.eq(x, tm.seq_concat(p, w, q)),
            tm.eq(ln(p), i), tm.eq(ln(zz), ln(w))))))
        return out

    def _extract(self, t: Term) -> list[Lemma]:
        tm, ln = self.tm, self.len
        s, i, j = t.args
        cond = tm.and_(self.inb(i, s), tm.lt(self.zero, j))
        room = tm.sub(ln(s), i)
        out: list[Lemma] = [("S-A", tm.eq(ln(t), tm.ite(cond, tm.ite(tm.lt(j, room), j, room),
                                                         self.zero)))]
        if self.handled_extract(t):
            out.append(("Nth-Extract", tm.implies(cond, tm.eq(t, tm.seq_unit(tm.seq_nth(s, i))))))
        else:
            p = self.skolem("p", ("extract", t), s.sort)
            q = self.skolem("q", ("extract", t), s.sort)
            out.append(("R-Extract", tm.implies(cond, tm.and_(
                tm.eq(s, tm.seq_concat(p, t, q)), tm.eq(ln(p), i)))))
        out.append(("R-Extract", tm.implies(tm.not_(cond), tm.eq(t, tm.seq_empty(t.sort)))))
        return out

    # -- eager: on registering nth(s, i) -------------------------------------------------
    def on_nth(self, n: Term) -> list[Lemma]:
        tm = self.tm
        s, i = n.args
        if not self.ext:
            if s.op is Op.SEQ_UNIT:     # U-Eq and congruence decide it; reducing would loop
                return []
            p = self.skolem("p", ("nth", n), s.sort)
            q = self.skolem("q", ("nth", n), s.sort)
            return [("R-Nth", tm.implies(self.inb(i, s), tm.and_(
                tm.eq(s, tm.seq_concat(p, tm.seq_unit(n), q)), tm.eq(self.len(p), i))))]
        # EXT pushes a read through the operator that built its sequence, syntactically
        if s.op is Op.SEQ_UPDATE and self.handled_update(s):
            return [self.nth_update(s, i)]
        if s.op is Op.SEQ_CONCAT:
            return self.nth_concat(s, i)
        if s.op is Op.SEQ_UNIT:
            return [self.nth_unit(s, i)]
        return []

    # -- instances used both eagerly and on demand ---------------------------------------
    def nth_update(self, y: Term, j: Term) -> Lemma:
        """y = update(x, i, unit(e)):  0 <= j < |x|  ->  nth(y, j) = ite(j = i, e, nth(x, j))"""
        tm = self.tm
        x, i, z = y.args
        return ("Nth-Update", tm.implies(self.inb(j, x), tm.eq(
            tm.seq_nth(y, j), tm.ite(tm.eq(j, i), z.args[0], tm.seq_nth(x, j)))))

    def update_bound(self, y: Term) -> Lemma:
        """y = update(x, i, unit(e)): writing what is already there changes nothing.  Used on
        demand (eagerly its read of x at i would be pushed down every update chain)."""
        tm = self.tm
        x, i, z = y.args
        return ("Update-Bound", tm.implies(tm.and_(self.inb(i, x),
                                                   tm.eq(tm.seq_nth(x, i), z.args[0])),
                                           tm.eq(y, x)))

    def nth_concat(self, c: Term, j: Term) -> list[Lemma]:
        """c = a ++ r:  nth(c, j) is nth(a, j) or nth(r, j - |a|), by where j falls."""
        tm, ln = self.tm, self.len
        a, r = c.args[0], self.rest(c)
        n = tm.seq_nth(c, j)
        return [("Nth-Concat", tm.implies(self.inb(j, a), tm.eq(n, tm.seq_nth(a, j)))),
                ("Nth-Concat", tm.implies(
                    tm.and_(tm.le(ln(a), j), tm.lt(j, ln(c))),
                    tm.eq(n, tm.seq_nth(r, tm.sub(j, ln(a))))))]

    def nth_unit(self, u: Term, j: Term) -> Lemma:
        tm = self.tm
        return ("Nth-Unit", tm.implies(tm.eq(j, self.zero),
                                       tm.eq(tm.seq_nth(u, j), u.args[0])))

    def deq_ext(self, x: Term, y: Term) -> Lemma:
        """x = y  or  |x| != |y|  or  nth(x, k) != nth(y, k) at an in-bounds witness k."""
        tm = self.tm
        if x.id > y.id:
            x, y = y, x
        k = self.skolem("k", ("ext", x, y), INT)
        return ("Deq-Ext", tm.or_(tm.eq(x, y), tm.not_(tm.eq(self.len(x), self.len(y))),
                                  tm.and_(self.inb(k, x), tm.not_(tm.eq(tm.seq_nth(x, k),
                                                                        tm.seq_nth(y, k))))))

    def unify(self, c: Term, d: Term, shorter_first: bool | None) -> Lemma:
        """c = a ++ r1 and d = b ++ r2 in one class.  `None`: |a| = |b| (L-Eq); `True`:
        |a| < |b| (L-Split: b = a ++ k, r1 = k ++ r2); `False`: the symmetric case."""
        tm, ln = self.tm, self.len
        a, r1, b, r2 = c.args[0], self.rest(c), d.args[0], self.rest(d)
        same = tm.eq(c, d)
        if shorter_first is None:
            return ("L-Eq", tm.implies(tm.and_(same, tm.eq(ln(a), ln(b))),
                                       tm.and_(tm.eq(a, b), tm.eq(r1, r2))))
        if not shorter_first:
            a, r1, b, r2 = b, r2, a, r1
        k = self.skolem("r", ("split", a, b), a.sort)
        return ("L-Split", tm.implies(tm.and_(same, tm.lt(ln(a), ln(b))), tm.and_(
            tm.eq(b, tm.seq_concat(a, k)), tm.eq(r1, tm.seq_concat(k, r2)))))

    def update_over(self, y: Term, d: Term) -> Lemma:
        """y = update(x, i, unit(e)) with x in the class of d (empty, unit or a ++ r): the
        update pushed into d's structure (Update-Empty / Update-Unit / Update-Concat)."""
        tm = self.tm
        _, i, z = y.args
        yd = tm.seq_update(d, i, z)
        if d.op is Op.SEQ_EMPTY:
            return ("Update-Empty", tm.eq(yd, d))
        if d.op is Op.SEQ_UNIT:
            return ("Update-Unit", tm.eq(yd, tm.ite(tm.eq(i, self.zero), z, d)))
        a, r = d.args[0], self.rest(d)
        return ("Update-Concat", tm.eq(yd, tm.seq_concat(
            tm.seq_update(a, i, z), tm.seq_update(r, tm.sub(i, self.len(a)), z))))

    def update_concat_inv(self, y: Term, u: Term) -> Lemma:
        """y = update(x, i, unit(e)) and y = u ++ w: split x at |u| (x = x1 ++ x2)."""
        tm = self.tm
        x = y.args[0]
        x1 = self.skolem("x1", ("inv", x, u), x.sort)
        x2 = self.skolem("x2", ("inv", x, u), x.sort)
        return ("Update-Concat-Inv", tm.implies(tm.le(self.len(u), self.len(x)), tm.and_(
            tm.eq(x, tm.seq_concat(x1, x2)), tm.eq(self.len(x1), self.len(u)))))


def element_cardinality(sort) -> int | None:
    """The number of values of a finite element sort (Bool, bit-vectors); None if infinite."""
    from vecverify.terms.sorts import BOOL, BitVecSort
    if sort == BOOL:
        return 2
    if isinstance(sort, BitVecSort):
        return 1 << sort.width
    return None


def cardinality(tm: TermManager, clique: list[Term], values: int) -> Lemma:
    """n pairwise distinct sequences of one length L over an element sort with k values need
    k**L >= n:  all lengths equal -> |x_0| >= the least such L  (pigeonhole)."""
    n, least = len(clique), 0
    while values ** least < n:
        least += 1
    x0 = clique[0]
    same = tm.and_(*(tm.eq(tm.seq_len(x), tm.seq_len(x0)) for x in clique[1:]))
    return ("Card", tm.implies(same, tm.le(tm.int(least), tm.seq_len(x0))))

