"""`setup()`: the one call at the top of every notebook."""

import os
import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .paths import SANDBOX_DIR, VAR_DIR, shown
from .processes import stop_all


@dataclass
class Lab:
    """What `setup()` prepared: where this notebook's database and logs live."""

    name: str
    dir: Path
    database: Path | str
    log_dir: Path
    queue_database: Path | None = None
    bulk_backend: bool = False
    postgres: object = None  # the lab's `tasklab.postgres.Postgres`, when it has one

    def __str__(self):
        import django
        from django.conf import settings

        database = (
            f"PostgreSQL database {self.database}" if self.postgres else f"database {shown(self.database)}"
        )
        text = (
            f"Lab {self.name!r} ready: Django {django.get_version()}, "
            f"task backend {settings.TASKS['default']['BACKEND']}, "
            f"fresh {database}"
        )
        if self.queue_database:
            text += f", task queue in its own database {shown(self.queue_database)}"
        if self.bulk_backend:
            text += f", second task backend 'bulk' ({settings.TASKS['bulk']['BACKEND']})"
        return text


def setup(
    name,
    *,
    database="sqlite",
    quiet=False,
    separate_queue=False,
    bulk_backend=False,
    settings_module="taskdemo.settings",
):
    """Prepare this kernel for the sandbox, with a fresh database of its own.

    `name` (e.g. "06-the-worker") names the folder under sandbox_project/var/notebooks/
    that holds this notebook's database and logs; it is emptied each time, so a notebook
    always starts from the same state, and never touches the sandbox's own database.
    database: "sqlite" (a file in that folder) or "postgresql" (a real PostgreSQL server
    of the notebook's own, stopped with the kernel; see `tasklab.postgres`).
    separate_queue: keep the task queue in a second database (as Redis or a queue
    database would be), so that a transaction on the data no longer covers it.
    bulk_backend: add a second task backend, `bulk`, beside `default` (TASKLAB_BULK_BACKEND,
    read by the settings of this kernel and of every worker it starts).
    settings_module: the settings of this kernel and of the processes it starts, e.g.
    "taskdemo.settings_periodic" (lesson 20).
    """
    if database not in ("sqlite", "postgresql"):
        raise ValueError(f"setup() takes database='sqlite' or database='postgresql', not {database!r}.")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ValueError(
            f"setup() needs a simple name such as '06-the-worker' (letters, digits, '-', '_', '.'), "
            f"not {name!r}: it becomes a folder name."
        )
    stop_all()  # re-running the set-up cell: no worker may keep the old database open

    if str(SANDBOX_DIR) not in sys.path:
        sys.path.insert(0, str(SANDBOX_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    # Jupyter runs every cell inside an asyncio event loop, and Django refuses ORM calls
    # from such a context. It is safe here: the cell's code is ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    lab_dir = VAR_DIR / "notebooks" / name
    log_dir = lab_dir / "logs"
    _forget_connections()
    shutil.rmtree(lab_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    os.environ["TASKLAB_LOG_DIR"] = str(log_dir)
    postgres = None
    if database == "postgresql":
        from .postgres import Postgres

        postgres = Postgres().start()
        database = postgres.url
    else:
        database = lab_dir / "db.sqlite3"
    url = database if postgres else f"sqlite:///{database}"
    os.environ["TASKLAB_DATABASE_URL"] = url
    queue_database = lab_dir / "queue.sqlite3" if separate_queue else None
    if queue_database:
        os.environ["TASKLAB_QUEUE_DATABASE_URL"] = f"sqlite:///{queue_database}"
    else:
        os.environ.pop("TASKLAB_QUEUE_DATABASE_URL", None)
    if bulk_backend:
        os.environ["TASKLAB_BULK_BACKEND"] = "1"
    else:
        os.environ.pop("TASKLAB_BULK_BACKEND", None)

    import dj_database_url
    import django
    from django.conf import settings
    from django.core.management import call_command

    if settings.configured and (
        not _same_database(settings.DATABASES["default"], dj_database_url.parse(url))
        or ("queue" in settings.DATABASES) != separate_queue
        or ("bulk" in settings.TASKS) != bulk_backend
        or settings.SETTINGS_MODULE != settings_module
    ):
        raise RuntimeError(
            "This kernel is already set up for another lab. Restart the kernel "
            "(Kernel > Restart Kernel) and run the notebook from the top."
        )
    django.setup()
    call_command("migrate", verbosity=0)
    if queue_database:
        call_command("migrate", database="queue", verbosity=0)

    lab = Lab(
        name=name,
        dir=lab_dir,
        database=database,
        log_dir=log_dir,
        queue_database=queue_database,
        postgres=postgres,
        bulk_backend=bulk_backend,
    )
    if not quiet:
        print(lab)
    return lab


@contextmanager
def async_safety_on():
    """Inside the block, Django refuses synchronous-only calls from async code, as in a server.

    `setup()` turns that check off for the whole notebook (DJANGO_ALLOW_ASYNC_UNSAFE), because
    Jupyter runs every cell inside an event loop; a server or a worker never turns it off.
    """
    saved = os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


def _same_database(configured, wanted):
    return all(configured.get(key) == wanted.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT"))


def _forget_connections():
    """Close connections to a database that is about to be deleted and recreated."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()
