"""A backend's worker as a toolkit process: started, logged and stopped with its owner."""

import itertools
import os

from ..paths import log_dir
from ..processes import ManagedProcess

_numbers = itertools.count(1)


class ManageCommandWorker(ManagedProcess):
    """One worker of a candidate: its `manage.py` command under `tasklab.guarded`.

    env holds the landscape's variables (settings module, backend name, server URLs, marks).
    """

    def __init__(self, candidate, worker_id, env):
        self.candidate = candidate
        self.worker_id = worker_id
        self.what = f"The {candidate.name} worker"
        command = [part.replace("{worker_id}", worker_id) for part in candidate.worker]
        super().__init__(command, log_dir() / f"landscape-{worker_id}.log", env=env)

    def is_ready(self):
        return self.candidate.worker_ready in self.log()

    def describe(self):
        return f"The {self.candidate.name} worker {self.worker_id!r} (`manage.py {' '.join(self.command)}`)"


def new_worker_id(candidate):
    return f"ls-{candidate.name}-{os.getpid()}-{next(_numbers)}"


def make_workers(candidate, count, env):
    """`count` workers of this candidate, not started yet (an in-process one has none)."""
    if candidate.in_process:
        return []
    build = candidate.make_worker or ManageCommandWorker
    return [build(candidate, new_worker_id(candidate), env) for _ in range(count)]


def migrate(candidate):
    """`migrate` this process's database, with the backend's own share of the work paused
    meanwhile (a backend whose every process polls its table would poll a missing one)."""
    from django.core.management import call_command
    from django.tasks import task_backends

    backend = task_backends["default"]
    if "pause" in candidate.hooks:
        candidate.hooks["pause"](backend)
    if candidate.migrate:
        call_command("migrate", verbosity=0)
    if "resume" in candidate.hooks:
        candidate.hooks["resume"](backend)
