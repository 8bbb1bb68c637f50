#!/usr/bin/env python3
"""vecverify against solc-verify's regression suite, function by function, against its gold
verdicts.

Why: solc-verify's `test/solc-verify/` tests come with a `.gold` verdict per function (OK,
ERROR with the failing checks, SKIPPED).  They are the closest thing to an independent oracle
for vecverify's Solidity frontend, which reads the same annotation language.  This script
measures how often the two tools agree, where vecverify raises false alarms, and above all where
it proves a function that solc-verify shows to be wrong (`missed`, listed by name), where it
rejects a whole file, and where it crashes (`internal error`, listed loudly: it must be 0).

The corpus lives outside the repository (`../shared/corpora/solc-verify-tests` relative to the
repository root, `--corpus` to override) and is never copied here.  Each test runs as the
installed CLI does, one subprocess per file with a wall-clock limit, so a hang or a crash costs
only that file:

    vecverify verify FILE --format json --timeout T --no-cache

`NAME.08.sol` (a mechanical Solidity 0.8.26 port) is verified instead of `NAME.sol` where the
manifest names one, and judged against the original's gold file (the ports keep every line).

Names: gold `C::f` is vecverify's `C.f`; `C::[constructor]` and `C::[implicit_constructor]` are
`C.constructor` (vecverify adds an implicit constructor to every contract without one);
`[receive]` / `[fallback]` are `C.receive` / `C.fallback`.  `[receive_ether_selfdestruct]` has
no counterpart.  Overloads share one vecverify name (`C.f` for every `f`), so their checks are
merged; the gold files list no overloaded public function, so this never merges two gold rows.
vecverify reports only functions that have checks: a gold function of a contract that vecverify
verifies but for which no check is reported is `no checks` (vacuously fine for a gold OK, a
silent miss for a gold ERROR); one of an abstract contract, interface or library, which
vecverify verifies only inside the contracts that inherit it, is `unmatched (gold only)`.

    python benchmarks/solc_verify_corpus.py --timeout 10 -j 1 --out /tmp/svt.csv
    python benchmarks/solc_verify_corpus.py --only 'arrays/Arrays' --out /tmp/a.csv
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = "../shared/corpora/solc-verify-tests"        # relative to the repository root

# categories of a gold function, in table order
AGREE_OK, AGREE_ERR = "agree (OK, all proved)", "agree (ERROR, violation reported)"
FALSE_ALARM, MISSED, UNKNOWN, UNSUPPORTED = "false alarm", "missed", "unknown", "unsupported"
REJECTED, INTERNAL, FILE_TIMEOUT = "rejected", "internal error", "file timeout"
NO_CHECKS, GOLD_ONLY = "no checks", "unmatched (gold only)"
COMPARED = (AGREE_OK, AGREE_ERR, FALSE_ALARM, MISSED, UNKNOWN, UNSUPPORTED, REJECTED, INTERNAL,
            FILE_TIMEOUT, NO_CHECKS, GOLD_ONLY)
# functions not compared with a gold verdict
SKIPPED_GOLD, VV_ONLY, NO_GOLD = "skipped in gold", "unmatched (vecverify only)", "no gold file"

SAME_LINES, GOLD_LINES_INCLUDED, OTHER_LINES = "same", "gold lines included", "differ"
# checks that solc-verify does not make (its gold OK says nothing about them): array bounds
# (it checks only fixed-size bytesN indexing), pop on an empty array, division by zero, and
# overflow except in its `mod-overflow` mode.  Solidity 0.8 panics in all of these.
UNCHECKED_KINDS = frozenset({"index-out-of-bounds", "pop-empty", "division-by-zero"})
OVERFLOW_KINDS = frozenset({"overflow", "underflow"})
ALARM_UNCHECKED, ALARM_CHECKED = "only checks solc-verify does not make", "other checks"
SAME_KIND, OTHER_KIND = "same kind of check as gold", "other kinds only"
# the vecverify check kinds that a gold failure message corresponds to (first match wins;
# event failures have none)
GOLD_MESSAGE_KINDS = (
    ("overflow", {"overflow", "underflow"}),
    ("assertion might not hold", {"assert"}),
    ("postcondition", {"postcondition"}),
    ("precondition", {"precondition"}),
    ("might not be maintained by the loop", {"loop-invariant-preserved"}),
    ("might not hold after first iteration", {"loop-invariant-preserved"}),
    ("might not hold on loop entry", {"loop-invariant-entry"}),
    ("invariant", {"contract-invariant"}),
    ("index may be out of bounds", {"index-out-of-bounds"}),
    ("might modify", {"modifies"}),
    ("conversion to enum", {"enum-conversion"}),
)


def gold_kinds(messages: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for msg in messages:
        low = msg.lower()
        out |= next((kinds for key, kinds in GOLD_MESSAGE_KINDS if key in low), set())
    return out


BRACKETS = {"[constructor]": "constructor", "[implicit_constructor]": "constructor",
            "[receive]": "receive", "[fallback]": "fallback"}

CSV_FIELDS = ("file", "gold_file", "function", "vv_function", "gold", "verdict", "category",
              "reason", "gold_lines", "lines", "lines_match", "kind_match", "kinds", "checks",
              "time_s", "file_time_s", "arithmetic", "alarm", "replay")


# -- the gold files ----------------------------------------------------------------------------
@dataclass
class GoldFunction:
    """One `Contract::function: VERDICT` line of a gold file, with its ` - ` lines."""

    contract: str
    name: str                     # `f`, or bracketed: `[constructor]`, `[receive]`, ...
    verdict: str                  # OK | ERROR | SKIPPED
    lines: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def gold_name(self) -> str:
        return f"{self.contract}::{self.name}"

    @property
    def vv_name(self) -> str | None:
        """vecverify's JSON `function` for this gold function (None: it has no counterpart)."""
        if self.name.startswith("["):
            short = BRACKETS.get(self.name)
            return None if short is None else f"{self.contract}.{short}"
        return f"{self.contract}.{self.name}"


GOLD_FN = re.compile(r"^(\S+?)::(.+): (OK|ERROR|SKIPPED)\s*$")
GOLD_FAIL = re.compile(r"^ - (\S+?):(\d+):(\d+): (.*)$")


def parse_gold(text: str) -> list[GoldFunction]:
    """The functions of a gold file in order; failing lines attach to the ERROR line above."""
    out: list[GoldFunction] = []
    for line in text.splitlines():
        if m := GOLD_FN.match(line):
            out.append(GoldFunction(m[1], m[2], m[3]))
        elif (m := GOLD_FAIL.match(line)) and out and out[-1].verdict == "ERROR":
            out[-1].lines.append(int(m[2]))
            out[-1].messages.append(m[4])
    return out


@dataclass
class Test:
    """One manifest row: the file vecverify verifies, its gold verdicts, solc-verify's mode."""

    file: str                     # the upstream test, as in MANIFEST.tsv
    run_file: str                 # what vecverify verifies: the .08.sol port where there is one
    gold_file: str
    flags: str
    gold: list[GoldFunction] | None

    @property
    def folder(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def arithmetic(self) -> str:
        """solc-verify's arithmetic mode for this test (default `int`: no overflow reports)."""
        m = re.search(r"--arithmetic\s+(\S+)", self.flags)
        return m[1] if m else "int"


def read_tests(corpus: Path, only: str | None) -> list[Test]:
    with open(corpus / "MANIFEST.tsv", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    tests = []
    for r in rows:
        run = r.get("converted_file") or r["file"]
        if only and not (re.search(only, r["file"]) or re.search(only, run)):
            continue
        gold = parse_gold((corpus / r["gold_file"]).read_text()) if r["gold_file"] else None
        tests.append(Test(r["file"], run, r["gold_file"], r.get("solc_verify_flags", ""), gold))
    return tests


CONTRACT_DECL = re.compile(
    r"\b(abstract\s+contract|contract|interface|library)\s+([A-Za-z_$][\w$]*)")


def contract_kinds(source: str) -> dict[str, str]:
    """`contract` / `abstract contract` / `interface` / `library` per name declared in the file
    (comments removed first), to tell why vecverify reports no function of a gold contract."""
    text = re.sub(r"/\*.*?\*/", " ", source, flags=re.DOTALL)
    text = re.sub(r"//[^\n]*", " ", text)
    return {m[2]: " ".join(m[1].split()) for m in CONTRACT_DECL.finditer(text)}


# -- running vecverify -------------------------------------------------------------------------
@dataclass
class VvFunction:
    """vecverify's checks of one function (all overloads of a name together)."""

    name: str
    statuses: Counter = field(default_factory=Counter)
    violations: list[dict[str, Any]] = field(default_factory=list)
    unknowns: list[dict[str, Any]] = field(default_factory=list)
    unsupported: list[dict[str, Any]] = field(default_factory=list)
    time_s: float = 0.0

    @property
    def checks(self) -> int:
        return sum(self.statuses.values())

    @property
    def verdict(self) -> str:
        """The weakest verdict of its checks, in vecverify's own merge order."""
        for status in ("violated", "unsupported", "disagreement", "unknown"):
            if self.statuses[status]:
                return "unknown" if status == "disagreement" else status
        return "proved"

    @property
    def violated_lines(self) -> list[int]:
        return sorted({c["line"] for c in self.violations})


@dataclass
class FileRun:
    """The outcome of one `vecverify verify` subprocess."""

    file: str
    command: list[str]
    outcome: str                  # ok | rejected | internal | timeout
    rc: int | None
    wall_s: float
    error: str = ""               # first error line (rejected), or what went wrong
    functions: dict[str, VvFunction] = field(default_factory=dict)


def vecverify_command() -> list[str]:
    """The installed CLI next to this interpreter (the virtualenv's), else the one on PATH."""
    here = Path(sys.executable).with_name("vecverify")
    if here.exists():
        return [str(here)]
    found = shutil.which("vecverify")
    return [found] if found else [sys.executable, "-m", "vecverify"]


def vecverify_origin(corpus: Path) -> str:
    """Which vecverify source the CLI runs (a PYTHONPATH snapshot or this repository) and, for
    the repository, its commit and whether the working tree differs from it: the numbers belong
    to that code, and other people edit the frontend in the same tree."""
    code = "import os, vecverify; print(os.path.dirname(os.path.dirname(vecverify.__file__)))"
    try:
        where = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True, cwd=corpus).stdout.strip())   # as the CLI runs
    except (OSError, subprocess.CalledProcessError):
        return "vecverify: origin unknown"
    git = ["git", "-C", str(REPO)]
    if where.resolve() != REPO:
        stamp = where.parent / "COMMIT"
        commit = f", commit {stamp.read_text().strip()}" if stamp.is_file() else ""
        return f"vecverify from {where}{commit}"
    try:
        commit = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "--", "vecverify", "frontends",
                                      "theories"], capture_output=True, text=True,
                               check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return f"vecverify from {where}"
    return (f"vecverify from {where}, commit {commit}"
            + (f" with {len(dirty)} uncommitted source files" if dirty else ""))


def reproduce(corpus: str, run: FileRun) -> str:
    """The shell command that reruns one file, from the repository root."""
    args = run.command[run.command.index("verify"):]
    return f"cd {corpus} && vecverify {' '.join(args)}"


def first_error_line(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in lines:
        if "error:" in ln.lower():
            return ln
    return lines[0] if lines else "(no message)"


def run_file(corpus: Path, rel: str, timeout_s: float, file_timeout_s: float,
             cache: bool) -> dict[str, Any]:
    """Run the CLI on one file in its own session, killing the whole group at the wall-clock
    limit (vecverify starts solver worker processes).  Returns the raw outcome, which
    `interpret` reads and `--save-raw` keeps, so that a report can be redone without a rerun."""
    cmd = vecverify_command() + ["verify", rel, "--format", "json", "--timeout", f"{timeout_s:g}"]
    if not cache:
        cmd.append("--no-cache")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=file_timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
    return {"file": rel, "command": cmd, "rc": None if timed_out else proc.returncode,
            "wall_s": time.monotonic() - start, "timed_out": timed_out,
            "file_timeout_s": file_timeout_s, "stdout": out, "stderr": err}


def interpret(raw: dict[str, Any]) -> FileRun:
    """Exit 3 is a rejected file, 4 (or anything else that is not 0/1/2, or unreadable JSON) an
    internal error; otherwise the checks are grouped by function."""
    rel, cmd, rc, wall, err = raw["file"], raw["command"], raw["rc"], raw["wall_s"], raw["stderr"]
    if raw["timed_out"]:
        return FileRun(rel, cmd, "timeout", None, wall,
                       f"no answer within the file limit of {raw['file_timeout_s']:g} s")
    if rc == 3:
        return FileRun(rel, cmd, "rejected", rc, wall, first_error_line(err))
    if rc not in (0, 1, 2):
        tail = [ln for ln in err.strip().splitlines() if ln.strip()][-1:] or ["(no message)"]
        return FileRun(rel, cmd, "internal", rc, wall, f"exit {rc}: {tail[0].strip()}")
    try:
        checks = json.loads(raw["stdout"])["checks"]
    except (ValueError, KeyError, TypeError) as exc:
        return FileRun(rel, cmd, "internal", rc, wall, f"exit {rc}, unreadable JSON: {exc}")
    run = FileRun(rel, cmd, "ok", rc, wall)
    for c in checks:
        fn = run.functions.setdefault(c["function"], VvFunction(c["function"]))
        fn.statuses[c["status"]] += 1
        fn.time_s += float(c.get("time_s") or 0.0)
        {"violated": fn.violations, "unknown": fn.unknowns, "disagreement": fn.unknowns,
         "unsupported": fn.unsupported}.get(c["status"], []).append(c)
    return run


def replay_of(check: dict[str, Any]) -> str:
    """`confirmed` / `not confirmed` / `no replay` for one violation: the replay object
    (`counterexample.replay`) says whether running the counterexample on the compiled contract
    reproduced the failure; older vecverify versions do not write it."""
    replay = (check.get("counterexample") or {}).get("replay")
    if not isinstance(replay, dict) or "confirmed" not in replay:
        return "no replay"
    return "confirmed" if replay["confirmed"] else "not confirmed"


# -- classification ----------------------------------------------------------------------------
@dataclass
class Row:
    """One CSV row: a gold function, or a function that only vecverify reports."""

    test: Test
    function: str
    vv_function: str
    gold: str
    verdict: str
    category: str
    reason: str = ""
    gold_lines: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    lines_match: str = ""
    kind_match: str = ""          # agree (ERROR): SAME_KIND or OTHER_KIND
    alarm: str = ""               # false alarms: ALARM_UNCHECKED or ALARM_CHECKED
    kinds: str = ""
    checks: int = 0
    time_s: float = 0.0
    file_time_s: float = 0.0
    replay: str = ""
    unknown_checks: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)

    def csv(self) -> dict[str, Any]:
        return {"file": self.test.run_file, "gold_file": self.test.gold_file,
                "function": self.function, "vv_function": self.vv_function, "gold": self.gold,
                "verdict": self.verdict, "category": self.category, "reason": self.reason,
                "gold_lines": " ".join(map(str, self.gold_lines)),
                "lines": " ".join(map(str, self.lines)), "lines_match": self.lines_match,
                "kind_match": self.kind_match,
                "kinds": self.kinds, "checks": self.checks, "time_s": f"{self.time_s:.3f}",
                "file_time_s": f"{self.file_time_s:.2f}", "arithmetic": self.test.arithmetic,
                "alarm": self.alarm, "replay": self.replay}


def describe(checks: list[dict[str, Any]], limit: int = 3) -> str:
    parts = [f"{c['kind']}@{c['line']}: {c['message']}" for c in checks[:limit]]
    more = f" (+{len(checks) - limit} more)" if len(checks) > limit else ""
    return "; ".join(parts) + more


def annotation_of(line: int, target: int, source_lines: list[str]) -> bool:
    """True when `line` is in the doc comment right above `target` (1-based): solc-verify puts a
    failed postcondition or loop invariant at the function or loop, vecverify at the annotation."""
    if not 0 < line < target <= len(source_lines):
        return False
    between = [source_lines[k - 1].strip() for k in range(line, target)]
    return all(t.startswith(("///", "/**", "*", "*/")) or t == "" for t in between)


def lines_match(gold: list[int], found: list[int], source_lines: list[str]) -> str:
    """How vecverify's violated lines compare with the gold's failing lines, a gold line being
    found at itself or at an annotation right above it.  Contract invariants stay apart (solc-verify
    names the function, vecverify the contract's annotation), so `differ` is not by itself a
    disagreement: `kind_match` says whether the same kind of check failed."""
    def hit(g: int) -> set[int]:
        return {v for v in found if v == g or annotation_of(v, g, source_lines)}
    hits = [hit(g) for g in gold]
    if all(hits):
        covered = set().union(*hits)
        return SAME_LINES if covered == set(found) else GOLD_LINES_INCLUDED
    return OTHER_LINES


def vv_row(test: Test, run: FileRun, fn: VvFunction, function: str, gold: str,
           category: str) -> Row:
    """A row filled with what vecverify found in `fn` (category decided by the caller)."""
    verdict = fn.verdict
    shown = {"violated": fn.violations, "unknown": fn.unknowns,
             "unsupported": fn.unsupported}.get(verdict, [])
    if verdict == "unsupported":
        reason = fn.unsupported[0]["message"]
    elif shown:
        reason = describe(shown)
    else:
        reason = f"all {fn.checks} checks proved"
    replays = Counter(replay_of(c) for c in fn.violations)
    return Row(test, function, fn.name, gold, verdict, category, reason,
               lines=sorted({c["line"] for c in shown}),
               kinds=" ".join(sorted({c["kind"] for c in shown})), checks=fn.checks,
               time_s=fn.time_s, file_time_s=run.wall_s,
               replay=", ".join(f"{n} {k}" for k, n in sorted(replays.items())),
               unknown_checks=fn.unknowns, violations=fn.violations)


def classify(test: Test, run: FileRun, source: str) -> list[Row]:
    """Every gold function of the test, plus every function only vecverify reports."""
    rows: list[Row] = []
    if run.outcome != "ok":
        category = {"rejected": REJECTED, "internal": INTERNAL,
                    "timeout": FILE_TIMEOUT}[run.outcome]
        for g in test.gold or []:
            cat = SKIPPED_GOLD if g.verdict == "SKIPPED" else category
            rows.append(Row(test, g.gold_name, g.vv_name or "", g.verdict, run.outcome, cat,
                            run.error, gold_lines=g.lines, file_time_s=run.wall_s))
        if test.gold is None:
            rows.append(Row(test, "", "", "", run.outcome, NO_GOLD, run.error,
                            file_time_s=run.wall_s))
        return rows
    kinds = contract_kinds(source)
    source_lines = source.splitlines()
    seen: set[str] = set()
    for g in test.gold or []:
        vv = g.vv_name
        fn = run.functions.get(vv) if vv else None
        if fn is not None:
            seen.add(vv)  # type: ignore[arg-type]
        if g.verdict == "SKIPPED":
            rows.append(vv_row(test, run, fn, g.gold_name, g.verdict, SKIPPED_GOLD) if fn else
                        Row(test, g.gold_name, vv or "", g.verdict, "no checks", SKIPPED_GOLD,
                            file_time_s=run.wall_s))
            continue
        if fn is None:
            kind = kinds.get(g.contract, "")
            if vv is None:
                cat, why = GOLD_ONLY, (f"{g.name} is solc-verify's pseudo-function; "
                                       "vecverify has none")
            elif kind == "contract":
                cat, why = NO_CHECKS, "vecverify reported no check in this function"
            elif kind:
                cat, why = GOLD_ONLY, (f"{kind} {g.contract} is verified only inside the "
                                       "contracts that inherit it")
            else:
                cat, why = GOLD_ONLY, (f"contract {g.contract} is not declared in "
                                       f"{test.run_file} (imported): vecverify reports the "
                                       "file's own contracts")
            rows.append(Row(test, g.gold_name, vv or "", g.verdict,
                            "no checks" if cat == NO_CHECKS else "not reported", cat, why,
                            gold_lines=g.lines, file_time_s=run.wall_s))
            continue
        verdict = fn.verdict
        if verdict == "violated":
            cat = AGREE_ERR if g.verdict == "ERROR" else FALSE_ALARM
        elif verdict == "unsupported":
            cat = UNSUPPORTED
        elif verdict == "unknown":
            cat = UNKNOWN
        else:
            cat = MISSED if g.verdict == "ERROR" else AGREE_OK
        row = vv_row(test, run, fn, g.gold_name, g.verdict, cat)
        row.gold_lines = g.lines
        if cat == AGREE_ERR:
            row.lines_match = lines_match(g.lines, fn.violated_lines, source_lines)
            found = {c["kind"] for c in fn.violations}
            row.kind_match = SAME_KIND if gold_kinds(g.messages) & found else OTHER_KIND
        if cat == FALSE_ALARM:
            unchecked = UNCHECKED_KINDS | (OVERFLOW_KINDS if test.arithmetic != "mod-overflow"
                                           else frozenset())
            kinds_found = {c["kind"] for c in fn.violations}
            row.alarm = ALARM_UNCHECKED if kinds_found <= unchecked else ALARM_CHECKED
        if cat in (MISSED, UNKNOWN, UNSUPPORTED) and g.verdict == "ERROR":
            row.reason += " | gold: " + "; ".join(
                f"{ln}: {msg}" for ln, msg in zip(g.lines, g.messages))
        rows.append(row)
    for name, fn in run.functions.items():
        if name not in seen:
            cat = NO_GOLD if test.gold is None else VV_ONLY
            rows.append(vv_row(test, run, fn, "", "", cat))
    return rows


# -- running the corpus ------------------------------------------------------------------------
def run_corpus(corpus: Path, tests: list[Test],
               args: argparse.Namespace) -> list[tuple[Test, FileRun]]:
    """All tests, `-j` files at a time, one progress line per file on stderr (fit for nohup)."""
    done, lock = [0], threading.Lock()

    def one(test: Test) -> tuple[Test, FileRun]:
        saved = Path(args.from_raw or args.save_raw or ".") / (test.run_file + ".json")
        if args.from_raw:
            raw = json.loads(saved.read_text())
        else:
            raw = run_file(corpus, test.run_file, args.timeout, args.file_timeout, args.cache)
            if args.save_raw:
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_text(json.dumps(raw))
        run = interpret(raw)
        with lock:
            done[0] += 1
            print(f"[{done[0]}/{len(tests)}] {test.run_file}: {run.outcome} (exit {run.rc}) "
                  f"{run.wall_s:.1f} s", file=sys.stderr, flush=True)
        return test, run

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        return list(pool.map(one, tests))


# -- report ------------------------------------------------------------------------------------
def table(header: list[str], rows: Iterable[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def strip_location(line: str) -> str:
    """`file:line:col: error: msg` -> `msg`, so that the same cause in many files groups."""
    return re.sub(r"^.*?:\d+:\d+:\s*(error:\s*)?", "", line).strip() or line


def unknown_reason(check: dict[str, Any]) -> str:
    """The reason part of an unknown check's message (`<check>; <reason>`), cut before the
    specifics (a third `:` part, `(...)`, a further `; ...`), so that one cause groups across
    files: `the solver could not decide it: timeout`."""
    reason = check["message"].split("; ", 2)[1] if "; " in check["message"] else check["message"]
    reason = reason.split(" (", 1)[0]
    return ":".join(reason.split(":")[:2]).strip()


def markdown(rows: list[Row], runs: list[tuple[Test, FileRun]], meta: dict[str, Any]) -> str:
    """The summary: categories by folder, reasons grouped, and every missed function,
    silent miss and internal error by name.  `meta` is the run's settings (also kept by
    `--save-raw`, so that `--from-raw` reports them and not its own)."""
    folders = sorted({t.folder for t, _ in runs})
    gold_rows = [r for r in rows if r.category in COMPARED]
    by = Counter((r.category, r.test.folder) for r in rows)
    match = Counter((r.lines_match, r.test.folder) for r in rows if r.category == AGREE_ERR)
    kind = Counter((r.kind_match, r.test.folder) for r in rows if r.category == AGREE_ERR)
    alarm = Counter((r.alarm, r.test.folder) for r in rows if r.category == FALSE_ALARM)
    out = []
    n_gold = sum(1 for t, _ in runs if t.gold is not None)
    out.append(f"{len(runs)} files ({n_gold} with gold, {len(runs) - n_gold} without); "
               f"{len(gold_rows)} gold functions compared, "
               f"{sum(1 for r in rows if r.category == SKIPPED_GOLD)} SKIPPED in gold; "
               f"vecverify --timeout {meta['timeout']:g} s per check, file limit "
               f"{meta['file_timeout']:g} s, -j {meta['jobs']}"
               f"{'' if meta['cache'] else ', --no-cache'}")
    out.append("")

    def line(label: str, counter: Counter, key: str) -> list[Any]:
        return [label, sum(counter[(key, f)] for f in folders)] + [counter[(key, f)] or ""
                                                                     for f in folders]

    body = []
    for cat in COMPARED:
        body.append(line(cat, by, cat))
        if cat == AGREE_ERR:
            for m in (SAME_KIND, OTHER_KIND):
                body.append(line(f"  … {m}", kind, m))
            for m in (SAME_LINES, GOLD_LINES_INCLUDED, OTHER_LINES):
                body.append(line(f"  … lines: {m}", match, m))
        if cat == FALSE_ALARM:
            for m in (ALARM_UNCHECKED, ALARM_CHECKED):
                body.append(line(f"  … {m}", alarm, m))
    body.append(["**total compared**", len(gold_rows)]
                + [sum(1 for r in gold_rows if r.test.folder == f) for f in folders])
    for cat in (SKIPPED_GOLD, VV_ONLY):
        body.append(line(f"({cat})", by, cat))
    no_gold_files = Counter(t.folder for t, _ in runs if t.gold is None)
    body.append(["(files without gold)", sum(no_gold_files.values())]
                + [no_gold_files[f] or "" for f in folders])
    out += table(["category", "total"] + folders, body)
    out.append("")

    # violations and their replay
    all_viol = [c for _, run in runs for fn in run.functions.values() for c in fn.violations]
    rep = Counter(replay_of(c) for c in all_viol)
    out.append(f"Violations reported: {len(all_viol)}; replay confirmed {rep['confirmed']}, "
               f"not confirmed {rep['not confirmed']}, without replay {rep['no replay']}.")
    per_cat: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        for c in r.violations:
            per_cat[r.category][replay_of(c)] += 1
    if rep["confirmed"] or rep["not confirmed"]:
        out.append("By category of the function: " + "; ".join(
            f"{cat}: {n['confirmed']} confirmed, {n['not confirmed']} not, {n['no replay']} "
            f"without" for cat, n in sorted(per_cat.items())) + ".")
    fa_kinds = Counter(k for r in rows if r.category == FALSE_ALARM for k in r.kinds.split())
    fa_mode = Counter(r.test.arithmetic for r in rows if r.category == FALSE_ALARM)
    if fa_kinds:
        out.append("False alarms by violated check kind: " + ", ".join(
            f"{k} {n}" for k, n in fa_kinds.most_common()) + "; by solc-verify arithmetic "
            "mode of the test: " + ", ".join(f"{k} {n}" for k, n in fa_mode.most_common()) + ".")
    out.append("")

    rejected = [(t, run) for t, run in runs if run.outcome == "rejected"]
    groups: dict[str, list[Test]] = defaultdict(list)
    for t, run in rejected:
        groups[strip_location(run.error)].append(t)
    fn_count = Counter(strip_location(r.reason) for r in rows if r.category == REJECTED)
    out.append(f"Rejected files: {len(rejected)} ({sum(fn_count.values())} gold functions); "
               f"top reasons:")
    out.append("")
    top = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]
    out += table(["files", "gold functions", "reason (first error line)", "e.g."],
                 [[len(ts), fn_count[k], k.replace("|", "\\|"), ts[0].run_file] for k, ts in top])
    out.append("")

    uns = Counter(r.reason for r in rows if r.category == UNSUPPORTED)
    out.append(f"Unsupported gold functions: {sum(uns.values())}; top reasons:")
    out.append("")
    out += table(["functions", "reason"], [[n, k.replace("|", "\\|")] for k, n in
                                           sorted(uns.items(), key=lambda kv: (-kv[1], kv[0]))
                                           [:10]])
    out.append("")

    unk = Counter(unknown_reason(c) for r in rows if r.category == UNKNOWN
                  for c in r.unknown_checks)
    out.append(f"Unknown gold functions: {sum(1 for r in rows if r.category == UNKNOWN)} "
               f"({sum(unk.values())} unknown checks); reasons:")
    out.append("")
    out += table(["checks", "reason"], [[n, k.replace("|", "\\|")] for k, n in
                                        sorted(unk.items(), key=lambda kv: (-kv[1], kv[0]))[:10]])
    out.append("")

    missed = [r for r in rows if r.category == MISSED]
    out.append(f"**Missed** (gold ERROR, vecverify proved every check): {len(missed)}")
    out += [f"- {r.test.run_file} `{r.function}`: {r.reason}" for r in missed]
    silent = [r for r in rows if r.category == NO_CHECKS and r.gold == "ERROR"]
    out.append(f"**Gold ERROR without any vecverify check** (a silent miss): {len(silent)}")
    out += [f"- {r.test.run_file} `{r.function}`: gold lines {r.gold_lines}" for r in silent]
    internal = [(t, run) for t, run in runs if run.outcome == "internal"]
    out.append(f"**Internal errors** (must be 0): {len(internal)}")
    out += [f"- {t.run_file}: {run.error} (reproduce: `{reproduce(meta['corpus'], run)}`)"
            for t, run in internal]
    timeouts = [(t, run) for t, run in runs if run.outcome == "timeout"]
    if timeouts:
        out.append(f"**File time-outs** ({meta['file_timeout']:g} s): {len(timeouts)}")
        out += [f"- {t.run_file}" for t, _ in timeouts]
    out.append("")
    slow = sorted(runs, key=lambda tr: -tr[1].wall_s)[:5]
    out.append(f"Wall time {meta['wall_s']:.0f} s for {len(runs)} files; slowest: " + ", ".join(
        f"{t.run_file} {run.wall_s:.0f} s" for t, run in slow) + ".")
    return "\n".join(out)


def write_csv(rows: list[Row], path: str) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(r.csv())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default=DEFAULT_CORPUS,
                   help="the corpus folder, relative to the repository root (default %(default)s)")
    p.add_argument("--timeout", type=float, default=10.0, help="solver limit per check, s")
    p.add_argument("--file-timeout", type=float, default=900.0,
                   help="wall-clock limit per file, s (default %(default)s)")
    p.add_argument("-j", "--jobs", type=int, default=2, help="files in parallel")
    p.add_argument("--only", help="regular expression: only tests whose path matches")
    p.add_argument("--out", help="CSV, one row per function")
    p.add_argument("--cache", action="store_true",
                   help="let vecverify reuse its result cache (default: --no-cache, cold times)")
    p.add_argument("--save-raw", metavar="DIR",
                   help="keep each file's exit code, stdout and stderr in DIR/FILE.json")
    p.add_argument("--from-raw", metavar="DIR",
                   help="report from a --save-raw folder instead of running vecverify")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = (REPO / args.corpus).resolve()
    if not (corpus / "MANIFEST.tsv").is_file():
        print(f"no corpus at {corpus} (MANIFEST.tsv missing)", file=sys.stderr)
        return 3
    tests = read_tests(corpus, args.only)
    if not tests:
        print(f"no test matches --only {args.only!r}", file=sys.stderr)
        return 3
    if args.from_raw:
        meta = json.loads((Path(args.from_raw) / "_meta.json").read_text())
    else:
        meta = {"date": datetime.date.today().isoformat(), "origin": vecverify_origin(corpus),
                "corpus": args.corpus, "timeout": args.timeout,
                "file_timeout": args.file_timeout, "jobs": args.jobs, "cache": args.cache}
    start = time.monotonic()
    runs = run_corpus(corpus, tests, args)
    if not args.from_raw:
        meta["wall_s"] = time.monotonic() - start
        if args.save_raw:
            (Path(args.save_raw) / "_meta.json").write_text(json.dumps(meta))
    rows = [r for t, run in runs for r in classify(t, run, (corpus / t.run_file).read_text())]
    if args.out:
        write_csv(rows, args.out)
    print(f"# solc-verify regression suite, {meta['date']}\n")
    print(meta["origin"] + "\n")
    print(markdown(rows, runs, meta))
    print(f"\ntotal wall time {meta['wall_s']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
