"""`vecverify init vscode`: the tasks file it writes, and its problem matchers run over real
`vecverify verify` output: every check the JSON output reports as not proved is matched once,
with its file, line, column, severity and kind (the problem's code)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEVERITY = {"violated": "error", "disagreement": "error", "unknown": "warning",
            "unsupported": "warning"}


def vecverify(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vecverify", *args], capture_output=True,
                          text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def tasks(tmp_path_factory: pytest.TempPathFactory) -> dict:
    ws = tmp_path_factory.mktemp("ws")
    proc = vecverify("init", "vscode", "--dir", str(ws))
    assert proc.returncode == 0, proc.stderr
    return json.loads((ws / ".vscode" / "tasks.json").read_text())


def test_tasks_file(tasks: dict, tmp_path: Path) -> None:
    labels = {t["label"]: t for t in tasks["tasks"]}
    assert set(labels) == {"vecverify: verify file", "vecverify: verify workspace"}
    assert labels["vecverify: verify file"]["args"] == ["verify", "${file}"]
    assert labels["vecverify: verify workspace"]["args"] == ["verify", "${workspaceFolder}"]
    for t in labels.values():
        assert t["command"] == "vecverify" and t["problemMatcher"]
    # an existing tasks.json is not overwritten without --force
    assert vecverify("init", "vscode", "--dir", str(tmp_path)).returncode == 0
    again = vecverify("init", "vscode", "--dir", str(tmp_path))
    assert again.returncode == 3 and "--force" in again.stderr
    assert vecverify("init", "vscode", "--dir", str(tmp_path), "--force").returncode == 0


def matches(tasks: dict, text: str) -> list[tuple[str, int, int, str, str, str]]:
    """(file, line, column, severity, code, message) for every line some matcher takes,
    each line given to the matchers in order as VS Code does."""
    matchers = tasks["tasks"][0]["problemMatcher"]
    out = []
    for line in text.splitlines():
        for m in matchers:
            p = m["pattern"]
            found = re.match(p["regexp"], line)
            if found:
                g = found.group
                out.append((g(p["file"]), int(g(p["line"])), int(g(p["column"])),
                            g(p["severity"]), g(p["code"]), g(p["message"])))
                break
    return out


def run_both(args: list[str]) -> tuple[str, list[dict]]:
    text = vecverify("verify", *args)
    doc = vecverify("verify", "--format", "json", *args)
    assert text.returncode == doc.returncode and text.returncode in (1, 2), text.stderr
    return text.stdout, json.loads(doc.stdout)["checks"]


CASES = [
    ["examples/vec/buggy"],                               # a workspace folder: violations
    ["--solver", "python", "examples/vec/correct/average.vec"],        # unknowns (reasons)
]
if shutil.which("node"):
    CASES.append(["tests/solidity/programs/Inherit.sol"])   # violated + unsupported


@pytest.mark.parametrize("args", CASES, ids=["buggy-folder", "unknown", "solidity"][:len(CASES)])
def test_problem_matchers_take_every_reported_check(tasks: dict, args: list[str]) -> None:
    text, checks = run_both(args)
    got = matches(tasks, text)
    expected = sorted((c["file"], c["line"], c["column"], SEVERITY[c["status"]],
                       "unsupported" if c["status"] == "unsupported" else c["kind"])
                      for c in checks if c["status"] != "proved")
    assert expected, "the case reports nothing"
    assert sorted(g[:5] for g in got) == expected
    for g in got:
        assert g[5] and not g[5].startswith("[")     # the message, without the tag
    # counterexample lines and the summary are not problems
    assert len(got) == len(expected)
