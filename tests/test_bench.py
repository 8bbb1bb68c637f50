"""`vecverify bench`: suites and expectations, the results file and summary, a regression
caught against a doctored baseline, plots written, and the Dask executor on a two-worker
local cluster giving the local run's results."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from vecverify import commands
from vecverify.bench.report import compare, read_csv
from vecverify.bench.suites import load_suite

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "benchmarks" / "suites" / "seq-small"


def bench(*suites: Path, solvers: tuple[str, ...] = ("cvc5",), out_csv: Path,
          baseline: Path | None = None, plot: Path | None = None, executor: str = "local",
          jobs: int = 2, timeout: float = 5.0) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = commands.bench([str(s) for s in suites], list(solvers), jobs, timeout,
                          str(out_csv), str(baseline) if baseline else None,
                          str(plot) if plot else None, executor, None, out, err)
    return code, out.getvalue(), err.getvalue()


def small_suite(tmp_path: Path) -> Path:
    """A copy of seq-small with an unsupported problem and a deliberately wrong manifest
    entry added."""
    suite = tmp_path / "suite"
    shutil.copytree(SMALL, suite)
    (suite / "strings.smt2").write_text(
        "(set-logic ALL)\n(declare-fun s () String)\n(assert (= (str.++ s \"a\") \"ba\"))\n"
        "(check-sat)\n")
    (suite / "lying.smt2").write_text(
        "(set-logic ALL)\n(declare-fun x () (Seq Int))\n(assert (= (seq.len x) 1))\n"
        "(check-sat)\n")
    with (suite / "manifest.tsv").open("a") as fh:
        fh.write("strings.smt2\tsat\nlying.smt2\tunsat\n")
    return suite


def test_suites_read_manifests_and_annotations() -> None:
    smt = {p.name: p for p in load_suite(str(SMALL))}
    assert smt["bv1_distinct_3_1.smt2"].expected == "unsat" and smt["mixed_4.smt2"].kind == "smt"
    programs = load_suite(str(ROOT / "examples" / "vec" / "buggy"))
    assert {p.kind for p in programs} == {"program"} and len(programs) == 15


def test_results_summary_wrong_answers_and_regressions(tmp_path: Path) -> None:
    suite = small_suite(tmp_path)
    code, out, err = bench(suite, out_csv=tmp_path / "run.csv", plot=tmp_path / "plots")
    assert code == 0, err                                 # no baseline, nothing to regress
    rows = {r.problem: r for r in read_csv(str(tmp_path / "run.csv"))}
    assert rows["bv1_distinct_3_1.smt2"].result == "solved"
    assert rows["lying.smt2"].result == "wrong"           # sat against the manifest's unsat
    assert rows["strings.smt2"].result == "unknown"
    assert "unsupported" in rows["strings.smt2"].reason
    assert "suite" in out and "solved" in out and "wrong" in out
    cactus = (tmp_path / "plots" / "cactus.png").read_bytes()
    assert cactus.startswith(b"\x89PNG") and len(cactus) > 5000
    # one solver and no baseline: nothing to scatter against
    assert not (tmp_path / "plots" / "scatter.png").exists()

    # doctor a baseline: `strings` was solved, and everything used to be 100x faster
    doctored = tmp_path / "baseline.csv"
    with open(tmp_path / "run.csv", newline="") as src, open(doctored, "w", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)  # type: ignore[arg-type]
        writer.writeheader()
        for row in reader:
            if row["problem"] == "strings.smt2":
                row.update(result="solved", answer="sat", time_s="0.0100")
            else:
                row["time_s"] = f"{float(row['time_s']) / 100:.6f}"
            writer.writerow(row)
    code, out, _ = bench(suite, out_csv=tmp_path / "again.csv", baseline=doctored,
                         plot=tmp_path / "plots2")
    assert code == 1
    assert "strings.smt2 (cvc5): solved before" in out
    assert "lying.smt2 (cvc5): wrong answer sat (expected unsat)" in out
    assert "median time" in out and "regressions against" in out
    scatter = (tmp_path / "plots2" / "scatter.png").read_bytes()      # run vs baseline
    assert scatter.startswith(b"\x89PNG") and len(scatter) > 5000

    # the same run against itself: no regression but the wrong answer
    cmp = compare(read_csv(str(tmp_path / "again.csv")), read_csv(str(tmp_path / "again.csv")))
    assert [r for r in cmp.regressions if "wrong answer" not in r] == []


def test_program_suites_follow_annotations(tmp_path: Path) -> None:
    code, _, err = bench(ROOT / "examples" / "vec" / "buggy", out_csv=tmp_path / "p.csv",
                         timeout=10.0)
    assert code == 0, err
    rows = read_csv(str(tmp_path / "p.csv"))
    assert all(r.result == "solved" for r in rows), [(r.problem, r.result, r.reason)
                                                     for r in rows if r.result != "solved"]
    # doctoring the annotations makes the program wrong
    src = tmp_path / "suite"
    src.mkdir()
    text = (ROOT / "examples" / "vec" / "buggy" / "swap.vec").read_text()
    (src / "swap.vec").write_text(text.replace("// expect: violated(postcondition)", ""))
    bench(src, out_csv=tmp_path / "w.csv")
    assert read_csv(str(tmp_path / "w.csv"))[0].result == "wrong"


def test_dask_executor_matches_a_local_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    suite = small_suite(tmp_path)
    bench(suite, out_csv=tmp_path / "local.csv", solvers=("cvc5", "python"))
    code, _, err = bench(suite, out_csv=tmp_path / "dask.csv", solvers=("cvc5", "python"),
                         executor="dask", jobs=2)
    assert code == 0, err

    def without_times(path: Path) -> list[tuple]:
        return [(r.suite, r.problem, r.solver, r.result, r.answer, r.expected)
                for r in read_csv(str(path))]

    assert without_times(tmp_path / "dask.csv") == without_times(tmp_path / "local.csv")


def test_malformed_annotation_is_an_input_error(tmp_path: Path) -> None:
    suite = tmp_path / "bad"
    suite.mkdir()
    (suite / "a.vec").write_text("fn f(x: int)\n  ensures x == x // expect: violated\n{\n}\n")
    code, out, err = bench(suite, out_csv=tmp_path / "x.csv")
    assert code == 3 and not (tmp_path / "x.csv").exists()
    assert err.strip() == (f"{suite / 'a.vec'}:2:18: error: malformed expect annotation: "
                           "expected items such as violated(overflow) or unknown(assert) "
                           "after 'expect:'")
