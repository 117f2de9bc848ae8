"""The lab toolkit: the plumbing that keeps the lessons' cells as short as a project's own snippets.

import tasklab
lab = tasklab.setup("06-the-worker")      # a fresh database for this notebook
with tasklab.Worker(queues=["default"]) as worker:
    result = send_welcome_email.enqueue(...)
    tasklab.watch(result)
"""

from . import browser, http, postgres
from .environments import LockedEnvironment, locked_environment
from .errors import (
    DuplicateWorker,
    MissingProgram,
    ProcessStartError,
    StatusNotReached,
    TasklabError,
    TasksNotFinished,
    UnknownQueue,
)
from .notebook import Lab, async_safety_on, setup
from .public_api import public_api
from .pytest_run import PytestRun, run_pytest
from .redis import Redis
from .rq_worker import RQWorker
from .scheduler import Scheduler
from .scratch_project import ScratchProject, start_project
from .server import Server
from .waiting import wait_for
from .watch import Watch, watch
from .worker import Worker

__all__ = [
    "DuplicateWorker",
    "Lab",
    "LockedEnvironment",
    "MissingProgram",
    "ProcessStartError",
    "PytestRun",
    "RQWorker",
    "Redis",
    "Scheduler",
    "ScratchProject",
    "Server",
    "StatusNotReached",
    "TasklabError",
    "TasksNotFinished",
    "UnknownQueue",
    "Watch",
    "Worker",
    "async_safety_on",
    "browser",
    "http",
    "locked_environment",
    "postgres",
    "public_api",
    "run_pytest",
    "setup",
    "start_project",
    "wait_for",
    "watch",
]
