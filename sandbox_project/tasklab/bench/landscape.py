"""The landscape's backends in the benchmark: every kept candidate of `tasklab.landscape`,
measured like the others (enqueue rate, drain with 1, 2 and 4 workers, pickup latency).

Backends keep their times in different places (a table, Redis, memory, nowhere), so the
task times itself: `tasklab.landscape.tasks.timed` appends its number, start and end to a
file, the same few microseconds on every backend.
"""

import itertools
from dataclasses import dataclass

from ..landscape import candidates
from .clients import _wait_until

PREFIX = "landscape-"
# How often the landscape's workers poll when idle (their settings in tasklab.landscape.candidates).
POLL = 0.1


def poll_interval(system):
    """POLL, or None where nothing polls: a Redis or Celery worker is handed each task as it
    arrives, a pool without a server runs it as it is enqueued."""
    candidate = candidates.get(system.candidate)
    pushed = candidate.family in (candidates.REDIS, candidates.CELERY)
    return None if pushed or (candidate.in_process and candidate.server is None) else POLL


def system_name(candidate):
    return PREFIX + candidate.name


@dataclass(frozen=True)
class LandscapeSystem:
    """A kept candidate, as the benchmark's `System` (same attributes it reads)."""

    name: str
    label: str
    candidate: str
    kind: str = "landscape"
    tuned: bool = False
    interval: float | None = None
    listen: bool = False  # woken by LISTEN/NOTIFY (lesson 16's worker): never, here
    knob: str = ""  # not one of lesson 16's knob rows

    @property
    def server(self):
        return candidates.get(self.candidate).server

    def env(self, *, workdir, postgres=None, redis=None):
        """Its settings module, a PostgreSQL database of its own, a Redis database, a marks folder."""
        candidate = candidates.get(self.candidate)
        marks = workdir / f"marks-{candidate.name}"
        marks.mkdir(parents=True, exist_ok=True)
        database = "bench_" + candidate.name.replace("-", "_")
        env = {
            "DJANGO_SETTINGS_MODULE": "taskdemo.settings_landscape",
            "TASKLAB_LANDSCAPE_BACKEND": candidate.name,
            "TASKLAB_LANDSCAPE_MARKS": str(marks),
            "TASKLAB_CONN_MAX_AGE": "60",
            "TASKLAB_DEBUG": "0",
            "TASKLAB_DATABASE_URL": f"sqlite:///{workdir / (database + '.sqlite3')}",
        }
        if postgres is not None:
            env["TASKLAB_DATABASE_URL"] = postgres.create_database(database)
        if redis is not None:
            env["TASKLAB_REDIS_URL"] = redis.url
        return env


def systems():
    """{name: LandscapeSystem} for every kept candidate, in the landscape's order."""
    found = {}
    for candidate in candidates.kept():
        where = "in-process pool" if candidate.in_process else candidate.family
        found[system_name(candidate)] = LandscapeSystem(
            system_name(candidate), f"{candidate.name} ({where})", candidate.name
        )
    return found


class LandscapeQueue:
    """One landscape backend, seen from the process that enqueues (it runs under its settings)."""

    def __init__(self, system):
        from ..landscape import tasks
        from ..landscape.workers import migrate

        self.candidate = candidates.get(system.candidate)
        self.tasks = tasks
        self.batch = 0
        self.numbers = itertools.count()
        migrate(self.candidate)

    def clear(self):
        """A new marks file: what earlier runs left in the queue is done by now."""
        self.batch += 1

    @property
    def _name(self):
        return f"bench-{self.batch}"

    def enqueue(self, count):
        handles = [str(next(self.numbers)) for _ in range(count)]
        for number in handles:
            self.tasks.timed.enqueue(self._name, number)
        return handles

    def worker_counts(self, counts):
        """An in-process pool has no workers to add: it is measured once, as it comes."""
        return counts[:1] if self.candidate.in_process else counts

    def workers(self, count, interval=None):
        from ..landscape.workers import make_workers

        return make_workers(self.candidate, count, {})

    def _lines(self):
        return self.tasks.read_marks(self._name)

    def wait(self, handles, timeout):
        _wait_until(lambda: len(self._lines()) >= len(handles), timeout, f"{len(handles)} tasks")

    def times(self, handles):
        rows = [line.split() for line in self._lines()]
        numbers = [row[0] for row in rows]
        once = len(numbers) == len(handles) and len(set(numbers)) == len(numbers)
        return [(float(start), float(end)) for _, start, end in rows], once

    def _started(self, handle):
        return next((float(line.split()[1]) for line in self._lines() if line.split()[0] == handle), None)

    def pickup(self, handle, sent):
        _wait_until(lambda: self._started(handle) is not None, 60, "one task")
        return self._started(handle) - sent


def conclusions(results):
    """Each landscape backend next to django-tasks-db, 1 worker: words that hold on any machine."""
    from .report import _drain, compare  # report imports systems, which imports this module

    said = []
    reference = results.get(PREFIX + "django-tasks-db")
    base = reference and _drain(reference, 1)
    for name, r in results.items():
        if not name.startswith(PREFIX) or r is reference or r.get("error") or not _drain(r, 1) or not base:
            continue
        said.append(
            f"{r['label']}, 1 worker: {compare(_drain(r, 1)['rate'], base['rate'])} django-tasks-db on PostgreSQL"
        )
    return said
