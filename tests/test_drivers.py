"""Solver drivers: a crash, hang or error costs one check; wrong models are never shown."""
from __future__ import annotations

import os
import time

from vecverify.drivers import SolverResult, SolverTask, pool, run_tasks
from vecverify.drivers.cvc5_api import Cvc5Solver
from vecverify.encoders import encode
from vecverify.pipeline import compile_paths, judge
from vecverify.reports import Status

from .test_cli import BUGGY

SAT = "(declare-fun x () Int)\n(assert (> x 3))\n(check-sat)\n"
UNSAT = "(declare-fun x () Int)\n(assert (and (> x 3) (< x 2)))\n(check-sat)\n"


class CrashOnSecond:
    name = "crashy"

    def check(self, task: SolverTask) -> SolverResult:
        if "crash" in task.smtlib:
            os._exit(7)
        return Cvc5Solver().check(task)


class Hangs:
    name = "hangs"

    def check(self, task: SolverTask) -> SolverResult:
        if "hang" in task.smtlib:
            time.sleep(3600)
        return Cvc5Solver().check(task)


class Portfolio:
    """Three attempts: the first crashes (`crash` in the script) or overruns its share many
    times over (`overrun`), the second answers."""
    name = "portfolio"

    def __init__(self) -> None:
        self.on_attempt = None

    def check(self, task: SolverTask) -> SolverResult:
        for k in range(task.first_attempt, 3):
            budget = 0.2
            if self.on_attempt is not None:
                self.on_attempt(k, f"a{k}", budget)
            if k == 0 and "crash" in task.smtlib:
                os.kill(os.getpid(), 11)
            if k == 0 and "overrun" in task.smtlib:
                time.sleep(60)
            if k == 1:
                return SolverResult("sat", "; ".join(task.notes), solver=self.name)
        return SolverResult("unknown", "none left", solver=self.name)


def test_a_crashed_or_overrunning_attempt_costs_only_that_attempt() -> None:
    start = time.monotonic()
    crash, overrun, fine = run_tasks(
        [SolverTask("; crash\n" + SAT, timeout_s=20), SolverTask("; overrun\n" + SAT,
                                                                  timeout_s=20),
         SolverTask(SAT, timeout_s=20)], Portfolio, jobs=2, solver_name="portfolio")
    assert crash.status == "sat" and crash.reason == "attempt a0 crashed (exit code -11)"
    assert overrun.status == "sat" and overrun.reason == "attempt a0 overran its time share; killed"
    assert fine.status == "sat" and fine.reason == ""
    assert time.monotonic() - start < 15     # the overrun was stopped near its share (0.2 s)


def test_cvc5_goes_on_after_an_attempt_that_crashes_cvc5(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """cvc5 1.4.2 dies (SIGFPE) in its mbqi + seq-array attempt on this VC (found by fuzzing);
    the attempts after it still run, and one of them finds a model."""
    from vecverify.drivers.cvc5_api import QUANTIFIED_PLAN
    from vecverify.options import Options
    path = tmp_path / "crash.vec"
    path.write_text("fn f(xs: vec<u8>) -> (r: int) requires len(xs) > 0 "
                    "ensures xs[xs[0]] >= 0 { r := 0; }\n")
    compiled = compile_paths([str(path)], Options())
    [script] = compiled.scripts
    assert script.quantified
    crashing = [a.label for a in QUANTIFIED_PLAN].index("mbqi-ext-models")
    task = SolverTask(script.text(), script.probe_texts(), 10, True, script.boxed_text(),
                      first_attempt=crashing)
    [result] = run_tasks([task], Cvc5Solver)
    assert result.status == "sat", result.reason


def test_cvc5_answers_sat_with_model_and_unsat() -> None:
    sat, unsat = run_tasks([SolverTask(SAT), SolverTask(UNSAT)], Cvc5Solver, jobs=2)
    assert sat.status == "sat" and sat.model["x"] > 3
    assert unsat.status == "unsat"


def test_a_crashing_solver_costs_only_its_task() -> None:
    tasks = [SolverTask(SAT), SolverTask("; crash\n" + SAT), SolverTask(UNSAT)]
    results = run_tasks(tasks, CrashOnSecond, jobs=1, solver_name="crashy")
    assert [r.status for r in results] == ["sat", "unknown", "unsat"]
    assert "crashed (exit code 7)" in results[1].reason


def test_a_hanging_solver_is_killed_after_its_deadline(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pool, "GRACE_S", 0.5)
    start = time.monotonic()
    results = run_tasks([SolverTask("; hang\n" + SAT, timeout_s=0.5), SolverTask(UNSAT)],
                        Hangs, jobs=2)
    assert results[0].status == "unknown" and "killed" in results[0].reason
    assert results[1].status == "unsat"
    assert time.monotonic() - start < 30


def test_malformed_smtlib_is_a_solver_error_not_a_crash() -> None:
    [r] = run_tasks([SolverTask("(assert (+ 1")], Cvc5Solver)
    assert r.status == "unknown" and r.reason.startswith("solver error")


def test_a_model_that_does_not_violate_the_check_is_reported_unknown() -> None:
    compiled = compile_paths([str(BUGGY / "max.vec")])
    vc, script = compiled.vcs[0], compiled.scripts[0]
    assert vc.check.kind == "index-out-of-bounds"
    honest = run_tasks([SolverTask(script.text(), script.probe_texts())], Cvc5Solver)[0]
    assert judge(compiled.tm, vc, script, honest).status is Status.VIOLATED
    # the same answer with a model where the vector is long enough: the read is in bounds
    lying = SolverResult("sat", model={k: ((5, 6, 7) if isinstance(v, tuple) else v)
                                       for k, v in honest.model.items()},
                         probes=honest.probes, solver="liar")
    d = judge(compiled.tm, vc, script, lying)
    assert d.status is Status.UNKNOWN and d.counterexample is None
    assert "does not violate the check" in d.message


def test_boxed_encoding_is_emitted_for_vector_vcs() -> None:
    compiled = compile_paths([str(BUGGY / "max.vec")])
    text = compiled.scripts[0].boxed_text()
    assert "(declare-sort Box!Int 0)" in text and "(Seq Box!Int)" in text
    assert "(Seq Int)" not in text
    assert encode(compiled.tm, compiled.vcs[0]).text() == compiled.scripts[0].text()
