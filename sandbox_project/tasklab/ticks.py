"""`runs_per_tick()`: how many runs each tick of a periodic task enqueued, read from the database.

A django-scheduled-tasks schedule every `period` keeps one grid of due times from its first
run on; its run log row holds the next one. A run belongs to the last due time before it was
enqueued: one scheduler enqueues one run per tick, two that both fire enqueue two.
"""

import math


def runs_per_tick(task, *, period, since, until):
    """For each due time from `since` to `until`, in order, how many results of `task` it enqueued."""
    from django_scheduled_tasks.models import ScheduledTaskRunLog
    from django_tasks_db.models import DBTaskResult

    grid = ScheduledTaskRunLog.objects.get(task_name=task.module_path).next_scheduled_run_time

    def tick(moment):
        return math.floor((moment - grid).total_seconds() / period)

    first, last = tick(since) + 1, tick(until)
    counts = dict.fromkeys(range(first, last + 1), 0)
    for enqueued_at in DBTaskResult.objects.filter(task_path=task.module_path).values_list(
        "enqueued_at", flat=True
    ):
        if tick(enqueued_at) in counts:
            counts[tick(enqueued_at)] += 1
    return list(counts.values())
