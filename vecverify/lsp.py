"""`vecverify lsp`: a language server (pygls) for `.vec` and `.sol` files.

On open and on save the file is verified (from disk, as the CLI would) and its checks are
published as diagnostics: violations as errors whose message carries the counterexample's
inputs, unknown and unsupported checks as warnings with the reason, input errors (syntax,
types, a missing compiler) as one error at their location.  Hovering over a failed check shows
its whole counterexample.  Verification runs in a worker thread, so the editor never waits,
and goes through the result cache, so saving a file re-decides only the functions whose VCs
changed; a `window/logMessage` after each run says how many results came from the cache.
"""
from __future__ import annotations

import os
import threading
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from vecverify import installed_version
from vecverify.errors import InputError, one_line
from vecverify.limits import allow_long_integers, deep_call
from vecverify.options import Options
from vecverify.reports import Diagnostic, Status
from vecverify.reports.render import counterexample_inputs, counterexample_lines

SUFFIXES = (".vec", ".sol")
_SEVERITY = {Status.VIOLATED: types.DiagnosticSeverity.Error,
             Status.DISAGREEMENT: types.DiagnosticSeverity.Error,
             Status.UNKNOWN: types.DiagnosticSeverity.Warning,
             Status.UNSUPPORTED: types.DiagnosticSeverity.Warning}


def _range(line: int, column: int, end_line: int, end_column: int) -> types.Range:
    """1-based inclusive source spans to LSP's 0-based, end-exclusive ranges."""
    start = types.Position(max(line - 1, 0), max(column - 1, 0))
    if end_line < line or (end_line == line and end_column < column):
        end_line, end_column = line, column
    return types.Range(start, types.Position(max(end_line - 1, 0), max(end_column, 1)))


def _message(d: Diagnostic) -> str:
    inputs = counterexample_inputs(d.counterexample)
    return f"{d.message} (in {d.function})" + (f"\ncounterexample: {inputs}" if inputs else "")


def lsp_diagnostic(d: Diagnostic) -> types.Diagnostic:
    return types.Diagnostic(range=_range(d.line, d.column, d.end_line, d.end_column),
                            message=_message(d), severity=_SEVERITY[d.status],
                            code=d.kind, source="vecverify")


class VecverifyServer(LanguageServer):
    def __init__(self, options: Options | None = None) -> None:
        super().__init__("vecverify", installed_version(missing="0"))
        self.options = options or Options()
        self.failed: dict[str, list[Diagnostic]] = {}     # uri -> failed checks (hover)
        self.lock = threading.Lock()

    def verify(self, uri: str) -> None:
        from vecverify.pipeline import verify_paths
        path = to_fs_path(uri)
        if path is None or not path.endswith(SUFFIXES):
            return
        try:
            report = deep_call(lambda: verify_paths([path], self.options))
        except InputError as exc:
            self._publish_error(uri, exc)
            return
        except Exception as exc:      # our bug: say so in the editor, and keep serving
            text = f"{type(exc).__name__}: {exc}"
            self._log(types.MessageType.Error, f"vecverify: internal error on {path}: {text}")
            self._publish_error(uri, InputError(None, f"vecverify internal error (a bug, "
                                                f"please report it): {text}", "internal"))
            return
        mine = [d for d in report.diagnostics
                if os.path.realpath(d.file) == os.path.realpath(path)]
        failed = [d for d in mine if d.status is not Status.PROVED]
        with self.lock:
            self.failed[uri] = failed
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=[lsp_diagnostic(d) for d in failed]))
        hits = report.stats.get("cache_hits", 0)
        self._log(types.MessageType.Info,
                  f"vecverify: {os.path.basename(path)}: {len(mine)} checks, "
                  f"{len(mine) - len(failed)} proved, {len(failed)} not proved; "
                  f"{hits} results from the cache")

    def _publish_error(self, uri: str, exc: InputError) -> None:
        span = exc.span
        rng = _range(span.line, span.column, span.line, span.column + 1) if span else \
            _range(1, 1, 1, 1)
        with self.lock:
            self.failed[uri] = []
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=[types.Diagnostic(
                range=rng, message=one_line(exc.message), severity=types.DiagnosticSeverity.Error,
                code=exc.code, source="vecverify")]))

    def _log(self, kind: types.MessageType, text: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=text))

    def hover_at(self, uri: str, pos: types.Position) -> types.Hover | None:
        with self.lock:
            failed = list(self.failed.get(uri, []))
        for d in failed:
            r = _range(d.line, d.column, d.end_line, d.end_column)
            if (r.start.line, r.start.character) <= (pos.line, pos.character) <= \
                    (r.end.line, r.end.character):
                lines = [f"**{d.kind}** ({d.status.value}): {d.message}"]
                if d.counterexample:
                    lines += ["```"] + counterexample_lines(d.counterexample, "") + ["```"]
                return types.Hover(contents=types.MarkupContent(
                    kind=types.MarkupKind.Markdown, value="\n".join(lines)), range=r)
        return None


def make_server(options: Options | None = None) -> VecverifyServer:
    server = VecverifyServer(options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VecverifyServer, params: types.DidOpenTextDocumentParams) -> None:
        _in_thread(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: VecverifyServer, params: types.DidSaveTextDocumentParams) -> None:
        _in_thread(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: VecverifyServer, params: types.HoverParams) -> Any:
        return ls.hover_at(params.text_document.uri, params.position)

    return server


def _in_thread(ls: VecverifyServer, uri: str) -> None:
    threading.Thread(target=ls.verify, args=(uri,), daemon=True).start()


def main(options: Options | None = None) -> int:
    allow_long_integers()
    make_server(options).start_io()
    return 0
