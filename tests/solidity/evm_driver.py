"""Run one generated contract through the verifier and on the EVM, and compare the verdicts.

Why this comparison is sound: the verifier checks every function from an *arbitrary* entry
storage that only satisfies the types' ranges, with arbitrary arguments and sender.  So a call
on the EVM from random storage and random arguments is one of the executions the verifier
reasons about, and if it fails, the first failing check of that execution cannot be `proved`:

  - a `Panic(uint256)` (overflow, division by zero, out-of-bounds index, empty pop, failed
    assert, bad enum conversion) at source position P: the verifier's check of that kind at P
    must not be proved;
  - `VvInv(line, iter)`, the EVM text's instrumented loop invariants (see `gen_contracts`):
    `loop-invariant-entry` (iter 0) or `loop-invariant-preserved` at that annotation line must
    not be proved.

A proved check that fails on the EVM is an UNSOUND finding.  Reverts from `require` discard
the execution (not a failure).  Checks the verifier assumed after an earlier failure do not
matter: the EVM stops at the first failure, and that is the only one compared.

Matching a failure to a check: the check kinds of the panic code; then the first of these
that has candidates: the failure's whole source span, its start (line and column), its line.
If every candidate is proved, the finding is unsound.  A failure without any candidate check
is unsound when no check of its kind in that function is unproved (the verifier missed the
check altogether), or when it happened in inlined code (a helper or a modifier: generated
helpers have no specification, so the verifier inlines them) at a line where the function has
no check of its kind; otherwise it is recorded as `unmatched` for review (the EVM's source map
and the verifier's span disagree), as is a panic the verifier has no check kind for.

Every `violated` check must carry a counterexample whose `replay` (the verifier's own EVM
replay) says confirmed; a counterexample without a `replay` is counted as "no replay yet".

    from tests.solidity.evm_driver import run_contract
    result = run_contract(generate_contract(7, 20), "/tmp/work", executions=10)
    result.unsound, result.summary()
"""
from __future__ import annotations

import copy
import json
import os
import random
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .gen_contracts import (INTERESTING, SMALL, Contract,
                            Function)

SENDERS = (0x1000000000000000000000000000000000000001, 0xBEEF)
ADDRESSES = SENDERS + (0,)
VERIFY_TIMEOUT_S = 10.0
# the check kinds a Panic code or an invariant failure can stand for that the verifier checks
# (others, e.g. out-of-memory 0x41, are recorded as `unmatched` for review, not as unsound)
CHECKED_KINDS = frozenset({"assert", "overflow", "underflow", "division-by-zero",
                           "enum-conversion", "pop-empty", "index-out-of-bounds",
                           "loop-invariant-entry", "loop-invariant-preserved"})


# ---------------------------------------------------------------------------------------------
# Random inputs and entry storage


def value_of(rng: random.Random, ty: str, tame: bool = False) -> Any:
    """A random value of parameter/storage type `ty`: small numbers and boundary values;
    `tame` keeps to small numbers and longer arrays, so that runs get past index checks."""
    if ty == "bool":
        return rng.random() < 0.5
    if ty == "address":
        return rng.choice(ADDRESSES)
    if ty == "uint256[]":
        return [value_of(rng, "uint256", tame) for _ in range(_length(rng, tame))]
    if tame or rng.random() < 0.6:
        return rng.choice(SMALL[ty])
    return rng.choice(INTERESTING[ty])


def _length(rng: random.Random, tame: bool = False) -> int:
    if tame:
        return rng.choice((3, 4))
    return rng.choices((0, 1, 2, 3, 4), weights=(15, 25, 25, 25, 10))[0]


def _struct(rng: random.Random, tame: bool) -> dict[str, Any]:
    return {"a": value_of(rng, "uint256", tame), "b": value_of(rng, "int8", tame),
            "c": value_of(rng, "bool")}


def entry_storage(rng: random.Random, keys: Iterable[int] = (), tame: bool = False
                  ) -> dict[str, Any]:
    """A random storage state: small lengths, values mixing small numbers and boundaries;
    mapping `m` set at keys 0..3 and `keys`, `ms` at every address the calls use."""
    m_keys = sorted({0, 1, 2, 3} | {k for k in keys if isinstance(k, int) and k >= 0})

    def v(ty: str) -> Any:
        return value_of(rng, ty, tame)

    def n() -> int:
        return _length(rng, tame)
    return {
        "su": v("uint256"), "su8": v("uint8"), "si": v("int256"), "si8": v("int8"),
        "sb": v("bool"), "se": rng.randint(0, 2),
        "xs": [v("uint256") for _ in range(n())],
        "ys": [v("uint8") for _ in range(n())],
        "zs": [v("int256") for _ in range(n())],
        "grid": [[v("uint256") for _ in range(n())] for _ in range(n())],
        "s1": _struct(rng, tame),
        "ss": [_struct(rng, tame) for _ in range(n())],
        "m": {k: v("uint256") for k in m_keys if rng.random() < 0.8},
        "ms": {a: _struct(rng, tame) for a in ADDRESSES if rng.random() < 0.8},
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Failure:
    """One failing EVM execution, as the oracle saw it."""

    function: str
    kind: tuple[str, ...]             # check kinds it stands for
    panic: int | None                 # Panic code, or None for an invariant failure
    line: int | None
    column: int | None
    end: tuple[int, int] | None
    args: list[Any]
    storage: dict[str, Any]
    sender: int
    describe: str


@dataclass
class Finding:
    """A failure compared with the verifier's verdicts: `unsound` or `unmatched`."""

    what: str                         # "unsound" | "unmatched"
    contract_seed: Any
    function: str
    failure: dict[str, Any]
    checks: list[dict[str, Any]]      # the candidate checks (kind, line, column, status, ...)
    reason: str
    families: list[str]
    source: str = ""                  # the function's text (verified rendering)
    count: int = 1
    run: dict[str, Any] = field(default_factory=dict)   # args/storage/sender, replayable
    # the function's checks that are not proved (triage: did the verifier flag this path?)
    unproved: list[str] = field(default_factory=list)


@dataclass
class FunctionResult:
    name: str
    public: bool
    status: str = "verified"          # verified (possibly without checks) | unsupported |
    #                                   not-callable (no wrapper for this helper)
    reason: str = ""
    checks: Counter = field(default_factory=Counter)      # status -> count
    executions: int = 0
    outcomes: Counter = field(default_factory=Counter)    # ok, revert, panic:<kind>, ...
    unsound: int = 0
    unmatched: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    no_replay: int = 0
    families: list[str] = field(default_factory=list)


@dataclass
class ContractResult:
    seed: Any
    functions: list[FunctionResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str = ""                   # compile error or crash: nothing compared
    error_kind: str = ""              # "compile" | "verifier-crash" | "evm-crash"
    unconfirmed_violations: list[dict[str, Any]] = field(default_factory=list)
    verify_s: float = 0.0
    evm_s: float = 0.0
    compile_s: float = 0.0

    @property
    def unsound(self) -> list[Finding]:
        return [f for f in self.findings if f.what == "unsound"]

    @property
    def unmatched(self) -> list[Finding]:
        return [f for f in self.findings if f.what == "unmatched"]

    def summary(self) -> dict[str, Any]:
        s: Counter = Counter()
        for f in self.functions:
            s["functions"] += 1
            s[f"functions_{f.status}"] += 1
            s["checks"] += sum(f.checks.values())
            for k, v in f.checks.items():
                s[f"checks_{k}"] += v
            s["executions"] += f.executions
            s["evm_failures"] += sum(v for k, v in f.outcomes.items()
                                     if k.startswith(("panic", "invariant")))
            for k in ("unsound", "unmatched", "confirmed", "unconfirmed", "no_replay"):
                s[k] += getattr(f, k)
        s["unsound_findings"] = len(self.unsound)
        return dict(s)


# ---------------------------------------------------------------------------------------------
# The comparison


def _check_json(d: Any) -> dict[str, Any]:
    return {"kind": d.kind, "line": d.line, "column": d.column, "end_line": d.end_line,
            "end_column": d.end_column, "status": d.status.value, "message": d.message}


def judge_failure(failure: Failure, diags: list[Any], own: tuple[int, int] | None = None
                  ) -> tuple[str, list[Any], str]:
    """("ok" | "unsound" | "unmatched", candidate checks, reason) for one EVM failure against
    the verifier's checks of its function; `own` is the function's first and last line (a
    failure outside them is in inlined code: a helper or a modifier)."""
    if not set(failure.kind) & CHECKED_KINDS:
        return "unmatched", [], f"the verifier has no check for {'/'.join(failure.kind)}"
    same_kind = [d for d in diags if d.kind in failure.kind]
    if failure.line is None:
        levels: list[list[Any]] = []
    else:
        levels = [
            [d for d in same_kind if (d.line, d.column) == (failure.line, failure.column)
             and failure.end is not None and (d.end_line, d.end_column) == failure.end],
            [d for d in same_kind if (d.line, d.column) == (failure.line, failure.column)],
            [d for d in same_kind if d.line == failure.line],
        ]
    for level, cands in zip(("span", "start", "line"), levels):
        if cands:
            if all(d.status.value == "proved" for d in cands):
                return "unsound", cands, f"every {'/'.join(failure.kind)} check at the " \
                    f"failure's {level} is proved"
            return "ok", cands, ""
    if not any(d.status.value != "proved" for d in same_kind):
        where = "anywhere in the function" if same_kind else "at all"
        return "unsound", same_kind, f"no unproved {'/'.join(failure.kind)} check {where}"
    if own is not None and failure.line is not None and \
            not own[0] <= failure.line <= own[1]:
        return "unsound", same_kind, f"no {'/'.join(failure.kind)} check at the failure's " \
            "line, which is in code inlined from outside the function"
    return "unmatched", same_kind, "no check of this kind at the failure's line"


def _unproved(diags: list[Any]) -> list[str]:
    return [f"{d.kind} {d.line}:{d.column} {d.status.value}" for d in
            sorted(diags, key=lambda d: (d.line, d.column)) if d.status.value != "proved"]


def replay_status(d: Any) -> str:
    """confirmed | unconfirmed | no-replay for a violated check."""
    cex = d.counterexample or {}
    if "replay" not in cex:
        return "no-replay"
    r = cex.get("replay")
    if isinstance(r, dict):
        ok = r.get("confirmed", r.get("status") == "confirmed")
    else:
        ok = isinstance(r, str) and r.startswith("confirmed")
    return "confirmed" if ok else "unconfirmed"


def _classify(out: Any) -> tuple[str, tuple[str, ...], int | None]:
    """(outcome key, check kinds, panic) of one call's Outcome."""
    from vecverify.frontends.solidity.evm import PANIC_KINDS
    if not out.reverted:
        return "ok", (), None
    if out.panic is not None:
        if out.panic in PANIC_KINDS:
            return f"panic:{PANIC_KINDS[out.panic]}", tuple(PANIC_KINDS[out.panic].split("/")), \
                out.panic
        return f"panic:0x{out.panic:x}", (), out.panic
    if out.custom_error and out.custom_error.startswith("VvInv("):
        _line, it = out.error_args
        kind = "loop-invariant-entry" if it == 0 else "loop-invariant-preserved"
        return f"invariant:{kind}", (kind,), None
    if out.out_of_gas:
        return "out-of-gas", (), None
    return "revert", (), None


# ---------------------------------------------------------------------------------------------
# One contract


def verify_text(path: str, timeout_s: float) -> Any:
    from vecverify.options import Options
    from vecverify.pipeline import verify_paths
    try:
        options = Options(timeout_s=timeout_s, jobs=1, cache=False)
    except TypeError:
        options = Options(timeout_s=timeout_s, jobs=1)
    return verify_paths([path], options)


class Session:
    """One contract, verified once and compiled for the EVM once.  `open()` does both (or
    `verify()` and `compile_evm()` separately); `call` runs one execution and `judge` compares
    its failure with the verifier's checks."""

    def __init__(self, contract: Contract, workdir: str, timeout_s: float = VERIFY_TIMEOUT_S,
                 report: Any = None) -> None:
        self.contract = contract
        self.timeout_s = timeout_s
        self.result = ContractResult(contract.seed)
        self.report = report
        self.harness: Any = None
        self.by_fn: dict[str, list[Any]] = {}
        self._ranges: dict[str, tuple[int, int]] | None = None
        os.makedirs(os.path.join(workdir, "evm"), exist_ok=True)
        self.vpath = os.path.join(workdir, f"{contract.name}.sol")
        self.epath = os.path.join(workdir, "evm", f"{contract.name}.sol")
        self.vtext, etext = contract.render(), contract.render(evm=True)
        with open(self.vpath, "w", encoding="utf-8") as fh:
            fh.write(self.vtext)
        with open(self.epath, "w", encoding="utf-8") as fh:
            fh.write(etext)

    def open(self) -> bool:
        return self.verify() and self.compile_evm()

    @property
    def ok(self) -> bool:
        return not self.result.error_kind

    def verify(self) -> bool:
        from vecverify.errors import InputError
        from vecverify.frontends.solidity.compiler import CompilerError
        result = self.result
        t0 = time.perf_counter()
        if self.report is None:
            try:
                self.report = verify_text(self.vpath, self.timeout_s)
            except (CompilerError, InputError) as exc:
                result.error, result.error_kind = f"verifier input error: {exc}", "compile"
                return False
            except Exception:
                result.error = traceback.format_exc(limit=8)
                result.error_kind = "verifier-crash"
                return False
        result.verify_s = time.perf_counter() - t0
        for d in self.report.diagnostics:
            self.by_fn.setdefault(d.function, []).append(d)
        return True

    def compile_evm(self) -> bool:
        from vecverify.errors import InputError
        from vecverify.frontends.solidity.compiler import CompilerError
        from vecverify.frontends.solidity.evm import Harness
        t0 = time.perf_counter()
        try:
            self.harness = Harness.compile(self.epath, contract=self.contract.name,
                                           functions=[h.name for h in self.contract.helpers])
        except (CompilerError, InputError) as exc:
            self.result.error = f"EVM compile error: {exc}"
            self.result.error_kind = "compile"
            return False
        self.inst = self.harness.deploy()
        self.snap = self.inst.snapshot()
        self.result.compile_s = time.perf_counter() - t0
        return True

    def diags(self, fn: str) -> list[Any]:
        return self.by_fn.get(f"{self.contract.name}.{fn}", [])

    def call(self, fn: str, run: dict[str, Any]) -> tuple[str, Failure | None]:
        """(outcome key, the failure if the call failed a check) of one execution."""
        self.inst.restore(self.snap)
        self.inst.set_storage(run["storage"])
        out = self.inst.call(fn, run["args"], sender=run["sender"])
        key, kinds, panic = _classify(out)
        if not kinds:
            return key, None
        loc = out.location
        line, col, end = (loc[1], loc[2], None) if loc else (None, None, None)
        if out.span is not None:
            end = (out.span.end_line, out.span.end_column)
        if panic is None:            # a loop invariant: its annotation line
            line, col, end = int(out.error_args[0]), None, None
        return key, Failure(fn, kinds, panic, line, col, end, run["args"], run["storage"],
                            run["sender"], out.describe())

    def judge(self, failure: Failure) -> tuple[str, list[Any], str]:
        if self._ranges is None:
            self._ranges = self.contract.line_ranges()
        return judge_failure(failure, self.diags(failure.function),
                             self._ranges.get(failure.function))


def run_contract(contract: Contract, workdir: str, executions: int = 10,
                 timeout_s: float = VERIFY_TIMEOUT_S, run_helpers: bool = True,
                 report: Any = None) -> ContractResult:
    """Verify `contract`, run every function `executions` times on the EVM from random
    arguments and entry storage, and compare (see the module's docstring).  `report` reuses a
    verifier report instead of verifying again."""
    session = Session(contract, workdir, timeout_s, report)
    result = session.result
    if not session.open():
        return result
    harness = session.harness
    t0 = time.perf_counter()
    members = contract.members() if run_helpers else contract.functions
    seen: dict[tuple[Any, ...], Finding] = {}
    lines = session.vtext.split("\n")
    ranges = contract.line_ranges()
    for fn in members:
        fr = FunctionResult(fn.name, fn.public, families=sorted(fn.all_families()))
        result.functions.append(fr)
        diags = session.diags(fn.name)
        unsupported = [d for d in diags if d.status.value == "unsupported"]
        if unsupported:
            fr.status, fr.reason = "unsupported", unsupported[0].message
            continue
        for d in diags:
            fr.checks[d.status.value] += 1
            if d.status.value == "violated":
                rs = replay_status(d)
                setattr(fr, rs.replace("-", "_"), getattr(fr, rs.replace("-", "_")) + 1)
                if rs == "unconfirmed":
                    result.unconfirmed_violations.append(
                        {"function": fn.name, **_check_json(d),
                         "replay": _jsonable((d.counterexample or {}).get("replay"))})
        if fn.name in harness.unwrappable:
            fr.status, fr.reason = "not-callable", harness.unwrappable[fn.name]
            continue
        start, end = ranges[fn.name]
        for run in random_runs(fn, executions, f"{contract.seed}:{fn.name}"):
            try:
                key, failure = session.call(fn.name, run)
            except Exception as exc:
                result.error = f"EVM harness error in {fn.name}: {exc!r}"
                result.error_kind = "evm-crash"
                fr.outcomes["harness-error"] += 1
                continue
            fr.executions += 1
            fr.outcomes[key] += 1
            if failure is None:
                if key.startswith("panic"):   # a panic code with no check kind
                    fr.outcomes["unmodelled-panic"] += 1
                continue
            verdict, cands, reason = session.judge(failure)
            if verdict == "ok":
                continue
            if verdict == "unsound":
                fr.unsound += 1
            else:
                fr.unmatched += 1
            k = (verdict, fn.name, failure.kind, failure.line, failure.column)
            if k in seen:
                seen[k].count += 1
                continue
            finding = Finding(verdict, contract.seed, fn.name,
                              _jsonable(asdict(failure)), [_check_json(d) for d in cands],
                              reason, fr.families, "\n".join(lines[start - 1:end]),
                              run=run, unproved=_unproved(diags))
            seen[k] = finding
            result.findings.append(finding)
    result.evm_s = time.perf_counter() - t0
    return result


def random_runs(fn: Function, n: int, seed: str) -> list[dict[str, Any]]:
    """`n` random executions of `fn` (half of them tame), deterministic given `seed`."""
    rng = random.Random(seed)
    runs = []
    for k in range(n):
        tame = k % 2 == 1
        args = [value_of(rng, p.ty, tame) for p in fn.params]
        keys = [a for a in args if isinstance(a, int) and not isinstance(a, bool)
                and 0 <= a < 2 ** 256]
        runs.append({"args": args, "storage": entry_storage(rng, keys, tame),
                     "sender": rng.choice(SENDERS)})
    return runs


# ---------------------------------------------------------------------------------------------
# Minimizing a finding


def _node_lists(body: list[Any]) -> list[tuple[list[Any], int]]:
    """(list, index) of every statement in `body`, nested ones included, in pre-order."""
    from .gen_contracts import Block
    out: list[tuple[list[Any], int]] = []
    for i, n in enumerate(body):
        out.append((body, i))
        if isinstance(n, Block):
            out += _node_lists(n.body)
            if n.else_body is not None:
                out += _node_lists(n.else_body)
    return out


def _edits(c: Contract, fname: str) -> Iterator[tuple[str, Contract]]:
    """One-step simplifications of function `fname` of `c`, later statements first."""
    from .gen_contracts import Block
    n = len(_node_lists(c.function(fname).body))
    for k in reversed(range(n)):
        c2 = copy.deepcopy(c)
        lst, i = _node_lists(c2.function(fname).body)[k]
        del lst[i]
        yield f"delete statement {k}", c2
    for k in range(n):
        lst, i = _node_lists(c.function(fname).body)[k]
        if isinstance(lst[i], Block):
            c2 = copy.deepcopy(c)
            lst, i = _node_lists(c2.function(fname).body)[k]
            block = lst[i]
            if block.else_body is not None:
                c3 = copy.deepcopy(c2)
                lst3, i3 = _node_lists(c3.function(fname).body)[k]
                lst3[i3].else_body = None
                yield f"drop else {k}", c3
                lst[i:i + 1] = block.body + block.else_body
            else:
                lst[i:i + 1] = block.body
            yield f"unwrap {k}", c2
    f = c.function(fname)
    for j in range(len(f.modifiers)):
        c2 = copy.deepcopy(c)
        del c2.function(fname).modifiers[j]
        yield f"drop modifier {j}", c2
    for h in c.helpers:
        if h.name != fname:
            c2 = copy.deepcopy(c)
            c2.helpers = [x for x in c2.helpers if x.name != h.name]
            yield f"drop helper {h.name}", c2


def _same(a: Failure, kinds: tuple[str, ...]) -> bool:
    return tuple(a.kind) == tuple(kinds)


def _attempt(c: Contract, fn: str, run: dict[str, Any], kinds: tuple[str, ...], workdir: str,
             timeout_s: float) -> tuple[Session, Failure, list[Any], str] | None:
    """The session, failure, candidate checks and reason if `c` still shows the finding."""
    s = Session(c, workdir, timeout_s)
    if not s.compile_evm():
        return None
    try:
        _, failure = s.call(fn, run)
    except Exception:
        return None
    if failure is None or not _same(failure, kinds) or not s.verify():
        return None
    verdict, cands, reason = s.judge(failure)
    if verdict != "unsound":
        return None
    return s, failure, cands, reason


def minimize(contract: Contract, finding: Finding, workdir: str,
             timeout_s: float = VERIFY_TIMEOUT_S, budget_s: float = 900.0,
             log: Callable[[str], None] | None = None) -> tuple[Contract, Finding]:
    """A smaller contract and call that still show the unsound `finding`: the function alone,
    then statements deleted and blocks unwrapped while the EVM still fails with the same kind
    and the verifier still proves every candidate check; then entry storage and arguments
    simplified (cheap: same compile, same verdicts)."""
    t_end = time.monotonic() + budget_s
    fn = finding.function
    kinds = tuple(finding.failure["kind"])
    run = copy.deepcopy(finding.run)
    best = contract.restricted([fn])
    got = _attempt(best, fn, run, kinds, workdir, timeout_s)
    if got is None:
        best = contract
        got = _attempt(best, fn, run, kinds, workdir, timeout_s)
        if got is None:
            return contract, finding          # not reproducible (a timeout that went away?)
    changed = True
    while changed and time.monotonic() < t_end:
        changed = False
        for what, cand in _edits(best, fn):
            if time.monotonic() >= t_end:
                break
            again = _attempt(cand, fn, run, kinds, workdir, timeout_s)
            if again is not None:
                if log:
                    log(f"  minimize {fn}: {what}")
                best, got, changed = cand, again, True
                break
    session, failure, cands, reason = got
    # entry storage and arguments: same compile and verdicts, only EVM calls
    def still(r: dict[str, Any]) -> tuple[Failure, list[Any], str] | None:
        try:
            _, f = session.call(fn, r)
        except Exception:
            return None
        if f is None or not _same(f, kinds):
            return None
        v, cs, why = session.judge(f)
        return (f, cs, why) if v == "unsound" else None
    for name in list(run["storage"]):
        trial = copy.deepcopy(run)
        del trial["storage"][name]
        found = still(trial)
        if found:
            run, (failure, cands, reason) = trial, found
    for name, value in list(run["storage"].items()):
        if isinstance(value, (list, dict)):
            keys = list(range(len(value))) if isinstance(value, list) else list(value)
            for key in reversed(keys):
                trial = copy.deepcopy(run)
                cur = trial["storage"][name]
                if isinstance(cur, list):
                    if key < len(cur):
                        del cur[key:]   # shorten the array
                elif key in cur:
                    del cur[key]
                found = still(trial)
                if found:
                    run, (failure, cands, reason) = trial, found
    for i, value in enumerate(run["args"]):
        for simpler in ([] if isinstance(value, list) else [0, 1, False]) + \
                ([[]] if isinstance(value, list) else []):
            if type(simpler) is not type(value) and not (isinstance(value, int)
                                                         and isinstance(simpler, int)):
                continue
            if simpler == value:
                break
            trial = copy.deepcopy(run)
            trial["args"][i] = simpler
            found = still(trial)
            if found:
                run, (failure, cands, reason) = trial, found
                break
    small = Finding("unsound", contract.seed, fn, _jsonable(asdict(failure)),
                    [_check_json(d) for d in cands], reason, finding.families,
                    "\n".join(session.vtext.split("\n")[slice(*_range0(best, fn))]),
                    finding.count, run, _unproved(session.diags(fn)))
    return best, small


def _range0(c: Contract, fn: str) -> tuple[int, int]:
    start, end = c.line_ranges()[fn]
    return start - 1, end


# ---------------------------------------------------------------------------------------------
# Repros


def repro_text(contract: Contract, finding: Finding) -> str:
    """A standalone .sol: `contract` (the finding's lines are its lines), the failing call and
    the verifier's checks in a comment at the end."""
    f = finding.failure
    notes = [
        f"vecverify EVM differential: {finding.what.upper()} finding",
        f"generated contract seed {contract.seed!r}, function {finding.function}",
        f"EVM: {f['describe']}",
        f"why: {finding.reason}",
        "the verifier's candidate checks:",
    ]
    notes += [f"  {c['kind']} {c['line']}:{c['column']} {c['status']}: {c['message']}"
              for c in finding.checks]
    notes += ["the function's checks that are not proved: "
              + (", ".join(finding.unproved) or "none")]
    notes += [f"call: {finding.function}({', '.join(map(repr, f['args']))}) "
              f"from 0x{f['sender']:x}, value 0",
              "entry storage: " + json.dumps(f["storage"]),
              "(unlisted state variables, mapping keys and array tails are zero/empty)"]
    return contract.render() + "\n/*\n" + "\n".join(notes) + "\n*/\n"


__all__ = ["ContractResult", "Failure", "Finding", "FunctionResult", "Session", "entry_storage",
           "judge_failure", "minimize", "random_runs", "replay_status", "repro_text",
           "run_contract", "value_of"]
