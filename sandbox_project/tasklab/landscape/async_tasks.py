"""An `async def` task, in a module of its own: a backend without async support refuses it
when the module is imported (`@task` checks it), which would take every task beside it down."""

from django.tasks import task

from .tasks import write_mark


@task
async def async_mark(name):
    write_mark(name, "ran")
