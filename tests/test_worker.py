"""`tasklab.Worker` against a real `db_worker`: runs tasks, reports failures, explains bad starts."""

import signal
import time

import pytest

import tasklab
from accounts.tasks import add, failing_task, send_password_reset, send_welcome_email, slow_task


def test_an_enqueued_task_is_run_and_seen_successful(worker):
    result = send_welcome_email.enqueue(user_email="alice@example.com", username="alice")

    watched = tasklab.watch(result, timeout=20)

    assert watched.summary() == "READY -> RUNNING -> SUCCESSFUL"
    assert result.worker_ids == [worker.worker_id]
    log = worker.log()
    assert f"Task id={result.id} path=accounts.tasks.send_welcome_email state=RUNNING" in log
    assert "Hi alice, thanks for joining TaskDemo!" in log
    assert f"Task id={result.id} path=accounts.tasks.send_welcome_email state=SUCCESSFUL" in log


def test_a_return_value_comes_back(worker):
    result = add.enqueue(2, 3)
    tasklab.watch(result, timeout=20)
    assert result.return_value == 5


def test_a_failing_task_is_seen_failed_with_its_exception_and_traceback(worker):
    result = failing_task.enqueue("disk full")

    watched = tasklab.watch(result, timeout=20)

    assert watched.summary() == "READY -> RUNNING -> FAILED"
    [error] = result.errors
    assert error.exception_class is RuntimeError
    assert "raise RuntimeError(reason)" in error.traceback
    assert error.traceback.rstrip().endswith("RuntimeError: disk full")


def test_a_plain_worker_never_runs_the_emails_queue(transactional_db):
    result = send_password_reset.enqueue("bob@example.com")
    with tasklab.Worker(queues=["default"]):
        with pytest.raises(tasklab.TasksNotFinished, match=r"still READY on queue\(s\) emails"):
            tasklab.watch(result, timeout=1.5)
    with tasklab.Worker(queues=["emails"]):
        assert tasklab.watch(result, timeout=20).summary() == "READY -> RUNNING -> SUCCESSFUL"


def test_sigterm_lets_the_running_task_finish(transactional_db):
    worker = tasklab.Worker().start()
    result = slow_task.enqueue(1.0)
    _wait_for_status(result, "RUNNING")

    worker.signal(signal.SIGTERM)

    assert worker.wait(timeout=20) == 0
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert "Received Terminated - shutting down gracefully" in worker.log()


def test_stop_kills_a_worker_that_does_not_stop_in_time(transactional_db):
    worker = tasklab.Worker().start()
    result = slow_task.enqueue(30)
    _wait_for_status(result, "RUNNING")

    started = time.monotonic()
    worker.stop(timeout=0.5)

    assert time.monotonic() - started < 5
    assert not worker.running


def test_a_typo_in_a_queue_name_is_refused_before_starting(transactional_db):
    with pytest.raises(
        tasklab.UnknownQueue, match="No queue named 'emials'.*declared: default, emails, images"
    ):
        tasklab.Worker(queues=["emials"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"env": {"DJANGO_SETTINGS_MODULE": "taskdemo.no_such_settings"}},
            "ModuleNotFoundError: No module named 'taskdemo.no_such_settings'",
        ),
        (
            {"backend": "no_such_backend"},
            "argument --backend: The connection 'no_such_backend' doesn't exist.",
        ),
        (
            {"env": {"TASKLAB_DATABASE_URL": "sqlite:///{tmp}/empty.sqlite3"}},
            "has unapplied migrations (accounts, admin, auth, contenttypes, coordination, django_tasks_database, reports, sessions, tasknotify)",
        ),
        ({"interval": -1}, "argument --interval: Must be zero or greater"),
    ],
    ids=["bad settings", "unknown backend", "missing migrations", "bad flag"],
)
def test_a_worker_that_cannot_start_says_why_within_seconds(transactional_db, tmp_path, kwargs, message):
    if "env" in kwargs:
        kwargs = {"env": {k: v.format(tmp=tmp_path) for k, v in kwargs["env"].items()}}
    started = time.monotonic()

    with pytest.raises(tasklab.ProcessStartError) as caught:
        tasklab.Worker(**kwargs).start()

    assert time.monotonic() - started < 10
    assert message in str(caught.value)


def _wait_for_status(result, status, timeout=20):
    deadline = time.monotonic() + timeout
    while result.status.name != status:
        assert time.monotonic() < deadline, f"task still {result.status.name}"
        time.sleep(0.02)
        result.refresh()
