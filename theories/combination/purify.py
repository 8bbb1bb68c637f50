"""Purification: the input split into a sequence part and an element part that share only
variables, and the shared variables of each element sort.

The sequence theory owns `seq.*` applications, equalities between sequences and uninterpreted
functions over sequences; the element theory (with the Boolean skeleton) owns everything
else.  An alien subterm in an *element position* is replaced by a fresh variable defined on
its own side: `(bvadd (seq.nth s i) #b1)` becomes `@p = (seq.nth s i)` (sequence part) and
`(bvadd @p #b1)` (element part), and `(seq.unit (+ x 1))` becomes `@p = (+ x 1)` (element
part) and `(seq.unit @p)`.

Integers used as lengths and indices are not purified: the sequence theory fixes their
meaning, so the two sides do not combine disjointly on them (polite.md, section 6.5) and all
integer reasoning stays in the one engine (cvc5) that decides both.  Only element sorts, the
`E` of some `(Seq E)` in the input, are shared sorts of the combination.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import LEAVES, Op
from vecverify.terms.sorts import BOOL, SeqSort, Sort
from vecverify.terms.walkers import conjuncts

SEQ, ELEM = "sequence", "element"
_CONNECTIVES = (Op.NOT, Op.AND, Op.OR, Op.IMPLIES, Op.IFF)


@dataclass
class Purification:
    """The two parts (conjunctions of formulas over shared variables) and what they share."""

    seq_part: list[Term] = field(default_factory=list)
    elem_part: list[Term] = field(default_factory=list)
    definitions: dict[Term, Term] = field(default_factory=dict)   # purification var -> term
    origin: dict[Term, Term] = field(default_factory=dict)   # purified term/var -> input term
    element_sorts: list[Sort] = field(default_factory=list)
    seq_vars: dict[Sort, dict[Term, None]] = field(default_factory=dict)   # flat-form vars
    elem_vars: dict[Sort, dict[Term, None]] = field(default_factory=dict)
    seq_atoms: dict[Sort, dict[Term, None]] = field(default_factory=dict)  # x = y over (Seq E)
    functions: dict[Sort, dict[Term, None]] = field(default_factory=dict)  # f(..seq..) apps

    def shared(self, sort: Sort) -> list[Term]:
        """The variables of element sort `sort` that occur in both parts."""
        other = self.elem_vars.get(sort, {})
        return [v for v in self.seq_vars.get(sort, {}) if v in other]


def element_sorts(terms: list[Term]) -> list[Sort]:
    """The element sorts of the sequence sorts occurring in `terms`, in order of appearance."""
    from vecverify.terms.walkers import postorder
    out: dict[Sort, None] = {}
    for root in terms:
        for t in postorder(root):
            for s in (t.sort, *(a.sort for a in t.args)):
                if isinstance(s, SeqSort):
                    out.setdefault(s.elem, None)
    return list(out)


def side(t: Term) -> str | None:
    """The theory a term's top symbol belongs to; None for variables and constants."""
    if t.op in LEAVES and t.op is not Op.SEQ_EMPTY:
        return None
    if t.op is Op.SEQ_EMPTY or t.op.name.startswith("SEQ_") or isinstance(t.sort, SeqSort):
        return SEQ
    if t.op in (Op.EQ, Op.APPLY) and any(isinstance(a.sort, SeqSort) for a in t.args):
        return SEQ
    return ELEM


def purify(tm: TermManager, assertions: list[Term]) -> Purification:
    """Purify quantifier-free `assertions` (see the module docstring)."""
    return _Purifier(tm, assertions).result


class _Purifier:
    def __init__(self, tm: TermManager, assertions: list[Term]) -> None:
        self.tm = tm
        self.result = out = Purification(element_sorts=element_sorts(assertions))
        self.elements = set(out.element_sorts)
        self.memo: dict[tuple[Term, str], Term] = {}
        self.names: dict[Term, Term] = {}          # alien term -> its purification variable
        for a in assertions:
            for c in conjuncts(a):     # top-level literals need no Boolean proxy
                self._formula(c)

    def _formula(self, t: Term) -> None:
        """A top-level assertion: a sequence literal goes to the sequence part, anything else
        (element atoms and the Boolean skeleton) to the element part."""
        lit = t.args[0] if t.op is Op.NOT else t
        if self._seq_atom(lit):
            body = self._term(lit, SEQ)
            self.result.seq_part.append(self.tm.not_(body) if lit is not t else body)
        else:
            self.result.elem_part.append(self._skeleton(t))

    def _seq_atom(self, t: Term) -> bool:
        if t.sort != BOOL or side(t) != SEQ or t.op not in (Op.EQ, Op.APPLY):
            return False
        if t.op is Op.EQ:
            x = t.args[0]
            assert isinstance(x.sort, SeqSort)
            self.result.seq_atoms.setdefault(x.sort.elem, {})[t] = None
        return True

    def _skeleton(self, t: Term) -> Term:
        """The Boolean structure, with every sequence atom under it replaced by a Boolean
        proxy defined in the sequence part (the proxies are the skeleton's, not element
        variables)."""
        if t.op in _CONNECTIVES or (t.op is Op.ITE and t.sort == BOOL):
            return self.tm.mk(t.op, [self._skeleton(a) for a in t.args])
        if self._seq_atom(t):
            proxy = self.names.get(t)
            if proxy is None:
                proxy = self.names[t] = self.tm.fresh_var("@b", BOOL)
                self.result.seq_part.append(self.tm.eq(proxy, self._term(t, SEQ)))
            return proxy
        if side(t) == SEQ:          # a Boolean element read as a formula: purify the read
            return self._name(t, ELEM)
        return self._term(t, ELEM)

    def _term(self, t: Term, where: str) -> Term:
        key = (t, where)
        found = self.memo.get(key)
        if found is not None:
            return found
        if t.op in LEAVES:
            self._occurs(t, where, element_position=where == ELEM)
            out = t
        else:
            args = []
            for n, a in enumerate(t.args):
                if t.op is Op.ITE and n == 0 and where == SEQ:
                    args.append(self._condition(a))
                    continue
                alien = side(a) not in (None, where)
                if alien and self._element_position(t, n, a):
                    args.append(self._name(a, where))
                else:
                    if a.op in LEAVES:
                        self._occurs(a, where, where == ELEM or
                                     self._element_position(t, n, a))
                        args.append(a)
                    else:
                        args.append(self._term(a, side(a) if alien else where))
            out = t if tuple(args) == t.args else self.tm.mk(t.op, args, t.payload, t.sort)
            if where == SEQ:
                if t.op is Op.SEQ_NTH or (t.op is Op.APPLY and t.sort in self.elements):
                    self.result.seq_vars.setdefault(t.sort, {})[out] = None
                if t.op is Op.APPLY:
                    for s in {a.sort for a in t.args if isinstance(a.sort, SeqSort)}:
                        self.result.functions.setdefault(s.elem, {})[out] = None  # type: ignore[attr-defined]
        self.memo[key] = out
        self.result.origin.setdefault(out, t)
        return out

    def _condition(self, c: Term) -> Term:
        """The condition of an `ite` between sequences: skeleton, named by a Boolean proxy
        defined in the element part."""
        if c.op is Op.VAR:
            return c
        proxy = self.names.get(c)
        if proxy is None:
            proxy = self.names[c] = self.tm.fresh_var("@b", BOOL)
            self.result.elem_part.append(self.tm.eq(proxy, self._skeleton(c)))
        return proxy

    def _element_position(self, parent: Term, n: int, child: Term) -> bool:
        """Whether `child` (argument n of `parent`) carries an element across the border: an
        element-sorted value, never an integer length or index."""
        if child.sort not in self.elements:
            return False
        if parent.op is Op.SEQ_UNIT:
            return True
        if child.op is Op.SEQ_NTH or (child.op is Op.APPLY and side(parent) == ELEM):
            return True
        return parent.op is Op.APPLY and side(parent) == SEQ

    def _occurs(self, v: Term, where: str, element_position: bool) -> None:
        if v.op is not Op.VAR or v.sort not in self.elements or not element_position:
            return
        table = self.result.seq_vars if where == SEQ else self.result.elem_vars
        table.setdefault(v.sort, {})[v] = None

    def _name(self, t: Term, where: str) -> Term:
        """The purification variable of alien term `t` (used on side `where`); its
        definition goes to t's own side."""
        v = self.names.get(t)
        if v is None:
            own = side(t) or ELEM
            body = self._term(t, own)
            v = self.tm.fresh_var("@p", t.sort)
            self.names[t] = v
            self.result.definitions[v] = body
            self.result.origin[v] = t
            (self.result.seq_part if own == SEQ else self.result.elem_part).append(
                self.tm.eq(v, body))
            self._occurs(v, own, True)
            if own == SEQ:              # in flat form the variable *is* the application
                self.result.seq_vars.get(t.sort, {}).pop(body, None)
        self._occurs(v, where, True)
        return v
