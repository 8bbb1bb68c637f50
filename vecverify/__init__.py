"""vecverify: verification of vector programs over the SMT theory of sequences.

Installed, `theories/` and `frontends/` are mapped to `vecverify.theories` and
`vecverify.frontends` (pyproject package-dir).  In a source checkout used without installing
(`python -m vecverify` from the repository root), they sit beside this package instead, so the
repository root is added to the package path for exactly that case.
"""
from __future__ import annotations

import os

_here = os.path.dirname(os.path.abspath(__file__))
_root = os.path.dirname(_here)
if (not os.path.isdir(os.path.join(_here, "frontends"))
        and os.path.isfile(os.path.join(_root, "frontends", "__init__.py"))
        and os.path.isfile(os.path.join(_root, "pyproject.toml"))):
    __path__.append(_root)  # type: ignore[name-defined]


def installed_version(distribution: str = "vecverify", missing: str = "not installed") -> str:
    """The installed version of a distribution (vecverify itself by default), or `missing`:
    what `doctor` shows, SARIF's and the language server's tool version, and part of the
    result cache's key."""
    import importlib.metadata
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return missing
