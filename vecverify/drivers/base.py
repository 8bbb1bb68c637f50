"""The solver protocol: `check(task) -> SolverResult`, with `unknown` as an ordinary value.

A task is plain data (SMT-LIB text, probe terms as text, a timeout) so it can cross a process
boundary; results carry the model as plain values (see `vecverify.values`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from vecverify.values import Value


@dataclass(frozen=True)
class SolverTask:
    smtlib: str
    probes: tuple[str, ...] = ()
    timeout_s: float = 10.0
    quantified: bool = False
    boxed_smtlib: str = ""          # the boxed encoding, whose unsat (only) is a proof
    # a portfolio resumed after one of its attempts crashed or overran its share (drivers/
    # pool.py) starts at `first_attempt`; `notes` says what happened to the earlier ones
    first_attempt: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SolverResult:
    status: str                                   # sat | unsat | unknown
    reason: str = ""                              # why unknown (timeout, incomplete, crash...)
    model: dict[str, Value] = field(default_factory=dict)
    probes: tuple[Value | None, ...] = ()
    domains: dict[str, list[Value]] = field(default_factory=dict)
    time_s: float = 0.0
    solver: str = ""
    stats: dict = field(default_factory=dict)     # solver-specific counters (--stats)

    def __post_init__(self) -> None:
        assert self.status in ("sat", "unsat", "unknown"), self.status


class Solver(Protocol):
    name: str

    def check(self, task: SolverTask) -> SolverResult: ...


# A solver that runs a portfolio of attempts may have an `on_attempt(k, label, budget_s)`
# attribute; the worker pool sets it to learn which attempt is running, so that a crash or an
# overrun costs that attempt only (the task is resumed at attempt k + 1).
AttemptHook = Callable[[int, str, float], None]
