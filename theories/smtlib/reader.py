"""SMT-LIB 2.6 scripts as a list of `Command`s over vecverify terms.

Supported: the core theory (`and or not => xor = distinct ite`, chainable `=`), linear and
nonlinear integer arithmetic (`+ - * div mod abs <= < >= >`, numerals, `(- 5)` and cvc5's
`-5`), uninterpreted sorts (arity 0) and functions, `(Seq T)` (`seq.empty seq.unit seq.len
seq.++ seq.extract seq.nth seq.update seq.at`), `(Array I E)` (`select store`,
`((as const (Array I E)) v)`), bit-vectors (`(_ BitVec w)`, `#b`/`#x`/`(_ bvN w)` literals and
the operators of `vecverify.terms.ops.BV_FUNCTIONS`), `let`, `forall`/`exists`, `!` annotations (`:named`),
`define-fun` (macro-expanded at each use), parameterless `define-sort`, and the commands
`set-logic set-option set-info declare-sort declare-fun declare-const define-fun define-sort
assert push pop check-sat check-sat-assuming get-model get-value get-info echo reset
reset-assertions exit`.

Other theories (strings, reals, datatypes, other bit-vector operators, ...) are not errors: the construct is
recorded as an `Unsupported(symbol, span)` on the assertion that uses it (or the symbol it
declares), and a `check-sat` over such assertions answers `unknown`.  Malformed input
(syntax, unknown symbols, ill-sorted applications) raises `InputError` with its location.
Declarations and definitions are scoped by `push`/`pop` as in SMT-LIB (no
`:global-declarations`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from vecverify.errors import InputError, InternalError, Span
from vecverify.terms.manager import Term, TermManager
from vecverify.terms.ops import BV_FUNCTIONS
from vecverify.terms.sorts import (BOOL, INT, ArraySort, BitVecSort, SeqSort, Sort,
                                   UninterpretedSort)
from vecverify.terms.walkers import substitute

from .sexpr import (BINARY, DECIMAL, HEX, KEYWORD, LIST, NUMERAL, STRING, SYMBOL, SExpr,
                    parse)

# Symbols of SMT-LIB theories we do not support: reported as Unsupported, not as unknown.
_UNSUPPORTED_PREFIXES = ("str.", "re.", "seq.", "bv", "fp.", "set.", "bag.", "int.", "char.",
                         "real.", "ff.", "tuple", "rel.", "sep.", "nullable.")
_UNSUPPORTED_NAMES = frozenset({
    "/", "to_real", "to_int", "is_int", "iand", "int2bv", "bv2nat", "concat", "extract",
    "repeat", "zero_extend", "sign_extend", "rotate_left", "rotate_right", "char", "pow2",
    "exp", "sin", "cos", "real.pi", "choose", "is", "match", "lambda", "@", "str.<", "str.<=",
    "_", "as", "par", "ubv_to_int", "sbv_to_int", "int_to_bv", "iff", "seq.rev",
    "re.none", "re.all", "re.allchar", "const", "RNE", "RNA", "RTP", "RTN", "RTZ", "nan",
    "set.empty", "set.universe", "bag.empty", "bag", "fp", "+oo", "-oo", "+zero", "-zero",
    "NaN"})
_UNSUPPORTED_SORTS = frozenset({
    "String", "Real", "RegLan", "FloatingPoint", "RoundingMode", "Float16",
    "Float32", "Float64", "Float128", "Set", "Bag", "Tuple", "UnitTuple", "Relation",
    "FiniteField", "Nullable", "Char", "Table"})
_NEG_NUMERAL = re.compile(r"^-(0|[1-9][0-9]*)$")


@dataclass(frozen=True)
class Unsupported:
    """A construct outside what we translate: the check-sat that needs it answers unknown."""

    symbol: str
    span: Span

    @property
    def reason(self) -> str:
        return f"unsupported: {self.symbol}"


class _Unsupported(Exception):
    def __init__(self, info: Unsupported) -> None:
        super().__init__(info.reason)
        self.info = info


@dataclass
class Command:
    """One script command.  `kind` is the SMT-LIB command name; `term` (assert), `terms`
    (get-value, check-sat-assuming: the terms, `texts`: their source text), `n` (push/pop),
    `name`/`value` (set-logic, set-option, set-info, echo, get-info), `unsupported` when the
    command's term uses a construct we do not translate."""

    kind: str
    span: Span
    term: Term | None = None
    terms: tuple[Term, ...] = ()
    texts: tuple[str, ...] = ()
    n: int = 0
    name: str = ""
    value: str = ""
    unsupported: Unsupported | None = None


@dataclass
class Function:
    """A declared (`params` sorts only) or defined (placeholders + body) function symbol."""

    name: str
    arg_sorts: tuple[Sort, ...]
    sort: Sort
    params: tuple[Term, ...] = ()      # placeholders (bound variables) of a definition
    body: Term | None = None           # definitions only
    unsupported: Unsupported | None = None

    @property
    def defined(self) -> bool:
        return self.body is not None


@dataclass
class Script:
    commands: list[Command]
    tm: TermManager
    status: str | None = None          # (set-info :status ...)
    logic: str | None = None
    file: str = "<input>"
    reader: "Reader | None" = None

    def term(self, text: str) -> Term:
        """A term in the script's final scope (e.g. a probe the caller wants evaluated)."""
        if self.reader is None:
            raise InternalError("script has no reader")
        exprs = parse(text, self.file)
        if len(exprs) != 1:
            raise InputError(None, f"expected one term, got {len(exprs)}", "smtlib.syntax")
        return self.reader.term(exprs[0])


@dataclass
class _Frame:
    sorts: dict[str, Sort | Unsupported] = field(default_factory=dict)
    funs: dict[str, Function] = field(default_factory=dict)


class Reader:
    """Translates s-expressions to commands, keeping the scoped symbol table."""

    def __init__(self, file: str = "<input>", tm: TermManager | None = None) -> None:
        self.file = file
        self.tm = tm or TermManager()
        self.frames: list[_Frame] = [_Frame()]
        self.tainted: Unsupported | None = None   # an unsupported declaration was skipped
        self.status: str | None = None
        self.logic: str | None = None

    # -- errors --------------------------------------------------------------------------
    def _err(self, e: SExpr, message: str, code: str = "smtlib.syntax") -> InputError:
        return InputError(e.span, message, code)

    def _unsupported(self, symbol: str, e: SExpr) -> _Unsupported:
        return _Unsupported(Unsupported(symbol, e.span))

    # -- symbol table --------------------------------------------------------------------
    def _lookup_sort(self, name: str) -> Sort | Unsupported | None:
        for fr in reversed(self.frames):
            if name in fr.sorts:
                return fr.sorts[name]
        return None

    def _lookup_fun(self, name: str) -> Function | None:
        for fr in reversed(self.frames):
            if name in fr.funs:
                return fr.funs[name]
        return None

    def _declare_fun(self, e: SExpr, fn: Function) -> None:
        old = self._lookup_fun(fn.name)
        if fn.name in _BUILTINS or (old is not None and old.unsupported is None
                                    and fn.unsupported is None
                                    and (old.arg_sorts, old.sort) == (fn.arg_sorts, fn.sort)):
            raise self._err(e, f"symbol '{fn.name}' already declared", "smtlib.redeclared")
        if old is not None and old.unsupported is not None:
            fn = Function(fn.name, (), BOOL, unsupported=old.unsupported)
        elif old is not None:
            # cvc5 overloads a symbol declared again with another signature; we do not
            info = Unsupported(f"overloaded symbol {fn.name}", e.span)
            fn = Function(fn.name, (), BOOL, unsupported=info)
        self.frames[-1].funs[fn.name] = fn

    def _declare_sort(self, e: SExpr, name: str, sort: Sort | Unsupported) -> None:
        if self._lookup_sort(name) is not None or name in ("Bool", "Int", "Seq", "Array"):
            raise self._err(e, f"sort '{name}' already declared", "smtlib.redeclared")
        self.frames[-1].sorts[name] = sort

    # -- sorts ---------------------------------------------------------------------------
    def sort(self, e: SExpr) -> Sort:
        if e.kind == SYMBOL:
            name = str(e.value)
            if name == "Bool":
                return BOOL
            if name == "Int":
                return INT
            found = self._lookup_sort(name)
            if isinstance(found, Unsupported):
                raise _Unsupported(found)
            if found is not None:
                return found
            if name in _UNSUPPORTED_SORTS:
                raise self._unsupported(name, e)
            if self.tainted is not None:
                raise _Unsupported(self.tainted)
            raise self._err(e, f"unknown sort '{name}'", "smtlib.unknown-sort")
        if e.kind == LIST and e.items and e.items[0].kind == SYMBOL:
            head = str(e.items[0].value)
            args = e.items[1:]
            if head == "Seq":
                if len(args) != 1:
                    raise self._err(e, "Seq takes one sort argument", "smtlib.sort")
                return SeqSort(self.sort(args[0]))
            if head == "Array":
                if len(args) != 2:
                    raise self._err(e, "Array takes two sort arguments", "smtlib.sort")
                return ArraySort(self.sort(args[0]), self.sort(args[1]))
            if (head == "_" and len(args) == 2 and args[0].is_symbol("BitVec")
                    and args[1].kind == NUMERAL):
                if int(args[1].value) < 1:  # type: ignore[arg-type]
                    raise self._err(e, "a bit-vector sort needs a positive width", "smtlib.sort")
                return BitVecSort(int(args[1].value))  # type: ignore[arg-type]
            if head == "_" and args and args[0].kind == SYMBOL:
                raise self._unsupported(str(args[0].value), e)
            if head in _UNSUPPORTED_SORTS:
                raise self._unsupported(head, e)
            found = self._lookup_sort(head)
            if isinstance(found, Unsupported):
                raise _Unsupported(found)
            if found is not None:
                raise self._err(e, f"sort '{head}' takes no arguments", "smtlib.sort")
            if self.tainted is not None:
                raise _Unsupported(self.tainted)
            raise self._err(e, f"unknown sort '{head}'", "smtlib.unknown-sort")
        raise self._err(e, f"expected a sort, found '{e}'", "smtlib.sort")

    # -- terms ---------------------------------------------------------------------------
    def term(self, e: SExpr, env: dict[str, Term] | None = None) -> Term:
        return self._term(e, env or {})

    def _bool_term(self, e: SExpr, env: dict[str, Term]) -> Term:
        t = self._term(e, env)
        if t.sort != BOOL:
            raise self._err(e, f"expected a Bool term, found one of sort {t.sort.smt()}",
                            "smtlib.ill-sorted")
        return t

    def _term(self, e: SExpr, env: dict[str, Term]) -> Term:
        tm = self.tm
        if e.kind == NUMERAL:
            return tm.int(int(e.value))  # type: ignore[arg-type]
        if e.kind == DECIMAL:
            raise self._unsupported("decimal (Real)", e)
        if e.kind in (HEX, BINARY):
            digits = str(e.value)[2:]
            if not digits:
                raise self._err(e, f"empty bit-vector literal {e.value}")
            bits = 4 if e.kind == HEX else 1
            return tm.bv_const(int(digits, 16 if e.kind == HEX else 2), bits * len(digits))
        if e.kind == STRING:
            raise self._unsupported("string literal", e)
        if e.kind == KEYWORD:
            raise self._err(e, f"unexpected keyword {e.value}")
        if e.kind == SYMBOL:
            return self._symbol(e, env)
        if not e.items:
            raise self._err(e, "empty application '()'")
        head = e.items[0]
        args = e.items[1:]
        if (head.is_symbol("_") and len(args) == 2 and args[0].kind == SYMBOL
                and str(args[0].value).startswith("bv") and str(args[0].value)[2:].isdigit()
                and args[1].kind == NUMERAL and int(args[1].value) > 0):  # type: ignore[arg-type]
            return tm.bv_const(int(str(args[0].value)[2:]), int(args[1].value))  # type: ignore[arg-type]
        if head.kind == SYMBOL and not head.quoted:
            name = str(head.value)
            special = _SPECIAL.get(name)
            if special is not None and name not in env and self._lookup_fun(name) is None:
                return special(self, e, args, env)
        if head.kind == LIST:
            return self._qualified_head(e, head, args, env)
        if head.kind == SYMBOL and not head.quoted:
            # an unsupported operator is reported before its arguments (it may bind some)
            name = str(head.value)
            if name == "_" and args:
                raise self._unsupported(f"(_ {args[0]} ...)", e)
            if (name not in _BUILTINS and name not in env and self._lookup_fun(name) is None
                    and (name in _UNSUPPORTED_NAMES or name.startswith(_UNSUPPORTED_PREFIXES))):
                raise self._unsupported(name, head)
        if head.kind != SYMBOL:
            raise self._err(head, f"expected a function symbol, found '{head}'")
        name = str(head.value)
        vals = [self._term(a, env) for a in args]
        return self._apply(e, head, name, vals, args, env)

    def _symbol(self, e: SExpr, env: dict[str, Term]) -> Term:
        name = str(e.value)
        if name in env:
            return env[name]
        fn = self._lookup_fun(name)
        if fn is not None:
            if fn.unsupported is not None:
                raise _Unsupported(fn.unsupported)
            if fn.arg_sorts:
                raise self._err(e, f"function '{name}' needs {len(fn.arg_sorts)} arguments",
                                "smtlib.arity")
            if fn.defined:
                return fn.body  # type: ignore[return-value]
            return self.tm.var(name, fn.sort)
        if not e.quoted:
            if name == "true":
                return self.tm.true
            if name == "false":
                return self.tm.false
            if _NEG_NUMERAL.match(name):      # cvc5 reads `-5` as a negative numeral
                return self.tm.int(int(name))
            if name in _UNSUPPORTED_NAMES or name.startswith(_UNSUPPORTED_PREFIXES):
                raise self._unsupported(name, e)
        if self.tainted is not None:
            raise _Unsupported(self.tainted)
        raise self._err(e, f"unknown symbol '{name}'", "smtlib.unknown-symbol")

    def _qualified_head(self, e: SExpr, head: SExpr, args: tuple[SExpr, ...],
                        env: dict[str, Term]) -> Term:
        # ((as const (Array I E)) v)
        h = head.items
        if len(h) == 3 and h[0].is_symbol("as") and h[1].is_symbol("const"):
            sort = self.sort(h[2])
            if not isinstance(sort, ArraySort):
                raise self._err(h[2], f"'as const' needs an Array sort, not {sort.smt()}",
                                "smtlib.ill-sorted")
            if len(args) != 1:
                raise self._err(e, "a constant array takes one value", "smtlib.arity")
            v = self._term(args[0], env)
            if v.sort != sort.elem:
                raise self._err(args[0], f"constant array of {sort.smt()} given a value of "
                                f"sort {v.sort.smt()}", "smtlib.ill-sorted")
            return self.tm.const_array(sort, v)
        if h and h[0].is_symbol("as") and len(h) == 3 and h[1].kind == SYMBOL:
            # (as f S) applied: qualify an ordinary function by its result sort
            vals = [self._term(a, env) for a in args]
            t = self._apply(e, h[1], str(h[1].value), vals, args, env)
            if t.sort != self.sort(h[2]):
                raise self._err(e, f"'{h[1].value}' has sort {t.sort.smt()} here, not "
                                f"{self.sort(h[2]).smt()}", "smtlib.ill-sorted")
            return t
        if h and h[0].is_symbol("_") and len(h) >= 2 and h[1].kind == SYMBOL:
            raise self._unsupported(f"(_ {h[1].value} ...)", head)
        raise self._err(head, f"unsupported function head '{head}'")

    def _apply(self, e: SExpr, head: SExpr, name: str, vals: list[Term],
               args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        if name in env:
            raise self._err(head, f"'{name}' is not a function", "smtlib.arity")
        builtin = _BUILTINS.get(name)
        if builtin is not None:         # user symbols never shadow these (see _declare_fun)
            return self._builtin(e, name, builtin, vals, args)
        fn = self._lookup_fun(name)
        if fn is None:
            if not head.quoted and (name in _UNSUPPORTED_NAMES
                                    or name.startswith(_UNSUPPORTED_PREFIXES)):
                raise self._unsupported(name, head)
            if self.tainted is not None:
                raise _Unsupported(self.tainted)
            raise self._err(head, f"unknown function '{name}'", "smtlib.unknown-symbol")
        if fn.unsupported is not None:
            raise _Unsupported(fn.unsupported)
        if len(vals) != len(fn.arg_sorts):
            raise self._err(e, f"'{name}' takes {len(fn.arg_sorts)} arguments, "
                            f"given {len(vals)}", "smtlib.arity")
        for a, v, s in zip(args, vals, fn.arg_sorts):
            if v.sort != s:
                raise self._err(a, f"argument of '{name}' has sort {v.sort.smt()}, expected "
                                f"{s.smt()}", "smtlib.ill-sorted")
        if fn.defined:
            return substitute(self.tm, fn.body, dict(zip(fn.params, vals)))  # type: ignore[arg-type]
        return self.tm.apply(name, vals, fn.sort)

    def _builtin(self, e: SExpr, name: str, build: Callable[..., Term], vals: list[Term],
                 args: tuple[SExpr, ...]) -> Term:
        lo, hi = _ARITY.get(name, (1, None))
        if len(vals) < lo or (hi is not None and len(vals) > hi):
            want = f"{lo}" if hi == lo else (f"at least {lo}" if hi is None else f"{lo}-{hi}")
            raise self._err(e, f"'{name}' takes {want} arguments, given {len(vals)}",
                            "smtlib.arity")
        try:
            return build(self.tm, *vals)
        except InternalError:
            sorts = " ".join(v.sort.smt() for v in vals)
            raise self._err(e, f"ill-sorted application of '{name}' to ({sorts})",
                            "smtlib.ill-sorted") from None

    # -- binders and special forms ------------------------------------------------------
    def _let(self, e: SExpr, args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        if len(args) != 2 or not args[0].is_list or not args[0].items:
            raise self._err(e, "let needs ((x t) ...) and a body")
        new = dict(env)
        seen: set[str] = set()
        for b in args[0].items:
            if not b.is_list or len(b.items) != 2 or b.items[0].kind != SYMBOL:
                raise self._err(b, "malformed let binding, expected (name term)")
            name = str(b.items[0].value)
            if name in seen:
                raise self._err(b, f"'{name}' bound twice in one let")
            seen.add(name)
            new[name] = self._term(b.items[1], env)       # parallel: the outer env
        return self._term(args[1], new)

    def _quant(self, e: SExpr, args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        kind = str(e.items[0].value)
        if len(args) != 2 or not args[0].is_list or not args[0].items:
            raise self._err(e, f"{kind} needs ((x S) ...) and a body")
        new = dict(env)
        bound = []
        for b in args[0].items:
            if not b.is_list or len(b.items) != 2 or b.items[0].kind != SYMBOL:
                raise self._err(b, "malformed sorted variable, expected (name Sort)")
            name = str(b.items[0].value)
            v = self.tm.bound_var(name, self.sort(b.items[1]))
            bound.append(v)
            new[name] = v
        body = self._bool_term(args[1], new)
        if kind == "forall":
            return self.tm.forall(bound, body)
        return self.tm.exists(bound, body)

    def _as(self, e: SExpr, args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        if len(args) != 2 or args[0].kind != SYMBOL:
            raise self._err(e, "malformed (as symbol Sort)")
        name = str(args[0].value)
        sort = self.sort(args[1])
        if name == "seq.empty":
            if not isinstance(sort, SeqSort):
                raise self._err(args[1], f"seq.empty needs a Seq sort, not {sort.smt()}",
                                "smtlib.ill-sorted")
            return self.tm.seq_empty(sort)
        t = self._term(args[0], env)
        if t.sort != sort:
            raise self._err(e, f"'{name}' has sort {t.sort.smt()}, not {sort.smt()}",
                            "smtlib.ill-sorted")
        return t

    def _annotated(self, e: SExpr, args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        if not args:
            raise self._err(e, "'!' needs a term")
        t = self._term(args[0], env)
        rest = args[1:]
        for k, attr in enumerate(rest):
            if attr.kind == KEYWORD and attr.value == ":named" and k + 1 < len(rest):
                nm = rest[k + 1]
                if nm.kind == SYMBOL:
                    self._declare_fun(nm, Function(str(nm.value), (), t.sort, body=t))
        return t

    def _ite(self, e: SExpr, args: tuple[SExpr, ...], env: dict[str, Term]) -> Term:
        if len(args) != 3:
            raise self._err(e, f"'ite' takes 3 arguments, given {len(args)}", "smtlib.arity")
        c = self._bool_term(args[0], env)
        a, b = self._term(args[1], env), self._term(args[2], env)
        if a.sort != b.sort:
            raise self._err(e, f"the branches of 'ite' have sorts {a.sort.smt()} and "
                            f"{b.sort.smt()}", "smtlib.ill-sorted")
        return self.tm.ite(c, a, b)

    # -- commands ------------------------------------------------------------------------
    def command(self, e: SExpr) -> Command | None:
        if not e.is_list or not e.items or e.items[0].kind != SYMBOL:
            raise self._err(e, f"expected a command, found '{e}'")
        name = str(e.items[0].value)
        args = e.items[1:]
        handler = getattr(self, "_cmd_" + name.replace("-", "_"), None)
        if handler is None:
            if name in _UNSUPPORTED_COMMANDS or re.fullmatch(r"[a-z][a-z-]*", name):
                info = Unsupported(name, e.span)
                if not name.startswith("get-"):
                    self.tainted = self.tainted or info
                return Command("unsupported", e.span, name=name, unsupported=info)
            raise self._err(e.items[0], f"unknown command '{name}'", "smtlib.unknown-command")
        try:
            return handler(e, args)
        except _Unsupported as exc:
            return self._unsupported_command(e, name, args, exc.info)

    def _unsupported_command(self, e: SExpr, name: str, args: tuple[SExpr, ...],
                             info: Unsupported) -> Command:
        if name in ("declare-fun", "declare-const", "define-fun") and args \
                and args[0].kind == SYMBOL:
            fname = str(args[0].value)
            self._declare_fun(args[0], Function(fname, (), BOOL, unsupported=info))
        elif name == "define-sort" and args and args[0].kind == SYMBOL:
            self._declare_sort(args[0], str(args[0].value), info)
        elif name == "declare-sort" and args and args[0].kind == SYMBOL:
            self._declare_sort(args[0], str(args[0].value), info)
        kind = "check-sat" if name == "check-sat-assuming" else name
        return Command(kind, e.span, unsupported=info)

    def _expect_args(self, e: SExpr, args: tuple[SExpr, ...], n: int) -> None:
        if len(args) != n:
            raise self._err(e, f"'{e.items[0].value}' takes {n} arguments, given {len(args)}")

    def _name(self, e: SExpr) -> str:
        if e.kind != SYMBOL:
            raise self._err(e, f"expected a symbol, found '{e}'")
        return str(e.value)

    def _cmd_set_logic(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 1)
        self.logic = self._name(args[0])
        return Command("set-logic", e.span, name=self.logic)

    def _cmd_set_option(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if not args or args[0].kind != KEYWORD:
            raise self._err(e, "set-option needs a keyword")
        return Command("set-option", e.span, name=str(args[0].value),
                       value=" ".join(str(a) for a in args[1:]))

    def _cmd_set_info(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if not args or args[0].kind != KEYWORD:
            raise self._err(e, "set-info needs a keyword")
        value = " ".join(str(a) for a in args[1:])
        if args[0].value == ":status":
            if value not in ("sat", "unsat", "unknown"):
                raise self._err(e, f"bad :status '{value}' (sat, unsat or unknown)")
            self.status = value
        return Command("set-info", e.span, name=str(args[0].value), value=value)

    def _cmd_get_info(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if len(args) != 1 or args[0].kind != KEYWORD:
            raise self._err(e, "get-info needs one keyword")
        return Command("get-info", e.span, name=str(args[0].value))

    def _cmd_echo(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if len(args) != 1 or args[0].kind != STRING:
            raise self._err(e, "echo needs one string")
        return Command("echo", e.span, value=str(args[0]))

    def _cmd_declare_sort(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if len(args) not in (1, 2):
            raise self._err(e, "declare-sort needs a name and an arity")
        name = self._name(args[0])
        if len(args) == 2 and (args[1].kind != NUMERAL or args[1].value != 0):
            raise self._unsupported(f"declare-sort with arity {args[1]}", args[1])
        self._declare_sort(args[0], name, UninterpretedSort(name))
        return Command("declare-sort", e.span, name=name)

    def _cmd_define_sort(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 3)
        name = self._name(args[0])
        if not args[1].is_list:
            raise self._err(args[1], "define-sort needs a parameter list")
        if args[1].items:
            raise self._unsupported("define-sort with parameters", args[1])
        self._declare_sort(args[0], name, self.sort(args[2]))
        return Command("define-sort", e.span, name=name)

    def _cmd_declare_fun(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 3)
        name = self._name(args[0])
        if not args[1].is_list:
            raise self._err(args[1], "declare-fun needs a list of argument sorts")
        arg_sorts = tuple(self.sort(s) for s in args[1].items)
        sort = self.sort(args[2])
        self._declare_fun(args[0], Function(name, arg_sorts, sort))
        return Command("declare-fun", e.span, name=name,
                       term=None if arg_sorts else self.tm.var(name, sort))

    def _cmd_declare_const(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 2)
        name = self._name(args[0])
        sort = self.sort(args[1])
        self._declare_fun(args[0], Function(name, (), sort))
        return Command("declare-const", e.span, name=name, term=self.tm.var(name, sort))

    def _cmd_define_fun(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 4)
        name = self._name(args[0])
        if not args[1].is_list:
            raise self._err(args[1], "define-fun needs a parameter list")
        env: dict[str, Term] = {}
        params = []
        for p in args[1].items:
            if not p.is_list or len(p.items) != 2 or p.items[0].kind != SYMBOL:
                raise self._err(p, "malformed parameter, expected (name Sort)")
            v = self.tm.bound_var(f"{name}.{p.items[0].value}", self.sort(p.items[1]))
            env[str(p.items[0].value)] = v
            params.append(v)
        sort = self.sort(args[2])
        body = self._term(args[3], env)
        if body.sort != sort:
            raise self._err(args[3], f"the body of '{name}' has sort {body.sort.smt()}, "
                            f"declared {sort.smt()}", "smtlib.ill-sorted")
        self._declare_fun(args[0], Function(name, tuple(p.sort for p in params), sort,
                                            tuple(params), body))
        return Command("define-fun", e.span, name=name)

    def _cmd_assert(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 1)
        return Command("assert", e.span, term=self._bool_term(args[0], {}))

    def _count(self, e: SExpr, args: tuple[SExpr, ...]) -> int:
        if not args:
            return 1
        if len(args) != 1 or args[0].kind != NUMERAL:
            raise self._err(e, f"'{e.items[0].value}' takes an optional numeral")
        return int(args[0].value)  # type: ignore[arg-type]

    def _cmd_push(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        n = self._count(e, args)
        self.frames.extend(_Frame() for _ in range(n))
        return Command("push", e.span, n=n)

    def _cmd_pop(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        n = self._count(e, args)
        if n > len(self.frames) - 1:
            raise self._err(e, f"pop {n} with only {len(self.frames) - 1} open scopes",
                            "smtlib.scope")
        del self.frames[len(self.frames) - n:]
        return Command("pop", e.span, n=n)

    def _cmd_reset(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self.frames = [_Frame()]
        self.tainted = None
        return Command("reset", e.span)

    def _cmd_reset_assertions(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        del self.frames[1:]
        return Command("reset-assertions", e.span)

    def _cmd_check_sat(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 0)
        return Command("check-sat", e.span)

    def _cmd_check_sat_assuming(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if len(args) != 1 or not args[0].is_list:
            raise self._err(e, "check-sat-assuming needs a list of literals")
        terms = tuple(self._bool_term(a, {}) for a in args[0].items)
        return Command("check-sat", e.span, terms=terms)

    def _cmd_get_model(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        self._expect_args(e, args, 0)
        return Command("get-model", e.span)

    def _cmd_get_value(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        if len(args) != 1 or not args[0].is_list or not args[0].items:
            raise self._err(e, "get-value needs a nonempty list of terms")
        terms = tuple(self._term(a, {}) for a in args[0].items)
        return Command("get-value", e.span, terms=terms,
                       texts=tuple(str(a) for a in args[0].items))

    def _cmd_exit(self, e: SExpr, args: tuple[SExpr, ...]) -> Command:
        return Command("exit", e.span)


_UNSUPPORTED_COMMANDS = frozenset({
    "declare-datatype", "declare-datatypes", "define-fun-rec", "define-funs-rec",
    "get-assertions", "get-assignment", "get-proof", "get-unsat-core", "get-unsat-assumptions",
    "get-option", "declare-codatatypes", "get-abduct", "get-interpolant", "synth-fun",
    "declare-var", "constraint", "check-synth", "simplify", "get-difficulty",
    "get-learned-literals", "get-timeout-core", "block-model", "block-model-values",
    "declare-heap", "declare-pool", "get-qe", "get-qe-disjunct", "declare-oracle-fun"})


def _fold(f: Callable[[TermManager, Term, Term], Term]) -> Callable[..., Term]:
    def build(tm: TermManager, *xs: Term) -> Term:
        acc = xs[0]
        for x in xs[1:]:
            acc = f(tm, acc, x)
        return acc
    return build


def _chain(f: Callable[[TermManager, Term, Term], Term]) -> Callable[..., Term]:
    def build(tm: TermManager, *xs: Term) -> Term:
        parts = [f(tm, a, b) for a, b in zip(xs, xs[1:])]
        return parts[0] if len(parts) == 1 else tm.and_(*parts)
    return build


def _check_bool(*xs: Term) -> None:
    if any(x.sort != BOOL for x in xs):
        raise InternalError("not Bool")


def _check_int(*xs: Term) -> None:
    if any(x.sort != INT for x in xs):
        raise InternalError("not Int")


def _eq(tm: TermManager, a: Term, b: Term) -> Term:
    if a.sort != b.sort:
        raise InternalError("sorts differ")
    return tm.eq(a, b)


def _distinct(tm: TermManager, *xs: Term) -> Term:
    return tm.and_(*[tm.neq(a, b) if a.sort == b.sort else _raise()
                     for k, a in enumerate(xs) for b in xs[k + 1:]])


def _raise() -> Term:
    raise InternalError("sorts differ")


def _implies(tm: TermManager, *xs: Term) -> Term:
    _check_bool(*xs)
    acc = xs[-1]
    for x in reversed(xs[:-1]):
        acc = tm.implies(x, acc)
    return acc


def _xor(tm: TermManager, a: Term, b: Term) -> Term:
    _check_bool(a, b)
    return tm.not_(tm.iff(a, b))


def _and(tm: TermManager, *xs: Term) -> Term:
    _check_bool(*xs)
    return tm.and_(*xs)


def _or(tm: TermManager, *xs: Term) -> Term:
    _check_bool(*xs)
    return tm.or_(*xs)


def _not(tm: TermManager, a: Term) -> Term:
    _check_bool(a)
    return tm.not_(a)


def _minus(tm: TermManager, *xs: Term) -> Term:
    _check_int(*xs)
    if len(xs) == 1:
        return tm.neg(xs[0])
    return _fold(TermManager.sub)(tm, *xs)


def _plus(tm: TermManager, *xs: Term) -> Term:
    _check_int(*xs)
    return _fold(TermManager.add)(tm, *xs)


def _abs(tm: TermManager, a: Term) -> Term:
    _check_int(a)
    return tm.ite(tm.le(tm.int(0), a), a, tm.neg(a))


def _seq_concat(tm: TermManager, *xs: Term) -> Term:
    if not all(isinstance(x.sort, SeqSort) and x.sort == xs[0].sort for x in xs):
        raise InternalError("seq.++ of different sorts")
    return tm.seq_concat(*xs) if len(xs) > 1 else xs[0]


_BUILTINS: dict[str, Callable[..., Term]] = {
    "and": _and, "or": _or, "not": _not, "=>": _implies, "xor": _fold(_xor),
    "=": _chain(_eq), "distinct": _distinct,
    "+": _plus, "-": _minus, "*": _fold(TermManager.mul), "div": _fold(TermManager.div),
    "mod": TermManager.mod, "abs": _abs,
    "<=": _chain(TermManager.le), "<": _chain(TermManager.lt),
    ">=": _chain(TermManager.ge), ">": _chain(TermManager.gt),
    "seq.unit": TermManager.seq_unit, "seq.len": TermManager.seq_len,
    "seq.++": _seq_concat, "seq.extract": TermManager.seq_extract,
    "seq.nth": TermManager.seq_nth, "seq.update": TermManager.seq_update,
    "seq.at": lambda tm, s, i: tm.seq_extract(s, i, tm.int(1)),
    "select": TermManager.select, "store": TermManager.store,
    **{name: (lambda n: lambda tm, *xs: tm.bv(n, *xs))(name) for name in BV_FUNCTIONS},
}
_ARITY: dict[str, tuple[int, int | None]] = {
    "and": (1, None), "or": (1, None), "not": (1, 1), "=>": (2, None), "xor": (2, None),
    "=": (2, None), "distinct": (2, None), "+": (1, None), "-": (1, None), "*": (2, None),
    "div": (2, None), "mod": (2, 2), "abs": (1, 1), "<=": (2, None), "<": (2, None),
    ">=": (2, None), ">": (2, None), "seq.unit": (1, 1), "seq.len": (1, 1),
    "seq.++": (1, None), "seq.extract": (3, 3), "seq.nth": (2, 2), "seq.update": (3, 3),
    "seq.at": (2, 2), "select": (2, 2), "store": (3, 3),
    **{name: (arity, arity) for name, (arity, _) in BV_FUNCTIONS.items()},
}
_SPECIAL: dict[str, Callable[[Reader, SExpr, tuple[SExpr, ...], dict[str, Term]], Term]] = {
    "let": Reader._let, "forall": Reader._quant, "exists": Reader._quant, "as": Reader._as,
    "!": Reader._annotated, "ite": Reader._ite,
}


def read_script(text: str, file: str = "<input>", tm: TermManager | None = None) -> Script:
    """Parse and translate a whole script; raises InputError on malformed input."""
    reader = Reader(file, tm)
    commands: list[Command] = []
    for e in parse(text, file):
        cmd = reader.command(e)
        if cmd is not None:
            commands.append(cmd)
        if cmd is not None and cmd.kind == "exit":
            break
    return Script(commands, reader.tm, reader.status, reader.logic, file, reader)


def read_file(path: str, tm: TermManager | None = None) -> Script:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(None, f"cannot read {path}: {exc}", "usage.file") from None
    return read_script(text, path, tm)
