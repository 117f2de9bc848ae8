"""`python -m tasklab.bench` (what `make bench` runs): measure, print tables, write JSON and a chart."""

import argparse
import sys

from . import RESULTS_DIR, SYSTEMS, about, conclusions, measure, save, saved, tables
from .landscape import PREFIX as LANDSCAPE_PREFIX
from .queues import COSTS
from .systems import COST_SYSTEMS, FULL, KNOB_ROWS, QUICK


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tasklab.bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small runs that finish in a minute or two (figures are rougher)"
    )
    parser.add_argument(
        "--only",
        choices=["queues", "knobs", "tutorial", "bigtable", "landscape"],
        help="run one part only: the queues, lesson 16's PostgreSQL knobs and costs, the tutorial's "
        "own speed, a big results table, or the landscape's backends (lesson 25)",
    )
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated queue systems to measure (default: all of {', '.join(SYSTEMS)})",
    )
    parser.add_argument("--tasks", type=int, help="tasks per run, instead of the quick or full size")
    parser.add_argument("--output", default=str(RESULTS_DIR), help="folder for the JSON and the chart")
    args = parser.parse_args(argv)
    args.systems = [s for s in args.systems.split(",") if s]
    if args.only in ("queues", "landscape"):  # the reference systems, or the landscape's
        args.systems = [
            s for s in args.systems if s.startswith(LANDSCAPE_PREFIX) == (args.only == "landscape")
        ]
    if args.only == "knobs":
        args.systems = [*KNOB_ROWS, "celery"]
    unknown = [s for s in args.systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    return args


def landscape_page(figures, output):
    """The landscape's full feature matrix, and docs/backends.md written from it and the figures."""
    from pathlib import Path

    from ..landscape import matrix, page

    print("Running the landscape's checks (lesson 25's feature matrix, full sizes)", flush=True)
    cells = matrix.run(quick=False)
    saved_matrix = Path(output) / "landscape-matrix.json"
    matrix.save(cells, saved_matrix)
    return [saved_matrix, page.write(figures, cells)]


def main(argv):
    args = parse(argv)
    sizes = QUICK if args.quick else FULL
    figures = about(args.quick, sizes.with_tasks(args.tasks) if args.tasks else sizes)
    if args.only in (None, "queues", "knobs", "landscape"):
        print(
            f"Measuring the queues ({'quick' if args.quick else 'full'} run): {', '.join(args.systems)}",
            flush=True,
        )
        figures["queues"] = measure(
            args.systems,
            quick=args.quick,
            tasks=args.tasks,
            workdir=f"{args.output}/work",
            echo=lambda line: print(line, flush=True),
        )["queues"]
    if args.only in (None, "queues", "knobs"):
        print("Counting where a task's time goes, and what an idle worker costs", flush=True)
        figures["costs"] = measure(
            COST_SYSTEMS,
            quick=args.quick,
            tasks=args.tasks,
            measures=COSTS,
            workdir=f"{args.output}/work",
            echo=lambda line: print(line, flush=True),
        )["queues"]
    if args.only in (None, "bigtable"):
        from . import bigtable

        print("Measuring a big results table", flush=True)
        figures["bigtable"] = bigtable.run(
            sizes=bigtable.QUICK if args.quick else bigtable.FULL,
            workdir=f"{args.output}/bigtable",
            echo=lambda line: print(line, flush=True),
        )
    if args.only in (None, "tutorial"):
        from . import tutorial

        print("Timing the tutorial's own commands", flush=True)
        figures["tutorial"] = tutorial.run(quick=args.quick, echo=lambda line: print(line, flush=True))
    stem = "quick-results" if args.quick else "results"
    if args.only:  # keep the other half's figures from an earlier run
        earlier = saved(args.output, stem) or {}
        parts = ("queues", "costs", "tutorial", "bigtable")
        figures = {**{k: v for k, v in earlier.items() if k in parts}, **figures}
        if args.only in ("landscape", "knobs"):  # and the other systems' figures
            figures["queues"] = {**earlier.get("queues", {}), **figures["queues"]}
    paths = save(figures, args.output, stem=stem)
    if not args.quick and any(name.startswith(LANDSCAPE_PREFIX) for name in args.systems):
        paths += landscape_page(figures, args.output)
    print()
    print(tables(figures))
    if figures.get("queues") or figures.get("bigtable"):
        print("\nWhat the figures show:")
        print("\n".join(f"  - {line}" for line in conclusions(figures)))
    print("\nWritten: " + ", ".join(str(p) for p in paths))
    measured = [*figures.get("queues", {}).values(), *figures.get("costs", {}).values()]
    failed = [r["label"] for r in measured if r.get("error")]
    failed += [
        f"{r['label']}, {run['rows']:,} finished rows"
        for r in figures.get("bigtable", {}).get("databases", {}).values()
        for run in r["runs"]
        if run.get("error")
    ]
    failed += [s["step"] for s in figures.get("tutorial", {}).get("steps", []) if s["exit_code"] != 0]
    if failed:
        print("Not measured, or measured on a failing run: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
