"""Random, well-typed Solidity contracts for the EVM differential harness.

Why: the verifier's Solidity lowering is a model of what solc's code does.  A random program
run on the real EVM (`vecverify.frontends.solidity.evm`) from random inputs and random entry
storage is a legitimate execution of that program, so every failure the EVM shows is a check
the verifier must not call `proved`.  Hand-written tests pin the semantics we thought of; this
generator produces the combinations nobody thought of (side effects inside indices, storage
pointers whose index changes afterwards, a modifier applied twice, ...).

What a contract looks like: a fixed set of state variables (`STATE`), a fixed prelude of
modifiers and internal helpers (`PRELUDE`), a few generated internal helpers `g0, g1, ...`, and
N generated public functions `f0, f1, ...`.  Every statement sits on a line of its own, so a
panic's source line names the statement.  Code is well-typed by construction: every expression
is generated at a type, literals are generated in range, a bare number literal only appears
next to a typed operand, and every local has a fresh name (no shadowing).

Two renderings of one contract (`Contract.render(evm=...)`) have identical line numbers:

  - the *verified* text, which the verifier reads; loop invariants are `/// @notice invariant`
    annotations;
  - the *EVM* text, in which each `for` condition also evaluates its invariants through
    `vvInv(cond, annotation line, i)`, which reverts with the custom error `VvInv(line, iter)`
    when an invariant is false: the EVM then reports a failed loop invariant like a panic.
    `vvInv` and the error are declared after every other member, so no line moves.

Deterministic given a seed: all choices go through a `Drawer`; `RandomDrawer(seed)` is a seeded
`random.Random` (the campaign), `HypothesisDrawer(draw)` draws from hypothesis (the
`contracts()`/`functions()` strategies for property tests).

    from tests.solidity.gen_contracts import generate_contract
    c = generate_contract(seed=7, n_functions=20)
    open("G.sol", "w").write(c.render())          # what the verifier reads
    open("G_evm.sol", "w").write(c.render(evm=True))
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

UINT256_MAX = 2 ** 256 - 1
INT256_MIN, INT256_MAX = -2 ** 255, 2 ** 255 - 1
INT_TYPES = ("uint256", "uint8", "int256", "int8")
RANGES = {"uint256": (0, UINT256_MAX), "uint8": (0, 255), "int256": (INT256_MIN, INT256_MAX),
          "int8": (-128, 127)}
# same size or same signedness: the conversions solc 0.8 allows explicitly
CASTS = {"uint256": ("uint8", "int256"), "uint8": ("uint256", "int8"),
         "int256": ("int8", "uint256"), "int8": ("int256", "uint8")}
ENUM_MEMBERS = ("A", "B", "C")

# Construct families: each generated statement/expression records the ones it uses, so tests
# can check coverage and the campaign can say which families an unsound finding involves.
FAMILIES = (
    "checked-arith", "unchecked", "signed", "negative-literal", "type-minmax", "cast", "exp",
    "comparison", "assert", "require", "array-read", "array-write", "push", "pop", "delete",
    "nested-array", "struct", "mapping", "storage-pointer", "pointer-index-change",
    "memory-array", "memory-helper", "internal-call", "named-args", "modifier",
    "modifier-twice", "loop", "loop-invariant-true", "loop-invariant-false", "if-else",
    "ternary", "side-effect", "tuple", "swap", "enum", "return", "write-then-assert",
    "guarded-access", "array-param", "memory-struct", "copy", "re-point", "early-return",
    "break-continue", "dangling-pointer",
)

STATE = """\
    struct S { uint256 a; int8 b; bool c; }
    enum E { A, B, C }

    uint256 su;
    uint8 su8;
    int256 si;
    int8 si8;
    bool sb;
    E se;
    uint256[] xs;
    uint8[] ys;
    int256[] zs;
    uint256[][] grid;
    S s1;
    S[] ss;
    mapping(uint256 => uint256) m;
    mapping(address => S) ms;
"""

# Fixed members every contract has: two modifiers with a parameter and internal helpers.
PRELUDE = """\
    modifier mLim(uint256 k) {
        require(su <= k);
        _;
        su = su + 1;
    }

    modifier mAdd(uint8 k) {
        su8 = su8 + k;
        _;
    }

    function hAdd(uint256 x, uint256 y) internal pure returns (uint256) {
        return x + y;
    }

    function hNeg(int8 x) internal pure returns (int8) {
        return -x;
    }

    function hWrite(uint256[] memory arr, uint256 k, uint256 v) internal pure {
        arr[k] = v;
    }

    function hPush(uint256 v) internal {
        xs.push(v);
    }

    function hDiv(uint256 x, uint256 y) internal pure returns (uint256 q, uint256 r) {
        q = x / y;
        r = x % y;
    }

    function hPick(bool c, uint256 x) internal view returns (uint256) {
        return c ? x : su;
    }

    function hPop() internal returns (uint256) {
        xs.pop();
        return xs.length;
    }
"""
PRELUDE_FUNCTIONS = ("hAdd", "hNeg", "hWrite", "hPush", "hDiv", "hPick", "hPop")

EVM_EPILOGUE = """\

    error VvInv(uint256 line, uint256 iter);

    function vvInv(bool ok, uint256 line, uint256 iter) internal pure returns (bool) {
        if (!ok) revert VvInv(line, iter);
        return true;
    }
"""

# state variables: name -> type, for scalar reads and writes
STATE_SCALARS = {"su": "uint256", "su8": "uint8", "si": "int256", "si8": "int8", "sb": "bool",
                 "se": "E"}
INTERESTING = {
    "uint256": (0, 1, 2, 3, 7, 100, UINT256_MAX, UINT256_MAX - 1, 2 ** 255, 2 ** 128),
    "uint8": (0, 1, 2, 3, 7, 100, 127, 128, 254, 255),
    "int256": (0, 1, 2, 3, -1, -2, -7, 100, INT256_MIN, INT256_MAX, INT256_MIN + 1),
    "int8": (0, 1, 2, 3, -1, -2, -7, 64, -64, -128, 127, -127),
}
SMALL = {"uint256": (0, 1, 2, 3), "uint8": (0, 1, 2, 3), "int256": (-2, -1, 0, 1, 2, 3),
         "int8": (-2, -1, 0, 1, 2, 3)}


# ---------------------------------------------------------------------------------------------
# Drawers: where the randomness comes from


class Drawer:
    """The choices a generator makes.  Subclasses: seeded `random.Random`, or hypothesis."""

    def int(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.int(0, len(seq) - 1)]

    def chance(self, percent: int) -> bool:
        return self.int(0, 99) < percent

    def weighted(self, options: Sequence[tuple[int, Any]]) -> Any:
        options = [(w, v) for w, v in options if w > 0]
        total = sum(w for w, _ in options)
        k = self.int(0, total - 1)
        for w, v in options:
            if k < w:
                return v
            k -= w
        raise AssertionError("unreachable")


class RandomDrawer(Drawer):
    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class HypothesisDrawer(Drawer):
    """Draws from hypothesis; small ranges so shrinking goes towards the first choices."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def int(self, lo: int, hi: int) -> int:
        from hypothesis import strategies as st
        return int(self.draw(st.integers(lo, hi)))


# ---------------------------------------------------------------------------------------------
# Program structure


class Node:
    """A statement: renders to lines (without indentation) for the verified or the EVM text."""

    families: set[str]

    def lines(self, evm: bool) -> list[str]:
        raise NotImplementedError


@dataclass
class Line(Node):
    text: str
    families: set[str] = field(default_factory=set)

    def lines(self, evm: bool) -> list[str]:
        return [self.text]


@dataclass
class Block(Node):
    """`head {` body `}` with optional `} else {` body; annotation lines before the head.
    `evm_head` replaces `head` in the EVM text (loop invariants instrumented)."""

    head: str
    body: list[Node]
    else_body: list[Node] | None = None
    annotations: list[str] = field(default_factory=list)
    evm_head: str | None = None
    families: set[str] = field(default_factory=set)

    def lines(self, evm: bool) -> list[str]:
        out = list(self.annotations)
        out.append((self.evm_head if evm and self.evm_head else self.head) + " {")
        out += ["    " + ln for n in self.body for ln in n.lines(evm)]
        if self.else_body is not None:
            out.append("} else {")
            out += ["    " + ln for n in self.else_body for ln in n.lines(evm)]
        out.append("}")
        return out


@dataclass
class Param:
    name: str
    ty: str                       # uint256, uint8, int256, int8, bool, address, uint256[]

    def decl(self) -> str:
        return f"{self.ty} memory {self.name}" if self.ty.endswith("[]") else \
            f"{self.ty} {self.name}"


@dataclass
class Function:
    name: str
    params: list[Param]
    body: list[Node]
    public: bool = True
    returns: str | None = None            # "uint256" or None
    modifiers: list[str] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)    # generated helpers it calls (g0, ...)

    def lines(self, evm: bool) -> list[str]:
        params = ", ".join(p.decl() for p in self.params)
        vis = "public" if self.public else "internal"
        mods = "".join(" " + m for m in self.modifiers)
        rets = f" returns ({self.returns})" if self.returns else ""
        out = [f"function {self.name}({params}) {vis}{mods}{rets} {{"]
        out += ["    " + ln for n in self.body for ln in n.lines(evm)]
        out.append("}")
        return out

    def all_families(self) -> set[str]:
        fams = set(self.families)
        stack = list(self.body)
        while stack:
            n = stack.pop()
            fams |= n.families
            if isinstance(n, Block):
                stack += n.body + (n.else_body or [])
        return fams


@dataclass
class Contract:
    name: str
    helpers: list[Function]          # generated internal helpers g0, g1, ...
    functions: list[Function]        # generated public functions f0, f1, ...
    seed: Any = None

    def members(self) -> list[Function]:
        return self.helpers + self.functions

    def function(self, name: str) -> Function:
        return next(f for f in self.members() if f.name == name)

    def render(self, evm: bool = False) -> str:
        lines = ["// SPDX-License-Identifier: MIT", "pragma solidity ^0.8.0;", "",
                 f"contract {self.name} {{"]
        lines += STATE.rstrip("\n").split("\n") + [""]
        lines += PRELUDE.rstrip("\n").split("\n")
        for f in self.members():
            lines.append("")
            lines += ["    " + ln for ln in f.lines(evm)]
        if evm:
            lines += EVM_EPILOGUE.rstrip("\n").split("\n")
        lines.append("}")
        text = "\n".join(lines) + "\n"
        return _fill_line_numbers(text)

    def restricted(self, names: Iterable[str]) -> "Contract":
        """The same contract with only the named functions (and the helpers they call)."""
        keep = set(names)
        for f in self.functions + self.helpers:
            if f.name in keep:
                keep |= f.calls
        return Contract(self.name, [h for h in self.helpers if h.name in keep],
                        [f for f in self.functions if f.name in keep], self.seed)

    def line_ranges(self) -> dict[str, tuple[int, int]]:
        """function name -> (first line, last line) in the rendered text (1-based)."""
        text = self.render().split("\n")
        out: dict[str, tuple[int, int]] = {}
        for f in self.members():
            head = f"    function {f.name}("
            start = next(i for i, ln in enumerate(text) if ln.startswith(head)) + 1
            out[f.name] = (start, start + len(f.lines(False)) - 1)
        return out

    def families(self) -> set[str]:
        out: set[str] = set()
        for f in self.members():
            out |= f.all_families()
        return out


LINE_MARK = "@@LINE-"


def _fill_line_numbers(text: str) -> str:
    """Replace `@@LINE-k@@` by (this line's number - k): how an instrumented `for` head names
    its invariant annotations, which are the k lines above it."""
    if LINE_MARK not in text:
        return text
    out = []
    for n, ln in enumerate(text.split("\n"), start=1):
        while LINE_MARK in ln:
            i = ln.index(LINE_MARK)
            j = ln.index("@@", i + len(LINE_MARK))
            k = int(ln[i + len(LINE_MARK):j])
            ln = ln[:i] + str(n - k) + ln[j + 2:]
        out.append(ln)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Expressions


def _struct_family(v: "Var") -> str:
    return "storage-pointer" if v.ty == "sptr" else "memory-struct"


@dataclass
class Ex:
    text: str
    lit: int | None = None           # value of a bare number literal
    pure: bool = True                # no side effects (safe to repeat, e.g. in write-then-assert)


@dataclass
class Var:
    name: str
    ty: str            # int types, bool, E, address, mem (uint256[] memory), sptr, rptr
    assignable: bool = True
    kind: str = "local"


MAX_LOCALS = 7           # named stack slots besides parameters (stack too deep otherwise)
MAX_DEPTH = 2


class FunctionGen:
    """Generates one function's body; knows what is in scope."""

    def __init__(self, d: Drawer, name: str, public: bool, helpers: list[Function],
                 returns: str | None = None) -> None:
        self.d = d
        self.returns = returns
        self.name = name
        self.public = public
        self.helpers = helpers                # generated internal helpers callable from here
        self.scopes: list[list[Var]] = [[]]
        self.counter = 0
        self.locals = 0
        self.frozen: set[str] = set()         # loop counters, accumulators inside their loop
        self.in_loop = False
        self.in_unchecked = False
        self.in_branch = 0
        self.families: set[str] = set()
        self.calls: set[str] = set()
        self.fams: set[str] = set()           # families of the statement being built
        self.in_call = 0                      # building the arguments of a call expression

    # -- scope ----------------------------------------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def declare(self, name: str, ty: str, kind: str = "local", assignable: bool = True) -> Var:
        v = Var(name, ty, assignable, kind)
        self.scopes[-1].append(v)
        if kind != "param":
            self.locals += 1
        return v

    def visible(self, ty: str) -> list[Var]:
        return [v for scope in self.scopes for v in scope if v.ty == ty]

    def assignable(self, ty: str) -> list[Var]:
        return [v for v in self.visible(ty) if v.assignable and v.name not in self.frozen]

    def struct_vars(self) -> list[Var]:
        return self.visible("sptr") + self.visible("mstruct")

    def room(self, n: int = 1) -> bool:
        return self.locals + n <= MAX_LOCALS

    def tag(self, *fams: str) -> None:
        self.fams.update(fams)

    # -- literals -------------------------------------------------------------------------------
    def literal_value(self, ty: str) -> int:
        return self.d.pick(SMALL[ty]) if self.d.chance(55) else self.d.pick(INTERESTING[ty])

    def literal(self, ty: str, bare: bool) -> Ex:
        v = self.literal_value(ty)
        if v < 0:
            self.tag("negative-literal")
        if bare:
            return Ex(str(v), lit=v)
        return Ex(f"{ty}({v})")

    # -- integer expressions --------------------------------------------------------------------
    def index(self, length: str | None = None) -> Ex:
        """A uint256 index: mostly small, sometimes `len - 1` or any expression."""
        d = self.d
        choice = d.weighted([(40, "small"), (30, "var"), (10 if length else 0, "last"),
                             (20, "expr")])
        if choice == "var":
            vs = self.visible("uint256")
            if vs:
                return Ex(d.pick(vs).name)
        if choice in ("small", "var"):
            k = d.int(0, 2)
            return Ex(str(k), lit=k)
        if choice == "last":
            self.tag("checked-arith")
            return Ex(f"{length} - 1")
        return self.int_expr("uint256", 1, bare=True)

    def key(self) -> Ex:
        return self.index()

    def addr(self) -> str:
        vs = self.visible("address")
        opts = ["msg.sender", "address(0)"] + [v.name for v in vs] * 2
        return self.d.pick(opts)

    def int_leaf(self, ty: str, bare: bool) -> Ex:
        d = self.d
        opts: list[tuple[int, Callable[[], Ex]]] = []
        vs = self.visible(ty)
        if vs:
            opts.append((30, lambda: Ex(d.pick(vs).name)))
        opts.append((15, lambda: self.literal(ty, bare)))
        opts.append((4, lambda: (self.tag("type-minmax"),
                                 Ex(f"type({ty}).{d.pick(['min', 'max'])}"))[1]))
        opts.append((10, lambda: self.storage_read(ty)))
        assignable = [v for v in self.assignable(ty) if v.kind in ("local", "param", "state")]
        if assignable and not self.in_loop:
            opts.append((3, lambda: self.side_effect_expr(ty, assignable)))
        if ty == "uint256":
            opts.append((3 if not self.in_call else 0, lambda: self.call_expr()))
        if ty == "int8":
            opts.append((2 if not self.in_call else 0, lambda: self.call_neg()))
        return d.weighted(opts)()

    def storage_read(self, ty: str) -> Ex:
        d = self.d
        opts: list[tuple[int, Callable[[], Ex]]] = []
        state = [n for n, t in STATE_SCALARS.items() if t == ty]
        if state:
            opts.append((10, lambda: Ex(d.pick(state))))
        if ty == "uint256":
            opts += [
                (6, lambda: self.arr_read("xs")),
                (3, lambda: (self.tag("nested-array", "array-read"),
                             Ex(f"grid[{self.index('grid.length').text}]"
                                f"[{self.index().text}]"))[1]),
                (3, lambda: (self.tag("struct", "array-read"),
                             Ex(f"ss[{self.index('ss.length').text}].a"))[1]),
                (2, lambda: (self.tag("struct"), Ex("s1.a"))[1]),
                (4, lambda: (self.tag("mapping"), Ex(f"m[{self.key().text}]"))[1]),
                (2, lambda: (self.tag("mapping", "struct"), Ex(f"ms[{self.addr()}].a"))[1]),
                (4, lambda: (self.tag("array-read"),
                             Ex(d.pick(["xs", "ys", "zs", "ss", "grid"]) + ".length"))[1]),
                (1, lambda: (self.tag("nested-array"),
                             Ex(f"grid[{self.index('grid.length').text}].length"))[1]),
                (2, lambda: (self.tag("enum", "cast"), Ex("uint256(se)"))[1]),
            ]
            for v in self.visible("mem"):
                opts.append((4, lambda v=v: (self.tag("memory-array"),
                                             Ex(f"{v.name}[{self.index(v.name + '.length').text}]"))[1]))
                opts.append((1, lambda v=v: (self.tag("memory-array"), Ex(f"{v.name}.length"))[1]))
            for v in self.visible("rptr"):
                opts.append((4, lambda v=v: (self.tag("storage-pointer"),
                                             Ex(f"{v.name}[{self.index(v.name + '.length').text}]"))[1]))
                opts.append((1, lambda v=v: (self.tag("storage-pointer"),
                                             Ex(f"{v.name}.length"))[1]))
            for v in self.struct_vars():
                opts.append((4, lambda v=v: (self.tag(_struct_family(v)), Ex(f"{v.name}.a"))[1]))
        elif ty == "uint8":
            opts += [(6, lambda: self.arr_read("ys")),
                     (1, lambda: (self.tag("enum", "cast"), Ex("uint8(se)"))[1])]
        elif ty == "int256":
            opts += [(6, lambda: self.arr_read("zs"))]
        elif ty == "int8":
            opts += [
                (3, lambda: (self.tag("struct", "array-read"),
                             Ex(f"ss[{self.index('ss.length').text}].b"))[1]),
                (2, lambda: (self.tag("struct"), Ex("s1.b"))[1]),
                (2, lambda: (self.tag("mapping", "struct"), Ex(f"ms[{self.addr()}].b"))[1]),
            ]
            for v in self.struct_vars():
                opts.append((4, lambda v=v: (self.tag(_struct_family(v)), Ex(f"{v.name}.b"))[1]))
        return d.weighted(opts)()

    def arr_read(self, arr: str) -> Ex:
        self.tag("array-read")
        return Ex(f"{arr}[{self.index(arr + '.length').text}]")

    def side_effect_expr(self, ty: str, vs: list[Var]) -> Ex:
        self.tag("side-effect")
        v = self.d.pick(vs).name
        form = self.d.pick(["{v}++", "++{v}", "{v}--", "--{v}", "({v} = {e})"])
        if "{e}" in form:
            return Ex(form.format(v=v, e=self.int_expr(ty, 0, bare=True).text), pure=False)
        if not self.in_unchecked:
            self.tag("checked-arith")
        return Ex(form.format(v=v), pure=False)

    def call_expr(self) -> Ex:
        self.in_call += 1
        try:
            return self._call_expr()
        finally:
            self.in_call -= 1

    def _call_expr(self) -> Ex:
        d = self.d
        rets = [h for h in self.helpers if h.returns == "uint256"]
        choice = d.weighted([(3, "hAdd"), (2, "hPick"), (2, "hPop"), (4 if rets else 0, "g")])
        self.tag("internal-call")
        if choice == "hPop":      # a side effect on xs in the middle of an expression
            self.tag("side-effect", "pop")
            return Ex("hPop()", pure=False)
        if choice == "hAdd":
            return Ex(self.call_text("hAdd", [("x", self.int_expr("uint256", 1, True).text),
                                              ("y", self.int_expr("uint256", 1, True).text)]),
                      pure=False)
        if choice == "hPick":
            return Ex(self.call_text("hPick", [("c", self.bool_expr(1)),
                                               ("x", self.int_expr("uint256", 1, True).text)]),
                      pure=False)
        return Ex(self.helper_call(d.pick(rets)), pure=False)

    def call_neg(self) -> Ex:
        self.tag("internal-call", "signed")
        self.in_call += 1
        try:
            return Ex(self.call_text("hNeg", [("x", self.int_expr("int8", 1, True).text)]),
                      pure=False)
        finally:
            self.in_call -= 1

    def call_text(self, fn: str, args: list[tuple[str, str]]) -> str:
        if self.d.chance(70):
            self.tag("named-args")
            order = list(args)
            if len(order) > 1 and self.d.chance(50):
                order.reverse()
            return f"{fn}({{{', '.join(f'{n}: {a}' for n, a in order)}}})"
        return f"{fn}({', '.join(a for _, a in args)})"

    def helper_call(self, h: Function) -> str:
        self.calls.add(h.name)
        args = []
        for p in h.params:
            if p.ty == "uint256[]":
                mems = self.visible("mem")
                if mems and self.d.chance(70):
                    args.append((p.name, self.d.pick(mems).name))
                    self.tag("memory-helper")
                else:
                    args.append((p.name, "new uint256[](2)"))
            elif p.ty == "bool":
                args.append((p.name, self.bool_expr(1)))
            elif p.ty == "address":
                args.append((p.name, self.addr()))
            else:
                args.append((p.name, self.int_expr(p.ty, 1, True).text))
        return self.call_text(h.name, args)

    def int_expr(self, ty: str, depth: int, bare: bool = False) -> Ex:
        d = self.d
        if ty.startswith("int"):
            self.tag("signed")
        if depth <= 0 or d.chance(35):
            return self.int_leaf(ty, bare)
        kind = d.weighted([(45, "arith"), (5, "exp"), (8 if ty.startswith("int") else 0, "neg"),
                           (15, "cast"), (10, "ternary")])
        if kind == "arith":
            op = d.pick(["+", "-", "*", "/", "%"])
            a = self.int_expr(ty, depth - 1, bare=True)
            b = self.int_expr(ty, depth - 1, bare=a.lit is None)
            if op in "/%" and b.lit == 0:
                b = Ex("1", lit=1)
            self.tag("unchecked" if self.in_unchecked else "checked-arith")
            return Ex(f"({a.text} {op} {b.text})", pure=a.pure and b.pure)
        if kind == "exp":
            a = self.int_expr(ty, depth - 1, bare=False)
            self.tag("exp", "unchecked" if self.in_unchecked else "checked-arith")
            return Ex(f"({a.text} ** {d.int(0, 3)})", pure=a.pure)
        if kind == "neg":
            a = self.int_expr(ty, depth - 1, bare=False)
            self.tag("signed", "unchecked" if self.in_unchecked else "checked-arith")
            # `-` before `--x` must not touch it: `---x` lexes as `--` `-x`
            text = f"(-({a.text}))" if a.text.startswith("-") else f"(-{a.text})"
            return Ex(text, pure=a.pure)
        if kind == "cast":
            src = d.pick(CASTS[ty])
            a = self.int_expr(src, depth - 1, bare=False)
            self.tag("cast")
            return Ex(f"{ty}({a.text})", pure=a.pure)
        c = self.bool_expr(depth - 1)
        a = self.int_expr(ty, depth - 1, bare=False)
        b = self.int_expr(ty, depth - 1, bare=False)
        self.tag("ternary")
        return Ex(f"({c} ? {a.text} : {b.text})", pure=False)

    # -- booleans -------------------------------------------------------------------------------
    def bool_leaf(self) -> str:
        d = self.d
        opts: list[tuple[int, Callable[[], str]]] = []
        vs = self.visible("bool")
        if vs:
            opts.append((20, lambda: d.pick(vs).name))
        opts += [(5, lambda: d.pick(["true", "false"])), (8, lambda: "sb"),
                 (3, lambda: (self.tag("struct"), "s1.c")[1]),
                 (3, lambda: (self.tag("struct", "array-read"),
                              f"ss[{self.index('ss.length').text}].c")[1]),
                 (3, lambda: (self.tag("mapping", "struct"), f"ms[{self.addr()}].c")[1]),
                 (4, lambda: (self.tag("enum"), f"se == E.{d.pick(ENUM_MEMBERS)}")[1])]
        for v in self.struct_vars():
            opts.append((4, lambda v=v: (self.tag(_struct_family(v)), f"{v.name}.c")[1]))
        for v in self.visible("E"):
            opts.append((4, lambda v=v: (self.tag("enum"),
                                         f"{v.name} != E.{d.pick(ENUM_MEMBERS)}")[1]))
        return d.weighted(opts)()

    def comparison(self, depth: int) -> str:
        d = self.d
        ty = d.pick(INT_TYPES)
        a = self.int_expr(ty, depth, bare=True)
        b = self.int_expr(ty, depth, bare=a.lit is None)
        self.tag("comparison")
        return f"{a.text} {d.pick(['<', '<=', '>', '>=', '==', '!='])} {b.text}"

    def bool_expr(self, depth: int) -> str:
        d = self.d
        if depth <= 0 or d.chance(25):
            return self.bool_leaf() if d.chance(40) else self.comparison(0)
        kind = d.weighted([(50, "cmp"), (10, "not"), (20, "and"), (20, "or")])
        if kind == "cmp":
            return self.comparison(depth - 1)
        if kind == "not":
            return f"!({self.bool_expr(depth - 1)})"
        op = "&&" if kind == "and" else "||"
        return f"({self.bool_expr(depth - 1)} {op} {self.bool_expr(depth - 1)})"

    # -- places ---------------------------------------------------------------------------------
    def place(self, ty: str) -> str | None:
        """An assignable place of type `ty` (None if there is none)."""
        d = self.d
        opts: list[tuple[int, Callable[[], str]]] = []
        locs = [v for v in self.assignable(ty) if v.kind in ("local", "param")]
        if locs:
            opts.append((25, lambda: d.pick(locs).name))
        state = [n for n, t in STATE_SCALARS.items() if t == ty]
        if state:
            opts.append((15, lambda: d.pick(state)))
        arr = {"uint256": "xs", "uint8": "ys", "int256": "zs"}.get(ty)
        if arr:
            opts.append((15, lambda: (self.tag("array-write"),
                                      f"{arr}[{self.index(arr + '.length').text}]")[1]))
        if ty == "uint256":
            opts += [(5, lambda: (self.tag("nested-array", "array-write"),
                                  f"grid[{self.index('grid.length').text}][{self.index().text}]")[1]),
                     (6, lambda: (self.tag("mapping"), f"m[{self.key().text}]")[1])]
            for v in self.visible("mem"):
                opts.append((8, lambda v=v: (self.tag("memory-array"),
                                             f"{v.name}[{self.index(v.name + '.length').text}]")[1]))
            for v in self.visible("rptr"):
                opts.append((8, lambda v=v: (self.tag("storage-pointer"),
                                             f"{v.name}[{self.index(v.name + '.length').text}]")[1]))
        member = {"uint256": "a", "int8": "b", "bool": "c"}.get(ty)
        if member:
            opts += [(4, lambda: (self.tag("struct"), f"s1.{member}")[1]),
                     (5, lambda: (self.tag("struct", "array-write"),
                                  f"ss[{self.index('ss.length').text}].{member}")[1]),
                     (4, lambda: (self.tag("mapping", "struct"),
                                  f"ms[{self.addr()}].{member}")[1])]
            for v in self.struct_vars():
                opts.append((10, lambda v=v: (self.tag(_struct_family(v)),
                                              f"{v.name}.{member}")[1]))
        if not opts:
            return None
        return d.weighted(opts)()

    def value(self, ty: str, depth: int = MAX_DEPTH) -> str:
        if ty == "bool":
            return self.bool_expr(depth)
        if ty == "E":
            self.tag("enum", "cast")
            src = self.d.pick(["uint8", "uint256"])
            return f"E({self.int_expr(src, depth - 1, bare=False).text})" if self.d.chance(70) \
                else f"E.{self.d.pick(ENUM_MEMBERS)}"
        return self.int_expr(ty, depth, bare=True).text

    # -- statements -----------------------------------------------------------------------------
    def stmt(self, budget: int) -> list[Node]:
        """One statement (sometimes two that belong together); `budget` bounds nesting."""
        d = self.d
        in_block = self.in_loop or self.in_branch > 0
        kinds = [
            (20, "assign"), (6, "compound"), (8 if self.room() else 0, "decl"),
            (5 if not self.in_unchecked else 0, "unchecked"),
            (6, "assert"), (5, "require"), (8, "pushpop"), (4, "delete"),
            (6 if self.room() and not in_block else 0, "pointer"),
            (4 if self.room() and not in_block else 0, "memory"),
            (5, "call"), (7 if budget > 1 and not self.in_loop and self.room(2) else 0, "loop"),
            (6 if budget > 1 else 0, "if"), (4, "side"), (4, "tuple"), (3, "enum"),
            (6, "write-assert"), (7, "guarded"), (4, "copy"),
            (3 if budget > 1 else 6 if self.in_loop else 0, "exit"),
        ]
        if self.in_unchecked:
            kinds = [(w, k) for w, k in kinds if k in ("assign", "compound")]
        kind = d.weighted(kinds)
        outer, self.fams = self.fams, set()
        nodes = getattr(self, "stmt_" + kind.replace("-", "_"))(budget)
        for n in nodes:
            n.families |= self.fams
        self.fams = outer
        return nodes

    def line(self, text: str) -> list[Node]:
        return [Line(text)]

    def stmt_assign(self, budget: int) -> list[Node]:
        ty = self.d.pick(INT_TYPES + ("bool", "E"))
        p = self.place(ty)
        if p is None:
            ty = "uint256"
            p = self.place(ty)
        return self.line(f"{p} = {self.value(ty)};")

    def stmt_compound(self, budget: int) -> list[Node]:
        ty = self.d.pick(INT_TYPES)
        p = self.place(ty)
        op = self.d.pick(["+=", "-=", "*=", "/=", "%="])
        self.tag("unchecked" if self.in_unchecked else "checked-arith")
        if ty.startswith("int"):
            self.tag("signed")
        return self.line(f"{p} {op} {self.int_expr(ty, 1, bare=True).text};")

    def stmt_decl(self, budget: int) -> list[Node]:
        ty = self.d.pick(INT_TYPES + ("bool", "E", "uint256"))
        init = self.value(ty)
        name = self.fresh("l")
        self.declare(name, ty)
        if ty == "E":
            self.tag("enum")
        return self.line(f"{ty} {name} = {init};")

    def stmt_unchecked(self, budget: int) -> list[Node]:
        self.in_unchecked = True
        body: list[Node] = []
        for _ in range(self.d.int(1, 2)):
            body += self.stmt(1)
        self.in_unchecked = False
        self.tag("unchecked")
        return [Block("unchecked", body)]

    def stmt_assert(self, budget: int) -> list[Node]:
        self.tag("assert")
        return self.line(f"assert({self.bool_expr(MAX_DEPTH)});")

    def stmt_require(self, budget: int) -> list[Node]:
        self.tag("require")
        cond = self.bool_expr(1)
        if self.d.chance(30):
            return self.line(f'require({cond}, "no");')
        return self.line(f"require({cond});")

    def stmt_pushpop(self, budget: int) -> list[Node]:
        d = self.d
        arrs = [("xs", "uint256"), ("ys", "uint8"), ("zs", "int256")]
        targets: list[tuple[str, str | None]] = [(a, t) for a, t in arrs]
        targets += [("grid", None), (f"grid[{self.index('grid.length').text}]", "uint256"),
                    ("ss", "S")]
        targets += [(v.name, "uint256") for v in self.visible("rptr")]
        arr, elem = d.pick(targets)
        if arr.startswith("grid"):
            self.tag("nested-array")
        if arr in [v.name for v in self.visible("rptr")]:
            self.tag("storage-pointer")
        if d.chance(50):
            self.tag("pop")
            return self.line(f"{arr}.pop();")
        self.tag("push")
        if elem is None or (elem == "S" and d.chance(50)):
            return self.line(f"{arr}.push();")
        if elem == "S":
            self.tag("struct")
            return self.line(f"{arr}.push(S({self.value('uint256', 1)}, "
                             f"{self.value('int8', 1)}, {self.value('bool', 1)}));")
        if arr == "xs" and d.chance(25):
            self.tag("internal-call")
            return self.line(self.call_text("hPush", [("v", self.value("uint256", 1))]) + ";")
        return self.line(f"{arr}.push({self.value(elem, 1)});")

    def stmt_delete(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("delete")
        target = d.pick([
            lambda: (self.tag("array-write"), f"xs[{self.index('xs.length').text}]")[1],
            lambda: "xs", lambda: "ys", lambda: (self.tag("nested-array"), "grid")[1],
            lambda: (self.tag("nested-array"), f"grid[{self.index('grid.length').text}]")[1],
            lambda: (self.tag("struct"), "s1")[1],
            lambda: (self.tag("struct"), f"ss[{self.index('ss.length').text}]")[1],
            lambda: (self.tag("mapping"), f"m[{self.key().text}]")[1],
            lambda: (self.tag("mapping", "struct"), f"ms[{self.addr()}]")[1],
            lambda: d.pick(list(STATE_SCALARS)),
        ])()
        return self.line(f"delete {target};")

    def stmt_pointer(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("storage-pointer")
        out: list[Node] = []
        if d.chance(15):
            return self.dangling()
        if d.chance(60):
            name = self.fresh("p")
            src = d.weighted([(6, "ss"), (2, "ms"), (1, "s1")])
            idx_var = None
            if src == "ss":
                vs = [v for v in self.assignable("uint256") if v.kind in ("local", "param")]
                idx = Ex(d.pick(vs).name) if vs and d.chance(60) else self.index("ss.length")
                init = f"ss[{idx.text}]"
                if idx.text.isidentifier():
                    idx_var = idx.text
            elif src == "ms":
                init = f"ms[{self.addr()}]"
                self.tag("mapping")
            else:
                init = "s1"
            out += self.line(f"S storage {name} = {init};")
            self.declare(name, "sptr", kind="ptr", assignable=False)
            member, ty = d.pick([("a", "uint256"), ("b", "int8"), ("c", "bool")])
            if idx_var and d.chance(50) and any(v.name == idx_var and v.assignable
                                                for v in self.visible("uint256")):
                self.tag("pointer-index-change")
                out += self.line(f"{idx_var} = {self.value('uint256', 1)};")
            if d.chance(70):
                out += self.line(f"{name}.{member} = {self.value(ty, 1)};")
            if idx_var and d.chance(50):
                self.tag("write-then-assert")
                out += self.line(f"assert(ss[{idx_var}].{member} == {name}.{member});")
            if d.chance(20):
                self.tag("re-point")
                out += self.line(f"{name} = ss[{self.index('ss.length').text}];")
                if d.chance(60):
                    out += self.line(f"{name}.{member} = {self.value(ty, 1)};")
        else:
            name = self.fresh("r")
            src = d.pick(["xs", f"grid[{self.index('grid.length').text}]"])
            if src != "xs":
                self.tag("nested-array")
            out += self.line(f"uint256[] storage {name} = {src};")
            self.declare(name, "rptr", kind="ptr", assignable=False)
            if d.chance(60):
                out += self.line(f"{name}.push({self.value('uint256', 1)});")
            if d.chance(50):
                k = d.int(0, 2)
                v = self.value("uint256", 1)
                out += self.line(f"{name}[{k}] = {v};")
                if src == "xs" and d.chance(60):
                    self.tag("write-then-assert")
                    out += self.line(f"assert(xs[{k}] == {name}[{k}]);")
            if d.chance(20):
                self.tag("re-point")
                out += self.line(f"{name} = grid[{self.index('grid.length').text}];")
                if d.chance(60):
                    out += self.line(f"{name}.push({self.value('uint256', 1)});")
        return out

    def dangling(self) -> list[Node]:
        """A storage pointer to the last element, which is then popped: writes through it
        still reach storage (no check fails), and a later `push()` exposes them."""
        d = self.d
        self.tag("dangling-pointer")
        out: list[Node] = []
        if d.chance(50):
            name = self.fresh("p")
            member, ty = d.pick([("a", "uint256"), ("b", "int8"), ("c", "bool")])
            out += self.line(f"S storage {name} = ss[ss.length - 1];")
            self.declare(name, "sptr", kind="ptr", assignable=False)
            out += self.line("ss.pop();")
            value = "true" if ty == "bool" else str(d.pick(SMALL[ty][1:] or (1,)) or 1)
            out += self.line(f"{name}.{member} = {value};")
            if d.chance(50):
                out += self.line(f"assert({name}.{member} == {value});")
            else:
                out += self.line("ss.push();")
                default = "false" if ty == "bool" else "0"
                out += self.line(f"assert(ss[ss.length - 1].{member} == {default});")
        else:
            name = self.fresh("r")
            out += self.line(f"uint256[] storage {name} = grid[grid.length - 1];")
            self.declare(name, "rptr", kind="ptr", assignable=False)
            out += self.line("grid.pop();")
            out += self.line(f"{name}.push({self.value('uint256', 1)});")
            if d.chance(50):
                out += self.line(f"assert({name}.length == 1);")
            else:
                out += self.line("grid.push();")
                out += self.line("assert(grid[grid.length - 1].length == 0);")
        return out

    def stmt_memory(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("memory-array")
        name = self.fresh("t")
        how = d.weighted([(6, "new"), (2, "copy"), (1, "alias")])
        mems = self.visible("mem")
        if how == "alias" and mems:
            src = d.pick(mems).name
            init = src
        elif how == "copy":
            init = "xs"
        else:
            n = d.weighted([(8, str(d.int(0, 4))), (2, "uint256(su8 % 5)")])
            init = f"new uint256[]({n})"
        out = self.line(f"uint256[] memory {name} = {init};")
        self.declare(name, "mem", kind="mem", assignable=False)
        if d.chance(60):
            out += self.line(f"{name}[{self.index(name + '.length').text}] = "
                             f"{self.value('uint256', 1)};")
        if d.chance(50):
            self.tag("memory-helper", "internal-call")
            k = self.index(name + ".length").text
            out += self.line(self.call_text("hWrite", [("arr", name), ("k", k),
                                                       ("v", self.value("uint256", 1))]) + ";")
            if k.isdigit() and d.chance(60):
                self.tag("write-then-assert")
                out += self.line(f"assert({name}[{k}] == {name}[{k}]);")
        if d.chance(15):
            out += self.line(f"xs = {name};")
        return out

    def stmt_call(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("internal-call")
        choice = d.weighted([(3 if self.helpers else 0, "g"), (3, "div"), (2, "push")])
        if choice == "g":
            h = d.pick(self.helpers)
            call = self.helper_call(h)
            if h.returns == "uint256":
                p = self.place("uint256")
                return self.line(f"{p} = {call};")
            return self.line(call + ";")
        if choice == "div":
            self.tag("tuple")
            a, b = self.place("uint256"), self.place("uint256")
            call = self.call_text("hDiv", [("x", self.value("uint256", 1)),
                                           ("y", self.value("uint256", 1))])
            if a == b:
                return self.line(f"({a}, ) = {call};")
            return self.line(f"({a}, {b}) = {call};")
        return self.line(self.call_text("hPush", [("v", self.value("uint256", 1))]) + ";")

    def stmt_loop(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("loop")
        out: list[Node] = []
        bound = d.int(0, 4)
        i = self.fresh("i")
        acc = None
        step = d.int(1, 3)
        start = d.int(0, 3)
        if d.chance(60) and self.room(2):
            acc = self.fresh("l")
            out += self.line(f"uint256 {acc} = {start};")
            self.declare(acc, "uint256")
        invariants: list[str] = []
        if d.chance(65):
            pool_true = [f"{i} <= {bound}", f"{i} <= {bound + 1}", f"{i} >= 0"]
            pool_false = [f"{i} < {bound}", f"{i} == 0", f"{i} <= {max(bound - 1, 0)}"]
            if acc:
                pool_true += [f"{acc} == {start} + {step} * {i}", f"{acc} >= {start}",
                              f"{acc} <= {start} + {step} * {i}"]
                pool_false += [f"{acc} == {start} + {step + 1} * {i}", f"{acc} < {start + step}",
                               f"{acc} == {start}"]
            for _ in range(d.int(1, 2)):
                if d.chance(50):
                    invariants.append(d.pick(pool_true))
                    self.tag("loop-invariant-true")
                elif d.chance(70):
                    invariants.append(d.pick(pool_false))
                    self.tag("loop-invariant-false")
                else:
                    # about the state: its truth depends on the entry storage
                    v = d.pick(["su", "su8", "xs.length", "ss.length"])
                    invariants.append(f"{v} <= {d.pick([0, 1, 2, 3, 255])}")
                    self.tag("loop-invariant-false")
            invariants = list(dict.fromkeys(invariants))
        self.scopes.append([])
        self.declare(i, "uint256", kind="loop", assignable=False)
        self.frozen.add(i)
        if acc:
            self.frozen.add(acc)
        self.in_loop = True
        body: list[Node] = []
        if acc:
            body += self.line(d.pick([f"{acc} = {acc} + {step};", f"{acc} += {step};"]))
        for _ in range(d.int(0 if acc else 1, 2)):
            body += self.stmt(budget - 1)
        self.in_loop = False
        self.frozen.discard(i)
        if acc:
            self.frozen.discard(acc)
        self.locals -= len(self.scopes.pop())
        annotations = [f"/// @notice invariant {inv}" for inv in invariants]
        head = f"for (uint256 {i} = 0; {i} < {bound}; {i}++)"
        evm_head = None
        if invariants:
            n = len(invariants)
            guards = "".join(f"vvInv({inv}, {LINE_MARK}{n - k}@@, {i}) && "
                             for k, inv in enumerate(invariants))
            evm_head = f"for (uint256 {i} = 0; {guards}{i} < {bound}; {i}++)"
        out.append(Block(head, body, annotations=annotations, evm_head=evm_head))
        return out

    def stmt_if(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("if-else")
        cond = self.bool_expr(MAX_DEPTH)
        self.in_branch += 1
        self.scopes.append([])
        then: list[Node] = []
        for _ in range(d.int(1, 2)):
            then += self.stmt(budget - 1)
        self.locals -= len(self.scopes.pop())
        other = None
        if d.chance(60):
            self.scopes.append([])
            other = []
            for _ in range(d.int(1, 2)):
                other += self.stmt(budget - 1)
            self.locals -= len(self.scopes.pop())
        self.in_branch -= 1
        return [Block(f"if ({cond})", then, other)]

    def stmt_side(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("side-effect")
        vs = [v for v in self.assignable("uint256") if v.kind in ("local", "param")]
        if not vs:
            vs = [Var("su", "uint256", True, "state")]
        v = d.pick(vs).name
        if not self.in_unchecked:
            self.tag("checked-arith")
        form = d.pick([
            lambda: f"{self.place('uint256')} = {v}++ + ++{v};",
            lambda: (self.tag("array-write"), f"xs[{v}++] = ++{v};")[1],
            lambda: f"{self.place('uint256')} = ({v} = {self.value('uint256', 0)}) + {v};",
            lambda: f"{self.place('uint256')} = {v}-- - --{v};",
            lambda: (self.tag("array-write"), f"xs[{v}] = {v}++;")[1],
            lambda: (self.tag("mapping"), f"m[{v}++] = {v};")[1],
        ])()
        return self.line(form)

    def stmt_tuple(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("tuple")
        ty = d.pick(INT_TYPES + ("bool",))
        a, b = self.place(ty), self.place(ty)
        if d.chance(50) and a != b:
            self.tag("swap")
            return self.line(f"({a}, {b}) = ({b}, {a});")
        return self.line(f"({a}, {b}) = ({self.value(ty, 1)}, {self.value(ty, 1)});")

    def stmt_enum(self, budget: int) -> list[Node]:
        d = self.d
        self.tag("enum", "cast")
        src = d.pick(["uint8", "uint256", "int8"])
        e = self.int_expr(src, 1, bare=False).text
        if d.chance(30) and self.room():
            name = self.fresh("e")
            self.declare(name, "E")
            return self.line(f"E {name} = E({e});")
        if d.chance(30):
            return self.line(f"{self.place('uint256')} = uint256(se) + {d.int(0, 2)};")
        return self.line(f"se = E({e});")

    def stmt_copy(self, budget: int) -> list[Node]:
        """Whole arrays and structs copied between storage and memory (value semantics)."""
        d = self.d
        self.tag("copy")
        forms: list[Callable[[], str]] = [
            lambda: (self.tag("nested-array"), f"grid[{self.index('grid.length').text}] = xs;")[1],
            lambda: (self.tag("nested-array"), f"xs = grid[{self.index('grid.length').text}];")[1],
            lambda: (self.tag("nested-array", "push"), "grid.push(xs);")[1],
            lambda: (self.tag("struct"), f"s1 = ss[{self.index('ss.length').text}];")[1],
            lambda: (self.tag("struct"), f"ss[{self.index('ss.length').text}] = s1;")[1],
            lambda: (self.tag("struct", "mapping"),
                     f"ms[{self.addr()}] = ss[{self.index('ss.length').text}];")[1],
            lambda: (self.tag("struct", "mapping"), f"s1 = ms[{self.addr()}];")[1],
            lambda: (self.tag("struct", "push"), "ss.push(s1);")[1],
        ]
        for v in self.visible("mstruct"):
            forms.append(lambda v=v: (self.tag("memory-struct"),
                                      f"ss[{self.index('ss.length').text}] = {v.name};")[1])
            forms.append(lambda v=v: (self.tag("memory-struct"), f"s1 = {v.name};")[1])
        for v in self.visible("mem"):
            forms.append(lambda v=v: (self.tag("memory-array"),
                                      f"grid[{self.index('grid.length').text}] = {v.name};")[1])
        if self.room() and not (self.in_loop or self.in_branch):
            def mstruct() -> str:
                name = self.fresh("q")
                src = d.pick([f"ss[{self.index('ss.length').text}]", "s1",
                              f"ms[{self.addr()}]"])
                self.declare(name, "mstruct", kind="mem", assignable=False)
                self.tag("memory-struct")
                return f"S memory {name} = {src};"
            if d.chance(30):
                return self.line(mstruct())
        return self.line(d.pick(forms)())

    def stmt_exit(self, budget: int) -> list[Node]:
        """`return` (with the modifiers' code after `_` still to run), or `break`/`continue`
        in a loop, under a condition."""
        d = self.d
        if self.in_loop and d.chance(80):
            self.tag("break-continue")
            word = d.pick(["break", "continue"])
        else:
            self.tag("early-return")
            word = f"return {self.value('uint256', 1)}" if self.returns else "return"
        cond = self.bool_expr(1)
        return [Block(f"if ({cond})", [Line(f"{word};")])]

    def stmt_write_assert(self, budget: int) -> list[Node]:
        """Write a constant, then assert that it is there: true unless an index changed or the
        place aliases something written in between (the verifier must agree)."""
        d = self.d
        self.tag("write-then-assert", "assert")
        ty = d.pick(("uint256", "uint256", "int8", "bool", "uint8", "int256"))
        p = self.place(ty)
        if p is None or "++" in p or "--" in p or "=" in p.replace("==", ""):
            return self.stmt_assert(budget)
        if ty == "bool":
            c = d.pick(["true", "false"])
        else:
            c = str(self.literal_value(ty))
        out = self.line(f"{p} = {c};")
        if d.chance(40):
            out += self.stmt(1) if budget > 0 and not self.in_unchecked else []
        return out + self.line(f"assert({p} == {c});")

    def stmt_guarded(self, budget: int) -> list[Node]:
        """Establish a fact with `require` or `if`, then rely on it: checks the verifier should
        prove (and the EVM tests)."""
        d = self.d
        self.tag("guarded-access")
        u = [v for v in self.visible("uint256")]
        iv = d.pick(u).name if u and d.chance(70) else str(d.int(0, 2))
        arr, elem = d.pick([("xs", "uint256"), ("ys", "uint8"), ("zs", "int256"),
                            ("ss", None), ("grid", None)]
                           + [(v.name, "uint256") for v in self.visible("rptr")]
                           + [(v.name, "uint256") for v in self.visible("mem")])
        form = d.pick(["require", "if", "pop", "div", "add"])
        if form == "pop":
            self.tag("require", "pop")
            a = d.pick(["xs", "ys", "zs", "ss"])
            return self.line(f"require({a}.length > 0);") + self.line(f"{a}.pop();")
        if form == "div":
            ty = d.pick(INT_TYPES)
            x, y = self.int_expr(ty, 0, bare=False).text, self.int_expr(ty, 0, bare=False).text
            p = self.place(ty)
            self.tag("require", "checked-arith")
            return self.line(f"require({y} != 0);") + \
                self.line(f"{p} = {x} {d.pick(['/', '%'])} {y};")
        if form == "add":
            ty = d.pick(INT_TYPES)
            lo, hi = RANGES[ty]
            bound = d.pick([10, 100, 127]) if hi >= 127 else 10
            a = self.int_expr(ty, 0, bare=False).text
            b = self.int_expr(ty, 0, bare=False).text
            p = self.place(ty)
            self.tag("require", "checked-arith")
            lo_guard = f" && {a} >= -{bound} && {b} >= -{bound}" if lo < 0 else ""
            return self.line(f"require({a} <= {bound} && {b} <= {bound}{lo_guard});") + \
                self.line(f"{p} = {a} {d.pick(['+', '-', '*'])} {b};")
        if arr == "ss":
            access, ty = f"ss[{iv}].{d.pick(['a'])}", "uint256"
        elif arr == "grid":
            self.tag("nested-array")
            if d.chance(50):
                body = f"grid[{iv}].push({self.value('uint256', 1)});"
            else:
                body = f"{self.place('uint256')} = grid[{iv}].length;"
            if form == "require":
                self.tag("require")
                return self.line(f"require({iv} < grid.length);") + self.line(body)
            self.tag("if-else")
            return [Block(f"if ({iv} < grid.length)", [Line(body)])]
        else:
            access, ty = f"{arr}[{iv}]", elem
        body = f"{access} = {self.value(ty, 1)};" if d.chance(50) else \
            f"{self.place(ty)} = {access};"
        if form == "require":
            self.tag("require")
            return self.line(f"require({iv} < {arr}.length);") + self.line(body)
        self.tag("if-else")
        return [Block(f"if ({iv} < {arr}.length)", [Line(body)])]


# ---------------------------------------------------------------------------------------------
# Functions and contracts


PARAM_TYPES = ("uint256", "uint256", "uint8", "int256", "int8", "bool", "address", "uint256[]")


def gen_function(d: Drawer, name: str, public: bool, helpers: list[Function],
                 min_stmts: int = 1, max_stmts: int = 8) -> Function:
    returns = "uint256" if d.chance(35) else None
    g = FunctionGen(d, name, public, helpers, returns)
    params = []
    for k in range(d.int(0, 3)):
        ty = d.pick(PARAM_TYPES)
        if ty == "uint256[]" and d.chance(50 if public else 70):
            ty = "uint256"
        params.append(Param(f"a{k}", ty))
        if ty == "uint256[]":
            g.declare(f"a{k}", "mem", kind="param", assignable=False)
            g.families.add("array-param")
        else:
            g.declare(f"a{k}", ty, kind="param")
    modifiers: list[str] = []
    if public and d.chance(25):
        g.families.add("modifier")
        for _ in range(d.weighted([(3, 1), (2, 2)])):
            which = d.pick(["mLim", "mAdd"])
            ty = "uint256" if which == "mLim" else "uint8"
            arg = [p.name for p in params if p.ty == ty]
            a = d.pick(arg) if arg and d.chance(50) else str(d.pick(SMALL[ty] + (255,)))
            modifiers.append(f"{which}({a})")
        if len(modifiers) == 2:
            g.families.add("modifier-twice")
    body: list[Node] = []
    for _ in range(d.int(min_stmts, max_stmts)):
        body += g.stmt(2)
    if returns:
        g.fams = set()
        body.append(Line(f"return {g.value('uint256', 1)};", {"return"} | g.fams))
    f = Function(name, params, body, public, returns, modifiers, g.families, g.calls)
    f.families |= g.families
    return f


def gen_contract(d: Drawer, n_functions: int, n_helpers: int | None = None,
                 name: str = "G", seed: Any = None, max_stmts: int = 8) -> Contract:
    """`n_functions` public functions of 1..`max_stmts` top-level statements each, and
    `n_helpers` (default 1-3) internal helpers of 1-4 that they call."""
    helpers: list[Function] = []
    if n_helpers is None:
        n_helpers = d.int(1, 3)
    for k in range(n_helpers):
        helpers.append(gen_function(d, f"g{k}", False, [], 1, min(4, max_stmts)))
    functions = [gen_function(d, f"f{k}", True, helpers, 1, max_stmts)
                 for k in range(n_functions)]
    return Contract(name, helpers, functions, seed)


def generate_contract(seed: int | str, n_functions: int = 20, n_helpers: int | None = None,
                      name: str = "G", max_stmts: int = 8) -> Contract:
    """The contract of `seed` (the same seed always gives the same text)."""
    return gen_contract(RandomDrawer(seed), n_functions, n_helpers, name, seed, max_stmts)


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies


def contracts(n_functions: int = 15, n_helpers: int | None = None, max_stmts: int = 8):  # type: ignore[no-untyped-def]
    """A hypothesis strategy of `Contract`s with `n_functions` public functions.

    Every choice is drawn from hypothesis, so shrinking works; large contracts may hit
    hypothesis's buffer limit (examples are then discarded), so keep them moderate."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw):  # type: ignore[no-untyped-def]
        return gen_contract(HypothesisDrawer(draw), n_functions, n_helpers, "G", None,
                            max_stmts)
    return build()


def seeded_contracts(n_functions: int = 15, n_helpers: int | None = None,
                     max_stmts: int = 8):  # type: ignore[no-untyped-def]
    """A hypothesis strategy of `Contract`s drawn from a seed (no buffer limit; shrinks only
    the seed)."""
    from hypothesis import strategies as st
    return st.integers(0, 2 ** 32 - 1).map(
        lambda s: generate_contract(s, n_functions, n_helpers, "G", max_stmts))


def functions():  # type: ignore[no-untyped-def]
    """A hypothesis strategy of single generated public functions (in a contract of their
    own, with one helper)."""
    return contracts(n_functions=1, n_helpers=1)


__all__ = ["Contract", "Drawer", "FAMILIES", "Function", "HypothesisDrawer", "Param",
           "PRELUDE_FUNCTIONS", "RandomDrawer", "contracts", "functions", "gen_contract",
           "generate_contract", "seeded_contracts"]
