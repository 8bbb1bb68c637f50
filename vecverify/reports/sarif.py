"""The SARIF 2.1.0 rendering of a Report, for code-scanning pipelines (GitHub code scanning)
and SARIF viewers.

One run; `tool.driver.rules` come from the check kinds (`vecverify.obligations`: id, short
and full description, help), plus one rule for unsupported constructs.  Every check is one
result:

| status | kind | level |
|---|---|---|
| violated, solver disagreement | `fail` | `error` |
| unknown, unsupported | `open` | `warning` (the reason is in the message) |
| proved | `pass` | `none` |

SARIF's prose (section 3.27.10) wants `level` `none` whenever `kind` is not `fail`; GitHub code
scanning reads `level` and ignores `kind`, so an `open` result at `none` would be shown as a
mere note there.  We keep `warning` for open results: an unproved check must not look like a
passed one in the pipelines our users have.

Locations are relative to the current directory (`uriBaseId` `%SRCROOT%`) when the file lies
under it, which is what code scanning resolves against the repository; otherwise absolute
`file://` URIs.  The counterexample (the JSON output's) is in the result's `properties`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from vecverify import installed_version
from vecverify.obligations import REGISTRY

from .diagnostic import Diagnostic, Report, Status
from .render import counterexample_inputs

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

_KIND_LEVEL = {Status.VIOLATED: ("fail", "error"), Status.DISAGREEMENT: ("fail", "error"),
               Status.UNKNOWN: ("open", "warning"), Status.UNSUPPORTED: ("open", "warning"),
               Status.PROVED: ("pass", "none")}

_UNSUPPORTED_RULE = {
    "id": "unsupported",
    "name": "Unsupported",
    "shortDescription": {"text": "construct outside what vecverify verifies"},
    "fullDescription": {"text": "The function uses a language construct vecverify cannot "
                                "translate, so none of its checks were verified."},
    "help": {"text": "Rewrite the construct, or move it out of the functions you want "
                     "verified; the message names it."},
    "defaultConfiguration": {"level": "warning"},
}


def rules() -> list[dict[str, Any]]:
    """One reporting descriptor per check kind, in a stable order."""
    out = []
    for kind in sorted(REGISTRY):
        ob = REGISTRY[kind]
        out.append({
            "id": kind,
            "name": "".join(part.capitalize() for part in kind.split("-")),
            "shortDescription": {"text": ob.short},
            "fullDescription": {"text": f"{ob.short[0].upper()}{ob.short[1:]}: reported when "
                                        f"{ob.failure}; proved when {ob.success}."},
            "help": {"text": ob.help},
            "defaultConfiguration": {"level": "error"},
        })
    return out + [_UNSUPPORTED_RULE]


def _location(d: Diagnostic, root: Path) -> dict[str, Any]:
    path = Path(d.file).resolve()
    try:
        artifact = {"uri": path.relative_to(root).as_posix(), "uriBaseId": SRCROOT}
    except ValueError:
        artifact = {"uri": path.as_uri()}
    region = {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}
    if d.end_line >= d.line and d.end_line > 0:
        region["endLine"] = d.end_line
        if d.end_column > 0 and (d.end_line > d.line or d.end_column >= d.column):
            region["endColumn"] = d.end_column
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _message(d: Diagnostic) -> str:
    if d.status is Status.PROVED:
        return f"{d.kind}: {d.message} (in {d.function})"
    if d.status is Status.VIOLATED:
        inputs = counterexample_inputs(d.counterexample)
        return f"{d.message} (in {d.function})" + (f"; counterexample: {inputs}" if inputs
                                                    else "")
    return f"{d.message} (in {d.function})"


SMT_RULE = {
    "id": "check-sat",
    "name": "CheckSat",
    "shortDescription": {"text": "the answer of a check-sat"},
    "fullDescription": {"text": "The answer vecverify's solver gave to a check-sat of an "
                                "SMT-LIB script, compared with the script's (set-info :status)."},
    "help": {"text": "A failed result is an answer that contradicts the script's status, or two "
                     "solvers (--solver cross) that disagree: one of them is wrong. An open "
                     "result was not decided; its message gives the reason."},
    "defaultConfiguration": {"level": "error"},
}


def render_smt_sarif(path: str, answers: list[tuple[Any, str, str, str]],
                     root: str | None = None) -> str:
    """SARIF for `vecverify smt`: one result per check-sat, given as (span, answer, outcome,
    message) with outcome `pass` (a definite answer the script's status does not contradict),
    `fail` (it contradicts it, or the solvers disagree) or `open` (unknown)."""
    base = Path(root or os.getcwd()).resolve()
    level = {"pass": "none", "fail": "error", "open": "warning"}
    results = []
    for span, answer, outcome, message in answers:
        fake = Diagnostic(path, span.line, span.column, span.end_line, span.end_column, "",
                          "check-sat", Status.UNKNOWN, message, "", 0.0)
        results.append({"ruleId": "check-sat", "ruleIndex": 0, "kind": outcome,
                        "level": level[outcome], "message": {"text": message},
                        "locations": [_location(fake, base)],
                        "properties": {"answer": answer}})
    return _document([SMT_RULE], results, base, {})


def _document(descriptors: list[dict[str, Any]], results: list[dict[str, Any]], base: Path,
              properties: dict[str, Any]) -> str:
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vecverify", "version": installed_version(missing="0"),
                                "rules": descriptors}},
            "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri() + "/"}},
            "results": results,
            "properties": properties,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"


def render_sarif(report: Report, root: str | None = None) -> str:
    base = Path(root or os.getcwd()).resolve()
    descriptors = rules()
    index = {r["id"]: n for n, r in enumerate(descriptors)}
    results = []
    for d in report.diagnostics:
        kind, level = _KIND_LEVEL[d.status]
        rule = d.kind if d.kind in index else "unsupported"
        props: dict[str, Any] = {"status": d.status.value, "function": d.function,
                                 "solver": d.solver, "time_s": round(d.time_s, 4)}
        if d.counterexample:
            props["counterexample"] = d.counterexample
        results.append({"ruleId": rule, "ruleIndex": index[rule], "kind": kind,
                        "level": level, "message": {"text": _message(d)},
                        "locations": [_location(d, base)], "properties": props})
    return _document(descriptors, results, base, {"summary": report.summary()})
