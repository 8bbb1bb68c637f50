"""A concrete interpreter for checked `.vec` programs, used to replay counterexamples.

The verifier finds a counterexample in a model of a verification condition, which over-
approximates the program (loops are cut by their invariants, calls replaced by contracts,
results start unconstrained).  Before such a model is shown as a bug, its inputs are run here
with the language's real semantics, and it is shown only if the run fails at the reported
check.  So every failure carries the `(line, column, kind)` that `lower.py` gives the
corresponding `Check`, and every check is made in the order the lowering makes them (a value's
own checks before the checks of the place it is stored into, arguments before the callee's
`requires`, and so on), so the first failing check of a run is the one the verifier would see.

Semantics, as in the README:
- machine integers are checked in program code (`overflow`/`underflow` at the operation, or at
  the statement when a value is stored into a narrower type); specifications are mathematical;
- `/` and `%` truncate toward zero; out-of-bounds reads, writes and slices in program code fail;
  in specifications an out-of-bounds read (or a division by zero) has an unspecified value, so a
  run whose outcome depends on one raises `Unspecified` (the replay is inconclusive), while one
  that does not (`i < len(xs) && xs[i] > 0`) goes on;
- loops run for real and their invariants are checked at every arrival at the loop head;
- calls run the callee's body: its `requires` are checked at the call, its `ensures` when it
  returns; a callee without a body cannot be run (`not-executable`);
- quantifiers are evaluated by enumeration when their range is finite (bounded by the guard,
  `bool`, or a small machine integer type); otherwise the run is `not-executable`.

Values: Python ints and bools, tuples for vectors, strings such as `"T#0"` for elements of an
uninterpreted sort (equality only).  Inputs are given in the counterexample JSON's shapes
(lists for vectors).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from vecverify.errors import Span
from vecverify.values import UValue

from . import ast as A
from .checker import parse_and_check, show
from .parser import deep_call
from .types import BoolT, IntT, MachineInt, Type, UninterpT, VecT

DEFAULT_STEP_LIMIT = 1_000_000
# the most instances of one quantifier that are enumerated
QUANTIFIER_LIMIT = 100_000
UNBOUNDED = "quantifier over an unbounded range"



class Unspecified(Exception):
    """A specification's value depends on something the semantics leaves open (an element read
    out of bounds, a division by zero): the run can tell neither failure nor success."""


class NotExecutable(Exception):
    """The program cannot be run concretely here: a quantifier over an infinite or too large
    range, or a call to a function that has only a contract."""


@dataclass(frozen=True)
class Failure:
    """A check that fails on this run, where the verifier reports that check."""

    line: int
    column: int
    kind: str
    function: str
    message: str
    end_line: int = 0
    end_column: int = 0

    @property
    def where(self) -> tuple[int, int, str]:
        """The key to compare with a reported check: `(line, column, kind)`."""
        return (self.line, self.column, self.kind)


@dataclass(frozen=True)
class Outcome:
    """How a run ended.

    `status` is "failed" (see `failure`), "completed", "infeasible" (the inputs break an
    `assume`, a `requires` of the entry function, or a type's range), "not-executable",
    "unspecified" or "step-limit"; `reason` says why for every status but "completed".
    `failures` lists every failing clause of the point where the run stopped: the verifier
    judges sibling `ensures` and `invariant` clauses each on its own, so a model reported for
    one clause may break an earlier sibling too.  `failure` is the first of them.
    `inputs` are the values the run started from (missing parameters filled in), `values` the
    final values of the entry function's `mut` parameters and results of a completed run.
    """

    status: str
    failure: Failure | None = None
    failures: tuple[Failure, ...] = ()
    reason: str = ""
    steps: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def fails_at(self, line: int, column: int, kind: str) -> bool:
        """Whether this run replays the check reported at `(line, column, kind)`."""
        return any(f.where == (line, column, kind) for f in self.failures)


# ---- control flow inside the interpreter --------------------------------------------


class _Failed(Exception):
    def __init__(self, failures: tuple[Failure, ...]) -> None:
        super().__init__(failures[0].message)
        self.failures = failures


class _Infeasible(Exception):
    """The run reached an `assume` (or entry `requires`) that is false: no such execution."""


class _StepLimit(Exception):
    pass


class _Return(Exception):
    pass


_Undecided = (Unspecified, NotExecutable)


def _failure(span: Span, kind: str, function: str, message: str) -> Failure:
    return Failure(span.line, span.column, kind, function, message, span.end_line,
                   span.end_column)


def _at(span: Span) -> str:
    return f"{span.line}:{span.column}"


@dataclass
class _Frame:
    """One activation of a function: its variables (keyed by their unique `Binding`) and the
    parameters' values on entry, which `old(p)` reads."""

    fn: A.FnDecl
    env: dict[A.Binding, Any]
    old: dict[A.Binding, Any]


# ---- quantifier ranges ----------------------------------------------------------------

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}


@dataclass
class _Plan:
    """What a quantifier's guard says about its range, found once per quantifier: the
    conjuncts every instance that matters must satisfy (the antecedents of a `forall`'s
    implication chain, the conjuncts of an `exists` body)."""

    closed: list[A.Expr]                 # conjuncts without the bound variables
    comparisons: list[A.Binary]          # comparisons that may bound them


def _conjuncts(e: A.Expr) -> list[A.Expr]:
    if isinstance(e, A.Binary) and e.op == "&&":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _mentions(e: A.Expr, names: set[int]) -> bool:
    """Whether `e` reads one of the bindings whose ids are `names`."""
    todo = [e]
    while todo:
        x = todo.pop()
        if isinstance(x, A.Name):
            if id(x.decl) in names:
                return True
        elif isinstance(x, A.Unary):
            todo.append(x.operand)
        elif isinstance(x, A.Binary):
            todo += [x.left, x.right]
        elif isinstance(x, (A.Len, A.Old)):
            todo.append(x.arg)
        elif isinstance(x, A.Index):
            todo += [x.seq, x.index]
        elif isinstance(x, A.Slice):
            todo += [x.seq, x.lo, x.hi]
        elif isinstance(x, A.VecLit):
            todo += x.elems
        elif isinstance(x, A.Quant):
            todo.append(x.body)
    return False


def _plan(q: A.Quant) -> _Plan:
    guards: list[A.Expr] = []
    body = q.body
    if q.kind == "forall":
        while isinstance(body, A.Binary) and body.op == "==>":
            guards += _conjuncts(body.left)
            body = body.right
    else:
        guards = _conjuncts(body)
    names = {id(b) for b in q.binders}
    plan = _Plan([], [])
    for g in guards:
        if not _mentions(g, names):
            plan.closed.append(g)
        elif isinstance(g, A.Binary) and g.op in _FLIP:
            plan.comparisons.append(g)
    return plan


# ---- the interpreter ------------------------------------------------------------------


class _Machine:
    def __init__(self, program: A.Program, step_limit: int) -> None:
        self.program = program
        self.step_limit = step_limit
        self.steps = 0
        self.plans: dict[A.Quant, _Plan] = {}

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.step_limit:
            raise _StepLimit(f"did not finish within {self.step_limit} steps")

    # -- functions ----------------------------------------------------------------------
    def enter(self, fn: A.FnDecl, env: dict[A.Binding, Any]) -> _Frame:
        """Run the entry function: its `requires` select the inputs the verifier considers."""
        fr = _Frame(fn, env, {p.binding: env[p.binding] for p in fn.params})
        undecided: Exception | None = None
        for clause in fn.requires:
            try:
                holds = self.spec(clause, fr)
            except _Undecided as exc:
                undecided = undecided or exc
                continue
            if not holds:
                raise _Infeasible(f"the inputs break 'requires {show(clause)}' "
                                  f"at {_at(clause.span)}")
        if undecided is not None:
            raise undecided
        if fn.body is None:
            raise NotExecutable(f"'{fn.name}' has no body (only a contract)")
        self.execute(fr)
        return fr

    def execute(self, fr: _Frame) -> None:
        """Run a body, then check each `ensures` clause on its own (like the verifier)."""
        assert fr.fn.body is not None
        try:
            self.block(fr.fn.body, fr)
        except _Return:
            pass
        self.judge(fr.fn.ensures, fr, lambda c: _failure(
            c.span, "postcondition", fr.fn.name, f"postcondition does not hold: {show(c)}"))

    def judge(self, clauses: list[A.Expr], fr: _Frame,
              failure: Callable[[A.Expr], Failure]) -> None:
        """Evaluate sibling clauses; stop with all false ones, else with an undecided one."""
        failures: list[Failure] = []
        undecided: Exception | None = None
        for clause in clauses:
            try:
                holds = self.spec(clause, fr)
            except _Undecided as exc:
                undecided = undecided or exc
                continue
            if not holds:
                failures.append(failure(clause))
        if failures:
            raise _Failed(tuple(failures))
        if undecided is not None:
            raise undecided

    def fail(self, span: Span, kind: str, fr: _Frame, message: str) -> _Failed:
        return _Failed((_failure(span, kind, fr.fn.name, message),))

    # -- statements ---------------------------------------------------------------------
    def block(self, b: A.Block, fr: _Frame) -> None:
        for s in b.stmts:
            self.stmt(s, fr)

    def stmt(self, s: A.Stmt, fr: _Frame) -> None:
        if isinstance(s, A.Block):
            self.block(s, fr)
            return
        self.tick()
        if isinstance(s, A.Assign):
            value = self.ev(s.value, fr, False)
            self.coerce(value, s.target.ty, s.span, s.value, fr)
            self.write(s.target, value, fr)
        elif isinstance(s, A.VarDeclStmt):
            b = s.binding
            if s.init is None:
                fr.env[b] = _zero(b.ty)  # `var x: T;` is unconstrained; the next call/pop
            else:                        # sets a `var x: T := f(..)` / `:= pop(..)`
                value = self.ev(s.init, fr, False)
                self.coerce(value, b.ty, s.span, s.init, fr)
                fr.env[b] = value
        elif isinstance(s, A.If):
            if self.ev(s.cond, fr, False):
                self.block(s.then, fr)
            elif s.els is not None:
                self.block(s.els, fr)
        elif isinstance(s, A.While):
            self.loop(s, fr)
        elif isinstance(s, A.Push):
            value = self.ev(s.value, fr, False)
            assert isinstance(s.target.ty, VecT)
            self.coerce(value, s.target.ty.elem, s.span, s.value, fr)
            root, chain, seq = self.resolve(s.target, fr)
            self.store(fr, root, chain, seq + (value,))
        elif isinstance(s, A.Pop):
            self.pop(s, fr)
        elif isinstance(s, A.AssertStmt):
            if not self.spec(s.cond, fr):
                raise self.fail(s.span, "assert", fr, f"assertion does not hold: {show(s.cond)}")
        elif isinstance(s, A.AssumeStmt):
            if not self.spec(s.cond, fr):
                raise _Infeasible(f"'assume {show(s.cond)}' at {_at(s.span)} in '{fr.fn.name}' "
                                  "is false")
        elif isinstance(s, A.CallStmt):
            self.call(s, fr)
        elif isinstance(s, A.Return):
            raise _Return()
        else:  # pragma: no cover - the checker admits no other statement
            raise NotExecutable(f"unsupported statement {type(s).__name__}")

    def loop(self, s: A.While, fr: _Frame) -> None:
        """Invariants are checked at every arrival at the head (entry, then preserved), then
        the condition with its own checks, as the lowering orders them."""
        kind, when = "loop-invariant-entry", "on entry"
        iteration = 0
        while True:
            self.tick()
            self.judge(s.invariants, fr, lambda c, kind=kind, when=when: _failure(
                c.span, kind, fr.fn.name, f"loop invariant does not hold {when}: {show(c)}"))
            if not self.ev(s.cond, fr, False):
                return
            self.block(s.body, fr)
            iteration += 1
            kind, when = "loop-invariant-preserved", f"after iteration {iteration}"

    def pop(self, s: A.Pop, fr: _Frame) -> None:
        root, chain, seq = self.resolve(s.vec, fr)
        if not seq:
            raise self.fail(s.span, "pop-empty", fr, f"pop from an empty vector: {show(s.vec)}")
        last = seq[-1]
        self.store(fr, root, chain, seq[:-1])
        if s.target is not None:
            assert isinstance(s.vec.ty, VecT)
            self.coerce(last, s.target.ty, s.span, s.target, fr)
            self.write(s.target, last, fr)

    def call(self, s: A.CallStmt, fr: _Frame) -> None:
        callee = s.fn
        assert callee is not None
        env: dict[A.Binding, Any] = {}
        places: dict[A.Binding, tuple[A.Binding, list[int]]] = {}
        for p, arg in zip(callee.params, s.args):
            if p.mut:
                root, chain, value = self.resolve(arg, fr)
                places[p.binding] = (root, chain)
            else:
                value = self.ev(arg, fr, False)
            self.coerce(value, p.binding.ty, s.span, arg, fr)
            env[p.binding] = value
        entry = dict(env)
        for r in callee.results:
            env[r] = _zero(r.ty)
        inner = _Frame(callee, env, entry)
        self.judge(callee.requires, inner, lambda c: _failure(
            s.span, "precondition", fr.fn.name,
            f"precondition of '{callee.name}' does not hold: requires {show(c)} "
            f"(line {c.span.line})"))
        if callee.body is None:
            raise NotExecutable(f"'{fr.fn.name}' calls '{callee.name}' at {_at(s.span)}, which "
                                "has no body (only a contract)")
        self.execute(inner)
        for p in callee.params:
            if p.mut:
                root, chain = places[p.binding]
                self.store(fr, root, chain, inner.env[p.binding])
        for target, r in zip(s.targets, callee.results):
            value = inner.env[r]
            self.coerce(value, target.ty, s.span, target, fr)
            self.write(target, value, fr)

    # -- places -------------------------------------------------------------------------
    def resolve(self, place: A.Expr, fr: _Frame) -> tuple[A.Binding, list[int], Any]:
        """A place's root variable, its index chain (each index bounds-checked at its `Index`
        node, outermost first) and its current value."""
        if isinstance(place, A.Name):
            assert place.decl is not None
            return place.decl, [], fr.env[place.decl]
        assert isinstance(place, A.Index)
        root, chain, base = self.resolve(place.seq, fr)
        i = self.ev(place.index, fr, False)
        if not 0 <= i < len(base):
            raise self.fail(place.span, "index-out-of-bounds", fr,
                            _oob(place, i, len(base)))
        return root, chain + [i], base[i]

    def store(self, fr: _Frame, root: A.Binding, chain: list[int], value: Any) -> None:
        def put(seq: Any, depth: int) -> Any:
            if depth == len(chain):
                return value
            i = chain[depth]
            return seq[:i] + (put(seq[i], depth + 1),) + seq[i + 1:]
        fr.env[root] = put(fr.env[root], 0)

    def write(self, place: A.Expr, value: Any, fr: _Frame) -> None:
        root, chain, _ = self.resolve(place, fr)
        self.store(fr, root, chain, value)

    def coerce(self, value: Any, dst: Type | None, span: Span, e: A.Expr, fr: _Frame) -> None:
        """A value stored into a machine integer type must fit (checked at the statement)."""
        if isinstance(dst, MachineInt) and not dst.contains(value):
            kind = "overflow" if value > dst.max else "underflow"
            raise self.fail(span, kind, fr, f"value {value} of {show(e)} does not fit in {dst}")

    # -- expressions --------------------------------------------------------------------
    def spec(self, e: A.Expr, fr: _Frame) -> Any:
        return self.ev(e, fr, True)

    def ev(self, e: A.Expr, fr: _Frame, spec: bool, old: bool = False) -> Any:
        """The value of `e`: checked program code (`spec` False) or a mathematical
        specification; `old` makes parameters read their values on entry."""
        t = type(e)
        if t is A.Name:
            b = e.decl  # type: ignore[attr-defined]
            if old and b.kind in ("param", "mut_param"):
                return fr.old[b]
            return fr.env[b]
        if t is A.IntLit or t is A.BoolLit:
            return e.value  # type: ignore[attr-defined]
        if t is A.Binary:
            return self.binary(e, fr, spec, old)  # type: ignore[arg-type]
        if t is A.Index:
            seq = self.ev(e.seq, fr, spec, old)  # type: ignore[attr-defined]
            i = self.ev(e.index, fr, spec, old)  # type: ignore[attr-defined]
            if 0 <= i < len(seq):
                return seq[i]
            if spec:
                raise Unspecified(f"{show(e)} reads index {i} of a vector of length "
                                  f"{len(seq)} (at {_at(e.span)}): its value is unspecified")
            raise self.fail(e.span, "index-out-of-bounds", fr, _oob(e, i, len(seq)))  # type: ignore[arg-type]
        if t is A.Len:
            return len(self.ev(e.arg, fr, spec, old))  # type: ignore[attr-defined]
        if t is A.Unary:
            return self.unary(e, fr, spec, old)  # type: ignore[arg-type]
        if t is A.Slice:
            return self.slice(e, fr, spec, old)  # type: ignore[arg-type]
        if t is A.VecLit:
            return tuple(self.ev(x, fr, spec, old) for x in e.elems)  # type: ignore[attr-defined]
        if t is A.Old:
            return self.ev(e.arg, fr, spec, True)  # type: ignore[attr-defined]
        if t is A.Quant:
            return self.quant(e, fr, old)  # type: ignore[arg-type]
        raise NotExecutable(f"unsupported expression {t.__name__}")  # pragma: no cover

    def unary(self, e: A.Unary, fr: _Frame, spec: bool, old: bool) -> Any:
        x = self.ev(e.operand, fr, spec, old)
        if e.op == "!":
            return not x
        r = -x
        ty = e.ty
        if not spec and isinstance(ty, MachineInt):
            if ty.signed and r > ty.max:
                raise self.fail(e.span, "overflow", fr, _arith(e, ty, r))
            if not ty.signed and r < ty.min:
                raise self.fail(e.span, "underflow", fr, _arith(e, ty, r))
        return r

    def binary(self, e: A.Binary, fr: _Frame, spec: bool, old: bool) -> Any:
        op = e.op
        if op in ("&&", "||", "==>"):
            return self.connective(e, fr, spec, old)
        a = self.ev(e.left, fr, spec, old)
        b = self.ev(e.right, fr, spec, old)
        if op == "==" or op == "<==>":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        if op == ">=":
            return a >= b
        if op == "++":
            return a + b
        ty = e.ty
        checked = not spec and isinstance(ty, MachineInt)
        if op in ("/", "%"):
            if b == 0:
                if spec:
                    raise Unspecified(f"{show(e)} divides by zero (at {_at(e.span)}): its value "
                                      "is unspecified")
                raise self.fail(e.span, "division-by-zero", fr, f"division by zero: {show(e)}")
            q = abs(a) // abs(b)
            if (a < 0) != (b < 0):
                q = -q
            if op == "%":
                return a - b * q
            if checked and ty.signed and q > ty.max:  # type: ignore[union-attr]
                raise self.fail(e.span, "overflow", fr, _arith(e, ty, q))  # type: ignore[arg-type]
            return q
        r = a + b if op == "+" else a - b if op == "-" else a * b
        if checked:
            assert isinstance(ty, MachineInt)
            if (ty.signed or op in ("+", "*")) and r > ty.max:
                raise self.fail(e.span, "overflow", fr, _arith(e, ty, r))
            if (ty.signed or op == "-") and r < ty.min:
                raise self.fail(e.span, "underflow", fr, _arith(e, ty, r))
        return r

    def connective(self, e: A.Binary, fr: _Frame, spec: bool, old: bool) -> bool:
        """`&&`, `||`, `==>` short-circuit.  In a specification an operand whose value is
        open (or cannot be computed) is harmless when the other operand decides the result."""
        op = e.op
        decisive_left = op == "||"            # the left value that decides the result
        decided = {"&&": False, "||": True, "==>": True}[op]
        decisive_right = op != "&&"           # the right value that decides the result
        if not spec:
            a = self.ev(e.left, fr, False, old)
            if a == decisive_left:
                return decided
            return bool(self.ev(e.right, fr, False, old))
        try:
            a = self.ev(e.left, fr, True, old)
        except _Undecided:
            if self.ev(e.right, fr, True, old) == decisive_right:
                return decided
            raise
        if a == decisive_left:
            return decided
        return bool(self.ev(e.right, fr, True, old))

    def slice(self, e: A.Slice, fr: _Frame, spec: bool, old: bool) -> tuple:
        seq = self.ev(e.seq, fr, spec, old)
        lo = self.ev(e.lo, fr, spec, old)
        hi = self.ev(e.hi, fr, spec, old)
        if not spec:
            if not 0 <= lo <= hi <= len(seq):
                raise self.fail(e.span, "index-out-of-bounds", fr,
                                f"slice {show(e)} = [{lo}..{hi}] is out of bounds for a vector "
                                f"of length {len(seq)}")
            return tuple(seq[lo:hi])
        # a specification's slice is the theory's total `seq.extract(xs, lo, hi - lo)`
        if not 0 <= lo < len(seq) or hi - lo <= 0:
            return ()
        return tuple(seq[lo:hi])

    # -- quantifiers --------------------------------------------------------------------
    def quant(self, q: A.Quant, fr: _Frame, old: bool) -> bool:
        """Enumerate the instances the guard leaves (always as a specification)."""
        plan = self.plans.get(q)
        if plan is None:
            plan = self.plans[q] = _plan(q)
        domains = self.domains(q, plan, fr, old)
        forall = q.kind == "forall"
        if domains is None:               # the guard is false for every value
            return forall
        total = math.prod(_size(d) for d in domains)
        if total > QUANTIFIER_LIMIT:
            raise NotExecutable(f"quantifier over {total} values (more than "
                                f"{QUANTIFIER_LIMIT}) at {_at(q.span)}")
        undecided: Exception | None = None
        try:
            for values in itertools.product(*domains):
                self.tick()
                for b, v in zip(q.binders, values):
                    fr.env[b] = v
                try:
                    holds = self.ev(q.body, fr, True, old)
                except _Undecided as exc:
                    undecided = undecided or exc
                    continue
                if bool(holds) != forall:
                    return not forall
        finally:
            for b in q.binders:
                fr.env.pop(b, None)
        if undecided is not None:
            raise undecided
        return forall

    def domains(self, q: A.Quant, plan: _Plan, fr: _Frame, old: bool
                ) -> list[Iterable[Any]] | None:
        """Finite value sets that contain every instance satisfying the guard (None: none
        does).  Bounds come from comparisons `x op t`, `x ± c op t` and `x op y + c` between
        bound variables and terms without them, propagated to a fixpoint."""
        for c in plan.closed:
            try:
                if self.ev(c, fr, True, old) is False:
                    return None
            except _Undecided:
                pass
        binders = q.binders
        ints = {b for b in binders if isinstance(b.ty, (IntT, MachineInt))}
        lo: dict[A.Binding, int | None] = {}
        hi: dict[A.Binding, int | None] = {}
        for b in ints:
            lo[b] = b.ty.min if isinstance(b.ty, MachineInt) else None
            hi[b] = b.ty.max if isinstance(b.ty, MachineInt) else None
        pins: dict[A.Binding, Any] = {}
        cons: list[tuple[A.Binding | None, A.Binding | None, int]] = []  # x - y <= k
        for c in plan.comparisons:
            left = self.linear(c.left, binders, fr, old)
            right = self.linear(c.right, binders, fr, old)
            if left is None or right is None:
                continue
            (x, kx), (y, ky) = left, right
            op = c.op
            if x is None:
                (x, kx), (y, ky), op = (y, ky), (x, kx), _FLIP[op]
            if x is None or x is y:
                continue
            if x not in ints or (y is not None and y not in ints):
                if op == "==" and y is None:
                    pins[x] = ky
                continue
            if not isinstance(kx, int) or not isinstance(ky, int) \
                    or isinstance(kx, bool) or isinstance(ky, bool):
                continue
            k = ky - kx                     # x - y op k
            if op in ("<=", "=="):
                cons.append((x, y, k))
            if op == "<":
                cons.append((x, y, k - 1))
            if op in (">=", "=="):
                cons.append((y, x, -k))
            if op == ">":
                cons.append((y, x, -k - 1))
        for _ in range(2 * len(cons) + len(binders) + 2):
            changed = False
            for x, y, k in cons:            # x <= y + k
                if x is None:
                    assert y is not None
                    if lo[y] is None or -k > lo[y]:  # type: ignore[operator]
                        lo[y], changed = -k, True
                elif y is None:
                    if hi[x] is None or k < hi[x]:  # type: ignore[operator]
                        hi[x], changed = k, True
                else:
                    if hi[y] is not None and (hi[x] is None or hi[y] + k < hi[x]):  # type: ignore[operator]
                        hi[x], changed = hi[y] + k, True  # type: ignore[operator]
                    if lo[x] is not None and (lo[y] is None or lo[x] - k > lo[y]):  # type: ignore[operator]
                        lo[y], changed = lo[x] - k, True  # type: ignore[operator]
            if not changed:
                break
        out: list[Iterable[Any]] = []
        for b in binders:
            if b in ints:
                low, high = lo[b], hi[b]
                if low is None or high is None:
                    raise NotExecutable(f"{UNBOUNDED} ('{b.name}' at {_at(q.span)})")
                if low > high:
                    return None
                out.append(range(low, high + 1))
            elif b in pins:
                out.append((pins[b],))
            elif isinstance(b.ty, BoolT):
                out.append((False, True))
            else:
                raise NotExecutable(f"quantifier over the uninterpreted sort {b.ty} "
                                    f"('{b.name}' at {_at(q.span)})")
        return out

    def linear(self, e: A.Expr, binders: list[A.Binding], fr: _Frame, old: bool
               ) -> tuple[A.Binding | None, Any] | None:
        """`e` as (bound variable or None, offset or value), or None if it is neither a term
        free of the bound variables nor a bound variable plus or minus such a term."""
        names = {id(b) for b in binders}
        if isinstance(e, A.Name) and id(e.decl) in names:
            return e.decl, 0
        if not _mentions(e, names):
            try:
                return None, self.ev(e, fr, True, old)
            except _Undecided:
                return None
        if isinstance(e, A.Binary) and e.op in ("+", "-"):
            left = self.linear(e.left, binders, fr, old)
            right = self.linear(e.right, binders, fr, old)
            if left is None or right is None:
                return None
            (x, kx), (y, ky) = left, right
            if not all(isinstance(k, int) and not isinstance(k, bool) for k in (kx, ky)):
                return None
            if y is None:
                return x, kx + ky if e.op == "+" else kx - ky
            if x is None and e.op == "+":
                return y, kx + ky
        return None


def _size(values: Iterable[Any]) -> int:
    """How many values a domain holds (`len` cannot count past the machine word)."""
    if isinstance(values, range):
        return max(0, values.stop - values.start)
    return len(values)  # type: ignore[arg-type]


def _oob(e: A.Index, i: int, n: int) -> str:
    return f"index {i} is out of bounds: {show(e)} on a vector of length {n}"


def _arith(e: A.Expr, ty: MachineInt, r: int) -> str:
    return f"{ty} arithmetic leaves [{ty.min}, {ty.max}]: {show(e)} = {r}"


# ---- values ---------------------------------------------------------------------------


def _zero(ty: Type | None) -> Any:
    """The value an unconstrained variable starts with here."""
    if isinstance(ty, BoolT):
        return False
    if isinstance(ty, VecT):
        return ()
    if isinstance(ty, UninterpT):
        return f"{ty.name}#0"
    return 0


def _convert(ty: Type, v: Any, name: str) -> Any:
    """An input in the counterexample JSON's shape as an interpreter value; a value of the
    wrong shape is the caller's mistake (TypeError)."""
    if isinstance(ty, BoolT):
        if isinstance(v, bool):
            return v
    elif isinstance(ty, (IntT, MachineInt)):
        if isinstance(v, int) and not isinstance(v, bool):
            return v
    elif isinstance(ty, UninterpT):
        if isinstance(v, str):
            return v
        if isinstance(v, UValue):
            return str(v)
    elif isinstance(ty, VecT):
        if isinstance(v, (list, tuple)):
            return tuple(_convert(ty.elem, x, name) for x in v)
    raise TypeError(f"input '{name}': {v!r} is not a value of type {ty}")


def _outside(ty: Type, v: Any) -> int | None:
    """A machine integer in `v` outside its type's range, if any."""
    if isinstance(ty, MachineInt):
        return None if ty.contains(v) else v
    if isinstance(ty, VecT):
        for x in v:
            bad = _outside(ty.elem, x)
            if bad is not None:
                return bad
    return None


def _to_json(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_to_json(x) for x in v]
    return v


# ---- entry points ---------------------------------------------------------------------


def load_program(path: str, text: str | None = None) -> A.Program:
    """The checked AST of a `.vec` file, as the frontend builds it (reads `path` if no text)."""
    if text is None:
        text = Path(path).read_text(encoding="utf-8")
    return parse_and_check(text, path)


def run(program: A.Program, fn_name: str, inputs: dict[str, Any], *,
        results: dict[str, Any] | None = None,
        step_limit: int = DEFAULT_STEP_LIMIT) -> Outcome:
    """Run `fn_name` of the checked `program` on `inputs` (parameter name -> value).

    Missing parameters and named results start as 0, false, [] or `T#0`; `results` (or
    `inputs`) may give the results' initial values, which the language leaves unconstrained.
    Every statement, loop-head arrival and quantifier instance is one step; after
    `step_limit` of them the run stops with status "step-limit".
    """
    fn = program.fn(fn_name)
    if fn is None:
        raise ValueError(f"no function '{fn_name}' in {program.file}")
    known = {p.binding.name for p in fn.params} | {r.name for r in fn.results}
    unknown = sorted(set(inputs) - known) + sorted(set(results or {}) - known)
    if unknown:
        raise ValueError(f"'{fn_name}' has no parameter or result {', '.join(unknown)}")
    env: dict[A.Binding, Any] = {}
    given: dict[str, Any] = {}
    problems: list[str] = []
    for b in [p.binding for p in fn.params] + list(fn.results):
        source = results if b.kind == "result" and results and b.name in results else inputs
        raw = source.get(b.name)
        value = _zero(b.ty) if raw is None else _convert(b.ty, raw, b.name)
        bad = _outside(b.ty, value)
        if bad is not None:
            problems.append(f"'{b.name}' holds {bad}, which is not a {_machine_of(b.ty)}")
        env[b] = value
        if b.kind != "result":
            given[b.name] = _to_json(value)

    def attempt() -> Outcome:
        if problems:
            return Outcome("infeasible", reason="; ".join(problems), inputs=given)
        machine = _Machine(program, step_limit)
        try:
            fr = machine.enter(fn, dict(env))
        except _Failed as exc:
            return Outcome("failed", exc.failures[0], exc.failures, exc.failures[0].message,
                           machine.steps, given)
        except _Infeasible as exc:
            return Outcome("infeasible", reason=str(exc), steps=machine.steps, inputs=given)
        except NotExecutable as exc:
            return Outcome("not-executable", reason=str(exc), steps=machine.steps, inputs=given)
        except Unspecified as exc:
            return Outcome("unspecified", reason=str(exc), steps=machine.steps, inputs=given)
        except _StepLimit as exc:
            return Outcome("step-limit", reason=str(exc), steps=machine.steps, inputs=given)
        values = {b.name: _to_json(fr.env[b]) for b in
                  [p.binding for p in fn.params if p.mut] + list(fn.results)}
        return Outcome("completed", steps=machine.steps, inputs=given, values=values)

    return _deep(attempt, given)


def _machine_of(ty: Type) -> Type:
    while isinstance(ty, VecT):
        ty = ty.elem
    return ty


def _deep(attempt: Callable[[], Outcome], given: dict[str, Any]) -> Outcome:
    """Run `attempt`, on a large stack if the program recurses deeply (`parser.deep_call`;
    the run is deterministic, so a second run is the same run, only deeper)."""
    try:
        return deep_call(attempt)
    except RecursionError:
        return Outcome("step-limit", reason="did not finish: calls nested deeper than the "
                       "interpreter's stack allows", inputs=given)


__all__ = ["run", "load_program", "Outcome", "Failure", "Unspecified", "NotExecutable",
           "DEFAULT_STEP_LIMIT", "QUANTIFIER_LIMIT"]
