"""Concurrency: 2 and 4 real workers drain the same queue, on SQLite and on PostgreSQL.

Each task records each run of its code (`record_execution`), so "exactly once" is counted,
not inferred from statuses. `make test` drains 200 tasks; `scripts/reliability.py` prints the
figures for 1,000.
"""

import json
import subprocess
import sys

import pytest

TASKS = 200


@pytest.mark.parametrize("workers", [2, 4])
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_every_task_runs_exactly_once(request, tmp_path, database, workers):
    if database == "postgres":
        url = request.getfixturevalue("postgres").create_database(f"drain_{workers}")
    else:
        url = f"sqlite:///{tmp_path}/db.sqlite3"

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tasklab.drain",
            "--json",
            f"--tasks={TASKS}",
            f"--workers={workers}",
            f"--database-url={url}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["problems"] == []
    assert (report["ran_once"], report["runs"], report["left"]) == (TASKS, TASKS, 0)
    assert report["statuses"] == {"SUCCESSFUL": TASKS}
    assert report["exit_codes"] == [0] * workers
    assert report["locked_errors"] == 0
    assert sum(report["runs_per_worker"].values()) == TASKS
    assert report["database"].startswith({"sqlite": "SQLite", "postgres": "PostgreSQL"}[database])
