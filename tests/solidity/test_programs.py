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
