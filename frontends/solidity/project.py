"""Where solc looks up imports for a compile: the project root (nearest `foundry.toml` or
`.git`), the base and include paths, Foundry remappings read from `remappings.txt` and
`foundry.toml` (rebased to the base path), and the mapping between files and solc's source unit
names in both directions.  Compiler discovery and running solc live in `compiler.py`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterable

from vecverify.errors import InputError, Span

@dataclass(frozen=True)
class Project:
    """Where imports are looked up.  Paths are absolute; `remappings` are in solc's
    `[context:]prefix=target` form with targets relative to the base path where possible."""

    root: str | None
    base_path: str
    include_paths: tuple[str, ...]
    remappings: tuple[str, ...]
    remapping_files: tuple[str, ...] = field(default=())

    @property
    def roots(self) -> tuple[str, ...]:
        """Directories a relative source unit name is looked up in, in solc's order."""
        return (self.base_path,) + tuple(p for p in self.include_paths if p != self.base_path)


def find_project_root(start: str) -> str | None:
    """The nearest directory at or above `start` holding `foundry.toml` or `.git`."""
    d = os.path.abspath(start)
    while True:
        if os.path.isfile(os.path.join(d, "foundry.toml")) or \
                os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _within(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


def unit_name(abs_path: str, roots: Iterable[str]) -> str:
    """solc's source unit name of a file: relative to the first root that contains it, else
    the absolute path (forward slashes either way), as solc's CLI strips base/include paths."""
    for root in roots:
        if _within(abs_path, root):
            rel = os.path.relpath(abs_path, root)
            return "" if rel == "." else rel.replace(os.sep, "/")
    return abs_path.replace(os.sep, "/")


def _toml_remappings(path: str, text: str) -> list[str]:
    """`remappings` under `[profile.default]` of a foundry.toml."""
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef]
        except ImportError:
            return _toml_remappings_fallback(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Span.point(path, 1, 1), f"cannot parse foundry.toml: {exc}",
                         "input:foundry.toml") from None
    entries = data.get("profile", {}).get("default", {}).get("remappings", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise InputError(Span.point(path, 1, 1),
                         "foundry.toml: `remappings` must be a list of strings",
                         "input:foundry.toml")
    return list(entries)


def _toml_remappings_fallback(text: str) -> list[str]:
    """Enough TOML for `remappings = [...]` in `[profile.default]`, for Python 3.10 without
    tomli: the section's lines up to the next table header, then the quoted strings of the
    array (which may span lines)."""
    section: list[str] = []
    inside = False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^\[[^\]]*\]\s*(#.*)?$", stripped):
            inside = re.match(r"^\[\s*profile\s*\.\s*default\s*\]", stripped) is not None
            continue
        if inside:
            section.append(line.split("#", 1)[0] if '"' not in line and "'" not in line else line)
    m = re.search(r"(?m)^\s*remappings\s*=\s*\[(.*?)\]", "\n".join(section), re.S)
    if not m:
        return []
    return [a if a else b for a, b in re.findall(r'"([^"]*)"|\'([^\']*)\'', m.group(1))]


def _rebase(value: str, config_dir: str, roots: tuple[str, ...]) -> str:
    """A remapping context or target written relative to its config file's directory, made
    relative to the base path (or an include path) when below it, else absolute."""
    if value == "" or os.path.isabs(value):
        return value
    trailing = value.endswith("/")
    abs_path = os.path.normpath(os.path.join(config_dir, value))
    rebased = unit_name(abs_path, roots)
    if trailing and rebased and not rebased.endswith("/"):
        rebased += "/"
    return rebased


def _parse_remapping(entry: str, config_dir: str, roots: tuple[str, ...], where: Span) -> str:
    if "=" not in entry:
        raise InputError(where, f"invalid remapping '{entry}' (expected [context:]prefix=target)",
                         "input:remapping")
    lhs, target = entry.split("=", 1)
    context, colon, prefix = lhs.partition(":")
    if not colon:
        context, prefix = "", lhs
    context = _rebase(context, config_dir, roots)
    target = _rebase(target, config_dir, roots)
    return f"{context}:{prefix}={target}" if context else f"{prefix}={target}"


def load_remappings(start: str, root: str | None,
                    roots: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Remappings from `remappings.txt` and `foundry.toml` in `start` and each parent up to the
    project root (only `start` without a root).  Farther files come first, so that for equal
    prefixes a nearer file wins (solc takes the last of equally long prefixes); within a
    directory foundry.toml comes after remappings.txt."""
    dirs: list[str] = []
    d = os.path.abspath(start)
    while True:
        dirs.append(d)
        if root is None or d == root or os.path.dirname(d) == d:
            break
        d = os.path.dirname(d)
    remappings: list[str] = []
    files: list[str] = []
    for d in reversed(dirs):
        txt = os.path.join(d, "remappings.txt")
        if os.path.isfile(txt):
            files.append(txt)
            with open(txt, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    entry = line.strip()
                    if entry and not entry.startswith("#"):
                        remappings.append(_parse_remapping(entry, d, roots,
                                                           Span.point(txt, lineno, 1)))
        toml = os.path.join(d, "foundry.toml")
        if os.path.isfile(toml):
            with open(toml, encoding="utf-8") as fh:
                entries = _toml_remappings(toml, fh.read())
            if entries:
                files.append(toml)
            remappings += [_parse_remapping(e.strip(), d, roots, Span.point(toml, 1, 1))
                           for e in entries if e.strip()]
    unique = list(dict.fromkeys(remappings))
    return unique, files


def default_base_path(main_file: str, root: str | None) -> str:
    """The project root; without one, the working directory when the file is below it (as
    solc's CLI resolves names), so that `import "../x.sol"` still reaches up; else the file's
    directory."""
    if root is not None:
        return root
    start = os.path.dirname(os.path.abspath(main_file))
    cwd = os.getcwd()
    return cwd if _within(start, cwd) else start


def resolve_project(main_file: str, base_path: str | None = None,
                    include_paths: tuple[str, ...] = ()) -> Project:
    """Base path (given, else `default_base_path`), include paths and remappings for
    compiling `main_file`."""
    start = os.path.dirname(os.path.abspath(main_file))
    root = find_project_root(start)
    base = os.path.abspath(base_path) if base_path else default_base_path(main_file, root)
    includes = tuple(os.path.abspath(p) for p in include_paths)
    roots = (base,) + tuple(p for p in includes if p != base)
    remappings, files = load_remappings(start, root, roots)
    return Project(root, base, includes, tuple(remappings), tuple(files))


def resolve_unit(unit: str, roots: Iterable[str]) -> str | None:
    """The file a source unit name stands for, as solc's host filesystem loader (and our
    solcjs driver) find it: absolute names as they are, others in the base path, then the
    include paths."""
    if os.path.isabs(unit):
        return unit if os.path.isfile(unit) else None
    for root in roots:
        candidate = os.path.join(root, unit)
        if os.path.isfile(candidate):
            return candidate
    return None
