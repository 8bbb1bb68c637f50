"""Expected verdicts written in the test programs themselves.

A check reported on a line ending in `// expect: violated(overflow), unknown(assert)` must have
exactly those non-proved verdicts there; every other check of the file must be proved.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vecverify.bench.expectations import expected_outcomes

__all__ = ["assert_verdicts", "expected_outcomes"]

if TYPE_CHECKING:
    from vecverify.reports import Report

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
