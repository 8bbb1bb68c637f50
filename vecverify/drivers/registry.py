"""The solver registry: names to factories; a backend is registered only if it imports."""
from __future__ import annotations

import functools
from typing import Callable

from vecverify.errors import InputError

from .base import Solver

_FACTORIES: dict[str, Callable[[], Solver]] = {}


def register(name: str, factory: Callable[[], Solver]) -> None:
    _FACTORIES[name] = factory


def _register_builtins() -> None:
    from .cross import CrossSolver, cross_base
    from .cvc5_api import Cvc5Solver
    from .python_seq import PythonSeqSolver, python_base
    register("cross", CrossSolver)
    register("cross-base", cross_base)
    register("cvc5", Cvc5Solver)
    register("python", PythonSeqSolver)
    register("python-base", python_base)


def names() -> list[str]:
    if not _FACTORIES:
        _register_builtins()
    return sorted(_FACTORIES)


def factory(name: str, combination: str | None = None,
            unsound_ok: bool = False) -> Callable[[], Solver]:
    """The factory of solver `name`; `combination`/`unsound_ok` configure the solvers that
    run the Python procedure (python, cross) and are a usage error for the others."""
    if not _FACTORIES:
        _register_builtins()
    if name not in _FACTORIES:
        raise InputError(None, f"unknown solver '{name}' (available: {', '.join(names())})",
                         "usage.solver")
    if combination is None and not unsound_ok:
        return _FACTORIES[name]
    if not name.startswith(("python", "cross")):
        raise InputError(None, f"--combination and --unsound-ok configure the Python "
                         f"procedure (--solver python or cross), not {name}", "usage.solver")
    from vecverify.theories.combination import DEFAULT
    return functools.partial(_FACTORIES[name], combination=combination or DEFAULT,
                             unsound_ok=unsound_ok)


def reset() -> None:
    _FACTORIES.clear()
