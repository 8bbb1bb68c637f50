"""The Solidity frontend entry point: compile with solc, then lower every contract.

Each non-abstract contract of the given file is verified in the context of its inheritance;
a function using an unsupported construct becomes an `unsupported` result and the others are
still verified.
"""
from __future__ import annotations

from vecverify.ir import Procedure, UnsupportedFunction
from vecverify.terms import TermManager

from .compiler import compile_files
from .model import Program, contracts_to_verify
from .procedures import ContractLowering


def load(path: str, text: str, tm: TermManager, options: object = None,
         stats: dict | None = None) -> list[Procedure | UnsupportedFunction]:
    result = compile_files([path], solc_path=getattr(options, "solc", None),
                           base_path=getattr(options, "base_path", None),
                           include_paths=tuple(getattr(options, "include_paths", ()) or ()))
    units = {name: data["ast"] for name, data in result.output["sources"].items()}
    program = Program(units, {i: result.sources[name] for i, name in result.source_ids.items()})
    main = [name for name, src in result.sources.items() if src.path == path] or \
        [result.source_ids[min(result.source_ids)]]
    out: list[Procedure | UnsupportedFunction] = []
    for contract in contracts_to_verify(program, main):
        out += ContractLowering(tm, contract).procedures()
    if stats is not None:
        stats.update(result.stats())
    return out
