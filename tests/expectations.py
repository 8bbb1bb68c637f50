"""Expected verdicts written in the test programs themselves.

A check reported on a line ending in `// expect: violated(overflow), unknown(assert)` must have
exactly those non-proved verdicts there; every other check of the file must be proved.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vecverify.reports import Report

_EXPECT = re.compile(r"//\s*expect:\s*(.*)$")
_ITEM = re.compile(r"(violated|unknown|unsupported)\(([a-z-]+)\)")


def expected_outcomes(path: Path) -> set[tuple[int, str, str]]:
    """(line, kind, status) of every annotated non-proved check."""
    out: set[tuple[int, str, str]] = set()
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        m = _EXPECT.search(line)
        if m:
            items = _ITEM.findall(m.group(1))
            assert items, f"{path}:{n}: malformed expect annotation"
            out |= {(n, kind, status) for status, kind in items}
    return out


def assert_verdicts(path: Path, timeout_s: float = 30.0) -> "Report":
    """Verify `path`, compare every non-proved verdict with its annotations, and check that
    each violation carries a counterexample; returns the report."""
    from vecverify.options import Options
    from vecverify.pipeline import verify_paths
    from vecverify.reports import Status

    report = verify_paths([str(path)], Options(timeout_s=timeout_s, jobs=1))
    assert report.diagnostics, "a test program must produce checks"
    got = {(d.line, d.kind, d.status.value) for d in report.diagnostics
           if d.status is not Status.PROVED}
    want = expected_outcomes(path)
    assert got == want, "\n".join(
        f"{path.name}:{d.line}: {d.kind} {d.status.value}: {d.message}"
        for d in report.diagnostics if d.status is not Status.PROVED)
    for d in report.diagnostics:
        if d.status is Status.VIOLATED:
            assert d.counterexample is not None and "inputs" in d.counterexample
    return report
