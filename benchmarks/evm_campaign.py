#!/usr/bin/env python3
"""EVM differential campaign: vecverify's verdicts against the real EVM on generated Solidity.

Why: every failure the EVM shows from a random entry storage is an execution the verifier
reasons about (it checks each function from an arbitrary entry storage within the types'
ranges), so the check that failed must not be `proved`.  A proved check that fails on the EVM
is an UNSOUND finding: a bug in the Solidity lowering (or in the encoding, or the solver).
The generator is `tests/solidity/gen_contracts.py`, the comparison `tests/solidity/
evm_driver.py` (read their docstrings for what is generated and how failures are matched).

Many functions share one contract (one solc compile and one deployment for the EVM, one
verifier run), and contracts run in parallel processes:

    python benchmarks/evm_campaign.py --functions 10000 --jobs 2 --seed 1 --out results.csv

Outputs:
  - `--out results.csv`: one row per function (status, checks by verdict, executions, EVM
    outcomes, unsound/unmatched failures, replay status of violations, construct families);
    a contract that did not compile or crashed the verifier is one row with function `*`;
  - `<out>.summary.json` and the summary on stdout;
  - `--repro-dir` (default `<out without .csv>-findings/`): one standalone `.sol` (failing call
    and checks in a comment at its end) and one `.json` per UNSOUND finding, minimized for the
    first `--minimize` findings; `unmatched/` (failures whose location matches no check of
    their kind, for review), `errors/` (contracts that did not compile or crashed the
    verifier).

The exit code is 1 if there is an unsound finding, an unconfirmed violation, a compile error
or a crash; 0 otherwise.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.solidity.evm_driver import minimize, repro_text, run_contract  # noqa: E402
from tests.solidity.gen_contracts import generate_contract  # noqa: E402

CSV_FIELDS = ["contract", "function", "public", "status", "reason", "checks", "proved",
              "violated", "unknown", "executions", "ok", "reverts", "failures", "unsound",
              "unmatched", "confirmed", "unconfirmed", "no_replay", "families"]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:80]


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """One contract (in a worker process): generate, verify, execute, compare, minimize."""
    seed, n = task["seed"], task["functions"]
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="vv-evm-", dir=task["workdir"])
    out: dict[str, Any] = {"seed": seed, "functions": n}
    try:
        contract = generate_contract(seed, n)
        result = run_contract(contract, workdir, executions=task["executions"],
                              timeout_s=task["timeout"])
        out["result"] = result
        out["source"] = contract.render()
        repros = []
        for k, finding in enumerate(result.unsound):
            small, small_finding = contract, finding
            if k < task["minimize"]:
                try:
                    small, small_finding = minimize(
                        contract, finding, os.path.join(workdir, "min"), task["timeout"],
                        budget_s=task["minimize_budget"])
                except Exception:
                    traceback.print_exc()
            repros.append((asdict(small_finding), repro_text(small, small_finding),
                           small is not contract))
        out["repros"] = repros
        out["unmatched"] = [(asdict(f), repro_text(contract, f)) for f in result.unmatched]
    except Exception:
        out["crash"] = traceback.format_exc()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out["time_s"] = time.perf_counter() - t0
    return out


class Campaign:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.repro_dir = args.repro_dir or re.sub(r"\.csv$", "", args.out) + "-findings"
        os.makedirs(self.repro_dir, exist_ok=True)
        self.totals: Counter = Counter()
        self.unsupported: Counter = Counter()
        self.outcomes: Counter = Counter()
        self.unsound: list[dict[str, Any]] = []
        self.unconfirmed: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.verify_s = self.compile_s = self.evm_s = 0.0
        self.csv_fh = open(args.out, "w", newline="", encoding="utf-8")
        self.csv = csv.DictWriter(self.csv_fh, fieldnames=CSV_FIELDS)
        self.csv.writeheader()
        self.t0 = time.monotonic()

    def record(self, out: dict[str, Any]) -> None:
        seed = out["seed"]
        t = self.totals
        t["contracts"] += 1
        t["functions_generated"] += out["functions"]
        result = out.get("result")
        if out.get("crash") or result is None or result.error_kind:
            kind = "harness-crash" if out.get("crash") else result.error_kind
            text = out.get("crash") or result.error
            t[f"contracts_{kind}"] += 1
            self.errors.append({"seed": seed, "kind": kind, "error": text[-3000:]})
            path = os.path.join(self.repro_dir, "errors", f"{_slug(str(seed))}.sol")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write((out.get("source") or generate_contract(seed, out["functions"]).render())
                         + "\n/*\n" + kind + ": " + text.replace("*/", "* /") + "\n*/\n")
            self.csv.writerow({"contract": seed, "function": "*", "status": kind,
                               "reason": text.strip().splitlines()[-1][:300] if text else ""})
            if result is None or kind != "evm-crash":
                return
        self.verify_s += result.verify_s
        self.compile_s += result.compile_s
        self.evm_s += result.evm_s
        for f in result.functions:
            t["helpers" if not f.public else "public"] += 1
            t[f"functions_{f.status}"] += 1
            if f.status == "unsupported":
                self.unsupported[f.reason] += 1
            if f.status == "verified" and not f.checks:
                t["functions_without_checks"] += 1
            t["checks"] += sum(f.checks.values())
            for k, v in f.checks.items():
                t[f"checks_{k}"] += v
            t["executions"] += f.executions
            failures = sum(v for k, v in f.outcomes.items()
                           if k.startswith(("panic", "invariant")) and k != "unmodelled-panic")
            t["evm_failures"] += failures
            for k, v in f.outcomes.items():
                self.outcomes[k] += v
            for k in ("unsound", "unmatched", "confirmed", "unconfirmed", "no_replay"):
                t[f"{k}_{'executions' if k in ('unsound', 'unmatched') else 'violations'}"] \
                    += getattr(f, k)
            self.csv.writerow({
                "contract": seed, "function": f.name, "public": int(f.public),
                "status": f.status, "reason": f.reason, "checks": sum(f.checks.values()),
                "proved": f.checks.get("proved", 0), "violated": f.checks.get("violated", 0),
                "unknown": f.checks.get("unknown", 0), "executions": f.executions,
                "ok": f.outcomes.get("ok", 0), "reverts": f.outcomes.get("revert", 0),
                "failures": failures, "unsound": f.unsound, "unmatched": f.unmatched,
                "confirmed": f.confirmed, "unconfirmed": f.unconfirmed,
                "no_replay": f.no_replay, "families": " ".join(f.families)})
        self.csv_fh.flush()
        self.unconfirmed += [{"seed": seed, **u} for u in result.unconfirmed_violations]
        for finding, text, minimized in out.get("repros", []):
            t["unsound_findings"] += 1
            kind = "_".join(finding["failure"]["kind"])
            name = f"{_slug(str(seed))}_{finding['function']}_{kind}_L{finding['failure']['line']}"
            with open(os.path.join(self.repro_dir, name + ".sol"), "w", encoding="utf-8") as fh:
                fh.write(text)
            with open(os.path.join(self.repro_dir, name + ".json"), "w",
                      encoding="utf-8") as fh:
                json.dump({**finding, "minimized": minimized}, fh, indent=1, default=str)
            self.unsound.append({"seed": seed, "file": name + ".sol", "minimized": minimized,
                                 "function": finding["function"], "reason": finding["reason"],
                                 "failure": finding["failure"]["describe"],
                                 "checks": finding["checks"], "families": finding["families"],
                                 "unproved": finding.get("unproved", [])})
        for finding, text in out.get("unmatched", []):
            t["unmatched_findings"] += 1
            if t["unmatched_findings"] > 200:
                continue
            d = os.path.join(self.repro_dir, "unmatched")
            os.makedirs(d, exist_ok=True)
            kind = "_".join(finding["failure"]["kind"])
            name = f"{_slug(str(seed))}_{finding['function']}_{kind}_L{finding['failure']['line']}"
            with open(os.path.join(d, name + ".sol"), "w", encoding="utf-8") as fh:
                fh.write(text)

    def progress(self, done: int, total: int) -> str:
        t = self.totals
        el = time.monotonic() - self.t0
        eta = el / max(done, 1) * (total - done)
        return (f"[{done}/{total} contracts] {t['functions_generated']} functions, "
                f"{t['checks']} checks, {t['executions']} executions, "
                f"{t['evm_failures']} EVM failures, unsound {t['unsound_findings']}, "
                f"unmatched {t['unmatched_findings']}, errors {len(self.errors)}; "
                f"{el:.0f}s elapsed, ETA {eta:.0f}s")

    def summary(self) -> dict[str, Any]:
        t = self.totals
        elapsed = time.monotonic() - self.t0
        verified = t["functions_verified"]
        return {
            "seed": self.args.seed,
            "functions_generated": t["functions_generated"],
            "helpers_generated": t["helpers"],
            "contracts": t["contracts"],
            "functions_verified": verified,
            "functions_unsupported": t["functions_unsupported"],
            "functions_not_callable": t["functions_not-callable"],
            "functions_without_checks": t["functions_without_checks"],
            "checks": t["checks"],
            "checks_by_verdict": {k[7:]: v for k, v in t.items() if k.startswith("checks_")},
            "executions": t["executions"],
            "evm_failures": t["evm_failures"],
            "evm_outcomes": dict(self.outcomes.most_common()),
            "unsound_findings": t["unsound_findings"],
            "unsound_executions": t["unsound_executions"],
            "unmatched_findings": t["unmatched_findings"],
            "violations_confirmed": t["confirmed_violations"],
            "violations_unconfirmed": t["unconfirmed_violations"],
            "violations_without_replay": t["no_replay_violations"],
            "unsupported_by_reason": dict(self.unsupported.most_common()),
            "contract_errors": {k[10:]: v for k, v in t.items() if k.startswith("contracts_")},
            "time_s": round(elapsed, 1),
            "time_verify_s": round(self.verify_s, 1),
            "time_evm_compile_s": round(self.compile_s, 1),
            "time_evm_run_s": round(self.evm_s, 1),
            "seconds_per_function_wall": round(elapsed / max(t["functions_generated"], 1), 2),
            "unsound": self.unsound,
            "unconfirmed": self.unconfirmed[:50],
            "errors": self.errors[:20],
        }

    def write_summary(self) -> dict[str, Any]:
        """The summary so far (written after every contract, so a long campaign that is
        stopped from outside still leaves its figures)."""
        s = self.summary()
        with open(re.sub(r"\.csv$", "", self.args.out) + ".summary.json", "w",
                  encoding="utf-8") as fh:
            json.dump(s, fh, indent=1, default=str)
        return s

    def close(self) -> dict[str, Any]:
        self.csv_fh.close()
        return self.write_summary()


def print_summary(s: dict[str, Any]) -> None:
    print()
    print("EVM differential campaign, seed", s["seed"])
    print(f"  functions generated        {s['functions_generated']} public "
          f"(+{s['helpers_generated']} internal helpers) in {s['contracts']} contracts")
    print(f"  functions verified         {s['functions_verified']} "
          f"(unsupported {s['functions_unsupported']}, without checks "
          f"{s['functions_without_checks']}, not callable {s['functions_not_callable']})")
    print(f"  checks                     {s['checks']} {s['checks_by_verdict']}")
    print(f"  executions                 {s['executions']}")
    print(f"  EVM failures observed      {s['evm_failures']}")
    print(f"  UNSOUND (proved, failed)   {s['unsound_findings']} findings "
          f"({s['unsound_executions']} executions)")
    print(f"  unmatched failures         {s['unmatched_findings']}")
    print(f"  violations                 confirmed {s['violations_confirmed']}, unconfirmed "
          f"{s['violations_unconfirmed']}, without replay {s['violations_without_replay']}")
    print(f"  contract errors            {s['contract_errors'] or 0}")
    if s["unsupported_by_reason"]:
        print("  unsupported by reason:")
        for reason, n in s["unsupported_by_reason"].items():
            print(f"    {n:5d}  {reason}")
    print(f"  time                       {s['time_s']}s wall "
          f"({s['seconds_per_function_wall']}s per function); verifier "
          f"{s['time_verify_s']}s, EVM compile {s['time_evm_compile_s']}s, "
          f"EVM runs {s['time_evm_run_s']}s (summed over processes)")
    for u in s["unsound"]:
        print(f"  UNSOUND {u['file']}: {u['failure']}; {u['reason']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--functions", type=int, default=500, help="public functions to generate")
    p.add_argument("--per-contract", type=int, default=40, help="public functions per contract")
    p.add_argument("--jobs", "-j", type=int, default=2, help="contracts in parallel")
    p.add_argument("--seed", default="1", help="campaign seed (contract k has seed SEED:k)")
    p.add_argument("--executions", type=int, default=20, help="EVM runs per function")
    p.add_argument("--timeout", type=float, default=10.0, help="solver time limit per check")
    p.add_argument("--out", default="evm_campaign.csv", help="per-function CSV")
    p.add_argument("--repro-dir", default=None, help="where findings go")
    p.add_argument("--minimize", type=int, default=10,
                   help="minimize at most this many unsound findings per contract")
    p.add_argument("--minimize-budget", type=float, default=900.0,
                   help="seconds per minimization")
    p.add_argument("--workdir", default=None, help="scratch directory (default: a temp dir)")
    args = p.parse_args(argv)

    scratch = args.workdir or tempfile.mkdtemp(prefix="vv-evm-campaign-")
    os.makedirs(scratch, exist_ok=True)
    tasks = []
    left, k = args.functions, 0
    while left > 0:
        n = min(args.per_contract, left)
        tasks.append({"seed": f"{args.seed}:{k}", "functions": n,
                      "executions": args.executions, "timeout": args.timeout,
                      "minimize": args.minimize, "minimize_budget": args.minimize_budget,
                      "workdir": scratch})
        left -= n
        k += 1
    campaign = Campaign(args)
    print(f"{args.functions} functions in {len(tasks)} contracts, {args.jobs} processes, "
          f"{args.executions} executions each, timeout {args.timeout}s; findings in "
          f"{campaign.repro_dir}", flush=True)
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            pending = {pool.submit(run_one, t) for t in tasks}
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    done += 1
                    try:
                        out = fut.result()
                    except Exception:
                        out = {"seed": "?", "functions": 0, "crash": traceback.format_exc()}
                    campaign.record(out)
                    campaign.write_summary()
                    print(campaign.progress(done, len(tasks)), flush=True)
    except KeyboardInterrupt:
        print("interrupted: summary of the contracts done so far", flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(scratch, ignore_errors=True)
    s = campaign.close()
    print_summary(s)
    bad = s["unsound_findings"] or s["violations_unconfirmed"] or s["contract_errors"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
