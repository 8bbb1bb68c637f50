"""The Solidity compiler layer: discovery order, pragma ranges, standard-JSON compiles through
solcjs (and through a fake native solc that delegates to it), error lines, remappings, caching.

Fake compilers are small Python scripts that answer `--version` and `--standard-json` (with a
canned output, or by handing the input to our solcjs driver) and log every call, so discovery
and caching can be tested without a native solc.  Tests that really compile need node and the
npm `solc` package in vecverify's cache directory (`.ci/run` installs it); they are skipped
only when node is missing.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from vecverify import commands
from vecverify.errors import InputError, Span
from vecverify.frontends.solidity import cache as solc_cache
from vecverify.frontends.solidity import compiler as C
from vecverify.frontends.solidity import project
from vecverify.frontends.solidity.source import SourceFile

# Where the real solcjs lives, read before any test points VECVERIFY_CACHE elsewhere.
REAL_SOLCJS = solc_cache.solcjs_dir()
NODE = shutil.which("node")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compiler"
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

CONTRACT = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Counter {
    uint256 public count;
    function inc() public { count += 1; }
}
"""


# ---------------------------------------------------------------------------------------------
# Fixtures: an isolated environment, fake compilers, the real solcjs


class Env:
    """One test's world: its own PATH (a bin dir holding only what the test puts there, plus
    node), HOME, cache directory, and a log of every fake compiler call."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.mp = monkeypatch
        self.bin = tmp / "bin"
        self.home = tmp / "home"
        self.cache = tmp / "cache"
        self.log = tmp / "calls.log"
        for d in (self.bin, self.home, self.cache):
            d.mkdir()
        if NODE:
            (self.bin / "node").symlink_to(NODE)
        monkeypatch.setenv("PATH", str(self.bin))
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.setenv("VECVERIFY_CACHE", str(self.cache))
        monkeypatch.delenv("VECVERIFY_SOLC", raising=False)
        monkeypatch.delenv("VIRTUAL_ENV", raising=False)
        monkeypatch.setattr(C, "_import_solc_select", lambda: None)

    def fake_solc(self, path: Path, version: str = "0.8.26", delegate: bool = False) -> Path:
        """An executable that behaves like `solc` of `version`: `--standard-json` answers
        with one empty SourceUnit per input source, or (delegate) runs our solcjs driver."""
        driver = C.ensure_solcjs_driver(REAL_SOLCJS) if delegate else None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"""#!{sys.executable}
import json, subprocess, sys
args = sys.argv[1:]
with open({str(self.log)!r}, "a") as fh:
    fh.write(json.dumps({{"exe": sys.argv[0], "args": args}}) + "\\n")
if "--version" in args:
    print("solc, the solidity compiler commandline interface")
    print("Version: {version}+commit.00000000.Linux.g++")
    sys.exit(0)
if {driver!r} is not None:
    rest = [a for a in args if a != "--standard-json"]
    sys.exit(subprocess.run([{NODE!r}, {driver!r}] + rest).returncode)
sources = sorted(json.load(sys.stdin)["sources"])
json.dump({{"sources": {{u: {{"id": i, "ast": {{"nodeType": "SourceUnit", "absolutePath": u,
          "nodes": [], "src": "0:0:%d" % i}}}} for i, u in enumerate(sources)}}}}, sys.stdout)
""")
        path.chmod(0o755)
        return path

    def compiles(self) -> list[dict[str, Any]]:
        """The logged `--standard-json` calls."""
        if not self.log.exists():
            return []
        calls = [json.loads(line) for line in self.log.read_text().splitlines()]
        return [c for c in calls if "--standard-json" in c["args"]]

    def solc_select(self, versions: list[str], current: str | None = None) -> None:
        """A fake `solc-select` on PATH and its artifacts under $HOME."""
        lines = [f"{v} (current, set by test)" if v == current else v for v in versions]
        script = self.bin / "solc-select"
        script.write_text(f"#!{sys.executable}\nimport sys\n"
                          f"if sys.argv[1:] == ['versions']:\n    print({chr(10).join(lines)!r})\n")
        script.chmod(0o755)
        for v in versions:
            self.fake_solc(self.home / ".solc-select" / "artifacts" / f"solc-{v}" / f"solc-{v}", v)

    def fake_solcjs(self, version: str = "0.8.26") -> None:
        """A solcjs package that discovery finds (not one that compiles)."""
        pkg = self.cache / "solcjs" / "node_modules" / "solc"
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"name": "solc", "version": version}))

    def real_solcjs(self) -> None:
        """The installed solcjs, seen from this test's cache directory."""
        if not os.path.isfile(os.path.join(REAL_SOLCJS, "node_modules", "solc", "package.json")):
            pytest.fail(f"solcjs is not installed in {REAL_SOLCJS}; install it with "
                        f"`npm install --prefix {REAL_SOLCJS} solc@0.8.26` (.ci/run does)")
        (self.cache / "solcjs").symlink_to(REAL_SOLCJS, target_is_directory=True)

    def write(self, rel: str, text: str) -> Path:
        path = self.tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    return Env(tmp_path, monkeypatch)


@pytest.fixture
def solcjs(env: Env) -> Env:
    if NODE is None:
        pytest.skip("node is not installed")
    env.real_solcjs()
    return env


# ---------------------------------------------------------------------------------------------
# Version ranges and pragmas


@pytest.mark.parametrize("rng,version,ok", [
    ("^0.8.0", "0.8.0", True), ("^0.8.0", "0.8.26", True), ("^0.8.0", "0.9.0", False),
    ("^0.8.0", "0.7.6", False), ("^0.8.21", "0.8.20", False), ("^1.2.3", "1.9.0", True),
    ("^1.2.3", "2.0.0", False), ("^0.0.3", "0.0.3", True), ("^0.0.3", "0.0.4", False),
    ("^0.8", "0.8.9", True), ("^0.8", "0.9.0", False),
    ("~0.8.1", "0.8.9", True), ("~0.8.1", "0.9.0", False), ("~0.8.1", "0.8.0", False),
    ("~0.8", "0.8.0", True), ("~1", "1.9.9", True), ("~1", "2.0.0", False),
    (">=0.8.0 <0.9.0", "0.8.26", True), (">=0.8.0 <0.9.0", "0.9.0", False),
    (">=0.8.0 <0.9.0", "0.7.99", False), (">= 0.8.0 < 0.9.0", "0.8.1", True),
    (">0.8.0", "0.8.0", False), (">0.8.0", "0.8.1", True), (">0.8", "0.8.9", False),
    (">0.8", "0.9.0", True), ("<=0.8.5", "0.8.5", True), ("<=0.8.5", "0.8.6", False),
    ("<=0.8", "0.8.30", True), ("<=0.8", "0.9.0", False), ("<0.8", "0.7.6", True),
    ("<0.8", "0.8.0", False), ("<0.8.0", "0.7.6", True), ("<0.8.0", "0.8.0", False),
    ("0.8.26", "0.8.26", True), ("0.8.26", "0.8.25", False), ("=0.8.26", "0.8.26", True),
    ("=0.8.26", "0.8.27", False), ("0.8", "0.8.3", True), ("0.8.x", "0.9.0", False),
    ("0.8.*", "0.8.7", True), ("*", "0.4.0", True), (">=0.8", "0.8.0", True),
    ("^0.7.0 || ^0.8.0", "0.7.6", True), ("^0.7.0 || ^0.8.0", "0.6.12", False),
    ("^0.7.0 || ^0.8.0", "0.8.1", True), ("<0.5.0 || >=0.8.0 <0.8.10", "0.8.9", True),
    ("<0.5.0 || >=0.8.0 <0.8.10", "0.8.10", False), ("<0.5.0 || >=0.8.0 <0.8.10", "0.4.26", True),
    ("0.8.0 - 0.8.20", "0.8.20", True), ("0.8.0 - 0.8.20", "0.8.21", False),
    ("0.8.0 - 0.8", "0.8.30", True), ("0.8.0 - 0.8", "0.9.0", False),
])
def test_version_ranges(rng: str, version: str, ok: bool) -> None:
    v = C.parse_version(version)
    assert v is not None
    assert C.parse_range(rng).matches(v) is ok


@pytest.mark.parametrize("bad", ["^", ">= ", "0.8.a", "solidity", ">= >= 0.8.0", "^0.8.0 ||"])
def test_malformed_ranges_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        C.parse_range(bad)


def test_compiler_versions_parse_with_build_metadata() -> None:
    assert C.parse_version("0.8.26+commit.8a97fa7a.Linux.g++") == (0, 8, 26)
    assert C.parse_version("0.8.27-nightly.2024.5.1+commit.abc") == (0, 8, 27)
    assert C.parse_version("no version") is None


def test_pragma_ignores_comments_and_strings_and_combines_several() -> None:
    text = ('// pragma solidity ^0.4.0;\n/* pragma solidity ^0.5.0; */ string constant s = '
            '"pragma solidity ^0.6.0;";\n  pragma solidity >=0.8.0;\npragma solidity <0.8.20;\n')
    pragma = C.read_pragma(SourceFile("x.sol", text.encode()))
    assert pragma is not None
    assert pragma.text == ">=0.8.0 <0.8.20"
    assert pragma.span is not None and (pragma.span.line, pragma.span.column) == (3, 3)
    assert pragma.satisfied_by("0.8.19") is True
    assert pragma.satisfied_by("0.8.20") is False
    assert C.read_pragma(SourceFile("y.sol", b"contract C {}")) is None


def test_pragma_beyond_the_matcher_accepts_every_compiler() -> None:
    pragma = C.read_pragma(SourceFile("x.sol", b"pragma solidity ^0.8.0 foo bar;"))
    assert pragma is not None and pragma.range is None
    assert pragma.satisfied_by("0.4.0") is None


# ---------------------------------------------------------------------------------------------
# Discovery


def test_discovery_order(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    explicit = env.fake_solc(env.tmp / "explicit" / "solc")
    from_env = env.fake_solc(env.tmp / "fromenv" / "solc")
    env.solc_select(["0.8.26"])
    on_path = env.fake_solc(env.bin / "solc")
    env.fake_solcjs()
    env.mp.setenv("VECVERIFY_SOLC", str(from_env))

    found = C.find_compiler(str(main), solc_path=str(explicit))
    assert (found.kind, found.path) == ("explicit", str(explicit))
    assert found.version == "0.8.26+commit.00000000.Linux.g++"

    found = C.find_compiler(str(main))
    assert (found.kind, found.path) == ("env", str(from_env))

    env.mp.delenv("VECVERIFY_SOLC")
    found = C.find_compiler(str(main))
    assert found.kind == "solc-select"
    assert found.path == str(env.home / ".solc-select/artifacts/solc-0.8.26/solc-0.8.26")

    (env.bin / "solc-select").unlink()
    found = C.find_compiler(str(main))
    assert (found.kind, found.path) == ("path", str(on_path))

    on_path.unlink()
    found = C.find_compiler(str(main))
    assert (found.kind, found.version) == ("solcjs", "0.8.26")
    assert found.path == str(env.cache / "solcjs" / "node_modules" / "solc")

    shutil.rmtree(env.cache / "solcjs")
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(main))
    assert exc.value.code == "input:solc.missing"


def test_explicit_compiler_wins_over_the_pragma(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    old = env.fake_solc(env.tmp / "old" / "solc", version="0.7.6")
    env.fake_solcjs("0.8.26")
    assert C.find_compiler(str(main), solc_path=str(old)).kind == "explicit"
    env.mp.setenv("VECVERIFY_SOLC", str(old))
    assert C.find_compiler(str(main)).kind == "env"


def test_explicit_compiler_that_is_not_there_is_an_input_error(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(main), solc_path=str(env.tmp / "nope"))
    assert exc.value.code == "input:solc.bad-path"
    assert "--solc" in exc.value.render()
    env.mp.setenv("VECVERIFY_SOLC", "no-such-solc-anywhere")
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(main))
    assert exc.value.code == "input:solc.bad-path"
    assert "$VECVERIFY_SOLC" in exc.value.message


def test_solc_on_path_with_the_wrong_version_yields_to_solcjs(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    env.fake_solc(env.bin / "solc", version="0.7.6")
    env.fake_solcjs("0.8.26")
    assert C.find_compiler(str(main)).kind == "solcjs"
    # with nothing better, the mismatching compiler is used (solc then reports the pragma)
    shutil.rmtree(env.cache / "solcjs")
    found = C.find_compiler(str(main))
    assert found.kind == "path"
    assert "no compiler found satisfies pragma solidity ^0.8.0" in found.how


def test_solc_select_takes_the_newest_installed_version_that_satisfies_the_pragma(env: Env) -> None:
    env.solc_select(["0.8.26", "0.8.19", "0.7.6"], current="0.7.6")
    found = C.find_compiler(str(env.write("A.sol", "pragma solidity >=0.8.0 <0.8.20;")))
    assert (found.kind, found.version) == ("solc-select", "0.8.19+commit.00000000.Linux.g++")
    # no pragma: solc-select's current version
    found = C.find_compiler(str(env.write("B.sol", "contract B {}")))
    assert found.version.startswith("0.7.6")
    # nothing installed satisfies: solc-select is passed over
    env.fake_solcjs("0.6.12")
    found = C.find_compiler(str(env.write("C.sol", "pragma solidity ^0.6.0;")))
    assert found.kind == "solcjs"


def test_nothing_found_points_at_the_pragma_and_says_how_to_install_solcjs(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(main))
    err = exc.value
    assert err.code == "input:solc.missing"
    assert err.span is not None and (err.span.file, err.span.line, err.span.column) == \
        (str(main), 2, 1)
    assert err.render().startswith(f"{main}:2:1: error: no Solidity compiler found: tried ")
    for step in ("--solc (not given)", "$VECVERIFY_SOLC (not set)", "solc-select (not installed)",
                 "solc on PATH (not found)", "solcjs (not installed"):
        assert step in err.message
    assert f"npm install --prefix {env.cache / 'solcjs'} solc@0.8" in err.message
    # without a pragma: the file's first position, and the default hint
    bare = env.write("B.sol", "contract B {}\n")
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(bare))
    assert exc.value.span == Span.point(str(bare), 1, 1)


def test_install_hint_follows_the_pragma(env: Env) -> None:
    pragma = C.read_pragma(SourceFile("x.sol", b"pragma solidity ^0.7.0;"))
    assert C.npm_install_hint(pragma).endswith("solc@0.7")
    assert C.npm_install_hint(None).endswith("solc@0.8")
    assert C.npm_install_hint(None).startswith("npm install --prefix ")


def test_solcjs_without_node_is_reported(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    env.fake_solcjs()
    if (env.bin / "node").exists():
        (env.bin / "node").unlink()
    with pytest.raises(InputError) as exc:
        C.find_compiler(str(main))
    assert "`node` is not on PATH" in exc.value.message


def test_discovery_report_has_a_row_per_step_and_the_choice(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    env.fake_solc(env.bin / "solc", version="0.8.26")
    rows = dict(C.discovery_report(str(main)))
    assert rows["pragma"].startswith("solidity ^0.8.0")
    assert rows["1. --solc"] == "not given"
    assert rows["2. $VECVERIFY_SOLC"] == "not set"
    assert rows["3. solc-select"] == "not installed"
    assert "satisfies pragma ^0.8.0" in rows["4. solc on PATH"]
    assert rows["5. solcjs"].startswith("not installed")
    assert rows["would use"].startswith("solc on PATH: ")
    rows = dict(C.discovery_report(None, solc_path=str(env.tmp / "missing")))
    assert rows["1. --solc"].startswith("error: ")
    assert rows["would use"].startswith("nothing: ")


def test_doctor_command_lists_the_environment_and_exits_0(env: Env) -> None:
    main = env.write("A.sol", CONTRACT)
    out, err = io.StringIO(), io.StringIO()
    assert commands.doctor(out, err, str(main)) == 0
    text = out.getvalue()
    for label in ("vecverify:", "python:", "cvc5:", "node:", "npm:", "solc-select:",
                  "1. --solc:", "5. solcjs:", "would use:"):
        assert label in text, text
    assert "npm:           not found" in text  # PATH holds only node here


# ---------------------------------------------------------------------------------------------
# Project layout and remappings


def test_remappings_nearer_files_win_and_targets_are_rebased(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "foundry.toml").write_text('[profile.default]\nremappings = ["b/=lib/b/"]\n')
    (root / "remappings.txt").write_text("a/=lib/a1/\n\n# comment\nctx:c/=lib/c/\n")
    (root / "src" / "remappings.txt").write_text("a/=vendor/a2/\n")
    main = root / "src" / "Main.sol"
    main.write_text("contract M {}")
    project = C.resolve_project(str(main))
    assert project.root == str(root) and project.base_path == str(root)
    assert project.remappings == ("a/=lib/a1/", "ctx:c/=lib/c/", "b/=lib/b/", "a/=src/vendor/a2/")
    # a base path elsewhere: targets outside it become absolute
    other = tmp_path / "base"
    other.mkdir()
    project = C.resolve_project(str(main), base_path=str(other))
    assert f"b/={root}/lib/b/" in project.remappings


def test_a_bad_remapping_is_an_input_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "foundry.toml").write_text("")
    (tmp_path / "remappings.txt").write_text("ok/=lib/ok/\nbroken\n")
    with pytest.raises(InputError) as exc:
        C.resolve_project(str(tmp_path / "A.sol"))
    assert exc.value.span == Span.point(str(tmp_path / "remappings.txt"), 2, 1)


def test_toml_fallback_parser_reads_remappings() -> None:
    text = ('[profile.default]\nsrc = "src"\nremappings = [\n  "a/=lib/a/", # first\n'
            "  'b/=lib/b/',\n]\n[profile.ci]\nremappings = [\"c/=lib/c/\"]\n")
    assert project._toml_remappings_fallback(text) == ["a/=lib/a/", "b/=lib/b/"]


def test_unit_names_are_relative_to_the_first_root_that_holds_the_file(tmp_path: Path) -> None:
    base, inc = str(tmp_path / "base"), str(tmp_path / "inc")
    assert C.unit_name(f"{base}/src/A.sol", (base, inc)) == "src/A.sol"
    assert C.unit_name(f"{inc}/B.sol", (base, inc)) == "B.sol"
    assert C.unit_name("/elsewhere/C.sol", (base, inc)) == "/elsewhere/C.sol"


# ---------------------------------------------------------------------------------------------
# Compiling with solcjs


def test_compile_with_solcjs(solcjs: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    main = solcjs.write("A.sol", CONTRACT)
    result = C.compile_files([str(main)])
    assert result.compiler.kind == "solcjs"
    assert not result.cache_hit and result.solc_time_s > 0
    assert list(result.output["sources"]) == ["A.sol"] == list(result.sources)
    assert result.output["sources"]["A.sol"]["ast"]["nodeType"] == "SourceUnit"
    assert result.sources["A.sol"].path == str(main)
    assert result.source_ids == {0: "A.sol"}
    assert result.stats()["compiler"] == "solcjs"
    # the same file named relatively: same compile (cache hit), path as given
    monkeypatch.chdir(solcjs.tmp)
    again = C.compile_files(["A.sol"])
    assert again.cache_hit and again.solc_time_s == 0
    assert again.sources["A.sol"].path == "A.sol"
    assert again.output == result.output


def test_compiler_errors_are_all_shown_at_their_positions(solcjs: Env,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(solcjs.tmp)
    line = "  function f() public pure returns (uint) { /* é */ return xx + yy; }"
    solcjs.write("E.sol", "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n"
                          f"contract E {{\n{line}\n}}\n")
    with pytest.raises(C.CompilerError) as exc:
        C.compile_files(["E.sol"])
    # columns count characters (the é is two bytes in solc's offsets)
    xx, yy = line.index("xx") + 1, line.index("yy") + 1
    assert exc.value.render().splitlines() == [
        f'E.sol:4:{xx}: error: Undeclared identifier. Did you mean "tx"?',
        f"E.sol:4:{yy}: error: Undeclared identifier.",
    ]
    assert exc.value.code == "input:solc.error"
    assert isinstance(exc.value, InputError)
    assert exc.value.span == Span("E.sol", 4, xx, 4, xx + 2)
    assert all(r["severity"] == "error" for r in exc.value.raw)


def test_an_error_in_an_imported_file_names_that_file(solcjs: Env,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(solcjs.tmp)
    solcjs.write("lib/Lib.sol", "pragma solidity ^0.8.0;\nlibrary Lib {\n"
                                "  function g() internal pure returns (uint) { return zz; }\n}\n")
    main = solcjs.write("src/Main.sol", 'pragma solidity ^0.8.0;\nimport "../lib/Lib.sol";\n'
                                        "contract M {}\n")
    solcjs.write("foundry.toml", "")
    with pytest.raises(C.CompilerError) as exc:
        C.compile_files([str(main)])
    assert exc.value.render() == "lib/Lib.sol:3:54: error: Undeclared identifier."


def test_a_syntax_error_is_a_compiler_error(solcjs: Env) -> None:
    bad = solcjs.write("Bad.sol", "pragma solidity ^0.8.0;\ncontract B { uint x }\n")
    with pytest.raises(C.CompilerError) as exc:
        C.compile_files([str(bad)])
    assert exc.value.render() == f"{bad}:2:21: error: Expected ';' but got '}}'"


def test_compiler_error_renders_every_line() -> None:
    err = C.CompilerError([(Span("a.sol", 1, 2, 1, 3), "first"), (None, "second")])
    assert err.render() == "a.sol:1:2: error: first\nerror: second"
    assert (err.span, err.message) == (Span("a.sol", 1, 2, 1, 3), "first")


def test_foundry_remappings_resolve_imports(solcjs: Env) -> None:
    main = FIXTURES / "foundry" / "src" / "Main.sol"
    result = C.compile_files([str(main)])
    assert set(result.sources) == {"src/Main.sol", "src/Local.sol", "lib/tom/src/Tom.sol",
                                   "lib/txt/Txt.sol"}
    assert result.sources["src/Main.sol"].path == str(main)
    assert result.sources["lib/tom/src/Tom.sol"].data.startswith(b"// SPDX")
    assert set(result.source_ids.values()) == set(result.sources)


def test_include_paths_resolve_imports(solcjs: Env) -> None:
    solcjs.write("shared/lib/S.sol", "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n"
                                     "library S { function one() internal pure returns (uint) "
                                     "{ return 1; } }\n")
    main = solcjs.write("proj/Main.sol",
                        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n"
                        'import "lib/S.sol";\ncontract M { function f() public '
                        "pure returns (uint) { return S.one(); } }\n")
    with pytest.raises(C.CompilerError) as exc:
        C.compile_files([str(main)])
    assert 'Source "lib/S.sol" not found' in exc.value.render()
    result = C.compile_files([str(main)], include_paths=(str(solcjs.tmp / "shared"),))
    assert set(result.sources) == {"Main.sol", "lib/S.sol"}
    assert os.path.samefile(result.sources["lib/S.sol"].path, solcjs.tmp / "shared/lib/S.sol")


# ---------------------------------------------------------------------------------------------
# Native solc (a fake that hands its input to solcjs): flags, imports, caching


def test_native_solc_gets_base_and_include_paths(solcjs: Env) -> None:
    native = solcjs.fake_solc(solcjs.tmp / "native" / "solc", delegate=True)
    solcjs.mp.setenv("VECVERIFY_SOLC", str(native))
    solcjs.write("shared/S.sol", "pragma solidity ^0.8.0;\nlibrary S {}\n")
    main = solcjs.write("proj/Main.sol",
                        'pragma solidity ^0.8.0;\nimport "S.sol";\ncontract M {}\n')
    result = C.compile_files([str(main)], base_path=str(solcjs.tmp / "proj"),
                             include_paths=(str(solcjs.tmp / "shared"),))
    assert result.compiler.kind == "env"
    assert set(result.sources) == {"Main.sol", "S.sol"}
    (call,) = solcjs.compiles()
    args = call["args"]
    assert args[0] == "--standard-json"
    assert args[args.index("--base-path") + 1] == str(solcjs.tmp / "proj")
    assert args[args.index("--include-path") + 1] == str(solcjs.tmp / "shared")
    assert str(solcjs.tmp / "shared") in args[args.index("--allow-paths") + 1].split(",")


def test_second_compile_is_a_cache_hit_without_calling_solc(env: Env) -> None:
    env.mp.setenv("VECVERIFY_SOLC", str(env.fake_solc(env.tmp / "fake" / "solc")))
    main = env.write("A.sol", CONTRACT)
    first = C.compile_files([str(main)])
    second = C.compile_files([str(main)])
    assert (first.cache_hit, second.cache_hit) == (False, True)
    assert len(env.compiles()) == 1
    assert second.output == first.output and second.source_ids == first.source_ids
    entries = [p.name for p in (env.cache / "solc-output").glob("*.json")]
    assert len(entries) == 1 and re.fullmatch(r"[0-9a-f]{64}\.json", entries[0])
    C.compile_files([str(main)], use_cache=False)
    assert len(env.compiles()) == 2
    main.write_text(CONTRACT + "// changed\n")
    assert not C.compile_files([str(main)]).cache_hit
    assert len(env.compiles()) == 3


def test_cache_key_covers_imported_files(solcjs: Env) -> None:
    solcjs.mp.setenv("VECVERIFY_SOLC",
                     str(solcjs.fake_solc(solcjs.tmp / "native" / "solc", delegate=True)))
    dep = solcjs.write("Dep.sol", "pragma solidity ^0.8.0;\nlibrary Dep {}\n")
    main = solcjs.write("Main.sol", 'pragma solidity ^0.8.0;\nimport "./Dep.sol";\ncontract M {}\n')
    assert not C.compile_files([str(main)]).cache_hit
    assert C.compile_files([str(main)]).cache_hit
    dep.write_text("pragma solidity ^0.8.0;\nlibrary Dep { }\n")
    changed = C.compile_files([str(main)])
    assert not changed.cache_hit
    assert changed.sources["Dep.sol"].data.endswith(b"{ }\n")
    assert len(solcjs.compiles()) == 2


def test_failed_compiles_are_not_cached(env: Env) -> None:
    broken = env.tmp / "broken" / "solc"
    env.fake_solc(broken)
    broken.write_text(broken.read_text().replace(
        'sources = sorted', 'json.dump({"errors": [{"severity": "error", "message": "boom", '
        '"sourceLocation": {"file": "A.sol", "start": 0, "end": 2}}]}, sys.stdout); sys.exit()\n'
        'sources = sorted'))
    env.mp.setenv("VECVERIFY_SOLC", str(broken))
    main = env.write("A.sol", CONTRACT)
    for _ in range(2):
        with pytest.raises(C.CompilerError) as exc:
            C.compile_files([str(main)])
        assert exc.value.render() == f"{main}:1:1: error: boom"
    assert len(env.compiles()) == 2


def test_a_compiler_that_does_not_answer_json_is_an_input_error(env: Env) -> None:
    junk = env.tmp / "junk" / "solc"
    env.fake_solc(junk)
    junk.write_text(junk.read_text().replace(
        "sources = sorted", 'print("Segmentation fault", file=sys.stderr); sys.exit(139)\n'
        "sources = sorted"))
    main = env.write("A.sol", CONTRACT)
    with pytest.raises(InputError) as exc:
        C.compile_files([str(main)], solc_path=str(junk))
    assert exc.value.code == "input:solc.failed"
    assert "exit 139" in exc.value.message and "Segmentation fault" in exc.value.message


def test_missing_input_file_is_a_usage_error(env: Env) -> None:
    with pytest.raises(InputError) as exc:
        C.compile_files([str(env.tmp / "nope.sol")])
    assert exc.value.code == "usage.file"


def test_without_a_project_root_the_working_directory_is_the_base(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "contracts").mkdir()
    main = tmp_path / "contracts" / "A.sol"
    monkeypatch.chdir(tmp_path)
    assert C.resolve_project(str(main)).base_path == str(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert C.resolve_project(str(main)).base_path == str(tmp_path / "contracts")
