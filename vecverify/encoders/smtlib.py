"""Encodes a VC as an SMT-LIB 2.6 script object (cvc5's sequence theory); printing is separate.

Vectors are `(Seq T)`, machine integers are `Int` with range assumptions made by the frontend,
uninterpreted element types are declared sorts.  Labels of the VC become `define-fun`s.
`probes` are the closed applications whose value a counterexample may need but the model of the
declared symbols does not fix (out-of-bounds `seq.nth`, division by zero).
"""
from __future__ import annotations

from dataclasses import dataclass

from vecverify.terms import Op, Term, TermManager, free_vars, postorder, smt_symbol, to_smtlib
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

    def text(self) -> str:
        return print_script(self)

    def boxed_text(self) -> str:
        return "\n".join(c.text for c in self.boxed) + "\n" if self.boxed else ""

    def probe_texts(self) -> tuple[str, ...]:
        return tuple(to_smtlib(p) for p in self.probes)


def print_script(script: Script) -> str:
    return "\n".join(c.text for c in script.commands) + "\n"


def _declare_sorts(sorts: set[Sort]) -> list[Command]:
    names = sorted({u.name for s in sorts for u in uninterpreted_sorts(s)})
    return [Command(f"(declare-sort {smt_symbol(n)} 0)") for n in names]


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
    quantified = any(t.op in (Op.FORALL, Op.EXISTS) for t in subterms)
    check = vc.check
    cmds = [Command(f"; {check.span}: {check.kind} in {vc.procedure}: {check.message}"),
            Command("(set-logic ALL)"),
            Command(f"(set-info :source |vecverify {check.kind} check at {check.span}|)")]
    cmds += _declare_sorts({t.sort for t in subterms})
    cmds += [Command(f"(declare-fun {smt_symbol(t.name)} () {t.sort.smt()})") for t in declared]
    cmds += [Command(f"(define-fun {smt_symbol(lab.name)} () Bool {to_smtlib(body)})")
             for lab, body in vc.definitions]
    cmds.append(Command(f"(assert {to_smtlib(vc.formula)})"))
    if with_check_sat:
        cmds.append(Command("(check-sat)"))
    return Script(tuple(cmds), declared, probes, quantified,
                  _boxed_commands(tm, vc, cmds[:3], declared, with_check_sat))


def _boxed_commands(tm: TermManager, vc: VC, header: list[Command], declared: tuple[Term, ...],
                    with_check_sat: bool) -> tuple[Command, ...]:
    boxer = Boxer(tm)
    defs = [(lab, boxer.walk(body)) for lab, body in vc.definitions]
    formula = boxer.walk(vc.formula)
    symbols = [boxer.walk(t) for t in declared]
    sorts: set[Sort] = {t.sort for r in [formula, *(b for _, b in defs)] for t in postorder(r)}
    sorts |= {t.sort for t in symbols}
    for args, result in boxer.functions.values():
        sorts |= {*args, result}
    cmds = list(header) + _declare_sorts(sorts)
    cmds += [Command(f"(declare-fun {smt_symbol(t.name)} () {t.sort.smt()})") for t in symbols]
    cmds += [Command(f"(declare-fun {smt_symbol(name)} ({' '.join(a.smt() for a in args)}) "
                     f"{result.smt()})") for name, (args, result) in sorted(boxer.functions.items())]
    cmds += [Command(f"(define-fun {smt_symbol(lab.name)} () Bool {to_smtlib(body)})")
             for lab, body in defs]
    cmds += [Command(f"(assert {to_smtlib(ax)})") for ax in boxer.axioms()]
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
