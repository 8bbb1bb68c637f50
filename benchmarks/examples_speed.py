"""Time every bundled example per phase: parsing+lowering, VC generation, encoding, solving.

Usage: python benchmarks/examples_speed.py [-j 2] [--timeout 10] [--markdown]

Targets (issues #3, #4): everything but solc and the solver is at most 10 % of the total, and
the `.vec` example set verifies in under 60 s with -j 2 on a 2-core machine.  Issue #12:
replaying counterexamples (on the EVM for Solidity) costs at most 20 % of a run.  solc output is
cached per (source hash, compiler version), so a second run does not call solc (the "solc s"
column is then ~0).  Prints a table (markdown with
--markdown, for benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from vecverify.options import Options
from vecverify.pipeline import verify_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = (sorted((ROOT / "examples" / "vec").rglob("*.vec"))
            + sorted((ROOT / "examples" / "solidity").rglob("*.sol")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    wall0 = time.perf_counter()
    for path in EXAMPLES:
        t0 = time.perf_counter()
        report = verify_paths([str(path)], Options(args.timeout, args.jobs))
        total = time.perf_counter() - t0
        s = report.stats
        replay = float(s.get("replay_s", 0.0))        # part of validate_s
        front = s["parse_s"] + s["vcgen_s"] + s["encode_s"] + s["validate_s"] - replay
        solc = float(s.get("solc_s", 0.0))
        rest = total - solc
        rows.append((f"{path.parent.name}/{path.name}", len(report.diagnostics), solc,
                     s["parse_s"], s["vcgen_s"], s["encode_s"], s["solve_s"],
                     s["validate_s"] - replay, total, 100.0 * front / rest if rest else 0.0,
                     replay))
    wall = time.perf_counter() - wall0
    head = ("program", "checks", "solc s", "parse+lower s", "vcgen s", "encode s",
            "solver s", "cex check s", "total s", "non-solver %", "replay s")
    fmt = "| " + " | ".join(["{}"] * len(head)) + " |"
    out = [fmt.format(*head), "|" + "---|" * len(head)] if args.markdown else [
        "  ".join(f"{h:>13}" for h in head)]
    for r in rows:
        cells = [r[0], str(r[1])] + [f"{x:.3f}" for x in r[2:9]] + [f"{r[9]:.1f}",
                                                                     f"{r[10]:.3f}"]
        out.append(fmt.format(*cells) if args.markdown else "  ".join(f"{c:>13}" for c in cells))
    front_all = sum(r[3] + r[4] + r[5] + r[7] for r in rows)
    total_all = sum(r[8] - r[2] for r in rows)
    out.append("")
    out.append(f"{len(rows)} programs, {sum(r[1] for r in rows)} checks, wall {wall:.1f} s "
               f"with -j {args.jobs}; non-solver share {100 * front_all / total_all:.1f} %")
    # replaying counterexamples (EVM for .sol, the interpreter for .vec): target <= 20 %
    for ext in (".vec", ".sol"):
        part = [r for r in rows if r[0].endswith(ext)]
        spent = sum(r[10] for r in part)
        whole = sum(r[8] for r in part)
        out.append(f"replay share {ext}: {spent:.2f} s of {whole:.1f} s "
                   f"({100 * spent / whole if whole else 0:.1f} %)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
