"""SMT-LIB 2.6 input: an s-expression reader and a script reader producing vecverify terms."""
from .reader import Command, Script, Unsupported, read_file, read_script
from .sexpr import SExpr, parse

__all__ = ["Command", "Script", "Unsupported", "read_file", "read_script", "SExpr", "parse"]
