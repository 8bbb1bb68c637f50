"""Calls inside a function body: built-ins (`require`, `assert`, `revert`), array `push` and
`pop`, conversions and struct constructors, `new T[](n)`, and internal calls, which are
verified modularly against the callee's specification or inlined (with their modifiers).

A component of `FunctionLowerer` (lower.py), which owns the variables, the memory model
(`places.Memory`) and expression lowering this part calls back into.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from vecverify.ir import Assert, Assume, Block, Havoc, ReturnScope, Stmt
from vecverify.obligations import AssertCheck, EnumConversion, PopEmpty

from .model import Node, walk
from .places import Place
from .types import (ADDRESS, UINT256, ArrayType, Bundle, EnumType, IntType, SolType, StructType,
                    Unsupported, assign_bundle, leaf_sorts)

if TYPE_CHECKING:
    from .lower import FunctionLowerer

Stmts = list[Stmt]


class CallLowering:
    """Call lowering, a part of one `FunctionLowerer` (see the module docstring): it reads
    and writes through the lowerer's memory model and expression lowering."""

    def __init__(self, fl: "FunctionLowerer") -> None:
        self.fl = fl

    # -- calls ---------------------------------------------------------------------------
    def call_results(self, e: Node, pre: Stmts) -> list[tuple[Bundle, SolType]]:
        """Lower a call; its results (none for statements like push)."""
        kind = e.get("kind")
        callee = e["expression"]
        args = e.get("arguments", [])
        tm = self.fl.tm
        if kind == "typeConversion":
            target = self.fl.type_of(e)
            if args and args[0]["nodeType"] == "Identifier" and args[0]["name"] == "this":
                return [({(): self.fl.cl.this_address(self.fl)}, ADDRESS)]
            v, vt = self.fl.expr(args[0], pre)
            x = v[()]
            if isinstance(target, EnumType) and not isinstance(vt, EnumType):
                pre.append(Assert(tm.and_(tm.le(tm.int(0), x), tm.lt(x, tm.int(target.count))),
                                  self.fl.check(EnumConversion, e, "conversion to "
                                             f"{target} may be out of range: {self.fl.text(e)}",
                                             ((self.fl.text(args[0]), x),))))
            elif isinstance(target, IntType) and isinstance(vt, IntType) and not (
                    vt.min >= target.min and vt.max <= target.max):
                x = self.fl.wrap(x, target)
            return [({(): x}, target)]
        if kind == "structConstructorCall":
            st = self.fl.prog.type_of_decl(self.fl.prog.by_id[callee["referencedDeclaration"]])
            assert isinstance(st, StructType)
            names = e.get("names") or [f for f, _ in st.fields]
            for a in args:
                if self.fl.is_memory_ref(a):
                    raise Unsupported(a, "a memory reference stored into a struct (the two "
                                      "would share one object)")
            vals = dict(zip(names, (v for v, _ in self.fl.operands(args, pre))))
            out: Bundle = {}
            for f, _ in st.fields:
                out.update({(f,) + p: x for p, x in vals[f].items()})
            return [(out, st)]
        ctype = callee["nodeType"]
        if ctype == "Identifier" and self.is_builtin(callee):
            return self.builtin(callee["name"], e, args, pre)
        if ctype == "NewExpression":
            tn = callee["typeName"]
            ty = self.fl.prog.type_of_name(tn)
            if not isinstance(ty, ArrayType):
                raise Unsupported(e, "new of a contract")
            n = self.fl.value(args[0], pre)
            arr = self.fl.ghost("new", ty)
            zero = self.fl.b.default(ty.base)
            k = tm.bound_var("k", leaf_sorts(UINT256)[()])
            inb = tm.and_(tm.le(tm.int(0), k), tm.lt(k, n))
            elem = self.fl.b.index(arr, ty, k)
            pre.append(Havoc(tuple(arr.values())))
            pre.append(Assume(tm.and_(tm.eq(self.fl.b.length(arr), n),
                                      tm.forall([k], tm.implies(inb, self.fl.b.eq(elem, zero))))))
            return [(arr, ty)]
        if ctype == "MemberAccess":
            member = callee["memberName"]
            ts = callee["expression"].get("typeDescriptions", {}).get("typeString", "")
            if member in ("push", "pop") and "[]" in ts:
                return self.push_pop(member, callee["expression"], args, e, pre)
            ref = callee.get("referencedDeclaration")
            target = self.fl.prog.by_id.get(ref) if ref is not None else None
            inner = callee["expression"]
            if target is not None and target["nodeType"] == "FunctionDefinition" and (
                    inner["nodeType"] == "Identifier"
                    and inner["name"] in ("super",) or inner.get("typeDescriptions", {})
                    .get("typeString", "").startswith("type(contract")):
                after = None
                if inner["name"] == "super":
                    after = self.fl.contract.contract_of(self.fl.current_function_node)
                fn = self.fl.contract.resolve_function(target, after) if after else target
                return self.internal_call(fn, args, e, pre)
            raise Unsupported(e, f"call of .{member} (external calls are not supported)")
        if ctype == "Identifier":
            target = self.fl.prog.by_id.get(callee.get("referencedDeclaration"))
            if target is not None and target["nodeType"] == "FunctionDefinition":
                return self.internal_call(self.fl.contract.resolve_function(target), args, e, pre)
            if target is not None and target["nodeType"] == "EventDefinition":
                return []
        raise Unsupported(e, f"call of {self.fl.text(callee)}")

    def is_builtin(self, ident: Node) -> bool:
        """solc gives global names (require, msg, ...) ids outside the source's id range."""
        ref = ident.get("referencedDeclaration")
        return ref is not None and ref not in self.fl.prog.by_id

    def builtin(self, name: str, e: Node, args: list[Node], pre: Stmts
                ) -> list[tuple[Bundle, SolType]]:
        tm = self.fl.tm
        if name == "require":
            pre.append(Assume(self.fl.value(args[0], pre)))
            return []
        if name == "assert":
            c = self.fl.value(args[0], pre)
            pre.append(Assert(c, self.fl.check(AssertCheck, e,
                                            f"assertion may not hold: {self.fl.text(args[0])}")))
            return []
        if name == "revert":
            pre.append(Assume(tm.false))
            return []
        raise Unsupported(e, f"built-in {name}")

    def push_pop(self, member: str, arr_e: Node, args: list[Node], e: Node, pre: Stmts
                 ) -> list[tuple[Bundle, SolType]]:
        tm = self.fl.tm
        place, ty = self.fl.place_of(arr_e, pre)
        assert isinstance(ty, ArrayType)
        cur = self.fl.mem.read(place)
        ghost = self.fl.cl.sums.get(place.root) if not place.steps else None
        if member == "push":
            elem = self.fl.expr(args[0], pre)[0] if args else self.fl.b.default(ty.base)
            total = tm.add(ghost, elem[()]) if ghost is not None else None
            pre += self.fl.mem.write(place, self.fl.b.push(cur, elem), total)
            return [] if args else [(elem, ty.base)]
        n = self.fl.b.length(cur)
        pre.append(Assert(tm.lt(tm.int(0), n), self.fl.check(
            PopEmpty, e, f"pop may be applied to an empty array: {self.fl.text(arr_e)}",
            ((f"{self.fl.text(arr_e)}.length", n),))))
        total = None
        if ghost is not None:
            total = tm.sub(ghost, self.fl.b.index(cur, ty, tm.sub(n, tm.int(1)))[()])
        pre += self.fl.mem.write(place, self.fl.b.pop(cur), total)
        self.fl.mem.shrink(place.root)
        return []

    @staticmethod
    def ordered_args(e: Node, params: list[Node]) -> list[Node]:
        """The call's arguments in parameter order (`f({y: 1, x: 2})` binds by name)."""
        args = e.get("arguments", [])
        names = e.get("names") or []
        if not names:
            return list(args)
        by_name = dict(zip(names, args))
        return [by_name[p["name"]] for p in params]

    def internal_call(self, fn: Node, args: list[Node], e: Node, pre: Stmts
                      ) -> list[tuple[Bundle, SolType]]:
        if fn.get("body") is None and not self.fl.cl.has_spec(fn):
            raise Unsupported(e, f"call of {fn['name']} without a body or specification")
        params = fn["parameters"]["parameters"]
        args = self.ordered_args(e, params) if e.get("names") else args
        actuals = self.arguments(params, args, pre)
        if self.fl.cl.has_spec(fn):
            if any(p.get("storageLocation") == "storage" for p in params):
                raise Unsupported(e, "storage pointer argument to a function with a "
                                  "specification")
            roots = [a.root for a in actuals if isinstance(a, Place)]
            if len(roots) != len(set(roots)):
                raise Unsupported(e, "one memory object passed twice to a function with a "
                                  "specification (verified as if they were distinct)")
            values = [(self.fl.mem.read(a), self.fl.prog.type_of_decl(p))
                      if isinstance(a, Place) else a for p, a in zip(params, actuals)]
            return self.fl.cl.modular_call(self.fl, fn, values, e, pre)
        if fn["id"] in self.fl.inline_stack:
            raise Unsupported(e, f"recursive call of {fn['name']} without a specification")
        return self.inline_call(fn, actuals, pre)

    def arguments(self, params: list[Node], args: list[Node], pre: Stmts
                  ) -> list[tuple[Bundle, SolType] | Place]:
        """Arguments, left to right: values, or a `Place` for a storage pointer parameter and
        for an existing memory object (memory references are passed, not copied)."""
        values = self.fl.operands([a for p, a in zip(params, args)
                                if not self.by_reference(p, a)], pre)
        out: list[tuple[Bundle, SolType] | Place] = []
        for p, a in zip(params, args):
            if self.by_reference(p, a):
                place, _ = self.fl.place_of(a, pre)
                out.append(self.fl.mem.freeze(place, pre))
            else:
                out.append(values.pop(0))
        return out

    def by_reference(self, param: Node, arg: Node) -> bool:
        return param.get("storageLocation") == "storage" or (
            param.get("storageLocation") == "memory" and self.fl.is_memory_ref(arg))

    def inline_call(self, fn: Node, actuals: list[tuple[Bundle, SolType] | Place], pre: Stmts
                    ) -> list[tuple[Bundle, SolType]]:
        self.fl.inline_stack.append(fn["id"])
        saved_names, saved_fn = dict(self.fl.by_name), self.fl.current_function_node
        self.fl.current_function_node = fn
        frame = self.fl.mem.next_root_key()
        self.fl.mem.frames.append(frame)
        # `unchecked` is lexical: a callee's arithmetic is checked even when it is called
        # from an unchecked block
        saved_unchecked, self.fl.unchecked = self.fl.unchecked, 0
        try:
            for p, actual in zip(fn["parameters"]["parameters"], actuals):
                pty = self.fl.prog.type_of_decl(p)
                if isinstance(actual, Place):
                    self.fl.vars[p["id"]] = self.fl.mem.pointer(pty, actual, self.fl.depth)
                    self.fl.by_name[p["name"]] = p["id"]
                else:
                    b = self.fl.declare(p["id"], p["name"], pty, "local")
                    pre += [assign_bundle(b, actual[0])]
            rets = []
            for r in fn["returnParameters"]["parameters"]:
                rty = self.fl.prog.type_of_decl(r)
                rb = self.fl.declare(r["id"], r["name"], rty, "local")
                pre.append(assign_bundle(rb, self.fl.b.default(rty)))
                rets.append((r["id"], rty))
            saved = self.fl.current_returns
            self.fl.current_returns = [rid for rid, _ in rets]
            body = self.with_modifiers(fn, lambda: self.fl.block(fn["body"]))
            self.fl.current_returns = saved
            pre.append(ReturnScope(body))
            for (rid, _), r in zip(rets, fn["returnParameters"]["parameters"]):
                place = self.fl.vars[rid].place
                if place is not None and frame < place.root < 0:
                    raise Unsupported(r, "a function returning a memory reference it was "
                                      "given (the caller would share it)")
            return [(self.fl.mem.var_value(rid), rty) for rid, rty in rets]
        finally:
            self.fl.inline_stack.pop()
            self.fl.mem.frames.pop()
            self.fl.by_name, self.fl.current_function_node = saved_names, saved_fn
            self.fl.unchecked = saved_unchecked

    def with_modifiers(self, fn: Node, body: Callable[[], Stmt]) -> Stmt:
        """The function body wrapped in its modifiers (inlined; `_` is the body)."""
        mods = [m for m in fn.get("modifiers", [])
                if self.fl.prog.by_id.get(m["modifierName"].get("referencedDeclaration"), {})
                .get("nodeType") == "ModifierDefinition"]

        def wrap(k: int) -> Stmt:
            if k == len(mods):
                return ReturnScope(body())
            inv = mods[k]
            mdef = self.fl.contract.resolve_modifier(
                self.fl.prog.by_id[inv["modifierName"]["referencedDeclaration"]])
            pre: Stmts = []
            params = mdef["parameters"]["parameters"]
            for p, (val, _) in zip(params, self.fl.operands(inv.get("arguments") or [], pre)):
                b = self.fl.declare(p["id"], p["name"], self.fl.prog.type_of_decl(p), "local")
                pre += [assign_bundle(b, val)]
            own = [n["id"] for n in walk(mdef) if n.get("nodeType") == "VariableDeclaration"]

            def placeholder() -> Stmt:
                # the same modifier may be applied again inside: its variables are its own
                mine = {d: self.fl.vars[d] for d in own if d in self.fl.vars}
                try:
                    return wrap(k + 1)
                finally:
                    self.fl.vars.update(mine)

            saved = self.fl.placeholder
            self.fl.placeholder = placeholder
            try:
                return Block((*pre, self.fl.block(mdef["body"])))
            finally:
                self.fl.placeholder = saved

        return wrap(0)

