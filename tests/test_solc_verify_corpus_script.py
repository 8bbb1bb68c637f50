"""`benchmarks/solc_verify_corpus.py`: the function-by-function comparison with solc-verify's gold
verdicts classifies what it sees the way a reader of the files would.

Why: the benchmark's numbers (agree / false alarm / missed / rejected ...) are only worth
something if each category means what it says.  The expectations below were checked by hand
against the test files and their `.gold` files; they pin behaviour, not corpus totals.  The
corpus lives outside the repository, so the end-to-end test is skipped where it is missing.
"""
from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "solc_verify_corpus.py"
CORPUS = ROOT.parent / "shared" / "corpora" / "solc-verify-tests"


def load_script():
    spec = importlib.util.spec_from_file_location("solc_verify_corpus", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


svc = load_script()


def test_gold_files_parse_into_functions_with_their_failing_lines() -> None:
    gold = svc.parse_gold(
        "test/solc-verify/x/A.sol:8:25: solc-verify warning: something\n"
        "A::f: ERROR\n"
        " - test/solc-verify/x/A.sol:10:9: Assertion might not hold.\n"
        " - test/solc-verify/x/A.sol:12:5: Postcondition 'r == 1' might not hold at end of "
        "function.\n"
        "A::[implicit_constructor]: OK\n"
        "A::[receive_ether_selfdestruct]: OK\n"
        "B::[receive]: OK\n"
        "B::g: SKIPPED\n"
        "Errors were found by the verifier.\n")
    assert [(g.gold_name, g.verdict, g.lines) for g in gold] == [
        ("A::f", "ERROR", [10, 12]), ("A::[implicit_constructor]", "OK", []),
        ("A::[receive_ether_selfdestruct]", "OK", []), ("B::[receive]", "OK", []),
        ("B::g", "SKIPPED", [])]
    # vecverify's names: Contract.function, the (implicit) constructor as Contract.constructor
    assert [g.vv_name for g in gold] == ["A.f", "A.constructor", None, "B.receive", "B.g"]
    assert svc.gold_kinds(gold[0].messages) == {"assert", "postcondition"}


def test_a_violation_at_the_annotation_above_the_gold_line_matches_it() -> None:
    source = ["contract C {", "  /// @notice postcondition r == 1", "  function f() {", "}"]
    assert svc.lines_match([3], [2], source) == svc.SAME_LINES
    assert svc.lines_match([3], [2, 4], source) == svc.GOLD_LINES_INCLUDED
    assert svc.lines_match([3], [1], source) == svc.OTHER_LINES


def test_contract_kinds_ignore_comments() -> None:
    kinds = svc.contract_kinds("// contract Fake {}\nabstract contract A {}\n"
                               "interface I {}\n/* library L */ contract C is A {}")
    assert kinds == {"A": "abstract contract", "I": "interface", "C": "contract"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus {CORPUS} is missing")
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (solcjs)")
def test_three_small_tests_are_classified_as_checked_by_hand(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--only",
         r"^(issues/Issue029|arrays/ArraysMemAliasingParam|basic/ErrorHandling)\.sol$",
         "-j", "2", "--timeout", "10", "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = {(r["file"], r["function"] or r["vv_function"]): r
            for r in csv.DictReader(out.open())}

    # Issue029 uses `super` and `this` as identifiers, which 0.8 reserves: the compiler rejects
    # the file, and every one of its six gold functions counts as rejected with that error
    issue = [r for (f, _), r in rows.items() if f == "issues/Issue029.sol"]
    assert len(issue) == 6 and {r["category"] for r in issue} == {"rejected"}
    assert all('The name "super" is reserved' in r["reason"] for r in issue)

    # gold ERROR because solc-verify lets the two memory parameters alias; vecverify verifies f
    # as an external entry point, where ABI decoding makes two distinct arrays: all proved
    alias = "arrays/ArraysMemAliasingParam.sol"
    row = rows[(alias, "ArraysMemAliasingParam::f")]
    assert (row["category"], row["gold_lines"]) == ("missed", "18")
    assert rows[(alias, "ArraysMemAliasingParam::[implicit_constructor]")]["category"] == \
        "no checks"
    assert "ArraysMemAliasingParam::f" in proc.stdout       # missed functions are listed

    eh = "basic/ErrorHandling.sol"
    # abs_unsound(-1) gives -2: the assert on line 18 fails, as the gold says; vecverify also
    # finds the int256 underflow of `result += -1` on line 17 (param = type(int).min)
    row = rows[(eh, "ErrorHandling::abs_unsound")]
    assert row["category"] == "agree (ERROR, violation reported)"
    assert row["kind_match"] == svc.SAME_KIND
    assert row["lines_match"] == svc.GOLD_LINES_INCLUDED and row["lines"] == "17 18"
    # gold OK in solc-verify's unbounded `int` mode, but Solidity 0.8 panics on
    # type(int).min * -1 and on x + y past type(int).max: overflow, a check solc-verify
    # does not make in that mode
    for fn in ("ErrorHandling::abs_sound", "ErrorHandling::add", "ErrorHandling::add2"):
        row = rows[(eh, fn)]
        assert (row["category"], row["kinds"], row["alarm"]) == (
            "false alarm", "overflow", svc.ALARM_UNCHECKED), fn
    assert rows[(eh, "ErrorHandling::[implicit_constructor]")]["category"] == "no checks"
