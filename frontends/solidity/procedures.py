"""One procedure per function of a contract: specification, contract invariants and frames.

For a public or external function the procedure is
    assume wf(storage, params); snapshot old values; assume contract invariants;
    assume preconditions; body (with modifiers); assert postconditions;
    assert contract invariants; assert modifies frames
Internal and private functions get the same without the contract invariants.  The constructor
starts from default storage, runs state-variable initialisers and base constructors (base
first), its body, and must establish the contract invariants.
"""
from __future__ import annotations

import re
from typing import Any

from vecverify.errors import InputError, Span
from vecverify.ir import (Assert, Assign, Assume, Block, Check, Havoc, Procedure,
                          ReturnScope, Stmt, UnsupportedFunction, VarInfo)
from vecverify.obligations import ContractInvariant, Modifies, Postcondition, Precondition
from vecverify.terms import INT, Term, TermManager, substitute

from . import spec_ast as S
from .annotations import annotations_of, loop_annotations
from .lower import FunctionLowerer, Stmts
from .places import Var
from .probes import precondition_probe
from .replay import Leaves, Target
from .model import Contract, Node
from .specs import SpecLowerer
from .types import (ADDRESS, UINT256, ArrayType, Bundle, Bundles, IntType, MappingType,
                    SolType, Unsupported, assign_bundle)

PUBLIC = ("public", "external")
_SUM = re.compile(r"__verifier_sum_u?int\s*\(\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*\)")


class ContractLowering:
    """Lowers every function of one contract (in the context of its linearization)."""

    def __init__(self, tm: TermManager, contract: Contract) -> None:
        self.tm = tm
        self.contract = contract
        self.prog = contract.program
        self.bundles = Bundles(tm)
        self.state_vars: dict[int, Var] = {}
        self.state_by_name: dict[str, Var] = {}
        self.state_nodes = []
        # state variables of a type outside the subset: only the functions using them are
        # unsupported (declaration id -> the construct)
        self.unsupported_state: dict[int, str] = {}
        self.constants = contract.constants()
        for d in contract.state_variables():
            try:
                ty = self.prog.type_of_decl(d)
                bundle = self.bundles.vars(d["name"], ty)
            except Unsupported as exc:
                self.unsupported_state[d["id"]] = exc.construct
                continue
            self.state_nodes.append(d)
            var = Var(ty, bundle)
            self.state_vars[d["id"]] = var
            self.state_by_name[d["name"]] = var
        self._ann: dict[int, list[Any]] = {}
        self._this = tm.var("this", INT)
        self.sums = self.summed_variables()

    def summed_variables(self) -> dict[int, Term]:
        """A ghost `sum.<v>` for every state array or mapping of integers that an annotation
        sums (`__verifier_sum_uint(v)`), as solc-verify does: it is updated at every write to
        `v`, so it equals the sum in every state the contract can reach."""
        names: set[str] = set()
        for source in {id(src): src for src in self.prog.sources.values()}.values():
            names |= set(_SUM.findall(source.data.decode("utf-8", errors="replace")))
        out: dict[int, Term] = {}
        for d in self.state_nodes:
            if d["name"] not in names:
                continue
            ty = self.state_vars[d["id"]].ty
            elem = ty.base if isinstance(ty, ArrayType) else (
                ty.value if isinstance(ty, MappingType) else None)
            if isinstance(elem, IntType):
                out[d["id"]] = self.tm.var(f"sum.{d['name']}", INT)
        return out

    def sum_infos(self) -> list[VarInfo]:
        out = []
        for decl_id, ghost in self.sums.items():
            d = self.state_var_decl(decl_id)
            ty = self.state_vars[decl_id].ty
            elem = ty.base if isinstance(ty, ArrayType) else ty.value  # type: ignore[attr-defined]
            wf = self.tm.le(self.tm.int(0), ghost) if not elem.signed else None
            out.append(VarInfo(ghost, f"__verifier_sum({d['name'] if d else '?'})", "storage",
                               "int", wf))
        return out

    # -- queries used by the function lowerer ---------------------------------------------
    def state_var(self, decl_id: int, node: Node) -> Var:
        if decl_id in self.state_vars:
            return self.state_vars[decl_id]
        if decl_id in self.unsupported_state:
            raise Unsupported(node, f"state variable {node.get('name', '')} of "
                              f"{self.unsupported_state[decl_id]}")
        raise Unsupported(node, f"reference to {node.get('name', 'a declaration')}")

    def state_var_decl(self, decl_id: int) -> Node | None:
        return next((d for d in self.state_nodes if d["id"] == decl_id), None)

    def state_decl_by_name(self, name: str) -> Node | None:
        return next((d for d in self.state_nodes if d["name"] == name), None)

    def constant_by_name(self, name: str) -> Node | None:
        return next((c for c in self.constants.values() if c["name"] == name), None)

    def this_address(self, fl: FunctionLowerer) -> Term:
        if self._this not in {i.term for i in fl.infos}:
            fl.infos.append(VarInfo(self._this, "this", "param", "address",
                                    self.bundles.in_range(self._this, ADDRESS)))
        return self._this

    def annotations(self, node: Node) -> list[Any]:
        if node["id"] not in self._ann:
            self._ann[node["id"]] = annotations_of(node, self.prog.source_of(node))
        return self._ann[node["id"]]

    def loop_invariants(self, loop: Node) -> list[Any]:
        out = []
        for a in loop_annotations(loop, self.prog.source_of(loop)):
            if a.kind == "invariant":
                out.append(a)
            elif a.kind == "contract-invariants":
                out += self.invariants()
            elif a.kind == "unchecked":
                raise Unsupported(None, f"loop annotation '{a.text}' (solc-verify) is not "
                                  "checked by vecverify")
        return out

    def has_spec(self, fn: Node) -> bool:
        return any(a.kind in ("precondition", "postcondition", "modifies")
                   for a in self.annotations(fn))

    def spec_term(self, fl: FunctionLowerer, e: Any, names: dict[str, Any] | None = None,
                  old: dict[Term, Term] | None = None) -> Term:
        return SpecLowerer(fl, names, old).term(e)

    def invariants(self) -> list[Any]:
        out = []
        for c in reversed(self.contract.bases):
            out += [a for a in self.annotations(c) if a.kind == "invariant"]
        return out

    # -- procedures ----------------------------------------------------------------------
    def procedures(self) -> list[Procedure | UnsupportedFunction]:
        out: list[Procedure | UnsupportedFunction] = []
        fns = [f for f in self.contract.functions()
               if f.get("body") is not None and f.get("kind") in ("function", "constructor",
                                                                   "receive", "fallback")]
        if not any(f.get("kind") == "constructor" for f in fns):
            fns.insert(0, {"kind": "constructor", "name": "", "id": -1, "body": None,
                           "src": self.contract.node["src"], "parameters": {"parameters": []},
                           "returnParameters": {"parameters": []}, "modifiers": []})
        for f in fns:
            name = f"{self.contract.name}.{f['name'] or f.get('kind', 'constructor')}"
            if f["id"] != -1:
                out += [UnsupportedFunction(name, a.span, f"annotation '{a.text}' (solc-verify) "
                                            "is not checked by vecverify")
                        for a in self.annotations(f) if a.kind == "unchecked"]
            try:
                out.append(self.procedure(f, name))
            except Unsupported as exc:
                node = exc.node if exc.node is not None and "src" in exc.node else f
                out.append(UnsupportedFunction(name, self.prog.span(node), exc.construct))
        return out

    def procedure(self, f: Node, name: str) -> Procedure:
        tm = self.tm
        fl = FunctionLowerer(self, name)
        fl.current_function_node = f
        fl.names |= set(self.state_by_name)
        for d in self.state_nodes:
            var = self.state_vars[d["id"]]
            fl.add_infos(var.bundle, d["name"], var.ty, "storage")  # type: ignore[arg-type]
        fl.infos += self.sum_infos()
        params = f["parameters"]["parameters"]
        for p in params:
            if p.get("storageLocation") == "storage":
                raise Unsupported(p, "storage pointer parameter")
            fl.declare(p["id"], p["name"], self.prog.type_of_decl(p), "param")
        rets = []
        prologue: Stmts = []
        for r in f["returnParameters"]["parameters"]:
            rty = self.prog.type_of_decl(r)
            rb = fl.declare(r["id"], r["name"], rty, "result")
            prologue.append(assign_bundle(rb, self.bundles.default(rty)))
            rets.append(r["id"])
        fl.current_returns = rets
        # values on entry, for __verifier_old_*
        leaves = [t for d in self.state_nodes for t in self.state_vars[d["id"]].bundle.values()]  # type: ignore[union-attr]
        leaves += [t for p in params for t in fl.vars[p["id"]].bundle.values()]  # type: ignore[union-attr]
        leaves += list(self.sums.values())
        for leaf in leaves:
            old = tm.var(f"{leaf.name}.old", leaf.sort)
            fl.old[leaf] = old
            fl.infos.append(VarInfo(old, f"old({leaf.name})", "old", ""))
            prologue.append(Assign(old, leaf))
        is_ctor = f.get("kind") == "constructor"
        public = f.get("visibility") in PUBLIC or is_ctor or f.get("kind") in ("receive",
                                                                               "fallback")
        anns = self.annotations(f) if f["id"] != -1 else []
        if is_ctor:
            prologue += self.constructor_prologue(fl, f)
        elif public:
            prologue += [Assume(self.spec_term(fl, a.expr)) for a in self.invariants()]
        prologue += [Assume(self.spec_term(fl, a.expr)) for a in anns
                     if a.kind == "precondition"]
        body: Stmt = Block(())
        if f.get("body") is not None:
            body = fl.calls.with_modifiers(f, lambda: fl.block(f["body"]))
        value = fl.env_inputs.get(("msg", "value"))
        if value is not None and public and f.get("stateMutability") != "payable":
            prologue.insert(0, Assume(tm.eq(value, tm.int(0))))   # the EVM rejects value
        epilogue: Stmts = []
        for a in anns:
            if a.kind == "postcondition":
                epilogue.append(Assert(self.spec_term(fl, a.expr), Check(
                    Postcondition, a.span, name, f"postcondition may not hold: {a.text}"),
                    keep=False))
        if public:
            for a in self.invariants():
                epilogue.append(Assert(self.spec_term(fl, a.expr), Check(
                    ContractInvariant, a.span, name,
                    f"contract invariant may not hold after {name}: {a.text}"), keep=False))
        epilogue += self.modifies_checks(fl, anns, name)
        whole = Block((*prologue, ReturnScope(body), *epilogue))
        sums = tuple((ghost, self.state_vars[d].bundle[()])  # type: ignore[index]
                     for d, ghost in self.sums.items())
        return Procedure(name, self.prog.span(f), tuple(fl.infos), whole, (), sums,
                         self.replay_target(fl, f, params, rets, sums))

    def replay_target(self, fl: FunctionLowerer, f: Node, params: list[Node], rets: list[int],
                      sums: tuple[tuple[Term, Term], ...]) -> Target:
        """How to run this procedure on the EVM (see replay.py)."""
        def leaves(decl_id: int, name: str) -> Leaves:
            var = fl.vars[decl_id]
            assert var.bundle is not None
            return Leaves(name, var.ty, var.bundle)

        kind = f.get("kind", "function") if f["id"] != -1 else "constructor"
        return Target(
            path=self.prog.source_of(self.contract.node).path, contract=self.contract.name,
            function=f["name"] if kind == "function" else "", kind=kind,
            params=[leaves(p["id"], p["name"]) for p in params],
            state=[Leaves(d["name"], self.state_vars[d["id"]].ty,
                          self.state_vars[d["id"]].bundle)  # type: ignore[arg-type]
                   for d in self.state_nodes],
            returns=[leaves(rid, "") for rid in rets if fl.vars[rid].bundle is not None],
            env={".".join(k): t for k, t in fl.env_inputs.items()},
            old=[(old, leaf) for leaf, old in fl.old.items()], sums=list(sums),
            probes=dict(fl.probes),
            internal=tuple(sorted({g["name"] for g in self.contract.functions()
                                   if g.get("kind") == "function" and g.get("body")
                                   and g.get("visibility") not in PUBLIC})))

    def constructor_prologue(self, fl: FunctionLowerer, ctor: Node) -> Stmts:
        """Default storage, then initialisers and base constructors, base first."""
        out: Stmts = []
        for d in self.state_nodes:
            var = self.state_vars[d["id"]]
            out.append(assign_bundle(var.bundle, self.bundles.default(var.ty)))  # type: ignore[arg-type]
        out += [Assign(ghost, self.tm.int(0)) for ghost in self.sums.values()]
        args = self.base_constructor_args(ctor)
        for c in reversed(self.contract.bases):
            for d in c.get("nodes", []):
                if d["id"] in self.unsupported_state and d.get("value") is not None:
                    raise Unsupported(d, f"initialiser of a state variable of "
                                      f"{self.unsupported_state[d['id']]}")
                if (d["nodeType"] == "VariableDeclaration" and d.get("value") is not None
                        and d["id"] in self.state_vars):
                    value, _ = fl.expr(d["value"], out)
                    var = self.state_vars[d["id"]]
                    out += [assign_bundle(var.bundle, value)]  # type: ignore[union-attr]
            base_ctor = next((n for n in c.get("nodes", []) if n["nodeType"] ==
                              "FunctionDefinition" and n.get("kind") == "constructor"), None)
            if base_ctor is None or base_ctor is ctor or base_ctor.get("body") is None:
                continue
            actuals = [fl.expr(a, out) for a in args.get(c["id"], [])]
            out += self._inline_ctor(fl, base_ctor, actuals)
        return out

    def _inline_ctor(self, fl: FunctionLowerer, ctor: Node, actuals: list[Any]) -> Stmts:
        pre: Stmts = []
        for p, (val, _) in zip(ctor["parameters"]["parameters"], actuals):
            b = fl.declare(p["id"], p["name"], self.prog.type_of_decl(p), "local")
            pre += [assign_bundle(b, val)]
        pre.append(fl.calls.with_modifiers(ctor, lambda: fl.block(ctor["body"])))
        return pre

    def base_constructor_args(self, ctor: Node) -> dict[int, list[Node]]:
        out: dict[int, list[Node]] = {}
        for c in self.contract.bases:
            for spec in c.get("baseContracts", []):
                if spec.get("arguments"):
                    out[spec["baseName"]["referencedDeclaration"]] = spec["arguments"]
        for m in ctor.get("modifiers", []):
            ref = m["modifierName"].get("referencedDeclaration")
            if self.prog.by_id.get(ref, {}).get("nodeType") == "ContractDefinition":
                out[ref] = m.get("arguments") or []
        return out

    # -- modifies ------------------------------------------------------------------------
    def modifies_checks(self, fl: FunctionLowerer, anns: list[Any], name: str) -> Stmts:
        mods = [a for a in anns if a.kind == "modifies"]
        if not mods:
            return []
        tm = self.tm
        allowed: dict[int, list[tuple[Any, Any]]] = {}    # state var id -> [(step, ann)]
        whole: set[int] = set()
        for a in mods:
            root, step = self.modifies_target(a.target)
            if root not in self.state_by_name:
                raise InputError(a.target.span, f"modifies target '{root}' is not a state "
                                 "variable", "annotation.name")
            decl = next(d for d in self.state_nodes if d["name"] == root)
            if step is None and a.cond is None:
                whole.add(decl["id"])
            else:
                allowed.setdefault(decl["id"], []).append((step, a))
        out: Stmts = []
        first = mods[0]
        for d in self.state_nodes:
            if d["id"] in whole:
                continue
            var = self.state_vars[d["id"]]
            cur: Bundle = var.bundle  # type: ignore[assignment]
            old = {p: fl.old[x] for p, x in cur.items()}
            expect = old
            span: Span = first.span
            text = f"`{d['name']}` is not listed in a modifies clause"
            for step, a in allowed.get(d["id"], []):
                span, text = a.span, f"modifies {a.text}"
                if step is None:                        # `modifies x if c`, c on entry
                    c = substitute(tm, self.spec_term(fl, a.cond, old=fl.old), fl.old)
                    expect = self.bundles.ite(c, cur, expect)
                    continue
                key = substitute(tm, SpecLowerer(fl).value(step), fl.old)
                if isinstance(var.ty, MappingType):
                    new = self.bundles.store(expect, key, self.bundles.select(cur, var.ty, key))
                elif isinstance(var.ty, ArrayType):
                    elem = self.bundles.index(cur, var.ty, key)
                    new = self.bundles.ite(
                        tm.and_(tm.le(tm.int(0), key), tm.lt(key, self.bundles.length(expect))),
                        self.bundles.update(expect, key, elem), expect)
                else:
                    raise InputError(a.target.span, "modifies of an element of a "
                                     f"{var.ty}", "annotation.type")
                if a.cond is not None:
                    c = substitute(tm, self.spec_term(fl, a.cond, old=fl.old), fl.old)
                    new = self.bundles.ite(c, new, expect)
                expect = new
            out.append(Assert(self.bundles.eq(cur, expect), Check(
                Modifies, span, name, f"may modify {d['name']} outside its modifies clauses "
                f"({text})"), keep=False))
        return out

    def modifies_target(self, t: Any) -> tuple[str, Any]:
        if isinstance(t, S.Ident):
            return t.name, None
        if isinstance(t, S.Index) and isinstance(t.expr, S.Ident):
            return t.expr.name, t.index
        raise InputError(t.span, "modifies target must be a state variable or one element "
                         "of it", "annotation.type")

    # -- modular calls -------------------------------------------------------------------
    def modular_call(self, fl: FunctionLowerer, fn: Node, actuals: list[tuple[Bundle, SolType]],
                     e: Node, pre: Stmts) -> list[tuple[Bundle, SolType]]:
        """Replace a call by the callee's contract (assert pre, havoc, assume post)."""
        anns = self.annotations(fn)
        names: dict[str, tuple[Bundle, SolType]] = {}
        for p, (val, vt) in zip(fn["parameters"]["parameters"], actuals):
            pty = self.prog.type_of_decl(p)
            snap = fl.ghost(p["name"] or "arg", pty)
            pre += [assign_bundle(snap, val)]
            names[p["name"]] = (snap, pty)
        for a in anns:
            if a.kind == "precondition":
                cond = SpecLowerer(fl, names).term(a.expr)
                check = Check(Precondition, fl.span(e), fl.fn_name,
                              f"precondition of '{fn['name']}' may not hold: {a.text} "
                              f"(line {a.span.line})")
                pre.append(Assert(cond, check))
                probe = precondition_probe(self.prog, fn, a)
                if probe is not None:
                    fl.probes[check] = probe
        old: dict[Term, Term] = {}
        for d in self.state_nodes:
            var = self.state_vars[d["id"]]
            snap = fl.ghost(f"{d['name']}.before", var.ty)
            pre.append(assign_bundle(snap, var.bundle))  # type: ignore[arg-type]
            old.update({x: snap[p] for p, x in var.bundle.items()})  # type: ignore[union-attr]
        for ghost in self.sums.values():
            snap_sum = fl.ghost(f"{ghost.name}.before", UINT256)[()]
            pre.append(Assign(snap_sum, ghost))
            old[ghost] = snap_sum
        targets = self.havoc_targets(fn, anns)
        if targets:
            fl.mem.shrink_all()                 # the callee may have popped any array
        for arg in e.get("arguments", []):              # memory arrays are passed by reference
            if fl.is_memory_ref(arg):
                place, _ = fl.place_of(arg, pre)
                targets += list(fl.mem.root_bundle(place.root).values())
        if targets:
            pre.append(Havoc(tuple(targets)))
        results = []
        for r in fn["returnParameters"]["parameters"]:
            rty = self.prog.type_of_decl(r)
            rb = fl.ghost(f"{fn['name']}.{r['name'] or 'result'}", rty)
            pre.append(Havoc(tuple(rb.values())))
            if r["name"]:
                names[r["name"]] = (rb, rty)
            results.append((rb, rty))
        for a in anns:
            if a.kind == "postcondition":
                pre.append(Assume(SpecLowerer(fl, names, old).term(a.expr)))
        return results

    def havoc_targets(self, fn: Node, anns: list[Any]) -> list[Term]:
        if fn.get("stateMutability") in ("view", "pure"):
            return []
        mods = [a for a in anns if a.kind == "modifies"]
        roots = ({self.modifies_target(a.target)[0] for a in mods} if mods
                 else set(self.state_by_name))
        out: list[Term] = []
        for name in sorted(roots):
            var = self.state_by_name.get(name)
            if var is not None:
                out += list(var.bundle.values())  # type: ignore[union-attr]
                decl = next(d for d in self.state_nodes if d["name"] == name)
                if decl["id"] in self.sums:
                    out.append(self.sums[decl["id"]])
        return out

