"""Issue 12's unsound behaviours, judged by the EVM: each verdict must agree with a run of the
contract compiled by the same solc on py-evm.

`evm/Regressions.sol` holds one function per behaviour.  The verifier's verdicts are compared
with the `// expect:` annotations (every `violated` must carry a confirmed replay), and the
functions whose checks are all proved are run on the EVM, where they must not fail.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.expectations import assert_verdicts
from vecverify.frontends.solidity.evm import Harness
from vecverify.reports import Status

FIXTURE = Path(__file__).parent / "evm" / "Regressions.sol"

# functions without parameters whose every check is proved: they must run cleanly on the EVM
PROVED_RUNS = ["negChecked", "namedOk", "namedTypes", "frozen", "frozenLast", "sideEffects",
               "order", "indexOrder", "callTwice", "tupleSwap", "modIf"]


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return assert_verdicts(FIXTURE, timeout_s=30.0)


def test_verdicts_match_the_expectations_and_every_violation_replays(report) -> None:  # type: ignore[no-untyped-def]
    violated = [d for d in report.diagnostics if d.status is Status.VIOLATED]
    assert len(violated) == 10
    for d in violated:
        replay = d.counterexample["replay"]
        assert replay["confirmed"] and replay["engine"] == "py-evm" and replay["reverted"], d
        if d.kind == "precondition":        # observed through the annotation compiled in
            assert replay["probe"] == {"evaluation": 0}, d
        else:
            assert replay["line"] == d.line and replay["panic"], d


def test_unconfirmed_models_are_unknown_with_the_reason(report) -> None:  # type: ignore[no-untyped-def]
    spurious = [d for d in report.diagnostics if d.function == "R.spurious"
                and d.status is Status.UNKNOWN]
    assert spurious and all("does not run" in d.message and "loop at line" in d.message
                            for d in spurious)


def test_proved_functions_run_cleanly_on_the_evm(report) -> None:  # type: ignore[no-untyped-def]
    by_function: dict[str, set[Status]] = {}
    for d in report.diagnostics:
        by_function.setdefault(d.function, set()).add(d.status)
    h = Harness.compile(str(FIXTURE), contract="R")
    for name in PROVED_RUNS:
        assert by_function.get(f"R.{name}", {Status.PROVED}) == {Status.PROVED}, name
        out = h.deploy().call(name)
        assert not out.reverted, (name, out.describe())


def test_the_evm_refutes_what_used_to_be_proved() -> None:
    """The functions that were reported proved before the fix do fail on the EVM."""
    h = Harness.compile(str(FIXTURE), contract="R")
    inst = h.deploy()
    for name, panic in [("neg", 0x01), ("memArg", 0x01), ("memStruct", 0x01),
                        ("repoint", 0x01), ("named", 0x11)]:
        assert inst.call(name).panic == panic, name
    assert inst.call("toEnum", [2]).panic == 0x21
