"""The figures of a campaign, as in the sequences paper: a cactus plot (problems solved
against time, one line per solver or run) and a scatter plot (time per problem, two solvers or
two runs against each other, log scales, unsolved problems on the border at the time limit).
matplotlib draws off screen (Agg)."""
from __future__ import annotations

import os

from .runner import Row


def _series(rows: list[Row], label_of) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[float]] = {}
    for r in rows:
        out.setdefault(label_of(r), [])
        if r.result == "solved":
            out[label_of(r)].append(max(r.time_s, 1e-3))
    return out


def cactus(rows: list[Row], path: str, baseline: list[Row] | None = None) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series = _series(rows, lambda r: r.solver)
    if baseline:
        series.update(_series(baseline, lambda r: f"{r.solver} (baseline)"))
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, times in sorted(series.items()):
        times = sorted(times)
        ax.step(range(1, len(times) + 1), times, where="post", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("problems solved")
    ax.set_ylabel("time per problem (s)")
    ax.set_title("cactus plot")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def scatter(rows: list[Row], path: str, timeout_s: float,
            baseline: list[Row] | None = None) -> str | None:
    """Two solvers of this run against each other, else this run against the baseline (first
    solver); None when there are not two sides to compare."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    solvers = sorted({r.solver for r in rows})
    if len(solvers) >= 2:
        a_rows = [r for r in rows if r.solver == solvers[0]]
        b_rows = [r for r in rows if r.solver == solvers[1]]
        labels = (solvers[0], solvers[1])
    elif baseline:
        a_rows = [r for r in baseline if r.solver == solvers[0]]
        b_rows = [r for r in rows if r.solver == solvers[0]]
        labels = (f"{solvers[0]} (baseline)", f"{solvers[0]} (this run)")
    else:
        return None

    def times(rs: list[Row]) -> dict[tuple[str, str], float]:
        return {(r.suite, r.problem): (max(r.time_s, 1e-3) if r.result == "solved"
                                       else timeout_s) for r in rs}

    ta, tb = times(a_rows), times(b_rows)
    keys = sorted(set(ta) & set(tb))
    if not keys:
        return None
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.scatter([ta[k] for k in keys], [tb[k] for k in keys], s=12, alpha=0.7)
    lo, hi = 1e-3, timeout_s * 1.2
    ax.plot([lo, hi], [lo, hi], color="grey", linewidth=0.8)
    ax.axvline(timeout_s, color="red", linewidth=0.6, linestyle="--")
    ax.axhline(timeout_s, color="red", linewidth=0.6, linestyle="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"{labels[0]} time (s)")
    ax.set_ylabel(f"{labels[1]} time (s)")
    ax.set_title("time per problem (unsolved on the dashed border)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_plots(rows: list[Row], directory: str, timeout_s: float,
                baseline: list[Row] | None = None) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    written = [os.path.join(directory, "cactus.png")]
    cactus(rows, written[0], baseline)
    sc = scatter(rows, os.path.join(directory, "scatter.png"), timeout_s, baseline)
    if sc:
        written.append(sc)
    return written
