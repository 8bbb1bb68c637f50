"""Source positions for Solidity: solc's `src` attribute ("start:length:fileIndex", in bytes)
to 1-based `Span`s, and the raw text of a range (for quoting and for comment scanning)."""
from __future__ import annotations

import bisect

from vecverify.errors import Span


class SourceFile:
    """One source unit as solc saw it: its path (as shown to users) and its bytes."""

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        self._starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a byte offset; columns count characters, not bytes."""
        k = bisect.bisect_right(self._starts, offset) - 1
        line_start = self._starts[k]
        column = len(self.data[line_start:offset].decode("utf-8", errors="replace")) + 1
        return k + 1, column

    def span(self, start: int, length: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(start + max(length, 0))
        return Span(self.path, line, col, end_line, end_col)

    def text(self, start: int, length: int) -> str:
        return self.data[start:start + length].decode("utf-8", errors="replace")


def parse_src(src: str) -> tuple[int, int, int]:
    """solc's "start:length:fileIndex" as integers."""
    start, length, index = (int(x) for x in src.split(":"))
    return start, length, index
