"""The EVM oracle: run Solidity contracts on the real EVM (py-evm) to confirm counterexamples.

Why: a counterexample the verifier reports for a Solidity function is a claim about what the
compiled contract does.  Replaying it on the EVM, with the same compiler, turns that claim into
a check: the call must fail with the predicted panic (or violate the predicted property) at the
predicted place.  `Harness` compiles and deploys, `Instance.call` runs one call and returns an
`Outcome`; `StorageLayout` puts Python values into storage exactly where solc's code reads them.
"""
from .chain import (
           DEFAULT_GAS,
           DEFAULT_SENDER,
           DEPLOYER,
           Chain,
           Execution,
           Snapshot,
           address_int,
           to_address,
)
from .harness import EvmError, Harness, Instance, decode_values, encode_args, run_source
from .layout import DictStorage, StorageError, StorageLayout
from .outcome import CHECK_KIND_PANIC, PANIC_KINDS, Outcome, panic_kinds, panic_matches

__all__ = ["CHECK_KIND_PANIC", "Chain", "DEFAULT_GAS", "DEFAULT_SENDER", "DEPLOYER",
           "DictStorage", "EvmError", "Execution", "Harness", "Instance", "Outcome",
           "PANIC_KINDS", "Snapshot", "StorageError", "StorageLayout", "address_int",
           "decode_values", "encode_args", "panic_kinds", "panic_matches", "run_source",
           "to_address"]
