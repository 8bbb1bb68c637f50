"""`vecverify lsp` end to end: the server runs as a subprocess and a minimal JSON-RPC client
speaks LSP to it over stdio (initialize, didOpen, hover, didSave, shutdown)."""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ..small_programs import FIRST_LAST

pytest.importorskip("pygls")

ROOT = Path(__file__).resolve().parents[2]

# `last` claims the second-to-last element
PROGRAM = FIRST_LAST.replace("ensures r == xs[len(xs) - 1]",
                             "ensures r == xs[len(xs) - 2]")


class Client:
    """Content-Length framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "vecverify", "lsp"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode().partition(":")
                if key.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.inbox.put(json.loads(out.read(length)))

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            msg["id"] = self.next_id
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return msg.get("id")

    def wait(self, pred, timeout: float = 180.0) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, "no such message from the server"
            msg = self.inbox.get(timeout=left)
            if pred(msg):
                return msg

    def request(self, method: str, params: Any) -> Any:
        rid = self.send(method, params, request=True)
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)

    def notification(self, method: str, uri: str | None = None) -> dict[str, Any]:
        return self.wait(lambda m: m.get("method") == method and
                         (uri is None or m["params"].get("uri") == uri))


def test_language_server_session(tmp_path: Path) -> None:
    src = tmp_path / "p.vec"
    src.write_text(PROGRAM)
    uri = src.as_uri()
    env = {**os.environ, "VECVERIFY_RESULT_CACHE": str(tmp_path / "cache.sqlite")}
    c = Client(env)
    try:
        init = c.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(),
                                        "capabilities": {}})
        caps = init["result"]["capabilities"]
        assert caps.get("hoverProvider")
        c.send("initialized", {})
        c.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "vec", "version": 1, "text": PROGRAM}})
        diags = c.notification("textDocument/publishDiagnostics", uri)["params"]["diagnostics"]
        # one violated postcondition, in `last`, with its counterexample in the message
        assert [(d["code"], d["severity"]) for d in diags] == [("postcondition", 1)]
        d = diags[0]
        assert d["range"]["start"] == {"line": 9, "character": 10}
        assert "(in last)" in d["message"] and "counterexample: xs = " in d["message"]
        first_log = c.notification("window/logMessage")["params"]["message"]
        assert "0 results from the cache" in first_log

        hover = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 9, "character": 14}})
        text = hover["result"]["contents"]["value"]
        assert "postcondition" in text and "counterexample:" in text and "xs = " in text
        nothing = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 0, "character": 0}})
        assert nothing["result"] is None

        # fix `last`, save: the diagnostics clear; `first` comes from the cache
        fixed = PROGRAM.replace("xs[len(xs) - 2]", "xs[len(xs) - 1]")
        src.write_text(fixed)
        c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        again = c.notification("textDocument/publishDiagnostics", uri)["params"]
        assert again["diagnostics"] == []
        log = c.notification("window/logMessage")["params"]["message"]
        hits = int(log.split("; ")[1].split()[0])
        assert hits > 0 and "0 not proved" in log

        # a syntax error is one diagnostic at its location
        src.write_text(fixed.replace("r := xs[0];", "r := xs[0]"))
        c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        broken = c.notification("textDocument/publishDiagnostics", uri)["params"]["diagnostics"]
        assert len(broken) == 1 and broken[0]["severity"] == 1
        assert broken[0]["range"]["start"]["line"] in (4, 5)

        assert c.request("shutdown", None)["result"] is None
        c.send("exit", None)
        assert c.proc.wait(timeout=30) == 0
    finally:
        if c.proc.poll() is None:
            c.proc.kill()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_language_server_on_solidity(tmp_path: Path) -> None:
    src = tmp_path / "Stack.sol"
    shutil.copy(ROOT / "examples" / "solidity" / "buggy" / "BoundedStack.sol", src)
    env = {**os.environ, "VECVERIFY_RESULT_CACHE": "off"}
    c = Client(env)
    try:
        c.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(),
                                 "capabilities": {}})
        c.send("initialized", {})
        c.send("textDocument/didOpen", {"textDocument": {
            "uri": src.as_uri(), "languageId": "solidity", "version": 1,
            "text": src.read_text()}})
        diags = c.notification("textDocument/publishDiagnostics",
                               src.as_uri())["params"]["diagnostics"]
        errors = [d for d in diags if d["severity"] == 1]
        assert errors and all("counterexample:" in d["message"] for d in errors)
        c.request("shutdown", None)
        c.send("exit", None)
        assert c.proc.wait(timeout=30) == 0
    finally:
        if c.proc.poll() is None:
            c.proc.kill()
