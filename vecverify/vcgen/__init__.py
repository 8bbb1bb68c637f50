"""VC generation from the IR: one VC per check, linear in the program size."""
from .generate import generate, modified_vars
from .vc import VC

__all__ = ["VC", "generate", "modified_vars"]
