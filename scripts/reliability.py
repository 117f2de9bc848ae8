"""Reliability figures, full size: what `make test` checks on a smaller scale.

1. Concurrency: 2 and 4 real workers drain 1,000 tasks on SQLite and on PostgreSQL; each
   task counts its own runs, so "exactly once" is counted, not inferred.
2. Orphans: 20 times, a Jupyter kernel starts a worker and a server and is killed (SIGKILL);
   how long do they outlive it (limit: 2 s)?

    make reliability       # or: .venv/bin/python scripts/reliability.py [--tasks N] [--kills N]

Exits 1 if anything was not exactly once, or anything outlived its kernel.
"""

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from kernel_orphans import LIMIT, kill_kernel_once, remove_lab  # noqa: E402
from tasklab.drain import DrainReport  # noqa: E402
from tasklab.postgres import INSTALL, Postgres, PostgresNotInstalled  # noqa: E402


def drain(tasks, workers, url=None):
    command = [sys.executable, "-m", "tasklab.drain", "--json", f"--tasks={tasks}", f"--workers={workers}"]
    done = subprocess.run(
        [*command, *([f"--database-url={url}"] if url else [])], capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        sys.exit(f"The drain itself failed:\n{done.stderr}")
    fields = {f.name for f in dataclasses.fields(DrainReport)}
    return DrainReport(**{k: v for k, v in json.loads(done.stdout).items() if k in fields})


def concurrency(tasks):
    print(f"== Concurrency: {tasks:,} tasks, each counting its own runs ==")
    reports = []
    for workers in (2, 4):
        reports.append(drain(tasks, workers))
        print(reports[-1])
    try:
        pg = Postgres()
    except PostgresNotInstalled:
        print(f"PostgreSQL skipped: not installed. Install it with: {INSTALL}")
        return not any(r.problems() for r in reports) and os.environ.get("CI") != "true"
    with pg:
        for workers in (2, 4):
            reports.append(drain(tasks, workers, pg.create_database(f"drain_{workers}")))
            print(reports[-1])
    return not any(r.problems() for r in reports)


def orphans(kills):
    print(f"\n== Orphans: {kills} Jupyter kernels killed while running a worker and a server ==")
    results = []
    try:
        for _ in range(kills):
            results.append(kill_kernel_once())
            print(".", end="", flush=True)
    finally:
        remove_lab()
    seconds = [r.seconds for r in results]
    left = sum(len(r.left) for r in results)
    children = sum(len(r.children) for r in results)
    print(
        f"\n{kills} kills, {children} child processes, {left} orphans after {LIMIT:g} s. "
        f"Children gone after: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s."
    )
    return left == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    options = parser.parse_args()
    ok = concurrency(options.tasks)
    ok = orphans(options.kills) and ok
    print("\nAll good." if ok else "\nProblems found (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
