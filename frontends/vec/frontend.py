"""The `.vec` frontend entry point used by the pipeline: text -> typed AST -> IR procedures."""
from __future__ import annotations

from vecverify.ir import Procedure
from vecverify.terms import TermManager

from . import parse_and_check
from .lower import lower


def load(path: str, text: str, tm: TermManager, options: object = None,
         stats: dict | None = None) -> list[Procedure]:
    """Parse, type-check and lower one `.vec` file; raises InputError on bad input."""
    program = parse_and_check(text, path)
    return lower(tm, program, text)
