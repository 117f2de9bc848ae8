"""Tasks that a backend's own scheduler enqueues (periodic tasks): no arguments, since a
schedule names only the task (django-vtasks' `VTASKS_SCHEDULE`)."""

from django.tasks import task

from .tasks import write_mark


@task
def tick():
    """Leaves a line in the marks file `periodic` each time the schedule fires."""
    write_mark("periodic", "tick")
