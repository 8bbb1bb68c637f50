"""vecverify's cache directory and the store of solc outputs kept in it.

Starting solc (or node with the 8 MB solcjs build) costs far more than the rest of the Solidity
frontend, and its output is a pure function of the compiler version, the settings and the
sources.  So every successful standard-JSON output is kept under a hash of exactly those, and a
second run on unchanged sources reads it back instead of starting the compiler.

Layout of the cache directory (`$VECVERIFY_CACHE`, else `~/.cache/vecverify`):

    solcjs/                      npm package `solc` (installed by the user or CI) + our driver
    solc-output/<sha256>.json    {"compiler": version, "output": standard-JSON output}
    solc-output/index/<sha256>.json
                                 {"units": [...]}: which source units a given *input* pulled
                                 in through imports, so that the full key (which hashes the
                                 imported files too) can be computed before compiling again

Everything here is an optimisation: a cache that cannot be read or written is treated as
empty, never as an error.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any

from vecverify.cachedir import CACHE_ENV, cache_dir  # noqa: F401  (the compiler's too)


def solcjs_dir() -> str:
    """Where `npm install --prefix <this> solc@<version>` puts the solcjs compiler."""
    return os.path.join(cache_dir(), "solcjs")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(value: Any) -> str:
    """Hash of a JSON value in canonical form (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_bytes(text.encode("utf-8"))


def output_key(version: str, settings: dict[str, Any], contents: dict[str, bytes]) -> str:
    """The key of one compiler output: compiler version, standard-JSON settings (remappings,
    output selection) and every compiled source unit's name and content hash."""
    return sha256_json({
        "compiler": version,
        "settings": settings,
        "sources": sorted((unit, sha256_bytes(data)) for unit, data in contents.items()),
    })


def write_atomically(path: str, data: bytes) -> None:
    """Write via a temporary file and rename, so a concurrent reader (pytest -n, two vecverify
    runs) sees the old file or the new one, never half of one."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class OutputCache:
    """solc outputs on disk, keyed by `output_key`; see the module docstring for the layout."""

    def __init__(self, root: str | None = None) -> None:
        self.root = os.path.join(root or cache_dir(), "solc-output")

    def _read(self, path: str) -> Any:
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return None

    def _write(self, path: str, value: Any) -> None:
        try:
            write_atomically(path, json.dumps(value, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a read-only or full cache only costs the next run a compile

    def units_for(self, input_key: str) -> list[str] | None:
        """The source units an earlier compile of this exact input consisted of."""
        entry = self._read(os.path.join(self.root, "index", f"{input_key}.json"))
        units = entry.get("units") if isinstance(entry, dict) else None
        if isinstance(units, list) and all(isinstance(u, str) for u in units):
            return units
        return None

    def load(self, key: str, version: str) -> dict[str, Any] | None:
        entry = self._read(os.path.join(self.root, f"{key}.json"))
        if isinstance(entry, dict) and entry.get("compiler") == version \
                and isinstance(entry.get("output"), dict):
            return entry["output"]  # type: ignore[no-any-return]
        return None

    def save(self, input_key: str, key: str, version: str, units: list[str],
             output: dict[str, Any]) -> None:
        self._write(os.path.join(self.root, f"{key}.json"), {"compiler": version, "output": output})
        self._write(os.path.join(self.root, "index", f"{input_key}.json"), {"units": sorted(units)})
