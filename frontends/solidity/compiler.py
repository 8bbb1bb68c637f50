"""Running the real Solidity compiler: find one, hand it the files through the standard-JSON
interface, and return the compact AST it produces (outputSelection `{"*": {"": ["ast"]}}`).

Why the real compiler rather than a parser of our own: name resolution, inheritance, overload
and type checking are solc's job, and a program solc rejects must be rejected here too, with
solc's own messages (`CompilerError`).

Compiler discovery, first hit wins (`find_compiler`, `discovery_report` for `vecverify doctor`):

  1. `--solc PATH`                   explicit; used whatever the pragma says
  2. `$VECVERIFY_SOLC`               explicit; used whatever the pragma says
  3. solc-select                     its installed versions; the newest satisfying the pragma
  4. `solc` on PATH                  if its `--version` satisfies the pragma (or is unknown)
  5. solcjs                          npm package `solc` in `<cache>/solcjs`, run through node

A compiler from 4 or 5 whose version does not satisfy the file's `pragma solidity` is passed
over for a later one that does; if none does, the first one found is used anyway and solc
reports the version mismatch in its own words.  Reading the pragma and matching versions
against it is `pragma.py`.

Imports: the source unit names solc sees are paths relative to the base path (default: the
project root, i.e. the nearest directory with `foundry.toml` or `.git`; else the working
directory if the file is below it, else the file's directory).  Files not given on the command
line are loaded by the compiler itself (native solc: `--base-path`/`--include-path`/
`--allow-paths`; solcjs: the same lookup in our driver's import callback), and Foundry
remappings are passed in `settings.remappings`.  Working out that layout (root, base and
include paths, remappings, source unit names) is `project.py`.

Outputs without errors are cached (see `cache.py`), so an unchanged project costs no compile.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator

from vecverify.errors import InputError, Span

from .cache import CACHE_ENV, OutputCache, cache_dir, output_key, sha256_json, solcjs_dir, \
    write_atomically
from .pragma import Pragma, VersionRange, _combined_pragma, parse_range, parse_version, \
    read_pragma
from .project import Project, resolve_project, resolve_unit, unit_name
from .source import SourceFile

SOLC_ENV = "VECVERIFY_SOLC"
OUTPUT_SELECTION: dict[str, Any] = {"*": {"": ["ast"]}}
PROBE_TIMEOUT_S = 20.0
DRIVER_NAME = "vecverify-solcjs.js"


# ---------------------------------------------------------------------------------------------
# Public types


@dataclass(frozen=True)
class Compiler:
    """One Solidity compiler that was found.

    `kind` is the discovery step ("explicit", "env", "solc-select", "path", "solcjs"); `path`
    the executable (for solcjs: the npm package directory); `version` as the compiler reports it
    ("unknown" if it would not say); `how` a sentence for users (`--stats`, `doctor`).
    """

    kind: str
    path: str
    version: str
    how: str


@dataclass
class CompileResult:
    """A successful compilation: the standard-JSON output and the sources it refers to.

    `sources` and `output["sources"]` have the same keys (solc's source unit names); the main
    files' `SourceFile.path` is the path as the user gave it, imported files are shown relative
    to the working directory when below it.  `source_ids` maps the file index in AST `src`
    attributes ("start:length:index") to the unit name.
    """

    compiler: Compiler
    output: dict[str, Any]
    sources: dict[str, SourceFile]
    source_ids: dict[int, str]
    cache_hit: bool
    solc_time_s: float

    def stats(self) -> dict[str, Any]:
        """What `--stats` reports about the compile step."""
        return {"compiler": self.compiler.kind, "compiler_version": self.compiler.version,
                "compiler_path": self.compiler.path, "cache_hit": self.cache_hit,
                "solc_s": self.solc_time_s}

    def warnings(self) -> list[dict[str, Any]]:
        """solc's diagnostics that are not errors (kept for callers that want to show them)."""
        return [e for e in self.output.get("errors", []) if e.get("severity") != "error"]


class CompilerError(InputError):
    """solc rejected the input.  `render()` gives one `file:line:col: error: message` line per
    error solc reported (not only the first), in solc's order; `raw` keeps solc's records."""

    def __init__(self, errors: list[tuple[Span | None, str]],
                 raw: list[dict[str, Any]] | None = None, code: str = "input:solc.error") -> None:
        span, message = errors[0]
        super().__init__(span, message, code)
        self.errors = errors
        self.raw = raw or []

    def render(self) -> str:
        return "\n".join(InputError(span, message).render() for span, message in self.errors)


# ---------------------------------------------------------------------------------------------
# Discovery


def _tilde(path: str) -> str:
    """A path for messages: `~/...` when under the home directory."""
    home = os.path.expanduser("~")
    if home not in ("", "/") and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home):]
    return path


def _native_version(path: str) -> str | None:
    """What `solc --version` says its version is, or None if it does not answer like solc."""
    try:
        proc = subprocess.run([path, "--version"], capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"Version:\s*(\S+)", proc.stdout) or re.search(r"\d+\.\d+\.\d+\S*", proc.stdout)
    if proc.returncode != 0 or not m:
        return None
    return m.group(1) if m.lastindex else m.group(0)


def _executable(spec: str) -> str | None:
    """An executable named by path, or by bare name looked up on PATH."""
    if os.sep not in spec and not os.path.exists(spec):
        found = shutil.which(spec)
        return os.path.abspath(found) if found else None
    path = os.path.abspath(os.path.expanduser(spec))
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


@dataclass
class _Step:
    """The outcome of one discovery step (a row of `vecverify doctor`)."""

    name: str
    compiler: Compiler | None = None
    note: str = ""
    satisfies: bool | None = None
    decisive: bool = False  # an explicit choice: used whatever the pragma says
    error: InputError | None = None


def _pragma_note(pragma: Pragma | None, satisfies: bool | None) -> str:
    if pragma is None or satisfies is None:
        return ""
    return (f", satisfies pragma {pragma.text}" if satisfies
            else f", does not satisfy pragma {pragma.text}")


def _step_explicit(name: str, kind: str, value: str | None) -> _Step:
    """Steps 1 and 2: a compiler the user named.  Naming one that does not work is an error
    rather than a reason to look further: the user asked for that one."""
    if value is None:
        return _Step(name, note="not given" if kind == "explicit" else "not set")
    label = f"--solc {value}" if kind == "explicit" else f"{name}={value}"
    path = _executable(value)
    if path is None:
        return _Step(name, note=f"{value}: no such executable", error=InputError(
            None, f"{label}: no such executable", "input:solc.bad-path"))
    version = _native_version(path)
    if version is None:
        return _Step(name, note=f"{path}: does not answer --version like solc", error=InputError(
            None, f"{label}: does not answer `--version` like solc", "input:solc.bad-path"))
    how = f"{name} {path} (solc {version})"
    return _Step(name, Compiler(kind, path, version, how), f"{path} (solc {version})",
                 decisive=True)


def _import_solc_select() -> tuple[Any, Any] | None:
    """solc-select's Python API (`solc_select.solc_select`, its ARTIFACTS_DIR), when importable.
    Kept behind a function so that tests can pretend it is not installed."""
    try:
        from solc_select import solc_select as api  # type: ignore[import-not-found]
        from solc_select.constants import ARTIFACTS_DIR  # type: ignore[import-not-found]
    except Exception:
        return None
    return api, ARTIFACTS_DIR


def _solc_select_artifact(dirs: list[str], version: str) -> str | None:
    for d in dirs:
        for candidate in (os.path.join(d, f"solc-{version}", f"solc-{version}"),
                          os.path.join(d, f"solc-{version}")):
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None


def _solc_select_versions() -> tuple[list[tuple[str, str | None]], str | None, str] | None:
    """(installed versions with their binaries, the current version, how we asked), or None if
    solc-select is not installed.  Its Python API first, else its CLI (`solc-select versions`)
    and the artifact directories it uses (`$VIRTUAL_ENV/.solc-select/artifacts` inside a
    virtual environment, else `~/.solc-select/artifacts`)."""
    imported = _import_solc_select()
    if imported is not None:
        api, artifacts = imported
        try:
            try:
                versions = [str(v) for v in api.installed_versions()]
            except FileNotFoundError:  # no artifacts directory yet
                versions = []
            try:  # raises (argparse errors) when no version was ever selected
                current = api.current_version()
                current_version = str(current[0]) if current else None
            except (Exception, SystemExit):
                current_version = None
            dirs = [str(artifacts)]
            return ([(v, _solc_select_artifact(dirs, v)) for v in versions], current_version,
                    "solc-select (Python API)")
        except Exception:
            pass  # an API that changed under us: fall back to the CLI
    exe = shutil.which("solc-select")
    if exe is None:
        return None
    try:
        proc = subprocess.run([exe, "versions"], capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return [], None, f"{exe} (did not answer `versions`)"
    # solc-select keeps its artifacts under $VIRTUAL_ENV when set, else under the home directory
    dirs = [os.path.join(os.path.expanduser("~"), ".solc-select", "artifacts")]
    if os.environ.get("VIRTUAL_ENV"):
        dirs.insert(0, os.path.join(os.environ["VIRTUAL_ENV"], ".solc-select", "artifacts"))
    found: list[tuple[str, str | None]] = []
    current_version = None
    for line in proc.stdout.splitlines():
        m = re.match(r"\s*(\d+\.\d+\.\d+)\b(.*)", line)
        if m:
            found.append((m.group(1), _solc_select_artifact(dirs, m.group(1))))
            if "current" in m.group(2):
                current_version = m.group(1)
    return found, current_version, exe


def _step_solc_select(pragma: Pragma | None) -> _Step:
    name = "solc-select"
    listing = _solc_select_versions()
    if listing is None:
        return _Step(name, note="not installed")
    versions, current, asked = listing
    usable = [(v, p) for v, p in versions if p is not None]
    if not usable:
        return _Step(name, note=f"{_tilde(asked)}: no installed version"
                     + ("" if not versions else " with a binary we can find"))
    listed = ", ".join(v for v, _ in usable)
    if pragma is not None and pragma.range is not None:
        matching = [(v, p) for v, p in usable if pragma.satisfied_by(v)]
        if not matching:
            return _Step(name, note=f"installed {listed}; none satisfies pragma {pragma.text}")
    else:
        cur = [(v, p) for v, p in usable if v == current]
        matching = cur or usable
    version, path = max(matching, key=lambda vp: parse_version(vp[0]) or (0, 0, 0))
    assert path is not None
    full = _native_version(path) or version
    how = f"solc-select {version} ({_tilde(path)})"
    return _Step(name, Compiler("solc-select", path, full, how),
                 f"installed {listed}; chose {version}"
                 f"{_pragma_note(pragma, True if pragma and pragma.range else None)}",
                 satisfies=True)


def _step_path(pragma: Pragma | None) -> _Step:
    name = "solc on PATH"
    found = shutil.which("solc")
    if found is None:
        return _Step(name, note="not found")
    path = os.path.abspath(found)
    version = _native_version(path)
    if version is None:
        return _Step(name, Compiler("path", path, "unknown",
                                    f"solc on PATH: {path} (version unknown)"),
                     f"{path} (did not report a version; used as is)")
    satisfies = pragma.satisfied_by(version) if pragma else None
    return _Step(name, Compiler("path", path, version, f"solc on PATH: {path} (solc {version})"),
                 f"{path} (solc {version}{_pragma_note(pragma, satisfies)})", satisfies)


def npm_install_hint(pragma: Pragma | None = None) -> str:
    """The command that installs solcjs where vecverify looks for it, for a release line that
    satisfies the pragma when one is known (default `0.8`)."""
    line = "0.8"
    if pragma is not None and pragma.range is not None:
        rng = pragma.range
        for minor in range(8, 3, -1):
            if any(rng.matches((0, minor, patch)) for patch in range(0, 40)):
                line = f"0.{minor}"
                break
    return f"npm install --prefix {_tilde(solcjs_dir())} solc@{line}"


def _solcjs_package(directory: str) -> tuple[str, str] | None:
    """(package directory, version) of the npm `solc` package under `directory`, if any."""
    package = os.path.join(directory, "node_modules", "solc")
    try:
        with open(os.path.join(package, "package.json"), encoding="utf-8") as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return None
    version = meta.get("version") if isinstance(meta, dict) else None
    return (package, str(version)) if version else None


PINNED_SOLCJS = "0.8.26"          # installed when the pragma allows it (tests are pinned to it)
NPM_TIMEOUT_S = 300.0


def install_solcjs(directory: str, pragma: Pragma | None) -> str | None:
    """Install solcjs into the cache directory with npm (the machine has no compiler yet):
    the pinned release when the pragma allows it, else the newest of the pragma's release
    line.  Concurrent runs (test workers) wait for one another on a lock file.  Returns why
    it failed, or None."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not on PATH"
    spec = PINNED_SOLCJS if pragma is None or pragma.satisfied_by(PINNED_SOLCJS) is not False \
        else npm_install_hint(pragma).rsplit("@", 1)[1]
    os.makedirs(directory, exist_ok=True)
    import fcntl
    with open(os.path.join(directory, ".install.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _solcjs_package(directory) is not None:
            return None                      # another process installed it meanwhile
        try:
            proc = subprocess.run([npm, "install", "--prefix", directory, "--no-audit",
                                   "--no-fund", "--loglevel=error", f"solc@{spec}"],
                                  capture_output=True, text=True, timeout=NPM_TIMEOUT_S,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"`npm install solc@{spec}` failed: {exc}"
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return f"`npm install solc@{spec}` failed: {tail}"
    return None


def _step_solcjs(pragma: Pragma | None, install: bool = False) -> _Step:
    name = "solcjs"
    directory = solcjs_dir()
    package = _solcjs_package(directory)
    if package is None and install and os.environ.get("VECVERIFY_NO_INSTALL") is None:
        failed = install_solcjs(directory, pragma)
        package = _solcjs_package(directory)
        if package is None:
            return _Step(name, note=f"not installed in {_tilde(directory)}, and installing it "
                                    f"failed: {failed} (install it with "
                                    f"`{npm_install_hint(pragma)}`)")
    if package is None:
        return _Step(name, note=f"not installed in {_tilde(directory)} "
                                f"(install it with `{npm_install_hint(pragma)}`)")
    path, version = package
    node = shutil.which("node")
    if node is None:
        return _Step(name, note=f"solc {version} installed in {_tilde(directory)}, "
                                "but `node` is not on PATH")
    satisfies = pragma.satisfied_by(version) if pragma else None
    how = f"solcjs {version} from {_tilde(directory)} (node {node})"
    return _Step(name, Compiler("solcjs", path, version, how),
                 f"solc {version} in {_tilde(directory)}, node {node}"
                 f"{_pragma_note(pragma, satisfies)}", satisfies)


def _steps(pragma: Pragma | None, solc_path: str | None) -> Iterator[_Step]:
    """The discovery steps in order, each probed only when asked for (so an explicit `--solc`
    costs nothing else)."""
    yield _step_explicit("--solc", "explicit", solc_path)
    yield _step_explicit(f"${SOLC_ENV}", "env", os.environ.get(SOLC_ENV) or None)
    yield _step_solc_select(pragma)
    yield _step_path(pragma)
    yield _step_solcjs(pragma, install=True)


def _choose(steps: Iterable[_Step], pragma: Pragma | None, where: Span) -> Compiler:
    tried: list[str] = []
    fallback: Compiler | None = None
    for step in steps:
        if step.error is not None:
            raise step.error
        if step.compiler is not None and (step.decisive or step.satisfies is not False):
            return step.compiler
        tried.append(f"{step.name} ({step.note})")
        fallback = fallback or step.compiler
    if fallback is not None:
        assert pragma is not None
        return replace(fallback, how=f"{fallback.how}; no compiler found satisfies "
                                     f"pragma solidity {pragma.text}")
    span = pragma.span if pragma is not None and pragma.span is not None else where
    raise InputError(span, "no Solidity compiler found: tried " + "; ".join(tried),
                     "input:solc.missing")


def _file_pragma(main_file: str) -> Pragma | None:
    try:
        with open(main_file, "rb") as fh:
            return read_pragma(SourceFile(main_file, fh.read()))
    except OSError:
        return None


def find_compiler(main_file: str, solc_path: str | None = None) -> Compiler:
    """The compiler to use for `main_file` (its pragma decides between installed versions).
    Raises InputError: `input:solc.bad-path` for a `--solc`/`$VECVERIFY_SOLC` that is not a
    working solc, `input:solc.missing` when nothing is found."""
    pragma = _file_pragma(main_file)
    return _choose(_steps(pragma, solc_path), pragma, Span.point(main_file, 1, 1))


def discovery_report(main_file: str | None, solc_path: str | None = None) -> list[tuple[str, str]]:
    """Every discovery step's result, and which compiler would be used (for `vecverify doctor`).
    Unlike `find_compiler` it probes all steps and checks that solcjs actually loads."""
    env_cache = os.environ.get(CACHE_ENV)
    rows: list[tuple[str, str]] = [
        ("cache directory", f"{cache_dir()} ({'$' + CACHE_ENV if env_cache else 'default'})")]
    pragma = _file_pragma(main_file) if main_file else None
    if main_file:
        if not os.path.isfile(main_file):
            rows.append(("file", f"{main_file}: no such file"))
        rows.append(("pragma", f"solidity {pragma.text} ({pragma.span})" if pragma
                     else "none (any compiler version)"))
        if pragma is not None and pragma.range is None:
            rows.append(("", "(pragma not understood by vecverify: every version accepted)"))
        try:
            project = resolve_project(main_file)
            rows.append(("project root", project.root or "none (no foundry.toml or .git above)"))
            rows.append(("base path", project.base_path))
            rows.append(("remappings", ", ".join(project.remappings) or "none"))
        except InputError as exc:
            rows.append(("remappings", exc.render()))
    steps = list(_steps(pragma, solc_path))
    for n, step in enumerate(steps, 1):
        note = step.note
        if step.compiler is not None and step.compiler.kind == "solcjs":
            loaded = _solcjs_loads(step.compiler)
            note += f"; loads as {loaded}" if loaded.startswith("0") else f"; {loaded}"
        rows.append((f"{n}. {step.name}", ("error: " if step.error else "") + note))
    try:
        chosen = _choose(steps, pragma, Span.point(main_file or "<file>", 1, 1))
        rows.append(("would use", chosen.how))
    except InputError as exc:
        rows.append(("would use", f"nothing: {exc.message}"))
    return rows


# ---------------------------------------------------------------------------------------------
# solcjs

_DRIVER_JS = r"""// Written by vecverify (frontends/solidity/compiler.py); rewritten when it differs.
// Runs the npm package `solc` (next to this file) like `solc --standard-json`: standard-JSON
// input on stdin, output JSON on stdout.  Imports are read from disk as solc's host
// filesystem loader does: absolute names as they are, others in --base-path (default: the
// working directory), then each --include-path.  `--version` prints solc's version.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler (solcjs)\nVersion: ' + solc.version() + '\n');
  process.exit(0);
}
let basePath = '';
const includePaths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--base-path') basePath = args[++i];
  else if (args[i] === '--include-path') includePaths.push(args[++i]);
  else if (args[i] === '--allow-paths') i++;  // accepted for compatibility, not enforced
}

function readFile(p) {
  try {
    if (fs.statSync(p).isFile()) return fs.readFileSync(p, 'utf8');
  } catch (e) { /* not there */ }
  return null;
}

function findImports(unit) {
  if (path.isAbsolute(unit)) {
    const contents = readFile(unit);
    return contents === null ? { error: 'File not found.' } : { contents };
  }
  const roots = [basePath || process.cwd()];
  for (const p of includePaths) if (!roots.includes(p)) roots.push(p);
  const hits = [];
  for (const root of roots) {
    const candidate = path.join(root, unit);
    const contents = readFile(candidate);
    if (contents !== null) hits.push({ candidate, contents });
  }
  if (hits.length === 0) {
    return { error: 'File not found. Searched the following locations: '
      + roots.map((r) => '"' + r + '"').join(', ') + '.' };
  }
  if (hits.length > 1) {
    return { error: 'Ambiguous import. Multiple matching files found inside base path and/or '
      + 'include paths: ' + hits.map((h) => '"' + h.candidate + '"').join(', ') + '.' };
  }
  return { contents: hits[0].contents };
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = Buffer.concat(chunks).toString('utf8');
  process.stdout.write(solc.compile(input, { import: findImports }));
});
"""


def ensure_solcjs_driver(directory: str | None = None) -> str:
    """Write our solcjs driver into the solcjs directory (next to its node_modules, so that
    `require('solc')` finds the package) unless it is already there; return its path."""
    path = os.path.join(directory or solcjs_dir(), DRIVER_NAME)
    data = _DRIVER_JS.encode("utf-8")
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return path
    except OSError:
        pass
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise InputError(None, f"cannot write the solcjs driver {path}: {exc}",
                         "input:solc.failed") from None
    return path


def _solcjs_loads(compiler: Compiler) -> str:
    """The version solcjs reports when actually loaded, or why it would not load."""
    node = shutil.which("node")
    if node is None:
        return "node not found"
    try:
        driver = ensure_solcjs_driver(os.path.dirname(os.path.dirname(compiler.path)))
        proc = subprocess.run([node, driver, "--version"], capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except (InputError, OSError, subprocess.SubprocessError) as exc:
        return f"does not load: {exc}"
    m = re.search(r"Version:\s*(\S+)", proc.stdout)
    if proc.returncode != 0 or not m:
        return "does not load: " + (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return m.group(1)


# ---------------------------------------------------------------------------------------------
# Compiling


def _display_path(path: str) -> str:
    """How an imported file is named in messages: relative to the working directory when
    below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _read_main(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(None, f"{path}: no such file", "usage.file") from None
    except OSError as exc:
        raise InputError(None, f"{path}: cannot read: {exc}", "usage.file") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(SourceFile(path, data).span(exc.start, 1),
                         "Solidity source is not valid UTF-8", "usage.file") from None
    return data


def _command(compiler: Compiler, project: Project) -> list[str]:
    if compiler.kind == "solcjs":
        node = shutil.which("node")
        if node is None:
            raise InputError(None, f"{compiler.how}: `node` is not on PATH", "input:solc.failed")
        argv = [node, ensure_solcjs_driver(os.path.dirname(os.path.dirname(compiler.path)))]
    else:
        argv = [compiler.path, "--standard-json"]
    argv += ["--base-path", project.base_path]
    for include in project.include_paths:
        argv += ["--include-path", include]
    if compiler.kind != "solcjs":
        allowed = list(project.roots) + ([project.root] if project.root else [])
        for remapping in project.remappings:
            target = remapping.split("=", 1)[1]
            if os.path.isabs(target):
                allowed.append(target if os.path.isdir(target) else os.path.dirname(target))
        argv += ["--allow-paths", ",".join(dict.fromkeys(allowed))]
    return argv


def _run(compiler: Compiler, project: Project,
         std_input: dict[str, Any]) -> tuple[dict[str, Any], float]:
    argv = _command(compiler, project)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(argv, input=json.dumps(std_input).encode("utf-8"),
                              capture_output=True)
    except OSError as exc:
        raise InputError(None, f"{compiler.how}: cannot run: {exc}", "input:solc.failed") from None
    elapsed = time.perf_counter() - t0
    try:
        output = json.loads(proc.stdout)
        if not isinstance(output, dict):
            raise ValueError("not a JSON object")
    except ValueError:
        detail = (proc.stderr or proc.stdout).decode("utf-8", errors="replace").strip()
        tail = " | ".join(detail.splitlines()[-3:]) or "no output"
        raise InputError(None, f"{compiler.how} failed (exit {proc.returncode}): {tail}",
                         "input:solc.failed") from None
    return output, elapsed


def _errors(output: dict[str, Any],
            lookup: Callable[[str], SourceFile | None]) -> CompilerError | None:
    """The standard-JSON errors of severity "error", located in their files."""
    raw = [e for e in output.get("errors", []) if isinstance(e, dict)
           and e.get("severity") == "error"]
    if not raw:
        return None
    located: list[tuple[Span | None, str]] = []
    for e in raw:
        message = str(e.get("message") or e.get("formattedMessage") or "compiler error")
        span: Span | None = None
        loc = e.get("sourceLocation")
        if isinstance(loc, dict) and isinstance(loc.get("file"), str):
            source = lookup(loc["file"])
            start, end = loc.get("start", -1), loc.get("end", -1)
            if source is not None and isinstance(start, int) and 0 <= start <= len(source.data):
                span = source.span(start, max(end - start, 0) if isinstance(end, int) else 0)
            elif source is None:
                span = Span.point(loc["file"], 1, 1)
        located.append((span, message))
    return CompilerError(located, raw)


def _output_selection(outputs: tuple[str, ...]) -> dict[str, Any]:
    """The AST of every unit, plus the per-contract `outputs` when asked for (the EVM oracle
    needs bytecode, source maps and storage layouts; the verifier itself only the AST)."""
    if not outputs:
        return OUTPUT_SELECTION
    return {"*": {"": ["ast"], "*": list(dict.fromkeys(outputs))}}


def compile_files(paths: list[str], *, solc_path: str | None = None,
                  base_path: str | None = None, include_paths: tuple[str, ...] = (),
                  use_cache: bool = True, overrides: dict[str, bytes] | None = None,
                  outputs: tuple[str, ...] = ()) -> CompileResult:
    """Compile `paths` (the first one decides the project root and remappings) to the compact
    AST.  Raises CompilerError when solc reports errors, InputError when no compiler can be
    found or run, or an input file cannot be read.

    `overrides` maps a file path (as given, or any path to an imported file) to the source text
    solc should see instead of the file's content; the returned `sources` hold that text, so
    AST offsets match.  (The EVM oracle uses it to add call wrappers without touching the
    user's files.)  `outputs` adds per-contract outputs (`abi`, `evm.bytecode.object`,
    `storageLayout`, ...) to the output selection.  Without either, the compile, its cache
    key and its result are exactly the AST-only ones."""
    if not paths:
        raise InputError(None, "no input files", "usage.file")
    replaced: dict[str, bytes] = {}
    for key, text in (overrides or {}).items():
        replaced[os.path.abspath(key)] = text.encode("utf-8") if isinstance(text, str) else text
    mains = [SourceFile(p, replaced[os.path.abspath(p)] if os.path.abspath(p) in replaced
                        else _read_main(p)) for p in paths]
    pragma = _combined_pragma(mains)
    compiler = _choose(_steps(pragma, solc_path), pragma, Span.point(paths[0], 1, 1))
    project = resolve_project(paths[0], base_path, include_paths)

    main_units: dict[str, SourceFile] = {}
    for source in mains:
        main_units.setdefault(unit_name(os.path.abspath(source.path), project.roots), source)
    for abs_path, text in replaced.items():  # an overridden imported file is given to solc
        main_units.setdefault(unit_name(abs_path, project.roots),
                              SourceFile(_display_path(abs_path), text))
    settings: dict[str, Any] = {"outputSelection": _output_selection(tuple(outputs))}
    if project.remappings:
        settings["remappings"] = list(project.remappings)
    std_input = {"language": "Solidity",
                 "sources": {u: {"content": s.data.decode("utf-8")} for u, s in main_units.items()},
                 "settings": settings}

    loaded: dict[str, SourceFile | None] = {}

    def lookup(unit: str) -> SourceFile | None:
        """The SourceFile of a unit name: a main file, or the file solc's loader would read."""
        if unit in main_units:
            return main_units[unit]
        if unit not in loaded:
            path = resolve_unit(unit, project.roots)
            loaded[unit] = None
            if path is not None:
                try:
                    with open(path, "rb") as fh:
                        loaded[unit] = SourceFile(_display_path(path), fh.read())
                except OSError:
                    pass
        return loaded[unit]

    def contents(units: Iterable[str]) -> dict[str, bytes] | None:
        found = {u: lookup(u) for u in units}
        if any(s is None for s in found.values()):
            return None
        return {u: s.data for u, s in found.items() if s is not None}

    cache = OutputCache() if use_cache and compiler.version != "unknown" else None
    input_key = sha256_json({"compiler": compiler.version, "input": std_input,
                             "roots": list(project.roots)})
    output: dict[str, Any] | None = None
    cache_hit, elapsed = False, 0.0
    if cache is not None:
        units = cache.units_for(input_key)
        data = contents(units) if units is not None else None
        if data is not None:
            output = cache.load(output_key(compiler.version, settings, data), compiler.version)
            cache_hit = output is not None
    if output is None:
        output, elapsed = _run(compiler, project, std_input)
        error = _errors(output, lookup)
        if error is not None:
            raise error
        if cache is not None:
            data = contents(output.get("sources", {}))
            if data is not None:
                cache.save(input_key, output_key(compiler.version, settings, data),
                           compiler.version, list(data), output)

    sources: dict[str, SourceFile] = {}
    source_ids: dict[int, str] = {}
    for unit, entry in output.get("sources", {}).items():
        sources[unit] = lookup(unit) or SourceFile(unit, b"")
        if isinstance(entry, dict) and isinstance(entry.get("id"), int):
            source_ids[entry["id"]] = unit
    return CompileResult(compiler, output, sources, source_ids, cache_hit, elapsed)


__all__ = ["Compiler", "CompileResult", "CompilerError", "Pragma", "Project", "VersionRange",
           "compile_files", "discovery_report", "ensure_solcjs_driver", "find_compiler",
           "install_solcjs",
           "npm_install_hint", "parse_range", "parse_version", "read_pragma", "resolve_project",
           "resolve_unit", "unit_name"]
