"""Running a benchmark campaign: every problem of every suite with every solver, locally (the
worker pool: per-task time limits, a crashed solver costs its task) or on a Dask cluster.

A row per (suite, problem, solver):

- `result`: `solved` (every check-sat answered, or every check of a program decided, and
  nothing contradicts the expectation), `wrong` (a definite answer contradicting the expected
  one, or a verdict contradicting the program's annotations), `timeout`, or `unknown`;
- `answer`: the solver's answers (`sat`, `unsat`, `unknown`, several joined by `,`), or for a
  program `P proved/V violated/U unknown`;
- `expected`, `time_s` (solver time; a program's summed over its checks), `reason`.

The rows of a campaign are sorted, so a local run and a Dask run of the same campaign write
the same file except for the times.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from vecverify.drivers import SolverResult, SolverTask, run_tasks

from .suites import PROGRAM, Problem

COLUMNS = ("suite", "problem", "solver", "result", "answer", "expected", "time_s", "reason")


@dataclass
class Row:
    suite: str
    problem: str
    solver: str
    result: str
    answer: str
    expected: str
    time_s: float
    reason: str = ""

    def as_csv(self) -> dict[str, str]:
        d = asdict(self)
        d["time_s"] = f"{self.time_s:.4f}"
        return d


def _smt_tasks(problem: Problem, timeout_s: float) -> tuple[list[SolverTask], str]:
    """The problem's check-sats as tasks, or ([], reason) when it cannot be run."""
    from vecverify.errors import InputError
    from vecverify.theories.smtlib import read_file
    from vecverify.theories.smtlib.queries import queries
    try:
        script = read_file(problem.path)
    except InputError as exc:
        return [], exc.render()
    tasks = []
    for q in queries(script):
        if q.unsupported:
            return [], q.unsupported
        tasks.append(q.task(script, timeout_s))
    return tasks, "" if tasks else "no check-sat"


def _smt_row(problem: Problem, solver: str, results: list[SolverResult], reason: str) -> Row:
    if not results:
        return Row(problem.suite, problem.name, solver, "unknown", "unknown",
                   problem.expected, 0.0, reason)
    answers = [r.status for r in results]
    spent = sum(r.time_s for r in results)
    why = "; ".join(dict.fromkeys(r.reason for r in results if r.reason))
    if problem.expected and len(answers) == 1 and answers[0] in ("sat", "unsat") and \
            answers[0] != problem.expected:
        result = "wrong"
    elif all(a in ("sat", "unsat") for a in answers):
        result = "solved"
    elif any(r.reason.startswith("timeout") for r in results):
        result = "timeout"
    else:
        result = "unknown"
    return Row(problem.suite, problem.name, solver, result, ",".join(answers),
               problem.expected, spent, why)


def run_program(problem: Problem, solver: str, timeout_s: float, jobs: int = 1) -> Row:
    from vecverify.errors import InputError
    from vecverify.options import Options
    from vecverify.pipeline import verify_paths
    from vecverify.reports import Status

    from .expectations import expected_outcomes
    start = time.monotonic()
    try:
        report = verify_paths([problem.path], Options(timeout_s=timeout_s, jobs=jobs,
                                                      solver=solver, cache=False))
    except InputError as exc:
        return Row(problem.suite, problem.name, solver, "unknown", "error", problem.expected,
                   time.monotonic() - start, exc.render())
    want = expected_outcomes(problem.path)
    got = {(d.line, d.kind, d.status.value) for d in report.diagnostics
           if d.status is not Status.PROVED}
    violated_want = {(line, k) for line, k, s in want if s == "violated"}
    violated_got = {(d.line, d.kind) for d in report.diagnostics if d.status is Status.VIOLATED}
    # wrong: a violation nobody expected, or an expected one proved instead (a line may hold
    # several checks of one kind, so that is only wrong when none of them is violated)
    wrong = [d for d in report.diagnostics if
             (d.status is Status.VIOLATED and (d.line, d.kind) not in violated_want) or
             (d.status is Status.PROVED and (d.line, d.kind) in violated_want and
              (d.line, d.kind) not in violated_got) or
             d.status is Status.DISAGREEMENT]
    s = report.summary()
    answer = f"{s['proved']} proved/{s['violated']} violated/{s['unknown'] + s['unsupported']} unknown"
    spent = sum(d.time_s for d in report.diagnostics)
    undecided = [d for d in report.diagnostics
                 if d.status in (Status.UNKNOWN, Status.UNSUPPORTED)
                 and (d.line, d.kind, d.status.value) not in want]
    if wrong:
        result, why = "wrong", f"{wrong[0].kind} at line {wrong[0].line}: {wrong[0].status.value}"
    elif got == want:
        result, why = "solved", ""
    elif undecided:
        reasons = [d.message.rsplit("; ", 1)[-1] for d in undecided]
        result = "timeout" if any("timeout" in r for r in reasons) else "unknown"
        why = reasons[0]
    else:
        result, why = "unknown", "verdicts differ from the annotations"
    return Row(problem.suite, problem.name, solver, result, answer, problem.expected, spent, why)


def run_one(problem: Problem, solver: str, timeout_s: float) -> Row:
    """One problem with one solver, self-contained (what a Dask task runs)."""
    from vecverify.drivers.registry import factory
    if problem.kind == PROGRAM:
        return run_program(problem, solver, timeout_s)
    tasks, reason = _smt_tasks(problem, timeout_s)
    results = run_tasks(tasks, factory(solver), 1, solver) if tasks else []
    return _smt_row(problem, solver, results, reason)


def run_local(problems: list[Problem], solvers: list[str], timeout_s: float, jobs: int,
              tick: Callable[[], None] = lambda: None) -> list[Row]:
    """All SMT problems of a solver go through one pool of `jobs` workers; programs run one
    after the other, each with `jobs` workers for its checks."""
    from vecverify.drivers.registry import factory
    rows: list[Row] = []
    # read once, run once per solver
    prepared = [(p, *_smt_tasks(p, timeout_s)) for p in problems if p.kind != PROGRAM]
    flat = [(n, t) for n, (_, tasks, _) in enumerate(prepared) for t in tasks]
    for solver in solvers:
        left = {n: len(tasks) for n, (_, tasks, _) in enumerate(prepared)}
        for n, (_, tasks, _) in enumerate(prepared):
            if not tasks:
                tick()

        def done(i: int) -> None:
            n = flat[i][0]
            left[n] -= 1
            if left[n] == 0:
                tick()

        results = run_tasks([t for _, t in flat], factory(solver), jobs, solver, done)
        per: dict[int, list[SolverResult]] = {}
        for (n, _), r in zip(flat, results):
            per.setdefault(n, []).append(r)
        rows += [_smt_row(p, solver, per.get(n, []), reason)
                 for n, (p, _, reason) in enumerate(prepared)]
        for p in problems:
            if p.kind == PROGRAM:
                rows.append(run_program(p, solver, timeout_s, jobs))
                tick()
    return sort_rows(rows)


def run_dask(problems: list[Problem], solvers: list[str], timeout_s: float, jobs: int,
             scheduler: str | None, tick: Callable[[], None] = lambda: None) -> list[Row]:
    """The same campaign as Dask tasks, one per (problem, solver).  Without a scheduler
    address a local cluster of `jobs` worker processes is started.  Workers must be allowed
    to start processes (the solver of each task runs in a child, so a crash costs only that
    task): the local cluster is made so; a remote one needs
    `distributed.worker.daemon: false` in its Dask configuration."""
    import dask
    from distributed import Client, LocalCluster, as_completed
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        dask.config.set({"distributed.worker.daemon": False})
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {client.submit(run_one, p, s, timeout_s, pure=False, retries=1): (p, s)
                   for s in solvers for p in problems}
        rows = []
        for fut in as_completed(list(futures)):
            try:
                rows.append(fut.result())
            except Exception as exc:   # noqa: BLE001 - a lost worker costs only its task
                p, s = futures[fut]
                rows.append(Row(p.suite, p.name, s, "unknown", "unknown", p.expected, 0.0,
                                f"task failed on the cluster: {type(exc).__name__}: {exc}"))
            tick()
        return sort_rows(rows)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sort_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.suite, r.problem, r.solver))
