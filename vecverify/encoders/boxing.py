"""The boxed encoding: vectors over uninterpreted box sorts, so that cvc5's array-style
sequence solver (`seq-array`, the paper's EXT calculus) can be trusted when it says unsat.

cvc5 1.4.2's EXT solver has a refutation-soundness bug: an update over a concatenation whose
normal form holds a *constant* length-1 component (e.g. `seq.unit 5`, also when an element is
only equal to a constant) uses the wrong index, and it may answer unsat on satisfiable input
(see shared research notes, vectors.md §4.3).  Here every `(Seq T)` with a non-uninterpreted
element sort T becomes `(Seq Box_T)`; elements enter through `box_T` and leave through
`unbox_T`, with `unbox_T(box_T(t)) = t` asserted for the boxed terms.  No sequence term can
then be constant (Box_T has no literals), so the faulty rule cannot fire.

Soundness of proofs: every model of the original formula gives a model of the boxed one (take
Box_T = T and box = unbox = identity), so boxed-unsat implies original-unsat.  The converse does
not hold (boxes are not known to be injective), so a boxed `sat` proves nothing and a model of
the boxed formula is never shown; counterexamples come from the plain encoding.
"""
from __future__ import annotations

from vecverify.terms import Op, SeqSort, Sort, Term, TermManager, UninterpretedSort
from vecverify.terms.sorts import BoolSort, IntSort
from vecverify.terms.walkers import DagWalker, postorder


def _tag(sort: Sort) -> str:
    if isinstance(sort, IntSort):
        return "Int"
    if isinstance(sort, BoolSort):
        return "Bool"
    if isinstance(sort, UninterpretedSort):
        return sort.name
    assert isinstance(sort, SeqSort)
    return f"Seq_{_tag(sort.elem)}"


def boxed_sort(sort: Sort) -> Sort:
    if isinstance(sort, SeqSort):
        return SeqSort(element_box(sort.elem))
    return sort


def element_box(elem: Sort) -> Sort:
    """The sort a vector stores for elements of sort `elem` in the boxed encoding."""
    if isinstance(elem, UninterpretedSort):
        return elem
    return UninterpretedSort(f"Box!{_tag(elem)}")


class Boxer(DagWalker[Term]):
    """Rewrites a term into the boxed encoding; `functions` collects box/unbox signatures."""

    def __init__(self, tm: TermManager) -> None:
        super().__init__()
        self.tm = tm
        self.functions: dict[str, tuple[tuple[Sort, ...], Sort]] = {}
        self.boxed: set[Term] = set()

    def box(self, elem_sort: Sort, t: Term) -> Term:
        if isinstance(elem_sort, UninterpretedSort):
            return t
        target = element_box(elem_sort)
        if t.op is Op.APPLY and str(t.payload).startswith("unbox!") and t.args[0].sort == target:
            return t.args[0]                       # box(unbox(x)) = x in the identity model
        name = f"box!{_tag(elem_sort)}"
        self.functions[name] = ((boxed_sort(elem_sort),), target)
        self.functions[f"unbox!{_tag(elem_sort)}"] = ((target,), boxed_sort(elem_sort))
        out = self.tm.apply(name, (t,), target)
        self.boxed.add(out)
        return out

    def unbox(self, elem_sort: Sort, t: Term) -> Term:
        if isinstance(elem_sort, UninterpretedSort):
            return t
        if t.op is Op.APPLY and str(t.payload).startswith("box!"):
            return t.args[0]                       # unbox(box(x)) = x
        name = f"unbox!{_tag(elem_sort)}"
        self.functions[name] = ((element_box(elem_sort),), boxed_sort(elem_sort))
        return self.tm.apply(name, (t,), boxed_sort(elem_sort))

    def walk_var(self, t: Term, args: list[Term]) -> Term:
        return self.tm.var(t.name, boxed_sort(t.sort)) if isinstance(t.sort, SeqSort) else t

    def walk_bvar(self, t: Term, args: list[Term]) -> Term:
        return t

    def walk_seq_empty(self, t: Term, args: list[Term]) -> Term:
        return self.tm.seq_empty(boxed_sort(t.sort))  # type: ignore[arg-type]

    def walk_seq_unit(self, t: Term, args: list[Term]) -> Term:
        return self.tm.seq_unit(self.box(t.args[0].sort, args[0]))

    def walk_seq_nth(self, t: Term, args: list[Term]) -> Term:
        return self.unbox(t.sort, self.tm.seq_nth(args[0], args[1]))

    def walk_default(self, t: Term, args: list[Term]) -> Term:
        if not args:
            return t
        return self.tm.mk(t.op, args, t.payload, t.sort if t.op is Op.APPLY else None)

    def axioms(self) -> list[Term]:
        """`unbox(box(t)) = t` for every closed boxed term."""
        out = []
        for b in sorted(self.boxed, key=lambda x: x.id):
            if any(x.op is Op.BVAR for x in postorder(b)):
                continue
            inner = b.args[0]
            name = "unbox!" + str(b.payload)[len("box!"):]
            out.append(self.tm.eq(self.tm.apply(name, (b,), inner.sort), inner))
        return out
