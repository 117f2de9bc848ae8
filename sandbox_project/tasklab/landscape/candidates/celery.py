"""Celery behind django.tasks: `@task` and `enqueue()` as usual, Celery's broker and workers
underneath (here Redis, as broker and result store)."""

from functools import partial

from ..celery_worker import CeleryWorker
from . import CELERY, REDIS, Candidate

QUEUES = ["default", "emails"]


def _celery_settings(env):
    """What both packages read through Celery's Django integration (``CELERY_`` prefix)."""
    return {
        "CELERY_BROKER_URL": env["TASKLAB_REDIS_URL"],
        "CELERY_RESULT_BACKEND": env["TASKLAB_REDIS_URL"],
        # Without it a result does not say which task it belongs to: get_result() cannot
        # rebuild it (django-tasks-celery's check W002).
        "CELERY_RESULT_EXTENDED": True,
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        # The worker imports the tasks at start-up, which registers them with Celery.
        "CELERY_IMPORTS": ["tasklab.landscape.tasks"],
        "CELERY_WORKER_HIJACK_ROOT_LOGGER": False,
    }


# -- django-tasks-celery -----------------------------------------------------------------------


def _tasks_celery(env):
    return {
        "TASKS": {
            "default": {
                "BACKEND": "django_tasks_celery.CeleryBackend",
                "QUEUES": QUEUES,
                "OPTIONS": {"CELERY_APP": "tasklab.landscape.celery_app.app"},
            }
        },
        **_celery_settings(env),
        # It sends the queue `default` as no queue at all, which Celery routes to its own
        # default queue, `celery`: name that one `default`, or no worker of `default` sees them.
        "CELERY_TASK_DEFAULT_QUEUE": "default",
        # get_result() reports RUNNING only if the worker records STARTED.
        "CELERY_TASK_TRACK_STARTED": True,
    }


DJANGO_TASKS_CELERY = Candidate(
    name="django-tasks-celery",
    version="0.1.1",
    family=CELERY,
    backend="django_tasks_celery.CeleryBackend",
    server=REDIS,
    settings=_tasks_celery,
    make_worker=partial(CeleryWorker, app="tasklab.landscape.celery_app", queues=QUEUES),
    migrate=True,
    needs=(
        "a Celery app (the package ships none: `tasklab/landscape/celery_app.py`, Celery's usual "
        'Django app), `CELERY_*` settings with `CELERY_TASK_DEFAULT_QUEUE = "default"` and '
        "`CELERY_IMPORTS` naming the task modules, and Celery's worker: "
        "`celery -A tasklab.landscape.celery_app worker --queues default,emails`"
    ),
    url="https://pypi.org/project/django-tasks-celery/",
)


# -- django-tasks-fennel -----------------------------------------------------------------------


def _fennel(env):
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_fennel.CeleryBackend", "QUEUES": QUEUES}},
        **_celery_settings(env),
    }


DJANGO_TASKS_FENNEL = Candidate(
    name="django-tasks-fennel",
    version="0.1",
    family=CELERY,
    backend="django_tasks_fennel.CeleryBackend",
    server=REDIS,
    apps=("django_tasks_fennel",),
    settings=_fennel,
    make_worker=partial(CeleryWorker, app="django_tasks_fennel.app", queues=QUEUES),
    migrate=True,
    needs=(
        "its app `django_tasks_fennel`, `CELERY_*` settings with `CELERY_IMPORTS` naming the task "
        "modules, and Celery's worker on the app it ships: "
        "`celery -A django_tasks_fennel.app worker --queues default,emails`"
    ),
    url="https://pypi.org/project/django-tasks-fennel/",
)

CANDIDATES = [DJANGO_TASKS_CELERY, DJANGO_TASKS_FENNEL]
