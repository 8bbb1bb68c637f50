"""Reading a source file the way every front end needs it.

Why one function: the front ends (.vec, Solidity, SMT-LIB) must agree on what a file's text
is — UTF-8 with or without a byte-order mark, any line-ending convention — so that a line
number means the same line in every message, and an unreadable file is an error at
`path:1:1` (or at the bad byte), never a traceback or a message without a location.
"""
from __future__ import annotations

from vecverify.errors import InputError, Span


def read_source(path: str) -> str:
    """The text of `path`: UTF-8, a byte-order mark dropped, line breaks (`\\r\\n`, `\\r`)
    read as `\\n` (line numbers stay those of the file).  An unreadable file is an input
    error at `path:1:1`, or where the first invalid UTF-8 byte is."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError.in_file(path, "no such file") from None
    except IsADirectoryError:
        raise InputError.in_file(path, "is a directory") from None
    except OSError as exc:
        raise InputError.in_file(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        good = data[start:exc.start].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        raise InputError(Span.point(path, line, column),
                         f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); vecverify reads "
                         "source files as UTF-8", "usage.encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
