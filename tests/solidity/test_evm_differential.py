"""Differential soundness: the verifier's verdicts against the real EVM on generated Solidity.

Why: a check the verifier calls `proved` must never fail on the EVM in an execution the
verifier reasons about, and every function is verified from an arbitrary entry storage, so a
run from random storage and random arguments is such an execution (`evm_driver`'s docstring).
The generator (`gen_contracts`) produces the constructs of the Solidity lowering in random
combinations.  The CI part here is small and derandomized; the long campaign is
`benchmarks/evm_campaign.py` (see `benchmarks/README.md`, "EVM differential campaign").

Also here: plain tests of the generator (deterministic, compilable, every construct family,
identical line numbers in the verified and the EVM text) and of the comparison itself (a
doctored verdict is caught).
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from vecverify.frontends.solidity.cache import solcjs_dir

from .evm_driver import Session, judge_failure, random_runs, run_contract
from .gen_contracts import (FAMILIES, Block, Contract, Function, Line, Param, contracts,
                            generate_contract, seeded_contracts)

evm = pytest.importorskip("vecverify.frontends.solidity.evm")

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not Path(solcjs_dir(), "node_modules", "solc").is_dir(),
    reason="needs node and solcjs in vecverify's cache directory")


# ---------------------------------------------------------------------------------------------
# The generator


def test_generator_is_deterministic_given_a_seed() -> None:
    a = generate_contract(11, 12).render(evm=True)
    assert a == generate_contract(11, 12).render(evm=True)
    assert a != generate_contract(12, 12).render(evm=True)


def test_generator_covers_every_construct_family() -> None:
    seen: Counter = Counter()
    for seed in range(6):
        for f in generate_contract(seed, 30).members():
            seen.update(f.all_families())
    assert set(FAMILIES) <= set(seen), sorted(set(FAMILIES) - set(seen))


def test_the_evm_text_has_the_verified_texts_line_numbers() -> None:
    c = generate_contract(3, 30)
    plain, instrumented = c.render().split("\n"), c.render(evm=True).split("\n")
    body = len(plain) - 2                                   # up to the contract's last member
    assert plain[:body] == [ln if "vvInv(" not in ln else
                            _strip_invariant_guards(ln) for ln in instrumented[:body]]
    assert any("vvInv(" in ln for ln in instrumented), "seed 3 has an annotated loop"
    for n, ln in enumerate(instrumented, start=1):          # guards name their annotation
        if "vvInv(" in ln and "function vvInv" not in ln:
            for line in _guard_lines(ln):
                assert plain[line - 1].strip().startswith("/// @notice invariant"), (n, ln)


def _strip_invariant_guards(ln: str) -> str:
    import re
    return re.sub(r"vvInv\(.*?, \d+, i\d+\) && ", "", ln)


def _guard_lines(ln: str) -> list[int]:
    import re
    return [int(m) for m in re.findall(r", (\d+), i\d+\) && ", ln)]


@settings(derandomize=True, max_examples=25, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(contracts(n_functions=3))
def test_hypothesis_strategy_draws_well_formed_contracts(c: Contract) -> None:
    text = c.render()
    assert [f.name for f in c.functions] == ["f0", "f1", "f2"]
    assert text.count("{") == text.count("}")
    assert "vvInv" not in text


def test_generated_contracts_compile_for_the_evm(tmp_path: Path) -> None:
    """solc accepts what the generator writes (both texts; stack depth included)."""
    from vecverify.frontends.solidity.compiler import compile_files
    for seed in ("compile-a", "compile-b"):
        c = generate_contract(seed, 30)
        s = Session(c, str(tmp_path / seed))
        assert s.compile_evm(), s.result.error
        compile_files([s.vpath])                 # the verified text, as the verifier reads it
        assert not s.harness.unwrappable


# ---------------------------------------------------------------------------------------------
# The comparison


class _Diag:
    """Just what `judge_failure` reads of a Diagnostic."""

    def __init__(self, kind: str, line: int, column: int, status: str,
                 end: tuple[int, int] = (0, 0)) -> None:
        from vecverify.reports import Status
        self.kind, self.line, self.column, self.status = kind, line, column, Status(status)
        self.end_line, self.end_column = end
        self.message, self.counterexample = "m", None


def _tiny() -> Contract:
    f = Function("f0", [Param("a0", "uint256")], [
        Line("xs[a0] = 1;"),
        Line("uint256 l1 = 0;"),
        Block("for (uint256 i2 = 0; i2 < 3; i2++)", [Line("l1 += 2;")],
              annotations=["/// @notice invariant l1 == 3 * i2"],
              evm_head="for (uint256 i2 = 0; vvInv(l1 == 3 * i2, @@LINE-1@@, i2) && i2 < 3; "
                       "i2++)"),
    ])
    return Contract("G", [], [f], "tiny")


def test_a_proved_check_that_fails_on_the_evm_is_reported_unsound(tmp_path: Path) -> None:
    """The comparison catches a doctored verdict: `xs[a0]` and the loop invariant claimed
    proved, while the EVM fails both."""
    c = _tiny()
    s = Session(c, str(tmp_path))
    assert s.compile_evm(), s.result.error
    lines = s.vtext.split("\n")
    write = next(n for n, ln in enumerate(lines, 1) if "xs[a0] = 1;" in ln)
    inv = next(n for n, ln in enumerate(lines, 1) if "@notice invariant" in ln)
    run = {"args": [5], "storage": {"xs": [1, 2]}, "sender": 0xBEEF}
    key, failure = s.call("f0", run)
    assert key == "panic:index-out-of-bounds" and failure is not None
    assert (failure.line, failure.column) == (write, 9)
    proved = [_Diag("index-out-of-bounds", write, 9, "proved")]
    assert judge_failure(failure, proved)[0] == "unsound"
    assert judge_failure(failure, [_Diag("index-out-of-bounds", write, 9, "violated")])[0] == "ok"
    assert judge_failure(failure, [])[0] == "unsound"          # no check at all
    elsewhere = [_Diag("index-out-of-bounds", write - 1, 9, "violated")]
    assert judge_failure(failure, elsewhere)[0] == "unmatched"
    assert judge_failure(failure, elsewhere, (write - 2, write + 5))[0] == "unmatched"
    assert judge_failure(failure, elsewhere, (write + 1, write + 5))[0] == "unsound"
    key, failure = s.call("f0", {**run, "args": [0]})
    assert key == "invariant:loop-invariant-preserved" and failure.line == inv
    assert judge_failure(failure, [_Diag("loop-invariant-preserved", inv, 25, "proved")]
                         )[0] == "unsound"
    assert judge_failure(failure, [_Diag("loop-invariant-preserved", inv, 25, "unknown")]
                         )[0] == "ok"


def test_the_real_verifier_on_the_tiny_contract(tmp_path: Path) -> None:
    """End to end on a known answer: both failures are found by the verifier too."""
    result = run_contract(_tiny(), str(tmp_path), executions=6, timeout_s=5)
    assert not result.error, result.error
    assert not result.unsound, [f.reason for f in result.unsound]
    [fr] = result.functions
    assert fr.status == "verified" and fr.checks["violated"] >= 2
    assert fr.outcomes["panic:index-out-of-bounds"] + \
        fr.outcomes["invariant:loop-invariant-preserved"] >= 1


# ---------------------------------------------------------------------------------------------
# The differential run (bounded): 0 unsound findings, every violation replayed
#
# Contracts come from `seeded_contracts` (hypothesis draws the seed): hypothesis's first,
# simplest draws of the choice-by-choice `contracts()` strategy are degenerate contracts
# (every function `su = 0;`), while every seed gives a full random one.


@settings(derandomize=True, max_examples=2, deadline=None, database=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@given(seeded_contracts(n_functions=12, n_helpers=1, max_stmts=4))
def test_verdicts_agree_with_the_evm(tmp_path_factory: pytest.TempPathFactory,
                                     c: Contract) -> None:
    workdir = tmp_path_factory.mktemp("diff")
    result = run_contract(c, str(workdir), executions=4, timeout_s=1.5)
    assert not result.error, f"{result.error_kind}: {result.error}\n{c.render()}"
    assert sum(f.executions for f in result.functions) > 0
    assert not result.unsound, "\n\n".join(
        f"UNSOUND in {f.function}: {f.failure['describe']}; {f.reason}\n"
        f"checks: {json.dumps(f.checks)}\ncall: {f.failure['args']} from "
        f"{f.failure['sender']:#x}\nstorage: {json.dumps(f.failure['storage'])}\n{f.source}"
        for f in result.unsound)
    assert not result.unconfirmed_violations, json.dumps(result.unconfirmed_violations,
                                                         indent=1, default=str)


def test_random_runs_are_deterministic() -> None:
    f = generate_contract(1, 3).functions[0]
    assert random_runs(f, 5, "s") == random_runs(f, 5, "s")
