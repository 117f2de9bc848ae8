"""`db_worker_listen` (the sandbox's `tasknotify` app): db_worker woken by PostgreSQL's NOTIFY.

One PostgreSQL lab in one subprocess runs every scenario (a server and workers cost seconds
on a busy machine); each test reads its part of the report. No assertion is about speed:
a worker with `--interval 60` that runs a task within 20 s can only have been woken.
"""

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tasklab.paths import VAR_DIR

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox_project"

SCENARIOS = """
import json, os, signal, subprocess, sys, time
import tasklab

lab = tasklab.setup(sys.argv[1], database="postgresql", quiet=True)
from django.db import connection
from accounts.models import TaskExecution
from accounts.tasks import add, record_execution, slow_task
from tasknotify import trigger

report = {}


def finished(result, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.refresh()
        if result.is_finished:
            return result.status
        time.sleep(0.05)
    result.refresh()
    return result.status


# Woken: a worker that would poll again in 60 s runs a new task at once.
listener = tasklab.Worker(listen=True, interval=60, worker_id="listener").start()
report["warm_up"] = finished(add.enqueue(1, 1), 20)
time.sleep(0.5)  # the worker is back in its wait, with 60 s to go
report["woken"] = finished(add.enqueue(2, 2), 20)

# Busy: a task enqueued while the worker runs another is run right after it.
busy = slow_task.enqueue(1.0)
while busy.status == "READY":
    time.sleep(0.02)
    busy.refresh()
queued_meanwhile = add.enqueue(3, 3)
report["busy"] = [finished(busy, 20), finished(queued_meanwhile, 20)]

# Stopped while waiting for a notification: exit code 0, not killed after stop()'s 10 s.
time.sleep(0.5)
report["stopped"] = listener.stop()
report["graceful"] = "shutting down gracefully" in listener.log()

# Missed: with the trigger off, no NOTIFY comes; the interval still finds the task.
trigger.set_enabled(connection, False)
fallback = tasklab.Worker(listen=True, interval=1, worker_id="fallback").start()
time.sleep(0.5)
report["missed"] = finished(add.enqueue(4, 4), 20)
fallback.stop()
trigger.set_enabled(connection, True)

# Two workers on 100 tasks: each runs exactly once.
workers = [tasklab.Worker(listen=True, interval=60, worker_id=f"pair-{n}").start() for n in (1, 2)]
results = [record_execution.enqueue() for _ in range(100)]
report["pair"] = sorted({finished(r, 60) for r in results})
report["runs"] = TaskExecution.objects.count()
report["ran_once"] = TaskExecution.objects.values("task_id").distinct().count()
report["pair_codes"] = [w.stop() for w in workers]

# Without the toolkit (no tasklab.guarded): `manage.py db_worker_listen` in a terminal.
plain = subprocess.Popen(
    [sys.executable, "manage.py", "db_worker_listen", "--interval=60", "--no-reload"],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
)
try:
    report["plain_started"] = "Starting worker" in plain.stdout.readline()
    time.sleep(0.5)
    plain.send_signal(signal.SIGTERM)
    report["plain_stopped"] = plain.wait(10)
finally:
    plain.kill()
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def report():
    lab_name = f"listen-{uuid.uuid4().hex[:8]}"
    try:
        run = subprocess.run(
            [sys.executable, "-c", SCENARIOS, lab_name],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=SANDBOX,
        )
    finally:
        shutil.rmtree(VAR_DIR / "notebooks" / lab_name, ignore_errors=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


def test_a_notification_wakes_the_worker_long_before_its_interval(report):
    assert report["warm_up"] == "SUCCESSFUL"
    assert report["woken"] == "SUCCESSFUL"


def test_a_task_enqueued_while_the_worker_is_busy_runs_after_the_current_one(report):
    assert report["busy"] == ["SUCCESSFUL", "SUCCESSFUL"]


def test_a_missed_notification_waits_for_the_interval_not_forever(report):
    assert report["missed"] == "SUCCESSFUL"


def test_a_stop_signal_ends_the_wait_for_a_notification(report):
    assert (report["stopped"], report["graceful"]) == (0, True)
    assert report["plain_started"] and report["plain_stopped"] == 0


def test_two_listening_workers_run_every_task_exactly_once(report):
    assert report["pair"] == ["SUCCESSFUL"]
    assert (report["runs"], report["ran_once"]) == (100, 100)
    assert report["pair_codes"] == [0, 0]


def test_it_refuses_sqlite_and_says_what_to_run_instead(django_db_setup):
    with pytest.raises(CommandError, match=r"which is sqlite\. Run `python manage.py db_worker`"):
        call_command("db_worker_listen", "--no-reload", "--interval=60")


def test_the_migration_adds_no_trigger_on_sqlite(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert cursor.fetchone()[0] == 0
