"""The `pragma solidity` of Solidity sources and the version ranges it states: npm-style semver
ranges as solc implements them (`^`, `~`, comparators, partial versions, hyphen ranges, `||`),
parsed into comparators that say whether a compiler version satisfies the file.  Compiler
discovery (`compiler.py`) uses this to choose between installed compilers; it runs nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from vecverify.errors import Span

from .source import SourceFile

Version = tuple[int, int, int]
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str) -> Version | None:
    """The (major, minor, patch) of a compiler version such as
    `0.8.26+commit.8a97fa7a.Linux.g++`; prerelease and build parts are ignored."""
    m = _VERSION.search(text)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


@dataclass(frozen=True)
class Comparator:
    op: str  # one of < <= > >= =
    version: Version

    def matches(self, v: Version) -> bool:
        return {"<": v < self.version, "<=": v <= self.version, ">": v > self.version,
                ">=": v >= self.version, "=": v == self.version}[self.op]


@dataclass(frozen=True)
class VersionRange:
    """Alternatives (`||`) of conjunctions (space-separated) of comparators.  An empty
    conjunction matches every version; a conjunction holding `None` matches none."""

    text: str
    alternatives: tuple[tuple[Comparator | None, ...], ...]

    def matches(self, v: Version) -> bool:
        return any(all(c is not None and c.matches(v) for c in conj)
                   for conj in self.alternatives)


_PARTIAL = re.compile(
    r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][0-9A-Za-z.+-]*)?$")
_OPERATOR = re.compile(r"^(\^|~>?|>=|<=|>|<|=)?(.*)$")


def _partial(text: str) -> tuple[int, ...]:
    """The leading numeric components of a possibly partial version: "0.8" -> (0, 8),
    "0.8.x" -> (0, 8), "*" -> ().  Anything after a wildcard is ignored."""
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"not a version: {text!r}")
    parts: list[int] = []
    for group in m.groups():
        if group is None or group in "xX*":
            break
        parts.append(int(group))
    return tuple(parts)


def _pad(parts: tuple[int, ...]) -> Version:
    full = parts + (0,) * (3 - len(parts))
    return (full[0], full[1], full[2])


def _bump(parts: tuple[int, ...]) -> Version:
    """The first version above every version that starts with `parts` ((0, 8) -> 0.9.0)."""
    if len(parts) == 1:
        return (parts[0] + 1, 0, 0)
    if len(parts) == 2:
        return (parts[0], parts[1] + 1, 0)
    return (parts[0], parts[1], parts[2] + 1)


def _comparators(op: str, parts: tuple[int, ...]) -> list[Comparator | None]:
    """One operator applied to a possibly partial version, desugared into plain comparators."""
    n = len(parts)
    if op == "^":
        if n == 0:
            return []
        major, minor, patch = _pad(parts)
        if major > 0 or n == 1:
            upper: Version = (major + 1, 0, 0)
        elif minor > 0 or n == 2:
            upper = (0, minor + 1, 0)
        else:
            upper = (0, 0, patch + 1)
        return [Comparator(">=", _pad(parts)), Comparator("<", upper)]
    if op in ("~", "~>"):
        if n == 0:
            return []
        return [Comparator(">=", _pad(parts)), Comparator("<", _bump(parts[:2]))]
    if op in ("", "="):
        if n == 0:
            return []
        if n == 3:
            return [Comparator("=", _pad(parts))]
        return [Comparator(">=", _pad(parts)), Comparator("<", _bump(parts))]
    if op == ">=":
        return [Comparator(">=", _pad(parts))] if n else []
    if op == ">":
        if n == 0:
            return [None]
        return [Comparator(">", _pad(parts))] if n == 3 else [Comparator(">=", _bump(parts))]
    if op == "<":
        return [Comparator("<", _pad(parts))] if n else [None]
    if op == "<=":
        if n == 0:
            return []
        return [Comparator("<=", _pad(parts))] if n == 3 else [Comparator("<", _bump(parts))]
    raise ValueError(f"unknown operator {op!r}")


def parse_range(text: str) -> VersionRange:
    """Parse a `pragma solidity` version range: `^0.8.0`, `~0.8.1`, `>=0.8.0 <0.9.0`, `0.8.26`,
    `=0.8.26`, partial versions (`0.8`, `0.8.x`, `*`), hyphen ranges (`0.8.0 - 0.8.20`) and
    `||` alternatives.  An operator may be separated from its version by spaces (`>= 0.8.0`).
    Raises ValueError on anything else."""
    alternatives: list[tuple[Comparator | None, ...]] = []
    for alternative in text.split("||"):
        tokens = alternative.split()
        if len(tokens) == 3 and tokens[1] == "-":
            low, high = _partial(tokens[0]), _partial(tokens[2])
            conj = _comparators(">=", low) + _comparators("<=", high)
            alternatives.append(tuple(conj))
            continue
        # glue a lone operator to the version after it: ">= 0.8.0" -> ">=0.8.0"
        glued: list[str] = []
        pending = ""
        for token in tokens:
            if re.fullmatch(r"\^|~>?|>=|<=|>|<|=", token):
                if pending:
                    raise ValueError(f"two operators in a row in {alternative.strip()!r}")
                pending = token
                continue
            glued.append(pending + token)
            pending = ""
        if pending:
            raise ValueError(f"operator {pending!r} without a version")
        if not glued and alternative.strip() == "" and len(text.split("||")) > 1:
            raise ValueError(f"empty alternative in {text!r}")
        conj = []
        for token in glued:
            m = _OPERATOR.match(token)
            assert m is not None  # the pattern matches every string
            conj += _comparators(m.group(1) or "", _partial(m.group(2)))
        alternatives.append(tuple(conj))
    return VersionRange(text.strip(), tuple(alternatives))


@dataclass(frozen=True)
class Pragma:
    """The `pragma solidity` requirement of the main file(s).  Several pragmas are a
    conjunction; `range` is None when solc's syntax here is beyond `parse_range` (then every
    compiler is taken to satisfy it and solc itself has the last word)."""

    text: str
    range: VersionRange | None
    span: Span | None

    def satisfied_by(self, version: str) -> bool | None:
        v = parse_version(version)
        if self.range is None or v is None:
            return None
        return self.range.matches(v)


def _blank_comments(data: bytes) -> bytes:
    """`data` with every comment and the inside of every string literal replaced by spaces
    (newlines kept), so offsets are unchanged and only code is left to search for pragmas."""
    out = bytearray(data)
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in (0x22, 0x27):  # " or '
            j = i + 1
            while j < n and data[j] != c and data[j] != 0x0A:
                j += 2 if data[j] == 0x5C else 1
            j = min(j, n)
            out[i + 1:j] = b" " * (j - i - 1)
            i = j + 1
        elif data.startswith(b"//", i):
            j = data.find(b"\n", i)
            j = n if j < 0 else j
            out[i:j] = b" " * (j - i)
            i = j
        elif data.startswith(b"/*", i):
            j = data.find(b"*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != 0x0A:
                    out[k] = 0x20
            i = j
        else:
            i += 1
    return bytes(out)


_PRAGMA = re.compile(rb"\bpragma\s+solidity\b([^;]*);")


def read_pragma(source: SourceFile) -> Pragma | None:
    """The `pragma solidity` of one file (several pragmas: their conjunction), or None."""
    matches = list(_PRAGMA.finditer(_blank_comments(source.data)))
    if not matches:
        return None
    texts = [m.group(1).decode("utf-8", errors="replace").strip() for m in matches]
    first = matches[0]
    span = source.span(first.start(), first.end() - first.start())
    return _pragma(texts, span)


def _pragma(texts: list[str], span: Span | None) -> Pragma:
    text = " ".join(texts)
    try:
        ranges = [parse_range(t) for t in texts]
    except ValueError:
        return Pragma(text, None, span)
    if len(ranges) == 1:
        return Pragma(text, ranges[0], span)
    # conjunction of several pragmas: every combination of their alternatives
    combined: list[tuple[Comparator | None, ...]] = [()]
    for r in ranges:
        combined = [a + b for a in combined for b in r.alternatives]
    return Pragma(text, VersionRange(text, tuple(combined)), span)


def _combined_pragma(sources: Iterable[SourceFile]) -> Pragma | None:
    texts: list[str] = []
    span: Span | None = None
    for source in sources:
        p = read_pragma(source)
        if p is not None:
            texts.append(p.text)
            span = span or p.span
    return _pragma(texts, span) if texts else None
