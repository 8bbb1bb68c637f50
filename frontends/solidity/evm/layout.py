"""Python values to and from storage slots, exactly as solc lays them out (`storageLayout`).

Why solc's `storageLayout` output rather than our own layout rules: slot numbers, offsets and
packing are decided by the compiler (inheritance order, packing of small values, struct member
order), and a counterexample replayed on the EVM must put each value exactly where the
compiled code reads it.  The generic rules that remain are solc's documented ones:

  - value types (`encoding: inplace`) occupy `numberOfBytes` at byte `offset` counted from the
    low-order end of the slot; several may share a slot;
  - structs and fixed arrays are laid out in place from their slot (struct members at
    slot + member slot; array elements packed `32 // size` per slot when they fit);
  - dynamic arrays keep their length at slot p and elements from keccak256(p);
  - `bytes`/`string`: < 32 bytes in the slot itself (data left-aligned, low byte = 2*len),
    else 2*len+1 in the slot and the data from keccak256(p);
  - mapping values at keccak256(h(k) . p), h(k) = k padded to 32 bytes as in ABI encoding for
    value types (signed ints sign-extended, bytesN left-aligned), the raw bytes for
    `string`/`bytes` keys.

Python shapes: int (integers, enums, addresses), bool, bytes (bytesN, `bytes`), str (`string`),
list (arrays), dict member -> value or tuple in member order (structs), dict key -> value
(mappings; keys int, bool, bytes or str).  Writing a variable is an assignment: the previous
content is cleared (struct members not given become zero, arrays shrink), except the entries of
mappings, which cannot be enumerated and are only written for the keys given.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Protocol

from eth_utils import keccak

MAX_READ_LENGTH = 1 << 16  # longer arrays/bytes read back from storage are treated as garbage
WORD = 1 << 256


class StorageError(ValueError):
    """A value does not fit the variable's type, or a variable/type is not known."""


class Storage(Protocol):
    """Raw word access to one contract's storage."""

    def get(self, slot: int) -> int: ...

    def set(self, slot: int, value: int) -> None: ...


class DictStorage:
    """Storage in a dict (for tests and for computing slot contents without an EVM)."""

    def __init__(self, slots: dict[int, int] | None = None) -> None:
        self.slots: dict[int, int] = dict(slots or {})

    def get(self, slot: int) -> int:
        return self.slots.get(slot, 0)

    def set(self, slot: int, value: int) -> None:
        if value:
            self.slots[slot] = value
        else:
            self.slots.pop(slot, None)


def _h(slot: int) -> int:
    return int.from_bytes(keccak(slot.to_bytes(32, "big")), "big")


_UINT = re.compile(r"t_uint(\d+)$")
_INT = re.compile(r"t_int(\d+)$")
_BYTESN = re.compile(r"t_bytes(\d+)$")
_FIXED_LEN = re.compile(r"\)(\d+)_storage(_ptr)?$")


def _to_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise StorageError(f"expected bytes or str, got {value!r}")


class StorageLayout:
    """One contract's `storageLayout` (solc output), and reading/writing its variables.

    `udvt` maps a user-defined value type's type id to its underlying type id (e.g. from the
    AST), so that signed ones are read back signed; without it they are taken as unsigned.
    """

    def __init__(self, layout: dict[str, Any], udvt: dict[str, str] | None = None) -> None:
        self.types: dict[str, dict[str, Any]] = dict(layout.get("types") or {})
        self.storage: list[dict[str, Any]] = list(layout.get("storage") or [])
        self.udvt = dict(udvt or {})
        self.variables: dict[str, dict[str, Any]] = {}
        for entry in self.storage:  # labels are unique: 0.8 forbids shadowing state variables
            self.variables.setdefault(entry["label"], entry)

    # -- public API ---------------------------------------------------------------------------

    def names(self) -> list[str]:
        return [e["label"] for e in self.storage]

    def variable(self, name: str) -> dict[str, Any]:
        try:
            return self.variables[name]
        except KeyError:
            raise StorageError(f"no state variable {name!r} (known: "
                               f"{', '.join(self.names()) or 'none'})") from None

    def type_label(self, name: str) -> str:
        return str(self.types[self.variable(name)["type"]].get("label", ""))

    def write(self, storage: Storage, name: str, value: Any) -> None:
        """Assign `value` to state variable `name`."""
        entry = self.variable(name)
        self._write(storage, entry["type"], int(entry["slot"]), int(entry["offset"]), value,
                    name)

    def read(self, storage: Storage, name: str, keys: Any = None) -> Any:
        """The value of state variable `name`; `keys` chooses the mapping entries to read (see
        `_read`)."""
        entry = self.variable(name)
        return self._read(storage, entry["type"], int(entry["slot"]), int(entry["offset"]), keys)

    def encode(self, values: dict[str, Any]) -> dict[int, int]:
        """The non-zero slots that `values` (variable -> value) produce in empty storage."""
        out = DictStorage()
        for name, value in values.items():
            self.write(out, name, value)
        return out.slots

    # -- types --------------------------------------------------------------------------------

    def _info(self, tid: str) -> dict[str, Any]:
        try:
            return self.types[tid]
        except KeyError:
            raise StorageError(f"type {tid} is not in the storage layout") from None

    def _size(self, tid: str) -> int:
        return int(self._info(tid)["numberOfBytes"])

    def _kind(self, tid: str) -> str:
        info = self._info(tid)
        encoding = info.get("encoding")
        if encoding == "mapping":
            return "mapping"
        if encoding == "dynamic_array":
            return "dynarray"
        if encoding == "bytes":
            return "string" if tid.startswith("t_string") else "bytes"
        if "members" in info:
            return "struct"
        if "base" in info:
            return "fixarray"
        return "value"

    def _value_type(self, tid: str) -> tuple[str, int]:
        """(kind, bits) of a value type: uint, int, bool, address, bytesN (bits = 8N), enum."""
        tid = self.udvt.get(tid, tid)
        if tid == "t_bool":
            return "bool", 8
        if tid.startswith(("t_address", "t_contract")):
            return "address", 160
        m = _UINT.match(tid)
        if m:
            return "uint", int(m.group(1))
        m = _INT.match(tid)
        if m:
            return "int", int(m.group(1))
        m = _BYTESN.match(tid)
        if m:
            return "bytesN", 8 * int(m.group(1))
        if tid.startswith("t_enum"):
            return "uint", 8 * self._size(tid) if tid in self.types else 8
        if tid.startswith("t_userDefinedValueType"):
            return "uint", 8 * self._size(tid)
        raise StorageError(f"values of type {self.types.get(tid, {}).get('label', tid)} "
                           "cannot be stored or read")

    def _fixed_length(self, tid: str) -> int:
        m = _FIXED_LEN.search(tid)
        if not m:
            raise StorageError(f"cannot read the length of fixed array type {tid}")
        return int(m.group(1))

    # -- value types --------------------------------------------------------------------------

    def _encode_value(self, tid: str, value: Any, what: str) -> int:
        kind, bits = self._value_type(tid)
        if kind == "bool":
            if value not in (True, False, 0, 1):
                raise StorageError(f"{what}: {value!r} is not a bool")
            return int(bool(value))
        if kind == "address":
            from .chain import address_int
            try:
                return address_int(value)
            except (TypeError, ValueError) as exc:
                raise StorageError(f"{what}: {exc}") from None
        if kind == "bytesN":
            n = bits // 8
            if isinstance(value, int) and not isinstance(value, bool):
                if not 0 <= value < 1 << bits:
                    raise StorageError(f"{what}: {value:#x} does not fit bytes{n}")
                return value
            data = _to_bytes(value)
            if len(data) > n:
                raise StorageError(f"{what}: {len(data)} bytes do not fit bytes{n}")
            return int.from_bytes(data.ljust(n, b"\x00"), "big")
        if isinstance(value, bool) or not isinstance(value, int):
            raise StorageError(f"{what}: {value!r} is not an integer")
        if kind == "int":
            lo, hi = -(1 << (bits - 1)), 1 << (bits - 1)
            if not lo <= value < hi:
                raise StorageError(f"{what}: {value} does not fit int{bits}")
            return value % (1 << bits)
        if not 0 <= value < 1 << bits:
            raise StorageError(f"{what}: {value} does not fit uint{bits}")
        return value

    def _decode_value(self, tid: str, raw: int) -> Any:
        kind, bits = self._value_type(tid)
        if kind == "bool":
            return raw != 0
        if kind == "bytesN":
            return raw.to_bytes(bits // 8, "big")
        if kind == "int" and raw >= 1 << (bits - 1):
            return raw - (1 << bits)
        return raw

    def mapping_key(self, tid: str, key: Any) -> bytes:
        """h(key): how solc hashes a key of type `tid` into a mapping slot."""
        if self._kind(tid) in ("bytes", "string"):
            return _to_bytes(key)
        kind, bits = self._value_type(tid)
        raw = self._encode_value(tid, key, "mapping key")
        if kind == "int":
            raw = (raw - (1 << bits) if raw >= 1 << (bits - 1) else raw) % WORD
        elif kind == "bytesN":
            raw <<= 256 - bits
        return raw.to_bytes(32, "big")

    # -- element positions --------------------------------------------------------------------

    def _elements(self, base: str, start: int, count: int) -> Iterable[tuple[int, int]]:
        """(slot, offset) of elements 0..count-1 of an array of `base` starting at `start`."""
        size = self._size(base)
        if self._kind(base) == "value" and size <= 16:
            per = 32 // size
            for i in range(count):
                yield start + i // per, (i % per) * size
        else:
            step = (size + 31) // 32
            for i in range(count):
                yield start + i * step, 0

    def _slots_spanned(self, base: str, count: int) -> int:
        size = self._size(base)
        if self._kind(base) == "value" and size <= 16:
            per = 32 // size
            return (count + per - 1) // per
        return count * ((size + 31) // 32)

    # -- writing ------------------------------------------------------------------------------

    def _clear(self, storage: Storage, start: int, slots: int) -> None:
        for s in range(slots):
            if storage.get((start + s) % WORD):
                storage.set((start + s) % WORD, 0)

    def _write(self, storage: Storage, tid: str, slot: int, offset: int, value: Any,
               what: str) -> None:
        slot %= WORD
        kind = self._kind(tid)
        info = self._info(tid)
        if kind == "value":
            size = self._size(tid)
            raw = self._encode_value(tid, value, what)
            if size == 32:
                storage.set(slot, raw)
                return
            mask = ((1 << (8 * size)) - 1) << (8 * offset)
            word = storage.get(slot)
            storage.set(slot, (word & ~mask) | (raw << (8 * offset)))
        elif kind == "struct":
            members = info["members"]
            if isinstance(value, (list, tuple)):
                if len(value) != len(members):
                    raise StorageError(f"{what}: {len(value)} values for a struct with "
                                       f"{len(members)} members")
                value = {m["label"]: v for m, v in zip(members, value)}
            if not isinstance(value, dict):
                raise StorageError(f"{what}: a struct is a dict or a tuple, not {value!r}")
            unknown = set(value) - {m["label"] for m in members}
            if unknown:
                raise StorageError(f"{what}: struct {info.get('label')} has no member "
                                   f"{sorted(unknown)[0]!r}")
            for m in members:
                mslot = slot + int(m["slot"])
                mkind = self._kind(m["type"])
                if m["label"] in value:
                    self._write(storage, m["type"], mslot, int(m["offset"]), value[m["label"]],
                                f"{what}.{m['label']}")
                elif mkind != "mapping":  # assignment: members not given become zero
                    self._write_zero(storage, m["type"], mslot, int(m["offset"]))
        elif kind == "fixarray":
            n = self._fixed_length(tid)
            if not isinstance(value, (list, tuple)) or len(value) != n:
                raise StorageError(f"{what}: expected a list of {n} elements, got {value!r}")
            self._write_array(storage, info["base"], slot, list(value), what)
        elif kind == "dynarray":
            if not isinstance(value, (list, tuple)):
                raise StorageError(f"{what}: expected a list, got {value!r}")
            base = info["base"]
            old = storage.get(slot)
            storage.set(slot, len(value))
            data = _h(slot)
            if 0 < old <= MAX_READ_LENGTH and old > len(value):
                used = self._slots_spanned(base, len(value))
                self._clear(storage, data + used, self._slots_spanned(base, old) - used)
            self._write_array(storage, base, data, list(value), what)
        elif kind in ("bytes", "string"):
            self._write_bytes(storage, slot, _to_bytes(value))
        elif kind == "mapping":
            if not isinstance(value, dict):
                raise StorageError(f"{what}: a mapping is a dict key -> value, not {value!r}")
            for key, v in value.items():
                self._write(storage, info["value"], self.mapping_slot(tid, slot, key), 0, v,
                            f"{what}[{key!r}]")
        else:  # pragma: no cover - _kind is exhaustive
            raise StorageError(f"{what}: cannot write type {tid}")

    def _write_zero(self, storage: Storage, tid: str, slot: int, offset: int) -> None:
        kind = self._kind(tid)
        if kind == "value":
            self._write(storage, tid, slot, offset, self._zero_value(tid), "")
        elif kind in ("dynarray", "bytes", "string"):
            self._write(storage, tid, slot, offset, b"" if kind != "dynarray" else [], "")
        elif kind == "struct":
            self._write(storage, tid, slot, offset, {}, "")
        elif kind == "fixarray":
            n = self._fixed_length(tid)
            base = self._info(tid)["base"]
            if self._kind(base) == "value":
                self._clear(storage, slot, self._slots_spanned(base, n))
            else:
                for (s, o) in self._elements(base, slot, n):
                    self._write_zero(storage, base, s, o)

    def _zero_value(self, tid: str) -> Any:
        kind, _ = self._value_type(tid)
        return False if kind == "bool" else 0

    def _write_array(self, storage: Storage, base: str, start: int, values: list[Any],
                     what: str) -> None:
        size = self._size(base)
        if self._kind(base) == "value" and size < 32:
            # build whole words, so that the unused tail of the last slot is zero too
            words: dict[int, int] = {}
            for i, ((s, o), v) in enumerate(zip(self._elements(base, start, len(values)),
                                                values)):
                raw = self._encode_value(base, v, f"{what}[{i}]")
                words[s] = words.get(s, 0) | (raw << (8 * o))
            for s, w in words.items():
                storage.set(s % WORD, w)
            return
        for i, ((s, o), v) in enumerate(zip(self._elements(base, start, len(values)), values)):
            self._write(storage, base, s % WORD, o, v, f"{what}[{i}]")

    def _write_bytes(self, storage: Storage, slot: int, data: bytes) -> None:
        old = storage.get(slot)
        if old & 1:  # the old value was long: clear its data slots beyond the new ones
            old_len = (old - 1) // 2
            if old_len <= MAX_READ_LENGTH:
                keep = (len(data) + 31) // 32 if len(data) >= 32 else 0
                self._clear(storage, _h(slot) + keep, (old_len + 31) // 32 - keep)
        if len(data) < 32:
            storage.set(slot, int.from_bytes(data.ljust(31, b"\x00") + bytes([2 * len(data)]),
                                             "big"))
            return
        storage.set(slot, 2 * len(data) + 1)
        start = _h(slot)
        for i in range(0, len(data), 32):
            chunk = data[i:i + 32].ljust(32, b"\x00")
            storage.set((start + i // 32) % WORD, int.from_bytes(chunk, "big"))

    def mapping_slot(self, tid: str, slot: int, key: Any) -> int:
        """The slot of `m[key]` for a mapping of type `tid` at `slot`."""
        info = self._info(tid)
        return int.from_bytes(keccak(self.mapping_key(info["key"], key) +
                                     slot.to_bytes(32, "big")), "big")

    # -- reading ------------------------------------------------------------------------------

    def _read(self, storage: Storage, tid: str, slot: int, offset: int, keys: Any) -> Any:
        """Read a value of type `tid`.  `keys` selects mapping entries: None (mappings read
        as {}), a list of keys for the first mapping level met, a list of lists (one list of
        keys per nesting level, every combination is read), or a dict key -> keys of the inner
        level.  Structs and arrays pass `keys` on to the mappings inside them."""
        slot %= WORD
        kind = self._kind(tid)
        info = self._info(tid)
        if kind == "value":
            size = self._size(tid)
            raw = (storage.get(slot) >> (8 * offset)) & ((1 << (8 * size)) - 1)
            return self._decode_value(tid, raw)
        if kind == "struct":
            return {m["label"]: self._read(storage, m["type"], slot + int(m["slot"]),
                                           int(m["offset"]), keys)
                    for m in info["members"]}
        if kind == "fixarray":
            n = self._fixed_length(tid)
            return [self._read(storage, info["base"], s % WORD, o, keys)
                    for s, o in self._elements(info["base"], slot, n)]
        if kind == "dynarray":
            n = storage.get(slot)
            if n > MAX_READ_LENGTH:
                raise StorageError(f"array length {n} at slot {slot:#x} is implausible")
            return [self._read(storage, info["base"], s % WORD, o, keys)
                    for s, o in self._elements(info["base"], _h(slot), n)]
        if kind in ("bytes", "string"):
            data = self._read_bytes(storage, slot)
            if kind == "string":
                try:
                    return data.decode("utf-8")
                except UnicodeDecodeError:
                    return data
            return data
        if kind == "mapping":
            level, inner = _split_keys(keys)
            return {k: self._read(storage, info["value"], self.mapping_slot(tid, slot, k), 0,
                                  inner(k))
                    for k in level}
        raise StorageError(f"cannot read type {tid}")  # pragma: no cover

    def _read_bytes(self, storage: Storage, slot: int) -> bytes:
        word = storage.get(slot)
        if not word & 1:
            n = (word & 0xFF) // 2
            return word.to_bytes(32, "big")[:min(n, 31)]
        n = (word - 1) // 2
        if n > MAX_READ_LENGTH:
            raise StorageError(f"bytes length {n} at slot {slot:#x} is implausible")
        start = _h(slot)
        data = b"".join(storage.get((start + i) % WORD).to_bytes(32, "big")
                        for i in range((n + 31) // 32))
        return data[:n]


def _split_keys(keys: Any) -> tuple[list[Any], Callable[[Any], Any]]:
    """(keys of this mapping level, key -> keys for the level below)."""
    if keys is None:
        return [], lambda k: None
    if isinstance(keys, dict):
        return list(keys), lambda k: keys[k]
    if isinstance(keys, (list, tuple, set, frozenset)):
        seq = list(keys)
        if seq and all(isinstance(k, (list, tuple)) for k in seq):
            rest = seq[1:] or None
            return list(seq[0]), lambda k: rest
        return seq, lambda k: None
    return [keys], lambda k: None  # a single key


__all__ = ["DictStorage", "Storage", "StorageError", "StorageLayout"]
