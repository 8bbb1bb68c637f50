"""Renderers of a Report: gcc-style text lines and the version-1 JSON document."""
from __future__ import annotations

import json
from typing import Any

from vecverify.values import show

from .diagnostic import Diagnostic, Report, Status

_SEVERITY = {Status.VIOLATED: "error", Status.UNKNOWN: "warning", Status.UNSUPPORTED: "warning",
             Status.DISAGREEMENT: "error"}


def text_line(d: Diagnostic) -> str:
    if d.status is Status.UNSUPPORTED:
        return f"{d.file}:{d.line}:{d.column}: warning: [unsupported] {d.message} (in {d.function})"
    tag = d.kind if d.status is Status.VIOLATED else d.status.value
    extra = "" if d.status is Status.VIOLATED else f" {d.kind}:"
    return (f"{d.file}:{d.line}:{d.column}: {_SEVERITY[d.status]}: [{tag}]{extra} "
            f"{d.message} (in {d.function})")


def counterexample_inputs(cex: dict[str, Any] | None) -> str:
    """The inputs of a counterexample on one line (`xs = [-1, 0], i = 0`): what a SARIF
    message and a language-server diagnostic append to the check's message."""
    return ", ".join(f"{k} = {json.dumps(v)}" for k, v in ((cex or {}).get("inputs") or {}).items())


def counterexample_lines(cex: dict[str, Any], indent: str = "    ") -> list[str]:
    out = [f"{indent}counterexample:"]
    for title, key in (("inputs", "inputs"), ("storage on entry", "storage"),
                       (f"at line {cex.get('line', '?')}", "state"), ("values", "values")):
        section = cex.get(key) or {}
        if not section:
            continue
        out.append(f"{indent}  {title}:")
        out += [f"{indent}    {name} = {show(_untag(v))}" for name, v in section.items()]
    out += [f"{indent}  note: {n}" for n in cex.get("notes", [])]
    replay = cex.get("replay")
    if replay and replay.get("confirmed"):
        out.append(f"{indent}  {replay_line(replay)}")
    return out


def replay_line(replay: dict[str, Any]) -> str:
    """How a counterexample was confirmed by running it (the EVM, or the interpreter)."""
    where = f" at line {replay['line']}" if replay.get("line") else ""
    call = replay.get("call", "")
    if replay.get("engine") != "py-evm":
        return f"confirmed by running it: {call} fails{where}"
    if replay.get("probe"):
        n = replay["probe"].get("evaluation", 0)
        return (f"confirmed on the EVM: {call} breaks the annotation, compiled into the "
                f"contract, at its evaluation #{n + 1}{where}")
    if replay.get("panic"):
        return f"confirmed on the EVM: {call} fails with Panic({replay['panic']}){where}"
    return f"confirmed on the EVM: {call} ends in a state that breaks the property"


def _untag(v: Any) -> Any:
    return tuple(_untag(x) for x in v) if isinstance(v, list) else v


def proved_line(d: Diagnostic) -> str:
    return f"{d.file}:{d.line}:{d.column}: note: [proved] {d.kind}: {d.message} (in {d.function})"


def diagnostic_lines(d: Diagnostic) -> list[str]:
    """A check that is not proved: its line, then its counterexample if it has one."""
    return [text_line(d)] + (counterexample_lines(d.counterexample) if d.counterexample else [])


def render_text(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    for d in report.diagnostics:
        if d.status is Status.PROVED:
            if verbose:
                lines.append(proved_line(d))
            continue
        lines += diagnostic_lines(d)
    s = report.summary()
    tail = f", {s['unsupported']} unsupported" if s["unsupported"] else ""
    if s["disagreement"]:
        tail += f", {s['disagreement']} solver disagreements"
    lines.append(f"{len(report.diagnostics)} checks: {s['proved']} proved, "
                 f"{s['violated']} violated, {s['unknown']} unknown{tail}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    doc = {"version": 1,
           "checks": [d.to_json() for d in report.diagnostics],
           "summary": report.summary()}
    return json.dumps(doc, indent=2) + "\n"
