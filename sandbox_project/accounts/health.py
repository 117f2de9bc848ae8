"""Is the task queue healthy? Two ages tell: how long the oldest due READY task has waited,
and how long the oldest RUNNING task has been running.

A task that waits too long means no worker serves its queue, or the workers cannot keep
up. A task that runs too long is slow, or its worker died (SIGKILL, out of memory, a lost
machine) and left it RUNNING for ever: the database backend has no heartbeat, so only
age tells.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass
class QueueHealth:
    ready: int
    running: int
    oldest_wait: timedelta | None
    longest_run: timedelta | None
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self):
        return not self.problems


def queue_health(*, max_wait, max_running, now=None):
    """Count due READY and RUNNING tasks, and compare their ages with two `timedelta` limits.

    A task deferred with `run_after` waits from the moment it became due, not from when
    it was enqueued.
    """
    now = now or timezone.now()
    # A task enqueued without run_after stores the far future (9999-01-01) there.
    due = DBTaskResult.objects.ready().annotate(
        due_at=Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    )
    running = DBTaskResult.objects.running()
    oldest_due = due.aggregate(at=Min("due_at"))["at"]
    oldest_start = running.aggregate(at=Min("started_at"))["at"]
    health = QueueHealth(
        ready=due.count(),
        running=running.count(),
        oldest_wait=now - oldest_due if oldest_due else None,
        longest_run=now - oldest_start if oldest_start else None,
    )
    late = due.filter(due_at__lt=now - max_wait)
    if late_count := late.count():
        queues = sorted(set(late.values_list("queue_name", flat=True)))
        health.problems.append(
            f"{late_count} READY task(s) waited longer than {_seconds(max_wait)} on queue(s) "
            f"{', '.join(queues)}: is a worker serving them, and keeping up?"
        )
    if stuck := running.filter(started_at__lt=now - max_running).count():
        health.problems.append(
            f"{stuck} task(s) RUNNING for longer than {_seconds(max_running)}: slow, or their "
            "worker died and left them RUNNING for ever."
        )
    return health


def _seconds(delta):
    return f"{delta.total_seconds():g} s"
