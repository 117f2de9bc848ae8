"""Celery behind django.tasks: `@task` and `enqueue()` as usual, Celery's broker and workers
underneath (here Redis, as broker and result store)."""

from functools import partial

from ..celery_processes import CeleryBeat, CeleryWorker
from ..workers import new_worker_id
from . import CELERY, REDIS, Candidate

QUEUES = ["default", "emails"]


def _celery_settings(env, celery_name):
    """What both packages read through Celery's Django integration (``CELERY_`` prefix).

    celery_name: the name under which the package registers a django.tasks task with Celery,
    which is what Celery beat's schedule names.
    """
    return {
        "CELERY_BROKER_URL": env["TASKLAB_REDIS_URL"],
        "CELERY_RESULT_BACKEND": env["TASKLAB_REDIS_URL"],
        # Without it a result does not say which task it belongs to: get_result() cannot
        # rebuild it (django-tasks-celery's check W002).
        "CELERY_RESULT_EXTENDED": True,
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        # The worker imports every task module at start-up, which registers its tasks with
        # Celery: a task whose module the worker never imported is refused as unregistered.
        "CELERY_IMPORTS": ["tasklab.landscape.tasks", "tasklab.landscape.async_tasks"],
        "CELERY_WORKER_HIJACK_ROOT_LOGGER": False,
        # Only Celery beat reads it (the periodic check starts one): `mark("periodic", "tick")`
        # every second.
        "CELERY_BEAT_SCHEDULE": {
            "landscape-tick": {
                "task": celery_name("tasklab.landscape.tasks.mark"),
                "schedule": 1.0,
                "args": ["periodic", "tick"],
            }
        },
    }


def _beat(app):
    """The periodic hook: start Celery beat on `app` beside the workers."""

    def start(lab, task, name):
        beat = CeleryBeat(app, new_worker_id(lab.candidate))
        beat.start()
        lab.workers.append(beat)

    return start


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
        **_celery_settings(env, lambda path: path),
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
    hooks={"periodic": _beat("tasklab.landscape.celery_app")},
    migrate=True,
    needs=(
        "a Celery app (the package ships none: `tasklab/landscape/celery_app.py`, Celery's usual "
        'Django app), `CELERY_*` settings with `CELERY_TASK_DEFAULT_QUEUE = "default"` and '
        "`CELERY_IMPORTS` naming the task modules, and Celery's worker: "
        "`celery -A tasklab.landscape.celery_app worker --queues default,emails`; periodic tasks "
        "are Celery's: `CELERY_BEAT_SCHEDULE` and `celery -A tasklab.landscape.celery_app beat`"
    ),
    url="https://pypi.org/project/django-tasks-celery/",
)


# -- django-tasks-fennel -----------------------------------------------------------------------


def _fennel(env):
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_fennel.CeleryBackend", "QUEUES": QUEUES}},
        # It registers each task with Celery as `django_tasks:<module path>`.
        **_celery_settings(env, lambda path: f"django_tasks:{path}"),
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
    hooks={"periodic": _beat("django_tasks_fennel.app")},
    migrate=True,
    needs=(
        "its app `django_tasks_fennel`, `CELERY_*` settings with `CELERY_IMPORTS` naming the task "
        "modules, and Celery's worker on the app it ships: "
        "`celery -A django_tasks_fennel.app worker --queues default,emails`; periodic tasks "
        "are Celery's: `CELERY_BEAT_SCHEDULE` (task names `django_tasks:<module path>`) and "
        "`celery -A django_tasks_fennel.app beat`"
    ),
    url="https://pypi.org/project/django-tasks-fennel/",
)

CANDIDATES = [DJANGO_TASKS_CELERY, DJANGO_TASKS_FENNEL]
