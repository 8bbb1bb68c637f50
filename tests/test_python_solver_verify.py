"""`vecverify verify --solver python`: the bundled sequence procedure decides the VCs of the
example programs, and never contradicts their annotated verdicts.

What it cannot decide must say why, with one of the reasons the procedure documents
(nested sequences, non-linear arithmetic, a timeout); everything else must be decided.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vecverify.options import Options
from vecverify.pipeline import verify_paths
from vecverify.reports import Status

from .expectations import expected_outcomes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "vec"
PROGRAMS = sorted((EXAMPLES / "correct").glob("*.vec")) + sorted((EXAMPLES / "buggy").glob("*.vec"))
ALLOWED_UNKNOWN = ("unsupported: (Seq (Seq", "unsupported: div", "unsupported: mod",
                   "unsupported: *", "timeout",
                   # a model that does not run (an abstraction's), with what happened instead
                   "the solver's counterexample does not run")


SOLIDITY = Path(__file__).resolve().parent.parent / "examples" / "solidity"
CONTRACTS = [SOLIDITY / v / f"{name}.sol" for v in ("correct", "buggy")
             for name in ("Queue", "StakingPool", "Treasury")]


@pytest.mark.slow
@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_python_solver_agrees_with_the_annotated_verdicts(path: Path) -> None:
    agrees_with_annotations(path)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_python_solver_on_solidity_contracts(path: Path) -> None:
    agrees_with_annotations(path)


def agrees_with_annotations(path: Path) -> None:
    report = verify_paths([str(path)], Options(timeout_s=30.0, jobs=2, solver="python"))
    violated = {(line, kind) for line, kind, status in expected_outcomes(path)
                if status == "violated"}
    decided = 0
    by_place: dict[tuple[int, str], list[Status]] = {}
    for d in report.diagnostics:
        where = f"{path.name}:{d.line}: {d.kind}: {d.message}"
        by_place.setdefault((d.line, d.kind), []).append(d.status)
        if d.status is Status.VIOLATED:
            assert (d.line, d.kind) in violated, f"refuted a correct check: {where}"
            assert d.counterexample is not None and "inputs" in d.counterexample
        elif d.status is not Status.PROVED:
            assert any(r in d.message for r in ALLOWED_UNKNOWN), f"undocumented unknown: {where}"
            continue
        decided += 1
    for place in violated:     # an annotated violation is found, unless left undecided
        statuses = by_place.get(place, [])
        assert Status.VIOLATED in statuses or Status.UNKNOWN in statuses, \
            f"{path.name}:{place[0]}: {place[1]}: violation missed: {statuses}"
    assert all(d.solver == "python" for d in report.diagnostics if d.status is not
               Status.UNSUPPORTED)
    if not any("(Seq (Seq" in d.message for d in report.diagnostics):
        assert decided >= 0.8 * len(report.diagnostics), "too few checks decided"


def test_cross_solver_agrees_on_a_buggy_program() -> None:
    path = EXAMPLES / "buggy" / "swap.vec"
    report = verify_paths([str(path)], Options(timeout_s=30.0, jobs=2, solver="cross"))
    assert report.count(Status.DISAGREEMENT) == 0
    assert {(d.line, d.kind) for d in report.diagnostics if d.status is Status.VIOLATED} == \
        {(line, kind) for line, kind, status in expected_outcomes(path) if status == "violated"}
    assert report.exit_code() == 1
