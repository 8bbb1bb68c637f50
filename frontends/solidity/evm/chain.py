"""An in-memory EVM (py-evm, Cancun) that runs messages directly, without transactions.

Why not py-evm's `Chain`/transactions: a counterexample is one call with an arbitrary
`msg.sender`, so signing transactions (and mining blocks) would only cost time and force us to
hold keys for made-up senders.  We build py-evm's Cancun `State` ourselves and hand it spoofed
`Message`s, the way py-evm's own transaction executor does after validating a transaction:
`lock_changes()` and warm addresses (EIP-2929/3651) first, value transfer and revert-on-error
inside `apply_message`, transient storage cleared at the end (EIP-1153).  A call costs well
under a millisecond of overhead on top of the interpreter.

`gas_used` is the gas of the message itself: intrinsic transaction gas (21000 + calldata) and
refunds are not included, since there is no transaction.

Snapshots persist the state trie and remember its root; restoring builds a fresh `State` on
that root.  Every snapshot stays valid (restore in any order, any number of times), unlike
journal checkpoints, which die when an earlier one is reverted.

Tracing (`trace=True`) runs the call on a subclass of the computation whose opcode table is
wrapped to record `(frame, pc)` before each instruction; an untraced call pays nothing for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eth._utils.address import generate_contract_address
from eth.constants import CREATE_CONTRACT_ADDRESS
from eth.db.atomic import AtomicDB
from eth.exceptions import InsufficientFunds, OutOfGas, StackDepthLimit
from eth.vm.execution_context import ExecutionContext
from eth.vm.forks.cancun.state import CancunState
from eth.vm.logic.invalid import InvalidOpcode
from eth.vm.message import Message
from eth_utils import keccak

DEFAULT_GAS = 30_000_000
FUNDING = 10**30
DEFAULT_SENDER = 0x00000000000000000000000000000000000A11CE
DEPLOYER = 0x000000000000000000000000000000000000DE9
BLANK_ROOT = keccak(b"\x80")  # root of the empty trie


def to_address(value: Any) -> bytes:
    """A 20-byte canonical address from an int, 20 bytes, or a hex string."""
    if isinstance(value, bool):
        raise TypeError("an address cannot be a bool")
    if isinstance(value, int):
        if not 0 <= value < 1 << 160:
            raise ValueError(f"address out of range: {value:#x}")
        return value.to_bytes(20, "big")
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 20:
            raise ValueError(f"an address has 20 bytes, not {len(value)}")
        return bytes(value)
    if isinstance(value, str):
        text = value[2:] if value.lower().startswith("0x") else value
        return to_address(int(text, 16))
    raise TypeError(f"not an address: {value!r}")


def address_int(value: Any) -> int:
    return int.from_bytes(to_address(value), "big")


@dataclass
class Frame:
    """One message frame seen while tracing: its code, whether it creates a contract, the
    pcs it executed in order, and how it ended.  `ended` orders frames by their last
    instruction (an inner frame that failed ends before the frame that bubbles it up)."""

    code: bytes
    address: bytes          # whose storage it runs on
    code_address: bytes     # whose code it runs (differs under DELEGATECALL)
    is_create: bool
    pcs: list[int] = field(default_factory=list)
    error: bool = False
    output: bytes = b""
    ended: int = 0


@dataclass
class Execution:
    """The raw result of one message: what the EVM did, before any ABI decoding."""

    success: bool
    output: bytes
    gas_used: int
    error: BaseException | None
    out_of_gas: bool
    logs: list[tuple[bytes, tuple[int, ...], bytes]]
    created: bytes | None = None
    frames: list[Frame] | None = None


def _tracing_class(base: type) -> tuple[type, list[tuple[Any, int]]]:
    """A subclass of the computation class `base` that records `(computation, pc)` before each
    instruction into the returned list (child frames use the subclass too, since py-evm
    creates them through `self.apply_message`)."""
    trace: list[tuple[Any, int]] = []

    def wrap(fn: Any) -> Any:
        def traced(computation: Any) -> Any:
            trace.append((computation, computation.code.program_counter - 1))
            return fn(computation=computation)
        return traced

    class Ops(dict):  # type: ignore[type-arg]
        def __missing__(self, opcode: int) -> Any:
            return wrap(InvalidOpcode(opcode))

    ops = Ops({op: wrap(fn) for op, fn in base.opcodes.items()})
    return type(base.__name__ + "Traced", (base,), {"opcodes": ops}), trace


def _frames(trace: list[tuple[Any, int]]) -> list[Frame]:
    frames: dict[int, Frame] = {}
    comps: dict[int, Any] = {}
    for i, (comp, pc) in enumerate(trace):
        key = id(comp)
        frame = frames.get(key)
        if frame is None:
            msg = comp.msg
            frame = frames[key] = Frame(bytes(msg.code), bytes(msg.storage_address),
                                        bytes(msg.code_address), bool(msg.is_create))
            comps[key] = comp
        frame.pcs.append(pc)
        frame.ended = i
    for key, frame in frames.items():
        comp = comps[key]
        frame.error = comp.is_error
        frame.output = bytes(comp.output) if comp.is_error else b""
    return list(frames.values())


class Snapshot:
    """A saved world state (opaque; valid for the chain that made it, any number of times)."""

    __slots__ = ("root",)

    def __init__(self, root: bytes) -> None:
        self.root = root


class Chain:
    """One in-memory Cancun world.  Addresses may be given as ints, bytes or hex strings."""

    state_class = CancunState

    def __init__(self, *, timestamp: int = 1_700_000_000, block_number: int = 1,
                 coinbase: Any = 0, gas_limit: int = 60_000_000, chain_id: int = 1,
                 base_fee: int = 0, prev_randao: bytes = b"\x00" * 32) -> None:
        self.db = AtomicDB()
        self.context = ExecutionContext(
            coinbase=to_address(coinbase), timestamp=timestamp, block_number=block_number,
            difficulty=0, mix_hash=prev_randao, gas_limit=gas_limit, prev_hashes=(),
            chain_id=chain_id, base_fee_per_gas=base_fee, excess_blob_gas=0)
        self.state = self.state_class(self.db, self.context, BLANK_ROOT)
        self._next_address = 0
        self.libraries: dict[str, bytes] = {}             # "unit:Name" -> where it is deployed
        self.library_codes: dict[bytes, tuple[str, str]] = {}  # and back
        self._precompiles = tuple(self.state.computation_class.get_precompiles())

    # -- accounts and storage -----------------------------------------------------------------

    def fund(self, address: Any, amount: int = FUNDING) -> None:
        self.state.set_balance(to_address(address), amount)

    def balance(self, address: Any) -> int:
        return int(self.state.get_balance(to_address(address)))

    def get_code(self, address: Any) -> bytes:
        return bytes(self.state.get_code(to_address(address)))

    def set_code(self, address: Any, code: bytes) -> None:
        """Install runtime code directly (no constructor runs)."""
        self.state.set_code(to_address(address), bytes(code))
        if self.state.get_nonce(to_address(address)) == 0:
            self.state.set_nonce(to_address(address), 1)  # as a created contract (EIP-161)

    def get_storage(self, address: Any, slot: int) -> int:
        return int(self.state.get_storage(to_address(address), slot))

    def set_storage(self, address: Any, slot: int, value: int) -> None:
        self.state.set_storage(to_address(address), slot, value)

    def fresh_address(self) -> bytes:
        """A new, unused address (deterministic: the n-th CREATE address of `DEPLOYER`)."""
        while True:
            self._next_address += 1
            address = generate_contract_address(to_address(DEPLOYER), self._next_address)
            if not self.state.has_code_or_nonce(address):
                return address

    # -- snapshots ----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        self.state.persist()
        return Snapshot(self.state.state_root)

    def restore(self, snapshot: Snapshot) -> None:
        self.state = self.state_class(self.db, self.context, snapshot.root)

    revert = restore

    # -- execution ----------------------------------------------------------------------------

    def _begin(self, sender: bytes, target: bytes) -> None:
        """What a transaction does before its message runs: a new access-list epoch with the
        sender, the target, the precompiles and the coinbase warm."""
        state = self.state
        state.lock_changes()
        state.clear_transient_storage()
        for address in (sender, target, state.coinbase, *self._precompiles):
            state.mark_address_warm(address)

    def _execute(self, message: Message, sender: bytes, trace: bool) -> Execution:
        state = self.state
        self._begin(sender, message.storage_address)
        computation_class = state.computation_class
        recorded: list[tuple[Any, int]] = []
        if trace:
            computation_class, recorded = _tracing_class(computation_class)
        context = state.get_transaction_context_class()(gas_price=0, origin=sender)
        try:
            if message.is_create:
                state.increment_nonce(sender)
                computation = computation_class.apply_create_message(state, message, context)
            else:
                computation = computation_class.apply_message(state, message, context)
        except (InsufficientFunds, StackDepthLimit) as exc:  # raised before any code runs
            return Execution(False, b"", 0, exc, False, [])
        finally:
            state.clear_transient_storage()
        error = computation.error if computation.is_error else None
        logs = [(bytes(a), tuple(t), bytes(d)) for a, t, d in computation.get_log_entries()]
        created = message.storage_address if message.is_create and error is None else None
        return Execution(error is None, bytes(computation.output), computation.get_gas_used(),
                         error, isinstance(error, OutOfGas), logs, created,
                         _frames(recorded) if trace else None)

    def _fund_for(self, sender: bytes, value: int) -> None:
        """Senders are made up, so give one enough ether for `value` when it lacks it."""
        if value and self.state.get_balance(sender) < value:
            self.state.set_balance(sender, value + FUNDING)

    def call(self, to: Any, data: bytes = b"", *, sender: Any = DEFAULT_SENDER, value: int = 0,
             gas: int = DEFAULT_GAS, trace: bool = False) -> Execution:
        """Run a message call to `to`; state changes persist unless it fails."""
        target, origin = to_address(to), to_address(sender)
        self._fund_for(origin, value)
        message = Message(gas=gas, to=target, sender=origin, value=value, data=bytes(data),
                          code=self.state.get_code(target))
        return self._execute(message, origin, trace)

    def create(self, code: bytes, *, sender: Any = DEPLOYER, value: int = 0,
               gas: int = DEFAULT_GAS, address: Any = None, trace: bool = False) -> Execution:
        """Run creation code (constructor arguments appended) at `address` (default: the
        CREATE address of `sender` and its nonce); `Execution.created` is the new contract."""
        origin = to_address(sender)
        self._fund_for(origin, value)
        target = to_address(address) if address is not None else \
            generate_contract_address(origin, self.state.get_nonce(origin))
        message = Message(gas=gas, to=CREATE_CONTRACT_ADDRESS, sender=origin, value=value,
                          data=b"", code=bytes(code), create_address=target)
        return self._execute(message, origin, trace)


__all__ = ["Chain", "Execution", "Frame", "Snapshot", "DEFAULT_GAS", "DEFAULT_SENDER",
           "DEPLOYER", "to_address", "address_int"]
