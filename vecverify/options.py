"""The one frozen options object the pipeline receives (defaults < CLI flags)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    timeout_s: float = 10.0
    jobs: int = 1
    solver: str = "cvc5"
    solc: str | None = None                  # --solc PATH (Solidity)
    base_path: str | None = None             # --base-path (Solidity imports)
    include_paths: tuple[str, ...] = ()      # --include-path (Solidity imports)
    combination: str | None = None           # --combination (python/cross; None: hybrid)
    unsound_ok: bool = False                 # --unsound-ok: let `no` run on finite sorts
    cache: bool = True                       # --no-cache: neither read nor write results
    unroll: int = 3                          # --unroll K: loop bound of the replay search
