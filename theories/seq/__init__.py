"""The bundled decision procedure for sequences: the BASE and EXT calculi of "Reasoning About
Vectors using an SMT Theory of Sequences" (IJCAR 2022) in pure Python, refining an abstraction
that cvc5 decides (lemmas on demand).  See `solver.py` for the loop, `rules.py` for the rules,
`model.py` for the model construction."""
from .abstraction import Unsupported
from .solver import CALCULI, Outcome, SeqSolver, Stats

__all__ = ["CALCULI", "Outcome", "SeqSolver", "Stats", "Unsupported"]
