"""Structure: check kinds describe themselves, the operator table is complete, imports go one way."""
from __future__ import annotations

import ast
import pathlib

from vecverify.obligations import REGISTRY
from vecverify.terms import Op
from vecverify.terms.ops import SMT_NAMES

ROOT = pathlib.Path(__file__).resolve().parent.parent

EXPECTED_KINDS = {"index-out-of-bounds", "pop-empty", "overflow", "underflow", "division-by-zero",
                  "assert", "postcondition", "precondition", "loop-invariant-entry",
                  "loop-invariant-preserved", "contract-invariant", "modifies"}


def test_every_check_kind_of_the_language_is_registered_with_metadata() -> None:
    assert set(REGISTRY) == EXPECTED_KINDS
    for cls in REGISTRY.values():
        assert cls.short and cls.failure and cls.success and cls.help


def test_every_operator_prints() -> None:
    leaves = {Op.VAR, Op.BVAR, Op.BOOL_CONST, Op.INT_CONST, Op.APPLY}
    assert set(SMT_NAMES) | leaves == set(Op)


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


# package -> packages it must never import
FORBIDDEN = {
    "terms": ("vecverify.ir", "vecverify.vcgen", "vecverify.encoders", "vecverify.drivers",
              "vecverify.frontends", "vecverify.reports", "vecverify.pipeline"),
    "ir": ("vecverify.vcgen", "vecverify.encoders", "vecverify.drivers", "vecverify.frontends",
           "vecverify.pipeline"),
    "vcgen": ("vecverify.encoders", "vecverify.drivers", "vecverify.frontends",
              "vecverify.pipeline"),
    "encoders": ("vecverify.drivers", "vecverify.frontends", "vecverify.pipeline"),
    "drivers": ("vecverify.frontends", "vecverify.vcgen", "vecverify.ir", "vecverify.pipeline"),
    "reports": ("vecverify.frontends", "vecverify.vcgen", "vecverify.ir", "vecverify.terms",
                "vecverify.drivers", "vecverify.pipeline"),
}


def test_import_arrows_go_one_way() -> None:
    bad = []
    for pkg, forbidden in FORBIDDEN.items():
        for path in (ROOT / "vecverify" / pkg).glob("*.py"):
            for mod in _imports(path):
                if mod.startswith(forbidden):
                    bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    for path in (ROOT / "frontends").rglob("*.py"):
        for mod in _imports(path):
            if mod.startswith(("vecverify.drivers", "vecverify.vcgen", "vecverify.pipeline")):
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert not bad, bad
