"""Database backends: the queue is a table; workers poll it (or are woken by NOTIFY)."""

from . import DATABASE, POSTGRESQL, Candidate

QUEUES = ["default", "emails"]


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

CANDIDATES = [DJANGO_TASKS_DB]
