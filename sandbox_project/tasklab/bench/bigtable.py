"""A big results table: what finished results cost `db_worker`, and what keeps its claim cheap.

Users report a worker getting much slower once the results table holds hundreds of
thousands of finished rows. For each database and each number of finished results, a fresh
database gets that many SUCCESSFUL and FAILED rows in one `INSERT ... SELECT`, then one
worker drains new no-op tasks, in each state below, one after the other:

- "before": django-tasks-db's own indexes; the planner's statistics are those from before
  the insert (on PostgreSQL autovacuum is held off for the table, so that the figure does not
  depend on when it wakes up, as after a bulk load or a restore);
- "claim index": plus the sandbox's `tasks_claim_ready_idx` (accounts migration 0004),
  statistics still stale;
- "ANALYZE": without that index, after `ANALYZE` (what autovacuum does in time);
- then, on another fresh database of the same size, "pruned": after
  `prune_db_task_results --min-age-days 14 --queue-name '*'`, statistics still stale;
- "pruned + VACUUM": and after `VACUUM` (`VACUUM ANALYZE` on PostgreSQL).

Each state records the claim query's plan (`EXPLAIN`), the claim query's own time (the
fastest of a few runs in this process: other work on the machine can only slow a run down)
and the drain's cost per task. Each run is measured in a process of its own
(`python -m tasklab.bench.bigtable SPEC`), like `tasklab.bench.scenario`, on a copy of a
database migrated once.
"""

import json
import os
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..paths import VAR_DIR
from ..programs import ProgramProcess

DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Two runs per size, each on a fresh database: the fixes, then pruning (which deletes the rows).
RUNS = {"fixes": ("before", "claim index", "ANALYZE"), "pruning": ("pruned", "pruned + VACUUM")}
STATES = tuple(state for states in RUNS.values() for state in states)
DJANGO_TASKS_DB_INDEX = "tasks_db_new_ordering_idx"  # django-tasks-db's partial index on READY rows
CLAIM_INDEX_MIGRATION = "accounts.migrations.0004_task_claim_index"


@dataclass(frozen=True)
class Sizes:
    rows: tuple  # finished results already in the table
    tasks: int  # new tasks drained in each state
    claims: int = 25  # runs of the claim query timed in each state, the fastest kept

    def as_dict(self):
        return asdict(self)


FULL = Sizes(rows=(0, 10_000, 100_000, 300_000), tasks=1000)
QUICK = Sizes(rows=(0, 2_000), tasks=50, claims=5)


# -- in the measuring process (Django set up on one fresh database) -----------------------


def claim_queryset():
    """The query `db_worker` runs to claim a task (`Worker.run` in django_tasks_db's
    management/commands/db_worker.py), for the default backend and queue."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.ready().filter(backend_name="default").filter(queue_name__in=["default"])
    return tasks.select_for_update(skip_locked=True)[:1]  # what get_locked() runs, via first()


def explain():
    """The claim query's plan: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN
    on SQLite (what Django's QuerySet.explain() runs there)."""
    from django.db import connection, transaction

    with transaction.atomic():  # FOR UPDATE needs a transaction; nothing is changed
        if connection.vendor == "postgresql":
            return claim_queryset().explain(analyze=True, buffers=True)
        return claim_queryset().explain()


def plan_summary(plan):
    """The plan in a few stable words: which indexes it reads, whether it sorts, or scans."""
    words = []
    for index in re.findall(r"(?:Index Scan using|Bitmap Index Scan on|USING INDEX) (\w+)", plan):
        if index not in words:
            words.append(index)
    summary = "index " + " + ".join(words) if words else ""
    if re.search(r"Seq Scan|\bSCAN \w+$", plan, re.MULTILINE):
        summary = (summary + ", " if summary else "") + "reads the whole table"
    if re.search(r"Sort Key|TEMP B-TREE FOR ORDER BY", plan):
        summary += ", then sorts"
    return summary


def pages_read(plan):
    """PostgreSQL: the pages (8 kB) the claim touched, from the plan's first Buffers line."""
    found = re.search(r"Buffers: shared((?: \w+=\d+)+)", plan)
    return sum(int(n) for n in re.findall(r"=(\d+)", found[1])) if found else None


def claim_ms(runs):
    """The claim query's time in ms, the fastest of `runs` (each in a transaction, as the worker's)."""
    from django.db import transaction

    times = []
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            list(claim_queryset())
            times.append(time.perf_counter() - started)
    return 1000 * min(times)


def table_name():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult._meta.db_table


def sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def fill(rows, days_old=20):
    """Insert `rows` finished results (one in ten FAILED), `days_old` days old, in one statement."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import get_date_max

    if not rows:
        return
    when = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=days_old))
    never = connection.ops.adapt_datetimefield_value(get_date_max())
    if connection.vendor == "postgresql":
        new_id, series = "gen_random_uuid()", "generate_series(1, %s) AS s(i)"
        prefix = ""
    else:
        new_id, series = "lower(hex(randomblob(16)))", "s"
        prefix = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
    sql(
        f"{prefix}INSERT INTO {table_name()} (id, status, enqueued_at, started_at, finished_at, "
        "args_kwargs, priority, task_path, worker_ids, queue_name, backend_name, run_after, "
        "return_value, exception_class_path, traceback) "
        f"SELECT {new_id}, CASE WHEN i %% 10 = 0 THEN 'FAILED' ELSE 'SUCCESSFUL' END, %s, %s, %s, "
        """'{"args": [], "kwargs": {}}', 0, 'tasklab.bench.tasks.noop', '["earlier-worker"]', 'default', """
        f"'default', %s, 'null', '', '' FROM {series}",
        [rows, when, when, when, never] if prefix else [when, when, when, never, rows],
    )


def claim_index(add):
    """Add or remove the sandbox's claim index (accounts migration 0004) on this database."""
    import importlib

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    index = importlib.import_module(CLAIM_INDEX_MIGRATION).CLAIM_INDEX
    with connection.schema_editor() as editor:
        (editor.add_index if add else editor.remove_index)(DBTaskResult, index)


def enter(state):
    """Change the database from the state before `state` into it."""
    from django.core.management import call_command
    from django.db import connection

    table = table_name()
    if state == "claim index":
        claim_index(add=True)
    elif state == "ANALYZE":
        claim_index(add=False)
        sql(f"ANALYZE {table}")
    elif state == "pruned":
        call_command("prune_db_task_results", "--min-age-days", "14", "--queue-name", "*", verbosity=0)
    elif state == "pruned + VACUUM":
        sql(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "VACUUM")


def drain(tasks):
    """Enqueue `tasks` no-op tasks, drain them with one tuned worker; their cost per task."""
    from django_tasks_db.models import DBTaskResult

    from ..worker import Worker
    from .clients import _wait_until, start_all
    from .scenario import steady_rate
    from .tasks import noop

    handles = [noop.enqueue() for _ in range(tasks)]
    new = DBTaskResult.objects.filter(id__in=[handle.id for handle in handles])
    last = handles[-1]  # one worker takes them in order: the last one enqueued finishes last

    def finished():
        last.refresh()
        return last.is_finished

    [worker] = start_all([Worker(interval=0.1, worker_id="bigtable-1")])
    try:
        _wait_until(finished, 60 + tasks * 0.5, f"{tasks} tasks")
    finally:
        worker.stop()
    rows = list(new.values_list("status", "worker_ids", "started_at", "finished_at"))
    once = len(rows) == tasks and all(s == "SUCCESSFUL" and len(w) == 1 for s, w, _, _ in rows)
    figures = steady_rate([(start.timestamp(), end.timestamp()) for _, _, start, end in rows if end])
    new.delete()  # the next state starts with the same finished rows only
    return {"tasks": tasks, "exactly_once": once, **figures}


def measure_one(run, rows, sizes):
    """Fill a fresh, migrated database with `rows` finished results, then measure each state of `run`."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from .tasks import noop

    claim_index(add=False)  # "before" is django-tasks-db's indexes only
    if connection.vendor == "postgresql":
        sql(f"ALTER TABLE {table_name()} SET (autovacuum_enabled = false)")
    started = time.perf_counter()
    fill(rows)
    result = {"rows": rows, "fill_seconds": time.perf_counter() - started, "states": []}
    for state in RUNS[run]:
        enter(state)
        ready = noop.enqueue()  # one READY task for the claim to find
        plan = explain()
        figures = {"state": state, "plan": plan_summary(plan), "plan_text": plan, "pages": pages_read(plan)}
        figures["claim_ms"] = claim_ms(sizes.claims)
        DBTaskResult.objects.filter(id=ready.id).delete()
        figures["drain"] = drain(sizes.tasks)
        result["states"].append(figures)
        print(
            f"{connection.vendor}, {rows:,} rows, {state}: claim {figures['claim_ms']:.2f} ms, "
            f"{figures['drain']['per_task_ms']:.1f} ms per task ({figures['plan']})",
            flush=True,
        )
    return result


def main(argv):
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the worker too
    spec = json.loads(argv[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskdemo.settings")
    import django

    django.setup()
    result = measure_one(
        spec["run"], spec["rows"], Sizes(**{**spec["sizes"], "rows": tuple(spec["sizes"]["rows"])})
    )
    print("RESULT " + json.dumps(result), flush=True)


# -- in the process that runs the benchmark -------------------------------------------------


class Measurement(ProgramProcess):
    """`python -m tasklab.bench.bigtable SPEC`, never outliving the benchmark that started it."""

    what = "A big-table measurement"

    def __init__(self, spec, env, log_path):
        super().__init__(
            [sys.executable, "-m", "tasklab.bench.bigtable", json.dumps(spec)], log_path, env=env
        )

    def is_ready(self):
        return True

    def result(self):
        lines = [line for line in self.log().splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[-1][len("RESULT ") :]) if lines else None


def run(databases=tuple(DATABASES), sizes=FULL, *, workdir=None, echo=print):
    """Measure every size and state on `databases`; returns the figures as a dict."""
    import contextlib

    from .queues import _echo_new_lines

    workdir = Path(workdir or VAR_DIR / "bench" / "bigtable")
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "logs").mkdir(parents=True)
    figures = {"sizes": sizes.as_dict(), "databases": {}}
    with contextlib.ExitStack() as servers:
        postgres = None
        if "postgresql" in databases:
            from ..postgres import Postgres

            postgres = servers.enter_context(Postgres())
        for database in databases:
            results = figures["databases"][database] = {"label": DATABASES[database], "runs": []}
            fresh_copy = migrated_template(database, postgres, workdir)
            for rows in sizes.rows:
                for run_name in RUNS if rows else ["fixes"]:  # nothing to prune in an empty table
                    name = f"bigtable_{run_name}_{rows}"
                    env = {
                        "TASKLAB_DATABASE_URL": fresh_copy(name),
                        "TASKLAB_CONN_MAX_AGE": "60",
                        "TASKLAB_SQLITE_WAL": "1",
                        "TASKLAB_LOG_DIR": str(workdir / "logs"),
                    }
                    spec = {"run": run_name, "rows": rows, "sizes": sizes.as_dict()}
                    process = Measurement(spec, env, workdir / "logs" / f"{database}-{name}.log")
                    with process:
                        shown = 0
                        while process.running:
                            shown = _echo_new_lines(process, shown, echo)
                            time.sleep(0.2)
                        code = process.wait()
                    _echo_new_lines(process, shown, echo)
                    result = process.result()
                    if code != 0 or result is None:
                        result = {
                            "rows": rows,
                            "run": run_name,
                            "error": f"exited with code {code}: {process.log_tail(3)}",
                        }
                    results["runs"].append(result)
    return figures


def migrated_template(database, postgres, workdir):
    """Migrate one database of `database`'s kind, once; returns `fresh_copy(name)`, which copies
    it for each run and returns the copy's URL (migrating each run's database would take longer
    than the quick run's measurements)."""
    import subprocess

    from ..paths import SANDBOX_DIR

    if database == "postgresql":
        url = postgres.create_database("bigtable_template")
    else:
        url = f"sqlite:///{workdir / 'bigtable_template.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=SANDBOX_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k != "TASKLAB_QUEUE_DATABASE_URL"},
            "TASKLAB_DATABASE_URL": url,
            "TASKLAB_SQLITE_WAL": "0",  # one file to copy
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Migrating the big-table template failed:\n{done.stdout}{done.stderr}")

    def fresh_copy(name):
        if database == "postgresql":
            from psycopg import sql as pgsql

            with postgres.connect("postgres") as connection:
                connection.execute(
                    pgsql.SQL("CREATE DATABASE {} TEMPLATE bigtable_template").format(pgsql.Identifier(name))
                )
            return postgres.url_for(name)
        copy = workdir / f"{name}.sqlite3"
        shutil.copyfile(workdir / "bigtable_template.sqlite3", copy)
        return f"sqlite:///{copy}"

    return fresh_copy


def states(figures, database):
    """{state: {rows: figures}} for one database, from run()'s figures."""
    found = {}
    for result in figures["databases"].get(database, {}).get("runs", []):
        for state in result.get("states", []):
            found.setdefault(state["state"], {})[result["rows"]] = state
    return {state: found[state] for state in STATES if state in found}


def table(figures):
    """Cost per task (drain) and claim query time, by database, state and finished rows."""
    from .report import table as text_table

    rows_measured = list(figures["sizes"]["rows"])
    lines = []
    for database, result in figures["databases"].items():
        for state, by_rows in states(figures, database).items():
            cells = [
                f"{by_rows[n]['drain']['per_task_ms']:.1f} / {by_rows[n]['claim_ms']:.2f} ms"
                if n in by_rows
                else "-"
                for n in rows_measured
            ]
            lines.append([f"{result['label']}, {state}", *cells])
    errors = [
        f"{result['label']}, {run['rows']:,} rows: FAILED, {run['error']}"
        for result in figures["databases"].values()
        for run in result["runs"]
        if run.get("error")
    ]
    title = (
        f"A big results table: {figures['sizes']['tasks']:,} new tasks drained by 1 worker, "
        "ms per task / claim query ms"
    )
    headers = ["database, state", *[f"{n:,} finished" for n in rows_measured]]
    parts = [text_table(title, headers, lines)]
    pages = [
        [state, *[f"{by_rows[n]['pages']:,}" if n in by_rows else "-" for n in rows_measured]]
        for state, by_rows in states(figures, "postgresql").items()
        if all(s.get("pages") is not None for s in by_rows.values())
    ]
    if pages:
        title = "PostgreSQL: pages (8 kB) one claim reads, from EXPLAIN (ANALYZE, BUFFERS)"
        parts.append(text_table(title, ["state", *headers[1:]], pages))
    return "\n\n".join(parts + errors)


def conclusions(figures):
    """What the figures show, with a wide margin (5x), in words that do not change between runs."""
    said = []
    rows_measured = figures["sizes"]["rows"]
    smallest, largest = min(rows_measured), max(rows_measured)
    for database, result in figures["databases"].items():
        found = states(figures, database)
        empty = found.get("before", {}).get(smallest)
        for state, by_rows in found.items():
            big = by_rows.get(largest)
            if not (empty and big):
                continue
            slower = big["claim_ms"] > 5 * empty["claim_ms"]
            said.append(
                f"{result['label']}, {state}: the claim query is much slower with {largest:,} "
                f"finished rows than with none: {slower}"
            )
        big = found.get("before", {}).get(largest)
        if big:
            uses = big["plan"] == f"index {DJANGO_TASKS_DB_INDEX}"
            said.append(
                f"{result['label']}, before, {largest:,} rows: the claim reads only "
                f"django-tasks-db's index of READY rows: {uses}"
            )
        onces = [s["drain"]["exactly_once"] for by_rows in found.values() for s in by_rows.values()]
        if onces:
            said.append(f"{result['label']}: every task ran exactly once: {all(onces)}")
    return said


if __name__ == "__main__":
    main(sys.argv[1:])
