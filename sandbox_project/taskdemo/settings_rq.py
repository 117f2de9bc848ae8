"""The sandbox on RQ: the same tasks, stored in Redis and run by RQ's workers.

Select this module with ``DJANGO_SETTINGS_MODULE=taskdemo.settings_rq`` and point
``TASKLAB_REDIS_URL`` at a Redis server (default ``redis://127.0.0.1:6379/0``). The workers
are then RQ's, not `db_worker`:

    python manage.py rqworker --job-class django_tasks_rq.Job default emails images

The settings are not all that changes (lesson 17): django-tasks-rq is built on the
`django_tasks` backport, so under this backend `@task` builds a `django_tasks.base.Task`,
its errors are `django_tasks.exceptions.*` and its signals `django_tasks.signals.*`; and RQ
has no priorities (a task declared with one is refused when its module is imported).
"""

import os

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

REDIS_URL = os.environ.get("TASKLAB_REDIS_URL", "redis://127.0.0.1:6379/0")

# django-rq provides the `rqworker` command and the connection to Redis.
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]

TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["default", "emails", "images"],
    }
}
# django-tasks-rq needs every queue of TASKS declared to django-rq as well.
RQ_QUEUES = {queue: {"URL": REDIS_URL} for queue in TASKS["default"]["QUEUES"]}
