"""The IR frontends lower into: guarded commands with source spans (see nodes.py)."""
from .effects import modified_vars, substatements
from .nodes import (Assert, Assign, Assume, Block, Break, Check, Choice, Continue, Havoc,
                    Invariant, Loop, ParAssign, Procedure, Return, ReturnScope, Stmt,
                    UnsupportedFunction, VarInfo)

__all__ = ["Assert", "Assign", "Assume", "Block", "Break", "Check", "Choice", "Continue",
           "Havoc", "Invariant", "Loop", "ParAssign", "Procedure", "Return", "ReturnScope", "Stmt",
           "UnsupportedFunction", "VarInfo", "modified_vars", "substatements"]
