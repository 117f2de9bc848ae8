"""The lab toolkit: the plumbing that keeps the lessons' cells as short as the seed's snippets.

    import tasklab
    lab = tasklab.setup("06-the-worker")      # a fresh database for this notebook
    with tasklab.Worker(queues=["default"]) as worker:
        result = send_welcome_email.enqueue(...)
        tasklab.watch(result)
"""

from .errors import MissingProgram, ProcessStartError, TasklabError, TasksNotFinished, UnknownQueue
from .notebook import Lab, setup
from .redis import Redis
from .rq_worker import RQWorker
from .server import Server
from .watch import Watch, watch
from .worker import Worker

__all__ = [
    "Lab",
    "MissingProgram",
    "ProcessStartError",
    "RQWorker",
    "Redis",
    "Server",
    "TasklabError",
    "TasksNotFinished",
    "UnknownQueue",
    "Watch",
    "Worker",
    "setup",
    "watch",
]
