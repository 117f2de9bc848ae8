"""What the report tasks leave behind, the keys that keep a task unique (lesson 22), and the
runs a periodic job claims so that it sends its report once per tick (exercise 9)."""

from django.db import models
from django.db.models import Q


class ReportSection(models.Model):
    """One row per section a report rebuild wrote: the side effect that counts runs.

    A task's status says how its last attempt ended; these rows say how many times the
    task's code ran, and how far each run got before it stopped.
    """

    account_id = models.PositiveIntegerField(db_index=True)
    task_id = models.UUIDField(db_index=True)
    number = models.PositiveSmallIntegerField()
    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"account {self.account_id}, section {self.number} (task {self.task_id})"


class TaskKey(models.Model):
    """A unique key held by an enqueued task until it finishes: "one rebuild of account 7 at a time".

    The conditional unique constraint lets the database refuse a second key that is not
    released yet, even when two processes insert it at the same moment; released rows stay,
    as a history of who held the key.
    """

    key = models.CharField(max_length=200)
    task_id = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(released_at__isnull=True), name="one_unreleased_task_key"
            )
        ]

    def __str__(self):
        state = "released" if self.released_at else "held"
        return f"{self.key} {state} by {self.task_id}"


class JobRun(models.Model):
    """The tick `tick` (a due time or a day, as text) of the job `job` has been claimed."""

    job = models.CharField(max_length=100)
    tick = models.CharField(max_length=100)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "tick"], name="one_run_per_job_and_tick")]

    def __str__(self):
        return f"{self.job} for {self.tick}"


class SentReport(models.Model):
    """One row each time `tasklab.exercises.services.send_report` sent the report of a day."""

    day = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"report for {self.day} (sent by pid {self.pid})"
