"""The `vecverify` command line: a thin click layer over `vecverify.commands`."""
from __future__ import annotations

import os
import sys
import traceback
from typing import Callable

import click

from vecverify import commands
from vecverify.limits import allow_long_integers
from vecverify.options import Options

EXIT_HELP = """
\b
Exit codes:
  0  every check proved
  1  some check violated (a validated counterexample is shown)
  2  nothing violated, but some check unknown (timeout, solver gave up) or unsupported
  3  input or usage error (syntax, type, unsupported file, bad option)
  4  internal error of vecverify (a bug: please report it), or the two solvers of
     --solver cross disagree on some check
"""


def solver_options(f: Callable[..., None]) -> Callable[..., None]:
    """--solver, --calculus, --combination and --unsound-ok, shared by `verify` and `smt`."""
    f = click.option(
        "--unsound-ok", is_flag=True,
        help="Let --combination no run on finite element sorts (Bool, small bit-vectors), "
             "where its answers can be wrong.")(f)
    f = click.option(
        "--combination", type=click.Choice(["no", "polite", "hybrid"]), default=None,
        help="How the Python procedure combines sequences with the element theory: hybrid "
             "(default: arranges shared variables of stably infinite element sorts and every "
             "witnessed variable of finite ones), polite (every witnessed variable of every "
             "sort), no (Nelson-Oppen: shared variables only; refused on finite element "
             "sorts without --unsound-ok).")(f)
    f = click.option(
        "--calculus", type=click.Choice(["ext", "base"]), default="ext", show_default=True,
        help="The Python procedure's calculus: ext (array-style rules for nth/update) or base "
             "(everything reduced to concatenation).")(f)
    return click.option(
        "--solver", type=click.Choice(["cvc5", "python", "cross"]), default="cvc5",
        show_default=True,
        help="cvc5; python: vecverify's own sequence calculus refining a cvc5-decided "
             "abstraction; cross: both on every check (the time limit is shared), a "
             "disagreement is an error.")(f)


def solver_name(solver: str, calculus: str) -> str:
    """The registry name of a (--solver, --calculus) choice."""
    return f"{solver}-base" if solver != "cvc5" and calculus == "base" else solver


def solidity_options(f: Callable[..., None]) -> Callable[..., None]:
    """The options that tell solc where to find the compiler and imported files."""
    f = click.option("--include-path", "include_paths", multiple=True, metavar="DIR",
                     help="Solidity: extra directory to look up imports in (repeatable).")(f)
    f = click.option("--base-path", default=None, metavar="DIR",
                     help="Solidity: root for import paths (default: the project root).")(f)
    return click.option("--solc", default=None, metavar="PATH",
                        help="Solidity: use this compiler (else $VECVERIFY_SOLC, solc-select, "
                             "solc on PATH, solcjs).")(f)


@click.group(epilog=EXIT_HELP)
@click.version_option(package_name="vecverify")
def cli() -> None:
    """vecverify: prove vector (dynamic array) programs correct over the SMT theory of
    sequences, or show a concrete counterexample."""


@cli.command(epilog=EXIT_HELP)
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True, help="Output format: gcc-style lines, the JSON document, or "
                                      "SARIF 2.1.0 for code scanning.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Solver time limit per check, in seconds.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Check VCs in this many parallel solver processes.")
@solver_options
@click.option("--watch", is_flag=True,
              help="Keep running: re-verify when a file changes and print only the checks "
                   "whose verdict changed (Ctrl-C stops).")
@click.option("--no-cache", is_flag=True,
              help="Neither reuse nor store solver results (see `vecverify cache`).")
@click.option("--unroll", type=click.IntRange(min=0), default=3, show_default=True,
              help="When a counterexample does not replay, search for one that does with "
                   "every loop run at most this many times.")
@click.option("-v", "--verbose", is_flag=True, help="Also list proved checks (text format).")
@click.option("--stats", is_flag=True, help="Print time per phase to stderr.")
@solidity_options
def verify(files: tuple[str, ...], fmt: str, timeout: float, jobs: int, solver: str,
           calculus: str, combination: str | None, unsound_ok: bool, watch: bool,
           no_cache: bool, unroll: int,
           verbose: bool, stats: bool, solc: str | None, base_path: str | None,
           include_paths: tuple[str, ...]) -> None:
    """Verify every check of FILES (.vec programs, .sol contracts) and report each one that
    is not proved."""
    options = Options(timeout_s=timeout, jobs=jobs, solver=solver_name(solver, calculus),
                      solc=solc, base_path=base_path, include_paths=include_paths,
                      combination=combination, unsound_ok=unsound_ok, cache=not no_cache,
                      unroll=unroll)
    if watch:
        from vecverify.watch import watch as watch_files
        sys.exit(watch_files(list(files), options, sys.stdout, sys.stderr))
    sys.exit(commands.verify(list(files), options, fmt, sys.stdout, sys.stderr, verbose, stats))


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out-dir", default=None, help="Write one .smt2 file per check here.")
@solidity_options
def smt2(files: tuple[str, ...], out_dir: str | None, solc: str | None, base_path: str | None,
         include_paths: tuple[str, ...]) -> None:
    """Write the SMT-LIB 2.6 script of each verification condition (stdout by default)."""
    options = Options(solc=solc, base_path=base_path, include_paths=include_paths)
    sys.exit(commands.smt2(list(files), out_dir, sys.stdout, sys.stderr, options))


@cli.command()
@click.argument("file")
@solver_options
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Solver time limit per check-sat, in seconds.")
@click.option("--stats", is_flag=True,
              help="Print per check-sat time (and the Python procedure's iterations, lemmas "
                   "by rule, time in cvc5 and in Python) to stderr.")
@click.option("--format", "fmt", type=click.Choice(["text", "sarif"]), default="text",
              show_default=True,
              help="text: answer like a solver; sarif: one SARIF result per check-sat (pass, "
                   "fail when it contradicts the script's :status, open when unknown).")
def smt(file: str, solver: str, calculus: str, combination: str | None, unsound_ok: bool,
        timeout: float, stats: bool, fmt: str) -> None:
    """Answer the SMT-LIB 2.6 script FILE like a solver (sat/unsat/unknown per check-sat,
    get-model, get-value); exits 0 whatever the answers, 1 when `--solver cross` finds the
    two solvers disagreeing, 3 on malformed input."""
    sys.exit(commands.smt(file, solver_name(solver, calculus), timeout, sys.stdout,
                          sys.stderr, stats, combination, unsound_ok, fmt))


@cli.command()
@click.argument("file", required=False)
@click.option("--solc", "solc_path", default=None, metavar="PATH",
              help="The Solidity compiler to check (as `--solc` elsewhere).")
def doctor(file: str | None, solc_path: str | None) -> None:
    """Show versions of vecverify's dependencies and which Solidity compiler would be used
    (for FILE: one satisfying its `pragma solidity`)."""
    sys.exit(commands.doctor(sys.stdout, sys.stderr, file, solc_path))


@cli.command("list-checks")
def list_checks() -> None:
    """List the check kinds vecverify reports."""
    sys.exit(commands.list_checks(sys.stdout))


@cli.command()
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Solver time limit per check, in seconds.")
@solver_options
def lsp(timeout: float, solver: str, calculus: str, combination: str | None,
        unsound_ok: bool) -> None:
    """Start the language server on stdin/stdout (diagnostics on open and save, hover for
    counterexamples) for .vec and .sol files."""
    try:
        from vecverify.lsp import main as serve
    except ImportError as exc:
        click.echo(f"error: the language server needs pygls ({exc}); "
                   "pip install 'vecverify[editor]'", err=True)
        sys.exit(3)
    sys.exit(serve(Options(timeout_s=timeout, solver=solver_name(solver, calculus),
                           combination=combination, unsound_ok=unsound_ok)))


@cli.command(epilog="""
\b
Exit codes: 0 no regression against the baseline (or no baseline), 1 a regression (a problem
solved before and not now, a wrong answer, a median time more than 2x slower), 3 bad input.
""")
@click.argument("suites", nargs=-1, required=True)
@click.option("--solver", "solvers", multiple=True, default=("cvc5",), show_default=True,
              help="Solver to run (repeatable): cvc5, python, cross, python-base, ...")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parallel solver processes (or Dask workers of the local cluster).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Time limit per check-sat (per check for programs), in seconds.")
@click.option("--out", "out_csv", required=True, metavar="CSV", help="Write the results here.")
@click.option("--baseline", metavar="CSV", help="Compare with an earlier results file.")
@click.option("--plot", "plot_dir", metavar="DIR", help="Write cactus.png and scatter.png here.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run here, or as Dask tasks (the `cluster` extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786); without it a local cluster is started.")
def bench(suites: tuple[str, ...], solvers: tuple[str, ...], jobs: int, timeout: float,
          out_csv: str, baseline: str | None, plot_dir: str | None, executor: str,
          scheduler: str | None) -> None:
    """Run benchmark SUITES (folders of .smt2 with a manifest, or of annotated .vec/.sol
    programs) and summarize solved, wrong, unknown, timeouts and times per suite and
    solver."""
    sys.exit(commands.bench(list(suites), list(solvers), jobs, timeout, out_csv, baseline,
                            plot_dir, executor, scheduler, sys.stdout, sys.stderr))


@cli.group()
def cache() -> None:
    """The solver result cache (definite answers, keyed by the VC's SMT-LIB text, solver and
    options)."""


@cache.command("clear")
def cache_clear() -> None:
    """Remove every cached solver result."""
    sys.exit(commands.cache_clear(sys.stdout))


@cli.group()
def init() -> None:
    """Write editor integration files."""


@init.command("vscode")
@click.option("--dir", "directory", default=".", show_default=True,
              help="The workspace folder to write .vscode/tasks.json into.")
@click.option("--force", is_flag=True, help="Replace an existing .vscode/tasks.json.")
@click.option("--print", "to_stdout", is_flag=True,
              help="Print the tasks instead of writing them (to merge by hand).")
def init_vscode(directory: str, force: bool, to_stdout: bool) -> None:
    """Write .vscode/tasks.json with the tasks "vecverify: verify file" and "vecverify:
    verify workspace", whose problem matchers fill the Problems panel."""
    sys.exit(commands.init_vscode(directory, force, to_stdout, sys.stdout, sys.stderr))


def main(argv: list[str] | None = None) -> int:
    """Entry point; usage errors exit with 3 (click's default would be 2, our 'unknown')."""
    allow_long_integers()
    try:
        cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        sys.stderr.write("aborted\n")
        return commands.EXIT_INPUT
    except click.ClickException as exc:
        exc.show()
        return commands.EXIT_INPUT
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # our bug: one line, no traceback unless asked for
        if os.environ.get("VECVERIFY_DEBUG"):
            traceback.print_exc()               # the traceback, and still exit 4
        sys.stderr.write(f"vecverify: internal error: {type(exc).__name__}: {exc} "
                         "(set VECVERIFY_DEBUG=1 for a traceback)\n")
        return commands.EXIT_INTERNAL
    return 0


if __name__ == "__main__":
    sys.exit(main())
