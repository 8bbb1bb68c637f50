"""The verification pipeline: source file -> procedures -> VCs -> SMT-LIB -> solver -> verdicts.

Plain functions with explicit inputs; the CLI is a thin layer on top.  Per-phase times are
collected in `Report.stats` for the benchmark script.
"""
from __future__ import annotations

import importlib
import os
import time
from dataclasses import dataclass
from typing import Any, Callable

from vecverify.counterexample import validate
from vecverify.drivers import SolverResult, SolverTask, run_tasks
from vecverify.drivers import registry
from vecverify.encoders import Script, encode
from vecverify.errors import InputError, Span
from vecverify.ir import Procedure, UnsupportedFunction
from vecverify.options import Options
from vecverify.reports import Diagnostic, Report, Status
from vecverify.terms import TermManager
from vecverify.vcgen import VC, generate

# file extension -> "module:function" of the frontend loader
FRONTENDS: dict[str, str] = {
    ".vec": "vecverify.frontends.vec.frontend:load",
    ".sol": "vecverify.frontends.solidity.frontend:load",
}

# (path, text, term manager, options, stats to add to) -> procedures and unsupported functions
Loader = Callable[[str, str, TermManager, Options, dict], list]


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
            raise InputError(None, f"{path}: no {' or '.join(sorted(FRONTENDS))} files in "
                             "this directory", "usage.file")
        out += found
    return out


def read_source(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(None, f"{path}: no such file", "usage.file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(None, f"{path}: cannot read: {exc}", "usage.file") from None


@dataclass
class Compiled:
    """What the front half of the pipeline produces for a set of files."""

    tm: TermManager
    vcs: list[VC]
    scripts: list[Script]
    unsupported: list[UnsupportedFunction]
    stats: dict[str, float]


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
    return Compiled(tm, vcs, scripts, unsupported, stats)


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
    judged = [(vc, judge(compiled.tm, vc, s, r))
              for vc, s, r in zip(compiled.vcs, compiled.scripts, results)]
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


def judge(tm: TermManager, vc: VC, script: Script, result: SolverResult) -> Diagnostic:
    """The verdict of one check: proved only on unsat, violated only with a checked model."""
    check = vc.check
    span = check.span
    cex = None
    if result.stats.get("disagreement"):
        status, message = Status.DISAGREEMENT, f"{check.message}; {result.reason}"
    elif result.status == "unsat":
        status, message = Status.PROVED, check.obligation.success
    elif result.status == "sat":
        v = validate(tm, vc, script, result)
        if v.ok:
            status, message, cex = Status.VIOLATED, check.message, v.counterexample
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
