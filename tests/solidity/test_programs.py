"""Solidity semantics, each pinned by a contract with its expected verdicts inline."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..expectations import assert_verdicts

PROGRAMS = sorted((Path(__file__).resolve().parent / "programs").glob("*.sol"))

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_contract_semantics(path: Path) -> None:
    assert_verdicts(path)


HEADER = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\ncontract A {\n    uint[] xs;\n"


@pytest.mark.parametrize("body,line,col,fragment", [
    ("    function f() public { xs.push(y); }\n}\n", 5, 35, "Undeclared identifier"),
    ("    /// @notice postcondition xs.length == (1 +\n    function f() public {}\n}\n",
     5, 48, "bad annotation"),
    ("    /// @notice postcondition ys.length == 1\n    function f() public {}\n}\n",
     5, 31, "unknown name 'ys'"),
    ("    /// @custom:vv-frobnicate x\n    function f() public {}\n}\n",
     5, 9, "unknown vecverify annotation"),
])
def test_bad_solidity_input_is_one_error_line_and_exit_3(tmp_path: Path, body: str, line: int,
                                                         col: int, fragment: str) -> None:
    import re
    import subprocess
    import sys
    path = tmp_path / "A.sol"
    path.write_text(HEADER + body)
    r = subprocess.run([sys.executable, "-m", "vecverify", "verify", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    first = r.stderr.strip().splitlines()[0]
    m = re.match(r"^(.+):(\d+):(\d+): error: (.+)$", first)
    assert m and m[1] == str(path) and (int(m[2]), int(m[3])) == (line, col), first
    assert fragment in m[4]
