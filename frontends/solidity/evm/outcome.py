"""What one call did on the EVM, decoded: `Outcome`, panic codes, revert data, source maps.

Why decode here rather than leave raw bytes to callers: the verifier compares a counterexample's
predicted failure (a check kind at a source position) with what the EVM did, so the EVM side
has to speak the same language: `Panic(uint256)` codes mapped to check kinds, `Error(string)`
reasons, custom errors by selector, and a `file:line:column` taken from the runtime source map.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable

import eth_abi
from eth_utils import keccak

from vecverify.errors import Span

from ..source import SourceFile

PANIC_SELECTOR = bytes.fromhex("4e487b71")   # Panic(uint256)
ERROR_SELECTOR = bytes.fromhex("08c379a0")   # Error(string)

# Panic(uint256) codes (solc's documentation) -> the verifier's check kinds.  0x11 stands for
# both "overflow" and "underflow"; use `panic_matches` to compare with one check kind.
PANIC_KINDS: dict[int, str] = {
    0x00: "generic",
    0x01: "assert",
    0x11: "overflow/underflow",
    0x12: "division-by-zero",
    0x21: "enum-conversion",
    0x22: "storage-encoding",
    0x31: "pop-empty",
    0x32: "index-out-of-bounds",
    0x41: "out-of-memory",
    0x51: "zero-function-pointer",
}

# check kind -> panic code (the inverse of PANIC_KINDS, with 0x11 under both of its kinds)
CHECK_KIND_PANIC: dict[str, int] = {
    kind: code for code, kinds in PANIC_KINDS.items() for kind in kinds.split("/")
}


def panic_kinds(code: int | None) -> tuple[str, ...]:
    """The check kinds a panic code stands for (empty for None or an unknown code)."""
    if code is None or code not in PANIC_KINDS:
        return ()
    return tuple(PANIC_KINDS[code].split("/"))


def panic_matches(code: int | None, kind: str) -> bool:
    """Whether panic `code` is how the EVM reports a failed check of `kind`."""
    return kind in panic_kinds(code)


@dataclass
class Outcome:
    """The result of one call (or constructor run) on the EVM.

    `error` is the raw revert data; `panic` the code of a `Panic(uint256)`, `reason` the
    message of an `Error(string)`, `selector` the first four bytes of any other revert data
    (a custom error; `custom_error` its signature and `error_args` its arguments when the ABI
    knows it).  `returned` holds the ABI-decoded return values (arrays as lists, structs as
    tuples, addresses as ints), `output` the raw return data.  `location` is (file, line,
    column) of the last user-source instruction executed before a failure, `span` the whole
    source range of that instruction.  `out_of_gas` is set when the call ran out of gas;
    `gas_used` excludes the intrinsic transaction gas (there is no transaction).
    """

    reverted: bool
    panic: int | None = None
    error: bytes = b""
    reason: str | None = None
    selector: bytes | None = None
    custom_error: str | None = None
    error_args: tuple[Any, ...] | None = None
    returned: tuple[Any, ...] = ()
    output: bytes = b""
    gas_used: int = 0
    out_of_gas: bool = False
    location: tuple[str, int, int] | None = None
    span: Span | None = None
    vm_error: str | None = None
    logs: list[tuple[int, tuple[int, ...], bytes]] = field(default_factory=list)
    created: int | None = None

    @property
    def success(self) -> bool:
        return not self.reverted

    @property
    def kinds(self) -> tuple[str, ...]:
        """The check kinds the panic (if any) stands for."""
        return panic_kinds(self.panic)

    def describe(self) -> str:
        """One line for messages: what happened and where."""
        if not self.reverted:
            what = f"returned {self.returned!r}"
        elif self.panic is not None:
            what = f"panic 0x{self.panic:02x} ({PANIC_KINDS.get(self.panic, 'unknown')})"
        elif self.reason is not None:
            what = f"reverted: {self.reason!r}"
        elif self.custom_error is not None:
            what = f"reverted with {self.custom_error}"
        elif self.out_of_gas:
            what = "ran out of gas"
        elif self.vm_error == "Revert" and not self.error:
            what = "reverted without data"
        elif self.vm_error is not None and not self.error:
            what = f"failed: {self.vm_error}"
        else:
            what = f"reverted with data 0x{self.error.hex()}"
        if self.location is not None:
            what += " at {}:{}:{}".format(*self.location)
        return what


def error_signatures(abi: Iterable[dict[str, Any]]
                     ) -> dict[bytes, tuple[str, list[dict[str, Any]]]]:
    """selector -> (signature, ABI inputs) of the custom errors in an ABI."""
    out: dict[bytes, tuple[str, list[dict[str, Any]]]] = {}
    for entry in abi:
        if entry.get("type") == "error":
            inputs = list(entry.get("inputs", []))
            signature = f"{entry['name']}({','.join(abi_type(i) for i in inputs)})"
            out[keccak(text=signature)[:4]] = (signature, inputs)
    return out


def split_array(t: str) -> tuple[str, str] | None:
    """("T", "[k]") for an array type "T[k]", else None."""
    if not t.endswith("]"):
        return None
    i = t.rindex("[")
    return t[:i], t[i:]


def from_abi(param: dict[str, Any], t: str, value: Any) -> Any:
    """eth_abi's decoded value in the oracle's shapes: arrays as lists, structs as tuples,
    addresses as ints."""
    split = split_array(t)
    if split is not None:
        return [from_abi(param, split[0], v) for v in value]
    if t == "tuple":
        return tuple(from_abi(c, c["type"], v) for c, v in zip(param.get("components", []), value))
    if t == "address":
        return int(value, 16) if isinstance(value, str) else int.from_bytes(value, "big")
    return value


def decode_values(params: list[dict[str, Any]], data: bytes) -> tuple[Any, ...]:
    """ABI-decode `data` as the values of `params` (ABI inputs or outputs)."""
    values = eth_abi.decode([abi_type(p) for p in params], data)
    return tuple(from_abi(p, p["type"], v) for p, v in zip(params, values))


def abi_type(param: dict[str, Any]) -> str:
    """The canonical type string of an ABI parameter (tuples spelled out)."""
    t = str(param["type"])
    if t.startswith("tuple"):
        inner = ",".join(abi_type(c) for c in param.get("components", []))
        return f"({inner}){t[len('tuple'):]}"
    return t


def decode_revert(outcome: Outcome, data: bytes,
                  errors: dict[bytes, tuple[str, list[dict[str, Any]]]]) -> None:
    """Fill panic / reason / selector / custom error fields from revert data."""
    outcome.error = data
    if len(data) < 4:
        return
    selector = data[:4]
    outcome.selector = selector
    try:
        if selector == PANIC_SELECTOR and len(data) == 36:
            outcome.panic = int.from_bytes(data[4:], "big")
        elif selector == ERROR_SELECTOR:
            (outcome.reason,) = eth_abi.decode(["string"], data[4:])
        elif selector in errors:
            signature, inputs = errors[selector]
            outcome.custom_error = signature
            outcome.error_args = decode_values(inputs, data[4:])
    except Exception:  # malformed data: keep the raw bytes and the selector
        pass


# ---------------------------------------------------------------------------------------------
# Source maps


def parse_source_map(text: str) -> list[tuple[int, int, int, str]]:
    """solc's compressed source map ("s:l:f:j:m;..."; empty fields repeat the previous entry)
    as one (start, length, file index, jump) per instruction."""
    entries: list[tuple[int, int, int, str]] = []
    s, l, f, j = 0, 0, -1, "-"
    for item in text.split(";") if text else []:
        fields = item.split(":")
        if len(fields) > 0 and fields[0] != "":
            s = int(fields[0])
        if len(fields) > 1 and fields[1] != "":
            l = int(fields[1])
        if len(fields) > 2 and fields[2] != "":
            f = int(fields[2])
        if len(fields) > 3 and fields[3] != "":
            j = fields[3]
        entries.append((s, l, f, j))
    return entries


def instruction_indices(code: bytes) -> dict[int, int]:
    """pc -> instruction number (what source map entries are indexed by)."""
    out: dict[int, int] = {}
    pc = index = 0
    n = len(code)
    while pc < n:
        out[pc] = index
        op = code[pc]
        pc += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
        index += 1
    return out


class Insertions:
    """Text inserted into one source (the call wrappers): maps offsets in the compiled text
    back to the user's file, and says which offsets are inside inserted text."""

    def __init__(self, inserted: Iterable[tuple[int, int]] = ()) -> None:
        # (offset in the original text, length inserted there), by offset; pieces inserted at
        # the same offset keep their order
        self.items = sorted(inserted, key=lambda item: item[0])
        self._starts: list[int] = []
        shift = 0
        for pos, length in self.items:
            self._starts.append(pos + shift)  # where it lands in the compiled text
            shift += length

    def piece(self, offset: int) -> int | None:
        """Which inserted piece (0-based, in insertion order) a compiled-text offset is in."""
        k = bisect.bisect_right(self._starts, offset)
        if k and offset < self._starts[k - 1] + self.items[k - 1][1]:
            return k - 1
        return None

    def original(self, offset: int) -> int | None:
        """The original offset of a compiled-text offset, or None inside inserted text."""
        k = bisect.bisect_right(self._starts, offset)
        shift = sum(length for _, length in self.items[:k])
        if k and offset < self._starts[k - 1] + self.items[k - 1][1]:
            return None
        return offset - shift


@dataclass
class CodeMap:
    """The source map of one bytecode, ready to turn pcs into user source positions."""

    entries: list[tuple[int, int, int, str]]
    pcs: dict[int, int]
    files: dict[int, SourceFile]             # source index -> the user's (original) file
    insertions: dict[int, Insertions]        # source index -> text we inserted there

    @classmethod
    def build(cls, code: bytes, source_map: str, files: dict[int, SourceFile],
              insertions: dict[int, Insertions]) -> CodeMap:
        return cls(parse_source_map(source_map), instruction_indices(code), files, insertions)

    def position(self, pc: int) -> tuple[SourceFile, int, int] | None:
        """(file, start, length) in the user's file of the instruction at `pc`, or None if it
        belongs to no user source (generated code, inserted wrappers, metadata)."""
        index = self.pcs.get(pc)
        if index is None or index >= len(self.entries):
            return None
        start, length, file_index, _ = self.entries[index]
        source = self.files.get(file_index)
        if source is None or start < 0:
            return None
        ins = self.insertions.get(file_index)
        if ins is not None:
            orig = ins.original(start)
            if orig is None:
                return None
            end = ins.original(start + length)
            start, length = orig, max((end if end is not None else orig) - orig, 0)
        return source, start, length

    def last_user_position(self, pcs: list[int]) -> tuple[SourceFile, int, int] | None:
        for pc in reversed(pcs):
            found = self.position(pc)
            if found is not None:
                return found
        return None


__all__ = ["CHECK_KIND_PANIC", "CodeMap", "ERROR_SELECTOR", "Insertions", "Outcome",
           "PANIC_KINDS", "PANIC_SELECTOR", "abi_type", "decode_revert", "decode_values",
           "error_signatures", "from_abi", "split_array",
           "instruction_indices", "panic_kinds", "panic_matches", "parse_source_map"]
