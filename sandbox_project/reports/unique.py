"""Two ways to skip enqueuing a task while the same one is still READY or RUNNING.

`django.tasks` 6.1 has no unique tasks: each `enqueue()` stores a new task. Both ways below
make "is one pending?" and "enqueue it" one step that two processes cannot interleave:

- `enqueue_unique`: a key row, inserted in the same transaction as the task, under a
  conditional unique constraint (`TaskKey`); the task releases it when it ends. Works where
  Django creates conditional constraints (PostgreSQL, SQLite; not MySQL, MariaDB or Oracle).
- `enqueue_locked`: a PostgreSQL advisory lock per task and arguments, held while the
  pending tasks are read and the new one is stored. Nothing to release: the task table is
  the truth.
"""

import json

from django.db import IntegrityError, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import TaskKey

PENDING = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


def enqueue_unique(task, key, *args, **kwargs):
    """Enqueue `task` unless an unreleased `key` says one is pending; returns the result, or None.

    A key whose task has finished without releasing it (its worker was killed, and the
    task recovered as FAILED) is released here, and the enqueue tried once more.
    """
    for _ in range(2):
        try:
            with transaction.atomic():
                result = task.enqueue(*args, **kwargs)
                TaskKey.objects.create(key=key, task_id=result.id)
            return result
        except IntegrityError:  # the key is held: the task row above was rolled back with it
            if not release_finished(key):
                return None
    return None


def release_key(task_id):
    """Release the key held by the task `task_id`, if any (the task calls it when it ends)."""
    TaskKey.objects.filter(task_id=task_id, released_at=None).update(released_at=timezone.now())


def release_finished(key):
    """Release `key` if the task holding it is no longer READY or RUNNING; True if released."""
    pending = DBTaskResult.objects.filter(status__in=PENDING).values("id")
    released = (
        TaskKey.objects.filter(key=key, released_at=None)
        .exclude(task_id__in=pending)
        .update(released_at=timezone.now())
    )
    return released > 0


def pending(task, *args, **kwargs):
    """The READY or RUNNING results of `task` called with these arguments."""
    return DBTaskResult.objects.filter(
        task_path=task.module_path,
        status__in=PENDING,
        args_kwargs={"args": list(args), "kwargs": kwargs},
    )


def enqueue_locked(task, *args, **kwargs):
    """Enqueue `task` unless it is pending with the same arguments; returns the result, or None.

    PostgreSQL only: `pg_advisory_xact_lock` makes a second caller with the same task and
    arguments wait until the first one's transaction has committed, so that it sees its task.
    """
    lock_name = f"{task.module_path}:{json.dumps([args, kwargs], sort_keys=True)}"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [lock_name])
        if pending(task, *args, **kwargs).exists():
            return None
        return task.enqueue(*args, **kwargs)
