"""Database backends: the queue is a table; workers poll it (or are woken by NOTIFY)."""

import os

from . import DATABASE, POSTGRESQL, Candidate

QUEUES = ["default", "emails"]
# The checks give a killed worker's task this long to come back: a backend whose recovery
# threshold is a setting gets a short one (its default is named in `needs`).
ALIVE_THRESHOLD = 2


def _django_tasks_db(env):
    return {"TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}}


DJANGO_TASKS_DB = Candidate(
    name="django-tasks-db",
    version="0.13.0",
    family=DATABASE,
    backend="django_tasks_db.DatabaseBackend",
    server=POSTGRESQL,
    apps=("django_tasks_db",),
    settings=_django_tasks_db,
    worker=(
        "db_worker",
        "--queue-name=*",
        "--interval=0.1",
        "--worker-id={worker_id}",
        "--no-reload",
        "--no-startup-delay",
    ),
    worker_ready="Starting worker worker_id=",
    needs="its app `django_tasks_db` (migrations: the task table) and a `manage.py db_worker` per worker",
    url="https://pypi.org/project/django-tasks-db/",
)


def _dj_queue(env):
    options = {
        # One supervisor process whose actors are threads, and one worker thread: one task at
        # a time per `manage.py dj_queue`, as db_worker (its default: forked, 3 threads).
        "mode": "async",
        "workers": [{"queues": "*", "threads": 1, "polling_interval": 0.1}],
        "dispatchers": [{"polling_interval": 0.1}],
        "process_heartbeat_interval": 0.5,
        # The scheduler (recurring tasks) polls every 5 s by default.
        "scheduler": {"polling_interval": 0.2},
        "process_alive_threshold": ALIVE_THRESHOLD,
    }
    if env.get("TASKLAB_LANDSCAPE_PERIODIC") == "1":
        options["recurring"] = {
            "landscape_every_second": {
                "task_path": "tasklab.landscape.tasks.mark",
                "schedule": "* * * * * *",
                "args": ["periodic", "tick"],
            }
        }
    return {
        "TASKS": {
            "default": {"BACKEND": "dj_queue.backend.DjQueueBackend", "QUEUES": QUEUES, "OPTIONS": options}
        },
        "DATABASE_ROUTERS": ["dj_queue.routers.DjQueueRouter"],
    }


def _dj_queue_periodic(lab, task, name):
    """Static recurring tasks are settings read when the runtime starts: restart the worker."""
    os.environ["TASKLAB_LANDSCAPE_PERIODIC"] = "1"
    lab.stop_workers()
    lab.ensure_workers(1)
    del os.environ["TASKLAB_LANDSCAPE_PERIODIC"]


def _dj_queue_unique(lab, task):
    from ..own_api_tasks import unique_mark_dj_queue

    return unique_mark_dj_queue


DJ_QUEUE = Candidate(
    name="dj-queue",
    version="0.14.2",
    family=DATABASE,
    backend="dj_queue.backend.DjQueueBackend",
    server=POSTGRESQL,
    apps=("dj_queue",),
    settings=_dj_queue,
    worker=("dj_queue", "--migration-wait-timeout", "0"),
    worker_ready="",
    needs=(
        "its app `dj_queue` (migrations), `manage.py dj_queue` (a supervisor with workers, a "
        "dispatcher for `run_after` and a scheduler), OPTIONS for its runtime; here one thread per "
        f"supervisor and a {ALIVE_THRESHOLD} s `process_alive_threshold` (default 300 s)"
    ),
    hooks={"periodic": _dj_queue_periodic, "unique": _dj_queue_unique},
    url="https://github.com/coriocactus/dj_queue",
)


def _steady_queue(env):
    from datetime import timedelta

    from steady_queue.configuration import Configuration

    return {
        "TASKS": {"default": {"BACKEND": "steady_queue.backend.SteadyQueueBackend", "QUEUES": QUEUES}},
        "STEADY_QUEUE": Configuration.Options(
            workers=[Configuration.Worker(queues=["*"], threads=1, polling_interval=timedelta(seconds=0.1))],
            dispatchers=[Configuration.Dispatcher(polling_interval=timedelta(seconds=0.1))],
            recurring_tasks=[],
        ),
    }


STEADY_QUEUE = Candidate(
    name="steady-queue",
    version="0.3.0",
    family=DATABASE,
    backend="steady_queue.backend.SteadyQueueBackend",
    server=POSTGRESQL,
    apps=("steady_queue",),
    # `manage.py steady_queue` imports every app's `tasks` module, and steady-queue refuses an
    # `async def` task at import: the sandbox's `accounts.tasks` holds one (`fetch_all`).
    without_apps=("accounts",),
    settings=_steady_queue,
    worker=("steady_queue",),
    worker_ready="",
    needs=(
        "its app `steady_queue` (migrations), `manage.py steady_queue` (a supervisor that forks a "
        "worker and a dispatcher), a STEADY_QUEUE setting; here one thread per worker. Its command "
        "imports every app's `tasks` module and refuses an `async def` task there, so the sandbox's "
        "`accounts` app (which has one) is left out"
    ),
    url="https://pypi.org/project/steady-queue/",
)


def _concurrent(env):
    return _django_tasks_db(env)


DJANGO_TASKS_CONCURRENT = Candidate(
    name="django-tasks-concurrent",
    version="0.7.3",
    family=DATABASE,
    backend="django_tasks_db.DatabaseBackend",
    server=POSTGRESQL,
    apps=("django_tasks_db", "django_tasks_concurrent"),
    settings=_concurrent,
    worker=("concurrent_worker", "--concurrency=1", "--interval=0.1", "--queue-name=default"),
    worker_ready="",
    needs=(
        "django-tasks-db's backend and app, its own app `django_tasks_concurrent` (migrations) and "
        "`manage.py concurrent_worker` instead of db_worker (asyncio sub-workers; here one)"
    ),
    url="https://pypi.org/project/django-tasks-concurrent/",
)

DJANGO_TASKS_PG = Candidate(
    name="django-tasks-pg",
    version="0.1.1",
    family=DATABASE,
    server=POSTGRESQL,
    dropped=(
        "does not install: django-tasks-pg==0.1.1 depends on Python>=3.13, and the project "
        "supports Python 3.12 (uv: 'the current Python version (3.12.1) does not satisfy "
        "Python>=3.13 and django-tasks-pg==0.1.1 depends on Python>=3.13')"
    ),
    url="https://pypi.org/project/django-tasks-pg/",
)

CANDIDATES = [DJANGO_TASKS_DB, DJ_QUEUE, STEADY_QUEUE, DJANGO_TASKS_CONCURRENT, DJANGO_TASKS_PG]
