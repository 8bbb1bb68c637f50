"""The error hierarchy: bad input becomes an InputError with a source span, never a traceback.

`InputError` is what the CLI turns into `file:line:col: error: message` and exit code 3;
`InternalError` marks our own bugs.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A source range; lines and columns are 1-based, `end_column` is inclusive of the last char + 1."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @staticmethod
    def point(file: str, line: int, column: int) -> "Span":
        return Span(file, line, column, line, column + 1)


class VecverifyError(Exception):
    """Root of every error vecverify raises on purpose."""


class InputError(VecverifyError):
    """A problem with the user's input (syntax, types, unsupported construct, usage).

    `code` is a stable dotted reason such as `syntax.unexpected-token` or `type.mismatch`.
    """

    def __init__(self, span: Span | None, message: str, code: str = "input") -> None:
        super().__init__(message)
        self.span = span
        self.message = message
        self.code = code

    @classmethod
    def in_file(cls, path: str, message: str, code: str = "usage.file") -> "InputError":
        """An error about a file as a whole (cannot be read, is a directory): `path:1:1`."""
        return cls(Span.point(path, 1, 1), message, code)

    def render(self) -> str:
        """`file:line:col: error: message`, always one line: line breaks in the message are
        shown as `\\n`, and a message longer than `MAX_MESSAGE` is cut (a 1 MB token is not
        echoed whole)."""
        where = f"{self.span}: " if self.span is not None else ""
        return f"{where}error: {one_line(self.message)}"


MAX_MESSAGE = 300


def one_line(message: str, width: int = MAX_MESSAGE) -> str:
    """`message` on one line of at most `width` characters (editors and problem matchers read
    one diagnostic per line)."""
    text = (message.replace("\r\n", "\\n").replace("\r", "\\r").replace("\n", "\\n")
            .replace("\x0b", " ").replace("\x0c", " ").replace("\x1c", " ")
            .replace("\x1d", " ").replace("\x1e", " ").replace("\x85", " ")
            .replace("\u2028", " ").replace("\u2029", " "))
    return text if len(text) <= width else text[:width - 1] + "…"


class InternalError(VecverifyError):
    """A bug in vecverify itself (an invariant of ours that did not hold)."""
