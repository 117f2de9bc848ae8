"""Receivers of the three task signals, each adding one to a counter in the database.

They run in the process that sends the signal: `task_enqueued` where `enqueue()` was called,
`task_started` and `task_finished` inside the worker (lesson 13). So the counters live in the
database, which every process shares, not in the memory of one of them. A receiver must never
raise inside a worker (lesson 13): a failure to count is logged, and the task goes on.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks.signals import task_enqueued, task_finished, task_started

from .models import TaskCounter

logger = logging.getLogger(__name__)


def count(task_path, event, seconds=0.0):
    """Add one to the counter of `task_path` for `event`, and `seconds` to its run time.

    The increment is one UPDATE (`F("count") + 1`), so two workers that finish at the same time
    both count; the row is created the first time only.
    """
    key = {"task_path": task_path, "event": event}
    increment = {"count": F("count") + 1, "seconds": F("seconds") + seconds}
    if TaskCounter.objects.filter(**key).update(**increment):
        return
    try:
        with transaction.atomic():
            TaskCounter.objects.create(**key, count=1, seconds=seconds)
    except IntegrityError:  # another process created it in the meantime
        TaskCounter.objects.filter(**key).update(**increment)


def run_time(task_result):
    """Seconds between the start and the end of the run, or 0.0 if either is unknown."""
    if task_result.started_at is None or task_result.finished_at is None:
        return 0.0
    return (task_result.finished_at - task_result.started_at).total_seconds()


def _count_safely(task_result, event, seconds=0.0):
    try:
        # A savepoint: inside a request's transaction, a failed write leaves it usable.
        with transaction.atomic():
            count(task_result.task.module_path, event, seconds)
    except Exception:
        logger.exception("Could not count %s for task id=%s", event, task_result.id)


def on_enqueued(sender, task_result, **kwargs):
    _count_safely(task_result, TaskCounter.Event.ENQUEUED)


def on_started(sender, task_result, **kwargs):
    _count_safely(task_result, TaskCounter.Event.STARTED)


def on_finished(sender, task_result, **kwargs):
    _count_safely(task_result, TaskCounter.Event(task_result.status), run_time(task_result))


def connect():
    """Connect the three receivers (once, whatever how often it is called)."""
    task_enqueued.connect(on_enqueued, dispatch_uid="taskmetrics-enqueued")
    task_started.connect(on_started, dispatch_uid="taskmetrics-started")
    task_finished.connect(on_finished, dispatch_uid="taskmetrics-finished")
