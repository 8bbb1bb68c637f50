"""VC generation: a forward pass over the guarded commands in passive (SSA) form.

Each assignment gets a fresh SSA symbol, each join point of the control flow a Boolean label
defined as the disjunction of the incoming paths.  A VC for `assert c` is then
`labels ∧ path ∧ ¬c`, which is linear in the program size (no path enumeration, no exponential
weakest precondition).  Loops are cut by their invariants here:

    assert inv (entry); havoc modified; assume inv; head;
    choice { assume cond; body; assert inv (preserved); stop } [] { assume !cond }

An assert is assumed after it is checked (so one failure is reported once, not again at every
later use), except the clauses that end a path (postconditions, loop invariants): those are
judged independently of each other.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from vecverify.errors import InternalError
from vecverify.ir import (Assert, Assign, Assume, Block, Break, Check, Choice, Continue, Havoc,
                          Loop, ParAssign, Procedure, Return, ReturnScope, Stmt, VarInfo, modified_vars)
from vecverify.terms import BOOL, Op, Term, TermManager, free_vars, substitute

from .vc import VC


@dataclass
class _State:
    """A reachable program point: path condition `pc ∧ conj` and the current SSA versions."""

    pc: Term
    conj: list[Term]
    env: dict[Term, Term]

    def copy(self) -> "_State":
        return _State(self.pc, list(self.conj), dict(self.env))


@dataclass
class _LoopFrame:
    breaks: list[_State] = field(default_factory=list)
    continues: list[_State] = field(default_factory=list)


class _Generator:
    def __init__(self, tm: TermManager, proc: Procedure, unroll: int | None = None) -> None:
        self.tm = tm
        self.proc = proc
        self.unroll = unroll
        self.info = proc.info()
        self.versions: dict[Term, itertools.count[int]] = {}
        self.definitions: list[tuple[Term, Term]] = []
        self.vcs: list[tuple[Check, Term, dict[Term, Term], Term]] = []
        self.returns: list[list[_State]] = []
        self.loops: list[_LoopFrame] = []
        self.labels = itertools.count()
        self.entry: dict[Term, Term] = {}
        self.wf_cache: dict[Term, set[Term]] = {}

    # -- SSA helpers ---------------------------------------------------------------------
    def fresh(self, var: Term) -> Term:
        counter = self.versions.setdefault(var, itertools.count())
        return self.tm.var(f"{var.name}@{next(counter)}", var.sort)

    def sub(self, st: _State, term: Term) -> Term:
        return substitute(self.tm, term, st.env)

    def havoc(self, st: _State, targets: list[Term]) -> None:
        """New values for `targets`, then every type invariant that mentions one of them
        (a well-formedness predicate may span several variables, e.g. the field arrays of
        an array of structs), under the full current environment."""
        for var in targets:
            if var not in self.info:
                raise InternalError(f"{self.proc.name}: havoc of undeclared variable {var.name}")
            st.env[var] = self.fresh(var)
        changed = set(targets)
        for info in self.proc.variables:
            if info.wf is not None and (info.term in changed
                                        or not changed.isdisjoint(self.wf_vars(info))):
                st.conj.append(self.sub(st, info.wf))

    def wf_vars(self, info: VarInfo) -> set[Term]:
        cached = self.wf_cache.get(info.term)
        if cached is None:
            cached = self.wf_cache[info.term] = free_vars(info.wf) if info.wf else set()
        return cached

    def label(self, body: Term) -> Term:
        name = self.tm.var(f"blk!{next(self.labels)}", BOOL)
        self.definitions.append((name, body))
        return name

    def flush(self, st: _State) -> _State:
        """Name the current path condition with a label so branches share it."""
        if not st.conj:
            return st
        return _State(self.label(self.tm.and_(st.pc, *st.conj)), [], st.env)

    def join(self, states: list[_State | None]) -> _State | None:
        live = [s for s in states if s is not None]
        if not live:
            return None
        if len(live) == 1:
            return live[0]
        keys = set().union(*(s.env.keys() for s in live))
        merged: dict[Term, Term] = {}
        for var in sorted(keys):
            vals = {s.env[var] for s in live}
            if len(vals) == 1:
                merged[var] = vals.pop()
                continue
            new = self.fresh(var)
            merged[var] = new
            for s in live:
                s.conj.append(self.tm.eq(new, s.env[var]))
        paths = [self.tm.and_(s.pc, *s.conj) for s in live]
        return _State(self.label(self.tm.or_(*paths)), [], merged)

    # -- statements ----------------------------------------------------------------------
    def run(self) -> None:
        st = _State(self.tm.true, [], {})
        self.havoc(st, [info.term for info in self.proc.variables])
        self.entry = dict(st.env)
        self.walk(self.proc.body, st)

    def walk(self, stmt: Stmt, st: _State | None) -> _State | None:
        if st is None:
            return None
        method = getattr(self, f"walk_{type(stmt).__name__}", None)
        if method is None:
            raise InternalError(f"vcgen cannot handle {type(stmt).__name__}")
        return method(stmt, st)  # type: ignore[no-any-return]

    def walk_Assume(self, s: Assume, st: _State) -> _State | None:
        cond = self.sub(st, s.cond)
        if cond.is_false():
            return None
        st.conj.append(cond)
        return st

    def walk_Assert(self, s: Assert, st: _State) -> _State:
        cond = self.sub(st, s.cond)
        formula = self.tm.and_(st.pc, *st.conj, self.tm.not_(cond))
        self.vcs.append((s.check, formula, dict(st.env), s.cond))
        if s.keep:
            st.conj.append(cond)
        return st

    def walk_Assign(self, s: Assign, st: _State) -> _State:
        self.assign(st, s.var, self.sub(st, s.value))
        return st

    def assign(self, st: _State, var: Term, value: Term) -> None:
        if value.op in (Op.VAR, Op.INT_CONST, Op.BOOL_CONST, Op.SEQ_EMPTY):
            st.env[var] = value            # aliasing a leaf needs no new symbol
            return
        new = self.fresh(var)
        st.conj.append(self.tm.eq(new, value))
        st.env[var] = new

    def walk_ParAssign(self, s: ParAssign, st: _State) -> _State:
        values = [(var, self.sub(st, value)) for var, value in s.pairs]
        for var, value in values:
            self.assign(st, var, value)
        return st

    def walk_Havoc(self, s: Havoc, st: _State) -> _State:
        self.havoc(st, list(s.vars))
        return st

    def walk_Block(self, s: Block, st: _State) -> _State | None:
        cur: _State | None = st
        for inner in s.stmts:
            cur = self.walk(inner, cur)
            if cur is None:
                return None
        return cur

    def walk_Choice(self, s: Choice, st: _State) -> _State | None:
        base = self.flush(st)
        return self.join([self.walk(b, base.copy()) for b in s.branches])

    def walk_ReturnScope(self, s: ReturnScope, st: _State) -> _State | None:
        self.returns.append([])
        end = self.walk(s.body, st)
        exits = self.returns.pop()
        return self.join([end, *exits])

    def walk_Return(self, s: Return, st: _State) -> None:
        if not self.returns:
            raise InternalError("return outside a return scope")
        self.returns[-1].append(st)
        return None

    def walk_Break(self, s: Break, st: _State) -> None:
        self.loops[-1].breaks.append(st)
        return None

    def walk_Continue(self, s: Continue, st: _State) -> None:
        self.loops[-1].continues.append(st)
        return None

    def walk_Loop(self, s: Loop, st: _State) -> _State | None:
        if self.unroll is not None:
            return self.unrolled(s, st, self.unroll)
        for inv in s.invariants:
            self.walk_Assert(Assert(inv.cond, inv.entry, keep=False), st)
        self.havoc(st, sorted(modified_vars(s)))
        for inv in s.invariants:
            st.conj.append(self.sub(st, inv.cond))
        head = self.walk(s.head, st)
        if head is None:
            return None
        head = self.flush(head)
        again, breaks = self.iteration(s, head)
        if again is not None:
            for inv in s.invariants:
                self.walk_Assert(Assert(inv.cond, inv.preserved, keep=False), again)
        exit_st = head.copy()
        exit_st.conj.append(self.tm.not_(self.sub(exit_st, s.cond)))
        return self.join([exit_st, *breaks])

    def iteration(self, s: Loop, head: _State) -> tuple[_State | None, list[_State]]:
        """One pass from the loop head with the condition true: the state that arrives at the
        head again (after the body, `continue`s and the step), and the `break` states."""
        frame = _LoopFrame()
        self.loops.append(frame)
        body_st = head.copy()
        body_st.conj.append(self.sub(body_st, s.cond))
        end = self.walk(s.body, body_st)
        again = self.walk(s.step, self.join([end, *frame.continues]))
        self.loops.pop()
        return again, frame.breaks

    def unrolled(self, s: Loop, st: _State, bound: int) -> _State | None:
        """The loop run at most `bound` times, nothing havocked: every path is an execution
        (paths that would iterate more often are cut).  Invariants are checked at each head,
        so a model is a concrete run to the failing check."""
        exits: list[_State | None] = []
        cur: _State | None = st
        for k in range(bound + 1):
            if cur is None:
                break
            for inv in s.invariants:
                self.walk_Assert(Assert(inv.cond, inv.entry if k == 0 else inv.preserved,
                                        keep=False), cur)
            head = self.walk(s.head, cur)
            if head is None:
                break
            head = self.flush(head)
            exit_st = head.copy()
            exit_st.conj.append(self.tm.not_(self.sub(exit_st, s.cond)))
            exits.append(exit_st)
            if k == bound:
                break
            cur, breaks = self.iteration(s, head)
            exits.extend(breaks)
        return self.join(exits)

    # -- results -------------------------------------------------------------------------
    def results(self) -> list[VC]:
        label_defs = dict(self.definitions)
        order = {name: k for k, (name, _) in enumerate(self.definitions)}
        out: list[VC] = []
        for check, formula, env, assertion in self.vcs:
            needed: set[Term] = set()
            todo = [v for v in free_vars(formula) if v in label_defs]
            while todo:
                lab = todo.pop()
                if lab in needed:
                    continue
                needed.add(lab)
                todo.extend(v for v in free_vars(label_defs[lab]) if v in label_defs)
            defs = tuple((lab, label_defs[lab]) for lab in sorted(needed, key=order.__getitem__))
            at_entry = tuple((self.info[v], t) for v, t in self.entry.items())
            at_check = tuple((self.info[v], t) for v, t in env.items())
            sums = tuple((self.entry[g], self.entry[c]) for g, c in self.proc.sum_ghosts)
            out.append(VC(self.proc.name, check, defs, formula, at_entry, at_check,
                          self.proc.notes, sums, assertion))
        return out


def generate(tm: TermManager, proc: Procedure, unroll: int | None = None) -> list[VC]:
    """All VCs of a procedure, in source order of their asserts.  With `unroll`, loops run
    at most that many times instead of being cut by their invariants (bounded: a model is an
    execution, but unsat proves nothing about longer runs)."""
    gen = _Generator(tm, proc, unroll)
    gen.run()
    return gen.results()
