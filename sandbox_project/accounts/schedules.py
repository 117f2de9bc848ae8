"""The sandbox's periodic tasks (lesson 20), scheduled by django-scheduled-tasks.

`@periodic_task` goes above `@task`: it registers the task with the scheduler of the
process that imports this module (`AccountsConfig.ready()` does, under
`taskdemo.settings_periodic`), and returns the task unchanged.
"""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_scheduled_tasks import periodic_task


@periodic_task(interval=timedelta(seconds=2))
@task
def heartbeat():
    """Every 2 seconds: returns when it ran, so each run leaves a result to count."""
    return timezone.now().isoformat()
