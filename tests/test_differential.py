"""Random loop-free vector programs: verdicts must agree with concrete execution.

- violated: running the program on the counterexample's inputs fails exactly that check;
- proved: no random input makes that check fail.
Programs run on the product's interpreter (`vecverify.frontends.vec.interpret`).
Out-of-bounds reads inside an `assert` condition are unspecified (as in the sequence theory),
so runs that hit one are not compared.
A disagreement is a bug in the lowering, the VC generation, the encoding or the evaluator.
"""
from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vecverify.frontends.vec import parse_and_check
from vecverify.frontends.vec.interpret import Unspecified, run
from vecverify.options import Options
from vecverify.pipeline import verify_paths
from vecverify.reports import Status

SCALARS = ["a", "b", "t"]


@st.composite
def int_expr(draw: st.DrawFn, depth: int = 0) -> str:
    choices = ["lit", "var", "len"] + (["add", "sub", "read"] if depth < 2 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "lit":
        return str(draw(st.integers(-2, 3)))
    if kind == "var":
        return draw(st.sampled_from(SCALARS))
    if kind == "len":
        return "len(xs)"
    if kind == "read":
        return f"xs[{draw(int_expr(depth + 1))}]"
    op = "+" if kind == "add" else "-"
    return f"({draw(int_expr(depth + 1))} {op} {draw(int_expr(depth + 1))})"


@st.composite
def cond(draw: st.DrawFn) -> str:
    op = draw(st.sampled_from(["<", "<=", "==", "!="]))
    c = f"{draw(int_expr())} {op} {draw(int_expr())}"
    if draw(st.booleans()):
        c = f"0 <= {draw(int_expr())} && {c}"
    return c


@st.composite
def stmts(draw: st.DrawFn, depth: int = 0) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["assign", "write", "push", "pop", "assert", "if"]
                                    if depth < 1 else ["assign", "write", "push", "assert"]))
        if kind == "assign":
            out.append(f"{draw(st.sampled_from(SCALARS))} := {draw(int_expr())};")
        elif kind == "write":
            out.append(f"xs[{draw(int_expr())}] := {draw(int_expr())};")
        elif kind == "push":
            out.append(f"push(xs, {draw(int_expr())});")
        elif kind == "pop":
            out.append(f"{draw(st.sampled_from(SCALARS))} := pop(xs);")
        elif kind == "assert":
            out.append(f"assert {draw(cond())};")
        else:
            out.append(f"if ({draw(cond())}) {{")
            out += ["  " + s for s in draw(stmts(depth + 1))]
            out.append("} else {")
            out += ["  " + s for s in draw(stmts(depth + 1))]
            out.append("}")
    return out


def program(body: list[str]) -> str:
    return "\n".join(["fn f(mut xs: vec<int>, mut a: int, mut b: int)", "{",
                      "  var t: int := 0;", *("  " + s for s in body), "}"]) + "\n"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(stmts())
def test_verdicts_agree_with_execution(tmp_path_factory, body: list[str]) -> None:  # type: ignore[no-untyped-def]
    src = program(body)
    path = Path(tmp_path_factory.mktemp("diff")) / "p.vec"
    path.write_text(src)
    report = verify_paths([str(path)], Options(timeout_s=20.0))
    checked = parse_and_check(src, str(path))

    def first_failure(env: dict[str, object]) -> tuple[int, int, str] | None | Unspecified:
        out = run(checked, "f", env)
        if out.failure is not None:
            return out.failure.where
        if out.status == "unspecified":
            return Unspecified(out.reason)
        assert out.status == "completed", (src, env, out)
        return None

    rng = random.Random(src)
    samples = [{"xs": [rng.randint(-3, 3) for _ in range(rng.randint(0, 4))],
                "a": rng.randint(-3, 4), "b": rng.randint(-3, 4)} for _ in range(60)]
    outcomes = [first_failure(s) for s in samples]
    failures = {o for o in outcomes if isinstance(o, tuple)}
    for d in report.diagnostics:
        where = (d.line, d.column, d.kind)
        if d.status is Status.VIOLATED:
            inputs = d.counterexample["inputs"]  # type: ignore[index]
            env = {"xs": list(inputs.get("xs", [])), "a": inputs.get("a", 0),
                   "b": inputs.get("b", 0)}
            outcome = first_failure(env)
            # an out-of-bounds read in an assert is unspecified: nothing to compare
            assert outcome == where or isinstance(outcome, Unspecified), (src, d, outcome)
        elif d.status is Status.PROVED:
            assert where not in failures, (src, d)
        elif "the run is unspecified" not in d.message:
            # a model whose out-of-bounds read in an assert decides the check does not
            # replay: unknown, with that reason; anything else must be decided
            raise AssertionError(f"undecided check on a tiny program: {d}\n{src}")
