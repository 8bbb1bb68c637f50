"""Encodes a VC as an SMT-LIB 2.6 script object (cvc5's sequence theory); printing is separate.

Vectors are `(Seq T)`, machine integers are `Int` with range assumptions made by the frontend,
uninterpreted element types are declared sorts.  Labels of the VC become `define-fun`s.
`probes` are the closed applications whose value a counterexample may need but the model of the
declared symbols does not fix (out-of-bounds `seq.nth`, division by zero); `select` is total, so
array reads never need one.  Mappings are `(Array K V)`; a script with a constant array sets
cvc5's `arrays-exp` option, without which cvc5 refuses constant arrays, and constant arrays
whose default is not a value literal are named and defined by an axiom (`ConstArrays`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from vecverify.terms import (DagWalker, Op, Term, TermManager, free_vars, postorder, smt_symbol,
                             to_smtlib)
from vecverify.terms.ops import EXPLICIT_SORT
from vecverify.terms.printer import is_smt_value
from vecverify.terms.sorts import Sort, uninterpreted_sorts
from vecverify.vcgen import VC

from .boxing import Boxer


@dataclass(frozen=True)
class Command:
    """One SMT-LIB command, already in its printed form."""

    text: str


@dataclass(frozen=True)
class Script:
    commands: tuple[Command, ...]
    declared: tuple[Term, ...]          # the free symbols whose model values are read back
    probes: tuple[Term, ...]
    quantified: bool
    boxed: tuple[Command, ...] = ()     # the boxed encoding (see boxing.py), for proofs only
    probe_smtlib: tuple[str, ...] = ()  # the probes as this script spells them

    def text(self) -> str:
        return print_script(self)

    def boxed_text(self) -> str:
        return "\n".join(c.text for c in self.boxed) + "\n" if self.boxed else ""

    def probe_texts(self) -> tuple[str, ...]:
        return self.probe_smtlib or tuple(to_smtlib(p) for p in self.probes)


def print_script(script: Script) -> str:
    return "\n".join(c.text for c in script.commands) + "\n"


def _declare_sorts(sorts: set[Sort]) -> list[Command]:
    names = sorted({u.name for s in sorts for u in uninterpreted_sorts(s)})
    return [Command(f"(declare-sort {smt_symbol(n)} 0)") for n in names]


class ConstArrays(DagWalker[Term]):
    """Names the constant arrays cvc5 cannot take as written.

    cvc5 accepts `((as const (Array I E)) v)` only when `v` is a value literal (cvc5 issues
    #11485, #12289), not for a symbol or a sequence literal.  Each other constant array becomes
    a fresh symbol `const!N` (a function of the bound variables its default mentions) with the
    axiom `forall k. (select const!N k) = v`, which defines it uniquely (extensionality), so the
    script stays equisatisfiable; the axiom is quantified, so such a script is `quantified`.
    """

    def __init__(self, tm: TermManager) -> None:
        super().__init__()
        self.tm = tm
        self.symbols: list[Term] = []                         # the new 0-ary symbols
        self.functions: dict[str, tuple[tuple[Sort, ...], Sort]] = {}
        self.axioms: list[Term] = []

    def walk_const_array(self, t: Term, args: list[Term]) -> Term:
        tm = self.tm
        default = args[0]
        if is_smt_value(default):
            return t
        name = f"const!{len(self.axioms)}"
        inner = {b for x in postorder(default) if x.op in (Op.FORALL, Op.EXISTS)
                 for b in x.args[:-1]}
        bound = sorted({x for x in postorder(default) if x.op is Op.BVAR} - inner,
                       key=lambda x: x.id)
        if bound:
            self.functions[name] = (tuple(b.sort for b in bound), t.sort)
            sym = tm.apply(name, bound, t.sort)
        else:
            sym = tm.var(name, t.sort)
            self.symbols.append(sym)
        # named after the symbol, not by the manager's counter, so encoding is deterministic
        k = tm.mk(Op.BVAR, (), f"{name}!k", t.sort.index)  # type: ignore[attr-defined]
        self.axioms.append(tm.forall([*bound, k], tm.eq(tm.select(sym, k), default)))
        return sym

    def walk_default(self, t: Term, args: list[Term]) -> Term:
        if all(a is b for a, b in zip(args, t.args)):
            return t
        return self.tm.mk(t.op, args, t.payload, t.sort if t.op in EXPLICIT_SORT else None)

    def declarations(self) -> list[Command]:
        out = [Command(f"(declare-fun {smt_symbol(t.name)} () {t.sort.smt()})")
               for t in self.symbols]
        out += [Command(f"(declare-fun {smt_symbol(name)} ({' '.join(a.smt() for a in args)}) "
                        f"{result.smt()})") for name, (args, result) in self.functions.items()]
        return out


def _header(vc: VC, roots: list[Term]) -> list[Command]:
    check = vc.check
    cmds = [Command(f"; {check.span}: {check.kind} in {vc.procedure}: {check.message}")]
    if any(t.op is Op.CONST_ARRAY for r in roots for t in postorder(r)):
        # cvc5 rejects constant arrays in assertions unless its array solver runs with this
        cmds.append(Command("(set-option :arrays-exp true)"))
    return cmds + [Command("(set-logic ALL)"),
                   Command(f"(set-info :source |vecverify {check.kind} check at {check.span}|)")]


def encode(tm: TermManager, vc: VC, *, with_check_sat: bool = True) -> Script:
    """The script whose `check-sat` is unsat iff the VC's check holds."""
    labels = {lab for lab, _ in vc.definitions}
    roots = [vc.formula, *(body for _, body in vc.definitions)]
    symbols: set[Term] = set()
    for r in roots:
        symbols |= free_vars(r)
    declared = tuple(sorted(symbols - labels, key=lambda t: t.name))
    subterms = {t for r in roots for t in postorder(r)}
    bound_dependent = _bound_dependent(roots)
    probes = tuple(sorted((t for t in subterms
                           if t.op in (Op.SEQ_NTH, Op.DIV, Op.MOD) and t not in bound_dependent),
                          key=lambda t: t.id))
    consts = ConstArrays(tm)
    defs = [(lab, consts.walk(body)) for lab, body in vc.definitions]
    formula = consts.walk(vc.formula)
    probe_text = tuple(to_smtlib(consts.walk(p)) for p in probes)
    axioms = list(consts.axioms)
    quantified = bool(axioms) or any(t.op in (Op.FORALL, Op.EXISTS) for t in subterms)
    cmds = _assemble(vc, {t.sort for t in subterms}, declared, {}, consts, defs, axioms,
                     formula, with_check_sat)
    return Script(cmds, declared, probes, quantified,
                  _boxed_commands(tm, vc, declared, with_check_sat), probe_text)


def _boxed_commands(tm: TermManager, vc: VC, declared: tuple[Term, ...],
                    with_check_sat: bool) -> tuple[Command, ...]:
    boxer = Boxer(tm)
    consts = ConstArrays(tm)
    defs = [(lab, consts.walk(boxer.walk(body))) for lab, body in vc.definitions]
    formula = consts.walk(boxer.walk(vc.formula))
    symbols = [boxer.walk(t) for t in declared]
    axioms = [consts.walk(ax) for ax in boxer.axioms()]
    axioms = consts.axioms + axioms            # the definitions of const!N, then the boxes'
    roots = [formula, *(b for _, b in defs), *axioms]
    sorts: set[Sort] = {t.sort for r in roots for t in postorder(r)}
    sorts |= {t.sort for t in symbols}
    for args, result in boxer.functions.values():
        sorts |= {*args, result}
    return _assemble(vc, sorts, symbols, boxer.functions, consts, defs, axioms, formula,
                     with_check_sat)


def _assemble(vc: VC, sorts: set[Sort], symbols: Sequence[Term],
              functions: dict[str, tuple[tuple[Sort, ...], Sort]], consts: "ConstArrays",
              defs: list[tuple[Term, Term]], axioms: list[Term], formula: Term,
              with_check_sat: bool) -> tuple[Command, ...]:
    """The script in the order SMT-LIB needs: header, sorts, symbols, functions, named
    constant arrays, labels, axioms, the formula (shared by the plain and boxed encodings)."""
    cmds = _header(vc, [formula, *(b for _, b in defs), *axioms]) + _declare_sorts(sorts)
    cmds += [Command(f"(declare-fun {smt_symbol(t.name)} () {t.sort.smt()})") for t in symbols]
    cmds += [Command(f"(declare-fun {smt_symbol(name)} ({' '.join(a.smt() for a in args)}) "
                     f"{result.smt()})") for name, (args, result) in sorted(functions.items())]
    cmds += consts.declarations()
    cmds += [Command(f"(define-fun {smt_symbol(lab.name)} () Bool {to_smtlib(body)})")
             for lab, body in defs]
    cmds += [Command(f"(assert {to_smtlib(ax)})") for ax in axioms]
    cmds.append(Command(f"(assert {to_smtlib(formula)})"))
    if with_check_sat:
        cmds.append(Command("(check-sat)"))
    return tuple(cmds)


def _bound_dependent(roots: list[Term]) -> set[Term]:
    """Subterms that mention a quantifier's bound variable (they cannot be probed)."""
    dep: set[Term] = set()
    for r in roots:
        for t in postorder(r):
            if t.op is Op.BVAR or any(a in dep for a in t.args):
                dep.add(t)
    return dep
