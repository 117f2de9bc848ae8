"""Find tasks whose worker died while running them, and run them again or mark them FAILED.

`db_worker` marks a task RUNNING when it claims it, and only that worker ever changes the
row again. Kill the worker with SIGKILL (or lose the machine, or the OOM killer) and the task
stays RUNNING forever: Django 6.1 has no timeout or retry, and `prune_db_task_results`
ignores RUNNING rows. This module finds such tasks (RUNNING for longer than a threshold you
choose, and claimed by a worker that `tasklab.registry` knows is gone) and lets the caller
decide what to do with each.

    stuck = find_stuck(older_than=600)   # seconds, or a timedelta
    recover(stuck, action="requeue")     # or action="fail"

How "requeue" works, and why: it enqueues the same task with the same arguments through
the public API (`Task.enqueue`), then marks the old result FAILED with `WorkerLost`, whose
message names the new task's id. Resetting the old row to READY would keep its id, but it
would rewrite history behind the backend's back (no `task_enqueued` signal, no validation,
a `started_at` that lies) and hide that the first attempt ever happened. Keeping both rows
tells the truth: the first attempt failed because its worker died, and a second one was
enqueued. It also means a caller holding the old id sees FAILED and the reason, with the
new id in it.

Requeue only tasks that are safe to run twice: the dead worker may have done part or all of
the work (sent the email) before it died. That is "at least once", not "exactly once".
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from . import registry

ACTIONS = ("requeue", "fail")


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died while running it."""


@dataclass(frozen=True)
class StuckTask:
    """A RUNNING task whose worker is gone (or, if asked for, not known to be alive)."""

    result: object  # the task's TaskResult
    worker_id: str
    worker_state: str  # registry.GONE or registry.UNKNOWN
    running_for: timedelta

    def __str__(self):
        return (
            f"{self.result.task.name} {self.result.id}: RUNNING for "
            f"{self.running_for.total_seconds():.0f} s, worker {self.worker_id!r} {self.worker_state}"
        )


@dataclass(frozen=True)
class Recovery:
    """What `recover()` did to one stuck task: `new` is the re-enqueued result, if any."""

    old: object
    action: str
    new: object = None

    def __str__(self):
        done = f"re-enqueued as {self.new.id}" if self.new else "marked FAILED"
        return f"{self.old.task.name} {self.old.id}: {done}"


def find_stuck(*, older_than, include_unknown=False, backend="default"):
    """Tasks RUNNING for longer than `older_than` (seconds or timedelta) whose worker is gone.

    A worker is gone when its card in the lab's `workers/` folder names a process that no
    longer runs it. Workers the toolkit did not start (e.g. `make worker`) have no card: their
    tasks count only with include_unknown=True, since nothing tells a slow task from a lost one.
    """
    from django_tasks_db.models import DBTaskResult

    threshold = _as_timedelta(older_than)
    now = timezone.now()
    rows = (
        DBTaskResult.objects.running()
        .filter(backend_name=backend, started_at__lte=now - threshold)
        .order_by("started_at")
    )
    wanted = {registry.GONE, registry.UNKNOWN} if include_unknown else {registry.GONE}
    stuck = []
    for row in rows:
        worker_id = row.worker_ids[-1]
        state = registry.state(worker_id)
        if state in wanted:
            stuck.append(StuckTask(row.task_result, worker_id, state, now - row.started_at))
    return stuck


def recover(stuck, action="requeue"):
    """Re-enqueue (action="requeue") or fail (action="fail") each stuck task; returns Recoveries.

    A task that finished, or was recovered by someone else, since `find_stuck()` saw it is
    left alone: the old row is changed only while it is still RUNNING since the same claim.
    """
    if action not in ACTIONS:
        raise ValueError(f"recover() action must be 'requeue' or 'fail', not {action!r}.")
    if isinstance(stuck, StuckTask):
        stuck = [stuck]
    done = []
    for item in stuck:
        recovery = _recover_one(item, action)
        if recovery:
            done.append(recovery)
    return done


def _recover_one(item, action):
    from django_tasks_db.models import DBTaskResult

    old = item.result
    reason = (
        f"Worker {item.worker_id!r} was {item.worker_state} while this task had been RUNNING "
        f"for {item.running_for.total_seconds():.0f} s; recovered with action={action!r}."
    )
    with transaction.atomic():
        # Compare-and-set: only a row still RUNNING since the same claim is ours to change.
        changed = DBTaskResult.objects.filter(
            id=old.id, status=TaskResultStatus.RUNNING, started_at=old.started_at
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=_as_traceback(reason),
        )
        if not changed:
            return None
        new = None
        if action == "requeue":
            new = old.task.enqueue(*old.args, **old.kwargs)
            DBTaskResult.objects.filter(id=old.id).update(
                traceback=_as_traceback(f"{reason} Re-enqueued as {new.id}.")
            )
    old.refresh()
    return Recovery(old=old, action=action, new=new)


def _as_traceback(message):
    return f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {message}\n"


def _as_timedelta(older_than):
    if isinstance(older_than, timedelta):
        value = older_than
    elif isinstance(older_than, (int, float)) and not isinstance(older_than, bool):
        value = timedelta(seconds=older_than)
    else:
        raise TypeError(
            f"older_than is a number of seconds or a timedelta, not {older_than!r}: "
            "e.g. find_stuck(older_than=600)."
        )
    if value < timedelta(0):
        raise ValueError(f"older_than must be zero or more, not {older_than!r}.")
    return value
