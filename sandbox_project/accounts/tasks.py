"""The sandbox's background tasks.

`send_welcome_email` is the seed tutorial's task; the others exist so the lessons can
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


@task(priority=10, queue_name="emails")
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
