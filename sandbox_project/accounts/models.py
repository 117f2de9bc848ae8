"""What the sandbox stores besides users: the progress that long tasks report."""

from django.db import models


class TaskProgress(models.Model):
    """How far a long task has got. The task writes it; a page polls it.

    `django.tasks` has no progress API of its own, so a task that wants to report progress
    keeps it in a table of the application's, keyed by the task result's id.
    """

    task_id = models.UUIDField(primary_key=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "task progress"

    def __str__(self):
        return f"{self.task_id}: {self.done}/{self.total}"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100


class TaskExecution(models.Model):
    """One row each time `record_execution` runs: a side effect that counts duplicates.

    A task's status says how its last attempt ended; it cannot say how many times the task's
    code ran. Counting these rows per `task_id` can: exactly once is one row per task.
    """

    task_id = models.UUIDField(db_index=True)
    worker_id = models.CharField(max_length=64)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.task_id} run by {self.worker_id} (pid {self.pid})"


class EffectKey(models.Model):
    """The idempotency guard of `accounts.effects.apply_effect`: one row per key ever applied.

    Its unique key is what makes a second run harmless: only the run that inserts the key
    applies the effect, in the same transaction.
    """

    key = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return self.key


class SideEffect(models.Model):
    """One row each time `apply_effect` applies its effect: stands in for charging a card.

    Deliberately without a unique key: a task that applied its effect twice shows here as two
    rows for one `key`, so "applied more than once" is counted, not assumed away.
    """

    key = models.CharField(max_length=64, db_index=True)
    task_id = models.UUIDField()
    worker_id = models.CharField(max_length=64)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.key} applied by task {self.task_id} on {self.worker_id}"
