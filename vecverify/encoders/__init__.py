"""Encoders from VCs to solver input."""
from .smtlib import Script, encode, print_script

__all__ = ["Script", "encode", "print_script"]
