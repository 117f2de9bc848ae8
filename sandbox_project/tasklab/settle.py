"""`settle()`: wait until no task of some kinds is left to run, including the ones they enqueued.

`watch()` follows the results you hold. A task that enqueues another one (a retry, a task
deferred by a rate limit, the next step of a chain) makes results you do not hold; this waits
on the queue itself instead: until no result of those tasks is READY or RUNNING.
"""

import time
from collections import Counter

from .errors import TasksNotFinished


def settle(*tasks, timeout=60.0, poll=0.05):
    """Wait until every result of `tasks` has finished; returns {status: count} of all of them.

    Raises TasksNotFinished after `timeout` seconds, saying how many are left and in which status.
    """
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.filter(task_path__in=[task.module_path for task in tasks])
    deadline = time.monotonic() + timeout
    while True:
        counts = Counter(results.values_list("status", flat=True))
        left = {status: counts[status] for status in ("READY", "RUNNING") if counts[status]}
        if not left:
            return dict(sorted(counts.items()))
        if time.monotonic() > deadline:
            names = ", ".join(task.name for task in tasks)
            raise TasksNotFinished(
                f"After {timeout:g} s, results of {names} are still {left}. "
                "Is a worker running that serves their queue?",
                None,
            )
        time.sleep(poll)
