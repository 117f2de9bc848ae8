from django.db import models


class TaskCounter(models.Model):
    """How often one task reached one event since the counters began, and the run time it took.

    One row per task and event, only ever incremented: unlike task results, nothing prunes
    it, so a monitoring system can read it as counters that never go down.
    """

    class Event(models.TextChoices):
        ENQUEUED = "ENQUEUED"
        STARTED = "STARTED"
        SUCCESSFUL = "SUCCESSFUL"
        FAILED = "FAILED"

    task_path = models.CharField(max_length=255)
    event = models.CharField(max_length=10, choices=Event)
    count = models.PositiveBigIntegerField(default=0)
    # Total run time (finished_at - started_at) of the SUCCESSFUL or FAILED runs counted here.
    seconds = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_path", "event"], name="taskmetrics_one_counter_per_event"),
        ]

    def __str__(self):
        return f"{self.task_path} {self.event}: {self.count}"
