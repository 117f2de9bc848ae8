"""Redis backends: the queue lives in a Redis server; workers block on it, nothing polls a table.

Valkey, which django-vtasks and django-tasks-redis name first, is not packaged by Debian; the
landscape runs them on `tasklab.Redis`, a real redis-server, which speaks the same protocol.
Each candidate reaches it through ``TASKLAB_REDIS_URL`` (a database number of its own).
"""

import signal
from dataclasses import replace

from ..workers import ManageCommandWorker
from . import REDIS, Candidate

QUEUES = ["default", "emails"]


# -- django-tasks-rq: RQ's workers, through django-rq ------------------------------------------


def _rq(env):
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}},
        # django-tasks-rq sends each queue of TASKS to the django-rq queue of the same name.
        "RQ_QUEUES": {queue: {"URL": env["TASKLAB_REDIS_URL"]} for queue in QUEUES},
    }


class ForkingWorker(ManageCommandWorker):
    """An RQ worker runs each task in a forked child (the "work horse"): a SIGKILL meant to
    crash the worker goes to its whole process group, as a machine or container crash would;
    a SIGKILL to the parent alone would leave the horse running the task to its end."""

    def signal(self, signum):
        if signum == signal.SIGKILL:
            self._kill_group()
        else:
            super().signal(signum)


DJANGO_TASKS_RQ = Candidate(
    name="django-tasks-rq",
    version="0.12.0",
    family=REDIS,
    backend="django_tasks_rq.RQBackend",
    server=REDIS,
    apps=("django_rq",),
    settings=_rq,
    # --with-scheduler: RQ keeps a task with a run_after aside until a worker's scheduler moves
    # it to its queue; without one it never runs.
    worker=(
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "--with-scheduler",
        "--name={worker_id}",
        *QUEUES,
    ),
    worker_ready="*** Listening on",
    make_worker=ForkingWorker,
    migrate=True,
    needs=(
        "the app `django_rq`, an `RQ_QUEUES` entry per queue, and RQ's own worker: "
        "`manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler default emails`"
    ),
    url="https://pypi.org/project/django-tasks-rq/",
)


# -- django-tasks-redis: Redis streams, its own worker command ---------------------------------

# A task left pending by a dead worker is handed out again once it has been pending this long
# (REDIS_CLAIM_TIMEOUT, default 300 s). In production it must exceed the longest task, or a task
# still running is run twice; the landscape's tasks take milliseconds (the one the SIGKILL check
# kills runs on a single worker), so 3 s lets even a quick check see the recovery. A worker looks
# for such tasks every --claim-interval seconds, between two reads that block up to
# REDIS_BLOCK_TIMEOUT milliseconds (default 5000).
REDIS_CLAIM_TIMEOUT = 3


def _tasks_redis(env):
    return {
        "TASKS": {
            "default": {
                "BACKEND": "django_tasks_redis.RedisTaskBackend",
                "QUEUES": QUEUES,
                "OPTIONS": {
                    "REDIS_URL": env["TASKLAB_REDIS_URL"],
                    "REDIS_CLAIM_TIMEOUT": REDIS_CLAIM_TIMEOUT,
                    "REDIS_BLOCK_TIMEOUT": 1000,
                },
            }
        }
    }


DJANGO_TASKS_REDIS = Candidate(
    name="django-tasks-redis",
    version="0.4.0",
    family=REDIS,
    backend="django_tasks_redis.RedisTaskBackend",
    server=REDIS,
    apps=("django_tasks_redis",),
    settings=_tasks_redis,
    # Without --continuous the worker exits as soon as the queues are empty.
    worker=("run_redis_tasks", "--continuous", "--claim-interval=1"),
    worker_ready="Starting Redis task worker:",
    migrate=True,
    needs=(
        "its app `django_tasks_redis` (the worker command and an admin page) and a "
        "`manage.py run_redis_tasks --continuous` per worker; a dead worker's task is handed "
        f"out again after `REDIS_CLAIM_TIMEOUT` (300 s by default, {REDIS_CLAIM_TIMEOUT} s here; it "
        "must exceed the longest task, or a task still running is run twice)"
    ),
    url="https://pypi.org/project/django-tasks-redis/",
)


# -- django-vtasks: an asyncio worker on Valkey ------------------------------------------------


def _vtasks(env):
    return {
        "TASKS": {
            "default": {
                "BACKEND": "django_vtasks.backends.valkey.ValkeyTaskBackend",
                "QUEUES": QUEUES,
                "OPTIONS": {"BROKER_URL": env["TASKLAB_REDIS_URL"]},
            }
        },
        "VTASKS_QUEUES": QUEUES,
        # A dead worker's tasks go to the dead-letter list unless they may be rescued
        # (VTASKS_MAX_RESCUES, default 0). A worker is dead once its liveness mark, refreshed
        # every VTASKS_HEARTBEAT_INTERVAL seconds (default 5), is 3 intervals old; a sibling
        # sweeps every VTASKS_RESCUE_INTERVAL seconds (default 30). Short here, so that even a
        # quick check sees the rescue.
        "VTASKS_MAX_RESCUES": 1,
        "VTASKS_HEARTBEAT_INTERVAL": 1,
        "VTASKS_RESCUE_INTERVAL": 1,
        "VTASKS_SCHEDULE": {
            "landscape-tick": {"task": "tasklab.landscape.scheduled.tick", "schedule": 1},
        },
        # Its worker reports through logging only: without a handler it prints nothing,
        # not even that it started.
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "loggers": {"django_vtasks": {"handlers": ["console"], "level": "INFO"}},
        },
    }


def _vtasks_unique(lab, task):
    """django-vtasks' own Task wrapper: the same task, enqueued at most once while its lock
    (`ttl` seconds) holds."""
    from django_vtasks import VTask

    return VTask(django_task=task, unique=True, ttl=30)


class VTasksScheduler(ManageCommandWorker):
    """`runworker --scheduler`: a worker that also enqueues `VTASKS_SCHEDULE`'s tasks."""

    def is_ready(self):
        return "Scheduler started." in self.log()


def _vtasks_periodic(lab, task, name):
    """Start a worker with `--scheduler`; `VTASKS_SCHEDULE` enqueues `scheduled.tick` every
    second (the scheduler calls tasks without arguments, so not `task` itself)."""
    from ..workers import new_worker_id

    candidate = replace(lab.candidate, worker=(*lab.candidate.worker, "--scheduler"))
    scheduler = VTasksScheduler(candidate, new_worker_id(candidate), {})
    scheduler.start()
    lab.workers.append(scheduler)


DJANGO_VTASKS = Candidate(
    name="django-vtasks",
    version="3.2.0",
    family=REDIS,
    backend="django_vtasks.backends.valkey.ValkeyTaskBackend",
    server=REDIS,
    apps=("django_vtasks",),
    settings=_vtasks,
    # One task at a time, like every other worker here (its default is 20 at once, in threads
    # or coroutines): with 20, six queued tasks start together and their order says nothing.
    worker=("runworker", "--concurrency=1", *(f"--queue={queue}" for queue in QUEUES)),
    worker_ready="Starting worker with concurrency=",
    migrate=True,
    needs=(
        "its app `django_vtasks`, `VTASKS_QUEUES`, a `LOGGING` handler to see its worker, and a "
        "`manage.py runworker` per worker (`--concurrency`: tasks at once, default 20; 1 here, like "
        "the other workers; `--scheduler` on one of them for `VTASKS_SCHEDULE`); "
        "unique tasks use its own `django_vtasks.VTask`; a dead worker's tasks are run again only "
        "with `VTASKS_MAX_RESCUES` above 0 (default 0: to its dead-letter list)"
    ),
    hooks={"unique": _vtasks_unique, "periodic": _vtasks_periodic},
    url="https://pypi.org/project/django-vtasks/",
)

CANDIDATES = [DJANGO_TASKS_RQ, DJANGO_TASKS_REDIS, DJANGO_VTASKS]
