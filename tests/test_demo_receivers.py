"""Lesson 13's demo receivers: off by default, connected in one worker by TASKLAB_DEMO_RECEIVERS,
and what `db_worker` does when one raises."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.tasks.signals import task_finished, task_started

import tasklab
from accounts import receivers
from accounts.tasks import record
from tasklab.paths import SANDBOX_DIR


def connected(signal, receiver):
    return any(ref() is receiver for _, ref, *_ in signal.receivers if callable(ref))


def test_nothing_is_connected_unless_the_environment_asks():
    assert "TASKLAB_DEMO_RECEIVERS" not in os.environ
    assert not connected(task_started, receivers.metrics_on_started)
    assert not connected(task_finished, receivers.metrics_on_finished)
    assert not connected(task_finished, receivers.careful_metrics_on_finished)


def test_the_environment_variable_connects_the_named_receivers_at_start_up():
    code = (
        "import django; django.setup()\n"
        "from django.tasks.signals import task_finished, task_started\n"
        "from accounts import receivers\n"
        "live = lambda s: [r() for _, r, *_ in s.receivers]\n"
        "print(receivers.metrics_on_finished in live(task_finished),"
        " receivers.careful_metrics_on_finished in live(task_finished),"
        " receivers.metrics_on_started in live(task_started))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taskdemo.settings",
        "TASKLAB_DEMO_RECEIVERS": "metrics_on_finished, careful_metrics_on_finished",
    }
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SANDBOX_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.split() == ["True", "True", "False"]


def test_an_unknown_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="no receiver 'metrics_on_finishd'"):
        receivers.connect("metrics_on_finishd")


def test_a_raising_task_finished_receiver_fails_a_successful_task_and_ends_the_worker(transactional_db):
    first, behind = record.enqueue("first"), record.enqueue("behind")
    worker = tasklab.Worker(env={"TASKLAB_DEMO_RECEIVERS": "metrics_on_finished"}).start()
    try:
        assert worker.wait(20) == 1
    finally:
        worker.stop()
    first.refresh()
    behind.refresh()
    log = worker.log()
    assert "ran first" in log  # the task did its work...
    assert f"Task id={first.id} path=accounts.tasks.record state=SUCCESSFUL" in log
    assert first.status == "FAILED"  # ...and is recorded FAILED, with the receiver's error
    assert first.errors[0].exception_class_path == "accounts.receivers.MetricsUnavailable"
    assert behind.status == "READY"  # nobody is left to run it


def test_a_careful_receiver_leaves_the_task_and_the_worker_alone(transactional_db):
    with tasklab.Worker(env={"TASKLAB_DEMO_RECEIVERS": "careful_metrics_on_finished"}) as worker:
        result = record.enqueue("careful")
        tasklab.watch(result, live=False, timeout=20)
        worker.wait_for_log("Could not send the metrics")
        assert worker.running
    assert result.status == "SUCCESSFUL"
