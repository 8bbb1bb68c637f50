"""Specification expressions (solc-verify annotations) to terms, type-checked on the way.

Arithmetic in specifications is mathematical.  `__verifier_old_<t>(e)` is `e` with every
state and parameter leaf replaced by its value on entry (or, for a callee's postcondition, just
before the call).  Array reads are not bounds-checked (out of bounds they are unspecified, as in
the sequence theory).  A name the contract does not declare, or a member a type does not have,
is a `file:line:col` error of the annotation.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vecverify.errors import InputError
from vecverify.terms import Term, TermManager, substitute

from . import spec_ast as S
from .types import (BOOL_T, UINT256, ArrayType, Bundle, BoolType, IntType,
                    MappingType, SolType, StructType, Unsupported, elementary, leaf_sorts)

from .lower import ENV_INPUTS

if TYPE_CHECKING:
    from .lower import FunctionLowerer

Typed = tuple[Bundle, SolType]
INT_T = IntType(True, 512)          # the type of mathematical arithmetic results


class SpecLowerer:
    """Lowers spec expressions in the scope of one function at one program point."""

    def __init__(self, fl: "FunctionLowerer", names: dict[str, Typed] | None = None,
                 old: dict[Term, Term] | None = None) -> None:
        self.fl = fl
        self.tm: TermManager = fl.tm
        self.names = dict(names or {})
        self.old = fl.old if old is None else old
        self.bound: dict[str, Typed] = {}

    def term(self, e: Any) -> Term:
        b, t = self.expr(e)
        if not isinstance(t, BoolType):
            raise InputError(e.span, f"annotation must be a boolean condition, found {t}",
                             "annotation.type")
        return b[()]

    def value(self, e: Any) -> Term:
        b, t = self.expr(e)
        if () not in b:
            raise InputError(e.span, f"expected a single value, found {t}", "annotation.type")
        return b[()]

    def expr(self, e: Any) -> Typed:
        tm = self.tm
        if isinstance(e, S.Number):
            return {(): tm.int(e.value)}, UINT256
        if isinstance(e, S.Bool):
            return {(): tm.bool(e.value)}, BOOL_T
        if isinstance(e, S.Ident):
            return self.ident(e)
        if isinstance(e, S.Member):
            return self.member(e)
        if isinstance(e, S.Index):
            base, bt = self.expr(e.expr)
            idx = self.value(e.index)
            if isinstance(bt, ArrayType):
                return self.fl.b.index(base, bt, idx), bt.base
            if isinstance(bt, MappingType):
                return self.fl.b.select(base, bt, idx), bt.value
            raise InputError(e.span, f"cannot index a value of type {bt}", "annotation.type")
        if isinstance(e, S.Call):
            return self.call(e)
        if isinstance(e, S.Unary):
            x = self.value(e.expr)
            if e.op == "!":
                return {(): tm.not_(x)}, BOOL_T
            if e.op == "-":
                return {(): tm.neg(x)}, INT_T
            raise Unsupported(None, f"operator {e.op} in an annotation")
        if isinstance(e, S.Binary):
            return self.binary(e)
        if isinstance(e, S.Cond):
            c = self.value(e.cond)
            a, at = self.expr(e.then)
            b, _ = self.expr(e.els)
            return self.fl.b.ite(c, a, b), at
        if isinstance(e, S.Quant):
            return self.quant(e)
        raise InputError(getattr(e, "span", None), "unsupported annotation expression",
                         "annotation.unsupported")

    def ident(self, e: Any) -> Typed:
        name = e.name
        if name in self.bound:
            return self.bound[name]
        if name in self.names:
            return self.names[name]
        fl = self.fl
        if name in fl.by_name:
            var = fl.vars[fl.by_name[name]]
            if var.place is not None:
                return fl.mem.read(var.place), var.ty
            assert var.bundle is not None
            return var.bundle, var.ty
        hit = fl.cl.state_by_name.get(name)
        if hit is not None:
            assert hit.bundle is not None
            return hit.bundle, hit.ty
        for d in fl.contract.state_variables():
            if d["name"] == name and d["id"] in fl.cl.unsupported_state:
                raise Unsupported(None, f"state variable {name} of "
                                  f"{fl.cl.unsupported_state[d['id']]} in an annotation")
        const = fl.cl.constant_by_name(name)
        if const is not None and const.get("value") is not None:
            return fl.expr(const["value"], [])
        raise InputError(e.span, f"unknown name '{name}' in annotation", "annotation.name")

    def member(self, e: Any) -> Typed:
        inner = e.expr
        if isinstance(inner, S.Ident) and (inner.name, e.name) in ENV_INPUTS:
            return {(): self.fl.env_input((inner.name, e.name))}, ENV_INPUTS[(inner.name, e.name)]
        base, bt = self.expr(inner)
        if e.name == "length" and isinstance(bt, ArrayType):
            if bt.length is not None:
                return {(): self.tm.int(bt.length)}, UINT256
            return {(): self.fl.b.length(base)}, UINT256
        if isinstance(bt, StructType):
            try:
                return self.fl.b.member(base, e.name), bt.field(e.name)
            except KeyError:
                pass
        raise InputError(e.span, f"{bt} has no member '{e.name}'", "annotation.name")

    def call(self, e: Any) -> Typed:
        callee = e.callee
        name = callee.name if isinstance(callee, S.Ident) else None
        if name is not None and name.startswith("__verifier_old_"):
            if len(e.args) != 1:
                raise InputError(e.span, f"{name} takes one argument", "annotation.type")
            b, t = self.expr(e.args[0])
            return {p: substitute(self.tm, x, self.old) for p, x in b.items()}, t
        if name is not None and name.startswith("__verifier_sum_"):
            arg = e.args[0] if len(e.args) == 1 else None
            var = self.fl.cl.state_by_name.get(arg.name) if isinstance(arg, S.Ident) else None
            decl = self.fl.cl.state_decl_by_name(arg.name) if var is not None else None
            if decl is None or decl["id"] not in self.fl.cl.sums:
                raise InputError(e.span, f"{name} takes a state array or mapping of integers",
                                 "annotation.type")
            return {(): self.fl.cl.sums[decl["id"]]}, INT_T
        if name is not None:
            target = elementary(name)
            if target is not None and len(e.args) == 1:        # a conversion like uint(x)
                return self.expr(e.args[0])[0], target
        raise Unsupported(None, f"call of {name or 'an expression'} in an annotation")

    def binary(self, e: Any) -> Typed:
        tm = self.tm
        op = e.op
        if op in ("&&", "||", "==>"):
            a, b = self.value(e.left), self.value(e.right)
            f = {"&&": tm.and_, "||": tm.or_, "==>": tm.implies}[op]
            return {(): f(a, b)}, BOOL_T
        lb, lt = self.expr(e.left)
        rb, _ = self.expr(e.right)
        if op in ("==", "!="):
            eq = self.fl.b.eq(lb, rb)
            return {(): eq if op == "==" else tm.not_(eq)}, BOOL_T
        a, b = lb.get(()), rb.get(())
        if a is None or b is None:
            raise InputError(e.span, f"operator {op} needs values, found {lt}",
                             "annotation.type")
        if op in ("<", "<=", ">", ">="):
            f = {"<": tm.lt, "<=": tm.le, ">": tm.gt, ">=": tm.ge}[op]
            return {(): f(a, b)}, BOOL_T
        if op in ("+", "-", "*"):
            return {(): {"+": tm.add, "-": tm.sub, "*": tm.mul}[op](a, b)}, INT_T
        if op in ("/", "%"):
            return {(): tm.div(a, b) if op == "/" else tm.mod(a, b)}, INT_T
        raise Unsupported(None, f"operator {op} in an annotation")

    def quant(self, e: Any) -> Typed:
        tm = self.tm
        bvars = []
        guards = []
        saved = dict(self.bound)
        for type_name, name, span in e.binders:
            ty = elementary(type_name)
            if ty is None:
                raise InputError(span, f"cannot quantify over {type_name}", "annotation.type")
            bv = tm.bound_var(name, leaf_sorts(ty)[()])
            bvars.append(bv)
            self.bound[name] = ({(): bv}, ty)
            if isinstance(ty, IntType):
                guards.append(self.fl.b.in_range(bv, ty))
        try:
            body = self.term(e.body)
        finally:
            self.bound = saved
        if e.kind == "forall":
            return {(): tm.forall(bvars, tm.implies(tm.and_(*guards), body))}, BOOL_T
        return {(): tm.exists(bvars, tm.and_(*guards, body))}, BOOL_T

