"""Turns a solver model into a counterexample, after checking it by evaluation.

The model is evaluated on the VC (labels, then the formula) with the reference semantics of
`terms.evaluate`; only if the formula evaluates to true is it a counterexample.  Values are then
mapped back to source names: the inputs on entry, the variables at the failing check, and the
check's own detail values (index, length, operands...).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vecverify.drivers import SolverResult
from vecverify.encoders import Script
from vecverify.terms import TermManager, substitute
from vecverify.terms.evaluate import Evaluator, NotEvaluable
from vecverify.values import ArrayValue, to_json
from vecverify.vcgen import VC

INPUT_ROLES = ("param", "mut_param")
STORAGE_ROLES = ("storage",)
STATE_ROLES = ("mut_param", "result", "local", "storage")


@dataclass(frozen=True)
class Validation:
    ok: bool
    reason: str
    counterexample: dict[str, Any] | None
    # program variable -> its value on entry (what a replay installs)
    entry: dict[Any, Any] | None = None


def validate(tm: TermManager, vc: VC, script: Script, result: SolverResult) -> Validation:
    """Evaluate the VC under the model; out-of-bounds reads the model leaves open are tried
    with two interpretations (see `terms.evaluate`), each an exact check."""
    probes = {t: v for t, v in zip(script.probes, result.probes) if v is not None}
    failure = ""
    for sign in (1, -1):
        ev = Evaluator(result.model, probes, result.domains, fresh_sign=sign)
        try:
            for label, body in vc.definitions:
                ev.define(label.name, ev.value(body))
            if ev.value(vc.formula) is True:
                unreachable = _sum_mismatch(vc, ev)
                if unreachable:
                    return Validation(False, unreachable, None)
                return Validation(True, "", _describe(tm, vc, ev), _entry(vc, ev))
            failure = ("the solver's model does not violate the check when evaluated "
                       "(solver model bug)")
        except NotEvaluable as exc:
            failure = f"the solver's model could not be checked: {exc}"
            break
        if ev.oob is None or len(ev.oob) == len(probes):
            break                    # no free out-of-bounds point: another try changes nothing
    return Validation(False, failure, None)


def _entry(vc: VC, ev: Evaluator) -> dict[Any, Any]:
    out = {}
    for info, t in vc.at_entry:
        try:
            out[info.term] = ev.value(t)
        except NotEvaluable:
            pass
    return out


def _sum_mismatch(vc: VC, ev: Evaluator) -> str:
    """Why the model's entry state is unreachable, or "" (a ghost sum must equal the sum of
    its collection, as it does after every write)."""
    for ghost, collection in vc.sum_ghosts:
        try:
            g, c = ev.value(ghost), ev.value(collection)
        except NotEvaluable:
            return "the solver's model could not be checked against a tracked sum"
        if isinstance(c, tuple):
            actual: Any = sum(c)  # type: ignore[arg-type]
        elif isinstance(c, ArrayValue) and c.default == 0:
            actual = sum(v for _, v in c.entries)  # type: ignore[misc]
        else:
            actual = None
        if actual != g:
            return ("the solver's model starts from a state the contract cannot reach "
                    f"(a tracked sum is {g}, its elements add up to {actual})")
    return ""


def _describe(tm: TermManager, vc: VC, ev: Evaluator) -> dict[str, Any]:
    def val(term: Any) -> Any:
        try:
            return to_json(ev.value(term))
        except NotEvaluable:
            return None

    line = vc.check.span.line
    inputs = {info.source_name: val(t) for info, t in vc.at_entry if info.role in INPUT_ROLES}
    storage = {info.source_name: val(t) for info, t in vc.at_entry
               if info.role in STORAGE_ROLES}
    state = {}
    for info, t in vc.at_check:
        if info.role in STATE_ROLES and info.decl_line <= line:
            v = val(t)
            if v is not None and not (info.role in STORAGE_ROLES
                                      and storage.get(info.source_name) == v):
                state[info.source_name] = v
    env = {info.term: t for info, t in vc.at_check}
    values = {}
    for text, term in vc.check.details:
        v = val(substitute(tm, term, env))
        if v is not None:
            values[text] = v
    cex: dict[str, Any] = {"line": line,
                           "inputs": {k: v for k, v in inputs.items() if v is not None},
                           "state": state, "values": values}
    if any(v is not None for v in storage.values()):
        cex["storage"] = {k: v for k, v in storage.items() if v is not None}
    if ev.oob_used:
        s, i = ev.oob_used[0]
        cex["notes"] = [f"reads an element out of bounds (index {i} of a vector of length "
                        f"{len(s)}); its value is unspecified"]  # type: ignore[arg-type]
    return cex
