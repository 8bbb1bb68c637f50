"""Expected verdicts written in programs themselves.

A check reported on a line ending in `// expect: violated(overflow), unknown(assert)` must have
exactly those non-proved verdicts there; every other check of the file must be proved.  The
example folders and the test programs are annotated this way, so `vecverify bench` can run
them as suites and the tests can assert them.
"""
from __future__ import annotations

import re
from pathlib import Path

from vecverify.errors import InputError, Span

_EXPECT = re.compile(r"//\s*expect:\s*(.*)$")
_ITEM = re.compile(r"(violated|unknown|unsupported)\(([a-z-]+)\)")


def expected_outcomes(path: Path | str) -> set[tuple[int, str, str]]:
    """(line, kind, status) of every annotated non-proved check; a malformed annotation is an
    input error at its position."""
    out: set[tuple[int, str, str]] = set()
    text = Path(path).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        m = _EXPECT.search(line)
        if m:
            items = _ITEM.findall(m.group(1))
            if not items:
                raise InputError(Span.point(str(path), n, m.start() + 1),
                                 "malformed expect annotation: expected items such as "
                                 "violated(overflow) or unknown(assert) after 'expect:'",
                                 "annotation.expect")
            out |= {(n, kind, status) for status, kind in items}
    return out
