"""The combination strategies of the Python procedure against each other: `polite`, `hybrid`,
and `no` where it is sound (every element sort stably or effectively infinite).

Problems:
- the VCs of `.vec` examples with small element types (`benchmarks/combination/flags.vec`:
  vec<bool>, vec<u8>) and of the bundled `.vec` examples (Int elements);
- generated families that scale the number of element variables: `mixed-n` (n pairwise
  distinct (Seq Int) whose reads feed arithmetic, plus two distinct (Seq Bool)); `unint-n`
  (the same over an uninterpreted element sort); `int-n` (`mixed-n` without the Bool
  sequences, so that `no` is sound); `bv1-n-L` (n pairwise distinct length-L
  (Seq (_ BitVec 1)): sat iff n <= 2^L).

For each problem and strategy: the answer, the time (best of --repeat runs), the arranged
variables (summed over sorts), interface literals, arrangements tried and lemmas.  Answers of
the strategies must be identical where definite; the script exits 1 otherwise.

    python benchmarks/combination.py --out /tmp/comb.csv --table benchmarks/README.md
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRATEGIES = ("no", "polite", "hybrid")
BEGIN, END = "<!-- combination.py: begin -->", "<!-- combination.py: end -->"


@dataclass
class Problem:
    family: str
    name: str
    text: str


def mixed(n: int, elem: str = "Int", with_bool: bool = True) -> str:
    xs = [f"x{k}" for k in range(n)]
    head = "(declare-sort E 0)\n" if elem == "E" else ""
    link = (f"(assert (< 0 (+ {' '.join(f'(seq.nth {x} 0)' for x in xs)})))\n" if elem == "Int"
            else "".join(f"(assert (not (= (seq.nth {x} 0) e)))\n" for x in xs))
    decl_e = "(declare-fun e () E)\n" if elem == "E" else ""
    return ("(set-logic ALL)\n" + head + decl_e
            + "".join(f"(declare-fun {x} () (Seq {elem}))\n" for x in xs)
            + "".join(f"(assert (= (seq.len {x}) 2))\n" for x in xs)
            + f"(assert (distinct {' '.join(xs)}))\n" + link
            + ("(declare-fun b0 () (Seq Bool))\n(declare-fun b1 () (Seq Bool))\n"
               "(assert (= (seq.len b0) 1))\n(assert (= (seq.len b1) 1))\n"
               "(assert (not (= b0 b1)))\n" if with_bool else "") + "(check-sat)\n")


def distinct_bv1(n: int, length: int) -> str:
    xs = [f"x{k}" for k in range(n)]
    return ("(set-logic ALL)\n" + "".join(f"(declare-fun {x} () (Seq (_ BitVec 1)))\n"
                                          for x in xs)
            + "".join(f"(assert (= (seq.len {x}) {length}))\n" for x in xs)
            + f"(assert (distinct {' '.join(xs)}))\n(check-sat)\n")


def generated(sizes: list[int]) -> list[Problem]:
    out = [Problem("mixed", f"mixed-{n}", mixed(n)) for n in sizes]
    out += [Problem("unint", f"unint-{n}", mixed(n, "E")) for n in sizes]
    out += [Problem("int", f"int-{n}", mixed(n, with_bool=False)) for n in sizes]
    out += [Problem("bv1", f"bv1-{n}-{length}", distinct_bv1(n, length))
            for n, length in ((4, 2), (5, 2), (8, 3), (9, 3))]
    return out


def example_vcs(paths: list[Path]) -> list[Problem]:
    from vecverify.options import Options
    from vecverify.pipeline import compile_paths
    out = []
    for path in paths:
        compiled = compile_paths([str(path)], Options())
        for k, (vc, script) in enumerate(zip(compiled.vcs, compiled.scripts)):
            out.append(Problem(f"vc:{path.name}", f"{path.stem}#{k}:{vc.check.kind}",
                               script.text()))
    return out


def run(problem: Problem, strategy: str, timeout_s: float) -> dict:
    from vecverify.theories.seq import SeqSolver
    from vecverify.theories.smtlib import read_script
    from vecverify.theories.smtlib.queries import queries
    script = read_script(problem.text, problem.name)
    query = queries(script)[0]
    if query.unsupported:
        return {"status": "unknown", "reason": query.unsupported, "time_s": 0.0}
    start = time.perf_counter()
    out = SeqSolver(script.tm, timeout_s=timeout_s, combination=strategy).check(
        list(query.assertions), query.declared)
    spent = time.perf_counter() - start
    comb = out.stats.combination
    return {"status": out.status, "reason": out.reason, "time_s": spent,
            "arranged": comb.get("arranged", 0),
            "interface_literals": comb.get("interface_literals", 0),
            "arrangements_tried": comb.get("arrangements_tried", 0),
            "lemmas": sum(out.stats.lemmas.values())}


def measure(problems: list[Problem], timeout_s: float, repeat: int) -> list[dict]:
    rows = []
    for n, p in enumerate(problems, 1):
        for strategy in STRATEGIES:
            best = None
            for _ in range(repeat):
                r = run(p, strategy, timeout_s)
                if best is None or r["time_s"] < best["time_s"]:
                    best = r
                if r["status"] == "unknown" and r["reason"].startswith(("refused", "unsupported")):
                    break
            assert best is not None
            rows.append({"family": p.family, "problem": p.name, "strategy": strategy, **best})
        print(f"{n}/{len(problems)} {p.name}", file=sys.stderr)
    return rows


def disagreements(rows: list[dict]) -> list[str]:
    by: dict[str, dict[str, str]] = {}
    for r in rows:
        by.setdefault(r["problem"], {})[r["strategy"]] = r["status"]
    return [f"{p}: {a}" for p, a in by.items()
            if {"sat", "unsat"} <= set(a.values())]


def table(rows: list[dict]) -> str:
    """Per family: problems, answers, arranged variables and time per strategy, ratios."""
    fams: dict[str, dict[str, list[dict]]] = {}
    for r in rows:
        fams.setdefault(r["family"], {}).setdefault(r["strategy"], []).append(r)
    lines = ["| family | problems | answers (polite / hybrid / no) | arranged polite | "
             "arranged hybrid | ratio | time polite | time hybrid | time no | speed-up "
             "hybrid vs polite |",
             "|---|---|---|---|---|---|---|---|---|---|"]

    def answers(rs: list[dict]) -> str:
        c = {s: sum(r["status"] == s for r in rs) for s in ("sat", "unsat", "unknown")}
        refused = sum(r["reason"].startswith("refused") for r in rs)
        text = f"{c['sat']}s/{c['unsat']}u"
        if c["unknown"] - refused:
            text += f"/{c['unknown'] - refused}?"
        return text + (f" ({refused} refused)" if refused else "")

    for fam, by in fams.items():
        pol, hyb, no = by["polite"], by["hybrid"], by["no"]
        ap, ah = sum(r["arranged"] for r in pol), sum(r["arranged"] for r in hyb)
        tp, th = sum(r["time_s"] for r in pol), sum(r["time_s"] for r in hyb)
        sound_no = [r for r in no if not r["reason"].startswith("refused")]
        tn = f"{sum(r['time_s'] for r in sound_no):.2f}s" if sound_no else "refused"
        if sound_no and len(sound_no) < len(no):
            tn += f" ({len(sound_no)} sound)"
        lines.append(f"| {fam} | {len(pol)} | {answers(pol)} / {answers(hyb)} / "
                     f"{answers(no)} | {ap} | {ah} | {ap / max(ah, 1):.1f}x | {tp:.2f}s | "
                     f"{th:.2f}s | {tn} | {tp / max(th, 1e-9):.1f}x |")
    return "\n".join(lines)


def scaling(rows: list[dict], family: str) -> str:
    """One family problem by problem: how the gap grows with the number of variables."""
    by: dict[str, dict[str, dict]] = {}
    for r in rows:
        if r["family"] == family:
            by.setdefault(r["problem"], {})[r["strategy"]] = r
    lines = [f"| {family} problem | answer | arranged polite / hybrid | time polite | "
             "time hybrid | speed-up |", "|---|---|---|---|---|---|"]
    for name, s in by.items():
        p, h = s["polite"], s["hybrid"]
        lines.append(f"| {name} | {h['status']} | {p['arranged']} / {h['arranged']} | "
                     f"{p['time_s']:.3f}s | {h['time_s']:.3f}s | "
                     f"{p['time_s'] / max(h['time_s'], 1e-9):.1f}x |")
    return "\n".join(lines)


def write_readme(readme: Path, text: str) -> None:
    body = readme.read_text()
    start, end = body.index(BEGIN) + len(BEGIN), body.index(END)
    readme.write_text(body[:start] + "\n" + text + "\n" + body[end:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per problem")
    ap.add_argument("--repeat", type=int, default=3, help="runs per problem (best kept)")
    ap.add_argument("--sizes", default="4,8,12,16,20",
                    help="n of the generated mixed/unint families")
    ap.add_argument("--no-examples", action="store_true", help="generated families only")
    ap.add_argument("--out", help="write the raw results as CSV")
    ap.add_argument("--from-csv", help="do not run: summarize this CSV")
    ap.add_argument("--table", nargs="?", const="-", metavar="README",
                    help="print the markdown tables, or write them into README's section")
    args = ap.parse_args(argv)
    if args.from_csv:
        with open(args.from_csv) as fh:
            rows = [{**r, "time_s": float(r["time_s"]), "arranged": int(r["arranged"] or 0)}
                    for r in csv.DictReader(fh)]
    else:
        problems = generated([int(n) for n in args.sizes.split(",")])
        if not args.no_examples:
            paths = [ROOT / "benchmarks" / "combination" / "flags.vec"] + \
                sorted((ROOT / "examples" / "vec" / "correct").glob("*.vec"))
            problems = example_vcs(paths) + problems
        rows = measure(problems, args.timeout, args.repeat)
        if args.out:
            with open(args.out, "w", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]), extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
    fams = {r["family"] for r in rows}
    vc_rows = [dict(r, family="vc:examples/vec/correct") if r["family"].startswith("vc:")
               and r["family"] != "vc:flags.vec" else r for r in rows]
    text = table(vc_rows) + "\n\n" + "\n\n".join(
        scaling(rows, f) for f in ("mixed", "unint", "int") if f in fams)
    if args.table == "-":
        print(text)
    elif args.table:
        write_readme(Path(args.table), text)
    bad = disagreements(rows)
    for b in bad:
        print("different answers:", b, file=sys.stderr)
    ratios = [float(r["time_s"]) for r in rows if r["strategy"] == "hybrid"]
    print(f"{len(rows)} runs, median hybrid time {statistics.median(ratios):.3f}s",
          file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
