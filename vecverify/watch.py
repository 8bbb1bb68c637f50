"""`vecverify verify --watch`: verify, then re-verify whenever a watched file changes and print
only the checks whose verdict changed.

Change detection polls modification times and sizes (twice a second by default): the files
are few, and polling needs no platform-specific notification library.  Unchanged functions
are decided from the result cache, so a re-run costs about what the edited function costs.

A check is identified by its file, function, kind and rank among the function's checks of
that kind, not by its line, so that moving code does not report it as changed.
"""
from __future__ import annotations

import os
import time
from typing import Callable, TextIO

from vecverify.errors import InputError
from vecverify.options import Options
from vecverify.pipeline import expand_paths, verify_paths
from vecverify.reports import Diagnostic, Report, Status
from vecverify.reports.render import diagnostic_lines, proved_line, render_text

Key = tuple[str, str, str, int]


def _stamp(paths: list[str]) -> dict[str, tuple[float, int]]:
    out = {}
    try:
        files = expand_paths(paths)
    except InputError:
        files = list(paths)
    for f in files:
        try:
            st = os.stat(f)
            out[f] = (st.st_mtime, st.st_size)
        except OSError:
            out[f] = (-1.0, -1)
    return out


def _index(report: Report) -> dict[Key, Diagnostic]:
    """Checks by (file, function, kind, n-th such check in the function): stable when code
    moves, independent of the verdict (whose message differs)."""
    seen: dict[tuple[str, str, str], int] = {}
    out: dict[Key, Diagnostic] = {}
    for d in sorted(report.diagnostics, key=lambda d: (d.file, d.line, d.column)):
        base = (d.file, d.function, d.kind)
        seen[base] = seen.get(base, -1) + 1
        out[base + (seen[base],)] = d
    return out


def changes(before: Report, after: Report) -> list[str]:
    """The lines `--watch` prints for one re-run: checks whose verdict is new or different,
    checks that are now proved, and checks that disappeared are not mentioned."""
    old, lines = _index(before), []
    for key, d in _index(after).items():
        prev = old.get(key)
        if prev is not None and prev.status is d.status:
            continue
        if d.status is Status.PROVED:
            if prev is not None:
                lines.append(f"{proved_line(d)}, was {prev.status.value}")
            continue
        lines += diagnostic_lines(d)
    return lines


def watch(paths: list[str], options: Options, out: TextIO, err: TextIO,
          poll_s: float = 0.5, rounds: int | None = None,
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Run until interrupted (or `rounds` re-verifications, for tests); returns the exit code
    of the last report."""
    stamp = _stamp(paths)
    try:
        report = verify_paths(paths, options)
        out.write(render_text(report))
    except InputError as exc:
        err.write(exc.render() + "\n")
        report = Report()
    out.write(f"watching {len(stamp)} file{'s' if len(stamp) != 1 else ''} "
              "(Ctrl-C stops)\n")
    out.flush()
    done = 0
    try:
        while rounds is None or done < rounds:
            sleep(poll_s)
            now = _stamp(paths)
            if now == stamp:
                continue
            changed = sorted(f for f in set(now) | set(stamp) if now.get(f) != stamp.get(f))
            stamp = now
            done += 1
            out.write(f"--- {time.strftime('%H:%M:%S')} {', '.join(changed)} changed\n")
            try:
                new = verify_paths(paths, options)
            except InputError as exc:
                err.write(exc.render() + "\n")
                err.flush()
                continue
            lines = changes(report, new)
            report = new
            s = new.summary()
            out.write("".join(line + "\n" for line in lines) or "no verdict changed\n")
            out.write(f"{len(new.diagnostics)} checks: {s['proved']} proved, "
                      f"{s['violated']} violated, {s['unknown']} unknown\n")
            out.flush()
    except KeyboardInterrupt:
        pass
    return report.exit_code()
