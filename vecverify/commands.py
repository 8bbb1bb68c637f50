"""The CLI's commands as plain functions: (arguments, options, out, err) -> exit code.

Exit codes: 0 every check proved, 1 some check violated, 2 none violated but some unknown or
unsupported, 3 input or usage error (printed as `file:line:col: error: message`),
4 internal error.
"""
from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from vecverify.errors import InputError
from vecverify.limits import deep_call
from vecverify.obligations import REGISTRY
from vecverify.options import Options
from vecverify.pipeline import compile_paths, verify_paths
from vecverify.reports import render_json, render_sarif, render_text

EXIT_PROVED, EXIT_VIOLATED, EXIT_UNKNOWN, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


def verify(paths: list[str], options: Options, fmt: str, out: TextIO, err: TextIO,
           verbose: bool = False, stats: bool = False) -> int:
    try:
        report = deep_call(lambda: verify_paths(paths, options))
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    if fmt == "json":
        out.write(render_json(report))
    elif fmt == "sarif":
        out.write(render_sarif(report))
    else:
        out.write(render_text(report, verbose))
    if stats:
        err.write("stats: " + ", ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
            for k, v in report.stats.items()) + "\n")
    return report.exit_code()


def smt2(paths: list[str], outdir: str | None, out: TextIO, err: TextIO,
         options: Options | None = None) -> int:
    """Write the SMT-LIB script of every VC (one file per check in `outdir`, else stdout)."""
    try:
        compiled = deep_call(lambda: compile_paths(paths, options))
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    if outdir:
        os.makedirs(outdir, exist_ok=True)
    for n, (vc, script) in enumerate(zip(compiled.vcs, compiled.scripts)):
        if outdir:
            name = f"{n:03d}_{vc.procedure}_{vc.check.kind}_L{vc.check.span.line}.smt2"
            with open(os.path.join(outdir, name), "w", encoding="utf-8") as fh:
                fh.write(script.text())
            out.write(os.path.join(outdir, name) + "\n")
        else:
            out.write(script.text())
            out.write("(reset)\n")
    return 0


def bench(suites: list[str], solvers: list[str], jobs: int, timeout: float, out_csv: str,
          baseline: str | None, plot_dir: str | None, executor: str, scheduler: str | None,
          out: TextIO, err: TextIO) -> int:
    """`vecverify bench`: see the command's help; returns 1 on a regression."""
    from vecverify.bench import report as rep
    from vecverify.bench.runner import run_dask, run_local
    from vecverify.bench.suites import load_suite
    from vecverify.drivers.registry import factory
    try:
        for s in solvers:
            factory(s)
        problems = [p for folder in suites for p in load_suite(folder)]
        old = rep.read_csv(baseline) if baseline else None
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    except (OSError, KeyError, ValueError) as exc:
        err.write(f"{baseline}: error: not a results file of vecverify bench ({exc})\n")
        return EXIT_INPUT
    try:
        from rich.console import Console
        from rich.progress import Progress
    except ImportError:
        err.write("error: vecverify bench needs rich (pip install 'vecverify[bench]')\n")
        return EXIT_INPUT
    console = Console(file=out, width=None if out.isatty() else 132)
    total = len(problems) * len(solvers)
    with Progress(console=Console(file=err), transient=True) as progress:
        bar = progress.add_task("solving", total=total)

        def tick() -> None:
            progress.advance(bar)

        if executor == "dask":
            try:
                rows = run_dask(problems, solvers, timeout, jobs, scheduler, tick)
            except ImportError as exc:
                err.write(f"error: --executor dask needs dask.distributed ({exc}); "
                          "pip install 'vecverify[cluster]'\n")
                return EXIT_INPUT
        else:
            rows = run_local(problems, solvers, timeout, jobs, tick)
    rep.write_csv(rows, out_csv)
    console.print(rep.render_summary(rows))
    out.write(f"results: {out_csv}\n")
    code = 0
    if old is not None:
        cmp = rep.compare(rows, old)
        for title, items in (("regressions", cmp.regressions),
                             ("improvements", cmp.improvements)):
            out.write(f"{title} against {baseline}: {len(items)}\n")
            out.writelines(f"  {line}\n" for line in items)
        code = 1 if cmp.regressions else 0
    if plot_dir:
        try:
            from vecverify.bench.plots import write_plots
        except ImportError:
            err.write("error: --plot needs matplotlib (pip install 'vecverify[bench]')\n")
            return EXIT_INPUT
        for path in write_plots(rows, plot_dir, timeout, old):
            out.write(f"plot: {path}\n")
    return code


def cache_clear(out: TextIO) -> int:
    from vecverify.drivers.cache import ResultCache, default_path
    path = default_path()
    if path is None:
        out.write("the result cache is off ($VECVERIFY_RESULT_CACHE=off)\n")
        return 0
    n = ResultCache(path).clear()
    out.write(f"removed {n} cached result{'s' if n != 1 else ''} from {path}\n")
    return 0


def init_vscode(directory: str, force: bool, to_stdout: bool, out: TextIO,
                err: TextIO) -> int:
    """`vecverify init vscode`: the tasks file, written (or printed)."""
    import json

    from vecverify.editor import vscode_tasks, write_vscode_tasks
    if to_stdout:
        out.write(json.dumps(vscode_tasks(), indent=2) + "\n")
        return 0
    try:
        path = write_vscode_tasks(directory, force)
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    out.write(f"wrote {path}: run the tasks with Terminal > Run Task... > vecverify\n")
    return 0


def doctor(out: TextIO, err: TextIO, file: str | None = None,
           solc_path: str | None = None) -> int:
    """Report the environment vecverify runs in and how it would find a Solidity compiler
    (for FILE: honouring its `pragma solidity`).  Informational: always exits 0."""
    import platform
    import shutil
    import subprocess

    from vecverify import installed_version as version_of
    from vecverify.frontends.solidity.compiler import discovery_report

    def tool(name: str) -> str:
        path = shutil.which(name)
        if path is None:
            return "not found"
        try:
            proc = subprocess.run([path, "--version"], capture_output=True, text=True,
                                  timeout=20, stdin=subprocess.DEVNULL)
            said = (proc.stdout.strip().splitlines() or ["?"])[0]
        except (OSError, subprocess.SubprocessError) as exc:
            said = f"does not run: {exc}"
        return f"{said} ({path})"

    rows = [("vecverify", version_of("vecverify")),
            ("python", f"{platform.python_version()} ({sys.executable})"),
            ("cvc5", version_of("cvc5")),
            ("node", tool("node")),
            ("npm", tool("npm")),
            ("solc-select", tool("solc-select"))]
    for name, value in rows:
        out.write(f"{name + ':':14} {value}\n")
    out.write("Solidity compiler" + (f" for {file}" if file else "") + ":\n")
    for step, result in discovery_report(file, solc_path):
        out.write(f"  {step + (':' if step else ''):20} {result}\n")
    return 0


def list_checks(out: TextIO) -> int:
    for kind, cls in sorted(REGISTRY.items()):
        out.write(f"{kind:26} {cls.short}\n")
    return 0


def smt(path: str, solver: str, timeout: float, out: TextIO, err: TextIO,
        stats: bool = False, combination: str | None = None, unsound_ok: bool = False,
        fmt: str = "text") -> int:
    """Answer an SMT-LIB script like a solver: `sat`/`unsat`/`unknown` per check-sat (push/pop
    respected), models for `get-model`/`get-value`.  Exit 0 whatever the answers, 1 when the
    solvers of `--solver cross` disagree on some check-sat, 3 on malformed input or a bad
    option.  (Run through `deep_call`, with the output held back until the end, so that a
    deeply nested script that needs the large stack is answered once.)"""
    import io

    def run() -> tuple[int, str, str]:
        o, e = io.StringIO(), io.StringIO()
        code = _smt(path, solver, timeout, o, e, stats, combination, unsound_ok, fmt)
        return code, o.getvalue(), e.getvalue()

    code, text, errors = deep_call(run)
    out.write(text)
    err.write(errors)
    return code


def _smt(path: str, solver: str, timeout: float, out: TextIO, err: TextIO, stats: bool,
         combination: str | None, unsound_ok: bool, fmt: str) -> int:
    import time

    from vecverify.drivers import SolverResult, run_tasks
    from vecverify.drivers.registry import factory
    from vecverify.theories.smtlib import read_file
    from vecverify.theories.smtlib.queries import queries

    try:
        make = factory(solver, combination, unsound_ok)
        script = read_file(path)
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    checks = queries(script)
    tasks, where = [], []
    for k, query in enumerate(checks):
        if not query.unsupported:
            tasks.append(query.task(script, timeout))
            where.append(k)
    results: list[SolverResult] = [SolverResult("unknown", q.unsupported, solver=solver)
                                   for q in checks]
    started = time.monotonic()
    for k, res in zip(where, run_tasks(tasks, make, jobs=1, solver_name=solver)):
        results[k] = res
    wall = time.monotonic() - started

    if fmt == "sarif":
        return _smt_sarif(path, script, results, out)
    n_check, code = -1, 0
    last: SolverResult | None = None
    for cmd in script.commands:
        if cmd.kind == "check-sat":
            n_check += 1
            last = results[n_check]
            out.write(last.status + "\n")
            if last.stats.get("disagreement"):
                err.write(f"{cmd.span}: error: {last.reason}\n")
                code = 1
            elif last.status == "unknown":
                err.write(f"{cmd.span}: note: unknown: {last.reason or 'no reason given'}\n")
            elif last.status == "sat" and last.stats.get("combination", {}).get("unsound"):
                err.write(f"{cmd.span}: warning: sat under --combination no --unsound-ok, "
                          "which assumes infinitely many elements of "
                          f"{', '.join(last.stats['combination']['unsound'])}: the answer "
                          "may be wrong\n")
            elif script.status in ("sat", "unsat") and last.status != script.status:
                err.write(f"{cmd.span}: note: answer {last.status} differs from the script's "
                          f"(set-info :status {script.status})\n")
            if stats:
                err.write(f"stats: check-sat {n_check + 1} (line {cmd.span.line}): "
                          f"{last.status} in {last.time_s:.3f}s{_solver_stats(last.stats)}\n")
        elif cmd.kind == "get-model":
            out.write(_smt_model(last, list(checks[n_check].declared) if n_check >= 0 else [])
                      + "\n")
        elif cmd.kind == "get-value":
            got = dict(zip(checks[n_check].probes, last.probes)) if last is not None else {}
            out.write(_smt_values(last, cmd, got) + "\n")
        elif cmd.kind == "get-info":
            if cmd.name == ":reason-unknown" and last is not None and last.status == "unknown":
                reason = (last.reason or "unknown").replace('"', '""')
                out.write(f'(:reason-unknown "{reason}")\n')
            elif cmd.name == ":status":
                out.write(f"(:status {script.status or 'unknown'})\n")
            else:
                out.write("unsupported\n")
        elif cmd.kind == "echo":
            out.write(cmd.value[1:-1].replace('""', '"') + "\n")
        elif cmd.kind == "unsupported" and not cmd.name.startswith(("declare", "define")):
            out.write("unsupported\n")
        elif cmd.kind == "exit":
            break
    if stats:
        err.write(f"stats: {len(checks)} check-sat, {len(tasks)} solved, "
                  f"solver wall time {wall:.3f}s\n")
    return code


def _smt_sarif(path: str, script: Any, results: list, out: TextIO) -> int:
    """`smt --format sarif`: one result per check-sat instead of the solver-style output."""
    from vecverify.reports.sarif import render_smt_sarif
    answers, code, n = [], 0, 0
    for cmd in script.commands:
        if cmd.kind != "check-sat":
            continue
        r = results[n]
        n += 1
        if r.stats.get("disagreement"):
            answers.append((cmd.span, r.status, "fail", r.reason))
            code = 1
        elif r.status == "unknown":
            answers.append((cmd.span, r.status, "open",
                            f"unknown: {r.reason or 'no reason given'}"))
        elif script.status in ("sat", "unsat") and r.status != script.status:
            answers.append((cmd.span, r.status, "fail", f"answer {r.status} differs from the "
                            f"script's (set-info :status {script.status})"))
        else:
            answers.append((cmd.span, r.status, "pass", r.status))
    out.write(render_smt_sarif(path, answers))
    return code


def _solver_stats(stats: dict) -> str:
    """The Python procedure's counters, as `--stats` shows them."""
    if "iterations" not in stats:
        return ""
    lemmas = stats.get("lemmas", {})
    rules = ", ".join(f"{k} {v}" for k, v in lemmas.items()) or "none"
    extra = f"; cvc5 says {stats['cvc5']}, python says {stats['python']}" if "cvc5" in stats else ""
    comb = ""
    if stats.get("combination"):
        from vecverify.theories.combination import render
        comb = "; " + render(stats["combination"])
    return (f"; iterations {stats['iterations']}, lemmas {sum(lemmas.values())} ({rules}), "
            f"sequence terms {stats.get('terms', 0)}, time in cvc5 {stats['cvc5_s']:.3f}s, "
            f"in Python {stats['python_s']:.3f}s{comb}{extra}")


def _smt_error(message: str) -> str:
    return '(error "' + message.replace('"', '""') + '")'


def _smt_model(result, declared: list) -> str:
    from vecverify.terms.evaluate import Evaluator
    from vecverify.terms.printer import smt_symbol
    from vecverify.theories.smtlib.encode import value_smtlib

    if result is None or result.status != "sat":
        return _smt_error("no model: the last check-sat did not answer sat")
    ev = Evaluator(result.model, domains=result.domains)
    lines = ["(model"]
    for c in declared:
        try:
            text = value_smtlib(ev.value(c), c.sort)
        except Exception as exc:  # NotEvaluable, an open value: leave it out, say why
            lines.append(f"  ; {c.name}: no value ({exc})")
            continue
        lines.append(f"  (define-fun {smt_symbol(c.name)} () {c.sort.smt()} {text})")
    return "\n".join(lines) + "\n)"


def _smt_values(result, cmd, solved: dict) -> str:
    """`solved`: the values the solver gave the terms in its model (probes); the others are
    evaluated on the model's constants."""
    from vecverify.terms.evaluate import Evaluator
    from vecverify.theories.smtlib.encode import value_smtlib

    if cmd.unsupported is not None:
        return _smt_error(cmd.unsupported.reason)
    if result is None or result.status != "sat":
        return _smt_error("no model: the last check-sat did not answer sat")
    ev = Evaluator(result.model, domains=result.domains)
    pairs = []
    for text, term in zip(cmd.texts, cmd.terms):
        try:
            value = solved.get(term)
            if value is None:
                value = ev.value(term)
            pairs.append(f"({text} {value_smtlib(value, term.sort)})")
        except Exception as exc:  # noqa: BLE001 - not evaluable on this model
            return _smt_error(f"cannot evaluate {text} on the model: {exc}")
    return "(" + " ".join(pairs) + ")"
