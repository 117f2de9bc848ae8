"""A hard time limit, enforced from outside: stop the worker of a task that runs too long.

`db_worker` has no time limit (no option, no timer in `Worker.run_task`), and a task stuck
in a call that never returns cannot check a deadline of its own. What is left is to stop
the process: SIGTERM first (db_worker then stops after its current task, which for a hung
task means never), and SIGKILL once `grace` seconds have passed. The killed task's row stays
RUNNING, with whatever it had already done: `tasklab.recovery` finds it and marks it FAILED.

    for line in stop_overdue(limit=600, grace=30):
        print(line)

It finds a worker's process from the card each toolkit worker leaves (`tasklab.registry`).
A project runs the same query from a timer (cron, a systemd timer) and asks its process
manager to signal the worker by its id, e.g. `systemctl kill --signal=SIGTERM db-worker@2`.
"""

import os
import signal
import time
from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone

from . import registry


def overdue(limit, backend="default"):
    """The rows of tasks RUNNING for longer than `limit` seconds, oldest first."""
    from django_tasks_db.models import DBTaskResult

    started_before = timezone.now() - timedelta(seconds=limit)
    return DBTaskResult.objects.filter(
        backend_name=backend, status=TaskResultStatus.RUNNING, started_at__lt=started_before
    ).order_by("started_at")


def stop_overdue(limit, grace=5.0, backend="default"):
    """SIGTERM the worker of each task RUNNING for longer than `limit` seconds; SIGKILL it if it
    still runs `grace` seconds later. Returns what it did, one line per task."""
    done = []
    for row in overdue(limit, backend):
        worker_id = row.worker_ids[-1]
        seconds = (timezone.now() - row.started_at).total_seconds()
        line = f"{row.task_name} {row.id}: RUNNING for {seconds:.1f} s, over the {limit:g} s limit; "
        card = registry.card(worker_id)
        if registry.state(worker_id) != registry.ALIVE:
            done.append(line + f"worker {worker_id!r} is not running here: left to the recovery sweep")
            continue
        pid = card["pid"]
        os.kill(pid, signal.SIGTERM)
        if _gone_within(pid, worker_id, grace):
            done.append(line + f"SIGTERM to worker {worker_id!r}, which stopped")
            continue
        os.kill(pid, signal.SIGKILL)
        _gone_within(pid, worker_id, 10.0)
        done.append(line + f"SIGTERM to worker {worker_id!r}, still running {grace:g} s later: SIGKILL")
    return done


def _gone_within(pid, worker_id, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not registry.runs_worker(pid, worker_id):
            return True
        time.sleep(0.05)
    return not registry.runs_worker(pid, worker_id)
