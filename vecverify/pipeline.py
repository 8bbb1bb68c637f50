"""The verification pipeline: source file -> procedures -> VCs -> SMT-LIB -> solver -> verdicts.

Plain functions with explicit inputs; the CLI is a thin layer on top.  Per-phase times are
collected in `Report.stats` for the benchmark script.
"""
from __future__ import annotations

import importlib
import os
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from vecverify.counterexample import validate
from vecverify.drivers import SolverResult, SolverTask, registry, run_tasks
from vecverify.encoders import Script, encode
from vecverify.errors import InputError, Span
from vecverify.ir import Loop, Procedure, UnsupportedFunction, substatements
from vecverify.options import Options
from vecverify.reports import Diagnostic, Report, Status
from vecverify.sources import read_source
from vecverify.terms import SeqSort, TermManager
from vecverify.vcgen import VC, generate

# file extension -> "module:function" of the frontend loader
FRONTENDS: dict[str, str] = {
    ".vec": "vecverify.frontends.vec.frontend:load",
    ".sol": "vecverify.frontends.solidity.frontend:load",
}

# (path, text, term manager, options, stats to add to) -> procedures and unsupported functions
Loader = Callable[[str, str, TermManager, Options, dict], list]

# file extension -> "module:function" that runs a counterexample concretely:
# (procedure, vc, validation, options) -> an object with .confirmed, .info, .reason
REPLAYERS: dict[str, str] = {
    ".sol": "vecverify.frontends.solidity.replay:confirm",
    ".vec": "vecverify.frontends.vec.replay:confirm",
}


def replayer_for(path: str) -> Callable[..., Any] | None:
    spec = REPLAYERS.get(os.path.splitext(path)[1])
    if spec is None:
        return None
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def frontend_for(path: str) -> Loader:
    ext = os.path.splitext(path)[1]
    if ext not in FRONTENDS:
        known = ", ".join(sorted(FRONTENDS))
        raise InputError(Span.point(path, 1, 1),
                         f"unsupported file type '{ext or path}' (supported: {known})",
                         "usage.file-type")
    module, func = FRONTENDS[ext].split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


SKIPPED_DIRS = frozenset({"node_modules", "lib", "out", "cache", "build", "dist"})


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for every .vec and .sol file under it (sorted;
    hidden folders, dependencies and build output, `SKIPPED_DIRS`, are left out)."""
    out: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            out.append(path)
            continue
        found = []
        for here, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
            found += [os.path.join(here, f) for f in sorted(files)
                      if os.path.splitext(f)[1] in FRONTENDS]
        if not found:
            raise InputError.in_file(path, f"no {' or '.join(sorted(FRONTENDS))} files in "
                                     "this directory")
        out += found
    return out


@dataclass
class Compiled:
    """What the front half of the pipeline produces for a set of files."""

    tm: TermManager
    vcs: list[VC]
    scripts: list[Script]
    unsupported: list[UnsupportedFunction]
    stats: dict[str, float]
    procedures: list[Procedure]


def compile_paths(paths: list[str], options: Options | None = None) -> Compiled:
    """Parse, type-check and lower every file, then generate and encode the VCs."""
    options = options or Options()
    tm = TermManager()
    stats: dict = {"parse_s": 0.0, "vcgen_s": 0.0, "encode_s": 0.0}
    procs: list[Procedure] = []
    unsupported: list[UnsupportedFunction] = []
    for path in expand_paths(paths):
        t0 = time.perf_counter()
        frontend_stats: dict = {}
        loaded = frontend_for(path)(path, read_source(path), tm, options, frontend_stats)
        stats["parse_s"] += time.perf_counter() - t0 - frontend_stats.get("solc_s", 0.0)
        for key, value in frontend_stats.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                stats[key] = stats.get(key, 0.0) + value
            else:
                stats[key] = value
        for item in loaded:
            (unsupported if isinstance(item, UnsupportedFunction) else procs).append(item)
    t0 = time.perf_counter()
    vcs = [vc for p in procs for vc in generate(tm, p)]
    stats["vcgen_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scripts = [encode(tm, vc) for vc in vcs]
    stats["encode_s"] = time.perf_counter() - t0
    return Compiled(tm, vcs, scripts, unsupported, stats, procs)


def verify_paths(paths: list[str], options: Options) -> Report:
    compiled = compile_paths(paths, options)
    factory = registry.factory(options.solver, options.combination, options.unsound_ok)
    t0 = time.perf_counter()
    tasks = [SolverTask(s.text(), s.probe_texts(), options.timeout_s, s.quantified,
                        s.boxed_text()) for s in compiled.scripts]
    results = solve_cached(tasks, factory, options)
    stats = dict(compiled.stats)
    stats["solve_s"] = time.perf_counter() - t0
    stats["solver_cpu_s"] = sum(r.time_s for r in results)
    if options.cache:
        stats["cache_hits"] = sum(bool(r.stats.get("cached")) for r in results)
        stats["cache_misses"] = len(results) - stats["cache_hits"]
    calculus = [r.stats for r in results if "iterations" in r.stats and not r.stats.get("cached")]
    if calculus:            # the Python procedure's counters, summed over the checks
        from vecverify.theories.combination import combination_totals
        stats["calculus_iterations"] = sum(c["iterations"] for c in calculus)
        stats["calculus_lemmas"] = sum(sum(c["lemmas"].values()) for c in calculus)
        stats["calculus_cvc5_s"] = sum(c["cvc5_s"] for c in calculus)
        stats["calculus_python_s"] = sum(c["python_s"] for c in calculus)
        stats.update(combination_totals([c.get("combination", {}) for c in calculus]))
    t0 = time.perf_counter()
    confirm = Confirmer(compiled, options, factory)
    judged = [(vc, judge(compiled.tm, vc, s, r, confirm))
              for vc, s, r in zip(compiled.vcs, compiled.scripts, results)]
    stats["replay_s"] = confirm.time_s
    stats["replays"] = confirm.runs
    diags = merge_duplicates(judged)
    diags += [unsupported_diagnostic(u) for u in compiled.unsupported]
    stats["validate_s"] = time.perf_counter() - t0
    diags.sort(key=lambda d: (d.file, d.line, d.column, d.kind))
    return Report(diags, stats)


def merge_duplicates(judged: list[tuple[VC, Diagnostic]]) -> list[Diagnostic]:
    """One verdict per source check: code that is lowered twice (the first iteration of a
    do-while, an inlined call) yields several VCs for the same check (same function, kind,
    span and message); the weakest verdict stands for all of them."""
    best: dict[tuple[object, ...], Diagnostic] = {}
    for vc, d in judged:
        key = (vc.procedure, vc.check.kind, vc.check.span, vc.check.message)
        old = best.get(key)
        if old is None or d.status.rank < old.status.rank:
            best[key] = d
    return list(best.values())


class Confirmer:
    """Replays every counterexample before it is shown (the EVM for Solidity): a model that
    does not run came from an abstraction (a loop cut by a weak invariant, a callee's
    contract), so a real one is searched for with the loops unrolled (`--unroll`); without
    one the check is unknown, and the reason names the abstraction."""

    def __init__(self, compiled: Compiled, options: Options, factory: Callable[[], Any]) -> None:
        self.compiled = compiled
        self.options = options
        self.factory = factory
        self.time_s = 0.0
        self.runs = 0
        self._unrolled: dict[int, list[VC]] = {}    # id(procedure) -> its unrolled VCs

    def unrolled(self, proc: Procedure) -> list[VC]:
        """The procedure's VCs with loops unrolled, generated once for all its checks."""
        if id(proc) not in self._unrolled:
            self._unrolled[id(proc)] = generate(self.compiled.tm, proc,
                                                unroll=self.options.unroll)
        return self._unrolled[id(proc)]

    def procedure(self, vc: VC) -> Procedure | None:
        return next((p for p in self.compiled.procedures if p.name == vc.procedure
                     and p.span.file == vc.check.span.file), None)

    def __call__(self, vc: VC, validation: Any) -> tuple[dict[str, Any] | None, str]:
        """The counterexample to show (with its `replay`), or None and why not."""
        proc = self.procedure(vc)
        replay = replayer_for(vc.check.span.file) if proc is not None else None
        if replay is None or proc is None:
            return validation.counterexample, ""
        t0 = time.perf_counter()
        try:
            self.runs += 1
            first = replay(proc, vc, validation, self.options)
            if first.confirmed:
                return {**validation.counterexample, "replay": first.info}, ""
            # a check that no run can show (nothing observes it) is not searched for
            if getattr(first, "final", False):
                return None, f"the solver's counterexample does not run: {first.reason}"
            found = self.search(proc, vc, validation, replay)
            if found is not None:
                return found, ""
            return None, (f"the solver's counterexample does not run: {first.reason}"
                          f"{abstractions(proc, self.options.unroll)}")
        finally:
            self.time_s += time.perf_counter() - t0

    def search(self, proc: Procedure, vc: VC, validation: Any, replay: Callable[..., Any]
               ) -> dict[str, Any] | None:
        """A counterexample that runs: other models of the same VC (each new one must differ
        from the last on the inputs; a model may lean on a value the language leaves
        unspecified), then models with every loop executed at most `unroll` times.  The
        search of one check gets `SEARCH_BUDGET` times the check's time limit in all."""
        deadline = time.monotonic() + SEARCH_BUDGET * self.options.timeout_s
        candidates: list[tuple[VC, Any]] = [(vc, validation)]
        if self.options.unroll > 0 and has_loop(proc.body):
            candidates += [(u, None) for u in self.unrolled(proc) if u.check == vc.check]
        for cand, last in candidates:
            for _ in range(RETRIES if cand is vc else 1):
                if last is not None:
                    block = self.blocking(cand, last.entry or {})
                    if block is None:
                        break
                    cand = replace(cand, formula=self.compiled.tm.and_(cand.formula, block))
                left = deadline - time.monotonic()
                if left < MIN_SOLVE_S:
                    return None
                last = self.model(cand, min(left, self.options.timeout_s))
                if last is None:
                    break
                self.runs += 1
                again = replay(proc, cand, last, self.options)
                if again.confirmed:
                    return {**last.counterexample, "replay": again.info}
        return None

    def model(self, vc: VC, timeout_s: float) -> Any:
        """A validated model of `vc`, or None."""
        tm = self.compiled.tm
        script = encode(tm, vc)
        task = SolverTask(script.text(), script.probe_texts(), timeout_s,
                          script.quantified, script.boxed_text())
        [result] = run_tasks([task], self.factory, 1, self.options.solver)
        if result.status != "sat":
            return None
        v = validate(tm, vc, script, result)
        return v if v.ok else None

    def blocking(self, vc: VC, entry: dict[Any, Any]) -> Any:
        """`not (inputs look like these)` over the entry values a model gave: vectors of the
        same lengths (a model that reads out of bounds needs other lengths, not other
        elements), or, without vectors, the same scalars; None if there is nothing to block."""
        tm = self.compiled.tm
        lengths, scalars = [], []
        for info, t in vc.at_entry:
            if info.role not in ("param", "mut_param", "storage") or info.term not in entry:
                continue
            v = entry[info.term]
            if isinstance(v, tuple) and isinstance(t.sort, SeqSort):
                lengths.append(tm.eq(tm.seq_len(t), tm.int(len(v))))
            elif isinstance(v, (bool, int)):
                scalars.append(tm.eq(t, tm.bool(v) if isinstance(v, bool) else tm.int(v)))
        same = lengths or scalars
        return tm.not_(tm.and_(*same)) if same else None


RETRIES = 3
SEARCH_BUDGET = 2.0     # the counterexample search's time, in multiples of --timeout
MIN_SOLVE_S = 0.1


def has_loop(stmt: Any) -> bool:
    return any(isinstance(s, Loop) for s in substatements(stmt))


def abstractions(proc: Procedure, unroll: int) -> str:
    """Where the procedure's VCs over-approximate: loops cut by their invariants."""
    lines = sorted({s.span.line for s in substatements(proc.body) if isinstance(s, Loop)})
    if not lines:
        return ""
    where = ", ".join(str(n) for n in lines)
    return (f"; no run was found with the loop{'s' if len(lines) > 1 else ''} at line "
            f"{where} unrolled {unroll} times: the model starts a loop from a state no run "
            "reaches; add or strengthen a loop invariant")


def judge(tm: TermManager, vc: VC, script: Script, result: SolverResult,
          confirm: Callable[[VC, Any], tuple[dict[str, Any] | None, str]] | None = None
          ) -> Diagnostic:
    """The verdict of one check: proved only on unsat, violated only with a checked model
    (and, with `confirm`, only with one that runs)."""
    check = vc.check
    span = check.span
    cex = None
    if result.stats.get("disagreement"):
        status, message = Status.DISAGREEMENT, f"{check.message}; {result.reason}"
    elif result.status == "unsat":
        status, message = Status.PROVED, check.obligation.success
    elif result.status == "sat":
        v = validate(tm, vc, script, result)
        why = ""
        if v.ok and confirm is not None:
            cex, why = confirm(vc, v)
        elif v.ok:
            cex = v.counterexample
        if v.ok and cex is not None:
            status, message = Status.VIOLATED, check.message
        elif v.ok:
            status, message = Status.UNKNOWN, f"{check.message}; {why}"
        else:
            status, message = Status.UNKNOWN, f"{check.message}; {v.reason}"
    else:
        status = Status.UNKNOWN
        message = f"{check.message}; the solver could not decide it: {result.reason}"
    return Diagnostic(span.file, span.line, span.column, span.end_line, span.end_column,
                      vc.procedure, check.kind, status, message, result.solver or "cvc5",
                      result.time_s, cex)


def solve_cached(tasks: list[SolverTask], factory: Callable[[], Any],
                 options: Options) -> list[SolverResult]:
    """`run_tasks`, except that definite answers come from and go to the result cache
    (`drivers/cache.py`) unless `options.cache` is off."""
    from vecverify.drivers.cache import ResultCache, default_path
    path = default_path() if options.cache else None
    if path is None:
        return run_tasks(tasks, factory, options.jobs, options.solver)
    cache = ResultCache(path)
    # a definite answer does not depend on the time limit it was found within
    settings = {"combination": options.combination, "unsound_ok": options.unsound_ok}
    keys = [cache.key(t, options.solver, settings) for t in tasks]
    found = cache.get_many(keys)
    todo = [n for n, k in enumerate(keys) if k not in found]
    fresh = run_tasks([tasks[n] for n in todo], factory, options.jobs, options.solver)
    cache.put_many([(keys[n], r) for n, r in zip(todo, fresh)])
    results: list[SolverResult] = [found[k] if k in found else None for k in keys]  # type: ignore[misc]
    for n, r in zip(todo, fresh):
        results[n] = r
    return results


def unsupported_diagnostic(u: UnsupportedFunction) -> Diagnostic:
    s = u.span
    return Diagnostic(s.file, s.line, s.column, s.end_line, s.end_column, u.name, "unsupported",
                      Status.UNSUPPORTED, u.construct, "", 0.0, None)
