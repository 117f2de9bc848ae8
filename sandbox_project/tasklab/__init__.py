"""The lab toolkit: the plumbing that keeps the lessons' cells as short as the seed's snippets.

    import tasklab
    lab = tasklab.setup("06-the-worker")      # a fresh database for this notebook
    with tasklab.Worker(queues=["default"]) as worker:
        result = send_welcome_email.enqueue(...)
        tasklab.watch(result)
"""

from . import postgres  # tasklab.postgres.Postgres: a throwaway PostgreSQL server
from .errors import (
    DuplicateWorker,
    ProcessStartError,
    TasklabError,
    TasksNotFinished,
    UnknownQueue,
)
from .notebook import Lab, setup
from .server import Server
from .watch import Watch, watch
from .worker import Worker

__all__ = [
    "DuplicateWorker",
    "Lab",
    "ProcessStartError",
    "Server",
    "TasklabError",
    "TasksNotFinished",
    "UnknownQueue",
    "Watch",
    "Worker",
    "setup",
    "watch",
]
