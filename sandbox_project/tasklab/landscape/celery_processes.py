"""Celery's programs for a backend that hands django.tasks to Celery: a worker, and beat,
Celery's scheduler of periodic tasks."""

import sys

import psutil

from ..paths import log_dir
from ..programs import ProgramProcess


class CeleryWorker(ProgramProcess):
    """`celery -A app worker --queues ...` with `concurrency` pool processes, as a toolkit process.

    A candidate's `make_worker` is this class with `app` and `queues` bound (functools.partial).
    The app reads its ``CELERY_*`` settings from ``DJANGO_SETTINGS_MODULE``, which the landscape sets.
    """

    def __init__(self, candidate, worker_id, env, *, app, queues, concurrency=1):
        self.candidate = candidate
        self.worker_id = worker_id
        self.what = f"The {candidate.name} Celery worker"
        program = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            f"--queues={','.join(queues)}",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--loglevel=INFO",
            # Workers on one machine: no need to discover or greet each other.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={worker_id}@%h",
        ]
        super().__init__(program, log_dir() / f"landscape-{worker_id}.log", env=env)

    def is_ready(self):
        return " ready." in self.log()

    def signal(self, signum):
        """Signal Celery itself, not the guard between it and us: a SIGKILLed guard would
        leave Celery running. After a SIGKILL the guard kills the pool processes Celery left."""
        for child in psutil.Process(self.pid).children():
            child.send_signal(signum)


class CeleryBeat(ProgramProcess):
    """`celery -A app beat`: sends the messages of ``CELERY_BEAT_SCHEDULE`` when they are due.

    Beat talks to Celery directly, under Celery's own task names: it is Celery's scheduler, not
    something django.tasks or the backend offers.
    """

    def __init__(self, app, name):
        self.what = "Celery beat"
        program = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "beat",
            "--loglevel=INFO",
            f"--schedule={log_dir() / f'celerybeat-{name}'}",
        ]
        super().__init__(program, log_dir() / f"landscape-beat-{name}.log")

    def is_ready(self):
        return "beat: Starting..." in self.log()
