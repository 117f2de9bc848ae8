"""`RQWorker`: RQ's own worker for the django-tasks-rq backend (`manage.py rqworker`).

With ``DJANGO_SETTINGS_MODULE=taskdemo.settings_rq`` the tasks go to Redis, and RQ's workers,
not `db_worker`, run them. The command, as you would type it in a terminal:

    python manage.py rqworker --job-class django_tasks_rq.Job default

`--job-class django_tasks_rq.Job` is required: it is what turns an RQ job back into a call
of your `django.tasks` task.
"""

import itertools

from .paths import log_dir
from .processes import ManagedProcess

_numbers = itertools.count(1)


class RQWorker(ManagedProcess):
    """An `rqworker` subprocess on the Redis server `redis` (a `tasklab.Redis` or a URL).

    queues: the queues it serves, in order: RQ takes the first non-empty one, so the order
    is RQ's priority. skip_checks: skip Django's system checks at start-up (they import
    every URL, view and task module of the project).
    """

    what = "The RQ worker"

    def __init__(
        self,
        redis,
        queues=("default",),
        *,
        name=None,
        skip_checks=False,
        burst=False,
        worker_class=None,
        env=None,
    ):
        self.queues = [queues] if isinstance(queues, str) else list(queues)
        self.name = name or f"rq-worker-{next(_numbers)}"
        command = ["rqworker", "--job-class", "django_tasks_rq.Job", f"--name={self.name}"]
        if skip_checks:
            command.append("--skip-checks")
        if burst:
            command.append("--burst")
        if worker_class:
            command.append(f"--worker-class={worker_class}")
        command.extend(self.queues)
        env = {
            "DJANGO_SETTINGS_MODULE": "taskdemo.settings_rq",
            "TASKLAB_REDIS_URL": getattr(redis, "url", redis),
            **(env or {}),
        }
        super().__init__(command, log_dir() / f"{self.name}.log", env=env)

    def is_ready(self):
        return "*** Listening on" in self.log()
