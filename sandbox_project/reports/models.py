"""Two tables for a periodic job that must run once per tick, however many copies are enqueued.

`JobRun` is the job's own guard: its unique constraint lets the database accept one row per
(job, tick), so the one task that inserts it has claimed the tick and the others know.
`SentReport` is the pretend outbox: one row each time a report really went out.
"""

from django.db import models


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
