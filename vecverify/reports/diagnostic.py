"""Verdicts as data: `Status` with its merge order and the frozen `Diagnostic` of one check.

`Diagnostic` has exactly the fields of the JSON output (version 1).  Only an `unsat` answer for
the check's own VC yields PROVED; timeouts, unknowns, unsupported input and counterexamples that
fail to check can only give UNKNOWN/UNSUPPORTED with the reason in the message.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    VIOLATED = "violated"
    UNKNOWN = "unknown"
    UNSUPPORTED = "unsupported"
    PROVED = "proved"
    DISAGREEMENT = "disagreement"     # --solver cross: one solver proved it, the other refuted it

    @property
    def rank(self) -> int:
        """Merge order: the weakest verdict wins when several results concern one thing."""
        return {"disagreement": -1, "violated": 0, "unsupported": 1, "unknown": 2,
                "proved": 3}[self.value]

    @staticmethod
    def merge(*statuses: "Status") -> "Status":
        return min(statuses, key=lambda s: s.rank)


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    function: str
    kind: str
    status: Status
    message: str
    solver: str
    time_s: float
    counterexample: dict[str, Any] | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = self.status.value
        d["time_s"] = round(self.time_s, 4)
        return d

    @property
    def id(self) -> str:
        """The stable `<kind>:<reason>` id shared by text, JSON and tests."""
        reason = {Status.PROVED: "proved", Status.VIOLATED: "assertion.false"}.get(
            self.status, self.status.value)
        return f"{self.kind}:{reason}"


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        return sum(1 for d in self.diagnostics if d.status is status)

    def summary(self) -> dict[str, int]:
        return {s.value: self.count(s) for s in
                (Status.PROVED, Status.VIOLATED, Status.UNKNOWN, Status.UNSUPPORTED,
                 Status.DISAGREEMENT)}

    def exit_code(self) -> int:
        """0 all proved, 1 some violated, 2 none violated but some unknown/unsupported, 4 the
        solvers of `--solver cross` disagree on some check (a solver bug)."""
        if self.count(Status.DISAGREEMENT):
            return 4
        if self.count(Status.VIOLATED):
            return 1
        if self.count(Status.UNKNOWN) or self.count(Status.UNSUPPORTED):
            return 2
        return 0
