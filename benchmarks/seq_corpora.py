#!/usr/bin/env python3
"""Our pure-Python sequence calculus against cvc5 on public SMT-LIB sequence corpora.

Why: the calculus in `vecverify.theories.seq` (solver `python` = EXT, `python-base` = BASE) is
worth keeping only if it decides what cvc5 decides, never answers wrongly, and is not hopelessly
slower.  This script measures exactly that on the corpora in `../shared/corpora` (referenced by
path, never copied into the repository) and writes

- raw results as CSV, one row per file x solver, so that two runs can be compared
  (`--compare OLD.csv`);
- a markdown summary per corpus and solver (`--table`: printed, or written into a marked block
  of benchmarks/README.md).

Every check-sat of a file becomes one self-contained SMT-LIB script (`Query.smtlib`) and every
solver gets exactly that text, so time ratios compare like with like.  A check-sat that uses a
construct our reader does not translate is `unknown` for every solver: cvc5 is not given a
script with assertions left out (the manifest's cvc5 result is shown next to it instead).

A definite answer is *wrong* when it contradicts another solver's definite answer in the same
run, or the manifest's expected status where that status is reliable.  In seqbench-qf_ax_seq
the `:status` was copied from the QF_AX array originals and is not reliable under sequence
semantics: there an answer that differs from it and that cvc5 does not confirm is checked
instead.  A `sat` must come with a model that cvc5 accepts once the model's values are asserted
(else it is wrong; if cvc5 cannot tell, disputed); an `unsat` is reported as *disputed*.  Wrong
and disputed files are listed in the table, never hidden.

    python benchmarks/seq_corpora.py seqbench-qf_ax_seq --solvers python,cvc5 --timeout 10 \\
        -j 2 --out /tmp/qf_ax_seq.csv
    python benchmarks/seq_corpora.py --from-csv /tmp/a.csv /tmp/b.csv --table benchmarks/README.md
"""
from __future__ import annotations

import argparse
import csv
import datetime
import importlib
import os
import platform
import random
import select
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from vecverify.drivers import SolverResult, SolverTask, run_tasks
from vecverify.drivers.pool import GRACE_S
from vecverify.drivers.registry import factory
from vecverify.errors import InputError
from vecverify.terms.ops import Op
from vecverify.terms.printer import smt_symbol
from vecverify.terms.sorts import Sort, UninterpretedSort
from vecverify.terms.walkers import postorder
from vecverify.theories.smtlib import read_file
from vecverify.theories.smtlib.encode import value_smtlib
from vecverify.theories.smtlib.queries import Query, queries
from vecverify.values import ArrayValue, UValue, Value

REPO = Path(__file__).resolve().parents[1]
CORPORA_DIR = REPO.parent / "shared" / "corpora"
DEFAULT_CORPORA = ("seqbench-qf_ax_seq", "cvc5-seq", "seqbench-handcrafted")
UNRELIABLE_STATUS = frozenset({"seqbench-qf_ax_seq"})   # :status copied from array originals
DEFINITE = ("sat", "unsat")
REFERENCE = "cvc5"
RATIO_FLOOR_S = 0.001          # times under 1 ms count as 1 ms, so that ratios stay finite
TARGET_CORPUS, TARGET_TIMEOUT_S, TARGET_RATIO = "seqbench-qf_ax_seq", 10.0, 20.0
PINNED_MODULES = ("cvc5", "vecverify.drivers.cvc5_api", "vecverify.drivers.python_seq",
                  "vecverify.theories.seq", "vecverify.encoders.smtlib", "vecverify.terms.evaluate")
SECTION = "## Sequence corpora: Python calculus vs cvc5"
BEGIN, END = "<!-- seq_corpora.py: begin -->", "<!-- seq_corpora.py: end -->"
TROUBLE = ("crash", "solver error", "internal error", "reader error")


# -- corpus files ----------------------------------------------------------------------------
@dataclass
class Case:
    """One corpus file: its check-sats (SMT-LIB text, or None when unsupported) and what the
    manifest says about it."""

    corpus: str
    file: str
    expected: list[str]                 # per check-sat: sat | unsat | '' (not stated)
    cvc5_manifest: str
    queries: list[Query] = field(default_factory=list)
    texts: list[tuple[str, bool] | None] = field(default_factory=list)
    error: str = ""

    @property
    def supported(self) -> bool:
        return not self.error and all(t is not None for t in self.texts)

    def expected_at(self, j: int) -> str:
        return self.expected[j] if j < len(self.expected) else ""


def corpus_folder(name: str, corpora_dir: Path) -> Path:
    folder = Path(name) if Path(name).is_dir() else corpora_dir / name
    if not (folder / "MANIFEST.tsv").is_file():
        raise SystemExit(f"no corpus {name!r}: {folder / 'MANIFEST.tsv'} does not exist")
    return folder


def read_manifest(folder: Path) -> list[dict[str, str]]:
    with open(folder / "MANIFEST.tsv", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def select_rows(rows: list[dict[str, str]], limit: int | None, sample: int | None,
                seed: int) -> list[dict[str, str]]:
    if sample is not None and sample < len(rows):
        chosen = set(random.Random(seed).sample(range(len(rows)), sample))
        rows = [r for i, r in enumerate(rows) if i in chosen]
    return rows[:limit] if limit is not None else rows


def expected_answers(text: str) -> list[str]:
    return [w if w in DEFINITE else "" for w in text.split()]


def load_case(corpus: str, folder: Path, row: dict[str, str]) -> Case:
    case = Case(corpus, row["file"], expected_answers(row.get("expected_status", "")),
                row.get("cvc5_result", ""))
    try:
        script = read_file(str(folder / row["file"]))
        case.queries = queries(script)
        case.texts = [None if q.unsupported else q.smtlib(script) for q in case.queries]
    except InputError as exc:
        case.error = "input error: " + exc.render().splitlines()[0]
    except Exception as exc:  # a reader bug must not stop the benchmark: report it
        case.error = f"reader error: {type(exc).__name__}: {exc}".splitlines()[0]
    return case


def load_cases(names: Iterable[str], args: argparse.Namespace, progress: "Progress") -> list[Case]:
    plan = []
    for name in names:
        folder = corpus_folder(name, Path(args.corpora_dir))
        rows = select_rows(read_manifest(folder), args.limit, args.sample, args.seed)
        plan += [(folder.name, folder, r) for r in rows]
    progress.phase("reading", len(plan))
    cases = []
    for corpus, folder, row in plan:
        cases.append(load_case(corpus, folder, row))
        progress.advance(1)
    progress.done()
    return cases


# -- progress --------------------------------------------------------------------------------
class Progress:
    """A rich progress bar when rich is importable, else a counter on stderr (one line per
    10 % or 30 s when stderr is not a terminal, e.g. under nohup)."""

    def __init__(self) -> None:
        try:
            from rich.progress import Progress as RichProgress
            self.rich: Any = RichProgress(transient=False)
            self.rich.start()
        except ImportError:
            self.rich = None
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()
        self.label, self.total, self.count, self.task = "", 0, 0, None
        self.shown_at, self.shown_count = 0.0, 0

    def phase(self, label: str, total: int) -> None:
        self.label, self.total, self.count = label, total, 0
        self.shown_at, self.shown_count = time.monotonic(), 0
        if self.rich is not None:
            self.task = self.rich.add_task(label, total=total)

    def advance(self, n: int) -> None:
        with self.lock:
            self.count = min(self.total, self.count + n)
            if self.rich is not None:
                self.rich.update(self.task, completed=self.count)
            else:
                self._plain()

    def done(self) -> None:
        self.advance(self.total)
        if self.rich is None and self.tty:
            print(file=sys.stderr)

    def stop(self) -> None:
        if self.rich is not None:
            self.rich.stop()

    def _plain(self) -> None:
        line = f"{self.label}: {self.count}/{self.total}"
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
            return
        step = max(1, self.total // 10)
        now = time.monotonic()
        if (self.count - self.shown_count >= step or now - self.shown_at >= 30
                or self.count == self.total) and self.count != self.shown_count:
            print(line, file=sys.stderr, flush=True)
            self.shown_at, self.shown_count = now, self.count


class _Reporting:
    """A solver in a worker process that writes one byte to the parent's pipe per finished
    task (run_tasks has no progress callback; a task killed at its deadline is not counted
    until the phase ends)."""

    def __init__(self, make: Callable[[], Any], fd: int) -> None:
        self.inner = make()
        self.name = self.inner.name
        self.fd = fd

    def check(self, task: SolverTask) -> SolverResult:
        try:
            return self.inner.check(task)
        finally:
            os.write(self.fd, b".")


def _count_finished(fd: int, stop: threading.Event, progress: Progress) -> None:
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            data = os.read(fd, 4096)
            if not data:
                return
            progress.advance(len(data))
        elif stop.is_set():
            return


def run_with_progress(tasks: list[SolverTask], make: Callable[[], Any], jobs: int, name: str,
                      progress: Progress) -> list[SolverResult]:
    progress.phase(name, len(tasks))
    rfd, wfd = os.pipe()
    stop = threading.Event()
    reader = threading.Thread(target=_count_finished, args=(rfd, stop, progress), daemon=True)
    reader.start()
    try:
        return run_tasks(tasks, partial(_Reporting, make, wfd), jobs=jobs, solver_name=name)
    finally:
        stop.set()
        reader.join()
        os.close(rfd)
        os.close(wfd)
        progress.done()


# -- running the solvers ---------------------------------------------------------------------
Answers = dict[str, list[list[SolverResult]]]     # solver -> per case -> per check-sat


def run_solver(name: str, cases: list[Case], timeout: float, jobs: int,
               progress: Progress) -> list[list[SolverResult]]:
    """Per case, one result per check-sat; unsupported check-sats are not run."""
    out = [[SolverResult("unknown", q.unsupported, solver=name) for q in c.queries]
           for c in cases]
    where, tasks = [], []
    for i, case in enumerate(cases):
        for j, text in enumerate(case.texts):
            if text is not None:
                where.append((i, j))
                tasks.append(SolverTask(smtlib=text[0], timeout_s=timeout, quantified=text[1]))
    for (i, j), res in zip(where, run_with_progress(tasks, factory(name), jobs, name, progress)):
        out[i][j] = res
    return out


# -- model check ---------------------------------------------------------------------------
class ModelCheck:
    """Plain cvc5 (no portfolio) on one script: is it satisfiable?  Used on a query with a
    model's values asserted."""

    name = "model-check"

    def check(self, task: SolverTask) -> SolverResult:
        import cvc5
        start = time.monotonic()
        solver = cvc5.Solver()
        solver.setOption("tlimit-per", str(max(1, int(task.timeout_s * 1000))))
        sm = cvc5.SymbolManager(solver)
        parser = cvc5.InputParser(solver, sm)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, task.smtlib, "model-check")
        result = None
        while result is None:
            cmd = parser.nextCommand()
            if cmd.isNull():
                result = solver.checkSat()
            elif cmd.getCommandName() == "check-sat":
                result = solver.checkSat()
            else:
                cmd.invoke(solver, sm)
        status = "sat" if result.isSat() else "unsat" if result.isUnsat() else "unknown"
        reason = "" if status != "unknown" else str(result.getUnknownExplanation())
        return SolverResult(status, reason, time_s=time.monotonic() - start, solver=self.name)


def constant_sorts(query: Query) -> dict[str, Sort]:
    out = {t.name: t.sort for t in query.declared}
    for a in query.assertions:
        for t in postorder(a):
            if t.op is Op.VAR:
                out.setdefault(t.name, t.sort)
    return out


def rename_elements(value: Value, names: dict[UValue, UValue]) -> Value:
    """`value` with every element of an uninterpreted sort replaced by a fresh constant (as a
    UValue named like it): such values have no literal in SMT-LIB input."""
    if isinstance(value, UValue):
        if value not in names:
            names[value] = UValue(value.sort, f"model!{value.sort}!{len(names)}")
        return names[value]
    if isinstance(value, tuple):
        return tuple(rename_elements(x, names) for x in value)
    if isinstance(value, ArrayValue):
        return ArrayValue(rename_elements(value.default, names),
                          tuple((rename_elements(k, names), rename_elements(v, names))
                                for k, v in value.entries))
    return value


def model_script(text: str, model: dict[str, Value], sorts: dict[str, Sort]) -> str:
    """The query with `(assert (= c value))` for every model value; raises ValueError when a
    value cannot be printed."""
    names: dict[UValue, UValue] = {}
    asserts = []
    for const, value in sorted(model.items()):
        if const in sorts:
            lit = value_smtlib(rename_elements(value, names), sorts[const])
            asserts.append(f"(assert (= {smt_symbol(const)} {lit}))")
    decls = [f"(declare-fun {smt_symbol(u.name)} () {UninterpretedSort(u.sort).smt()})"
             for u in names.values()]
    for sort in sorted({u.sort for u in names.values()}):
        elems = [smt_symbol(u.name) for u in names.values() if u.sort == sort]
        if len(elems) > 1:
            asserts.append(f"(assert (distinct {' '.join(elems)}))")
    head = text[:text.rindex("(check-sat)")]
    return head + "\n".join(decls + asserts) + "\n(check-sat)\n"


@dataclass
class PendingCheck:
    row: "Row"
    case: Case
    index: int
    model: dict[str, Value]


def run_model_checks(checks: list[PendingCheck], timeout: float, jobs: int,
                     progress: Progress) -> None:
    """Settles each pending sat: cvc5 accepts the model (ok), rejects it (wrong), or cannot
    tell / the model cannot be written down (disputed)."""
    tasks, todo = [], []
    for pc in checks:
        query = pc.case.queries[pc.index]
        try:
            text = model_script(pc.case.texts[pc.index][0], pc.model, constant_sorts(query))
        except ValueError as exc:
            settle(pc, "unprintable", str(exc))
            continue
        tasks.append(SolverTask(smtlib=text, timeout_s=timeout))
        todo.append(pc)
    for pc, res in zip(todo, run_with_progress(tasks, ModelCheck, jobs, "model checks",
                                               progress)):
        verdict = {"sat": "ok", "unsat": "failed"}.get(res.status, "unknown")
        settle(pc, verdict, res.reason)


def settle(pc: PendingCheck, verdict: str, detail: str) -> None:
    row, j = pc.row, pc.index + 1
    row.model_checked = join_words(row.model_checked, verdict)
    if verdict == "ok":
        note = f"check-sat {j}: sat model accepted by cvc5"
    elif verdict == "failed":
        row.wrong = 1
        note = f"check-sat {j}: sat, but cvc5 rejects the model"
    else:
        row.disputed = 1
        note = f"check-sat {j}: sat, model check {verdict}" + (f" ({detail})" if detail else "")
    row.note = join_notes(row.note, note)


# -- judging ---------------------------------------------------------------------------------
@dataclass
class Row:
    """One CSV row: one file x one solver."""

    corpus: str
    file: str
    solver: str
    answers: str            # per check-sat, space-separated
    status: str             # sat | unsat | mixed | unknown | none | error
    time_s: float           # all check-sats together
    max_time_s: float       # the slowest check-sat
    reason: str
    expected: str
    cvc5_manifest: str
    supported: int
    wrong: int = 0
    disputed: int = 0
    model_checked: str = ""  # per checked check-sat: ok | failed | unknown | unprintable
    note: str = ""
    timeout_s: float = 0.0
    jobs: int = 1
    selection: str = ""      # --limit/--sample of the run, empty for whole corpora
    date: str = ""
    commit: str = ""         # git describe of the code that ran

    @property
    def late(self) -> bool:
        """Answered, but some check-sat only after the time limit (the solver's deadline is
        checked between steps, and the pool gives a grace period): counted as unknown."""
        return self.status in ("sat", "unsat", "mixed") and self.max_time_s > self.timeout_s

    @property
    def solved(self) -> bool:
        return self.status in ("sat", "unsat", "mixed") and not self.late


def join_words(a: str, b: str) -> str:
    return f"{a} {b}".strip()


def join_notes(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


def file_status(answers: list[str]) -> str:
    if not answers:
        return "none"
    if any(a not in DEFINITE for a in answers):
        return "unknown"
    return answers[0] if len(set(answers)) == 1 else "mixed"


def make_row(case: Case, solver: str, results: list[SolverResult],
             args: argparse.Namespace) -> Row:
    answers = [r.status for r in results]
    reasons = list(dict.fromkeys(r.reason for r in results if r.status == "unknown" and r.reason))
    return Row(case.corpus, case.file, solver,
               "error" if case.error else " ".join(answers),
               "error" if case.error else file_status(answers),
               round(sum(r.time_s for r in results), 4),
               round(max((r.time_s for r in results), default=0.0), 4),
               case.error or "; ".join(reasons),
               " ".join(a or "-" for a in case.expected), case.cvc5_manifest,
               int(case.supported), timeout_s=args.timeout, jobs=args.jobs,
               selection=args.selection, date=args.date, commit=args.commit)


def confirmers(solver: str, solvers: Iterable[str]) -> list[str]:
    """Who can confirm an answer: cvc5 for our solvers, our solvers for cvc5."""
    return [s for s in solvers if (s == REFERENCE) != (solver == REFERENCE)]


def judge_answer(case: Case, j: int, solver: str, answers: dict[str, list[str]], row: Row,
                 model: dict[str, Value], checks: list[PendingCheck]) -> None:
    mine = answers[solver][j]
    if mine not in DEFINITE:
        return
    contradicted = False
    for other, theirs in answers.items():
        if other != solver and theirs[j] in DEFINITE and theirs[j] != mine:
            row.wrong, contradicted = 1, True
            row.note = join_notes(row.note, f"check-sat {j + 1}: {mine}, but {other} says "
                                            f"{theirs[j]}")
    expected = case.expected_at(j)
    if not expected or expected == mine:
        return
    if case.corpus not in UNRELIABLE_STATUS:
        row.wrong = 1
        row.note = join_notes(row.note, f"check-sat {j + 1}: {mine}, expected {expected}")
    elif any(answers[c][j] == mine for c in confirmers(solver, answers)):
        row.note = join_notes(row.note, f"check-sat {j + 1}: {mine} against :status "
                                        f"{expected}, confirmed")
    elif mine == "sat":
        checks.append(PendingCheck(row, case, j, model))
    elif not contradicted:
        row.disputed = 1
        row.note = join_notes(row.note, f"check-sat {j + 1}: unsat against :status sat, "
                                        "not confirmed by cvc5")


def judge(cases: list[Case], results: Answers, args: argparse.Namespace,
          progress: Progress) -> list[Row]:
    rows: list[Row] = []
    checks: list[PendingCheck] = []
    for i, case in enumerate(cases):
        answers = {s: [r.status for r in res[i]] for s, res in results.items()}
        for solver, res in results.items():
            row = make_row(case, solver, res[i], args)
            for j, r in enumerate(res[i]):
                judge_answer(case, j, solver, answers, row, r.model, checks)
            rows.append(row)
    run_model_checks(checks, args.timeout, args.jobs, progress)
    return rows


# -- CSV ---------------------------------------------------------------------------------------
def write_csv(rows: list[Row], path: str) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, [f.name for f in fields(Row)])
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)


def read_csv(path: str) -> list[Row]:
    types = {f.name: f.type for f in fields(Row)}
    convert = {"float": float, "int": int}
    with open(path, newline="") as fh:
        return [Row(**{k: convert.get(types[k], str)(v) for k, v in rec.items() if k in types})
                for rec in csv.DictReader(fh)]


# -- summary -----------------------------------------------------------------------------------
@dataclass
class Summary:
    corpus: str
    solver: str
    files: int
    supported: int
    solved: int
    sat: int
    unsat: int
    mixed: int
    wrong: int
    disputed: int
    model_ok: int
    ratio: float | None          # median time ratio solver/cvc5 on files both solved
    common: int


def by_key(rows: Iterable[Row]) -> dict[tuple[str, str], dict[str, Row]]:
    out: dict[tuple[str, str], dict[str, Row]] = {}
    for r in rows:
        out.setdefault((r.corpus, r.solver), {})[r.file] = r
    return out


def median_ratio(mine: dict[str, Row], ref: dict[str, Row] | None) -> tuple[float | None, int]:
    if ref is None:
        return None, 0
    ratios = [max(r.time_s, RATIO_FLOOR_S) / max(ref[f].time_s, RATIO_FLOOR_S)
              for f, r in mine.items() if r.solved and f in ref and ref[f].solved]
    return (statistics.median(ratios) if ratios else None), len(ratios)


def summarize(rows: list[Row]) -> list[Summary]:
    groups = by_key(rows)
    out = []
    for (corpus, solver), files in groups.items():
        rs = list(files.values())
        ref = groups.get((corpus, REFERENCE)) if solver != REFERENCE else None
        ratio, common = median_ratio(files, ref)
        out.append(Summary(corpus, solver, len(rs), sum(r.supported for r in rs),
                           sum(r.solved for r in rs),
                           *(sum(r.solved and r.status == s for r in rs)
                             for s in ("sat", "unsat", "mixed")),
                           sum(r.wrong for r in rs), sum(r.disputed for r in rs),
                           sum(r.model_checked.split().count("ok") for r in rs), ratio, common))
    return sorted(out, key=lambda s: (s.corpus, s.solver != REFERENCE, s.solver))


def manifest_solved(rows: Iterable[Row]) -> int:
    return sum(1 for r in rows if r.cvc5_manifest.split()
               and all(w in DEFINITE for w in r.cvc5_manifest.split()))


# -- markdown ----------------------------------------------------------------------------------
HEADER = ("| corpus | solver | files | supported | solved | sat | unsat | mixed | unknown "
          "| wrong | disputed | sat models checked | median time ratio vs cvc5 (files) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def table_lines(summaries: list[Summary], rows: list[Row]) -> list[str]:
    lines = [HEADER]
    corpora = list(dict.fromkeys(s.corpus for s in summaries))
    for corpus in corpora:
        for s in (s for s in summaries if s.corpus == corpus):
            ratio = "—" if s.ratio is None else f"{s.ratio:.2f} ({s.common})"
            lines.append(f"| {s.corpus} | {s.solver} | {s.files} | {s.supported} | {s.solved} "
                         f"| {s.sat} | {s.unsat} | {s.mixed} | {s.files - s.solved} | {s.wrong} "
                         f"| {s.disputed} | {s.model_ok} | {ratio} |")
        first = next(s.solver for s in summaries if s.corpus == corpus)
        files = by_key(rows)[(corpus, first)].values()
        lines.append(f"| {corpus} | cvc5 (manifest) | {len(files)} | | "
                     f"{manifest_solved(files)} | | | | | | | | |")
    return lines


def describe(r: Row) -> str:
    what = r.note or r.reason or f"{r.answers} after {r.max_time_s:.1f} s"
    return f"  - {r.corpus}/{r.file} ({r.solver}): {what}"


def listing(rows: list[Row]) -> list[str]:
    """Every wrong, disputed, model-checked, crashed or late row, by name."""
    out = []
    for title, pick in (("Wrong answers", lambda r: r.wrong),
                        ("Disputed answers", lambda r: r.disputed),
                        ("Sat answers against the stated :status, model accepted by cvc5",
                         lambda r: "ok" in r.model_checked.split() and not r.wrong),
                        ("Solver crashes and errors",
                         lambda r: any(t in r.reason for t in TROUBLE)),
                        ("Answers after the time limit, counted as unknown", lambda r: r.late)):
        hits = [r for r in rows if pick(r)]
        out.append(f"- {title}: {len(hits)}" + (":" if hits else "."))
        out += [describe(r) for r in hits]
    killed = Counter(r.solver for r in rows if "killed" in r.reason)
    out.append(f"- Time limit not kept (worker killed {GRACE_S:g} s after it; the CSV's reason "
               "column names the files): "
               + (", ".join(f"{s} {n}" for s, n in sorted(killed.items())) or "none") + ".")
    return out


def met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def targets(summaries: list[Summary], rows: list[Row]) -> list[str]:
    mine = [s for s in summaries if s.corpus == TARGET_CORPUS and s.solver == "python"]
    ref = [s for s in summaries if s.corpus == TARGET_CORPUS and s.solver == REFERENCE]
    runs = {(r.timeout_s, r.selection) for r in rows if r.corpus == TARGET_CORPUS}
    if not mine or runs != {(TARGET_TIMEOUT_S, "")}:
        return [f"Targets not evaluated: needs a `python` run on all of {TARGET_CORPUS} with "
                f"a {TARGET_TIMEOUT_S:g} s limit."]
    s = mine[0]
    manifest = manifest_solved(r for r in rows if r.corpus == TARGET_CORPUS
                               and r.solver == "python")
    this_run = ref[0].solved if ref else None
    bar = max(manifest, this_run or 0)
    wrong = sum(x.wrong for x in summaries if x.solver != REFERENCE)
    ratio = "n/a" if s.ratio is None else f"{s.ratio:.2f}"
    return [
        f"Targets ({TARGET_CORPUS}, {TARGET_TIMEOUT_S:g} s per check-sat):",
        f"- decide at least as many problems as cvc5: python decides {s.solved} of {s.files}; "
        f"cvc5 decides {manifest} per the manifest"
        + (f" and {this_run} in this run" if this_run is not None else "")
        + f": {met(s.solved >= bar)}",
        f"- 0 wrong answers (our solvers, all corpora in the table): {wrong}: "
        f"{met(wrong == 0)}"
        + (f"; {s.disputed} disputed on {TARGET_CORPUS}" if s.disputed else ""),
        f"- median time ratio python/cvc5 ≤ {TARGET_RATIO:g} on the {s.common} commonly solved "
        f"problems: {ratio}: {met(s.ratio is not None and s.ratio <= TARGET_RATIO)}",
    ]


def run_key(r: Row) -> tuple[str, str, float, int, str]:
    return r.date, r.commit, r.timeout_s, r.jobs, r.selection


def commands(rows: list[Row]) -> list[str]:
    """The command lines that produced the rows (one per run)."""
    corpora: dict[tuple, dict[str, None]] = {}
    solvers: dict[tuple, set[str]] = {}
    for r in rows:
        corpora.setdefault(run_key(r), {})[r.corpus] = None
        solvers.setdefault(run_key(r), set()).add(r.solver)
    out = []
    for key, names in corpora.items():
        date, commit, timeout, jobs, selection = key
        order = sorted(solvers[key], key=lambda s: (s != "python", s))
        out.append(f"python benchmarks/seq_corpora.py {' '.join(names)} --solvers "
                   f"{','.join(order)} --timeout {timeout:g} -j {jobs}"
                   f"{' ' + selection if selection else ''}    # {date}, commit {commit}")
    return out


def markdown(rows: list[Row]) -> str:
    import cvc5
    summaries = summarize(rows)
    lines = ["```sh", *commands(rows), "```", "",
             f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"cvc5 {getattr(cvc5, '__version__', '?')} (Python API). Time limit per check-sat: "
             f"{', '.join(f'{t:g} s' for t in sorted({r.timeout_s for r in rows}))} "
             f"(a worker is killed {GRACE_S:g} s after it). Times include reading the SMT-LIB text "
             "in the worker; ratios count times under 1 ms as 1 ms.", "",
             *table_lines(summaries, rows), "", *targets(summaries, rows), "", *listing(rows)]
    return "\n".join(lines)


def write_section(path: Path, body: str) -> None:
    """Replaces the generated block of the section, or appends the section."""
    text = path.read_text()
    block = f"{BEGIN}\n{body}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    path.write_text(text)


# -- comparing two runs ------------------------------------------------------------------------
def shown(r: Row) -> str:
    return f"{r.answers} (late)" if r.late else r.answers


def compare(old: list[Row], new: list[Row]) -> list[str]:
    before = {(r.corpus, r.file, r.solver): r for r in old}
    groups: dict[str, list[str]] = {"newly solved": [], "lost": [], "answer changed": [],
                                    "newly wrong or disputed": []}
    for r in new:
        o = before.get((r.corpus, r.file, r.solver))
        if o is None:
            continue
        name = f"{r.corpus}/{r.file} ({r.solver})"
        change = f"{name}: {shown(o)} -> {shown(r)}"
        if r.solved and not o.solved:
            groups["newly solved"].append(change)
        elif o.solved and not r.solved:
            groups["lost"].append(f"{change} ({r.reason})" if r.reason else change)
        elif shown(r) != shown(o):
            groups["answer changed"].append(change)
        if (r.wrong or r.disputed) and not (o.wrong or o.disputed):
            groups["newly wrong or disputed"].append(f"{name}: {r.note}")
    common = len({(r.corpus, r.file, r.solver) for r in new} & set(before))
    out = [f"compared {common} file x solver rows present in both runs"]
    for title, items in groups.items():
        out.append(f"{title}: {len(items)}")
        out += [f"  {x}" for x in items]
    return out


# -- command line ------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpora", nargs="*", help=f"corpus names under --corpora-dir or folders "
                                              f"(default: {' '.join(DEFAULT_CORPORA)})")
    p.add_argument("--solvers", default="python,cvc5", help="comma-separated solver names")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per check-sat")
    p.add_argument("-j", "--jobs", type=int, default=2, help="worker processes")
    p.add_argument("--out", help="write the raw results as CSV")
    p.add_argument("--limit", type=int, help="only the first N files of each corpus")
    p.add_argument("--sample", type=int, help="a random sample of K files of each corpus")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample")
    p.add_argument("--from-csv", nargs="+", metavar="CSV",
                   help="do not run: summarize (and --compare) these result files")
    p.add_argument("--table", nargs="?", const="-", metavar="README",
                   help="print the markdown summary, or write it into README's section")
    p.add_argument("--compare", metavar="OLD.csv", help="print what changed since OLD.csv")
    p.add_argument("--corpora-dir", default=str(CORPORA_DIR))
    args = p.parse_args(argv)
    args.selection = " ".join(f"--{k} {v}" for k, v in (("limit", args.limit),
                                                        ("sample", args.sample))
                              if v is not None)
    if args.sample is not None:
        args.selection += f" --seed {args.seed}"
    args.date = datetime.date.today().isoformat()
    return args


def code_version() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.stdout.strip() or "?"


def pin_code() -> None:
    """Imports the solvers' modules now: workers are forked from this process, so the whole
    run uses one version of the code even if the working tree changes meanwhile (a worker
    that replaces a killed one would otherwise import the code of that moment)."""
    for name in PINNED_MODULES:
        importlib.import_module(name)


def run(args: argparse.Namespace) -> list[Row]:
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    for s in solvers:
        try:
            factory(s)                   # an unknown name fails before any work
        except InputError as exc:
            raise SystemExit(exc.render()) from None
    pin_code()
    args.commit = code_version()
    progress = Progress()
    try:
        cases = load_cases(args.corpora or DEFAULT_CORPORA, args, progress)
        results = {s: run_solver(s, cases, args.timeout, args.jobs, progress) for s in solvers}
        return judge(cases, results, args, progress)
    finally:
        progress.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_csv:
        rows = [r for path in args.from_csv for r in read_csv(path)]
    else:
        start = time.monotonic()
        rows = run(args)
        print(f"ran in {time.monotonic() - start:.0f} s", file=sys.stderr)
    if args.out and not args.from_csv:
        write_csv(rows, args.out)
    if args.compare:
        print("\n".join(compare(read_csv(args.compare), rows)))
    text = markdown(rows)
    if args.table and args.table != "-":
        write_section(Path(args.table), text)
    elif args.table or not args.compare:
        print(text)
    return 1 if any(r.wrong for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
