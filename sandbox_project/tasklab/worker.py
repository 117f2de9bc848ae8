"""`Worker`: the real `manage.py db_worker`, started and stopped from a notebook or a test."""

import itertools

from . import registry
from .errors import DuplicateWorker, UnknownQueue
from .paths import log_dir
from .processes import ManagedProcess

_numbers = itertools.count(1)


def _declared_queues(backend):
    """The backend's QUEUES, or None when the backend is not configured (the worker says so)."""
    from django.conf import settings
    from django.tasks import task_backends

    return task_backends[backend].queues if backend in settings.TASKS else None


def _unused_worker_id():
    """worker-1, worker-2, ...: skipping ids another process of this lab has used."""
    while True:
        candidate = f"worker-{next(_numbers)}"
        if registry.card(candidate) is None:
            return candidate


class Worker(ManagedProcess):
    """A `db_worker` subprocess whose output goes to a log file.

    queues: the queues it serves (db_worker's default is only ``["default"]``); ``"*"`` for all.
    interval: seconds between polls when idle (db_worker's default is 1).
    worker_id: how the worker names itself in each result's `worker_ids`.
    verbosity: db_worker's `--verbosity` (its default is 1); at 0 it logs nothing of its own.
    listen: run `db_worker_listen` (the sandbox's `tasknotify` app) instead: on PostgreSQL it
        wakes up when a task is enqueued, and `interval` becomes its longest wait (lesson 16).
    """

    what = "The worker"

    def __init__(
        self,
        queues=("default",),
        *,
        interval=0.1,
        worker_id=None,
        backend="default",
        exclude_queues=(),
        batch=False,
        max_tasks=None,
        verbosity=None,
        listen=False,
        extra_args=(),
        env=None,
    ):
        self.queues = [queues] if isinstance(queues, str) else list(queues)
        if not self.queues or "" in self.queues:
            raise UnknownQueue(
                f"A worker needs queue names, not {queues!r}: e.g. Worker(queues=['default']), "
                "or queues='*' for all of them."
            )
        self._check_queues(backend, self.queues + list(exclude_queues))
        if isinstance(interval, bool) or not isinstance(interval, (int, float)):
            raise TypeError(f"interval is a number of seconds, e.g. interval=0.5, not {interval!r}.")
        self.worker_id = worker_id or _unused_worker_id()
        command = [
            "db_worker_listen" if listen else "db_worker",
            f"--queue-name={','.join(self.queues)}",
            f"--interval={interval}",
            f"--worker-id={self.worker_id}",
            f"--backend={backend}",
            "--no-reload",
            "--no-startup-delay",
        ]
        if exclude_queues:
            command.append(f"--exclude-queues={','.join(exclude_queues)}")
        if batch:
            command.append("--batch")
        if max_tasks is not None:
            command.append(f"--max-tasks={max_tasks}")
        if verbosity is not None:
            command.append(f"--verbosity={verbosity}")
        self.verbosity = verbosity
        command.extend(extra_args)
        super().__init__(command, log_dir() / f"{self.worker_id}.log", env=env)

    def start(self):
        """Refuse a second live worker under the same id: its tasks would be confused with ours."""
        if not self.running and registry.state(self.worker_id) == registry.ALIVE:
            pid = registry.card(self.worker_id)["pid"]
            raise DuplicateWorker(
                f"A worker named {self.worker_id!r} is already running (pid {pid}). Worker ids "
                "must be unique: give this one another worker_id=, or stop the other first."
            )
        return super().start()

    @staticmethod
    def _check_queues(backend, queues):
        """db_worker accepts any queue name and then waits forever on a typo: refuse it here."""
        declared = _declared_queues(backend)
        if declared is None:
            return
        unknown = [q for q in queues if q != "*" and declared and q not in declared]
        if unknown:
            raise UnknownQueue(
                f"No queue named {', '.join(map(repr, unknown))} in TASKS[{backend!r}]['QUEUES'] "
                f"(declared: {', '.join(sorted(declared))}). A worker on it would wait forever. "
                "Check the spelling, or add the queue to QUEUES in taskdemo/settings.py."
            )

    def is_ready(self):
        if self.verbosity == 0:
            # A silent worker never says it started: it is ready once it has left its card,
            # which `tasklab.guarded` does after Django's set-up, just before db_worker runs.
            card = registry.card(self.worker_id)
            return card is not None and card["pid"] == self.pid
        return "Starting worker worker_id=" in self.log()

    def describe(self):
        return f"The worker {self.worker_id!r} (`manage.py {' '.join(self.command)}`)"
