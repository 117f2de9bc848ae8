"""`CeleryWorker`: a real Celery worker (prefork pool) for the benchmark's Celery app."""

import sys

from ..paths import log_dir
from ..programs import ProgramProcess


class CeleryWorker(ProgramProcess):
    """One `celery worker` process with `concurrency` pool processes: Celery's way to scale."""

    what = "The Celery worker"

    def __init__(self, redis_url, *, concurrency=1, name="bench"):
        program = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasklab.bench.celery_app",
            "worker",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--loglevel=INFO",
            # One worker on one machine: no need to discover or greet other workers.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={name}@%h",
        ]
        super().__init__(program, log_dir() / f"celery-{name}.log", env={"TASKLAB_REDIS_URL": redis_url})

    def is_ready(self):
        return " ready." in self.log()
