"""Lowers Solidity function bodies (solc compact AST) into IR statements.

Expressions lower to `(checks, bundle, type)`: the implicit checks of 0.8 (index bounds,
`pop` on empty, checked arithmetic outside `unchecked`, division by zero) are hoisted before the
value, with `&&`, `||` and `?:` guarding the checks of the parts they may skip.  `require` and
`revert` cut the reverting executions (assume), `assert` is a check.

Storage is one program variable per state-variable leaf; a storage reference
(`uint[] storage r = a;`, a storage struct pointer) is an alias for a *place* (a root variable
plus index/key/member steps, indices frozen when the reference is made), so writes through it
change the state variable.  Memory arrays are values; a memory reference initialised from
another memory reference is an alias of it.  Internal calls are verified modularly against
the callee's specification when it has one and inlined otherwise (recursion without a
specification is unsupported).
"""
from __future__ import annotations

import itertools
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from vecverify.errors import Span
from vecverify.ir import (Assert, Assign, Assume, Block, Break, Check, Choice, Continue,
                          Invariant, Loop, Return, Stmt, VarInfo, modified_vars)
from vecverify.obligations import (DivisionByZero, IndexOutOfBounds, LoopInvariantEntry,
                                   LoopInvariantPreserved, Obligation, Overflow, Underflow)
from vecverify.terms import Term, TermManager, free_vars

from .calls import CallLowering
from .constants import constant_value, is_constant
from .model import Contract, Node, walk
from .places import Memory, Place, Var
from .probes import Probe, loop_probe
from .types import (ADDRESS, BOOL_T, INT_CONST, UINT256, ArrayType, Bundle,
                    Bundles, IntType, MappingType, SolType, StructType, Unsupported,
                    assign_bundle, elementary, is_value_type, leaf_sorts)

if TYPE_CHECKING:
    from .procedures import ContractLowering

Stmts = list[Stmt]

ENV_INPUTS = {("msg", "sender"): ADDRESS, ("msg", "value"): UINT256,
              ("block", "timestamp"): UINT256, ("block", "number"): UINT256,
              ("tx", "origin"): ADDRESS, ("block", "chainid"): UINT256}


class FunctionLowerer:
    """Lowers one function (with its modifiers and inlined callees) of one contract."""

    def __init__(self, cl: "ContractLowering", fn_name: str) -> None:
        self.cl = cl
        self.tm: TermManager = cl.tm
        self.b: Bundles = cl.bundles
        self.contract: Contract = cl.contract
        self.prog = cl.contract.program
        self.fn_name = fn_name
        # the memory model: locations, pointers and the variables that reach them
        self.mem = Memory(cl.tm, cl.bundles, cl.state_vars, cl.sums, self.ghost)
        self.calls = CallLowering(self)
        self.vars: dict[int, Var] = self.mem.vars
        self.depth = 0                              # branches and loops around the lowering
        self.infos: list[VarInfo] = []
        self.names: set[str] = set()
        self.unchecked = 0
        self.inline_stack: list[int] = []
        self.ghosts = itertools.count()
        self.env_inputs: dict[tuple[str, str], Term] = {}
        self.old: dict[Term, Term] = {}             # leaf var -> its value on entry
        self.by_name: dict[str, int] = {}           # names in scope (for annotations)
        self.current_function_node: Node = {}
        self.current_returns: list[int] = []
        self.placeholder: Callable[[], Stmt] | None = None
        self.probes: dict[Check, Probe] = {}        # how a replay observes a check (replay.py)

    # -- variables -----------------------------------------------------------------------
    def fresh_name(self, base: str) -> str:
        name = base
        k = 1
        while name in self.names:
            k += 1
            name = f"{base}~{k}"
        self.names.add(name)
        return name

    def declare(self, decl_id: int, name: str, ty: SolType, role: str,
                line: int = 0) -> Bundle:
        """A new variable (one program variable per leaf) with its type invariant."""
        base = self.fresh_name(name or f"ret{decl_id}")
        bundle = self.b.vars(base, ty)
        self.vars[decl_id] = Var(ty, bundle, Place(self.mem.new_root(bundle)), self.depth)
        if name:
            self.by_name[name] = decl_id
        self.add_infos(bundle, name or base, ty, role, line)
        return bundle

    def add_infos(self, bundle: Bundle, display: str, ty: SolType, role: str,
                  line: int = 0) -> None:
        wf = self.b.wf(ty, bundle)
        leaves = list(bundle.items())
        for k, (path, term) in enumerate(leaves):
            last = k == len(leaves) - 1
            self.infos.append(VarInfo(term, ".".join((display, *path)), role, str(ty),
                                      wf if last and not wf.is_true() else None, line))

    def ghost(self, base: str, ty: SolType) -> Bundle:
        name = self.fresh_name(f"{base}.{next(self.ghosts)}")
        bundle = self.b.vars(name, ty)
        self.add_infos(bundle, base, ty, "ghost")
        return bundle

    def env_input(self, key: tuple[str, str]) -> Term:
        if key not in self.env_inputs:
            name = self.fresh_name(".".join(key))
            term = self.tm.var(name, leaf_sorts(ENV_INPUTS[key])[()])
            self.env_inputs[key] = term
            self.infos.append(VarInfo(term, ".".join(key), "param", str(ENV_INPUTS[key]),
                                      self.b.in_range(term, ENV_INPUTS[key])))  # type: ignore[arg-type]
        return self.env_inputs[key]

    def span(self, node: Node) -> Span:
        return self.prog.span(node)

    def check(self, ob: type[Obligation], node: Node, message: str,
              details: tuple[tuple[str, Term], ...] = ()) -> Check:
        return Check(ob, self.span(node), self.fn_name, message, details)

    def text(self, node: Node) -> str:
        return " ".join(self.prog.text(node).split())

    # -- places --------------------------------------------------------------------------
    def place_of(self, e: Node, pre: Stmts) -> tuple[Place, SolType]:
        """The place an lvalue (or storage/memory reference expression) denotes."""
        kind = e["nodeType"]
        if kind == "Identifier":
            decl_id = e["referencedDeclaration"]
            var = self.lookup(decl_id, e)
            if var.place is not None:
                self.mem.check_alive(var, e)
                return Place(var.place.root, list(var.place.steps)), var.ty
            return Place(decl_id), var.ty
        if kind == "IndexAccess":
            base, bt = self.place_of(e["baseExpression"], pre)
            if e.get("indexExpression") is None:
                raise Unsupported(e, "index access without an index")
            idx = self.value(e["indexExpression"], pre)
            if isinstance(bt, MappingType):
                return Place(base.root, base.steps + [("key", idx)]), bt.value
            if isinstance(bt, ArrayType):
                arr = self.mem.read(base)
                pre.append(self.bounds_check(arr, idx, e))
                return Place(base.root, base.steps + [("index", idx)]), bt.base
            raise Unsupported(e, f"indexing {bt}")
        if kind == "MemberAccess":
            base, bt = self.place_of(e["expression"], pre)
            if isinstance(bt, StructType):
                return Place(base.root, base.steps + [("member", e["memberName"])]), \
                    bt.field(e["memberName"])
            raise Unsupported(e, f"member {e['memberName']} as an assignment target")
        if kind == "TupleExpression" and len(e.get("components", [])) == 1:
            return self.place_of(e["components"][0], pre)
        raise Unsupported(e, f"{kind} as an assignment target")

    def lookup(self, decl_id: int, node: Node) -> Var:
        if decl_id in self.vars:
            return self.vars[decl_id]
        return self.cl.state_var(decl_id, node)

    def bounds_check(self, arr: Bundle, idx: Term, e: Node) -> Assert:
        tm = self.tm
        n = self.b.length(arr)
        base = self.text(e["baseExpression"])
        return Assert(tm.and_(tm.le(tm.int(0), idx), tm.lt(idx, n)), self.check(
            IndexOutOfBounds, e, f"index may be out of bounds: {self.text(e)}",
            ((self.text(e["indexExpression"]), idx), (f"{base}.length", n))))

    # -- evaluation order ----------------------------------------------------------------
    def operands(self, nodes: list[Node], pre: Stmts) -> list[tuple[Bundle, SolType]]:
        """Evaluate expressions in the order given (solc's order for the construct at hand).
        A value is a term over program variables, so a value that a later operand's side
        effect would change (`(++x) + x++`, `f(x, x = 2)`) is snapshotted before that effect."""
        parts: list[tuple[Stmts, tuple[Bundle, SolType]]] = []
        for n in nodes:
            stmts: Stmts = []
            parts.append((stmts, self.expr(n, stmts)))
        out = []
        for k, (stmts, (value, ty)) in enumerate(parts):
            pre += stmts
            if is_value_type(ty):               # a reference is read when it is used
                later: Stmts = [st for q, _ in parts[k + 1:] for st in q]
                value = self.settle(value, ty, later, pre)
            out.append((value, ty))
        return out

    def settle(self, value: Bundle, ty: SolType, later: Stmts, pre: Stmts) -> Bundle:
        """`value`, snapshotted into a ghost if the statements `later` write a variable it
        reads (they run after it was computed and before it is used)."""
        written = modified_vars(Block(tuple(later)))
        if not written or not any(free_vars(x) & written for x in value.values()):
            return value
        snap = self.ghost("val", ty)
        pre.append(assign_bundle(snap, value))
        return snap

    # -- expressions ---------------------------------------------------------------------
    def value(self, e: Node, pre: Stmts) -> Term:
        """A value-type expression as one term."""
        b, t = self.expr(e, pre)
        if () not in b:
            raise Unsupported(e, f"{t} used as a single value")
        return b[()]

    def expr(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        kind = e["nodeType"]
        if is_constant(e):                          # solc folded it: exact, never wrapped
            return {(): self.tm.int(self.const_value(e))}, INT_CONST
        handler: Callable[[Node, Stmts], tuple[Bundle, SolType]] | None = getattr(
            self, f"x_{kind}", None)
        if handler is None:
            raise Unsupported(e, f"expression {kind}")
        return handler(e, pre)

    def type_of(self, e: Node) -> SolType:
        ts = e.get("typeDescriptions", {}).get("typeString", "")
        t = elementary(ts.split(" ")[0] if ts.startswith(("uint", "int")) else ts)
        if t is None:
            if is_constant(e):
                return INT_CONST
            if ts.startswith("enum "):
                m = re.search(r"\$(\d+)$", e["typeDescriptions"].get("typeIdentifier", ""))
                decl = self.prog.by_id.get(int(m.group(1))) if m else None
                if decl is None:
                    raise Unsupported(e, f"expression of type {ts}")
                return self.prog.type_of_decl(decl)
            if ts.startswith("contract "):
                return ADDRESS
            raise Unsupported(e, f"expression of type {ts}")
        return t

    def x_Literal(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        if e["kind"] == "bool":
            return {(): self.tm.bool(e["value"] == "true")}, BOOL_T
        if e["kind"] != "number":
            raise Unsupported(e, f"{e['kind']} literal")
        ts = e.get("typeDescriptions", {}).get("typeString", "")
        if ts == "address":
            return {(): self.tm.int(int(e["value"], 16))}, ADDRESS
        raise Unsupported(e, f"number literal of type {ts}")

    def x_Identifier(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        decl_id = e.get("referencedDeclaration")
        const = self.cl.constants.get(decl_id) if decl_id is not None else None
        if const is not None:
            ts = const.get("typeDescriptions", {}).get("typeString", "")
            init = const.get("value")
            if init is not None:
                return self.expr(init, pre)
            raise Unsupported(e, f"constant {const['name']} of type {ts}")
        if e["name"] == "this":
            return {(): self.cl.this_address(self)}, ADDRESS
        if decl_id in self.cl.unsupported_state:
            self.cl.state_var(decl_id, e)                   # raises: names the type
        if decl_id is None or (decl_id not in self.vars and decl_id not in self.cl.state_vars
                               and self.cl.state_var_decl(decl_id) is None):
            raise Unsupported(e, f"identifier {e['name']}")
        place, ty = self.place_of(e, pre)
        return self.mem.read(place), ty

    def x_IndexAccess(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        base, bt = self.expr(e["baseExpression"], pre)
        if e.get("indexExpression") is None:
            raise Unsupported(e, "type expression")
        idx = self.value(e["indexExpression"], pre)
        if isinstance(bt, MappingType):
            return self.b.select(base, bt, idx), bt.value
        if isinstance(bt, ArrayType):
            pre.append(self.bounds_check(base, idx, e))
            out = self.b.index(base, bt, idx)
            if is_value_type(bt.base):
                wf = self.b.wf(bt.base, out)
                if not wf.is_true():
                    pre.append(Assume(wf))
            return out, bt.base
        raise Unsupported(e, f"indexing a value of type {bt}")

    def x_MemberAccess(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        inner = e["expression"]
        member = e["memberName"]
        if (inner["nodeType"] == "Identifier" and (inner["name"], member) in ENV_INPUTS
                and self.calls.is_builtin(inner)):
            return {(): self.env_input((inner["name"], member))}, ENV_INPUTS[
                (inner["name"], member)]
        if member in ("min", "max") and inner["nodeType"] == "FunctionCall" and \
                inner["expression"].get("name") == "type":       # type(T).min / .max
            ty = self.type_of(e)
            if isinstance(ty, IntType):
                return {(): self.tm.int(ty.min if member == "min" else ty.max)}, ty
        ref = e.get("referencedDeclaration")
        if ref is not None and self.prog.by_id.get(ref, {}).get("nodeType") == "EnumValue":
            enum = self.prog.by_id[inner["referencedDeclaration"]]
            index = [m["id"] for m in enum["members"]].index(ref)
            return {(): self.tm.int(index)}, self.prog.type_of_decl(enum)
        if member == "length":
            arr, at = self.expr(inner, pre)
            if not isinstance(at, ArrayType):
                raise Unsupported(e, f"length of {at}")
            if at.length is not None:
                return {(): self.tm.int(at.length)}, UINT256
            return {(): self.b.length(arr)}, UINT256
        base, bt = self.expr(inner, pre)
        if isinstance(bt, StructType):
            return self.b.member(base, member), bt.field(member)
        raise Unsupported(e, f"member access .{member}")

    def x_TupleExpression(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        comps = e.get("components", [])
        if e.get("isInlineArray"):
            values = [self.expr(c, pre) for c in comps]
            ty = self.type_of_array_literal(e)
            elems = [v for v, _ in values]
            sorts = leaf_sorts(ty)
            return {p: self.tm.seq_lit([x[p] for x in elems], s)  # type: ignore[arg-type]
                    for p, s in sorts.items()}, ty
        if len(comps) == 1 and comps[0] is not None:
            return self.expr(comps[0], pre)
        raise Unsupported(e, "tuple used as a value")

    def type_of_array_literal(self, e: Node) -> ArrayType:
        ts = e["typeDescriptions"]["typeString"]          # e.g. "uint8[3] memory"
        base = elementary(ts.split("[")[0])
        if base is None:
            raise Unsupported(e, f"array literal of type {ts}")
        return ArrayType(base, len(e["components"]))

    def x_Conditional(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        c = self.value(e["condition"], pre)
        tpre: Stmts = []
        fpre: Stmts = []
        with self.branch():
            tv, tt = self.expr(e["trueExpression"], tpre)
            fv, _ = self.expr(e["falseExpression"], fpre)
        c = self.settle({(): c}, BOOL_T, tpre + fpre, pre)[()]
        if tpre or fpre:
            pre.append(Choice((Block((Assume(c), *tpre)),
                               Block((Assume(self.tm.not_(c)), *fpre)))))
        rt = self.type_of(e) if is_value_type(tt) else tt
        return self.b.ite(c, tv, fv), rt

    def x_UnaryOperation(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        op = e["operator"]
        tm = self.tm
        if op == "!":
            return {(): tm.not_(self.value(e["subExpression"], pre))}, BOOL_T
        if op == "delete":
            place, ty = self.place_of(e["subExpression"], pre)
            whole = tm.int(0) if not place.steps else None
            pre += self.mem.write(place, self.b.default(ty), whole)
            if not is_value_type(ty):
                self.mem.shrink(place.root)
            return {}, ty
        if op in ("++", "--"):
            place, ty = self.place_of(e["subExpression"], pre)
            old = self.mem.read(place)[()]
            assert isinstance(ty, IntType)
            new = self.arith("+" if op == "++" else "-", old, tm.int(1), ty, e, pre)
            snap = self.ghost("old", ty)[()]
            pre.append(Assign(snap, old))
            pre += self.mem.write(place, {(): new})
            return {(): self.mem.read(place)[()] if e.get("prefix") else snap}, ty
        ty = self.type_of(e)
        x = self.value(e["subExpression"], pre)
        if op == "-":
            assert isinstance(ty, IntType)
            return {(): self.arith("-", tm.int(0), x, ty, e, pre)}, ty
        if op == "~" and isinstance(ty, IntType) and not ty.signed:
            return {(): tm.sub(tm.int(ty.max), x)}, ty
        raise Unsupported(e, f"unary operator {op}")

    def x_BinaryOperation(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        op = e["operator"]
        tm = self.tm
        if op in ("&&", "||"):
            left = self.value(e["leftExpression"], pre)
            rpre: Stmts = []
            with self.branch():
                right = self.value(e["rightExpression"], rpre)
            left = self.settle({(): left}, BOOL_T, rpre, pre)[()]
            guard = left if op == "&&" else tm.not_(left)
            if rpre:
                pre.append(Choice((Block((Assume(guard), *rpre)), Assume(tm.not_(guard)))))
            return {(): (tm.and_ if op == "&&" else tm.or_)(left, right)}, BOOL_T
        # solc's legacy code generator evaluates the right operand first
        (rb, _), (lb, lt) = self.operands([e["rightExpression"], e["leftExpression"]], pre)
        if op in ("==", "!="):
            if () not in lb:
                raise Unsupported(e, f"comparison of {lt}")
            eq = tm.eq(lb[()], rb[()])
            return {(): eq if op == "==" else tm.not_(eq)}, BOOL_T
        a, b = lb.get(()), rb.get(())
        if a is None or b is None:
            raise Unsupported(e, f"operator {op} on {lt}")
        if op in ("<", "<=", ">", ">="):
            f = {"<": tm.lt, "<=": tm.le, ">": tm.gt, ">=": tm.ge}[op]
            return {(): f(a, b)}, BOOL_T
        ty = self.type_of(e)
        if not isinstance(ty, IntType):
            raise Unsupported(e, f"operator {op} on {ty}")
        return {(): self.arith(op, a, b, ty, e, pre)}, ty

    def arith(self, op: str, a: Term, b: Term, ty: IntType, e: Node, pre: Stmts) -> Term:
        """Checked (or, in `unchecked`, wrapping) integer arithmetic of type `ty`."""
        tm = self.tm
        text = self.text(e)
        if op in ("/", "%"):
            pre.append(Assert(tm.neq(b, tm.int(0)), self.check(
                DivisionByZero, e, f"possible division by zero: {text}", (("divisor", b),))))
            if ty.signed:
                q = tm.ite(tm.le(tm.int(0), a), tm.div(a, b), tm.neg(tm.div(tm.neg(a), b)))
                r = q if op == "/" else tm.sub(a, tm.mul(b, q))
            else:
                r = tm.div(a, b) if op == "/" else tm.mod(a, b)
            if op == "/" and ty.signed and not self.unchecked:
                self.range_checks(r, ty, e, pre, text, overflow=True, underflow=False)
            return r if not (self.unchecked and op == "/" and ty.signed) else self.wrap(r, ty)
        if op == "**":
            n = self.const_value(e["rightExpression"]) if is_constant(
                e["rightExpression"]) else None
            if n is None or n < 0 or n > 256:
                raise Unsupported(e, "exponent that is not a small constant")
            r = tm.int(1)
            for _ in range(n):
                r = tm.mul(r, a)
        elif op in ("<<", ">>"):
            n = self.const_value(e["rightExpression"]) if is_constant(
                e["rightExpression"]) else None
            if n is None or ty.signed:
                raise Unsupported(e, f"shift {op} by a non-constant or of a signed value")
            r = tm.mul(a, tm.int(2 ** n)) if op == "<<" else tm.div(a, tm.int(2 ** n))
            return self.wrap(r, ty) if op == "<<" else r
        elif op in ("+", "-", "*"):
            r = {"+": tm.add, "-": tm.sub, "*": tm.mul}[op](a, b)
        else:
            raise Unsupported(e, f"operator {op}")
        if self.unchecked:
            return self.wrap(r, ty)
        left = e.get("leftExpression") or e.get("leftHandSide") or e.get("subExpression")
        right = e.get("rightExpression") or e.get("rightHandSide")
        operands = tuple((self.text(n), x) for n, x in ((left, a), (right, b))
                         if n is not None and n["nodeType"] != "Literal")
        self.range_checks(r, ty, e, pre, text, overflow=ty.signed or op in ("+", "*", "**"),
                          underflow=ty.signed or op == "-", operands=operands)
        return r

    def range_checks(self, r: Term, ty: IntType, e: Node, pre: Stmts, text: str,
                     overflow: bool, underflow: bool,
                     operands: tuple[tuple[str, Term], ...] = ()) -> None:
        tm = self.tm
        details = (*operands, ("result", r))
        if overflow:
            pre.append(Assert(tm.le(r, tm.int(ty.max)), self.check(
                Overflow, e, f"{ty} arithmetic may overflow: {text}", details)))
        if underflow:
            pre.append(Assert(tm.le(tm.int(ty.min), r), self.check(
                Underflow, e, f"{ty} arithmetic may underflow: {text}", details)))

    def wrap(self, r: Term, ty: IntType) -> Term:
        """Two's complement wrap-around into `ty` (unchecked arithmetic, conversions)."""
        tm = self.tm
        size = tm.int(1 << ty.bits)
        if not ty.signed:
            return tm.mod(r, size)
        half = tm.int(1 << (ty.bits - 1))
        return tm.sub(tm.mod(tm.add(r, half), size), half)

    def const_value(self, e: Node) -> int:
        """The exact integer value of a constant expression (`is_constant(e)`)."""
        v = constant_value(e)
        if v is None or v.denominator != 1:
            raise Unsupported(e, f"constant expression {self.text(e)}")
        return int(v)

    def x_Assignment(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        op = e["operator"]
        lhs = e["leftHandSide"]
        if lhs["nodeType"] == "TupleExpression" and len(lhs.get("components", [])) > 1:
            return self.tuple_assign(e, pre)
        if op == "=" and self.is_pointer_var(lhs):
            return self.repoint(lhs, e["rightHandSide"], pre)
        # solc evaluates the right-hand side first, then the place it is stored to
        rhs_val, rt = self.expr(e["rightHandSide"], pre)
        lpre: Stmts = []
        place, ty = self.place_of(lhs, lpre)
        rhs_val = self.settle(rhs_val, rt, lpre, pre)
        pre += lpre
        if op == "=":
            self.check_memory_store(place, e["rightHandSide"], e)
            new = rhs_val
            if not is_value_type(ty):
                self.mem.shrink(place.root)
        else:
            cur = self.mem.read(place)[()]
            assert isinstance(ty, IntType)
            new = {(): self.arith(op[:-1], cur, rhs_val[()], ty, e, pre)}
        pre += self.mem.write(place, new)
        return self.mem.read(place), ty

    @staticmethod
    def is_memory_ref(e: Node) -> bool:
        """A memory array or struct reached through a variable, element or member: a pointer
        to an existing object (not a fresh one made by `new`, a literal or a call)."""
        ts = e.get("typeDescriptions", {}).get("typeString", "")
        return ts.endswith(" memory") and ("[" in ts or ts.startswith("struct")) and \
            e["nodeType"] in ("Identifier", "IndexAccess", "MemberAccess")

    def is_pointer_var(self, e: Node) -> bool:
        """A local variable holding a storage pointer or a memory reference."""
        if e["nodeType"] != "Identifier" or e.get("referencedDeclaration") not in self.vars:
            return False
        ts = e.get("typeDescriptions", {}).get("typeString", "")
        return ts.endswith(" storage pointer") or (ts.endswith(" memory") and (
            "[" in ts or ts.startswith("struct")))

    def repoint(self, lhs: Node, rhs: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        """`p = q` for a pointer p: p now points where q does (nothing is copied); a fresh
        memory object (`new`, a literal, a call result) gets a location of its own."""
        decl_id = lhs["referencedDeclaration"]
        ty = self.vars[decl_id].ty
        storage_to_memory = lhs["typeDescriptions"]["typeString"].endswith(" memory") and \
            not rhs.get("typeDescriptions", {}).get("typeString", "").endswith(" memory")
        if rhs["nodeType"] in ("Identifier", "IndexAccess", "MemberAccess") and \
                not storage_to_memory:
            place, _ = self.place_of(rhs, pre)
            place = self.mem.freeze(place, pre)
        elif (storage_to_memory or rhs["nodeType"] in ("FunctionCall", "Literal",
                                                         "TupleExpression")) and \
                not lhs["typeDescriptions"]["typeString"].endswith(" storage pointer"):
            value, _ = self.expr(rhs, pre)             # a new memory object (a copy)
            key = self.mem.new_root(self.ghost(lhs["name"], ty))
            pre.append(assign_bundle(self.mem.roots[key], value))
            place = Place(key)
        else:
            raise Unsupported(rhs, "re-pointing a reference to this expression")
        self.mem.point(decl_id, ty, place, lhs, self.depth)
        return self.mem.read(place), ty

    def check_memory_store(self, place: Place, rhs: Node, e: Node) -> None:
        """Storing into a memory array element or struct member replaces a pointer there.  Not
        modelled (values are copied): storing an existing memory object (the two would share
        it), or replacing an element that a pointer variable already points into."""
        if place.root >= 0 or not place.steps:
            return                                  # storage, or a whole local
        ts = rhs.get("typeDescriptions", {}).get("typeString", "")
        if not (ts.endswith(" memory") and ("[" in ts or ts.startswith("struct"))):
            return                                  # a value type
        if self.is_memory_ref(rhs):
            raise Unsupported(e, "storing a memory reference into a memory array or struct "
                              "(the two would share one object)")
        for var in self.vars.values():
            if var.bundle is None and var.place is not None and var.place.root == place.root \
                    and len(var.place.steps) > len(place.steps):
                raise Unsupported(e, "replacing a memory array element or struct member that "
                                  "a reference points into")

    def tuple_assign(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        """`(a, b) = (x, y)` as solc does it: the components on the right first, left to right;
        then the targets' places, left to right (their bounds checks, their indices fixed);
        then the stores, from the last target to the first.  A storage or memory object on
        the right is a reference, read when its target is stored, so `(s1, s2) = (s2, s1)`
        on storage structs leaves both equal (as on the EVM)."""
        lhs = e["leftHandSide"]["components"]
        rhs = e["rightHandSide"]
        sources: list[Any] = []
        if rhs["nodeType"] == "TupleExpression":
            comps = rhs["components"]
            for c in comps:
                if c is None:
                    sources.append(None)
                elif self.is_reference(c):
                    place, ty = self.place_of(c, pre)
                    sources.append((self.mem.freeze(place, pre), ty))
                else:                           # a value: fixed now
                    value, ty = self.expr(c, pre)
                    snap = self.ghost("tuple", ty)
                    pre.append(assign_bundle(snap, value))
                    sources.append((snap, ty))
        else:
            sources = list(self.calls.call_results(rhs, pre))
        places: list[Place | None] = []
        for target, src in zip(lhs, sources):
            if target is None or src is None:
                places.append(None)
                continue
            if self.is_pointer_var(target):
                raise Unsupported(e, "re-pointing references in a tuple assignment")
            place, _ = self.place_of(target, pre)
            places.append(self.mem.freeze(place, pre))
        for place, src in reversed(list(zip(places, sources))):
            if place is None:
                continue
            value = self.mem.read(src[0]) if isinstance(src[0], Place) else src[0]
            pre += self.mem.write(place, value)
            if not is_value_type(src[1]):
                self.mem.shrink(place.root)
        return {}, BOOL_T

    @staticmethod
    def is_reference(e: Node) -> bool:
        ts = e.get("typeDescriptions", {}).get("typeString", "")
        return ts.endswith((" storage ref", " storage pointer", " memory")) and (
            "[" in ts or ts.startswith(("struct", "mapping"))) and \
            e["nodeType"] in ("Identifier", "IndexAccess", "MemberAccess")

    def x_FunctionCall(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        results = self.calls.call_results(e, pre)
        if len(results) == 1:
            return results[0]
        return {}, BOOL_T

    def x_ElementaryTypeNameExpression(self, e: Node, pre: Stmts) -> tuple[Bundle, SolType]:
        raise Unsupported(e, "type expression")

    # -- statements ----------------------------------------------------------------------
    def block(self, node: Node) -> Block:
        out: Stmts = []
        unchecked = node["nodeType"] == "UncheckedBlock"
        self.unchecked += unchecked
        try:
            for s in node.get("statements", []):
                out += self.stmt(s)
        finally:
            self.unchecked -= unchecked
        return Block(tuple(out))

    def stmt(self, s: Node) -> Stmts:
        kind = s["nodeType"]
        handler: Callable[[Node], Stmts] | None = getattr(self, f"s_{kind}", None)
        if handler is None:
            raise Unsupported(s, f"statement {kind}")
        return handler(s)

    def s_Block(self, s: Node) -> Stmts:
        return [self.block(s)]

    s_UncheckedBlock = s_Block

    def s_ExpressionStatement(self, s: Node) -> Stmts:
        pre: Stmts = []
        e = s["expression"]
        if e["nodeType"] == "FunctionCall":
            self.calls.call_results(e, pre)
        else:
            self.expr(e, pre)
        return pre

    def s_EmitStatement(self, s: Node) -> Stmts:
        pre: Stmts = []
        for a in s["eventCall"].get("arguments", []):
            try:
                self.expr(a, pre)
            except Unsupported:
                pass                        # event arguments only matter for their checks
        return pre

    def s_RevertStatement(self, s: Node) -> Stmts:
        return [Assume(self.tm.false)]

    def s_PlaceholderStatement(self, s: Node) -> Stmts:
        assert self.placeholder is not None
        return [self.placeholder()]

    def s_VariableDeclarationStatement(self, s: Node) -> Stmts:
        pre: Stmts = []
        decls = s["declarations"]
        init = s.get("initialValue")
        if len(decls) == 1 and decls[0] is not None:
            d = decls[0]
            ty = self.prog.type_of_decl(d)
            loc = d.get("storageLocation")
            if init is not None and (loc == "storage" or (loc == "memory" and
                                                           self.is_memory_ref(init))):
                place, _ = self.place_of(init, pre)       # a pointer, not a copy
                self.vars[d["id"]] = self.mem.pointer(ty, self.mem.freeze(place, pre),
                                                      self.depth)
                if d["name"]:
                    self.by_name[d["name"]] = d["id"]
                return pre
            if init is None and loc == "storage":
                raise Unsupported(s, "uninitialised storage reference")
            if init is not None and loc == "memory" and init["nodeType"] not in (
                    "FunctionCall", "Literal", "TupleExpression") and init.get(
                    "typeDescriptions", {}).get("typeString", "").endswith(" memory"):
                raise Unsupported(init, "a memory reference chosen by an expression")
            value = self.expr(init, pre)[0] if init is not None else self.b.default(ty)
            b = self.declare(d["id"], d["name"], ty, "local", self.span(d).line)
            return pre + [assign_bundle(b, value)]
        if init is None:
            raise Unsupported(s, "tuple declaration without a value")
        if init["nodeType"] == "TupleExpression":
            values = self.operands(init["components"], pre)
        else:
            values = self.calls.call_results(init, pre)
        for d, (v, _) in zip(decls, values):
            if d is None:
                continue
            b = self.declare(d["id"], d["name"], self.prog.type_of_decl(d), "local",
                             self.span(d).line)
            pre += [assign_bundle(b, v)]
        return pre

    @contextmanager
    def branch(self) -> Iterator[None]:
        """Code that runs on some paths only (or repeatedly): pointers declared outside it
        cannot be re-pointed inside it."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def s_IfStatement(self, s: Node) -> Stmts:
        pre: Stmts = []
        c = self.value(s["condition"], pre)
        with self.branch():
            then = Block((Assume(c), *self.stmt(s["trueBody"])))
            els: Stmts = [Assume(self.tm.not_(c))]
            if s.get("falseBody") is not None:
                els += self.stmt(s["falseBody"])
        return pre + [Choice((then, Block(tuple(els))))]

    def s_Return(self, s: Node) -> Stmts:
        pre: Stmts = []
        e = s.get("expression")
        if e is not None:
            if e["nodeType"] == "TupleExpression" and len(e.get("components", [])) > 1:
                exprs = e["components"]
                values = self.operands(exprs, pre)
            elif e["nodeType"] == "FunctionCall" and len(self.current_returns) > 1:
                exprs = []
                values = self.calls.call_results(e, pre)
            else:
                exprs = [e]
                values = [self.expr(e, pre)]
            for x in exprs:
                if self.mem.frames and self.is_memory_ref(x):
                    place, _ = self.place_of(x, [])
                    if self.mem.frames[-1] < place.root < 0:
                        raise Unsupported(x, "a function returning a memory reference it was "
                                          "given (the caller would share it)")
            for rid, (v, _) in zip(self.current_returns, values):
                place = self.vars[rid].place
                assert place is not None
                pre += self.mem.write(place, v)
        return pre + [Return()]

    def s_Break(self, s: Node) -> Stmts:
        return [Break()]

    def s_Continue(self, s: Node) -> Stmts:
        return [Continue()]

    def loop(self, s: Node, cond: Node | None, body: Node, step: Stmts) -> Stmts:
        invs = []
        for ann in self.cl.loop_invariants(s):
            term = self.cl.spec_term(self, ann.expr)
            text = ann.text
            inv = Invariant(
                term,
                Check(LoopInvariantEntry, ann.span, self.fn_name,
                      f"loop invariant may not hold on entry: {text}"),
                Check(LoopInvariantPreserved, ann.span, self.fn_name,
                      f"loop invariant may not be preserved: {text}"))
            invs.append(inv)
            probe = loop_probe(self.prog, s, cond, ann)
            if probe is not None:
                self.probes[inv.entry] = self.probes[inv.preserved] = probe
        head: Stmts = []
        if may_shrink(s):                   # a later iteration runs after this one's pops
            self.mem.shrink_all()
        with self.branch():
            c = self.value(cond, head) if cond is not None else self.tm.true
            block = Block(tuple(self.stmt(body)))
        return [Loop(tuple(invs), Block(tuple(head)), c, block, self.span(s),
                     Block(tuple(step)))]

    def s_WhileStatement(self, s: Node) -> Stmts:
        return self.loop(s, s["condition"], s["body"], [])

    def s_ForStatement(self, s: Node) -> Stmts:
        init = self.stmt(s["initializationExpression"]) if s.get(
            "initializationExpression") else []
        with self.branch():
            step = self.stmt(s["loopExpression"]) if s.get("loopExpression") else []
        return init + self.loop(s, s.get("condition"), s["body"], step)

    def s_DoWhileStatement(self, s: Node) -> Stmts:
        # do B while (C)  ==  while (true) { B } step { if (!C) break; }: the invariants hold
        # before every execution of B, `continue` goes to the test of C
        step: Stmts = []
        with self.branch():
            c = self.value(s["condition"], step)
        step.append(Choice((Block((Assume(self.tm.not_(c)), Break())), Assume(c))))
        return self.loop(s, None, s["body"], step)


def may_shrink(node: Node) -> bool:
    """Whether running `node` may shrink a storage array: a `pop`, a `delete`, an assignment
    of a whole array or struct, or a call (its callee may do any of these)."""
    for n in walk(node):
        kind = n.get("nodeType")
        if kind == "UnaryOperation" and n.get("operator") == "delete":
            return True
        if kind == "Assignment" and not n["leftHandSide"].get("typeDescriptions", {}).get(
                "typeString", "").startswith(("uint", "int", "bool", "address", "enum")):
            return True
        if kind == "FunctionCall" and n.get("kind") == "functionCall":
            callee = n.get("expression", {})
            if callee.get("nodeType") == "MemberAccess" and callee.get("memberName") == "pop":
                return True
            if callee.get("nodeType") == "Identifier" or (
                    callee.get("nodeType") == "MemberAccess" and callee.get("memberName") not in (
                        "push", "length")):
                ref = callee.get("referencedDeclaration")
                if ref is not None and ref >= 0 and callee.get("name") not in (
                        "require", "assert", "revert"):
                    return True
    return False
