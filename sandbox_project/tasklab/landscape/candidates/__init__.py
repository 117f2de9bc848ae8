"""`Candidate`: one backend package tried in the landscape, and the list of them all.

Each family module (`database`, `in_process`, `redis`, `celery`) holds a `CANDIDATES` list;
the rules they follow are in `tasklab.landscape`'s docstring.
"""

import importlib
from dataclasses import dataclass, field
from typing import Callable, Mapping

DATABASE = "database"
REDIS = "redis"
IN_PROCESS = "in-process"
CELERY = "celery"
FAMILIES = (DATABASE, IN_PROCESS, REDIS, CELERY)

POSTGRESQL = "postgresql"
SERVERS = (POSTGRESQL, REDIS)

FAMILY_MODULES = ("database", "in_process", "redis", "celery")


@dataclass(frozen=True)
class Candidate:
    """A backend package at one exact version, and what running it takes."""

    name: str  # the PyPI name; also the value of TASKLAB_LANDSCAPE_BACKEND
    version: str  # the exact version tried
    family: str  # one of FAMILIES
    backend: str = ""  # the dotted path in TASKS["default"]["BACKEND"]
    server: str | None = None  # POSTGRESQL, REDIS or None (besides the database Django always has)
    apps: tuple[str, ...] = ()  # added to INSTALLED_APPS
    without_apps: tuple[str, ...] = ()  # sandbox apps left out of INSTALLED_APPS (say why in needs)
    settings: Callable[[Mapping[str, str]], dict] | None = None  # env -> settings (with TASKS)
    worker: tuple[str, ...] | None = None  # manage.py arguments of one worker
    worker_ready: str = ""  # text in a worker's log once it is ready
    make_worker: Callable | None = None  # (candidate, worker_id, env) -> ManagedProcess
    migrate: bool = True
    needs: str = ""  # beyond settings, for the lesson
    dropped: str | None = None  # the exact error that made us drop it
    hooks: Mapping[str, Callable] = field(default_factory=dict)
    url: str = ""  # where the project lives (PyPI or its repository)

    @property
    def kept(self):
        return self.dropped is None

    @property
    def in_process(self):
        return self.worker is None and self.make_worker is None

    @property
    def label(self):
        return f"{self.name} {self.version}"


class UnknownCandidate(LookupError):
    """A name that no family module lists."""


def all_candidates():
    """Every candidate tried, kept or dropped, family by family."""
    found = []
    for module in FAMILY_MODULES:
        found.extend(importlib.import_module(f"{__name__}.{module}").CANDIDATES)
    return found


def kept():
    return [c for c in all_candidates() if c.kept]


def dropped():
    return [c for c in all_candidates() if not c.kept]


def get(name):
    for candidate in all_candidates():
        if candidate.name == name:
            return candidate
    names = ", ".join(c.name for c in all_candidates())
    raise UnknownCandidate(f"No landscape candidate named {name!r}. Known: {names}.")
