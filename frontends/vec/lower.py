"""Lowers a type-checked `.vec` program into IR procedures, one per function with a body.

Program expressions lower to `(stmts, term)`: the statements are the implicit checks the
expression needs (bounds, overflow, division by zero), hoisted before its use, with `&&`, `||`
and `==>` guarding the checks of their right operand.  Specification expressions (requires,
ensures, invariants, assert/assume) are mathematical and unchecked.

Encoding choices:
- vectors are `(Seq T)`; `push` is `xs ++ unit(v)`, `pop` is `extract(xs, 0, len-1)`, element
  writes are `update(xs, i, unit(v))`, slices `xs[i..j]` are `extract(xs, i, j-i)`;
- machine integers are `Int` with their range as the variable's well-formedness (for vectors:
  `forall k :: 0 <= k < len(v) ==> min <= v[k] <= max`), assumed for inputs and havocked
  variables; each `+ - *`, unary minus, signed `/` and each conversion into a narrower type is
  checked, so every write maintains it; a checked element read also assumes its range directly;
- `/` and `%` truncate toward zero (as in Solidity, C and Rust).
- calls are replaced by the callee's contract: assert its `requires` (a `precondition` check at
  the call), havoc the results and `mut` arguments, assume its `ensures` with `old(p)` bound to
  the argument's value before the call.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import networkx as nx

from vecverify.errors import InputError, Span
from vecverify.ir import (Assert, Assign, Assume, Block, Check, Choice, Havoc, Invariant, Loop,
                          Procedure, Return, ReturnScope, Stmt, VarInfo)
from vecverify.obligations import (AssertCheck, DivisionByZero, IndexOutOfBounds,
                                   LoopInvariantEntry, LoopInvariantPreserved, Obligation,
                                   Overflow, PopEmpty, Postcondition, Precondition, Underflow)
from vecverify.terms import BOOL, INT, SeqSort, Sort, Term, TermManager, UninterpretedSort

from . import ast as A
from .types import BoolT, IntT, MachineInt, Type, UninterpT, VecT

Stmts = list[Stmt]


def sort_of(ty: Type) -> Sort:
    if isinstance(ty, BoolT):
        return BOOL
    if isinstance(ty, (IntT, MachineInt)):
        return INT
    if isinstance(ty, UninterpT):
        return UninterpretedSort(ty.name)
    if isinstance(ty, VecT):
        return SeqSort(sort_of(ty.elem))
    raise InputError(None, f"unsupported type {ty}", "type.unsupported")


class Source:
    """The program text, to quote clauses in messages."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def text(self, span: Span) -> str:
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column - 1:span.end_column - 1]
        first = self.lines[span.line - 1][span.column - 1:]
        middle = self.lines[span.line:span.end_line - 1]
        last = self.lines[span.end_line - 1][:span.end_column - 1]
        return " ".join(x.strip() for x in [first, *middle, last])


@dataclass
class _Fn:
    """Per-function lowering state (kept apart from the frozen, shared inputs)."""

    decl: A.FnDecl
    vars: dict[int, Term] = field(default_factory=dict)        # id(binding) -> program var
    old: dict[int, Term] = field(default_factory=dict)         # id(binding) -> entry copy
    infos: list[VarInfo] = field(default_factory=list)
    bound: dict[int, Term] = field(default_factory=dict)       # id(binding) -> BVAR


class Lowerer:
    def __init__(self, tm: TermManager, program: A.Program, source: Source) -> None:
        self.tm = tm
        self.program = program
        self.src = source
        self.fn: _Fn | None = None
        self.ghosts = itertools.count()

    # -- procedures ----------------------------------------------------------------------
    def lower_program(self) -> list[Procedure]:
        recursive = recursive_functions(self.program)
        return [self.lower_fn(f, f.name in recursive) for f in self.program.fns
                if f.body is not None]

    def lower_fn(self, f: A.FnDecl, recursive: bool = False) -> Procedure:
        self.fn = _Fn(f)
        tm = self.tm
        for p in f.params:
            self.declare(p.binding, "mut_param" if p.mut else "param")
        for r in f.results:
            self.declare(r, "result")
        prologue: Stmts = []
        for p in f.params:
            if p.mut:
                b = p.binding
                old = tm.var(f"{b.name}.old", sort_of(b.ty))
                self.fn.old[id(b)] = old
                self.fn.infos.append(VarInfo(old, f"old({b.name})", "old", str(b.ty)))
                prologue.append(Assign(old, self.fn.vars[id(b)]))
        for clause in f.requires:
            prologue.append(Assume(self.spec(clause)))
        self.collect_locals(f.body)  # type: ignore[arg-type]
        body = self.block(f.body)  # type: ignore[arg-type]
        epilogue: Stmts = []
        for clause in f.ensures:
            text = self.src.text(clause.span)
            epilogue.append(Assert(self.spec(clause), self.check(
                Postcondition, clause.span, f"postcondition may not hold: {text}",
                self.details(clause)), keep=False))
        proc_body = Block((*prologue, ReturnScope(body), *epilogue))
        notes = ("recursive: partial correctness (termination is not checked)",) if recursive else ()
        return Procedure(f.name, f.span, tuple(self.fn.infos), proc_body, notes)

    def declare(self, b: A.Binding, role: str) -> Term:
        assert self.fn is not None
        term = self.tm.var(b.name, sort_of(b.ty))
        self.fn.vars[id(b)] = term
        self.fn.infos.append(VarInfo(term, b.name, role, str(b.ty), self.wf(term, b.ty),
                                     b.span.line if role == "local" else 0))
        return term

    def ghost(self, base: str, ty: Type) -> Term:
        """A fresh procedure variable for call results and pre-call values."""
        assert self.fn is not None
        term = self.tm.var(f"{base}.call{next(self.ghosts)}", sort_of(ty))
        self.fn.infos.append(VarInfo(term, base, "ghost", str(ty), self.wf(term, ty)))
        return term

    def collect_locals(self, block: A.Block) -> None:
        for s in block.stmts:
            if isinstance(s, A.VarDeclStmt):
                self.declare(s.binding, "local")
            elif isinstance(s, A.If):
                self.collect_locals(s.then)
                if s.els is not None:
                    self.collect_locals(s.els)
            elif isinstance(s, A.While):
                self.collect_locals(s.body)
            elif isinstance(s, A.Block):
                self.collect_locals(s)

    def wf(self, term: Term, ty: Type) -> Term | None:
        """The type invariant of a value: machine integers in range, also inside vectors
        (`forall k :: 0 <= k < len(v) ==> wf(v[k])`, nested for vectors of vectors)."""
        if isinstance(ty, MachineInt):
            return self.in_range(term, ty)
        if isinstance(ty, VecT):
            tm = self.tm
            k = tm.bound_var("k", INT)
            inner = self.wf(tm.seq_nth(term, k), ty.elem)
            if inner is None:
                return None
            guard = tm.and_(tm.le(tm.int(0), k), tm.lt(k, tm.seq_len(term)))
            return tm.forall([k], tm.implies(guard, inner))
        return None

    def in_range(self, term: Term, ty: MachineInt) -> Term:
        tm = self.tm
        return tm.and_(tm.le(tm.int(ty.min), term), tm.le(term, tm.int(ty.max)))

    def check(self, ob: type[Obligation], span: Span, message: str,
              details: tuple[tuple[str, Term], ...] = ()) -> Check:
        assert self.fn is not None
        return Check(ob, span, self.fn.decl.name, message, details)

    # -- statements ----------------------------------------------------------------------
    def block(self, b: A.Block) -> Block:
        out: Stmts = []
        for s in b.stmts:
            out.extend(self.stmt(s))
        return Block(tuple(out))

    def stmt(self, s: A.Stmt) -> Stmts:
        tm = self.tm
        if isinstance(s, A.Block):
            return [self.block(s)]
        if isinstance(s, A.VarDeclStmt):
            var = self.var_term(s.binding)
            if s.init is None:
                return [Havoc((var,))]
            pre, value = self.expr(s.init)
            return pre + self.coerce_assign(var, value, s.init, s.binding.ty, s.span)
        if isinstance(s, A.Assign):
            pre, value = self.expr(s.value)
            pre += self.coerce(value, s.value.ty, s.target.ty, s.value, s.span)
            return pre + self.write(s.target, value)
        if isinstance(s, A.Push):
            pre, value = self.expr(s.value)
            pre += self.coerce(value, s.value.ty, s.target.ty.elem, s.value, s.span)
            more, root, chain, seq = self.resolve(s.target)
            return pre + more + self.store(root, chain, tm.seq_concat(seq, tm.seq_unit(value)))
        if isinstance(s, A.Pop):
            pre, root, chain, seq = self.resolve(s.vec)
            n = tm.seq_len(seq)
            vec_text = self.src.text(s.vec.span)
            pre.append(Assert(tm.lt(tm.int(0), n), self.check(
                PopEmpty, s.span, f"pop may be applied to an empty vector: {vec_text}",
                ((f"len({vec_text})", n),))))
            last = tm.seq_nth(seq, tm.sub(n, tm.int(1)))
            pre += self.element_fact(last, s.vec.ty.elem)
            if s.target is not None:
                tmp = self.ghost("popped", s.vec.ty.elem)
                pre.append(Assign(tmp, last))
                pre += self.store(root, chain, tm.seq_extract(seq, tm.int(0), tm.sub(n, tm.int(1))))
                pre += self.coerce(tmp, s.vec.ty.elem, s.target.ty, s.target, s.span)
                return pre + self.write(s.target, tmp)
            return pre + self.store(root, chain, tm.seq_extract(seq, tm.int(0), tm.sub(n, tm.int(1))))
        if isinstance(s, A.AssertStmt):
            text = self.src.text(s.cond.span)
            return [Assert(self.spec(s.cond), self.check(
                AssertCheck, s.span, f"assertion may not hold: {text}", self.details(s.cond)))]
        if isinstance(s, A.AssumeStmt):
            return [Assume(self.spec(s.cond))]
        if isinstance(s, A.If):
            pre, c = self.expr(s.cond)
            then = Block((Assume(c), self.block(s.then)))
            els = Block((Assume(tm.not_(c)), *([self.block(s.els)] if s.els else [])))
            return pre + [Choice((then, els))]
        if isinstance(s, A.While):
            pre, c = self.expr(s.cond)
            invs = []
            for inv in s.invariants:
                text = self.src.text(inv.span)
                d = self.details(inv)
                invs.append(Invariant(
                    self.spec(inv),
                    self.check(LoopInvariantEntry, inv.span,
                               f"loop invariant may not hold on entry: {text}", d),
                    self.check(LoopInvariantPreserved, inv.span,
                               f"loop invariant may not be preserved: {text}", d)))
            return [Loop(tuple(invs), Block(tuple(pre)), c, self.block(s.body), s.span)]
        if isinstance(s, A.Return):
            return [Return()]
        if isinstance(s, A.CallStmt):
            return self.call(s)
        raise InputError(s.span, f"unsupported statement {type(s).__name__}", "unsupported")

    def resolve(self, place: A.Expr) -> tuple[Stmts, Term, list[tuple[Term, Term]], Term]:
        """Read a place once: its checks, root variable, access chain and current value.

        For `xs[i][j]` the chain is [(xs, i), (xs[i], j)]; every index is bounds-checked here,
        so a later `store` through the same chain needs no further checks.
        """
        if isinstance(place, A.Name):
            root = self.var_term(place.decl)
            return [], root, [], root
        if isinstance(place, A.Index):
            pre, root, chain, base = self.resolve(place.seq)
            more, idx = self.expr(place.index)
            pre += more + [self.bounds_check(base, idx, place)]
            value = self.tm.seq_nth(base, idx)
            pre += self.element_fact(value, place.ty)
            return pre, root, chain + [(base, idx)], value
        raise InputError(place.span, "cannot assign to this expression", "type.place")

    def store(self, root: Term, chain: list[tuple[Term, Term]], value: Term) -> Stmts:
        """Write `value` through an access chain from `resolve` (updates from the inside out)."""
        for base, idx in reversed(chain):
            value = self.tm.seq_update(base, idx, self.tm.seq_unit(value))
        return [Assign(root, value)]

    def write(self, place: A.Expr, value: Term) -> Stmts:
        pre, root, chain, _ = self.resolve(place)
        return pre + self.store(root, chain, value)

    def coerce_assign(self, var: Term, value: Term, e: A.Expr, ty: Type, span: Span) -> Stmts:
        return self.coerce(value, e.ty, ty, e, span) + [Assign(var, value)]

    def coerce(self, value: Term, src: Type, dst: Type, e: A.Expr, span: Span) -> Stmts:
        """Range checks when an integer value flows into a machine type it may not fit."""
        if not isinstance(dst, MachineInt) or src == dst or isinstance(e, A.IntLit):
            return []
        if isinstance(src, MachineInt) and src.min >= dst.min and src.max <= dst.max:
            return []
        tm = self.tm
        text = self.src.text(e.span)
        d = ((text, value),)
        return [Assert(tm.le(value, tm.int(dst.max)), self.check(
                    Overflow, span, f"value of {text} may not fit in {dst} (overflow)", d)),
                Assert(tm.le(tm.int(dst.min), value), self.check(
                    Underflow, span, f"value of {text} may not fit in {dst} (underflow)", d))]

    def call(self, s: A.CallStmt) -> Stmts:
        callee = s.fn
        assert callee is not None and self.fn is not None
        pre: Stmts = []
        actuals: dict[int, Term] = {}        # callee param binding -> value before the call
        places: dict[int, tuple[Term, list[tuple[Term, Term]]]] = {}
        for p, arg in zip(callee.params, s.args):
            if p.mut:
                more, root, chain, value = self.resolve(arg)
                places[id(p.binding)] = (root, chain)
            else:
                more, value = self.expr(arg)
            pre += more
            pre += self.coerce(value, arg.ty, p.binding.ty, arg, s.span)
            snap = self.ghost(f"{p.binding.name}", p.binding.ty)
            pre.append(Assign(snap, value))
            actuals[id(p.binding)] = snap
        env = dict(actuals)
        for clause in callee.requires:
            text = self.src.text(clause.span)
            cond = self.spec(clause, env=env)
            pre.append(Assert(cond, self.check(
                Precondition, s.span,
                f"precondition of '{callee.name}' may not hold: requires {text} "
                f"(line {clause.span.line})",
                self.details(clause, env))))
        # the call: new values for mut arguments and results
        post_env = dict(actuals)
        old_env: dict[int, Term] = {}
        for p, arg in zip(callee.params, s.args):
            if p.mut:
                new = self.ghost(f"{p.binding.name}", p.binding.ty)
                pre.append(Havoc((new,)))
                post_env[id(p.binding)] = new
                old_env[id(p.binding)] = actuals[id(p.binding)]
        results = []
        for r in callee.results:
            res = self.ghost(f"{callee.name}.{r.name}", r.ty)
            pre.append(Havoc((res,)))
            post_env[id(r)] = res
            results.append(res)
        for clause in callee.ensures:
            pre.append(Assume(self.spec(clause, env=post_env, old_env=old_env)))
        for p in callee.params:
            if p.mut:
                pre += self.store(*places[id(p.binding)], post_env[id(p.binding)])
        for target, r, res in zip(s.targets, callee.results, results):
            pre += self.coerce(res, r.ty, target.ty, target, s.span)
            pre += self.write(target, res)
        return pre

    # -- expressions ---------------------------------------------------------------------
    def var_term(self, b: A.Binding) -> Term:
        assert self.fn is not None
        key = id(b)
        if key in self.fn.bound:
            return self.fn.bound[key]
        if key not in self.fn.vars:
            raise InputError(b.span, f"'{b.name}' is not a variable of "
                             f"'{self.fn.decl.name}'", "type.scope")
        return self.fn.vars[key]

    def bounds_check(self, seq: Term, idx: Term, e: A.Index) -> Assert:
        tm = self.tm
        n = tm.seq_len(seq)
        seq_text, idx_text = self.src.text(e.seq.span), self.src.text(e.index.span)
        return Assert(tm.and_(tm.le(tm.int(0), idx), tm.lt(idx, n)), self.check(
            IndexOutOfBounds, e.span,
            f"index may be out of bounds: {self.src.text(e.span)}",
            ((idx_text, idx), (f"len({seq_text})", n))))

    def element_fact(self, read: Term, elem: Type) -> Stmts:
        if isinstance(elem, MachineInt):
            return [Assume(self.in_range(read, elem))]
        return []

    def expr(self, e: A.Expr) -> tuple[Stmts, Term]:
        """A program expression: its checks, then its value."""
        return _ExprLowering(self, checked=True).run(e)

    def spec(self, e: A.Expr, env: dict[int, Term] | None = None,
             old_env: dict[int, Term] | None = None) -> Term:
        """A specification expression: mathematical and unchecked."""
        _, term = _ExprLowering(self, checked=False, env=env, old_env=old_env).run(e)
        return term

    def details(self, e: A.Expr, env: dict[int, Term] | None = None
                ) -> tuple[tuple[str, Term], ...]:
        """Values shown with a counterexample: the operands of the clause's comparisons."""
        out: list[tuple[str, Term]] = []
        seen: set[str] = set()
        todo = [e]
        while todo:
            x = todo.pop(0)
            if isinstance(x, A.Quant):
                continue
            if isinstance(x, A.Binary) and x.op in ("&&", "||", "==>", "<==>"):
                todo += [x.left, x.right]
            elif isinstance(x, A.Unary) and x.op == "!":
                todo.append(x.operand)
            elif isinstance(x, A.Binary) and x.op in ("==", "!=", "<", "<=", ">", ">="):
                for side in (x.left, x.right):
                    text = self.src.text(side.span)
                    if not isinstance(side, (A.IntLit, A.BoolLit)) and text not in seen:
                        seen.add(text)
                        _, t = _ExprLowering(self, checked=False, env=env).run(side)
                        out.append((text, t))
        return tuple(out)


# operators that need no implicit check: source operator -> TermManager constructor
_UNCHECKED_BINARY = {"<==>": "iff", "==": "eq", "!=": "neq", "<": "lt", "<=": "le", ">": "gt",
                     ">=": "ge", "++": "seq_concat"}


class _ExprLowering:
    """One expression's lowering: checked (program) or unchecked (specification) mode."""

    def __init__(self, low: Lowerer, checked: bool, env: dict[int, Term] | None = None,
                 old_env: dict[int, Term] | None = None) -> None:
        self.low = low
        self.tm = low.tm
        self.checked = checked
        self.env = env or {}
        self.old_env = old_env
        self.in_old = False
        self.bound: list[Term] = []

    def run(self, e: A.Expr) -> tuple[Stmts, Term]:
        pre: Stmts = []
        term = self.e(e, pre)
        return pre, term

    def e(self, e: A.Expr, pre: Stmts) -> Term:
        tm = self.tm
        if isinstance(e, A.IntLit):
            return tm.int(e.value)
        if isinstance(e, A.BoolLit):
            return tm.bool(e.value)
        if isinstance(e, A.Name):
            return self.name(e)
        if isinstance(e, A.Old):
            saved, self.in_old = self.in_old, True
            try:
                return self.e(e.arg, pre)
            finally:
                self.in_old = saved
        if isinstance(e, A.Len):
            return tm.seq_len(self.e(e.arg, pre))
        if isinstance(e, A.Index):
            return self.index(e, pre)
        if isinstance(e, A.Slice):
            seq, lo, hi = self.e(e.seq, pre), self.e(e.lo, pre), self.e(e.hi, pre)
            if self.checked:
                n = tm.seq_len(seq)
                src = self.low.src
                pre.append(Assert(tm.and_(tm.le(tm.int(0), lo), tm.le(lo, hi), tm.le(hi, n)),
                                  self.low.check(
                                      IndexOutOfBounds, e.span,
                                      f"slice may be out of bounds: {src.text(e.span)}",
                                      ((src.text(e.lo.span), lo), (src.text(e.hi.span), hi),
                                       (f"len({src.text(e.seq.span)})", n)))))
            return tm.seq_extract(seq, lo, tm.sub(hi, lo))
        if isinstance(e, A.VecLit):
            assert isinstance(e.ty, VecT)
            return tm.seq_lit([self.e(x, pre) for x in e.elems], sort_of(e.ty))  # type: ignore[arg-type]
        if isinstance(e, A.Unary):
            return self.unary(e, pre)
        if isinstance(e, A.Binary):
            return self.binary(e, pre)
        if isinstance(e, A.Quant):
            return self.quant(e, pre)
        raise InputError(e.span, f"unsupported expression {type(e).__name__}", "unsupported")

    def name(self, e: A.Name) -> Term:
        b = e.decl
        fn = self.low.fn
        assert fn is not None
        if self.in_old:
            if self.old_env is not None:
                if id(b) in self.old_env:
                    return self.old_env[id(b)]
            elif id(b) in fn.old:
                return fn.old[id(b)]
            if getattr(b, "kind", "") in ("local", "result"):
                raise InputError(e.span, f"old({b.name}) of a {b.kind} is not supported; "
                                 "old() refers to parameters on entry", "type.old")
        if id(b) in self.env:
            return self.env[id(b)]
        return self.low.var_term(b)

    def index(self, e: A.Index, pre: Stmts) -> Term:
        tm = self.tm
        seq, idx = self.e(e.seq, pre), self.e(e.index, pre)
        read = tm.seq_nth(seq, idx)
        elem = e.ty
        if self.checked:
            pre.append(self.low.bounds_check(seq, idx, e))
            pre += self.low.element_fact(read, elem)
        return read

    def unary(self, e: A.Unary, pre: Stmts) -> Term:
        tm = self.tm
        x = self.e(e.operand, pre)
        if e.op == "!":
            return tm.not_(x)
        r = tm.neg(x)
        if self.checked and isinstance(e.ty, MachineInt):
            self.arith_checks(r, e.ty, e, pre, ((self.low.src.text(e.operand.span), x),),
                              overflow=e.ty.signed, underflow=not e.ty.signed)
        return r

    def binary(self, e: A.Binary, pre: Stmts) -> Term:
        tm = self.tm
        op = e.op
        if op in ("&&", "||", "==>"):
            left = self.e(e.left, pre)
            rpre: Stmts = []
            right = self.e(e.right, rpre)
            if rpre:
                guard = tm.not_(left) if op == "||" else left
                pre.append(Choice((Block((Assume(guard), *rpre)), Assume(tm.not_(guard)))))
            if op == "&&":
                return tm.and_(left, right)
            if op == "||":
                return tm.or_(left, right)
            return tm.implies(left, right)
        left, right = self.e(e.left, pre), self.e(e.right, pre)
        if op in _UNCHECKED_BINARY:
            return getattr(tm, _UNCHECKED_BINARY[op])(left, right)  # type: ignore[no-any-return]
        ty = e.ty
        src = self.low.src
        ops = ((src.text(e.left.span), left), (src.text(e.right.span), right))
        if op in ("/", "%"):
            if self.checked:
                pre.append(Assert(tm.neq(right, tm.int(0)), self.low.check(
                    DivisionByZero, e.span, f"possible division by zero: {src.text(e.span)}",
                    ((src.text(e.right.span), right),))))
            unsigned = (isinstance(ty, MachineInt) and not ty.signed)
            r = self.truncating(op, left, right, unsigned)
            if self.checked and isinstance(ty, MachineInt) and ty.signed and op == "/":
                self.arith_checks(r, ty, e, pre, ops, overflow=True, underflow=False)
            return r
        r = {"+": tm.add, "-": tm.sub, "*": tm.mul}[op](left, right)
        if self.checked and isinstance(ty, MachineInt):
            overflow = ty.signed or op in ("+", "*")
            underflow = ty.signed or op == "-"
            self.arith_checks(r, ty, e, pre, ops, overflow, underflow)
        return r

    def truncating(self, op: str, a: Term, b: Term, nonneg: bool) -> Term:
        """`/` and `%` rounding toward zero, from SMT-LIB's Euclidean div."""
        tm = self.tm
        if nonneg:
            return tm.div(a, b) if op == "/" else tm.mod(a, b)
        q = tm.ite(tm.le(tm.int(0), a), tm.div(a, b), tm.neg(tm.div(tm.neg(a), b)))
        return q if op == "/" else tm.sub(a, tm.mul(b, q))

    def arith_checks(self, r: Term, ty: MachineInt, e: A.Expr, pre: Stmts,
                     ops: tuple[tuple[str, Term], ...], overflow: bool, underflow: bool) -> None:
        tm = self.tm
        text = self.low.src.text(e.span)
        d = (*ops, ("result", r))
        if overflow:
            pre.append(Assert(tm.le(r, tm.int(ty.max)), self.low.check(
                Overflow, e.span, f"{ty} arithmetic may overflow: {text}", d)))
        if underflow:
            pre.append(Assert(tm.le(tm.int(ty.min), r), self.low.check(
                Underflow, e.span, f"{ty} arithmetic may underflow: {text}", d)))

    def quant(self, e: A.Quant, pre: Stmts) -> Term:
        tm = self.tm
        fn = self.low.fn
        assert fn is not None
        bvars = []
        ranges = []
        for b in e.binders:
            bv = tm.bound_var(b.name, sort_of(b.ty))
            fn.bound[id(b)] = bv
            bvars.append(bv)
            if isinstance(b.ty, MachineInt):
                ranges.append(self.low.in_range(bv, b.ty))
        body = self.e(e.body, pre)
        if e.kind == "forall":
            return tm.forall(bvars, tm.implies(tm.and_(*ranges), body))
        return tm.exists(bvars, tm.and_(*ranges, body))


def recursive_functions(program: A.Program) -> set[str]:
    graph = nx.DiGraph()
    for f in program.fns:
        graph.add_node(f.name)
        if f.body is not None:
            graph.add_edges_from((f.name, c) for c in _callees(f.body))
    return {n for comp in nx.strongly_connected_components(graph) for n in comp
            if len(comp) > 1 or graph.has_edge(n, n)}


def _callees(block: A.Block) -> list[str]:
    out: list[str] = []
    todo: list[object] = list(block.stmts)
    while todo:
        s = todo.pop()
        if isinstance(s, A.CallStmt):
            out.append(s.callee)
        elif isinstance(s, A.If):
            todo += list(s.then.stmts) + (list(s.els.stmts) if s.els else [])
        elif isinstance(s, A.While):
            todo += list(s.body.stmts)
        elif isinstance(s, A.Block):
            todo += list(s.stmts)
    return out


def lower(tm: TermManager, program: A.Program, text: str) -> list[Procedure]:
    return Lowerer(tm, program, Source(program.file, text)).lower_program()


__all__ = ["lower", "sort_of", "recursive_functions"]
