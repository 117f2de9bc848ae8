"""The sandbox's tasks, called directly: what each one does when it runs."""

import pytest
from django.core import mail

from accounts import tasks


def test_send_welcome_email_sends_the_seeds_email(capsys):
    tasks.send_welcome_email.call(user_email="alice@example.com", username="alice")

    [email] = mail.outbox
    assert (email.subject, email.from_email, email.to) == (
        "Welcome to TaskDemo",
        "noreply@taskdemo.com",
        ["alice@example.com"],
    )
    assert email.body == "Hi alice, thanks for joining TaskDemo!"
    assert capsys.readouterr().out == "Welcome email sent to alice@example.com\n"


def test_password_reset_is_urgent_mail_on_the_emails_queue():
    """Its urgency is its queue, not a priority: a backend without priorities (RQ) accepts it."""
    assert (tasks.send_password_reset.queue_name, tasks.send_password_reset.priority) == ("emails", 0)
    tasks.send_password_reset.call("bob@example.com")
    assert mail.outbox[0].to == ["bob@example.com"]


def test_slow_task_takes_the_time_it_is_given():
    import time

    started = time.monotonic()
    assert tasks.slow_task.call(0.2) == 0.2
    assert time.monotonic() - started >= 0.2


def test_failing_task_raises_its_reason():
    with pytest.raises(RuntimeError, match="disk full"):
        tasks.failing_task.call("disk full")


def test_add_returns_the_sum():
    assert tasks.add.call(2, 3) == 5


def test_every_task_uses_a_declared_queue(settings):
    from django.tasks import Task

    declared = set(settings.TASKS["default"]["QUEUES"])
    found = {name: t.queue_name for name, t in vars(tasks).items() if isinstance(t, Task)}
    assert "send_welcome_email" in found
    assert {name: queue for name, queue in found.items() if queue not in declared} == {}


def test_a_long_task_reports_its_progress(worker):
    import tasklab
    from accounts.progress import progress_of

    result = tasks.process_with_progress.enqueue(steps=3, step_seconds=0.01)
    tasklab.watch(result, timeout=20)

    progress = progress_of(result.id)
    assert (progress.done, progress.total, progress.percent) == (3, 3, 100)
    assert result.return_value == 3
    assert progress_of("05131955-6651-40e2-9feb-a9ee0c0cd87b") is None


def test_where_am_i_names_the_process_and_thread_that_ran_it():
    import os

    assert tasks.where_am_i.call() == {"pid": os.getpid(), "thread": "MainThread"}


def test_where_am_i_run_by_a_worker_names_the_workers_process(worker):
    import tasklab

    result = tasks.where_am_i.enqueue()
    tasklab.watch(result, timeout=20)
    assert result.return_value == {"pid": worker.pid, "thread": "MainThread"}


@pytest.mark.django_db
def test_welcome_user_looks_the_user_up_by_id():
    from django.contrib.auth.models import User

    user = User.objects.create_user("dora", "dora@example.com")
    assert tasks.welcome_user.call(user.pk) == "dora"
    assert mail.outbox[0].to == ["dora@example.com"]
    with pytest.raises(User.DoesNotExist):
        tasks.welcome_user.call(user.pk + 1)
