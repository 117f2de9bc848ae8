"""Reporting and reading the progress of a long task (see `TaskProgress`)."""

from .models import TaskProgress


def report_progress(context, done, total):
    """Call from a task declared with `@task(takes_context=True)`."""
    TaskProgress.objects.update_or_create(
        task_id=context.task_result.id, defaults={"done": done, "total": total}
    )


def progress_of(task_id):
    """The task's progress, or None if it has reported none yet."""
    return TaskProgress.objects.filter(task_id=task_id).first()
