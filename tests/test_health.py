"""`queue_health()` and `manage.py tasks_health`: late READY tasks and long RUNNING ones are reported."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.health import queue_health
from accounts.tasks import add, send_password_reset, slow_task

pytestmark = pytest.mark.django_db
LIMITS = {"max_wait": timedelta(seconds=60), "max_running": timedelta(seconds=600)}


def age(result, **fields):
    """Move a result's timestamps into the past, e.g. enqueued_at=120 (seconds ago)."""
    now = timezone.now()
    DBTaskResult.objects.filter(id=result.id).update(
        **{name: now - timedelta(seconds=seconds) for name, seconds in fields.items()}
    )


def test_an_empty_queue_is_healthy():
    health = queue_health(**LIMITS)
    assert (health.ready, health.running, health.oldest_wait, health.longest_run) == (0, 0, None, None)
    assert health.healthy


def test_a_task_that_waited_too_long_is_reported_with_its_queue():
    age(send_password_reset.enqueue("bob@example.com"), enqueued_at=120)
    add.enqueue(1, 2)

    health = queue_health(**LIMITS)

    assert health.ready == 2
    assert health.oldest_wait >= timedelta(seconds=120)
    assert health.problems == [
        "1 READY task(s) waited longer than 60 s on queue(s) emails: is a worker serving them, and keeping up?"
    ]


def test_a_deferred_task_waits_from_when_it_became_due():
    not_due = add.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1, 2)
    age(not_due, enqueued_at=7200)
    just_due = add.using(run_after=timezone.now() - timedelta(seconds=5)).enqueue(1, 2)
    age(just_due, enqueued_at=7200)

    health = queue_health(**LIMITS)

    assert health.ready == 1
    assert timedelta(seconds=5) <= health.oldest_wait < timedelta(seconds=60)
    assert health.healthy


def test_a_task_running_too_long_is_reported():
    result = slow_task.enqueue(1)
    DBTaskResult.objects.filter(id=result.id).update(status="RUNNING")
    age(result, started_at=3600)

    health = queue_health(**LIMITS)

    assert (health.running, health.healthy) == (1, False)
    assert "1 task(s) RUNNING for longer than 600 s" in health.problems[0]


def test_the_command_prints_ok_or_fails(capsys):
    call_command("tasks_health")
    assert capsys.readouterr().out.splitlines() == [
        "READY (due): 0, oldest waiting -",
        "RUNNING: 0, longest running -",
        "OK",
    ]

    age(add.enqueue(1, 2), enqueued_at=90)
    with pytest.raises(
        CommandError, match=r"Unhealthy task queue\. 1 READY task\(s\) waited longer than 60 s"
    ):
        call_command("tasks_health", "--max-wait", "60")
    call_command("tasks_health", "--max-wait", "120")


def test_the_command_refuses_limits_that_are_not_positive():
    with pytest.raises(CommandError, match="must be more than 0"):
        call_command("tasks_health", "--max-wait", "0")
