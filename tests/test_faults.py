"""Faults: what SIGTERM, two signals and SIGKILL do to a running task, and recovering from SIGKILL.

Each task here is `record_execution`, which writes one `TaskExecution` row per run: the
tests count runs, not statuses.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

import tasklab
from accounts.models import TaskExecution
from accounts.tasks import add, record_execution
from tasklab import registry
from tasklab.paths import SANDBOX_DIR
from tasklab.recovery import WorkerLost, find_stuck, recover

pytestmark = pytest.mark.django_db(transaction=True)


def runs_of(result):
    return TaskExecution.objects.filter(task_id=result.id).count()


def wait_until(condition, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def started(result):
    """The task's code is running: its execution row exists (RUNNING is set just before)."""
    return lambda: runs_of(result) == 1


def killed_mid_task(seconds):
    """A task whose worker was SIGKILLed while running it; returns (result, worker)."""
    worker = tasklab.Worker().start()
    result = record_execution.enqueue(seconds=seconds)
    wait_until(started(result), "the task started")
    worker.signal(signal.SIGKILL)
    worker.wait(timeout=10)
    return result, worker


def test_sigterm_mid_task_lets_it_finish_exactly_once():
    worker = tasklab.Worker().start()
    result = record_execution.enqueue(seconds=1.0)
    wait_until(started(result), "the task started")

    worker.signal(signal.SIGTERM)

    assert worker.wait(timeout=20) == 0
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert runs_of(result) == 1
    assert "Received Terminated - shutting down gracefully" in worker.log()


def test_a_second_signal_fails_the_running_task():
    worker = tasklab.Worker().start()
    result = record_execution.enqueue(seconds=30)
    wait_until(started(result), "the task started")

    worker.signal(signal.SIGTERM)
    wait_until(lambda: "shutting down gracefully" in worker.log(), "the worker heard the first")
    worker.signal(signal.SIGTERM)
    worker.wait(timeout=20)

    result.refresh()
    assert result.status.name == "FAILED"
    assert result.errors[0].exception_class is SystemExit
    assert "Received Terminated - terminating current task." in worker.log()
    assert runs_of(result) == 1


def test_sigkill_leaves_the_task_running_and_nothing_reclaims_it():
    result, dead = killed_mid_task(seconds=30)

    with tasklab.Worker() as other:  # a healthy worker runs new tasks, never the stuck one
        tasklab.watch(add.enqueue(1, 2), timeout=20)
        result.refresh()
        assert result.status.name == "RUNNING"
        assert result.worker_ids == [dead.worker_id]
        assert registry.state(dead.worker_id) == registry.GONE
        assert registry.state(other.worker_id) == registry.ALIVE


def test_recovery_finds_only_tasks_whose_worker_is_gone_and_older_than_the_threshold():
    lost, dead = killed_mid_task(seconds=30)
    with tasklab.Worker() as alive:
        busy = record_execution.enqueue(seconds=30)
        wait_until(started(busy), "the live worker's task started")

        stuck = find_stuck(older_than=0)

        assert [s.result.id for s in stuck] == [lost.id]
        assert (stuck[0].worker_id, stuck[0].worker_state) == (dead.worker_id, "gone")
        assert f"worker {dead.worker_id!r} gone" in str(stuck[0])
        assert find_stuck(older_than=3600) == []
        alive.stop(timeout=0.5)


def test_recover_requeue_runs_the_task_again_and_fails_the_lost_attempt():
    lost, dead = killed_mid_task(seconds=2)
    [stuck] = find_stuck(older_than=0)

    [recovery] = recover(stuck, action="requeue")

    assert recovery.new.id != lost.id
    assert (recovery.new.status.name, recovery.new.kwargs) == ("READY", {"seconds": 2})
    lost.refresh()
    assert lost.status.name == "FAILED"
    [error] = lost.errors
    assert error.exception_class is WorkerLost
    assert f"Worker {dead.worker_id!r} was gone" in error.traceback
    assert f"Re-enqueued as {recovery.new.id}." in error.traceback

    with tasklab.Worker():
        assert tasklab.watch(recovery.new, timeout=30).summary() == "READY -> RUNNING -> SUCCESSFUL"
    # At least once, not exactly once: the lost attempt had started the work.
    assert (runs_of(lost), runs_of(recovery.new)) == (1, 1)
    assert recover(stuck, action="requeue") == []  # already recovered: left alone
    assert find_stuck(older_than=0) == []


def test_recover_fail_marks_it_failed_and_runs_nothing():
    from django_tasks_db.models import DBTaskResult

    lost, dead = killed_mid_task(seconds=30)

    [recovery] = recover(find_stuck(older_than=0), action="fail")

    assert recovery.new is None
    lost.refresh()
    assert lost.status.name == "FAILED"
    assert lost.errors[0].exception_class is WorkerLost
    assert "recovered with action='fail'" in lost.errors[0].traceback
    assert DBTaskResult.objects.count() == 1
    assert runs_of(lost) == 1


def test_a_worker_the_toolkit_did_not_start_counts_only_when_asked():
    """A plain `manage.py db_worker` (e.g. `make worker`) leaves no card: alive or not is unknown."""
    plain = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.1",
            "--worker-id=plain-worker",
        ],
        cwd=SANDBOX_DIR,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = record_execution.enqueue(seconds=30)
        wait_until(started(result), "the task started")
    finally:
        plain.kill()
        plain.wait()

    assert find_stuck(older_than=0) == []
    [stuck] = find_stuck(older_than=0, include_unknown=True)
    assert (stuck.result.id, stuck.worker_id, stuck.worker_state) == (result.id, "plain-worker", "unknown")
