"""The sandbox's background tasks.

`send_welcome_email` is the welcome email that every Django 6.0 introduction writes; the others exist so the lessons can
show slow work, failures, return values, queues and priorities.
"""

import time

from django.core.mail import send_mail
from django.tasks import task


@task
def send_welcome_email(user_email, username):
    subject = "Welcome to TaskDemo"
    message = f"Hi {username}, thanks for joining TaskDemo!"
    from_email = "noreply@taskdemo.com"

    send_mail(subject, message, from_email, [user_email])
    print(f"Welcome email sent to {user_email}")


# Urgent mail gets a queue of its own (and a worker of its own, lesson 9), not a priority in
# the decorator: a backend without priorities (RQ, lesson 17) would refuse this whole module.
# A caller that wants a priority asks for it per call: send_password_reset.using(priority=10).
@task(queue_name="emails")
def send_password_reset(user_email):
    """Urgent mail on its own queue: only a worker that serves `emails` runs it."""
    send_mail(
        "Reset your TaskDemo password",
        "Follow the link to choose a new password.",
        "noreply@taskdemo.com",
        [user_email],
    )
    print(f"Password reset sent to {user_email}")


@task
def slow_task(seconds=1.0):
    """Stands in for slow work (an SMTP call, an image resize) that takes `seconds`."""
    time.sleep(seconds)
    return seconds


@task
def failing_task(reason="something went wrong"):
    """Always raises, so the lessons can show what a FAILED result carries."""
    raise RuntimeError(reason)


@task
def add(a, b):
    """Returns a value, read back through `TaskResult.return_value`."""
    return a + b


@task(takes_context=True)
def process_with_progress(context, steps=10, step_seconds=0.2):
    """A long task that reports how far it has got after each of its `steps`."""
    from .progress import report_progress

    report_progress(context, 0, steps)
    for done in range(1, steps + 1):
        time.sleep(step_seconds)
        report_progress(context, done, steps)
    return steps


@task
def where_am_i():
    """Says which process and thread ran it, so lesson 4 can show where each backend runs tasks."""
    import os
    import threading

    return {"pid": os.getpid(), "thread": threading.current_thread().name}


@task
def welcome_user(user_id):
    """The welcome email, given only the user's id: the task looks the user up when it runs."""
    from django.contrib.auth.models import User

    user = User.objects.get(pk=user_id)
    send_welcome_email.call(user_email=user.email, username=user.username)
    return user.username


@task(takes_context=True)
def process_then_fail(context, steps=10, step_seconds=0.2, fail_after=5):
    """Like `process_with_progress`, but raises after `fail_after` steps: a failure mid-way."""
    from .progress import report_progress

    report_progress(context, 0, steps)
    for done in range(1, fail_after + 1):
        time.sleep(step_seconds)
        report_progress(context, done, steps)
    raise RuntimeError(f"step {fail_after + 1} of {steps} went wrong")


@task
def send_welcome_email_slowly(user_email, username, smtp_seconds=2.0):
    """The welcome email through a slow mail server: `smtp_seconds` stands in for the SMTP
    round trips. Lesson 1 times a signup that waits for it against one that enqueues it."""
    time.sleep(smtp_seconds)
    send_welcome_email.call(user_email=user_email, username=username)


@task
def describe_argument(value):
    """What the task received: its argument's type and value (through a worker, after JSON)."""
    return {"type": type(value).__name__, "value": value}


@task(takes_context=True)
def describe_own_run(context):
    """What the context tells a task about its own run: its result's id, attempt and worker."""
    return {
        "task_id": context.task_result.id,
        "attempt": context.attempt,
        "worker": context.task_result.worker_ids[-1],
    }


# --- Tasks for the lessons on running tasks in production (09-15) ---------------------


@task
def record(label, seconds=0.0):
    """Takes `seconds`, then prints and returns its label: shows in which order tasks ran."""
    time.sleep(seconds)
    print(f"ran {label}")
    return label


class ServiceUnavailable(Exception):
    """A temporary failure: worth trying again later."""


@task
def sync_exchange_rates(attempt=1, failures=2, max_attempts=4):
    """Stands in for a call to a remote service that is down for its first `failures` attempts.

    No backend retries a failed task, so the task retries itself: it enqueues its next
    attempt after an exponential backoff, and re-raises so that this attempt is recorded
    FAILED with its error.
    """
    from .retries import retry_later

    try:
        if attempt <= failures:
            raise ServiceUnavailable(f"rates service unavailable (attempt {attempt})")
    except ServiceUnavailable:
        if attempt < max_attempts:
            retry_later(sync_exchange_rates, attempt, failures=failures, max_attempts=max_attempts)
        raise
    return {"EUR": 1.0, "USD": 1.08}


@task
def activate_account(user_id):
    """Idempotent: however often it runs, the user is activated and emailed once.

    The conditional UPDATE is the guard: only the run that changes `is_active` sends mail.
    Returns whether this run did the work.
    """
    from django.contrib.auth.models import User

    activated = User.objects.filter(pk=user_id, is_active=False).update(is_active=True)
    if activated:
        user = User.objects.get(pk=user_id)
        send_mail(
            "Your TaskDemo account is active",
            f"Hi {user.username}, your account is ready.",
            "noreply@taskdemo.com",
            [user.email],
        )
    return bool(activated)


@task(takes_context=True)
def inspect_context(context):
    """Returns what a task can learn about itself from its context."""
    result = context.task_result
    return {
        "attempt": context.attempt,
        "id": result.id,
        "task": result.task.name,
        "queue": result.task.queue_name,
        "status": result.status,
        "worker_ids": result.worker_ids,
    }


@task
async def fetch_all(count=3, seconds=0.5):
    """An async task: waits for `count` slow calls at once, so it takes `seconds`, not count x seconds."""
    import asyncio

    await asyncio.gather(*(asyncio.sleep(seconds) for _ in range(count)))
    return count


@task
def purge_stale_progress(days=7):
    """Periodic clean-up: deletes the progress of tasks not updated for `days` days."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import TaskProgress

    deleted, _ = TaskProgress.objects.filter(updated_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


@task(takes_context=True)
def record_execution(context, seconds=0.0):
    """Records each run of itself (`accounts.models.TaskExecution`), then works `seconds`.

    The reliability tests count these rows to prove each task ran exactly once.
    """
    import os

    from .models import TaskExecution

    result = context.task_result
    TaskExecution.objects.create(task_id=result.id, worker_id=result.worker_ids[-1], pid=os.getpid())
    time.sleep(seconds)
    return result.id


@task
def append_line(path, line):
    """Appends `line` to the file at `path`: an effect outside the database, like a sent email.

    No rollback and no crash recovery takes it back, so the lines count the task's runs
    (lesson 16 counts them after PostgreSQL crashed).
    """
    with open(path, "a") as file:
        file.write(f"{line}\n")
