"""Drain many tasks with several real workers and count what really ran: the exactly-once check.

A task's status tells how its last attempt ended, not how many times its code ran. Each task
here is `accounts.tasks.record_execution`, which writes one `TaskExecution` row per run, so
the report counts runs per task: a duplicate shows as two rows, a lost task as none.

    python -m tasklab.drain --tasks 1000 --workers 4 [--database-url URL] [--json]

Without --database-url it uses a fresh SQLite file in a temporary folder. The database is
migrated first and must hold no tasks yet.
"""

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

# How long the queue may make no progress at all before the drain gives up.
STALL_TIMEOUT = 60.0
ENQUEUE_BATCH = 50


@dataclass
class DrainReport:
    database: str
    tasks: int
    workers: int
    seconds: float
    statuses: dict
    runs: int  # TaskExecution rows in all
    ran_once: int  # tasks whose code ran exactly once
    duplicated: int  # tasks whose code ran more than once
    never_ran: int
    unexpected: int  # runs of a task id that was never enqueued
    left: int  # tasks still READY or RUNNING
    exit_codes: list
    locked_errors: int  # "database is locked" in a worker's log or a task's error
    tracebacks: int  # tracebacks in the workers' logs
    runs_per_worker: dict = field(default_factory=dict)

    @property
    def rate(self):
        return self.tasks / self.seconds if self.seconds else float("inf")

    def problems(self):
        """Everything that is not exactly once, cleanly: empty when all went well."""
        checks = [
            (self.ran_once == self.tasks, f"{self.tasks - self.ran_once} tasks did not run exactly once"),
            (self.duplicated == 0, f"{self.duplicated} tasks ran more than once"),
            (self.never_ran == 0, f"{self.never_ran} tasks never ran"),
            (self.unexpected == 0, f"{self.unexpected} runs of tasks that were never enqueued"),
            (self.left == 0, f"{self.left} tasks left READY or RUNNING"),
            (self.statuses == {"SUCCESSFUL": self.tasks}, f"statuses {self.statuses}"),
            (all(code == 0 for code in self.exit_codes), f"worker exit codes {self.exit_codes}"),
            (self.locked_errors == 0, f"{self.locked_errors} unhandled 'database is locked'"),
            (self.tracebacks == 0, f"{self.tracebacks} tracebacks in the workers' logs"),
        ]
        return [message for ok, message in checks if not ok]

    def __str__(self):
        verdict = "exactly once" if not self.problems() else "; ".join(self.problems())
        return (
            f"{self.database:<17} {self.workers} workers {self.tasks:>6} tasks "
            f"{self.seconds:6.1f} s {self.rate:6.0f} tasks/s  runs {self.runs} "
            f"({'/'.join(map(str, self.runs_per_worker.values()))})  {verdict}"
        )


def drain(tasks=1000, workers=2, *, interval=0.1):
    """Start `workers` workers, enqueue `tasks` tasks while they run, wait, and count.

    Django must already be set up on a migrated database that holds no tasks.
    """
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from accounts.models import TaskExecution
    from accounts.tasks import record_execution

    from .worker import Worker

    if DBTaskResult.objects.exists() or TaskExecution.objects.exists():
        raise RuntimeError("drain() needs a database with no tasks in it yet.")
    pool = [Worker(worker_id=f"drain-{n}", interval=interval) for n in range(1, workers + 1)]
    with ThreadPoolExecutor(workers) as starting:
        list(starting.map(lambda worker: worker.start(), pool))
    try:
        started = time.monotonic()
        ids = set()
        for first in range(0, tasks, ENQUEUE_BATCH):
            with transaction.atomic():
                for _ in range(min(ENQUEUE_BATCH, tasks - first)):
                    ids.add(record_execution.enqueue().id)
        _wait_until_drained(DBTaskResult)
        seconds = time.monotonic() - started
    finally:
        exit_codes = [worker.stop() for worker in pool]

    runs = Counter(str(task_id) for task_id in TaskExecution.objects.values_list("task_id", flat=True))
    logs = [worker.log() for worker in pool]
    failed_errors = DBTaskResult.objects.failed().values_list("traceback", flat=True)
    return DrainReport(
        database=_describe(connection),
        tasks=tasks,
        workers=workers,
        seconds=round(seconds, 3),
        statuses=dict(Counter(DBTaskResult.objects.values_list("status", flat=True))),
        runs=sum(runs.values()),
        ran_once=sum(1 for task_id in ids if runs[task_id] == 1),
        duplicated=sum(1 for task_id in ids if runs[task_id] > 1),
        never_ran=sum(1 for task_id in ids if runs[task_id] == 0),
        unexpected=sum(n for task_id, n in runs.items() if task_id not in ids),
        left=DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
        exit_codes=exit_codes,
        locked_errors=sum(text.count("database is locked") for text in [*logs, *failed_errors]),
        tracebacks=sum(log.count("Traceback (most recent call last)") for log in logs),
        runs_per_worker=dict(
            sorted(Counter(TaskExecution.objects.values_list("worker_id", flat=True)).items())
        ),
    )


def _wait_until_drained(DBTaskResult):
    unfinished = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    last, last_change = None, time.monotonic()
    while (left := unfinished.count()) > 0:
        if left != last:
            last, last_change = left, time.monotonic()
        elif time.monotonic() - last_change > STALL_TIMEOUT:
            raise TimeoutError(f"{left} tasks made no progress for {STALL_TIMEOUT:.0f} s")
        time.sleep(0.05)


def _describe(connection):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        return f"SQLite ({mode.upper()})"
    return (
        f"PostgreSQL {connection.pg_version // 10000}"
        if connection.vendor == "postgresql"
        else connection.vendor
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tasklab.drain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tasklab-drain-") as folder:
        os.environ["TASKLAB_DATABASE_URL"] = options.database_url or f"sqlite:///{folder}/db.sqlite3"
        os.environ["TASKLAB_LOG_DIR"] = f"{folder}/logs"
        os.environ["DJANGO_SETTINGS_MODULE"] = "taskdemo.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        report = drain(options.tasks, options.workers)
    if options.json:
        print(json.dumps({**asdict(report), "rate": report.rate, "problems": report.problems()}))
    else:
        print(report)
    return 0 if not report.problems() else 1


if __name__ == "__main__":
    raise SystemExit(main())
