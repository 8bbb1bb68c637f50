"""Exact values of Solidity's compile-time constants (`int_const` / `rational_const` types).

solc folds literal arithmetic with unbounded precision and types the result `int_const N`.
Two reasons not to read N off that type string: solc abbreviates long values
(`int_const 1157...(70 digits)...9935`), and the string says nothing about how the value was
written.  So the value is recomputed here from the literal AST, exactly, with rationals where
solc has them (`7 / 2 * 2` is the integer 7).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

Node = dict[str, Any]

SUBDENOMINATIONS = {None: 1, "wei": 1, "gwei": 10**9, "ether": 10**18, "seconds": 1,
                    "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
MAX_EXPONENT_BITS = 4096           # solc refuses constants beyond 4096 bits as well


def is_constant(e: Node) -> bool:
    ts = e.get("typeDescriptions", {}).get("typeString") or ""
    return ts.startswith(("int_const", "rational_const"))


def literal_value(e: Node) -> Fraction | None:
    """The value of a number literal: decimal, hex, scientific, with `_` separators and a
    sub-denomination (`2 ether`, `1e18`, `0x_ff`, `2.5e3`)."""
    text = str(e.get("value", "")).replace("_", "")
    if not text:
        return None
    try:
        if text.lower().startswith("0x"):
            value = Fraction(int(text, 16))
        elif "e" in text.lower():
            mantissa, exponent = text.lower().split("e")
            exp = int(exponent)
            if abs(exp) > MAX_EXPONENT_BITS:
                return None
            value = Fraction(mantissa or "0") * Fraction(10) ** exp
        else:
            value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    unit = SUBDENOMINATIONS.get(e.get("subdenomination"))
    return value * unit if unit is not None else None


def constant_value(e: Node, resolve: Callable[[Node], Fraction | None] | None = None
                   ) -> Fraction | None:
    """The exact value of an expression solc typed as a constant, or None if it is not one we
    can recompute (`resolve` gives the value of an identifier naming a constant)."""
    kind = e.get("nodeType")
    if kind == "Literal":
        return literal_value(e) if e.get("kind") == "number" else None
    if kind == "TupleExpression" and len(e.get("components") or []) == 1:
        inner = e["components"][0]
        return constant_value(inner, resolve) if inner is not None else None
    if kind == "Identifier":
        return resolve(e) if resolve is not None else None
    if kind == "UnaryOperation":
        x = constant_value(e["subExpression"], resolve)
        if x is None:
            return None
        if e["operator"] == "-":
            return -x
        if e["operator"] == "~" and x.denominator == 1:
            return Fraction(~int(x))
        return None
    if kind == "BinaryOperation":
        a = constant_value(e["leftExpression"], resolve)
        b = constant_value(e["rightExpression"], resolve)
        if a is None or b is None:
            return None
        return _binary(e["operator"], a, b)
    return None


def _binary(op: str, a: Fraction, b: Fraction) -> Fraction | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b if b != 0 else None
    if op == "%":
        if b == 0 or a.denominator != 1 or b.denominator != 1:
            return None
        q = abs(int(a)) % abs(int(b))          # the sign follows the dividend, as in solc
        return Fraction(q if a >= 0 else -q)
    if op == "**":
        if b.denominator != 1 or abs(b) > MAX_EXPONENT_BITS:
            return None
        return a ** int(b) if not (a == 0 and b < 0) else None
    if a.denominator != 1 or b.denominator != 1:
        return None
    x, y = int(a), int(b)
    if op == "<<":
        return Fraction(x << y) if 0 <= y <= MAX_EXPONENT_BITS else None
    if op == ">>":
        return Fraction(x >> y) if y >= 0 else None
    if op == "&":
        return Fraction(x & y)
    if op == "|":
        return Fraction(x | y)
    if op == "^":
        return Fraction(x ^ y)
    return None
