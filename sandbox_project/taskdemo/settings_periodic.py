"""The sandbox's settings plus django-scheduled-tasks, a scheduler for django.tasks (lesson 20).

Select it with ``DJANGO_SETTINGS_MODULE=taskdemo.settings_periodic``. Only the lessons that
schedule tasks use it: every other process is spared importing the scheduler.
"""

import os

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_scheduled_tasks"]  # noqa: F405

# The modules that declare periodic tasks: a scheduler knows only the schedules it has
# imported, so `AccountsConfig.ready()` imports these. TASKLAB_SCHEDULES (comma-separated
# module names) replaces the list, e.g. for an exercise's own module.
PERIODIC_TASK_MODULES = [
    name for name in os.environ.get("TASKLAB_SCHEDULES", "accounts.schedules").split(",") if name
]
