"""Terms: sorts, the operator table, the hash-consing manager, walkers and the SMT-LIB printer."""
from .manager import Term, TermManager
from .ops import Op
from .printer import smt_symbol, to_smtlib
from .sorts import BOOL, INT, BoolSort, IntSort, SeqSort, Sort, UninterpretedSort
from .walkers import DagWalker, free_vars, postorder, substitute

__all__ = ["Term", "TermManager", "Op", "to_smtlib", "smt_symbol", "BOOL", "INT", "BoolSort",
           "IntSort", "SeqSort", "Sort", "UninterpretedSort", "DagWalker", "free_vars",
           "postorder", "substitute"]
