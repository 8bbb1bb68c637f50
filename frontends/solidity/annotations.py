"""Specification annotations in Solidity doc comments (solc-verify style), with exact spans.

Accepted forms (each a NatSpec tag; several per doc comment, in `///` lines or `/** */`):

    /// @notice precondition EXPR          /// @custom:vv-requires EXPR
    /// @notice postcondition EXPR         /// @custom:vv-ensures EXPR
    /// @notice invariant EXPR             /// @custom:vv-invariant EXPR
    /// @notice modifies TARGET [if COND]  /// @custom:vv-modifies TARGET [if COND]

A `@notice` whose first word is not one of the four keywords is ordinary notice text and is
ignored; so are all other tags.  An unknown `@custom:vv-*` tag is an error.  A tag's text
runs to the next tag (continuation lines without `@` belong to it), as in solc's NatSpec
parser; a tag starts at the first `@` of a comment line.

Positions: solc gives the byte range (`src`) of a contract's or function's doc comment; the
comment is re-read from the raw source bytes so that every expression node gets the exact
span of its text in the `.sol` file.  Doc comments of statements (loops) have no `src`, so the
comment directly above the statement is found by scanning the raw text backwards (skipping
whitespace and plain comments, like solc's scanner); when solc reports the statement's
documentation text, the comment found is checked against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from vecverify.errors import InputError, Span

from . import spec_ast as S
from .source import SourceFile, parse_src

__all__ = ["annotations_of", "loop_annotations", "parse_expression", "LOOP_NODE_TYPES"]

SYNTAX = "annotation.syntax"
UNKNOWN = "annotation.unknown"
UNSUPPORTED = "annotation.unsupported"
LOCATION = "annotation.location"

LOOP_NODE_TYPES = frozenset({"ForStatement", "WhileStatement", "DoWhileStatement"})

_NOTICE_KEYWORDS = ("precondition", "postcondition", "invariant", "modifies")
_CUSTOM_PREFIX = "custom:vv-"
_CUSTOM_KEYWORDS = {
    "requires": "precondition",
    "ensures": "postcondition",
    "invariant": "invariant",
    "modifies": "modifies",
}

_GRAMMAR_PATH = Path(__file__).parent / "spec.lark"


@lru_cache(maxsize=1)
def _lark() -> Lark:
    return Lark(
        _GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        start=["spec_expr", "modifies_spec"],
    )


# ---- public API ---------------------------------------------------------------------


def annotations_of(node: dict[str, Any], source: SourceFile) -> list[S.Annotation]:
    """The annotations in the doc comment of `node` (ContractDefinition, FunctionDefinition,
    ModifierDefinition, VariableDeclaration, ... or a statement), in source order.

    `documentation` may be a StructuredDocumentation node (its `src` locates the comment) or,
    for statements, a plain string (the comment is then located by scanning backwards from
    the node).  A node without documentation has no annotations.
    """
    doc = node.get("documentation")
    if doc is None:
        return []
    found = _doc_range(node, source, doc)
    return [] if found is None else _annotations_in(source, *found)


def loop_annotations(loop_node: dict[str, Any], source: SourceFile) -> list[S.Annotation]:
    """The annotations in the doc comment directly above a loop statement (ForStatement,
    WhileStatement, DoWhileStatement): its `@notice invariant` / `@custom:vv-invariant`
    tags.  Other annotation kinds found there are returned too; the caller rejects them.

    The comment is the last `///` group (or `/** */` block) before the loop keyword, with only
    whitespace and plain comments in between.
    """
    doc = loop_node.get("documentation")
    found = _doc_range(loop_node, source, doc)
    return [] if found is None else _annotations_in(source, *found)


def parse_expression(text: str, path: str = "<annotation>") -> S.Expr:
    """Parse a bare annotation expression (spans refer to `text` as a file named `path`)."""
    source = SourceFile(path, text.encode("utf-8"))
    return _parse_spec(_Text.decode(source.data, 0, len(source.data)).strip(), "spec_expr", source)


# ---- text with file offsets ------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    """Logical comment text with the file byte range of every character.

    `anchor` is the file offset an empty text stands at (for error positions)."""

    chars: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    anchor: int

    @staticmethod
    def decode(data: bytes, start: int, end: int) -> "_Text":
        chars = data[start:end].decode("utf-8", errors="surrogateescape")
        starts: list[int] = []
        ends: list[int] = []
        offset = start
        for ch in chars:
            starts.append(offset)
            offset += len(ch.encode("utf-8", errors="surrogateescape"))
            ends.append(offset)
        return _Text(chars, tuple(starts), tuple(ends), start)

    @staticmethod
    def join(pieces: list["_Text"]) -> "_Text":
        """The pieces separated by newlines (each newline placed at the end of its piece)."""
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for k, piece in enumerate(pieces):
            if k:
                at = pieces[k - 1].end_offset()
                chars.append("\n")
                starts.append(at)
                ends.append(at + 1)
            chars.append(piece.chars)
            starts.extend(piece.starts)
            ends.extend(piece.ends)
        anchor = pieces[0].anchor if pieces else 0
        return _Text("".join(chars), tuple(starts), tuple(ends), anchor)

    def __len__(self) -> int:
        return len(self.chars)

    def end_offset(self) -> int:
        return self.ends[-1] if self.chars else self.anchor

    def sub(self, i: int, j: int) -> "_Text":
        anchor = self.starts[i] if i < len(self.chars) else self.end_offset()
        return _Text(self.chars[i:j], self.starts[i:j], self.ends[i:j], anchor)

    def strip(self) -> "_Text":
        i, j = 0, len(self.chars)
        while i < j and self.chars[i].isspace():
            i += 1
        if i == j:
            return self.sub(0, 0)  # all blank: stand at the start
        while self.chars[j - 1].isspace():
            j -= 1
        return self.sub(i, j)


# ---- locating doc comments ---------------------------------------------------------------

_WS = b" \t\r\n\f\v"


def _doc_range(node: dict[str, Any], source: SourceFile, doc: Any) -> tuple[int, int] | None:
    """Byte range [start, end) of the node's doc comment in the source, or None."""
    if isinstance(doc, dict) and isinstance(doc.get("src"), str):
        start, length, _ = parse_src(doc["src"])
        return start, start + length
    src = node.get("src")
    if not isinstance(src, str):
        return None
    node_start, _, _ = parse_src(src)
    found = _scan_back(source.data, node_start)
    solc_text = doc.get("text") if isinstance(doc, dict) else doc
    if isinstance(solc_text, str) and _normalized(solc_text):
        ours = None if found is None else _Text.join(_comment_lines(source.data, *found)).chars
        if ours is None or _normalized(ours) != _normalized(solc_text):
            line, column = source.position(node_start)
            raise InputError(
                Span.point(source.path, line, column),
                "cannot locate the doc comment of this statement in the source; "
                "put its /// lines directly above it",
                LOCATION,
            )
    return found


def _normalized(text: str) -> str:
    return re.sub(r"[\s*]+", "", text)


def _is_doc_line(body: bytes) -> bool:
    return body.startswith(b"///") and not body.startswith(b"////")


def _scan_back(data: bytes, offset: int) -> tuple[int, int] | None:
    """The doc comment that ends right before `offset`: the last `///` group (consecutive
    `///` lines) or `/** */` block, skipping whitespace, plain `//` lines and `/* */` blocks.
    Stops (None) at anything else, i.e. code."""
    pos = offset
    while True:
        p = pos
        while p > 0 and data[p - 1] in _WS:
            p -= 1
        if p == 0:
            return None
        line_start = data.rfind(b"\n", 0, p) + 1
        line = data[line_start:p]
        indent = len(line) - len(line.lstrip())
        body = line[indent:]
        if body.startswith(b"//"):
            if not _is_doc_line(body):
                pos = line_start + indent  # a plain line comment: skip it
                continue
            first = line_start + indent
            while line_start > 0:
                prev_start = data.rfind(b"\n", 0, line_start - 1) + 1
                prev = data[prev_start:line_start - 1]
                prev_indent = len(prev) - len(prev.lstrip())
                if not _is_doc_line(prev[prev_indent:]):
                    break
                first = prev_start + prev_indent
                line_start = prev_start
            return first, p
        if body.endswith(b"*/"):
            close = p - 2
            opening = data.rfind(b"/*", 0, close)
            if opening < 0:
                return None
            if data.startswith(b"/**", opening) and opening + 3 <= close:
                return opening, p
            pos = opening  # a plain block comment: skip it
            continue
        return None


def _comment_lines(data: bytes, start: int, end: int) -> list[_Text]:
    """The content lines of the doc comment at [start, end): the text after `///` on each
    line, or for `/** */` the body with each continuation line's leading `*` removed."""
    while start < end and data[start] in _WS:
        start += 1
    lines: list[_Text] = []
    if data.startswith(b"/**", start):
        body_end = end - 2 if end - start >= 5 and data[end - 2:end] == b"*/" else end
        pos = start + 3
        first = True
        while True:
            newline = data.find(b"\n", pos, body_end)
            line_end = body_end if newline < 0 else newline
            s = pos
            if not first:
                while s < line_end and data[s] in b" \t\r\f\v":
                    s += 1
                if s < line_end and data[s] == 0x2A:  # '*'
                    s += 1
            e = line_end
            if e > s and data[e - 1] == 0x0D:
                e -= 1
            lines.append(_Text.decode(data, s, e))
            first = False
            if newline < 0:
                return lines
            pos = newline + 1
    pos = start
    while pos < end:
        newline = data.find(b"\n", pos, end)
        line_end = end if newline < 0 else newline
        s = pos
        while s < line_end and data[s] in b" \t\r\f\v":
            s += 1
        if data.startswith(b"///", s) and s + 3 <= line_end:
            e = line_end
            if e > s + 3 and data[e - 1] == 0x0D:
                e -= 1
            lines.append(_Text.decode(data, s + 3, e))
        if newline < 0:
            break
        pos = newline + 1
    return lines


# ---- tags -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tag:
    name: str
    start: int  # file offset of '@'
    end: int  # file offset just after the tag name
    content: _Text


def _strip_line_comment(line: _Text) -> _Text:
    """A `//` inside a doc comment line starts a plain comment (it cannot occur in a
    Solidity expression): `/// @notice postcondition x > 0  // expect: ...` annotates
    `x > 0` only."""
    cut = line.chars.find("//")
    return line if cut < 0 else line.sub(0, cut)


def _tags(lines: list[_Text]) -> list[_Tag]:
    """NatSpec tags as solc's DocStringParser splits them: the first `@` on a line starts a
    tag whose name runs to the next whitespace; lines without `@` continue the last tag."""
    tags: list[tuple[str, int, int, list[_Text]]] = []
    for line in map(_strip_line_comment, lines):
        at = line.chars.find("@")
        if at < 0:
            if tags:
                tags[-1][3].append(line)
            continue
        j = at + 1
        while j < len(line) and not line.chars[j].isspace():
            j += 1
        name = line.chars[at + 1:j]
        tags.append((name, line.starts[at], line.ends[j - 1], [line.sub(j, len(line))]))
    return [_Tag(name, s, e, _Text.join(pieces)) for name, s, e, pieces in tags]


_KEYWORD = re.compile(r"\s*([A-Za-z_$][A-Za-z0-9_$]*)")
# solc-verify annotations vecverify does not check: each one is reported as `unsupported`
# at its position, so that a property never disappears without a word
_UNCHECKED = re.compile(r"\s*(emits|specification|tracks-changes-in)\b")


def _annotations_in(source: SourceFile, start: int, end: int) -> list[S.Annotation]:
    out: list[S.Annotation] = []
    for tag in _tags(_comment_lines(source.data, start, end)):
        annotation = _annotation(tag, source)
        if annotation is not None:
            out.append(annotation)
    return out


def _annotation(tag: _Tag, source: SourceFile) -> S.Annotation | None:
    if tag.name == "notice":
        unchecked = _UNCHECKED.match(tag.content.chars)
        if unchecked is not None:                   # solc-verify's, but not checked here
            body = tag.content.strip()
            span = source.span(body.starts[0], body.end_offset() - body.starts[0])
            return S.Annotation("unchecked", None, None, None, span, unchecked.group(1))
        m = _KEYWORD.match(tag.content.chars)
        if m is None or m.group(1) not in _NOTICE_KEYWORDS:
            return None  # ordinary notice text
        kind = m.group(1)
        head: int | None = tag.content.starts[m.start(1)]
        body = tag.content.sub(m.end(1), len(tag.content)).strip()
    elif tag.name.startswith(_CUSTOM_PREFIX):
        word = tag.name[len(_CUSTOM_PREFIX):]
        if word not in _CUSTOM_KEYWORDS:
            raise InputError(
                source.span(tag.start, tag.end - tag.start),
                f"unknown vecverify annotation @{tag.name} (expected @custom:vv-requires, "
                "@custom:vv-ensures, @custom:vv-invariant or @custom:vv-modifies)",
                UNKNOWN,
            )
        kind = _CUSTOM_KEYWORDS[word]
        head = None
        body = tag.content.strip()
    else:
        return None
    span_start = head if head is not None else (body.starts[0] if body.chars else body.anchor)
    span = source.span(span_start, body.end_offset() - span_start)
    if kind == "modifies":
        if body.chars == "*":
            raise InputError(
                source.span(body.starts[0], body.ends[0] - body.starts[0]),
                "unsupported annotation 'modifies *': list the modified variables instead",
                UNSUPPORTED,
            )
        target, cond = _parse_spec(body, "modifies_spec", source)
        return S.Annotation("modifies", None, target, cond, span, body.chars)
    if kind == "invariant" and body.chars.strip() == "{contractInvariants}":
        # solc-verify: the contract's invariants are invariants of this loop
        return S.Annotation("contract-invariants", None, None, None, span, body.chars)
    expr = _parse_spec(body, "spec_expr", source)
    return S.Annotation(kind, expr, None, None, span, body.chars)  # type: ignore[arg-type]


# ---- parsing -----------------------------------------------------------------------------


def _parse_spec(text: _Text, start: str, source: SourceFile) -> Any:
    """Parse `text` from rule `start`; lark errors become InputError at the exact spot."""
    parser = _lark()
    try:
        tree = parser.parse(text.chars, start=start)
    except UnexpectedInput as e:
        raise _syntax_error(e, text, source, parser) from None
    except LarkError as e:  # pragma: no cover - defensive
        raise InputError(_point(source, text.anchor), f"bad annotation: {e}", SYNTAX) from None
    builder = _Builder(text, source)
    try:
        if start == "modifies_spec":
            children = tree.children
            target = builder.expr(children[0])
            cond = builder.expr(children[2]) if len(children) == 3 else None
            return target, cond
        return builder.expr(tree.children[0])
    except RecursionError:
        raise InputError(
            _point(source, text.anchor), "bad annotation: expression is too deeply nested", SYNTAX
        ) from None


def _point(source: SourceFile, offset: int) -> Span:
    line, column = source.position(offset)
    return Span.point(source.path, line, column)


_FRIENDLY = {
    "IDENT": "an identifier", "NUMBER": "a number", "UNIT": "a unit", "$END": "end of annotation",
}
_EXPR_START = {"IDENT", "NUMBER", "TRUE", "FALSE", "BANG", "MINUS", "TILDE", "LPAR"}
_OPERATORS = {
    "IMPLIES", "OROR", "ANDAND", "EQ", "NE", "LE", "GE", "SHL", "SHR", "LT", "GT", "BAR",
    "CARET", "AMP", "PLUS", "MINUS", "POW", "STAR", "SLASH", "PERCENT", "QMARK",
    "DOT", "LSQB", "LPAR",
}


def _lexeme(parser: Lark, term: str) -> str | None:
    try:
        pattern = parser.get_terminal(term).pattern
    except KeyError:
        return None
    return pattern.value if pattern.type == "str" else None


def _describe_expected(parser: Lark, expected: set[str]) -> str:
    remaining = set(expected)
    items: list[str] = []
    if {"IDENT", "NUMBER"} <= remaining:
        items.append("an expression")
        remaining -= _EXPR_START
    operators = remaining & _OPERATORS
    remaining -= operators
    words: list[str] = []
    for t in sorted(remaining, key=lambda t: (_lexeme(parser, t) is None, _lexeme(parser, t) or t)):
        lexeme = _lexeme(parser, t)
        words.append(f"'{lexeme}'" if lexeme is not None else _FRIENDLY.get(t, t.lower()))
    if len(operators) > 3 or (operators and (items or words)):
        words.append("an operator")
    else:
        words.extend(f"'{_lexeme(parser, t) or t}'" for t in sorted(operators))
    items += words
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _syntax_error(e: UnexpectedInput, text: _Text, source: SourceFile, parser: Lark) -> InputError:
    expected: set[str] = set(getattr(e, "expected", None) or ())
    interactive = getattr(e, "interactive_parser", None)
    if interactive is not None:
        try:
            expected = set(interactive.accepts())
        except LarkError:  # pragma: no cover - keep the approximate set
            pass
    if isinstance(e, UnexpectedCharacters):
        p = e.pos_in_stream
        span = source.span(text.starts[p], text.ends[p] - text.starts[p])
        message = f"bad annotation: unexpected character '{text.chars[p]}'"
    elif isinstance(e, UnexpectedToken) and e.token.type != "$END":
        tok = e.token
        p, q = tok.start_pos or 0, tok.end_pos or (tok.start_pos or 0) + 1
        span = source.span(text.starts[p], text.ends[q - 1] - text.starts[p])
        message = f"bad annotation: unexpected '{tok.value}'"
    else:
        span = _point(source, text.end_offset())
        message = "bad annotation: unexpected end of annotation"
    description = _describe_expected(parser, expected)
    if description:
        message += f"; expected {description}"
    if _after_quantifier_word(e):
        message += " (a quantifier is written 'forall (uint i, ...) BODY')"
    return InputError(span, message, SYNTAX)


def _is_quantifier_word(x: Any) -> bool:
    if isinstance(x, Token):
        return x.type == "IDENT" and x.value in ("forall", "exists")
    return isinstance(x, Tree) and x.data == "ident" and _is_quantifier_word(x.children[0])


def _after_quantifier_word(e: UnexpectedInput) -> bool:
    """Whether the parser had just read `forall` / `exists`, or a call `forall(...)`: then
    the input probably was a malformed quantifier."""
    interactive = getattr(e, "interactive_parser", None)
    stack = getattr(getattr(interactive, "parser_state", None), "value_stack", None)
    if not stack:
        return False
    top = stack[-1]
    if isinstance(top, Tree) and top.data == "call":
        top = top.children[0]
    elif isinstance(top, Token) and top.type == "RPAR":  # `head ( ... )` not reduced yet
        opening = max((k for k, x in enumerate(stack) if isinstance(x, Token) and x.type == "LPAR"),
                      default=0)
        top = stack[opening - 1] if opening > 0 else None
    return _is_quantifier_word(top)


_UNITS = {
    "wei": 1, "gwei": 10**9, "ether": 10**18,
    "seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800,
}
_ELEMENTARY = frozenset(
    {"uint", "int", "address", "bool"}
    | {f"uint{n}" for n in range(8, 257, 8)}
    | {f"int{n}" for n in range(8, 257, 8)}
)
_LEFT = frozenset({
    "or_expr", "and_expr", "eq_expr", "rel_expr", "bor_expr", "bxor_expr", "band_expr",
    "shift_expr", "add_expr", "mul_expr",
})
_RIGHT = frozenset({"implies", "pow_expr"})
_MAX_EXPONENT = 1000


class _Builder:
    """Turns a lark tree of an annotation into spec AST nodes with file spans."""

    def __init__(self, text: _Text, source: SourceFile) -> None:
        self.text = text
        self.source = source

    def span(self, p: int, q: int) -> Span:
        start = self.text.starts[p]
        return self.source.span(start, self.text.ends[q - 1] - start)

    @staticmethod
    def extent(x: Tree | Token) -> tuple[int, int]:
        if isinstance(x, Token):
            return x.start_pos or 0, x.end_pos or 0
        return x.meta.start_pos, x.meta.end_pos

    def error(self, p: int, q: int, message: str) -> InputError:
        return InputError(self.span(p, q), f"bad annotation: {message}", SYNTAX)

    def expr(self, t: Tree) -> S.Expr:
        data = str(t.data)
        if data in _LEFT:
            return self.fold_left(t.children)
        if data in _RIGHT:
            return self.fold_right(t.children)
        return getattr(self, data)(t)

    def fold_left(self, children: list[Any]) -> S.Expr:
        node = self.expr(children[0])
        start = self.extent(children[0])[0]
        for k in range(1, len(children), 2):
            right = self.expr(children[k + 1])
            end = self.extent(children[k + 1])[1]
            node = S.Binary(str(children[k]), node, right, self.span(start, end))
        return node

    def fold_right(self, children: list[Any]) -> S.Expr:
        node = self.expr(children[-1])
        end = self.extent(children[-1])[1]
        for k in range(len(children) - 2, 0, -2):
            left = self.expr(children[k - 1])
            start = self.extent(children[k - 1])[0]
            node = S.Binary(str(children[k]), left, node, self.span(start, end))
        return node

    def meta_span(self, t: Tree) -> Span:
        return self.span(t.meta.start_pos, t.meta.end_pos)

    def paren(self, t: Tree) -> S.Expr:
        return self.expr(t.children[0])

    def cond_expr(self, t: Tree) -> S.Expr:
        c, a, b = (self.expr(x) for x in t.children)
        return S.Cond(c, a, b, self.meta_span(t))

    def unary_op(self, t: Tree) -> S.Expr:
        op, operand = t.children
        return S.Unary(str(op), self.expr(operand), self.meta_span(t))

    def quant(self, t: Tree) -> S.Expr:
        head, *binders, body = t.children
        kind = head.children[0] if head.data == "ident" else None
        if kind not in ("forall", "exists"):
            start, end = self.extent(head)
            raise self.error(start, end, "a list of typed variables '(T x, ...)' must follow "
                             "'forall' or 'exists'")
        bound: list[tuple[str, str, Span]] = []
        for b in binders:
            type_tok, name_tok = b.children
            if str(type_tok) not in _ELEMENTARY:
                raise self.error(
                    type_tok.start_pos, type_tok.end_pos,
                    f"quantified variable type must be an elementary type "
                    f"(uint, int, uintN, intN, address or bool), not '{type_tok}'",
                )
            bound.append((str(type_tok), str(name_tok), self.meta_span(b)))
        quant_kind: Any = str(kind)
        return S.Quant(quant_kind, tuple(bound), self.expr(body), self.meta_span(t))

    def member(self, t: Tree) -> S.Expr:
        base, name = t.children
        return S.Member(self.expr(base), str(name), self.meta_span(t))

    def index(self, t: Tree) -> S.Expr:
        base, idx = t.children
        return S.Index(self.expr(base), self.expr(idx), self.meta_span(t))

    def call(self, t: Tree) -> S.Expr:
        callee, *args = t.children
        return S.Call(self.expr(callee), tuple(self.expr(a) for a in args), self.meta_span(t))

    def ident(self, t: Tree) -> S.Expr:
        return S.Ident(str(t.children[0]), self.meta_span(t))

    def bool_lit(self, t: Tree) -> S.Expr:
        return S.Bool(str(t.children[0]) == "true", self.meta_span(t))

    def number(self, t: Tree) -> S.Expr:
        lexeme = str(t.children[0]).replace("_", "")
        unit = str(t.children[1]) if len(t.children) > 1 else None
        if lexeme[:2] in ("0x", "0X"):
            value = Fraction(int(lexeme, 16))
        else:
            mantissa, _, exponent = lexeme.lower().partition("e")
            power = int(exponent) if exponent else 0
            if abs(power) > _MAX_EXPONENT:
                raise self.error(t.meta.start_pos, t.meta.end_pos, "number literal is too large")
            value = Fraction(mantissa) * Fraction(10) ** power
        if unit is not None:
            value *= _UNITS[unit]
        if value.denominator != 1:
            raise self.error(t.meta.start_pos, t.meta.end_pos, "number literal is not an integer")
        return S.Number(int(value), self.meta_span(t))
