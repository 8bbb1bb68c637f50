"""The language server survives its own bugs: an internal error while verifying a file is
published as one error diagnostic on that file (and logged), never a traceback on the
server's stderr with nothing in the editor; the server keeps serving."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from vecverify import lsp  # noqa: E402
from vecverify.errors import InputError, Span  # noqa: E402


class Recorder:
    def __init__(self, server: lsp.VecverifyServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.published: list[types.PublishDiagnosticsParams] = []
        self.logged: list[str] = []
        monkeypatch.setattr(server, "text_document_publish_diagnostics", self.published.append)
        monkeypatch.setattr(server, "window_log_message",
                            lambda p: self.logged.append(p.message))


def _file(tmp_path: Path) -> str:
    path = tmp_path / "p.vec"
    path.write_text("fn f() { }\n")
    return path.as_uri()


def test_an_internal_error_is_one_diagnostic_and_the_server_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = lsp.VecverifyServer()
    rec = Recorder(server, monkeypatch)
    uri = _file(tmp_path)

    def broken(paths: list[str], options: Any) -> Any:
        raise KeyError("a bug of ours")
    monkeypatch.setattr("vecverify.pipeline.verify_paths", broken)
    server.verify(uri)                      # does not raise
    [params] = rec.published
    assert params.uri == uri
    [diag] = params.diagnostics
    assert diag.severity == types.DiagnosticSeverity.Error
    assert "internal error" in diag.message and "KeyError" in diag.message
    assert "\n" not in diag.message
    assert any("internal error" in m for m in rec.logged)

    monkeypatch.undo()                      # the next save verifies normally again
    rec = Recorder(server, monkeypatch)
    server.verify(uri)
    [params] = rec.published
    assert params.diagnostics == []


def test_an_input_error_is_one_line_at_its_place(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    server = lsp.VecverifyServer()
    rec = Recorder(server, monkeypatch)
    uri = _file(tmp_path)

    def bad(paths: list[str], options: Any) -> Any:
        raise InputError(Span.point(paths[0], 1, 4), "unexpected 'a\nb' " + "x" * 5000)
    monkeypatch.setattr("vecverify.pipeline.verify_paths", bad)
    server.verify(uri)
    [diag] = rec.published[0].diagnostics
    assert (diag.range.start.line, diag.range.start.character) == (0, 3)
    assert "\n" not in diag.message and len(diag.message) <= 300
