"""Name resolution and type checking of a parsed `.vec` program.

`check_program` annotates the AST in place: every expression gets its `ty`, every `Name`
its `decl` (a unique `Binding`), every `CallStmt` its `fn`.  The first problem found raises
`InputError(code='type')` (or 'syntax' for a reserved word used as a name).

Integer literals and `[]` start with a *flexible* type (`LiteralIntT`, `vec<HoleT>`); context
(the other operand, the assignment target, the parameter type, ...) fixes it by pushing a
concrete type down into the literal (`_push`), and whatever is still flexible when a
top-level expression is finished defaults to `int` or is reported (`_finish`).
"""
from __future__ import annotations

from typing import Callable, Iterator

from vecverify.errors import InputError, Span

from .ast import (
    ARITH_OPS,
    BOOL_OPS,
    EQUALITY_OPS,
    ORDER_OPS,
    AssertStmt,
    Assign,
    AssumeStmt,
    Binary,
    Binding,
    Block,
    BoolLit,
    CallStmt,
    Expr,
    FnDecl,
    If,
    Index,
    IntLit,
    Len,
    Name,
    Old,
    Pop,
    Program,
    Push,
    Quant,
    Return,
    Slice,
    Stmt,
    Unary,
    VarDeclStmt,
    VecLit,
    While,
    is_place,
    place_root,
)
from .parser import parse, run_deep
from .types import (
    BOOL,
    HOLE,
    INT,
    LITERAL_INT,
    HoleT,
    IntT,
    LiteralIntT,
    MachineInt,
    Type,
    VecT,
    builtin_type_named,
    is_flexible,
    is_integral,
)

RESERVED = frozenset({
    "fn", "type", "var", "mut", "requires", "ensures", "invariant", "while", "if", "else",
    "return", "assert", "assume", "push", "pop", "len", "old", "forall", "exists", "true",
    "false", "vec",
})


def check_program(program: Program) -> Program:
    """Resolve names and check types of `program` in place; return it."""
    run_deep(lambda: _ProgramChecker(program).run(), program.file)  # restartable: fresh checker
    return program


def parse_and_check(text: str, filename: str) -> Program:
    """Parse and type-check `text`; raises `InputError` (code 'syntax' or 'type') on bad input."""
    return check_program(parse(text, filename))


def _type_error(span: Span | None, message: str) -> InputError:
    return InputError(span, message, "type")


def _check_not_reserved(name: str, span: Span | None) -> None:
    if name in RESERVED:
        raise InputError(span, f"'{name}' is a reserved word and cannot be used as a name", "syntax")


# ---- flexible types ------------------------------------------------------------------


def _intlike(t: Type) -> bool:
    """Integral, or a still-untyped integer literal."""
    return is_integral(t) or isinstance(t, LiteralIntT)


def _fits(src: Type, dst: Type) -> bool:
    """Whether flexible type `src` can be fixed to `dst` by pushing types into literals."""
    if src == dst:
        return True
    if isinstance(src, LiteralIntT):
        return _intlike(dst)
    if isinstance(src, HoleT):
        return True
    if isinstance(src, VecT) and isinstance(dst, VecT):
        return _fits(src.elem, dst.elem)
    return False


def _unify(a: Type, b: Type) -> Type | None:
    """The common type of `a` and `b` when they must be the *same* type, modulo literals."""
    if a == b:
        return a
    if isinstance(a, HoleT):
        return b
    if isinstance(b, HoleT):
        return a
    if isinstance(a, LiteralIntT):
        return b if _intlike(b) else None
    if isinstance(b, LiteralIntT):
        return a if _intlike(a) else None
    if isinstance(a, VecT) and isinstance(b, VecT):
        elem = _unify(a.elem, b.elem)
        return VecT(elem) if elem is not None else None
    return None


def _defaulted(t: Type) -> Type:
    """`t` with every literal placeholder replaced by `int` (holes must be gone already)."""
    if isinstance(t, LiteralIntT):
        return INT
    if isinstance(t, VecT):
        return VecT(_defaulted(t.elem))
    return t


def _has_hole(t: Type) -> bool:
    if isinstance(t, HoleT):
        return True
    return isinstance(t, VecT) and _has_hole(t.elem)


def _type_assignable(src: Type, dst: Type) -> bool:
    """Whether a value of fixed type `src` may be stored into `dst` (integral ranges are
    checked by the lowering)."""
    return src == dst or (is_integral(src) and is_integral(dst))


def _children(e: Expr) -> Iterator[Expr]:
    if isinstance(e, Unary):
        yield e.operand
    elif isinstance(e, Binary):
        yield e.left
        yield e.right
    elif isinstance(e, (Len, Old)):
        yield e.arg
    elif isinstance(e, Index):
        yield e.seq
        yield e.index
    elif isinstance(e, Slice):
        yield e.seq
        yield e.lo
        yield e.hi
    elif isinstance(e, VecLit):
        yield from e.elems
    elif isinstance(e, Quant):
        yield e.body


def show(e: Expr) -> str:
    """A short source-like rendering of `e` for error messages."""
    if isinstance(e, Name):
        return e.name
    if isinstance(e, IntLit):
        return str(e.value)
    if isinstance(e, BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, Index):
        return f"{show(e.seq)}[{show(e.index)}]"
    if isinstance(e, Slice):
        return f"{show(e.seq)}[{show(e.lo)}..{show(e.hi)}]"
    if isinstance(e, Len):
        return f"len({show(e.arg)})"
    if isinstance(e, Old):
        return f"old({show(e.arg)})"
    if isinstance(e, Unary):
        return f"{e.op}{show(e.operand)}"
    if isinstance(e, Binary):
        return f"{show(e.left)} {e.op} {show(e.right)}"
    if isinstance(e, VecLit):
        return "[" + ", ".join(show(x) for x in e.elems) + "]"
    return "..."


# ---- program level -------------------------------------------------------------------


class _ProgramChecker:
    """Checks the declarations of a program, then each function body."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.fns: dict[str, FnDecl] = {}

    def run(self) -> None:
        declared_types: set[str] = set()
        for td in self.program.types:
            _check_not_reserved(td.name, td.name_span)
            if builtin_type_named(td.name) is not None:
                raise _type_error(td.name_span, f"cannot redeclare built-in type '{td.name}'")
            if td.name in declared_types:
                raise _type_error(td.name_span, f"type '{td.name}' is already declared")
            declared_types.add(td.name)
        for ref in self.program.type_refs:
            if ref.name not in declared_types:
                raise _type_error(ref.span, f"unknown type '{ref.name}'")
        for fn in self.program.fns:
            _check_not_reserved(fn.name, fn.name_span)
            if fn.name in self.fns:
                raise _type_error(fn.name_span, f"function '{fn.name}' is already declared")
            self.fns[fn.name] = fn
        for fn in self.program.fns:
            _FnChecker(self.fns, fn).run()


# ---- function level ------------------------------------------------------------------


class _FnChecker:
    """Checks one function: contract clauses, then the body, tracking scopes and `old`."""

    def __init__(self, fns: dict[str, FnDecl], fn: FnDecl) -> None:
        self.fns = fns
        self.fn = fn
        self.scopes: list[dict[str, Binding]] = []
        self.declared: set[str] = set()  # every non-bound name declared in this function
        self.mode = "body"  # 'requires', 'ensures' or 'body'
        self.in_old = False
        self.in_spec = False  # in a specification: arithmetic is mathematical
        # a local declared by `var x: T := f(..)`/`pop(..)`: writable, not yet readable
        self.uninit: Binding | None = None

    # -- scopes
    def lookup(self, name: str) -> Binding | None:
        for scope in reversed(self.scopes):
            b = scope.get(name)
            if b is not None:
                return b
        return None

    def declare(self, b: Binding) -> None:
        _check_not_reserved(b.name, b.span)
        if self.lookup(b.name) is not None or (b.kind != "bound" and b.name in self.declared):
            raise _type_error(b.span, f"'{b.name}' is already declared in function '{self.fn.name}'")
        if b.kind == "bound" and isinstance(b.ty, VecT):
            raise _type_error(b.ty_span or b.span, "quantifying over vec is not supported")
        self.scopes[-1][b.name] = b
        if b.kind != "bound":
            self.declared.add(b.name)

    def run(self) -> None:
        self.scopes.append({})
        for p in self.fn.params:
            self.declare(p.binding)
        for r in self.fn.results:
            self.declare(r)
        self.mode = "requires"
        for e in self.fn.requires:
            self.cond(e, "requires clause")
        self.mode = "ensures"
        for e in self.fn.ensures:
            self.cond(e, "ensures clause")
        self.mode = "body"
        if self.fn.body is not None:
            self.block(self.fn.body)
        self.scopes.pop()

    # -- top-level expressions
    def cond(self, e: Expr, what: str, spec: bool = True) -> None:
        """Check a condition: it must be bool.  `spec` conditions (requires, ensures,
        invariants, assert, assume) have mathematical arithmetic, so mixed machine types are
        `int` there."""
        self.in_spec = spec
        try:
            t = self.synth(e)
        finally:
            self.in_spec = False
        if t != BOOL:
            raise _type_error(e.span, f"{what} must be bool, found {t}")
        self.finish(e)

    def value(self, e: Expr, dst: Type, mismatch: Callable[[Type], str]) -> None:
        """Check `e` as a value stored into something of type `dst`."""
        t = self.synth(e)
        if t == dst or (is_integral(t) and is_integral(dst)):
            pass
        elif is_flexible(t) and _fits(t, dst):
            self.push(e, dst)
        else:
            raise _type_error(e.span, mismatch(t))
        self.finish(e)

    def finish(self, e: Expr) -> None:
        """Default leftover literal types to int; report an `[]` whose type is unknown."""
        for child in _children(e):
            self.finish(child)
        if e.ty is not None and is_flexible(e.ty):
            if _has_hole(e.ty):
                raise _type_error(e.span, "cannot infer the element type of []")
            e.ty = _defaulted(e.ty)

    def push(self, e: Expr, dst: Type) -> None:
        """Fix the flexible type of `e` to `dst` (which `_fits` accepted)."""
        assert e.ty is not None
        if e.ty == dst or not is_flexible(e.ty):
            return
        if isinstance(e, IntLit):
            if isinstance(dst, MachineInt) and not dst.contains(e.value):
                raise _type_error(e.span, f"literal {e.value} does not fit in {dst}")
        elif isinstance(e, Unary) and e.op == "-":
            if isinstance(e.operand, IntLit) and isinstance(dst, MachineInt):
                if not dst.contains(-e.operand.value):
                    raise _type_error(e.span, f"literal {-e.operand.value} does not fit in {dst}")
                e.operand.ty = dst
            else:
                self.push(e.operand, dst)
        elif isinstance(e, Binary) and (e.op in ARITH_OPS or e.op == "++"):
            self.push(e.left, dst)
            self.push(e.right, dst)
        elif isinstance(e, VecLit):
            assert isinstance(dst, VecT)
            for x in e.elems:
                self.push(x, dst.elem)
        elif isinstance(e, (Slice, Old)):
            self.push(e.seq if isinstance(e, Slice) else e.arg, dst)
        elif isinstance(e, Index):
            self.push(e.seq, VecT(dst))
        e.ty = dst

    # -- expression synthesis
    def synth(self, e: Expr) -> Type:
        """Compute (and record) the possibly-flexible type of `e`."""
        method = getattr(self, "x_" + type(e).__name__)
        t = method(e)
        e.ty = t
        return t

    def x_IntLit(self, e: IntLit) -> Type:
        return LITERAL_INT

    def x_BoolLit(self, e: BoolLit) -> Type:
        return BOOL

    def x_Name(self, e: Name) -> Type:
        b = self.lookup(e.name)
        if b is None or b is self.uninit:
            raise _type_error(e.span, f"unknown variable '{e.name}'")
        if self.mode == "requires" and b.kind == "result":
            raise _type_error(e.span, f"result '{e.name}' cannot be used in requires")
        if self.in_old and b.kind in ("local", "result"):
            kind = "local variable" if b.kind == "local" else "result"
            raise _type_error(e.span, f"old() can only refer to parameters, not to {kind} '{e.name}'")
        e.decl = b
        return b.ty

    def x_Unary(self, e: Unary) -> Type:
        t = self.synth(e.operand)
        if e.op == "!":
            if t != BOOL:
                raise _type_error(e.operand.span, f"operator '!' expects a bool operand, found {t}")
            return BOOL
        if not _intlike(t):
            raise _type_error(e.operand.span, f"operator '-' expects an integer operand, found {t}")
        return t

    def x_Binary(self, e: Binary) -> Type:
        lt = self.synth(e.left)
        rt = self.synth(e.right)
        op = e.op
        if op in BOOL_OPS:
            for side, t in ((e.left, lt), (e.right, rt)):
                if t != BOOL:
                    raise _type_error(side.span, f"operator '{op}' expects bool operands, found {t}")
            return BOOL
        if op in ARITH_OPS or op in ORDER_OPS or (op in EQUALITY_OPS and _intlike(lt) and _intlike(rt)):
            for side, t in ((e.left, lt), (e.right, rt)):
                if not _intlike(t):
                    raise _type_error(side.span, f"operator '{op}' expects integer operands, found {t}")
            result = self.integer_join(e, lt, rt)
            return result if op in ARITH_OPS else BOOL
        if op in EQUALITY_OPS:
            u = _unify(lt, rt)
            if u is None:
                raise _type_error(e.span, f"cannot compare {lt} and {rt}")
            self.push(e.left, u)
            self.push(e.right, u)
            return BOOL
        if op == "++":
            for side, t in ((e.left, lt), (e.right, rt)):
                if not isinstance(t, VecT):
                    raise _type_error(side.span, f"operator '++' expects vector operands, found {t}")
            u = _unify(lt, rt)
            if u is None:
                raise _type_error(e.span, f"mismatched vector types {lt} and {rt}")
            self.push(e.left, u)
            self.push(e.right, u)
            return u
        raise AssertionError(f"unknown operator {op}")  # pragma: no cover

    def integer_join(self, e: Binary, lt: Type, rt: Type) -> Type:
        """Result type of integer operands; literals adopt the other operand's type."""
        if isinstance(lt, LiteralIntT) and isinstance(rt, LiteralIntT):
            return LITERAL_INT
        if e.op not in ARITH_OPS and (isinstance(lt, LiteralIntT) or isinstance(rt, LiteralIntT)):
            # comparisons are mathematical: `x < 300` is fine for x: u8
            for side, t in ((e.left, lt), (e.right, rt)):
                if isinstance(t, LiteralIntT):
                    self.push(side, INT)
            return INT
        if isinstance(lt, LiteralIntT):
            self.push(e.left, rt)
            return rt
        if isinstance(rt, LiteralIntT):
            self.push(e.right, lt)
            return lt
        if lt == rt:
            return lt
        if isinstance(lt, IntT) or isinstance(rt, IntT):
            return INT
        if e.op in ARITH_OPS and not self.in_spec:
            raise _type_error(e.span, f"mismatched integer types {lt} and {rt}")
        return INT  # comparisons of different machine types are mathematical

    def x_Len(self, e: Len) -> Type:
        t = self.synth(e.arg)
        if not isinstance(t, VecT):
            raise _type_error(e.arg.span, f"len expects a vector, found {t}")
        return INT

    def seq_and_index(self, seq: Expr, indices: list[Expr]) -> VecT:
        st = self.synth(seq)
        if not isinstance(st, VecT):
            raise _type_error(seq.span, f"cannot index into a value of type {st}")
        for ix in indices:
            it = self.synth(ix)
            if not _intlike(it):
                raise _type_error(ix.span, f"vector index must be an integer, found {it}")
        return st

    def x_Index(self, e: Index) -> Type:
        return self.seq_and_index(e.seq, [e.index]).elem

    def x_Slice(self, e: Slice) -> Type:
        return self.seq_and_index(e.seq, [e.lo, e.hi])

    def x_VecLit(self, e: VecLit) -> Type:
        elem: Type = HOLE
        for x in e.elems:
            t = self.synth(x)
            u = _unify(elem, t)
            if u is None:
                raise _type_error(x.span, f"vector literal elements have different types {elem} and {t}")
            elem = u
        for x in e.elems:
            self.push(x, elem)
        return VecT(elem)

    def x_Old(self, e: Old) -> Type:
        if self.mode == "requires":
            raise _type_error(e.span, "old() is not allowed in requires")
        if self.in_old:
            raise _type_error(e.span, "nested old() is not allowed")
        self.in_old = True
        try:
            return self.synth(e.arg)
        finally:
            self.in_old = False

    def x_Quant(self, e: Quant) -> Type:
        self.scopes.append({})
        for b in e.binders:
            self.declare(b)
        t = self.synth(e.body)
        if t != BOOL:
            raise _type_error(e.body.span, f"quantifier body must be bool, found {t}")
        self.scopes.pop()
        return BOOL

    # -- places
    def place(self, e: Expr, action: str, target: bool = False) -> Type:
        """Check an assignable place; `action` is a template like 'assign to {what}'.
        `target`: the place is only written (so a not-yet-initialised local is fine)."""
        if isinstance(e, Name):
            b = self.lookup(e.name)
            if b is None or (b is self.uninit and not target):
                raise _type_error(e.span, f"unknown variable '{e.name}'")
            if b.kind == "param":
                what = action.format(what=f"parameter '{e.name}'")
                raise _type_error(e.span, f"cannot {what}; declare it `mut`")
            if b.kind == "bound":
                raise _type_error(e.span, f"cannot {action.format(what=f'bound variable {e.name!r}')}")
            e.decl = b
            e.ty = b.ty
            return b.ty
        if isinstance(e, Index):
            st = self.place(e.seq, action, target)
            if not isinstance(st, VecT):
                raise _type_error(e.seq.span, f"cannot index into a value of type {st}")
            it = self.synth(e.index)
            if not _intlike(it):
                raise _type_error(e.index.span, f"vector index must be an integer, found {it}")
            self.finish(e.index)
            e.ty = st.elem
            return st.elem
        raise _type_error(e.span, f"cannot {action.format(what=repr(show(e)))}; expected a variable or vector element")

    # -- statements
    def block(self, block: Block) -> None:
        self.scopes.append({})
        for s in block.stmts:
            self.stmt(s)
            self.uninit = s.binding if isinstance(s, VarDeclStmt) and s.init_by_next else None
        self.scopes.pop()

    def stmt(self, s: Stmt) -> None:
        getattr(self, "s_" + type(s).__name__)(s)

    def s_Block(self, s: Block) -> None:
        self.block(s)

    def s_VarDeclStmt(self, s: VarDeclStmt) -> None:
        b = s.binding
        if s.init is not None:
            self.value(s.init, b.ty,
                       lambda t: f"type mismatch: cannot assign {t} to '{b.name}' of type {b.ty}")
        self.declare(b)

    def s_Assign(self, s: Assign) -> None:
        dst = self.place(s.target, "assign to {what}", target=True)
        self.value(s.value, dst,
                   lambda t: f"type mismatch: cannot assign {t} to '{show(s.target)}' of type {dst}")

    def vec_place(self, e: Expr, action: str, op: str) -> VecT:
        if not is_place(e):
            raise _type_error(e.span, f"{op} needs a variable or vector element, found '{show(e)}'")
        t = self.place(e, action)
        if not isinstance(t, VecT):
            raise _type_error(e.span, f"{op} expects a vector, found {t}")
        return t

    def s_Push(self, s: Push) -> None:
        vt = self.vec_place(s.target, "push onto {what}", "push")
        self.value(s.value, vt.elem,
                   lambda t: f"type mismatch: cannot push {t} onto '{show(s.target)}' of type {vt}")

    def s_Pop(self, s: Pop) -> None:
        vt = self.vec_place(s.vec, "pop from {what}", "pop")
        if s.target is not None:
            dst = self.place(s.target, "assign to {what}", target=True)
            if not _type_assignable(vt.elem, dst):
                raise _type_error(s.target.span,
                                  f"type mismatch: cannot assign {vt.elem} to '{show(s.target)}' of type {dst}")

    def s_AssertStmt(self, s: AssertStmt) -> None:
        self.cond(s.cond, "assert condition")

    def s_AssumeStmt(self, s: AssumeStmt) -> None:
        self.cond(s.cond, "assume condition")

    def s_If(self, s: If) -> None:
        self.cond(s.cond, "if condition", spec=False)
        self.block(s.then)
        if s.els is not None:
            self.block(s.els)

    def s_While(self, s: While) -> None:
        self.cond(s.cond, "while condition", spec=False)
        for inv in s.invariants:
            self.cond(inv, "loop invariant")
        self.block(s.body)

    def s_Return(self, s: Return) -> None:
        pass

    def s_CallStmt(self, s: CallStmt) -> None:
        fn = self.fns.get(s.callee)
        if fn is None:
            raise _type_error(s.callee_span or s.span, f"unknown function '{s.callee}'")
        if len(s.args) != len(fn.params):
            raise _type_error(s.span, f"function '{fn.name}' expects {len(fn.params)} argument(s), "
                                      f"got {len(s.args)}")
        mut_roots: list[Binding] = []
        for arg, param in zip(s.args, fn.params):
            pb = param.binding
            if param.mut:
                if not is_place(arg):
                    raise _type_error(arg.span, f"argument for `mut` parameter '{pb.name}' must be "
                                                f"a variable or vector element")
                at = self.place(arg, "pass {what} to a `mut` parameter")
                if at != pb.ty:
                    raise _type_error(arg.span, f"type mismatch: `mut` parameter '{pb.name}' has type "
                                                f"{pb.ty}, but '{show(arg)}' has type {at}")
                root = place_root(arg).decl
                assert root is not None
                if any(r is root for r in mut_roots):
                    raise _type_error(arg.span, f"'{root.name}' is passed to more than one `mut` parameter")
                mut_roots.append(root)
            else:
                self.value(arg, pb.ty, lambda t, pb=pb: f"type mismatch: cannot pass {t} as parameter "
                                                        f"'{pb.name}' of type {pb.ty}")
        if s.targets and len(s.targets) != len(fn.results):
            raise _type_error(s.span, f"function '{fn.name}' returns {len(fn.results)} result(s), "
                                      f"but {len(s.targets)} target(s) are given")
        target_roots: list[Binding] = []
        for target, result in zip(s.targets, fn.results):
            dst = self.place(target, "assign to {what}", target=True)
            if not _type_assignable(result.ty, dst):
                raise _type_error(target.span, f"type mismatch: cannot assign {result.ty} to "
                                               f"'{show(target)}' of type {dst}")
            root = place_root(target).decl
            assert root is not None
            if any(r is root for r in target_roots):
                raise _type_error(target.span, f"'{root.name}' is assigned more than once by this call")
            if any(r is root for r in mut_roots):
                raise _type_error(target.span, f"'{root.name}' is both a `mut` argument and a target "
                                               f"of this call")
            target_roots.append(root)
        s.fn = fn
