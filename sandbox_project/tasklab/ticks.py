"""`runs_per_tick()`: how many runs each tick of a periodic task enqueued, read from the database.

A scheduler enqueues one result per tick; two schedulers that both fire enqueue two, a
fraction of a second apart. Results enqueued less than `gap` seconds after the previous
one belong to the same tick, so `gap` must be well under the task's period.
"""


def runs_per_tick(task, *, since=None, until=None, gap=1.0):
    """For each tick that began between `since` and `until`, in order, how many results of `task` it enqueued.

    A tick is counted whole, even when its second run came after `until`.
    """
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    ticks = []  # [first enqueued_at, runs]
    for enqueued_at in rows.values_list("enqueued_at", flat=True):
        if not ticks or (enqueued_at - ticks[-1][2]).total_seconds() >= gap:
            ticks.append([enqueued_at, 0, None])
        ticks[-1][1] += 1
        ticks[-1][2] = enqueued_at
    return [
        runs
        for began, runs, _ in ticks
        if (since is None or began >= since) and (until is None or began <= until)
    ]
