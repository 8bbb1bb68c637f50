"""Every bundled example verifies to exactly the verdicts annotated in it (see expectations.py).

Correct variants must be fully proved; each bugged variant must show its annotated violations,
each with a counterexample that was validated by evaluation.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .expectations import assert_verdicts, expected_outcomes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "vec"
CORRECT = sorted((EXAMPLES / "correct").glob("*.vec"))
BUGGY = sorted((EXAMPLES / "buggy").glob("*.vec"))


def test_corpus_has_twelve_programs_in_both_variants() -> None:
    names = {p.stem for p in CORRECT}
    assert len(names) >= 12
    assert names <= {p.stem for p in BUGGY}


def test_every_check_kind_is_violated_somewhere_in_the_corpus() -> None:
    kinds = {kind for p in BUGGY for (_, kind, status) in expected_outcomes(p)
             if status == "violated"}
    assert kinds >= {"index-out-of-bounds", "pop-empty", "overflow", "underflow",
                     "division-by-zero", "assert", "postcondition", "precondition",
                     "loop-invariant-entry", "loop-invariant-preserved"}


@pytest.mark.slow
@pytest.mark.parametrize("path", CORRECT + BUGGY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_verdicts(path: Path) -> None:
    report = assert_verdicts(path)
    assert report.exit_code() == (0 if path.parent.name == "correct" else 1)
