"""Benchmark suites: what a folder given to `vecverify bench` contains and what is expected.

- `.smt2` files are SMT problems.  The expected answer comes from a manifest in the folder
  (`MANIFEST.tsv` or `manifest.tsv`: tab-separated with a header naming a `file` column and an
  `expected_status` or `expected` column, as the public corpora have), else from the file's
  `(set-info :status ...)`.  A manifest row whose `status_source` says the status was "not
  checked" gives no expectation.
- `.vec` and `.sol` files are programs; their expected verdicts are the `// expect:`
  annotations (`expectations.py`): every check not annotated must be proved.

Files are found recursively (hidden folders, `node_modules` and `lib` are skipped) and sorted,
so a suite's problems and their names are the same on every machine.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from vecverify.errors import InputError

from .expectations import expected_outcomes

SMT, PROGRAM = "smt", "program"
_SKIP = {"node_modules", "lib"}
_STATUS = re.compile(r"\(\s*set-info\s+:status\s+(sat|unsat|unknown)\s*\)")


@dataclass(frozen=True)
class Problem:
    suite: str            # the suite's folder, as given on the command line (normalized)
    name: str             # the path inside the suite, with /
    path: str
    kind: str             # smt | program
    expected: str         # smt: sat | unsat | "" (unknown); program: "annotations"


def _manifest(folder: Path) -> dict[str, str]:
    for name in ("MANIFEST.tsv", "manifest.tsv"):
        path = folder / name
        if not path.exists():
            continue
        out: dict[str, str] = {}
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                status = (row.get("expected_status") or row.get("expected") or "").strip()
                if "not checked" in (row.get("status_source") or ""):
                    status = ""
                if row.get("file"):
                    out[row["file"].strip()] = status if status in ("sat", "unsat") else ""
        return out
    return {}


def _suite_name(folder: str) -> str:
    """The folder as given, normalized (`examples/vec/buggy`): two suites both called `buggy`
    stay apart, and a baseline made from the same command line matches."""
    return Path(os.path.normpath(folder)).as_posix()


def load_suite(folder: str) -> list[Problem]:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(None, f"{folder}: not a folder (a suite is a folder of .smt2, .vec "
                         "or .sol files)", "usage.file")
    suite = _suite_name(folder)
    manifest = _manifest(root)
    out = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP)
        for f in sorted(files):
            path = Path(here) / f
            name = path.relative_to(root).as_posix()
            if f.endswith(".smt2"):
                expected = manifest.get(name, manifest.get(f))
                if expected is None:
                    m = _STATUS.search(path.read_text(encoding="utf-8", errors="replace"))
                    expected = m.group(1) if m and m.group(1) != "unknown" else ""
                out.append(Problem(suite, name, str(path), SMT, expected))
            elif f.endswith((".vec", ".sol")):
                expected_outcomes(path)     # malformed annotations stop the campaign here
                out.append(Problem(suite, name, str(path), PROGRAM, "annotations"))
    if not out:
        raise InputError(None, f"{folder}: no .smt2, .vec or .sol files", "usage.file")
    return out
