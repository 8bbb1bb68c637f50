"""The solver result cache: a definite answer (sat with its model, or unsat) kept under the
hash of everything that determines it, so that re-verifying an unchanged function costs a
lookup.

The key hashes the VC's exact SMT-LIB text (and its boxed variant and probe terms), the solver
name and its options, and the versions of vecverify and cvc5: a cached `unsat` (proved) is
reused only for a byte-identical VC decided the same way.  Unknowns (timeouts, crashes) are not
stored, since a later run with more time may decide them.  A cached `sat` still goes through
counterexample validation, like a fresh one.

Store: one SQLite file (`results.sqlite` in the cache directory, or `$VECVERIFY_RESULT_CACHE`;
`off` disables it), safe for the CLI and the language server at once.  A store that cannot be
read or written is an empty cache, never an error.  Each row carries a SHA-256 checksum of its
payload: a row that fails it or does not decode (a disk fault, a bit flip, a row of an older
format) is a miss and is dropped.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import time
from dataclasses import replace
from typing import Any

from vecverify import installed_version
from vecverify.cachedir import cache_dir

from .base import SolverResult, SolverTask

RESULT_CACHE_ENV = "VECVERIFY_RESULT_CACHE"


def default_path() -> str | None:
    """The store's path; None when `$VECVERIFY_RESULT_CACHE` is `off`."""
    env = os.environ.get(RESULT_CACHE_ENV, "")
    if env.lower() == "off":
        return None
    return os.path.abspath(env) if env else os.path.join(cache_dir(), "results.sqlite")


class ResultCache:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self._versions = {d: installed_version(d, "?") for d in ("vecverify", "cvc5")}

    def key(self, task: SolverTask, solver: str, options: dict[str, Any]) -> str:
        blob = json.dumps({"versions": self._versions, "solver": solver, "options": options,
                           "smtlib": task.smtlib, "boxed": task.boxed_smtlib,
                           "probes": list(task.probes), "quantified": task.quantified},
                          sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, "
                    "result BLOB NOT NULL, stored REAL NOT NULL)")
        return con

    def get_many(self, keys: list[str]) -> dict[str, SolverResult]:
        """The cached results among `keys` (counted as hits and misses)."""
        found: dict[str, SolverResult] = {}
        if self.path is not None and keys:
            try:
                with self._connect() as con:
                    bad = []
                    for k in dict.fromkeys(keys):
                        row = con.execute("SELECT result FROM results WHERE key = ?",
                                          (k,)).fetchone()
                        if row is None:
                            continue
                        result = decode(row[0])
                        if result is None:
                            bad.append((k,))
                        else:
                            found[k] = result
                    if bad:
                        con.executemany("DELETE FROM results WHERE key = ?", bad)
            except (sqlite3.Error, OSError):
                found = {}
        self.hits += sum(k in found for k in keys)
        self.misses += sum(k not in found for k in keys)
        return {k: replace(r, time_s=0.0, stats={**r.stats, "cached": True})
                for k, r in found.items()}

    def put_many(self, items: list[tuple[str, SolverResult]]) -> None:
        rows = [(k, encode(r), time.time()) for k, r in items
                if r.status in ("sat", "unsat")]
        if self.path is None or not rows:
            return
        try:
            with self._connect() as con:
                con.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows)
        except (sqlite3.Error, OSError):
            pass

    def clear(self) -> int:
        """Remove every stored result; returns how many there were."""
        if self.path is None or not os.path.exists(self.path):
            return 0
        try:
            with self._connect() as con:
                n = con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
                con.execute("DELETE FROM results")
            return int(n)
        except sqlite3.Error:
            os.remove(self.path)
            return 0


_DIGEST = 32     # bytes of SHA-256


def encode(result: SolverResult) -> bytes:
    """A row's payload: the checksum, then the pickled result."""
    payload = pickle.dumps(result)
    return hashlib.sha256(payload).digest() + payload


def decode(blob: object) -> SolverResult | None:
    """The result stored in `blob`, or None if the row is damaged (checksum, decoding, type)."""
    if not isinstance(blob, bytes) or len(blob) <= _DIGEST:
        return None
    digest, payload = blob[:_DIGEST], blob[_DIGEST:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        result = pickle.loads(payload)
    except Exception:   # any damage that the checksum missed: the row is not usable
        return None
    return result if isinstance(result, SolverResult) else None
