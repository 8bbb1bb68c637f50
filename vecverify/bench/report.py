"""Campaign results: the CSV file, the summary per suite and solver, and the comparison with a
baseline that gates CI.

Regressions (exit code 1): a problem solved in the baseline and not now, any wrong answer,
and, per suite and solver, a median time more than 2x the baseline's on the problems both runs
solved.  Improvements: problems solved now and not before, and medians more than 2x faster.
"""
from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass, field
from typing import Any

from .runner import COLUMNS, Row

SLOWER = 2.0


def write_csv(rows: list[Row], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(r.as_csv() for r in rows)


def read_csv(path: str) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [Row(r["suite"], r["problem"], r["solver"], r["result"], r["answer"],
                    r["expected"], float(r["time_s"] or 0), r.get("reason", ""))
                for r in csv.DictReader(fh)]


def summary(rows: list[Row]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r.suite, r.solver), []).append(r)
    out = []
    for (suite, solver), rs in sorted(groups.items()):
        solved = [r.time_s for r in rs if r.result == "solved"]
        out.append({"suite": suite, "solver": solver, "problems": len(rs),
                    "solved": len(solved), "wrong": sum(r.result == "wrong" for r in rs),
                    "unknown": sum(r.result == "unknown" for r in rs),
                    "timeouts": sum(r.result == "timeout" for r in rs),
                    "total_s": sum(r.time_s for r in rs),
                    "median_s": statistics.median(solved) if solved else None})
    return out


def render_summary(rows: list[Row]) -> Any:
    """A rich Table (printed as plain text when the output is not a terminal)."""
    from rich.table import Table
    table = Table(title="vecverify bench")
    for col in ("suite", "solver", "problems", "solved", "wrong", "unknown", "timeouts",
                "total time", "median time (solved)"):
        table.add_column(col, justify="left" if col in ("suite", "solver") else "right")
    for s in summary(rows):
        med = "-" if s["median_s"] is None else f"{s['median_s']:.3f}s"
        table.add_row(s["suite"], s["solver"], str(s["problems"]), str(s["solved"]),
                      str(s["wrong"]), str(s["unknown"]), str(s["timeouts"]),
                      f"{s['total_s']:.2f}s", med)
    return table


@dataclass
class Comparison:
    regressions: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


def compare(rows: list[Row], baseline: list[Row]) -> Comparison:
    out = Comparison()
    old = {(r.suite, r.problem, r.solver): r for r in baseline}
    now = {(r.suite, r.problem, r.solver): r for r in rows}
    for key, r in sorted(now.items()):
        where = f"{key[0]}/{key[1]} ({key[2]})"
        b = old.get(key)
        if r.result == "wrong":
            out.regressions.append(f"{where}: wrong answer {r.answer} (expected {r.expected})"
                                   f"{'; ' + r.reason if r.reason else ''}")
        if b is None:
            continue
        if b.result == "solved" and r.result != "solved" and r.result != "wrong":
            out.regressions.append(f"{where}: solved before ({b.answer}, {b.time_s:.3f}s), "
                                   f"now {r.result}{': ' + r.reason if r.reason else ''}")
        elif r.result == "solved" and b.result != "solved":
            out.improvements.append(f"{where}: newly solved ({r.answer}, {r.time_s:.3f}s), "
                                    f"was {b.result}")
    groups: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for key, r in now.items():
        b = old.get(key)
        if b is not None and r.result == b.result == "solved":
            groups.setdefault((key[0], key[2]), []).append((r.time_s, b.time_s))
    for (suite, solver), pairs in sorted(groups.items()):
        new_med = statistics.median(p[0] for p in pairs)
        old_med = statistics.median(p[1] for p in pairs)
        floor = 0.01                      # below 10 ms a ratio is noise
        if new_med > SLOWER * max(old_med, floor):
            out.regressions.append(f"{suite} ({solver}): median time {new_med:.3f}s on the "
                                   f"{len(pairs)} problems both solved, was {old_med:.3f}s")
        elif old_med > SLOWER * max(new_med, floor):
            out.improvements.append(f"{suite} ({solver}): median time {new_med:.3f}s, was "
                                    f"{old_med:.3f}s")
    return out
