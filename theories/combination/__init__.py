"""The theory-combination layer of the bundled decision procedure: the sequence theory (the
Python calculus) combined with the element theories cvc5 decides, by the polite, Nelson-Oppen
or hybrid method ("Politeness and Stable Infiniteness: Stronger Together", CADE 2021).

`sorts.py` classifies element sorts, `purify.py` splits the input into its sequence and
element parts, `witness.py` is the sequence theory's witness (with the argument for strong
finite witnessability), `arrangement.py` the strategies and the arrangement bookkeeping.
"""
from .arrangement import (DEFAULT, STRATEGIES, Combination, CombinationStats, Refused,
                          combination_totals, render)
from .purify import Purification, purify
from .sorts import Classification, classify

__all__ = ["DEFAULT", "STRATEGIES", "Classification", "Combination", "CombinationStats",
           "Purification", "Refused", "classify", "combination_totals", "purify", "render"]
