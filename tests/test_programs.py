"""Language semantics, each pinned by a small program with its expected verdicts inline."""
from __future__ import annotations

from pathlib import Path

import pytest

from .expectations import assert_verdicts

PROGRAMS = sorted((Path(__file__).resolve().parent / "programs").glob("*.vec"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_program_verdicts(path: Path) -> None:
    assert_verdicts(path)
