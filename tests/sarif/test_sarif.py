"""`--format sarif`: the output validates against the official SARIF 2.1.0 schema (shipped
here, see LICENSE-sarif-schema.txt), carries what GitHub code scanning requires, and maps
every check's verdict to kind/level as the README documents."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import jsonschema
import pytest

from vecverify import commands
from vecverify.options import Options
from vecverify.pipeline import verify_paths
from vecverify.reports import Status, render_sarif

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def sarif_of(*paths: Path, **options: object) -> tuple[dict, list]:
    report = verify_paths([str(p) for p in paths], Options(**options))  # type: ignore[arg-type]
    doc = json.loads(render_sarif(report, str(ROOT)))
    return doc, report.diagnostics


def check_github_fields(doc: dict) -> None:
    """The fields GitHub code scanning needs to accept an upload and place its alerts."""
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run, = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vecverify" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
    for res in run["results"]:
        assert res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"]
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] and loc["region"]["startLine"] >= 1
        if loc["artifactLocation"].get("uriBaseId"):
            assert not loc["artifactLocation"]["uri"].startswith("/")


@pytest.mark.parametrize("example", ["buggy/swap.vec", "correct/ledger.vec", "buggy/stack.vec"])
def test_sarif_validates_against_the_schema(example: str) -> None:
    doc, diags = sarif_of(ROOT / "examples" / "vec" / example)
    VALIDATOR.validate(doc)
    check_github_fields(doc)
    assert len(doc["runs"][0]["results"]) == len(diags)


def test_verdicts_map_to_kind_and_level() -> None:
    doc, diags = sarif_of(ROOT / "examples" / "vec" / "buggy" / "swap.vec")
    results = doc["runs"][0]["results"]
    seen = set()
    for d, res in zip(diags, results):
        seen.add(d.status)
        expected = {Status.VIOLATED: ("fail", "error"), Status.PROVED: ("pass", "none"),
                    Status.UNKNOWN: ("open", "warning")}[d.status]
        assert (res["kind"], res["level"]) == expected
        assert res["ruleId"] == d.kind and res["properties"]["status"] == d.status.value
        region = res["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (d.line, d.column)
        if d.status is Status.VIOLATED:
            # the validated counterexample travels with the result
            assert res["properties"]["counterexample"] == json.loads(json.dumps(d.counterexample))
            assert "counterexample:" in res["message"]["text"]
    assert {Status.VIOLATED, Status.PROVED} <= seen


def test_unknown_and_unsupported_are_open_warnings_with_the_reason(tmp_path: Path) -> None:
    src = tmp_path / "t.vec"
    src.write_text("fn f(xs: vec<int>, i: int) -> (r: int)\n  requires 0 <= i && i < len(xs)\n"
                   "  ensures r * r >= 0\n{\n  r := xs[i] * xs[i];\n}\n")
    doc, diags = sarif_of(src, solver="python")
    VALIDATOR.validate(doc)
    check_github_fields(doc)
    opened = [r for r in doc["runs"][0]["results"] if r["kind"] == "open"]
    assert opened, [d.status for d in diags]
    for res in opened:
        assert res["level"] == "warning"
        assert "unsupported: *" in res["message"]["text"]      # the reason, as in the text
    # files outside the current directory get absolute file URIs
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file://") and "uriBaseId" not in uri


def test_cli_format_sarif_keeps_the_exit_code() -> None:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = commands.verify(["examples/vec/buggy/swap.vec"], Options(), "sarif", out, err)
    finally:
        os.chdir(cwd)
    assert code == 1
    doc = json.loads(out.getvalue())
    VALIDATOR.validate(doc)
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "examples/vec/buggy/swap.vec", "uriBaseId": "%SRCROOT%"}
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_schema_rejects_what_it_should() -> None:
    """The validator is not vacuous: a result without a message fails."""
    doc, _ = sarif_of(ROOT / "examples" / "vec" / "buggy" / "swap.vec")
    del doc["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(doc)


def test_smt_format_sarif(tmp_path: Path) -> None:
    """`vecverify smt --format sarif`: one result per check-sat, at the command; pass for an
    answer, fail against the script's :status, open (with the reason) for unknown."""
    f = tmp_path / "t.smt2"
    f.write_text("(set-logic ALL)\n(set-info :status unsat)\n(declare-fun x () (Seq Int))\n"
                 "(assert (= (seq.len x) 1))\n(check-sat)\n"
                 "(assert (str.in_re \"a\" re.all))\n(check-sat)\n")
    out, err = io.StringIO(), io.StringIO()
    assert commands.smt(str(f), "cvc5", 10.0, out, err, fmt="sarif") == 0
    doc = json.loads(out.getvalue())
    VALIDATOR.validate(doc)
    check_github_fields(doc)
    first, second = doc["runs"][0]["results"]
    assert (first["kind"], first["level"], first["properties"]["answer"]) == \
        ("fail", "error", "sat")
    assert "differs from the script's (set-info :status unsat)" in first["message"]["text"]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert (second["kind"], second["level"]) == ("open", "warning")
    assert "unsupported" in second["message"]["text"]
    assert second["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
