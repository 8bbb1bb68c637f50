"""Solver drivers behind one protocol (see base.py)."""
from .base import Solver, SolverResult, SolverTask
from .pool import run_tasks

__all__ = ["Solver", "SolverResult", "SolverTask", "run_tasks"]
