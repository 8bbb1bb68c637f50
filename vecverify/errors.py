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

    def render(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        return f"{where}error: {self.message}"


class InternalError(VecverifyError):
    """A bug in vecverify itself (an invariant of ours that did not hold)."""
