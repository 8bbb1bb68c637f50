"""The contract model read off solc's compact AST: declarations by id, inheritance
(solc's own C3 linearization), state variables, and function/modifier resolution."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from vecverify.errors import Span

from .constants import constant_value, is_constant
from .source import SourceFile, parse_src
from .types import (ADDRESS, ArrayType, EnumType, MappingType, SolType, StructType,
                    Unsupported, elementary)

Node = dict[str, Any]


def walk(node: Any) -> Iterator[Node]:
    """Every AST node below (and including) `node`, iteratively."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if "nodeType" in n:
                yield n
            stack.extend(v for v in n.values() if isinstance(v, (dict, list)))
        elif isinstance(n, list):
            stack.extend(n)


@dataclass
class Program:
    """All source units of one compilation."""

    units: dict[str, Node]                       # unit name -> SourceUnit
    sources: dict[int, SourceFile]               # AST file index -> source
    by_id: dict[int, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for n in walk(unit):
                if "id" in n:
                    self.by_id[n["id"]] = n

    def span(self, node: Node) -> Span:
        start, length, index = parse_src(node["src"])
        return self.sources[index].span(start, length)

    def source_of(self, node: Node) -> SourceFile:
        return self.sources[parse_src(node["src"])[2]]

    def text(self, node: Node) -> str:
        start, length, index = parse_src(node["src"])
        return self.sources[index].text(start, length)

    def type_of_name(self, tn: Node) -> SolType:
        """The type a TypeName node denotes."""
        kind = tn["nodeType"]
        if kind == "ElementaryTypeName":
            t = elementary(tn.get("typeDescriptions", {}).get("typeString", tn.get("name", "")))
            if t is None:
                t = elementary(tn.get("name", ""))
            if t is None:
                raise Unsupported(tn, f"type {tn.get('name')}")
            return t
        if kind == "ArrayTypeName":
            length = None
            if tn.get("length") is not None:
                value = constant_value(tn["length"]) if is_constant(tn["length"]) else None
                if value is None or value.denominator != 1:
                    raise Unsupported(tn, "array length that is not a constant")
                length = int(value)
            return ArrayType(self.type_of_name(tn["baseType"]), length)
        if kind == "Mapping":
            return MappingType(self.type_of_name(tn["keyType"]),
                               self.type_of_name(tn["valueType"]))
        if kind == "UserDefinedTypeName":
            return self.type_of_decl(self.by_id[tn["referencedDeclaration"]])
        raise Unsupported(tn, f"type {kind}")

    def type_of_decl(self, decl: Node) -> SolType:
        kind = decl["nodeType"]
        if kind == "StructDefinition":
            fields = tuple((m["name"], self.type_of_name(m["typeName"]))
                           for m in decl["members"])
            return StructType(decl.get("canonicalName", decl["name"]), fields)
        if kind == "EnumDefinition":
            return EnumType(False, 8, decl["name"], len(decl["members"]))
        if kind == "ContractDefinition":
            return ADDRESS
        if kind == "VariableDeclaration":
            if decl.get("typeName") is None:
                raise Unsupported(decl, "variable declared with `var`")
            return self.type_of_name(decl["typeName"])
        raise Unsupported(decl, f"type of {kind}")


@dataclass
class Contract:
    """One contract in the context of its linearization (most derived first)."""

    program: Program
    node: Node

    @property
    def name(self) -> str:
        return str(self.node["name"])

    @property
    def bases(self) -> list[Node]:
        return [self.program.by_id[i] for i in self.node["linearizedBaseContracts"]]

    def members(self, kind: str) -> Iterator[Node]:
        """Members of that nodeType, most derived contract first."""
        for c in self.bases:
            for n in c.get("nodes", []):
                if n["nodeType"] == kind:
                    yield n

    def state_variables(self) -> list[Node]:
        """Mutable state variables, base contracts first (their storage order)."""
        out = []
        for c in reversed(self.bases):
            for n in c.get("nodes", []):
                if n["nodeType"] == "VariableDeclaration" and n.get("mutability") != "constant":
                    out.append(n)
        return out

    def constants(self) -> dict[int, Node]:
        return {n["id"]: n for c in self.bases for n in c.get("nodes", [])
                if n["nodeType"] == "VariableDeclaration" and n.get("mutability") == "constant"}

    def functions(self) -> list[Node]:
        """The functions this contract has, after overriding (most derived wins)."""
        seen: dict[tuple[str, str], Node] = {}
        for f in self.members("FunctionDefinition"):
            key = (f.get("kind", "function") + ":" + f["name"], _signature(f))
            if f.get("kind") == "constructor" and f is not self._own_constructor():
                continue
            seen.setdefault(key, f)
        return list(seen.values())

    def _own_constructor(self) -> Node | None:
        for n in self.node.get("nodes", []):
            if n["nodeType"] == "FunctionDefinition" and n.get("kind") == "constructor":
                return n
        return None

    def constructors(self) -> list[Node]:
        """Constructors of the linearization, base first."""
        out = []
        for c in reversed(self.bases):
            for n in c.get("nodes", []):
                if n["nodeType"] == "FunctionDefinition" and n.get("kind") == "constructor":
                    out.append(n)
        return out

    def resolve_function(self, decl: Node, after: Node | None = None) -> Node:
        """Virtual dispatch: the most derived override of `decl` (for `super`, the next one
        after contract `after` in the linearization)."""
        sig = (decl["name"], _signature(decl))
        bases = self.bases
        if after is not None:
            bases = bases[[b["id"] for b in bases].index(after["id"]) + 1:]
        for c in bases:
            for n in c.get("nodes", []):
                if (n["nodeType"] == "FunctionDefinition" and n["name"] == sig[0]
                        and _signature(n) == sig[1] and n.get("body") is not None):
                    return n
        return decl

    def resolve_modifier(self, decl: Node) -> Node:
        for c in self.bases:
            for n in c.get("nodes", []):
                if n["nodeType"] == "ModifierDefinition" and n["name"] == decl["name"]:
                    return n
        return decl

    def contract_of(self, member: Node) -> Node | None:
        for c in self.bases:
            if any(n is member for n in c.get("nodes", [])):
                return c
        return None


def _signature(f: Node) -> str:
    params = f.get("parameters", {}).get("parameters", [])
    return ",".join(p.get("typeDescriptions", {}).get("typeString", "?") for p in params)


def contracts_to_verify(program: Program, main_units: list[str]) -> list[Contract]:
    """Every non-abstract contract defined in the files the user named."""
    out = []
    for name in main_units:
        for n in program.units[name].get("nodes", []):
            if (n["nodeType"] == "ContractDefinition" and n.get("contractKind") == "contract"
                    and not n.get("abstract")):
                out.append(Contract(program, n))
    return out
