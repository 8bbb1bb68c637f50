"""The boxed encoding: vectors over uninterpreted box sorts, so that cvc5's array-style
sequence solver (`seq-array`, the paper's EXT calculus) can be trusted when it says unsat.

cvc5 1.4.2's EXT solver has a refutation-soundness bug: an update over a concatenation whose
normal form holds a *constant* length-1 component (e.g. `seq.unit 5`, also when an element is
only equal to a constant) uses the wrong index, and it may answer unsat on satisfiable input
(see shared research notes, vectors.md §4.3).  Here every `(Seq T)` with a non-uninterpreted
element sort T becomes `(Seq Box_T)`; elements enter through `box_T` and leave through
`unbox_T`, with `unbox_T(box_T(t)) = t` asserted for the boxed terms.  No sequence term can
then be constant (Box_T has no literals), so the faulty rule cannot fire.

Arrays are boxed structurally: `(Array I E)` becomes `(Array I' E')` with I', E' the boxed
index and element sorts (so `(Array Int (Seq Int))` becomes `(Array Int (Seq Box!Int))`), and a
vector of arrays stores boxes of arrays (`(Seq Box!Array_Int_Int)`).  Array operators are
rebuilt over the boxed arguments; a constant array gets the boxed sort.

Soundness of proofs: every model of the original formula gives a model of the boxed one (take
Box_T = T and box = unbox = identity; by induction on sorts every boxed sort is then the
original sort, and every boxed term denotes the value of the original term), so boxed-unsat
implies original-unsat.  The converse does not hold (boxes are not known to be injective), so
a boxed `sat` proves nothing and a model of the boxed formula is never shown; counterexamples
come from the plain encoding.
"""
from __future__ import annotations

from vecverify.terms import Op, SeqSort, Sort, Term, TermManager, UninterpretedSort
from vecverify.terms.ops import EXPLICIT_SORT
from vecverify.terms.sorts import ArraySort, BoolSort, IntSort
from vecverify.terms.walkers import DagWalker, postorder


def _tag(sort: Sort) -> str:
    if isinstance(sort, IntSort):
        return "Int"
    if isinstance(sort, BoolSort):
        return "Bool"
    if isinstance(sort, UninterpretedSort):
        return sort.name
    if isinstance(sort, ArraySort):
        return f"Array_{_tag(sort.index)}_{_tag(sort.elem)}"
    assert isinstance(sort, SeqSort)
    return f"Seq_{_tag(sort.elem)}"


def boxed_sort(sort: Sort) -> Sort:
    """The sort a term of sort `sort` has in the boxed encoding."""
    if isinstance(sort, SeqSort):
        return SeqSort(element_box(sort.elem))
    if isinstance(sort, ArraySort):
        return ArraySort(boxed_sort(sort.index), boxed_sort(sort.elem))
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
        sort = boxed_sort(t.sort)
        return t if sort == t.sort else self.tm.mk(t.op, (), t.payload, sort)

    walk_bvar = walk_var

    def walk_seq_empty(self, t: Term, args: list[Term]) -> Term:
        return self.tm.seq_empty(boxed_sort(t.sort))  # type: ignore[arg-type]

    def walk_const_array(self, t: Term, args: list[Term]) -> Term:
        return self.tm.const_array(boxed_sort(t.sort), args[0])  # type: ignore[arg-type]

    def walk_seq_unit(self, t: Term, args: list[Term]) -> Term:
        return self.tm.seq_unit(self.box(t.args[0].sort, args[0]))

    def walk_seq_nth(self, t: Term, args: list[Term]) -> Term:
        return self.unbox(t.sort, self.tm.seq_nth(args[0], args[1]))

    def walk_default(self, t: Term, args: list[Term]) -> Term:
        """Operators whose sort follows from their (boxed) arguments, e.g. SELECT and STORE,
        and applications of uninterpreted functions (over boxed sorts)."""
        if not args:
            return t
        return self.tm.mk(t.op, args, t.payload,
                          boxed_sort(t.sort) if t.op in EXPLICIT_SORT else None)

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
