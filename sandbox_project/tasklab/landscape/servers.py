"""The servers the candidates need, one of each for a whole run, and each candidate's slice.

One PostgreSQL (every candidate gets a database of its own on it: Django's tables, and the
queue of the database backends) and, when a candidate needs it, one Redis (a database number
each). Both are toolkit processes on 127.0.0.1, stopped with their owner.
"""

import itertools
import os
import tempfile
from pathlib import Path

from ..postgres import Postgres
from ..redis import Redis
from .candidates import REDIS

SETTINGS_MODULE = "taskdemo.settings_landscape"
_slices = itertools.count(1)


class Servers:
    """`with Servers(candidates) as servers:` then `servers.env_for(candidate)`."""

    def __init__(self, candidates):
        self.postgres = Postgres(database="landscape", settings={"fsync": "off", "max_connections": "200"})
        self.redis = Redis() if any(c.server == REDIS for c in candidates) else None
        self.marks_root = None

    def start(self):
        self.postgres.start()
        if self.redis:
            self.redis.start()
        self.marks_root = Path(tempfile.mkdtemp(prefix="tasklab-landscape-"))
        return self

    def stop(self):
        if self.redis:
            self.redis.stop()
        self.postgres.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def env_for(self, candidate):
        """The environment of a process configured for `candidate` alone: a fresh database,
        its own Redis database number, its own marks folder."""
        number = next(_slices)
        slug = candidate.name.replace("-", "_")
        database = f"ls_{slug}_{number}"
        marks = self.marks_root / database
        marks.mkdir()
        env = {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "TASKLAB_LANDSCAPE_BACKEND": candidate.name,
            "TASKLAB_DATABASE_URL": self.postgres.create_database(database),
            "TASKLAB_CONN_MAX_AGE": "60",
            "TASKLAB_DEBUG": "0",
            "TASKLAB_LANDSCAPE_MARKS": str(marks),
        }
        if self.redis:
            env["TASKLAB_REDIS_URL"] = f"redis://127.0.0.1:{self.redis.port}/{number % 16}"
        return env


def apply(env):
    """Make this process's environment the one `env_for` gave (in the runner, before Django)."""
    os.environ.update(env)
