"""The check-sat queries of a script: the assertion stack (push/pop respected) at each one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vecverify.terms.manager import Term

from .reader import Command, Script
from .encode import encode


@dataclass(frozen=True)
class Query:
    """One check-sat: its assertions, the constants in scope, why it cannot be decided
    (`unsupported: <symbol>`), if so, and the terms the `get-value`s after it ask for."""

    command: Command
    assertions: tuple[Term, ...]
    declared: tuple[Term, ...]
    unsupported: str = ""
    probes: list[Term] = field(default_factory=list)

    def smtlib(self, script: Script) -> tuple[str, bool]:
        """The query as a self-contained SMT-LIB script, and whether it has quantifiers."""
        return encode(script.tm, list(self.assertions), self.declared)

    def task(self, script: Script, timeout_s: float) -> Any:
        """The query as a solver task.  Its `get-value` terms are probes: the solver evaluates
        them in its own model (which knows its uninterpreted functions)."""
        from vecverify.drivers import SolverTask
        from vecverify.terms.printer import to_smtlib
        text, quantified = self.smtlib(script)
        return SolverTask(text, tuple(to_smtlib(t) for t in self.probes), timeout_s=timeout_s,
                          quantified=quantified)


def queries(script: Script) -> list[Query]:
    frames: list[list[Command]] = [[]]   # per scope: assertion commands
    consts: list[list[Term]] = [[]]      # per scope: declared constants
    out: list[Query] = []
    for cmd in script.commands:
        if cmd.kind == "assert":
            frames[-1].append(cmd)
        elif cmd.kind in ("declare-fun", "declare-const") and cmd.term is not None:
            consts[-1].append(cmd.term)
        elif cmd.kind == "push":
            frames += [[] for _ in range(cmd.n)]
            consts += [[] for _ in range(cmd.n)]
        elif cmd.kind == "pop":
            del frames[len(frames) - cmd.n:]
            del consts[len(consts) - cmd.n:]
        elif cmd.kind == "reset":
            frames, consts = [[]], [[]]
        elif cmd.kind == "reset-assertions":
            frames, consts = [[]], [consts[0]]
        elif cmd.kind == "check-sat":
            stack = [c for fr in frames for c in fr]
            bad = cmd.unsupported or next((c.unsupported for c in stack if c.unsupported), None)
            terms = [c.term for c in stack if c.term is not None] + list(cmd.terms)
            out.append(Query(cmd, tuple(terms), tuple(c for fr in consts for c in fr),
                             bad.reason if bad else ""))
        elif cmd.kind == "get-value" and out and cmd.unsupported is None:
            out[-1].probes.extend(cmd.terms)
        elif cmd.kind == "exit":
            break
    return out
