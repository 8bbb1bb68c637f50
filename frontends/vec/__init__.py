"""The `.vec` front end: source text -> checked, typed AST (see `ast.py`)."""
from __future__ import annotations

from .checker import check_program, parse_and_check
from .parser import parse

__all__ = ["parse", "check_program", "parse_and_check"]
