"""Every bundled Solidity contract verifies to exactly the verdicts annotated in it.

Correct variants must be fully proved; each bugged variant shows its annotated violations
(with validated counterexamples).  Needs a Solidity compiler (CI installs solcjs).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .expectations import assert_verdicts, expected_outcomes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "solidity"
CORRECT = sorted((EXAMPLES / "correct").glob("*.sol"))
BUGGY = sorted((EXAMPLES / "buggy").glob("*.sol"))

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def test_corpus_has_ten_contracts_in_both_variants() -> None:
    names = {p.stem for p in CORRECT}
    assert len(names) >= 10
    assert names == {p.stem for p in BUGGY}


def test_every_solidity_check_kind_is_violated_somewhere() -> None:
    kinds = {kind for p in BUGGY for (_, kind, status) in expected_outcomes(p)
             if status == "violated"}
    assert kinds >= {"index-out-of-bounds", "pop-empty", "overflow", "underflow",
                     "division-by-zero", "assert", "postcondition", "contract-invariant",
                     "modifies", "precondition"}
    # a quantified loop invariant cannot be compiled into the contract, so the EVM cannot
    # confirm its failure: unknown, with the reason
    unconfirmable = {kind for p in BUGGY for (_, kind, status) in expected_outcomes(p)
                     if status == "unknown"}
    assert unconfirmable >= {"loop-invariant-preserved"}


@pytest.mark.slow
@pytest.mark.parametrize("path", CORRECT + BUGGY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_contract_verdicts(path: Path) -> None:
    report = assert_verdicts(path)
    violated = any(s == "violated" for _, _, s in expected_outcomes(path))
    assert report.exit_code() == (0 if path.parent.name == "correct" else 1 if violated else 2)
