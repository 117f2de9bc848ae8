"""Calls made at the same moment from several threads, and what a way of enqueuing costs.

Lesson 22 uses these to show two enqueues racing for the same key, and to measure the
price of keeping a task unique: how fast the enqueue calls go, and how fast two real
workers drain what was accepted. Each thread has its own database connection, as two web
processes would.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from .errors import TasklabError


def at_once(call, times=2):
    """Run `call` in `times` threads started together; returns their results in order."""
    results = [None] * times
    errors = []
    start = threading.Barrier(times)

    def run(n):
        try:
            start.wait()
            results[n] = call()
        except Exception as error:  # re-raised below, in the caller's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@dataclass(frozen=True)
class Cost:
    """One way of enqueuing, measured: each key asked for twice, then drained by the workers."""

    name: str
    calls: int
    accepted: int
    enqueue_seconds: float
    drain_seconds: float
    most_runs_per_key: int

    def row(self):
        return (
            f"{self.name:<16} {self.calls:>6} {self.accepted:>9} {self.calls / self.enqueue_seconds:>10,.0f}/s"
            f" {self.accepted / self.drain_seconds:>11,.0f}/s {self.most_runs_per_key:>13}"
        )


HEADER = f"{'enqueue with':<16} {'calls':>6} {'accepted':>9} {'calls':>12} {'drain':>13} {'runs per key':>13}"


def measure(name, enqueue, keys, runs_of, workers):
    """Call `enqueue(key)` twice for each key, then start `workers` (Worker objects) together and
    wait until they have run every accepted task. `runs_of(key)` counts the runs of a key's task.

    The drain is timed by the tasks' own timestamps: first start to last finish."""
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    began = time.perf_counter()
    results = [enqueue(key) for key in keys for _ in range(2)]
    enqueue_seconds = time.perf_counter() - began
    accepted = DBTaskResult.objects.filter(id__in=[r.id for r in results if r is not None])
    starting = [threading.Thread(target=worker.start) for worker in workers]  # together, not one by one
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    if not all(worker.running for worker in workers):
        raise TasklabError(f"A worker did not start: {[worker.log_tail(5) for worker in workers]}")
    while accepted.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
        time.sleep(0.01)
    for worker in workers:
        worker.stop()
    span = accepted.aggregate(first=Min("started_at"), last=Max("finished_at"))
    runs = Counter({key: runs_of(key) for key in keys})
    return Cost(
        name,
        len(results),
        accepted.count(),
        enqueue_seconds,
        (span["last"] - span["first"]).total_seconds(),
        max(runs.values()),
    )


def table(costs):
    """The measured costs side by side: calls/s while enqueuing, tasks/s while draining."""
    return "\n".join([HEADER] + [cost.row() for cost in costs])
