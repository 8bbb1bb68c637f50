"""The command line as a user runs it: exit codes, error lines, JSON, SMT-LIB output."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "examples" / "vec" / "correct"
BUGGY = ROOT / "examples" / "vec" / "buggy"
ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error: .+$")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vecverify", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_all_proved_exits_0_with_summary() -> None:
    r = run("verify", str(CORRECT / "sum.vec"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^\d+ checks: (\d+) proved, 0 violated, 0 unknown$", r.stdout, re.M)


def test_violation_exits_1_with_gcc_line_and_counterexample() -> None:
    r = run("verify", str(BUGGY / "max.vec"))
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert re.match(r"^.+max\.vec:\d+:\d+: error: \[index-out-of-bounds\] ", first), first
    assert "counterexample:" in r.stdout
    assert "xs = [" in r.stdout or "xs = []" in r.stdout


def test_unknown_exits_2(tmp_path: Path) -> None:
    # cvc5 cannot decide this non-linear fact (x^3 + y^3 = z^3 has no positive solution)
    prog = write(tmp_path, "fermat.vec", """
fn f(x: int, y: int, z: int)
  requires x > 0 && y > 0 && z > 0
{
  assert x * x * x + y * y * y != z * z * z;
}
""")
    r = run("verify", "--timeout", "1", prog)
    assert r.returncode == 2, r.stdout + r.stderr
    assert re.search(r"fermat\.vec:5:3: warning: \[unknown\] assert: .*could not decide", r.stdout)
    assert "0 violated, 1 unknown" in r.stdout


@pytest.mark.parametrize("source,line,col,fragment", [
    ("fn f( { }", 1, 7, "unexpected"),
    ("fn f(x: int) { y := 1; }", 1, 16, "unknown variable 'y'"),
    ("fn f(x: int) { x := true; }", 1, 16, "parameter"),
    ("fn f(xs: vec<int>) requires old(len(xs)) > 0 { }", 1, 29, "old"),
    ("fn f() { var b: bool := 1 + 2; }", 1, 25, ""),
])
def test_input_errors_exit_3_with_one_line(tmp_path: Path, source: str, line: int, col: int,
                                           fragment: str) -> None:
    path = write(tmp_path, "bad.vec", source)
    r = run("verify", path)
    assert r.returncode == 3
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    m = ERROR_LINE.match(lines[0])
    assert m and m["file"] == path and int(m["line"]) == line, lines[0]
    assert int(m["col"]) == col, lines[0]
    assert fragment in lines[0]
    assert r.stdout == ""


@pytest.mark.parametrize("args,fragment", [
    (("verify", "does-not-exist.vec"), "no such file"),
    (("verify", "README.md"), "unsupported file type"),
    (("verify", "--timeout", "zero", "x.vec"), "timeout"),
    (("verify",), "Missing argument"),
    (("frobnicate",), "No such command"),
])
def test_usage_errors_exit_3(args: tuple[str, ...], fragment: str) -> None:
    r = run(*args, cwd=ROOT)
    assert r.returncode == 3, r.stderr
    assert fragment in r.stderr and "Traceback" not in r.stderr


def test_json_document_has_the_documented_shape() -> None:
    r = run("verify", "--format", "json", str(BUGGY / "swap.vec"))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["version"] == 1
    fields = {"file", "line", "column", "end_line", "end_column", "function", "kind", "status",
              "message", "solver", "time_s", "counterexample"}
    assert doc["checks"] and all(set(c) == fields for c in doc["checks"])
    assert {c["status"] for c in doc["checks"]} <= {"proved", "violated", "unknown",
                                                     "unsupported"}
    s = doc["summary"]
    assert s["proved"] + s["violated"] + s["unknown"] + s["unsupported"] == len(doc["checks"])
    bad = [c for c in doc["checks"] if c["status"] == "violated"]
    assert bad and all(isinstance(c["counterexample"]["inputs"], dict) for c in bad)
    # vectors are JSON lists
    assert any(isinstance(v, list) for c in bad for v in c["counterexample"]["inputs"].values())
    for c in doc["checks"]:
        assert c["end_line"] >= c["line"] >= 1 and c["column"] >= 1


def test_smt2_output_is_reparsed_by_cvc5(tmp_path: Path) -> None:
    import cvc5
    r = run("smt2", "-o", str(tmp_path / "vcs"), str(CORRECT / "binary_search.vec"))
    assert r.returncode == 0, r.stderr
    files = sorted((tmp_path / "vcs").glob("*.smt2"))
    assert len(files) == len(r.stdout.split())
    assert files
    for f in files:
        solver = cvc5.Solver()
        solver.setOption("tlimit-per", "10000")
        sm = cvc5.SymbolManager(solver)
        parser = cvc5.InputParser(solver, sm)
        parser.setFileInput(cvc5.InputLanguage.SMT_LIB_2_6, str(f))
        answers = []
        while True:
            cmd = parser.nextCommand()
            if cmd.isNull():
                break
            if cmd.getCommandName() == "check-sat":
                answers.append(str(solver.checkSat()))
            else:
                cmd.invoke(solver, sm)
        assert len(answers) == 1
        assert answers[0] in ("unsat", "unknown")   # never sat: the program is correct


def test_parallel_jobs_give_the_same_verdicts() -> None:
    one = json.loads(run("verify", "--format", "json", str(BUGGY / "ledger.vec")).stdout)
    two = json.loads(run("verify", "--format", "json", "-j", "2",
                         str(BUGGY / "ledger.vec")).stdout)
    key = lambda doc: [(c["line"], c["kind"], c["status"]) for c in doc["checks"]]  # noqa: E731
    assert key(one) == key(two)


def test_list_checks_names_every_kind() -> None:
    r = run("list-checks")
    assert r.returncode == 0
    for kind in ("index-out-of-bounds", "pop-empty", "loop-invariant-preserved", "precondition"):
        assert kind in r.stdout


def test_help_documents_exit_codes() -> None:
    r = run("verify", "--help")
    assert r.returncode == 0
    assert "Exit codes" in r.stdout and "3  input or usage error" in r.stdout
