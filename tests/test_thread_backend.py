"""The sandbox's thread-pool task backend (`taskdemo.thread_backend`), through the `django.tasks` API."""

import threading
from datetime import timedelta

import pytest
from django.core import checks, mail
from django.tasks import default_task_backend, task_backends
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.test import override_settings
from django.utils import timezone

from accounts.tasks import add, failing_task, fetch_all, send_welcome_email, where_am_i
from taskdemo.thread_backend import ThreadPoolBackend

BACKEND = "taskdemo.thread_backend.ThreadPoolBackend"
THREADS = {"default": {"BACKEND": BACKEND, "QUEUES": []}}


def finished(result, timeout=10):
    """Refresh `result` until it has finished; fail the test if it does not in time."""
    deadline = timezone.now() + timedelta(seconds=timeout)
    while not result.is_finished:
        assert timezone.now() < deadline, f"{result.task.name} still {result.status} after {timeout} s"
        threading.Event().wait(0.01)
        result.refresh()
    return result


@pytest.fixture(autouse=True)
def thread_backend():
    with override_settings(TASKS=THREADS):
        yield


def test_enqueue_answers_ready_at_once_and_a_pool_thread_runs_the_task():
    result = where_am_i.enqueue()
    assert result.status == "READY"
    assert finished(result).status == "SUCCESSFUL"
    assert result.return_value["thread"].startswith("tasks-default_")
    assert result.worker_ids == [result.return_value["thread"]]
    assert result.started_at <= result.finished_at


def test_a_sandbox_task_sends_its_email_through_the_unchanged_api(capsys):
    finished(send_welcome_email.enqueue(user_email="alice@example.com", username="alice"))
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_get_result_finds_a_result_by_id_and_refuses_an_unknown_one():
    result = finished(add.enqueue(2, 3))
    assert add.get_result(result.id).return_value == 5
    with pytest.raises(TaskResultDoesNotExist):
        default_task_backend.get_result("no-such-id")


def test_a_result_enqueued_in_another_thread_is_found_here():
    """Django makes one backend object per thread: the results must not live on it."""
    found = {}

    def enqueue_elsewhere():
        found["backend"] = task_backends["default"]
        found["result"] = add.enqueue(1, 1)

    thread = threading.Thread(target=enqueue_elsewhere)
    thread.start()
    thread.join()
    assert found["backend"] is not task_backends["default"]
    assert finished(add.get_result(found["result"].id)).return_value == 2


def test_a_failing_task_is_recorded_failed_with_its_error():
    result = finished(failing_task.enqueue("disk full"))
    assert result.status == "FAILED"
    assert result.errors[-1].exception_class_path == "builtins.RuntimeError"
    assert "disk full" in result.errors[-1].traceback


def test_an_async_task_runs():
    assert finished(fetch_all.enqueue(count=2, seconds=0.01)).return_value == 2


def test_the_three_signals_fire_in_order():
    heard = []

    def receiver(signal):
        def hear(sender, task_result, **kwargs):
            heard.append((signal, sender, task_result.status))

        return hear

    signals = [("enqueued", task_enqueued), ("started", task_started), ("finished", task_finished)]
    receivers = {signal: receiver(name) for name, signal in signals}
    for signal, hear in receivers.items():
        signal.connect(hear)
    try:
        finished(add.enqueue(1, 2))
    finally:
        for signal, hear in receivers.items():
            signal.disconnect(hear)
    assert heard == [
        ("enqueued", ThreadPoolBackend, "READY"),
        ("started", ThreadPoolBackend, "RUNNING"),
        ("finished", ThreadPoolBackend, "SUCCESSFUL"),
    ]


def test_priority_and_run_after_are_refused():
    with pytest.raises(InvalidTask, match="Backend does not support setting priority of tasks."):
        add.using(priority=10)
    with pytest.raises(InvalidTask, match="Backend does not support run_after."):
        add.using(run_after=timezone.now() + timedelta(minutes=1))


@override_settings(TASKS={"default": {"BACKEND": BACKEND, "OPTIONS": {"MAX_WORKERS": 0, "MAX_WORKER": 2}}})
def test_check_reports_a_bad_pool_size_and_an_unknown_option():
    messages = task_backends["default"].check()
    assert [(m.level, m.id) for m in messages] == [
        (checks.ERROR, "thread_backend.E001"),
        (checks.WARNING, "thread_backend.W001"),
    ]
    assert "'MAX_WORKER'" in messages[1].msg
