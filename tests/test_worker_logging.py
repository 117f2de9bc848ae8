"""What a real `db_worker` logs: under DEBUG, in production without and with LOGGING, at each
`--verbosity`, and how it recycles itself with `--max-tasks` (lesson 15)."""

import pytest
from django_tasks_db.models import DBTaskResult

import tasklab
from accounts.tasks import add, sync_exchange_rates

PRODUCTION = {"TASKLAB_DEBUG": "0"}
WITH_LOGGING = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "taskdemo.settings_logging"}


def logged(worker):
    """Run sync_exchange_rates (a failed attempt, then its retry) on `worker`; its log."""
    with worker:
        first = sync_exchange_rates.enqueue(failures=1, max_attempts=2)
        tasklab.watch(first, timeout=20)
        retry = (
            DBTaskResult.objects.filter(task_path=first.task.module_path).latest("enqueued_at").task_result
        )
        tasklab.watch(retry, timeout=20)
    assert (first.status, retry.status) == ("FAILED", "SUCCESSFUL")
    return worker.log()


def test_under_debug_the_worker_logs_every_task(transactional_db):
    log = logged(tasklab.Worker())

    assert log.count("path=accounts.tasks.sync_exchange_rates state=RUNNING") == 2
    assert "state=FAILED" in log and "ServiceUnavailable: rates service unavailable" in log


def test_without_debug_and_logging_the_worker_logs_none_of_its_tasks(transactional_db):
    log = logged(tasklab.Worker(env=PRODUCTION))

    assert "Starting worker worker_id=" in log
    assert "Task id=" not in log and "ServiceUnavailable" not in log


def test_the_sandbox_logging_setting_brings_every_line_back_formatted(transactional_db):
    log = logged(tasklab.Worker(env=WITH_LOGGING))

    assert " INFO [django_tasks_db] Starting worker worker_id=" in log
    assert log.count(" INFO [django.tasks] Task id=") == 3  # RUNNING, RUNNING, SUCCESSFUL
    assert " ERROR [django.tasks] Task id=" in log and "state=FAILED" in log
    assert "ServiceUnavailable: rates service unavailable (attempt 1)" in log
    assert " DEBUG " not in log


@pytest.mark.parametrize("verbosity, debug_lines, task_lines", [(2, 1, 4), (0, 0, 0)])
def test_verbosity_sets_the_level_whatever_logging_says(transactional_db, verbosity, debug_lines, task_lines):
    log = logged(tasklab.Worker(env=WITH_LOGGING, verbosity=verbosity))

    assert log.count(" DEBUG [django.tasks] ") == debug_lines
    assert log.count("path=accounts.tasks.sync_exchange_rates state=") == task_lines
    if verbosity == 0:
        assert log == ""


def test_max_tasks_exits_cleanly_and_the_next_worker_takes_the_rest(transactional_db):
    first = tasklab.Worker(max_tasks=3).start()
    batch = [add.enqueue(n, 10) for n in range(5)]

    assert first.wait(30) == 0
    assert "Run maximum tasks (3) on worker=" in first.log()
    for result in batch:
        result.refresh()
    assert [r.status for r in batch] == ["SUCCESSFUL"] * 3 + ["READY"] * 2

    with tasklab.Worker() as second:
        tasklab.watch(batch, timeout=20)
    assert [r.worker_ids for r in batch] == [[first.worker_id]] * 3 + [[second.worker_id]] * 2
