"""`verify --watch`: the first run prints the whole report, a change prints only the checks
whose verdict changed (in process, with a fake clock; and once as a real subprocess)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from vecverify.options import Options
from vecverify.watch import watch

from .small_programs import FIRST_LAST, FIRST_LAST_BROKEN

GOOD = FIRST_LAST
BAD = FIRST_LAST_BROKEN


def test_watch_prints_only_changed_verdicts(tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(GOOD)
    edits = iter([BAD, GOOD])
    out, err = io.StringIO(), io.StringIO()

    def tick(_: float) -> None:            # each poll: the next edit, with a new mtime
        text = next(edits)
        src.write_text(text)
        st = os.stat(src)
        os.utime(src, (st.st_atime, st.st_mtime + 5))

    code = watch([str(src)], Options(cache=False), out, err, rounds=2, sleep=tick)
    text = out.getvalue()
    first, rest = text.split("watching 1 file", 1)
    assert "checks: " in first and "violated" not in first.split("checks:")[0]
    after_bad, after_good = rest.split("--- ")[1:]
    # the broken edit: exactly the one violated postcondition, with its counterexample
    assert after_bad.count("error: [postcondition]") == 1 and "(in last)" in after_bad
    assert "counterexample:" in after_bad and "(in first)" not in after_bad
    # the fix: only that check again, now proved
    assert "note: [proved] postcondition" in after_good and "was violated" in after_good
    assert "(in first)" not in after_good
    assert code == 0 and not err.getvalue()


def test_watch_as_a_process(tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(GOOD)
    env = {**os.environ, "VECVERIFY_RESULT_CACHE": str(tmp_path / "cache.sqlite")}
    proc = subprocess.Popen([sys.executable, "-m", "vecverify", "verify", "--watch", str(src)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 120
        while not any(line.startswith("watching") for line in lines):
            lines.append(proc.stdout.readline())
            assert time.monotonic() < deadline
        time.sleep(1.1)                       # a new mtime even on coarse file systems
        src.write_text(BAD)
        while not any("error: [postcondition]" in line for line in lines):
            line = proc.stdout.readline()
            assert line and time.monotonic() < deadline, "".join(lines)
            lines.append(line)
        assert any(line.startswith("--- ") and "p.vec changed" in line for line in lines)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
