"""In-process pools: tasks run in threads of the enqueuing process, no worker to start."""

from . import IN_PROCESS, POSTGRESQL, Candidate


def _local(env):
    return {
        "TASKS": {
            "default": {"BACKEND": "django_tasks_local.ThreadPoolBackend", "QUEUES": ["default", "emails"]}
        }
    }


DJANGO_TASKS_LOCAL = Candidate(
    name="django-tasks-local",
    version="2.0",
    family=IN_PROCESS,
    backend="django_tasks_local.ThreadPoolBackend",
    settings=_local,
    migrate=True,  # the sandbox's own apps still need their tables
    needs="nothing beyond TASKS: no app, no migrations, no worker (results live in the process's memory)",
    url="https://pypi.org/project/django-tasks-local/",
)

# The checks give a dead process's task this long before another process recovers it.
HEARTBEAT_TIMEOUT = 2


def _local_db(env):
    return {
        "TASKS": {
            "default": {
                "BACKEND": "django_tasks_local_db.LocalDBBackend",
                "QUEUES": ["default", "emails"],
                # One thread: one task at a time per process, as one db_worker (default 10).
                "OPTIONS": {"MAX_WORKERS": 1, "POLL_INTERVAL": 0.1, "HEARTBEAT_TIMEOUT": HEARTBEAT_TIMEOUT},
            }
        }
    }


DJANGO_TASKS_LOCAL_DB = Candidate(
    name="django-tasks-local-db",
    version="0.4.0",
    family=IN_PROCESS,
    backend="django_tasks_local_db.LocalDBBackend",
    server=POSTGRESQL,
    apps=("django_tasks_db", "django_tasks_local_db"),
    settings=_local_db,
    needs=(
        "the apps `django_tasks_db` and `django_tasks_local_db` (migrations); no worker: a thread "
        f"in each process runs tasks; here one thread (default 10) and a {HEARTBEAT_TIMEOUT} s "
        "HEARTBEAT_TIMEOUT (default 30 s)"
    ),
    # Every process with this backend runs queued tasks (a watcher thread started when
    # Django starts): the checks that need a backlog, or another process to pick a task up,
    # stop this process's watcher, then start it again as a process that comes up would.
    hooks={
        "pause": lambda backend: backend.close(),
        "resume": lambda backend: backend._ensure_watcher(),
    },
    url="https://pypi.org/project/django-tasks-local-db/",
)

CANDIDATES = [DJANGO_TASKS_LOCAL, DJANGO_TASKS_LOCAL_DB]
