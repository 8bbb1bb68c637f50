"""A small SMT-LIB 2.6 s-expression reader with 1-based source positions.

Tokens: `(` `)`, numerals (`42`), decimals (`4.2`), `#x1F`, `#b101`, string literals
(`"a""b"`, a doubled quote is a quote), simple symbols, quoted symbols (`|...|`, may span
lines), keywords (`:status`); `;` starts a comment to the end of the line.  Malformed input
(unbalanced parentheses, unterminated string or quoted symbol, a stray character) raises
`InputError(span, message, "smtlib.syntax")`.

>>> [str(e) for e in parse("(assert (> x 5)) ; done", "f.smt2")]
['(assert (> x 5))']
"""
from __future__ import annotations

from dataclasses import dataclass

from vecverify.errors import InputError, Span

SYMBOL = "symbol"          # simple or quoted symbol; value is the name without bars
NUMERAL = "numeral"        # value: int
DECIMAL = "decimal"        # value: the text
HEX = "hex"                # value: the text (#x..)
BINARY = "binary"          # value: the text (#b..)
STRING = "string"          # value: the string contents (quotes undoubled)
KEYWORD = "keyword"        # value: the text with its colon
LIST = "list"

_SYMBOL_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "~!@$%^&*_-+=<>.?/")


@dataclass(frozen=True, eq=False)
class SExpr:
    """An atom (`kind` != LIST, `value`) or a list (`items`), with the span of its text."""

    kind: str
    value: object
    span: Span
    items: tuple["SExpr", ...] = ()
    quoted: bool = False       # a |quoted| symbol

    @property
    def is_list(self) -> bool:
        return self.kind == LIST

    def is_symbol(self, name: str | None = None) -> bool:
        return self.kind == SYMBOL and (name is None or self.value == name)

    def __str__(self) -> str:
        if self.kind == LIST:
            return "(" + " ".join(str(i) for i in self.items) + ")"
        if self.kind == STRING:
            return '"' + str(self.value).replace('"', '""') + '"'
        if self.kind == SYMBOL and self.quoted:
            return f"|{self.value}|"
        return str(self.value)


def _error(file: str, line: int, col: int, message: str) -> InputError:
    return InputError(Span.point(file, line, col), message, "smtlib.syntax")


def parse(text: str, file: str = "<input>") -> list[SExpr]:
    """The top-level s-expressions of `text`."""
    top: list[SExpr] = []
    # stack of open lists: (line, col, items)
    stack: list[tuple[int, int, list[SExpr]]] = []
    i, n = 0, len(text)
    line, col = 1, 1

    def emit(e: SExpr) -> None:
        (stack[-1][2] if stack else top).append(e)

    while i < n:
        c = text[i]
        if c == "\n":
            i, line, col = i + 1, line + 1, 1
            continue
        if c in " \t\r\f\v":
            i, col = i + 1, col + 1
            continue
        if c == ";":
            while i < n and text[i] != "\n":
                i += 1
            continue
        sl, sc = line, col
        if c == "(":
            stack.append((line, col, []))
            i, col = i + 1, col + 1
            continue
        if c == ")":
            if not stack:
                raise _error(file, line, col, "unbalanced ')': no open '(' to close")
            ol, oc, items = stack.pop()
            emit(SExpr(LIST, None, Span(file, ol, oc, line, col + 1), tuple(items)))
            i, col = i + 1, col + 1
            continue
        if c == '"':
            j = i + 1
            buf: list[str] = []
            el, ec = line, col + 1
            while True:
                if j >= n:
                    raise _error(file, sl, sc, "unterminated string literal")
                ch = text[j]
                if ch == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        ec += 2
                        continue
                    j += 1
                    ec += 1
                    break
                buf.append(ch)
                if ch == "\n":
                    el, ec = el + 1, 1
                else:
                    ec += 1
                j += 1
            emit(SExpr(STRING, "".join(buf), Span(file, sl, sc, el, ec)))
            i, line, col = j, el, ec
            continue
        if c == "|":
            j = text.find("|", i + 1)
            if j < 0:
                raise _error(file, sl, sc, "unterminated quoted symbol")
            body = text[i + 1:j]
            if "\\" in body:
                raise _error(file, sl, sc, "a quoted symbol may not contain '\\'")
            nl = body.count("\n")
            el = line + nl
            ec = (len(body) - body.rfind("\n") + 1) if nl else col + len(body) + 2
            emit(SExpr(SYMBOL, body, Span(file, sl, sc, el, ec), quoted=True))
            i, line, col = j + 1, el, ec
            continue
        if c == "#":
            j = i + 1
            if j < n and text[j] in "xb":
                base = text[j]
                j += 1
                digits = "0123456789abcdefABCDEF" if base == "x" else "01"
                k = j
                while k < n and text[k] in digits:
                    k += 1
                if k == j:
                    raise _error(file, sl, sc, f"malformed #{base} literal")
                tok = text[i:k]
                emit(SExpr(HEX if base == "x" else BINARY, tok,
                           Span(file, sl, sc, sl, sc + len(tok))))
                col += k - i
                i = k
                continue
            raise _error(file, sl, sc, "unexpected character '#'")
        if c == ":" or c in _SYMBOL_CHARS:
            j = i + 1
            while j < n and text[j] in _SYMBOL_CHARS:
                j += 1
            tok = text[i:j]
            span = Span(file, sl, sc, sl, sc + len(tok))
            if c == ":":
                if len(tok) == 1:
                    raise _error(file, sl, sc, "empty keyword ':'")
                emit(SExpr(KEYWORD, tok, span))
            elif c.isdigit():
                if tok.isdigit():
                    if len(tok) > 1 and tok[0] == "0":
                        raise _error(file, sl, sc, f"numeral with a leading zero: {tok}")
                    emit(SExpr(NUMERAL, int(tok), span))
                elif _is_decimal(tok):
                    emit(SExpr(DECIMAL, tok, span))
                else:
                    raise _error(file, sl, sc, f"malformed numeral '{tok}'")
            else:
                emit(SExpr(SYMBOL, tok, span))
            col += j - i
            i = j
            continue
        raise _error(file, sl, sc, f"unexpected character {c!r}")
    if stack:
        ol, oc, _ = stack[-1]
        raise _error(file, ol, oc, "unbalanced '(': not closed before the end of the file")
    return top


def _is_decimal(tok: str) -> bool:
    whole, dot, frac = tok.partition(".")
    return bool(dot) and whole.isdigit() and frac.isdigit() and (whole == "0" or whole[0] != "0")
