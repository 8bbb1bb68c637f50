"""Replaying a Solidity counterexample on the EVM: the compiled contract is the judge.

A counterexample is a model of a VC: an entry state (storage, parameters, `msg.sender`,
`msg.value`) from which, under vecverify's reading of Solidity, the check fails.  Here that
entry state is installed in the contract compiled by the same solc (`evm.Harness`), the
function is called (internal and private ones through a generated wrapper), and the outcome
decides:

- a check the EVM itself performs (`assert`, checked arithmetic, division, bounds, `pop`, enum
  conversion) is confirmed when the call reverts with that check's Panic code at the check's
  line;
- a property of the final state (`postcondition`, `contract-invariant`, `modifies`) is
  confirmed when the call succeeds and the checked condition is false on the storage and
  return values the EVM produced (read back through solc's storage layout);
- anything else (loop invariants, a callee's precondition) happens inside the run, where the
  EVM cannot be asked; it is not confirmed, and the reason says so.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from vecverify.terms import BOOL, SeqSort, Term
from vecverify.terms.sorts import ArraySort
from vecverify.terms.evaluate import Evaluator, NotEvaluable
from vecverify.values import ArrayValue

from .probes import ERROR, Probe
from .types import ArrayType, BoolType, Bundle, IntType, MappingType, SolType, StructType

# check kind -> the Panic codes solc raises for it
NATIVE = {"assert": {0x01}, "overflow": {0x11}, "underflow": {0x11},
          "division-by-zero": {0x12}, "enum-conversion": {0x21}, "pop-empty": {0x31},
          "index-out-of-bounds": {0x32}}
FINAL_STATE = ("postcondition", "contract-invariant", "modifies")


@dataclass(frozen=True)
class Leaves:
    """A source-level variable and the program variables (one per leaf) that hold it."""

    name: str
    ty: SolType
    bundle: Bundle


@dataclass
class Target:
    """What the replay of one procedure needs to know about it (built by the lowering)."""

    path: str
    contract: str
    function: str                           # "" for the constructor
    kind: str                               # function | constructor | receive | fallback
    params: list[Leaves]
    state: list[Leaves]
    returns: list[Leaves]
    env: dict[str, Term] = field(default_factory=dict)       # "msg.sender" -> its variable
    old: list[tuple[Term, Term]] = field(default_factory=list)   # (old copy, leaf)
    sums: list[tuple[Term, Term]] = field(default_factory=list)  # (ghost, collection leaf)
    internal: tuple[str, ...] = ()          # the contract's internal/private functions
    probes: dict[Any, Any] = field(default_factory=dict)     # check -> probes.Probe


@dataclass
class Replay:
    confirmed: bool
    info: dict[str, Any]                     # the JSON `replay` object
    reason: str = ""
    final: bool = False                      # no other model could be confirmed either


class Unreplayable(Exception):
    """The counterexample cannot be installed or observed on the EVM (the message says why)."""


class UnusableModel(Unreplayable):
    """This model's values cannot be installed (another model's may)."""


_HARNESSES: dict[tuple[str, str, float, str | None], Any] = {}


def _harness(target: Target, solc_path: str | None, probe: Probe | None = None) -> Any:
    from .evm import Harness
    insertions = probe.insertions if probe is not None else ()
    key = (os.path.abspath(target.path), target.contract, os.path.getmtime(target.path),
           solc_path, insertions)
    if key not in _HARNESSES:
        # one compile per contract (and per instrumented property): every internal
        # function gets its wrapper
        _HARNESSES[key] = Harness.compile(target.path, contract=target.contract,
                                          functions=list(target.internal), solc_path=solc_path,
                                          probes=insertions)
    return _HARNESSES[key]


def replay(target: Target, check_kind: str, check_at: tuple[int, int],
           assertion: Term | None, entry: dict[Term, Any], solc_path: str | None = None,
           probe: Probe | None = None) -> Replay:
    """Run the counterexample whose entry values (program variable -> value) are `entry`."""
    info: dict[str, Any] = {"engine": "py-evm", "call": "", "reverted": None, "panic": None,
                            "line": None, "column": None, "confirmed": False}
    try:
        if check_kind not in NATIVE and check_kind not in FINAL_STATE and probe is None:
            raise Unreplayable(f"a {check_kind} failure happens inside the run, where the EVM "
                               "cannot observe it, and this annotation cannot be compiled into "
                               "the contract (it is not a plain Solidity expression, or the "
                               "loop is a do-while or has no condition)")
        args = [_value(p.ty, p.bundle, entry) for p in target.params]
        storage = {s.name: _value(s.ty, s.bundle, entry) for s in target.state}
        sender = entry.get(target.env["msg.sender"], 0x1000) if "msg.sender" in target.env \
            else 0x1000
        value = entry.get(target.env["msg.value"], 0) if "msg.value" in target.env else 0
        info["call"] = _describe_call(target, args, sender, value)
        h = _harness(target, solc_path, probe)
        if target.kind == "constructor":
            inst = h.construct(args=args, sender=sender, value=value)
            out = inst.outcome
        else:
            if target.function and target.function in h.unwrappable:
                raise Unreplayable(f"{target.function} cannot be called on the EVM: "
                                   f"{h.unwrappable[target.function]}")
            inst = h.deploy()
            inst.set_storage(storage)
            if target.kind == "function":
                out = inst.call(target.function, args, sender=sender, value=value)
            else:
                out = inst.call_raw(b"", sender=sender, value=value)
    except Unreplayable as exc:
        return Replay(False, info, f"not replayed on the EVM: {exc}",
                      final=not isinstance(exc, UnusableModel))
    except Exception as exc:                 # the oracle could not run it: say so, never guess
        return Replay(False, info, f"not replayed on the EVM: {type(exc).__name__}: {exc}")
    info["reverted"] = out.reverted
    info["panic"] = f"0x{out.panic:02x}" if out.panic is not None else None
    info["line"] = out.location[1] if out.location else None
    info["column"] = out.location[2] if out.location else None
    if probe is not None:
        args_ = out.error_args or ()
        if out.custom_error == ERROR and len(args_) == 2 and probe.accepts(args_[1]):
            info["confirmed"] = True
            info["probe"] = {"evaluation": args_[1]}
            return Replay(True, info)
        return Replay(False, info, "the EVM run, with the annotation compiled in, "
                      + _what_happened(out))
    if check_kind in NATIVE:
        # the failing instruction's source range (solc's source map) is the check's own
        if out.panic in NATIVE[check_kind] and (info["line"], info["column"]) == check_at:
            info["confirmed"] = True
            return Replay(True, info)
        return Replay(False, info, "the EVM run " + _what_happened(out))
    if out.reverted:
        return Replay(False, info, "the EVM run " + _what_happened(out))
    try:
        holds = _final_check(target, inst, out, assertion, entry)
    except (Unreplayable, NotEvaluable) as exc:
        return Replay(False, info, f"the EVM run succeeded, but its final state could not be "
                      f"checked: {exc}")
    if holds:
        return Replay(False, info, "the EVM run ends in a state where the property holds")
    info["confirmed"] = True
    return Replay(True, info)


def _what_happened(out: Any) -> str:
    if not out.reverted:
        return "succeeds"
    where = f" at line {out.location[1]}" if out.location else ""
    if out.panic is not None:
        return f"fails with Panic(0x{out.panic:02x}){where}"
    if out.reason is not None:
        return f"reverts{where}: {out.reason!r}"
    if out.out_of_gas:
        return "runs out of gas"
    return f"reverts{where}"


def _describe_call(target: Target, args: list[Any], sender: int, value: int) -> str:
    name = target.function or target.kind
    text = f"{target.contract}.{name}({', '.join(_show(a) for a in args)})"
    text += f" from 0x{sender:x}"
    return text + (f" with value {value}" if value else "")


def _show(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_show(x)}" for k, x in v.items()) + "}"
    return str(v).lower() if isinstance(v, bool) else str(v)


# -- model values -> Solidity values -------------------------------------------------------
def _value(ty: SolType, bundle: Bundle, entry: dict[Term, Any]) -> Any:
    # a leaf the VC does not mention has no model value: any value does, the default is used
    leaves = {path: entry[term] if term in entry else _default_of(term.sort)
              for path, term in bundle.items()}
    return _structure(ty, leaves)


def _default_of(sort: Any) -> Any:
    if isinstance(sort, SeqSort):
        return ()
    if isinstance(sort, ArraySort):
        return ArrayValue(_default_of(sort.elem))
    return False if sort == BOOL else 0


def _structure(ty: SolType, leaves: dict[tuple[str, ...], Any]) -> Any:
    if isinstance(ty, (IntType, BoolType)):
        v = leaves[()]
        if isinstance(v, ArrayValue) or isinstance(v, tuple):
            raise UnusableModel(f"unexpected value {v!r}")
        return bool(v) if isinstance(ty, BoolType) else int(v)
    if isinstance(ty, StructType):
        return {f: _structure(ft, {p[1:]: v for p, v in leaves.items() if p and p[0] == f})
                for f, ft in ty.fields}
    if isinstance(ty, ArrayType):
        seqs = list(leaves.values())
        n = len(seqs[0])
        if n > 4096:
            raise UnusableModel(f"an array of {n} elements is too long to install")
        return [_structure(ty.base, {p: s[k] for p, s in leaves.items()}) for k in range(n)]
    if isinstance(ty, MappingType):
        for m in leaves.values():
            if not isinstance(m, ArrayValue):
                raise UnusableModel(f"unexpected mapping value {m!r}")
            if not _is_zero(m.default):
                raise UnusableModel("the model gives a mapping a nonzero value at every key, "
                                   "which no storage can hold")
        return {k: _structure(ty.value, {p: _lookup(m, k) for p, m in leaves.items()})
                for k in _keys(leaves.values())}
    raise UnusableModel(f"values of type {ty}")


def _lookup(m: ArrayValue, key: Any) -> Any:
    return dict(m.entries).get(key, m.default)


def _is_zero(v: Any) -> bool:
    if isinstance(v, ArrayValue):
        return _is_zero(v.default) and not v.entries
    if isinstance(v, tuple):
        return not v
    return v == 0 or v is False


# -- final state -> program variables, then the checked condition --------------------------
def _final_check(target: Target, inst: Any, out: Any, assertion: Term | None,
                 entry: dict[Term, Any]) -> bool:
    if assertion is None:
        raise Unreplayable("the checked condition is not known")
    model: dict[str, Any] = {t.name: v for t, v in entry.items()}
    for old, leaf in target.old:
        if leaf in entry:
            model[old.name] = entry[leaf]
    # a mapping is read at the keys the model names and at every number the final state
    # holds elsewhere (`indexOf[holders[i]]` reads keys stored in an array)
    plain = {s.name: inst.get_storage(s.name) for s in target.state
             if not isinstance(s.ty, MappingType)}
    numbers = sorted({n for v in [*plain.values(), *out.returned, *entry.values()]
                      for n in _numbers(v)}, key=str)
    for s in target.state:
        keys = _mapping_keys(s.ty, s.bundle, entry)
        if keys is not None:
            keys = list(dict.fromkeys([*keys, *(n for n in numbers if _is_key(s.ty, n))]))
        final = plain[s.name] if s.name in plain else inst.get_storage(s.name, keys)
        for path, v in _flatten(s.ty, final).items():
            model[s.bundle[path].name] = v
    for r, v in zip(target.returns, out.returned):
        for path, x in _flatten(r.ty, v).items():
            model[r.bundle[path].name] = x
    for ghost, coll in target.sums:
        seq = model.get(coll.name)
        if isinstance(seq, tuple):
            model[ghost.name] = sum(seq)
    return bool(Evaluator(model).value(assertion))


def _numbers(v: Any) -> list[Any]:
    if isinstance(v, bool):
        return [v]
    if isinstance(v, int):
        return [v]
    if isinstance(v, (list, tuple)):
        return [n for x in v for n in _numbers(x)]
    if isinstance(v, dict):
        return [n for x in v.values() for n in _numbers(x)]
    if isinstance(v, ArrayValue):
        return [n for k, x in v.entries for n in (*_numbers(k), *_numbers(x))]
    return []


def _is_key(ty: MappingType, n: Any) -> bool:
    key = ty.key
    if isinstance(key, BoolType):
        return isinstance(n, bool)
    return isinstance(key, IntType) and not isinstance(n, bool) and key.min <= n <= key.max


def _keys(maps: Any) -> list[Any]:
    """The keys the model names in any of these arrays (one per leaf of a mapping), in order."""
    keys: list[Any] = []
    for m in maps:
        if isinstance(m, ArrayValue):
            keys += [k for k, _ in m.entries if k not in keys]
    return keys


def _mapping_keys(ty: SolType, bundle: Bundle, entry: dict[Term, Any]) -> Any:
    if not isinstance(ty, MappingType):
        return None
    return _keys(entry.get(term) for term in bundle.values())


def _flatten(ty: SolType, v: Any) -> dict[tuple[str, ...], Any]:
    """A Solidity value as the leaves vecverify models it with (structs of arrays)."""
    if isinstance(ty, (IntType, BoolType)):
        return {(): bool(v) if isinstance(ty, BoolType) else int(v)}
    if isinstance(ty, StructType):
        out: dict[tuple[str, ...], Any] = {}
        items = v.items() if isinstance(v, dict) else zip([f for f, _ in ty.fields], v)
        fields = dict(ty.fields)
        for f, x in items:
            out.update({(f,) + p: y for p, y in _flatten(fields[f], x).items()})
        return out
    if isinstance(ty, ArrayType):
        elems = [_flatten(ty.base, x) for x in v]
        paths = _flatten_paths(ty.base)
        return {p: tuple(e[p] for e in elems) for p in paths}
    if isinstance(ty, MappingType):
        per_key = {k: _flatten(ty.value, x) for k, x in (v or {}).items()}
        return {p: ArrayValue(_zero(ty.value, p), tuple((k, e[p]) for k, e in per_key.items()))
                for p in _flatten_paths(ty.value)}
    raise Unreplayable(f"values of type {ty}")


def _flatten_paths(ty: SolType) -> list[tuple[str, ...]]:
    if isinstance(ty, StructType):
        return [(f,) + p for f, ft in ty.fields for p in _flatten_paths(ft)]
    if isinstance(ty, (ArrayType, MappingType)):
        return _flatten_paths(ty.base if isinstance(ty, ArrayType) else ty.value)
    return [()]


def _zero(ty: SolType, path: tuple[str, ...]) -> Any:
    if isinstance(ty, StructType):
        return _zero(dict(ty.fields)[path[0]], path[1:])
    if isinstance(ty, ArrayType):
        return ()
    if isinstance(ty, MappingType):
        return ArrayValue(_zero(ty.value, path))
    return False if isinstance(ty, BoolType) else 0


def confirm(proc: Any, vc: Any, validation: Any, options: Any) -> Replay:
    """The pipeline's entry point (`vecverify.pipeline.REPLAYERS`)."""
    target = proc.origin
    if not isinstance(target, Target):
        return Replay(False, {}, "not replayed on the EVM: the procedure has no EVM target")
    span = vc.check.span
    probe = target.probes.get(vc.check)
    return replay(target, vc.check.kind, (span.line, span.column), vc.assertion,
                  validation.entry or {}, getattr(options, "solc", None),
                  probe.for_kind(vc.check.kind) if probe is not None else None)
