"""Runs solver tasks in worker processes so that a crash, hang or error costs one check only.

Each worker runs one task at a time over a pipe; the parent knows which task every worker holds,
kills a worker that overruns its task's deadline (timeout + grace) and starts a new one.  A task
whose worker died, hung or raised becomes `unknown` with the reason.

A portfolio solver (cvc5) tells the parent which attempt it starts and with what share of the
time (`base.AttemptHook`).  Then a crash costs only that attempt, and so does an attempt that
overruns its share (cvc5 ignores its time limit while it builds a model): the worker is
killed and the task is resumed in a new one at the next attempt, within the time left.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
import traceback
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable

from .base import SolverResult, SolverTask

GRACE_S = 5.0
ATTEMPT_GRACE_S = 0.5       # an attempt may overrun its share by 25 % plus this, then killed

SolverFactory = Callable[[], object]


def _worker(conn: Connection, factory: SolverFactory) -> None:
    # cvc5 writes warnings straight to file descriptor 2; they would garble our output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    solver = factory()
    if hasattr(solver, "on_attempt"):
        solver.on_attempt = lambda k, label, budget: conn.send(("attempt", k, label, budget))
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        index, task = item
        try:
            result = solver.check(task)  # type: ignore[attr-defined]
        except Exception as exc:  # a solver error is a result, not a crash of the run
            detail = str(exc).strip().splitlines()
            result = SolverResult("unknown", f"solver error: {detail[0] if detail else exc!r}",
                                  solver=getattr(solver, "name", "?"))
            traceback.clear_frames(exc.__traceback__)
        conn.send((index, result))


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, factory: SolverFactory) -> None:
        parent, child = ctx.Pipe()
        self.conn = parent
        self.proc = ctx.Process(target=_worker, args=(child, factory), daemon=True)  # type: ignore[attr-defined]
        self.proc.start()
        child.close()
        self.index: int | None = None
        self.task: SolverTask | None = None
        self.deadline = 0.0
        self.started = 0.0
        self.attempt: tuple[int, str] | None = None     # (k, label) of the running attempt
        self.attempt_deadline = float("inf")

    def give(self, index: int, task: SolverTask) -> None:
        self.index, self.task = index, task
        self.started = time.monotonic()
        self.deadline = self.started + task.timeout_s + GRACE_S
        self.attempt, self.attempt_deadline = None, float("inf")
        self.conn.send((index, task))

    def next_deadline(self) -> float:
        return min(self.deadline, self.attempt_deadline)

    def resumed(self, why: str, now: float) -> SolverTask | None:
        """The task to run in a new worker after the running attempt crashed or overran:
        from the next attempt, within the time left; None if nothing is left to try."""
        if self.task is None or self.attempt is None:
            return None
        left = self.started + self.task.timeout_s - now
        if left <= 0.1:
            return None
        k, label = self.attempt
        return replace(self.task, first_attempt=k + 1, timeout_s=left,
                       notes=self.task.notes + (f"attempt {label} {why}",))

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


def _start_method() -> str:
    """`fork` (fast) from the main thread; from any other thread (the language server verifies
    in worker threads) `forkserver`, because a child forked while other threads hold locks
    can deadlock before it runs a single task."""
    methods = mp.get_all_start_methods()
    if threading.current_thread() is threading.main_thread() and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def run_tasks(tasks: Iterable[SolverTask], factory: SolverFactory, jobs: int = 1,
              solver_name: str = "cvc5",
              on_result: Callable[[int], None] | None = None) -> list[SolverResult]:
    """Results in task order; never raises because of what a solver did.  `on_result(i)` is
    called as task i finishes (progress bars)."""
    pending = list(enumerate(tasks))
    results: dict[int, SolverResult] = {}
    if not pending:
        return []
    ctx = mp.get_context(_start_method())
    workers = [_Worker(ctx, factory) for _ in range(max(1, min(jobs, len(pending))))]
    queue = list(reversed(pending))
    try:
        while len(results) < len(pending):
            for i, w in enumerate(workers):
                if w.index is None and queue:
                    idx, task = queue.pop()
                    try:
                        w.give(idx, task)
                    except (BrokenPipeError, OSError):
                        w.kill()
                        workers[i] = w = _Worker(ctx, factory)
                        w.give(idx, task)
            busy = [w for w in workers if w.index is not None]
            now = time.monotonic()
            timeout = max(0.0, min(w.next_deadline() for w in busy) - now)
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.index is None:
                    continue
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                        if msg[0] == "attempt":
                            _, k, label, budget = msg
                            w.attempt = (k, label)
                            w.attempt_deadline = now + budget * 1.25 + ATTEMPT_GRACE_S
                            continue
                        idx, res = msg
                        results[idx] = res
                        w.index = None
                        if on_result is not None:
                            on_result(idx)
                        continue
                    except (EOFError, OSError):
                        pass
                dead = not w.proc.is_alive()
                overran = now >= w.attempt_deadline
                if dead or overran or now >= w.deadline:
                    code = w.proc.exitcode
                    elapsed = now - w.started
                    why = (f"crashed (exit code {code})" if dead
                           else "overran its time share; killed")
                    again = w.resumed(why, now) if (dead or overran) else None
                    if again is not None:
                        queue.append((w.index, again))
                    else:
                        reason = (f"solver crashed (exit code {code})" if dead
                                  else "timeout (solver did not stop; killed)")
                        results[w.index] = SolverResult("unknown", reason, time_s=elapsed,
                                                        solver=solver_name)
                        if on_result is not None:
                            on_result(w.index)
                    w.kill()
                    workers[i] = _Worker(ctx, factory)
    finally:
        for w in workers:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            w.proc.join(timeout=1)
            w.kill()
    return [results[i] for i in range(len(pending))]
