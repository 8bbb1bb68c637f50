"""The CLI's commands as plain functions: (arguments, options, out, err) -> exit code.

Exit codes: 0 every check proved, 1 some check violated, 2 none violated but some unknown or
unsupported, 3 input or usage error (printed as `file:line:col: error: message`),
4 internal error.
"""
from __future__ import annotations

import os
import sys
from typing import TextIO

from vecverify.errors import InputError
from vecverify.obligations import REGISTRY
from vecverify.options import Options
from vecverify.pipeline import compile_paths, verify_paths
from vecverify.reports import render_json, render_text

EXIT_PROVED, EXIT_VIOLATED, EXIT_UNKNOWN, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


def verify(paths: list[str], options: Options, fmt: str, out: TextIO, err: TextIO,
           verbose: bool = False, stats: bool = False) -> int:
    try:
        report = verify_paths(paths, options)
    except InputError as exc:
        err.write(exc.render() + "\n")
        return EXIT_INPUT
    out.write(render_json(report) if fmt == "json" else render_text(report, verbose))
    if stats:
        err.write("stats: " + ", ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
            for k, v in report.stats.items()) + "\n")
    return report.exit_code()


def smt2(paths: list[str], outdir: str | None, out: TextIO, err: TextIO,
         options: Options | None = None) -> int:
    """Write the SMT-LIB script of every VC (one file per check in `outdir`, else stdout)."""
    try:
        compiled = compile_paths(paths, options)
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


def doctor(out: TextIO, err: TextIO, file: str | None = None,
           solc_path: str | None = None) -> int:
    """Report the environment vecverify runs in and how it would find a Solidity compiler
    (for FILE: honouring its `pragma solidity`).  Informational: always exits 0."""
    import importlib.metadata
    import platform
    import shutil
    import subprocess

    from vecverify.frontends.solidity.compiler import discovery_report

    def version_of(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

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
