"""Compile a contract for execution and run calls on it: the EVM oracle's front door.

Why this exists: every Solidity counterexample the verifier reports is replayed here on the
real EVM (py-evm), with the same compiler the frontend used, so a wrong encoding or a modelling
bug in the verifier shows up as a disagreement instead of a false alarm.

How internal and private functions are reached: they have no selector, so for each one asked
for we add a public payable wrapper

    function __vv_<id>(T0 __vv_p0, ...) public payable returns (R0, ...) { return f(__vv_p0, ...); }

just before the closing `}` of the contract that *declares* `f` (private functions are only
visible there; a virtual call from there still reaches the most-derived override), and compile
the changed text through `compile_files(..., overrides=...)` without touching the user's file.
Source positions are mapped back to the user's text (`outcome.Insertions`).  Functions with
storage-pointer, mapping or function-type parameters cannot be called from outside at all;
they are reported in `Harness.unwrappable` with the reason, as are wrappers solc rejects.

Typical use:

    h = Harness.compile("C.sol", contract="C", functions=["helper"])
    inst = h.deploy()                       # runtime code installed, no constructor
    inst.set_storage({"xs": [1, 2, 3]})
    out = inst.call("helper", [7], sender=0x1234)
    out.panic, out.location                 # e.g. 0x32, ("C.sol", 12, 16)
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import eth_abi

from ..compiler import CompilerError, CompileResult, compile_files
from ..project import resolve_project, resolve_unit
from ..source import SourceFile, parse_src
from .chain import (
    DEFAULT_GAS,
    DEFAULT_SENDER,
    DEPLOYER,
    Chain,
    Execution,
    Frame,
    Snapshot,
    address_int,
    to_address,
)
from .layout import StorageLayout
from .outcome import (
    CodeMap,
    Insertions,
    Outcome,
    abi_type,
    decode_revert,
    decode_values,
    error_signatures,
    split_array,
)

OUTPUTS = ("abi", "evm.bytecode.object", "evm.bytecode.sourceMap",
           "evm.bytecode.linkReferences", "evm.deployedBytecode.object",
           "evm.deployedBytecode.sourceMap", "evm.deployedBytecode.immutableReferences",
           "evm.deployedBytecode.linkReferences", "storageLayout", "evm.methodIdentifiers")
WRAPPER_PREFIX = "__vv_"
MAX_WRAPPER_RETRIES = 8
_LOCATION = re.compile(r"_(memory|calldata|storage)(_ptr)?")  # an override may change it


PROBE_BASE = -(10**9)        # wrapper ids of instrumentation probes (AST ids are >= 0)


class EvmError(Exception):
    """A request the harness cannot carry out (unknown function, arguments that do not fit
    the parameter types, a contract that cannot be deployed)."""


# ---------------------------------------------------------------------------------------------
# AST helpers


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "nodeType" in node:
            yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _type_id(node: dict[str, Any]) -> str:
    return str((node.get("typeDescriptions") or {}).get("typeIdentifier") or "")


@dataclass
class _Callee:
    """A function the user may call: `signature` in user terms (`f(uint256[],int8)`),
    `abi_name` the function the EVM dispatches to (f itself, or its wrapper)."""

    name: str
    signature: str
    abi_name: str
    abi_signature: str
    selector: bytes
    inputs: list[dict[str, Any]]
    outputs: list[dict[str, Any]]


@dataclass
class _Wrapper:
    name: str           # the user's function name
    node_id: int
    unit: str           # the unit of the declaring contract
    insert_at: int      # byte offset of the declaring contract's closing brace
    text: str


def _reason_unwrappable(fn: dict[str, Any]) -> str | None:
    """Why an internal/private function cannot get a public wrapper, or None if it can."""
    for p in fn["parameters"]["parameters"]:
        tid = _type_id(p)
        name = p.get("name") or "<unnamed>"
        if p.get("storageLocation") == "storage":
            return f"parameter {name} is a storage pointer"
        if tid.startswith("t_mapping"):
            return f"parameter {name} is a mapping"
        if tid.startswith("t_function"):
            return f"parameter {name} has a function type"
    for p in fn["returnParameters"]["parameters"]:
        tid = _type_id(p)
        if tid.startswith("t_mapping"):
            return "it returns a mapping"
        if tid.startswith("t_function"):
            return "it returns a function type"
    if not fn.get("implemented", True):
        return "it has no body"
    return None


def _wrapper_text(fn: dict[str, Any], source: SourceFile) -> str:
    """The Solidity text of the public wrapper of internal/private function `fn`."""
    def type_text(p: dict[str, Any]) -> str:
        start, length, _ = parse_src(p["typeName"]["src"])
        return source.text(start, length)

    params, args = [], []
    for i, p in enumerate(fn["parameters"]["parameters"]):
        loc = p.get("storageLocation")
        suffix = f" {loc}" if loc in ("memory", "calldata") else ""
        params.append(f"{type_text(p)}{suffix} {WRAPPER_PREFIX}p{i}")
        args.append(f"{WRAPPER_PREFIX}p{i}")
    rets = []
    for p in fn["returnParameters"]["parameters"]:
        loc = p.get("storageLocation")
        rets.append(type_text(p) + (" memory" if loc in ("memory", "calldata", "storage")
                                    else ""))
    call = f"{fn['name']}({', '.join(args)})"
    body = f"return {call};" if rets else f"{call};"
    returns = f" returns ({', '.join(rets)})" if rets else ""
    return (f"\n    function {WRAPPER_PREFIX}{fn['id']}({', '.join(params)}) public payable"
            f"{returns} {{ {body} }}\n")


# ---------------------------------------------------------------------------------------------
# ABI values


def _to_abi(param: dict[str, Any], t: str, value: Any, what: str) -> Any:
    """A Python value in the harness's shapes as eth_abi wants it for ABI type `t`."""
    split = split_array(t)
    if split is not None:
        inner, dim = split
        if isinstance(value, (bytes, str)) or not isinstance(value, Iterable):
            raise EvmError(f"{what}: expected a list for {t}, got {value!r}")
        items = list(value)
        if dim != "[]" and len(items) != int(dim[1:-1]):
            raise EvmError(f"{what}: {t} takes {dim[1:-1]} elements, got {len(items)}")
        return [_to_abi(param, inner, v, f"{what}[{i}]") for i, v in enumerate(items)]
    if t == "tuple":
        comps = param.get("components", [])
        if isinstance(value, dict):
            missing = [c["name"] for c in comps if c["name"] not in value]
            if missing:
                raise EvmError(f"{what}: struct member {missing[0]!r} not given")
            value = [value[c["name"]] for c in comps]
        if not isinstance(value, (list, tuple)) or len(value) != len(comps):
            raise EvmError(f"{what}: expected a struct with {len(comps)} members, got {value!r}")
        return tuple(_to_abi(c, c["type"], v, f"{what}.{c['name']}") for c, v in zip(comps, value))
    if t == "address":
        try:
            return to_address(value)
        except (TypeError, ValueError) as exc:
            raise EvmError(f"{what}: {exc}") from None
    if t.startswith("bytes") and t != "bytes":
        n = int(t[5:])
        if isinstance(value, int) and not isinstance(value, bool):
            return value.to_bytes(n, "big")
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if t == "bytes":
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if t == "string" and isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    return value


def encode_args(inputs: list[dict[str, Any]], args: Iterable[Any], what: str) -> bytes:
    args = list(args)
    if len(args) != len(inputs):
        raise EvmError(f"{what} takes {len(inputs)} argument(s), got {len(args)}")
    values = [_to_abi(p, p["type"], a, f"{what} argument {p.get('name') or i}")
              for i, (p, a) in enumerate(zip(inputs, args))]
    try:
        return eth_abi.encode([abi_type(p) for p in inputs], values)
    except Exception as exc:
        raise EvmError(f"{what}: arguments do not fit the parameter types: {exc}") from None




# ---------------------------------------------------------------------------------------------
# Harness


class _ChainStorage:
    """`layout.Storage` over one account of a chain."""

    def __init__(self, chain: Chain, address: bytes) -> None:
        self.chain, self.address = chain, address

    def get(self, slot: int) -> int:
        return self.chain.get_storage(self.address, slot)

    def set(self, slot: int, value: int) -> None:
        self.chain.set_storage(self.address, slot, value)


class Harness:
    """One compiled contract, ready to be deployed on fresh in-memory chains and called.

    Build it with `Harness.compile`.  `unwrappable` maps the names of asked-for functions
    that cannot be called to why; `result` is the compile (with wrappers, if any).
    """

    def __init__(self, result: CompileResult, unit: str, contract: str,
                 wrappers: dict[int, _Wrapper], insertions: dict[str, Insertions],
                 originals: dict[str, SourceFile], unwrappable: dict[str, str]) -> None:
        self.result = result
        self.unit = unit
        self.contract = contract
        self.unwrappable = unwrappable
        self._wrappers = wrappers
        self._insertions = insertions
        self._originals = originals
        data = result.output["contracts"][unit][contract]
        self.abi: list[dict[str, Any]] = data.get("abi", [])
        evm = data.get("evm", {})
        self.creation_code_hex: str = evm.get("bytecode", {}).get("object", "")
        self.runtime_code_hex: str = evm.get("deployedBytecode", {}).get("object", "")
        self.immutable_references: dict[str, list[dict[str, int]]] = \
            evm.get("deployedBytecode", {}).get("immutableReferences") or {}
        if not self.runtime_code_hex:
            raise EvmError(f"{contract} has no bytecode (abstract contract or interface?)")
        self.layout = StorageLayout(data.get("storageLayout") or {}, self._udvt())
        self._errors = error_signatures(self._all_errors())
        self._callees = self._build_callees(evm.get("methodIdentifiers") or {})
        self._codemaps: dict[tuple[str, str, str], CodeMap] = {}

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def compile(cls, path: str, contract: str | None = None,
                functions: Iterable[str] = (), solc_path: str | None = None, *,
                base_path: str | None = None, include_paths: tuple[str, ...] = (),
                probes: Iterable[tuple[str, int, str]] = ()) -> Harness:
        """Compile `path` for execution; `contract` is the contract to deploy (default: the
        last deployable contract of the file); `functions` names internal/private functions
        to make callable (public and external ones always are).  `probes` are texts to insert
        as they are, (file path, byte offset, text), in order: instrumentation that makes a
        property observable on the EVM (a failing one reverts with a custom error)."""
        plain = compile_files([path], solc_path=solc_path, base_path=base_path,
                              include_paths=include_paths)
        unit = _main_unit(plain, path)
        units = {u: e["ast"] for u, e in plain.output["sources"].items()}
        nodes = {n["id"]: n for ast in units.values() for n in _walk(ast)
                 if n.get("nodeType") == "ContractDefinition"}
        unit_of = {n["id"]: u for u, ast in units.items() for n in _walk(ast)
                   if n.get("nodeType") == "ContractDefinition"}
        target = _find_contract(nodes, unit_of, unit, contract)
        contract_unit = unit_of[target["id"]]

        unwrappable: dict[str, str] = {}
        wrappers: dict[int, _Wrapper] = {}
        bases = [nodes[i] for i in target.get("linearizedBaseContracts", []) if i in nodes]
        for name in dict.fromkeys(functions):
            found = _find_functions(bases, name)
            if not found:
                unwrappable[name] = f"{target['name']} has no function {name}"
                continue
            reasons = []
            for declaring, fn in found:
                if fn.get("visibility") in ("public", "external"):
                    continue
                if declaring.get("contractKind") == "library":
                    reasons.append(f"{name} is declared in library {declaring['name']}")
                    continue
                reason = _reason_unwrappable(fn)
                if reason is not None:
                    reasons.append(f"{name} cannot be called from outside: {reason}")
                    continue
                start, length, _ = parse_src(declaring["src"])
                decl_unit = unit_of[declaring["id"]]
                wrappers[fn["id"]] = _Wrapper(name, fn["id"], decl_unit, start + length - 1,
                                              _wrapper_text(fn, plain.sources[decl_unit]))
            if reasons and not any(w.name == name for w in wrappers.values()):
                unwrappable[name] = "; ".join(reasons)

        for k, (file_path, offset, text) in enumerate(probes):
            unit_of_file = next((u for u, src in plain.sources.items()
                                 if os.path.abspath(src.path) == os.path.abspath(file_path)),
                                None)
            if unit_of_file is None:
                raise EvmError(f"cannot instrument {file_path}: not part of the compilation")
            # negative ids below every AST id: probes at one offset keep the order given
            wrappers[PROBE_BASE + k] = _Wrapper("__probe", PROBE_BASE + k, unit_of_file,
                                                offset, text)
        roots = resolve_project(path, base_path, include_paths).roots
        for attempt in range(MAX_WRAPPER_RETRIES + 1):
            overrides, insertions = _apply_wrappers(plain, wrappers, path, unit, roots)
            try:
                full = compile_files([path], solc_path=solc_path, base_path=base_path,
                                     include_paths=include_paths, overrides=overrides or None,
                                     outputs=OUTPUTS)
                break
            except CompilerError as exc:
                bad = _failed_wrappers(exc, wrappers, insertions)
                if not bad or attempt == MAX_WRAPPER_RETRIES:
                    raise
                probe_errors = [m for node_id, m in bad.items() if node_id < 0]
                if probe_errors:
                    raise EvmError("the instrumented contract does not compile: "
                                   f"{probe_errors[0]}") from None
                for node_id, message in bad.items():
                    w = wrappers.pop(node_id)
                    if not any(x.name == w.name for x in wrappers.values()):
                        unwrappable[w.name] = f"{w.name} cannot be called from outside: " \
                                              f"solc rejects its wrapper: {message}"
        originals = {u: plain.sources[u] for u in plain.sources}
        return cls(full, contract_unit, target["name"], wrappers, insertions, originals,
                   unwrappable)

    def _udvt(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in self.result.output["sources"].values():
            for n in _walk(entry.get("ast")):
                if n.get("nodeType") == "UserDefinedValueTypeDefinition":
                    out[f"t_userDefinedValueType({n['name']}){n['id']}"] = \
                        _type_id(n["underlyingType"])
        return out

    def _all_errors(self) -> list[dict[str, Any]]:
        """Custom errors from every contract's ABI (a library's error reverts through us)."""
        abi = list(self.abi)
        for contracts in self.result.output.get("contracts", {}).values():
            for data in contracts.values():
                abi += [e for e in data.get("abi", []) if e.get("type") == "error"]
        return abi

    def _build_callees(self, identifiers: dict[str, str]) -> dict[str, _Callee]:
        by_sig: dict[str, dict[str, Any]] = {}
        for entry in self.abi:
            if entry.get("type") == "function":
                sig = f"{entry['name']}({','.join(abi_type(i) for i in entry['inputs'])})"
                by_sig[sig] = entry
        callees: dict[str, _Callee] = {}
        for sig, selector in identifiers.items():
            entry = by_sig.get(sig)
            if entry is None:
                continue
            name = entry["name"]
            user_name, user_sig = name, sig
            if name.startswith(WRAPPER_PREFIX):
                w = self._wrappers.get(int(name[len(WRAPPER_PREFIX):]))
                if w is None:
                    continue
                user_name = w.name
                user_sig = w.name + sig[len(name):]
            callees[user_sig] = _Callee(user_name, user_sig, name, sig, bytes.fromhex(selector),
                                        entry["inputs"], entry.get("outputs", []))
        return callees

    # -- functions ----------------------------------------------------------------------------

    def functions(self) -> list[str]:
        """The signatures of every callable function (public, external and wrapped)."""
        return sorted(self._callees)

    def _callee(self, name: str) -> _Callee:
        if "(" in name:
            callee = self._callees.get(name.replace(" ", ""))
            if callee is None:
                raise EvmError(f"{self.contract} has no callable function {name}"
                               + self._why(name.split("(")[0]))
            return callee
        found = [c for c in self._callees.values() if c.name == name]
        if not found:
            raise EvmError(f"{self.contract} has no callable function {name}" + self._why(name))
        if len(found) > 1:
            raise EvmError(f"{name} is overloaded in {self.contract}: name one of "
                           + ", ".join(sorted(c.signature for c in found)))
        return found[0]

    def _why(self, name: str) -> str:
        if name in self.unwrappable:
            return f" ({self.unwrappable[name]})"
        return " (internal and private functions must be named in Harness.compile(functions=))"

    def function_signature(self, name: str) -> str:
        """The canonical signature of a callable function, e.g. "f(uint256[],int8)"."""
        return self._callee(name).signature

    def selector(self, name: str) -> bytes:
        """The 4-byte selector that reaches `name` (its wrapper's, for internal functions)."""
        return self._callee(name).selector

    def calldata(self, name: str, args: Iterable[Any] = ()) -> bytes:
        callee = self._callee(name)
        return callee.selector + encode_args(callee.inputs, args, callee.signature)

    # -- code ---------------------------------------------------------------------------------

    def _contract_data(self, unit: str, name: str) -> dict[str, Any]:
        return self.result.output["contracts"][unit][name]

    def _link(self, chain: Chain, code_hex: str, refs: dict[str, Any]) -> bytes:
        """Bytecode with library addresses filled in (libraries deployed on `chain` once)."""
        chars = list(code_hex)
        for lib_unit, libs in (refs or {}).items():
            for lib_name, places in libs.items():
                address = self._library(chain, lib_unit, lib_name).hex()
                for place in places:
                    start = 2 * place["start"]
                    chars[start:start + 2 * place["length"]] = address
        text = "".join(chars)
        if "__$" in text:
            raise EvmError(f"{self.contract}: bytecode has unlinked library references")
        return bytes.fromhex(text)

    def _library(self, chain: Chain, unit: str, name: str) -> bytes:
        key = f"{unit}:{name}"
        if key not in chain.libraries:
            data = self._contract_data(unit, name)["evm"]
            code = self._link(chain, data["bytecode"]["object"],
                              data["bytecode"].get("linkReferences") or {})
            ex = chain.create(code, sender=DEPLOYER, address=chain.fresh_address())
            if not ex.success or ex.created is None:
                raise EvmError(f"deploying library {name} failed: {ex.error!r}")
            chain.libraries[key] = ex.created
            chain.library_codes[ex.created] = (unit, name)
        return chain.libraries[key]

    def runtime_code(self, chain: Chain, immutables: dict[str, int] | None = None) -> bytes:
        """The deployed bytecode, linked for `chain`, with `immutables` (name or AST id ->
        value) written where the constructor would have put them (zero otherwise)."""
        data = self._contract_data(self.unit, self.contract)["evm"]["deployedBytecode"]
        code = bytearray(self._link(chain, self.runtime_code_hex, data.get("linkReferences")))
        for key, value in (immutables or {}).items():
            ast_id = self._immutable_id(key)
            for ref in self.immutable_references.get(str(ast_id), []):
                word = (value % (1 << 256)).to_bytes(32, "big")
                code[ref["start"]:ref["start"] + ref["length"]] = word[32 - ref["length"]:]
        return bytes(code)

    def _immutable_id(self, key: str | int) -> int:
        if isinstance(key, int):
            return key
        for entry in self.result.output["sources"].values():
            for n in _walk(entry.get("ast")):
                if n.get("nodeType") == "VariableDeclaration" and n.get("name") == key \
                        and n.get("mutability") == "immutable" \
                        and str(n["id"]) in self.immutable_references:
                    return int(n["id"])
        raise EvmError(f"{self.contract} has no immutable {key} that its code reads")

    def creation_code(self, chain: Chain, args: Iterable[Any] = ()) -> bytes:
        data = self._contract_data(self.unit, self.contract)["evm"]["bytecode"]
        code = self._link(chain, self.creation_code_hex, data.get("linkReferences"))
        ctor = next((e for e in self.abi if e.get("type") == "constructor"), None)
        inputs = ctor["inputs"] if ctor else []
        return code + encode_args(inputs, args, f"{self.contract}'s constructor")

    def codemap(self, unit: str, name: str, creation: bool) -> CodeMap:
        """The source map of a contract's creation or runtime code (built on first use)."""
        key = (unit, name, "creation" if creation else "runtime")
        if key not in self._codemaps:
            evm = self._contract_data(unit, name)["evm"]
            part = evm["bytecode" if creation else "deployedBytecode"]
            code = bytes.fromhex(re.sub(r"__\$[0-9a-fA-F]{34}\$__", "00" * 20, part["object"]))
            files, insertions = {}, {}
            for index, u in self.result.source_ids.items():
                files[index] = self._originals.get(u) or self.result.sources[u]
                if u in self._insertions:
                    insertions[index] = self._insertions[u]
            self._codemaps[key] = CodeMap.build(code, part.get("sourceMap", ""), files,
                                                insertions)
        return self._codemaps[key]

    # -- instances ----------------------------------------------------------------------------

    def deploy(self, chain: Chain | None = None, *, immutables: dict[str, int] | None = None,
               balance: int = 0) -> Instance:
        """Install the runtime code at a fresh address (no constructor: storage starts empty,
        immutables are zero unless given) on `chain` (default: a fresh chain)."""
        chain = chain or Chain()
        address = chain.fresh_address()
        chain.set_code(address, self.runtime_code(chain, immutables))
        if balance:
            chain.fund(address, balance)
        return Instance(self, chain, address)

    def construct(self, args: Iterable[Any] = (), sender: Any = DEPLOYER, value: int = 0, *,
                  chain: Chain | None = None, gas: int = DEFAULT_GAS) -> Instance:
        """Run the real constructor.  The returned Instance's `outcome` says how it went; when
        the constructor failed, the instance has no code."""
        chain = chain or Chain()
        code = self.creation_code(chain, args)
        address = chain.fresh_address()
        ex = chain.create(code, sender=sender, value=value, gas=gas, address=address)
        inst = Instance(self, chain, address)
        outcome = inst._outcome(ex, [])
        if not ex.success:
            traced = chain.create(code, sender=sender, value=value, gas=gas, address=address,
                                  trace=True)
            inst._locate(outcome, traced)
        else:
            outcome.created = address_int(address)
        inst.outcome = outcome
        return inst


class Instance:
    """A deployed contract on a chain: storage access by variable name, calls, snapshots."""

    def __init__(self, harness: Harness, chain: Chain, address: bytes) -> None:
        self.harness = harness
        self.chain = chain
        self.address = address
        self.outcome: Outcome | None = None
        self.storage = _ChainStorage(chain, address)

    @property
    def address_int(self) -> int:
        return address_int(self.address)

    # -- storage ------------------------------------------------------------------------------

    def set_storage(self, values: dict[str, Any]) -> None:
        """Assign state variables by name (inherited ones included), as solc lays them out."""
        for name, value in values.items():
            self.harness.layout.write(self.storage, name, value)

    def get_storage(self, name: str, keys: Any = None) -> Any:
        """Read one state variable; `keys` picks the mapping entries to read (a list of keys,
        a list of key lists for nested mappings, or a dict key -> inner keys)."""
        return self.harness.layout.read(self.storage, name, keys)

    def raw_storage(self, slot: int) -> int:
        return self.chain.get_storage(self.address, slot)

    # -- calls --------------------------------------------------------------------------------

    def call(self, function: str, args: Iterable[Any] = (), sender: Any = DEFAULT_SENDER,
             value: int = 0, *, gas: int = DEFAULT_GAS, locate: bool = True) -> Outcome:
        """Call a function by name (or signature, for overloads); internal and private ones go
        through their wrapper.  A failing call is run a second time with a pc trace to find
        its source location (skip that with `locate=False`)."""
        callee = self.harness._callee(function)
        data = callee.selector + encode_args(callee.inputs, args, callee.signature)
        return self._run(data, callee.outputs, sender, value, gas, locate)

    def call_raw(self, data: bytes, sender: Any = DEFAULT_SENDER, value: int = 0, *,
                 gas: int = DEFAULT_GAS, locate: bool = True) -> Outcome:
        """Call with raw calldata (fallback/receive, hand-made encodings); nothing decoded."""
        return self._run(bytes(data), None, sender, value, gas, locate)

    def _run(self, data: bytes, outputs: list[dict[str, Any]] | None, sender: Any, value: int,
             gas: int, locate: bool) -> Outcome:
        ex = self.chain.call(self.address, data, sender=sender, value=value, gas=gas)
        outcome = self._outcome(ex, outputs)
        if not ex.success and locate:
            # a failed call changed nothing, so running it again from here is the same run
            traced = self.chain.call(self.address, data, sender=sender, value=value, gas=gas,
                                     trace=True)
            self._locate(outcome, traced)
        return outcome

    def _outcome(self, ex: Execution, outputs: list[dict[str, Any]] | None) -> Outcome:
        out = Outcome(reverted=not ex.success, gas_used=ex.gas_used, out_of_gas=ex.out_of_gas,
                      output=ex.output if ex.success else b"")
        out.logs = [(address_int(a), t, d) for a, t, d in ex.logs]
        if ex.success:
            if outputs:
                try:
                    out.returned = decode_values(outputs, ex.output)
                except Exception:
                    out.returned = ()
        else:
            out.vm_error = type(ex.error).__name__ if ex.error is not None else None
            decode_revert(out, ex.output, self.harness._errors)
        return out

    def _locate(self, outcome: Outcome, traced: Execution) -> None:
        frame, codemap = self._failing_frame(traced)
        if frame is None or codemap is None:
            return
        found = codemap.last_user_position(frame.pcs)
        if found is None:
            return
        source, start, length = found
        span = source.span(start, length)
        outcome.span = span
        outcome.location = (span.file, span.line, span.column)

    def _frame_codemap(self, frame: Frame) -> CodeMap | None:
        h = self.harness
        if frame.is_create:
            if frame.address == self.address:
                return h.codemap(h.unit, h.contract, creation=True)
            return None
        if frame.code_address == self.address and \
                frame.code == self.chain.get_code(self.address):
            return h.codemap(h.unit, h.contract, creation=False)
        lib = self.chain.library_codes.get(frame.code_address)
        if lib is not None and frame.code == self.chain.get_code(frame.code_address):
            return h.codemap(lib[0], lib[1], creation=False)
        return None

    def _failing_frame(self, traced: Execution) -> tuple[Frame | None, CodeMap | None]:
        """The frame where the failure started: the first-ended failed frame running code we
        have a source map for whose revert data is what the call finally returned."""
        frames = traced.frames or []
        final = traced.output
        known = [(f, self._frame_codemap(f)) for f in frames]
        known = [(f, m) for f, m in known if m is not None]
        failed = sorted(((f, m) for f, m in known if f.error and f.output == final),
                        key=lambda fm: fm[0].ended)
        if failed:
            return failed[0]
        if known:
            return known[0]
        return None, None

    # -- state --------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Save the whole chain state (this contract's storage, balances, other contracts)."""
        return self.chain.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Return to a snapshot; it stays valid for further restores."""
        self.chain.restore(snapshot)
        self.storage = _ChainStorage(self.chain, self.address)

    def balance(self) -> int:
        return self.chain.balance(self.address)


# ---------------------------------------------------------------------------------------------
# Compile-time helpers


def _main_unit(result: CompileResult, path: str) -> str:
    for unit, source in result.sources.items():
        if source.path == path:
            return unit
    return result.source_ids[min(result.source_ids)]


def _find_contract(nodes: dict[int, dict[str, Any]], unit_of: dict[int, str], main: str,
                   name: str | None) -> dict[str, Any]:
    def deployable(n: dict[str, Any]) -> bool:
        return n.get("contractKind") == "contract" and not n.get("abstract")

    if name is None:
        mine = [n for i, n in nodes.items() if unit_of[i] == main and deployable(n)]
        if not mine:
            raise EvmError(f"{main} declares no deployable contract")
        return max(mine, key=lambda n: parse_src(n["src"])[0])
    matches = [n for n in nodes.values() if n["name"] == name]
    in_main = [n for n in matches if unit_of[n["id"]] == main]
    found = in_main or matches
    if not found:
        raise EvmError(f"no contract {name} in {main} or its imports")
    if len(found) > 1:
        raise EvmError(f"contract name {name} is ambiguous")
    if not deployable(found[0]):
        raise EvmError(f"{name} is an {'abstract contract' if found[0].get('abstract') else found[0].get('contractKind')}"
                       " and cannot be deployed")
    return found[0]


def _find_functions(bases: list[dict[str, Any]], name: str
                    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(declaring contract, definition) of each function called `name` seen from the most
    derived contract: for each parameter-type list, its most derived definition."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for base in bases:  # most derived first
        for fn in base.get("nodes", []):
            if fn.get("nodeType") != "FunctionDefinition" or fn.get("name") != name \
                    or fn.get("kind") != "function":
                continue
            key = tuple(_LOCATION.sub("", _type_id(p)) for p in fn["parameters"]["parameters"])
            if key in seen:
                continue
            seen.add(key)
            out.append((base, fn))
    return out


def _apply_wrappers(plain: CompileResult, wrappers: dict[int, _Wrapper], path: str, main: str,
                    roots: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, Insertions]]:
    """The changed source texts (keyed by file path, for `compile_files(overrides=)`) and
    where text was inserted in each unit."""
    by_unit: dict[str, list[_Wrapper]] = {}
    for w in wrappers.values():
        by_unit.setdefault(w.unit, []).append(w)
    overrides: dict[str, bytes] = {}
    insertions: dict[str, Insertions] = {}
    for unit, ws in by_unit.items():
        data = plain.sources[unit].data
        pieces, placed, last = [], [], 0
        for w in sorted(ws, key=lambda w: (w.insert_at, w.node_id)):
            text = w.text.encode("utf-8")
            pieces += [data[last:w.insert_at], text]
            placed.append((w.insert_at, len(text)))
            last = w.insert_at
        pieces.append(data[last:])
        file_path = path if unit == main else resolve_unit(unit, roots)
        if file_path is None:
            raise EvmError(f"cannot find the file of source unit {unit} to add call wrappers")
        overrides[file_path] = b"".join(pieces)
        insertions[unit] = Insertions(placed)
    return overrides, insertions


def _failed_wrappers(exc: CompilerError, wrappers: dict[int, _Wrapper],
                     insertions: dict[str, Insertions]) -> dict[int, str]:
    """The wrappers solc's errors point into, with the first message for each."""
    bad: dict[int, str] = {}
    for raw in exc.raw:
        loc = raw.get("sourceLocation") or {}
        unit, start = loc.get("file"), loc.get("start")
        if unit not in insertions or not isinstance(start, int):
            continue
        k = insertions[unit].piece(start)
        if k is None:
            continue
        # pieces were inserted in (offset, node id) order (`_apply_wrappers`)
        ordered = sorted((w for w in wrappers.values() if w.unit == unit),
                         key=lambda w: (w.insert_at, w.node_id))
        bad.setdefault(ordered[k].node_id, str(raw.get("message", "error")))
    return bad


# ---------------------------------------------------------------------------------------------
# One-shot helper for tests


def run_source(text: str, contract: str, function: str, args: Iterable[Any] = (),
               storage: dict[str, Any] | None = None, sender: Any = DEFAULT_SENDER,
               value: int = 0, *, solc_path: str | None = None) -> Outcome:
    """Compile `text`, deploy `contract` (no constructor), set `storage`, call `function`.
    The text goes to a file named after its hash, so compiling it again hits the cache."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    directory = os.path.join(tempfile.gettempdir(), "vecverify-evm", digest)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{contract}.sol")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    harness = Harness.compile(path, contract=contract, functions=[function.split("(")[0]],
                              solc_path=solc_path)
    inst = harness.deploy()
    if storage:
        inst.set_storage(storage)
    return inst.call(function, args, sender=sender, value=value)


__all__ = ["EvmError", "Harness", "Instance", "decode_values", "encode_args", "run_source"]
