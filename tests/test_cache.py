"""The solver result cache: hits for identical VCs, misses (and fresh verdicts) for changed
ones, other solvers or options; unknowns never stored; --no-cache and `cache clear`."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from vecverify import commands
from vecverify.options import Options
from vecverify.pipeline import verify_paths

from .small_programs import FIRST_LAST

PROGRAM = FIRST_LAST


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "results.sqlite"
    monkeypatch.setenv("VECVERIFY_RESULT_CACHE", str(path))
    return path


def verdicts(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(d.function, d.kind, d.line, d.status.value, d.counterexample)
            for d in report.diagnostics]


def test_identical_vcs_hit_and_give_the_same_verdicts(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    first = verify_paths([str(src)], Options())
    assert first.stats["cache_hits"] == 0 and first.stats["cache_misses"] > 0
    second = verify_paths([str(src)], Options())
    assert second.stats["cache_hits"] == first.stats["cache_misses"]
    assert second.stats["cache_misses"] == 0
    assert verdicts(second) == verdicts(first)


def test_a_changed_function_is_decided_again(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    before = verify_paths([str(src)], Options())
    assert all(d.status.value == "proved" for d in before.diagnostics)
    # `last` now returns the first element: its postcondition VC changes and is violated;
    # `first`'s VCs are byte-identical and come from the cache
    src.write_text(PROGRAM.replace("r := xs[len(xs) - 1];", "r := xs[0];"))
    after = verify_paths([str(src)], Options())
    assert after.stats["cache_hits"] > 0 and after.stats["cache_misses"] > 0
    status = {(d.function, d.kind): d.status.value for d in after.diagnostics}
    assert status[("last", "postcondition")] == "violated"
    assert status[("first", "postcondition")] == "proved"
    cached = [d for d in after.diagnostics if d.function == "first"]
    assert all(d.time_s == 0.0 for d in cached)


def test_other_solver_or_options_miss(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    verify_paths([str(src)], Options())
    other = verify_paths([str(src)], Options(solver="python"))
    assert other.stats["cache_hits"] == 0
    polite = verify_paths([str(src)], Options(solver="python", combination="polite"))
    assert polite.stats["cache_hits"] == 0
    again = verify_paths([str(src)], Options(solver="python", combination="polite"))
    assert again.stats["cache_misses"] == 0


def test_unknowns_are_not_stored(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "nl.vec"
    src.write_text("fn sq(x: int) -> (r: int)\n  ensures r >= 0\n{\n  r := x * x;\n}\n")
    first = verify_paths([str(src)], Options(solver="python"))
    assert {d.status.value for d in first.diagnostics} == {"unknown"}
    second = verify_paths([str(src)], Options(solver="python"))
    assert second.stats["cache_hits"] == 0


def test_no_cache_and_cache_clear(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    off = verify_paths([str(src)], Options(cache=False))
    assert "cache_hits" not in off.stats and not store.exists()
    verify_paths([str(src)], Options())
    out = io.StringIO()
    assert commands.cache_clear(out) == 0
    assert out.getvalue().startswith("removed ") and str(store) in out.getvalue()
    assert verify_paths([str(src)], Options()).stats["cache_hits"] == 0


def test_a_damaged_row_is_a_miss_and_is_dropped(store: Path, tmp_path: Path) -> None:
    """Single-bit flips anywhere in a stored row (17 % of them crashed the run with
    UnicodeDecodeError before rows carried a checksum) are misses: the check is decided
    again, the verdicts do not change, and the damaged row is replaced."""
    import random
    import sqlite3

    from vecverify.drivers.cache import decode
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    first = verify_paths([str(src)], Options())
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT key, result FROM results ORDER BY key").fetchall()
    key, blob = rows[0]
    rng = random.Random(13)
    for bit in rng.sample(range(len(blob) * 8), 24):
        damaged = bytearray(blob)
        damaged[bit // 8] ^= 1 << (bit % 8)
        with sqlite3.connect(store) as con:
            con.execute("UPDATE results SET result = ? WHERE key = ?", (bytes(damaged), key))
        again = verify_paths([str(src)], Options())
        assert again.stats["cache_misses"] == 1, bit
        assert verdicts(again) == verdicts(first)
        with sqlite3.connect(store) as con:
            [(stored,)] = con.execute("SELECT result FROM results WHERE key = ?", (key,))
        # dropped, then stored afresh by the new decision
        assert stored != bytes(damaged) and decode(stored) is not None


def test_rows_that_are_not_results_are_misses(store: Path, tmp_path: Path) -> None:
    import hashlib
    import pickle
    import sqlite3

    from vecverify.drivers.cache import decode
    payload = pickle.dumps({"status": "unsat"})
    assert decode(hashlib.sha256(payload).digest() + payload) is None   # not a SolverResult
    assert decode(b"") is None and decode("text") is None
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    first = verify_paths([str(src)], Options())
    with sqlite3.connect(store) as con:
        con.execute("UPDATE results SET result = ?", ("not bytes \udcff".encode("utf-8",
                                                                                 "replace"),))
    again = verify_paths([str(src)], Options())
    assert again.stats["cache_hits"] == 0
    assert verdicts(again) == verdicts(first)
