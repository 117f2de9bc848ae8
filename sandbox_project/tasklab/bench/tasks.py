"""The task every queue benchmark runs: it does nothing, so what is measured is the queue."""

from django.tasks import task


@task
def noop():
    return None
