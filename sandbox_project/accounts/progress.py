"""Reporting and reading the progress of a long task (see `TaskProgress`)."""

from .models import TaskProgress


def report_progress(context, done, total):
    """Call from a task declared with `@task(takes_context=True)`.

    One statement, an upsert: update_or_create() reads, then writes, in one transaction,
    and on SQLite that write fails at once with "database is locked" when another process
    wrote in between. A single write waits for the lock instead.
    """
    TaskProgress.objects.bulk_create(
        [TaskProgress(task_id=context.task_result.id, done=done, total=total)],
        update_conflicts=True,
        unique_fields=["task_id"],
        update_fields=["done", "total", "updated_at"],
    )


def progress_of(task_id):
    """The task's progress, or None if it has reported none yet."""
    return TaskProgress.objects.filter(task_id=task_id).first()
