"""Benchmarks: how fast is the tutorial, and how fast is django.tasks next to RQ and Celery.

    make bench            # every measure, several minutes; `make bench QUICK=1` for a small run
    python -m tasklab.bench --help

These are measurements, not tests: nothing here fails because a machine is slow. From a
notebook, measure a few systems in a quick form and show them:

    from tasklab import bench
    figures = bench.measure(["postgres-defaults", "postgres-tuned"])
    print(bench.tables(figures))
    bench.chart(figures)
"""

import json
import os
import platform
from dataclasses import replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from ..paths import VAR_DIR
from .queues import COSTS, MEASURES
from .report import conclusions, tables
from .systems import COST_SYSTEMS, FULL, KNOB_ROWS, QUICK, SYSTEMS, TUNING

RESULTS_DIR = VAR_DIR / "bench"

__all__ = [
    "COSTS",
    "COST_SYSTEMS",
    "FULL",
    "KNOB_ROWS",
    "QUICK",
    "RESULTS_DIR",
    "SYSTEMS",
    "TUNING",
    "chart",
    "conclusions",
    "measure",
    "save",
    "saved",
    "tables",
]


def measure(
    systems=tuple(SYSTEMS),
    *,
    quick=True,
    tasks=None,
    workers=None,
    repeats=None,
    samples=None,
    intervals=None,
    measures=MEASURES,
    workdir=None,
    echo=None,
):
    """Measure the queue `systems` (names in SYSTEMS); returns the figures as a dict.

    quick: small runs (QUICK) rather than the full ones (FULL); tasks: tasks per run instead;
    workers: the worker counts to drain with, e.g. [1, 2, 4, 8]; repeats: drain runs per
    worker count, the fastest kept (a lesson that compares systems takes the best of 3).
    samples: tasks timed per pickup latency; intervals: the --interval values that polling
    workers are timed at, e.g. [0.1] (a LISTEN/NOTIFY worker is timed at its own interval).
    measures: any of "enqueue", "drain", "latency", "growth"; or, on their own (they start
    PostgreSQL with pg_stat_statements), "breakdown" and "idle" (`tasklab.bench.costs`).
    """
    from . import queues

    unknown = [name for name in systems if name not in SYSTEMS]
    if unknown:
        raise ValueError(
            f"No system named {', '.join(map(repr, unknown))}; choose from: {', '.join(SYSTEMS)}."
        )
    sizes = QUICK if quick else FULL
    if tasks:
        sizes = sizes.with_tasks(tasks)
    if workers:
        sizes = replace(sizes, workers=tuple(workers))
    if repeats:
        sizes = replace(sizes, repeats=repeats)
    if samples:
        sizes = replace(sizes, latency_samples=samples)
    if intervals:
        sizes = replace(sizes, intervals=tuple(intervals))
    if workdir is None and os.environ.get("TASKLAB_LOG_DIR"):
        workdir = Path(os.environ["TASKLAB_LOG_DIR"]).parent / "bench"
    return {**about(quick, sizes), "queues": queues.run(systems, sizes, measures, workdir=workdir, echo=echo)}


def about(quick, sizes):
    """When, where and with what the figures were measured."""
    versions = {}
    from ..landscape.candidates import kept

    landscape = tuple(c.name for c in kept())
    for package in ("django", "django-tasks-db", "django-tasks-rq", "rq", "celery", "psycopg", *landscape):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": quick,
        "sizes": sizes.as_dict(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "packages": versions,
        },
    }


def chart(figures, title=None):
    from .plotting import plot

    return plot(figures.get("queues", {}), title=title, bigtable=figures.get("bigtable"))


def save(figures, directory=RESULTS_DIR, stem="results"):
    """Write `<stem>.json` and, when there are queue or big-table figures, `<stem>.png`; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{stem}.json"]
    paths[0].write_text(json.dumps(figures, indent=2) + "\n")
    if figures.get("queues") or figures.get("bigtable"):
        paths.append(directory / f"{stem}.png")
        chart(
            figures, title=f"django.tasks and its peers on {figures.get('machine', {}).get('cpus')} CPU cores"
        ).savefig(paths[1], dpi=110)
    return paths


def saved(directory=RESULTS_DIR, stem="results"):
    """The figures of the last full `make bench`, or None if it has not been run here."""
    path = Path(directory) / f"{stem}.json"
    return json.loads(path.read_text()) if path.exists() else None
