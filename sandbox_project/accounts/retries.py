"""Retrying a task with exponential backoff, on the public `django.tasks` API alone.

`django.tasks` 6.1 and the database backend never retry a failed task. A task that wants
to be tried again enqueues its own next attempt, deferred with `.using(run_after=...)`,
and passes the attempt number as an argument (`context.attempt` stays 1: each retry is
a new task result).
"""

from datetime import timedelta

from django.utils import timezone

# Seconds before the 2nd attempt; each later attempt waits twice as long, up to MAX_DELAY.
# Short, so that the lessons do not wait: a real service would use minutes.
FIRST_DELAY = 0.5
MAX_DELAY = 300


def backoff(attempt):
    """How long to wait after failed attempt number `attempt` (1, 2, ...): 0.5 s, 1 s, 2 s, ..."""
    return timedelta(seconds=min(FIRST_DELAY * 2 ** (attempt - 1), MAX_DELAY))


def retry_later(task, attempt, **kwargs):
    """Enqueue attempt `attempt + 1` of `task` to run after the backoff; returns its result."""
    run_after = timezone.now() + backoff(attempt)
    return task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
