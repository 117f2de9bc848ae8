"""What the workers share: the calls let through per second, and the batches' progress."""

from django.db import models


class RateWindow(models.Model):
    """How many calls to `name` were let through during one second (a fixed window)."""

    name = models.CharField(max_length=100)
    second = models.BigIntegerField()  # int(time.time()) at the start of the window
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "second"], name="one_window_per_name_and_second")
        ]


class Batch(models.Model):
    """A job split into `parts` tasks; `remaining` counts the parts not finished yet."""

    parts = models.PositiveIntegerField()
    remaining = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class BatchPart(models.Model):
    """One part of a batch, and whether it is done (what the naive "am I the last?" reads)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="part_rows")
    number = models.PositiveIntegerField()
    done = models.BooleanField(default=False)


class FinalRun(models.Model):
    """One run of a batch's final step: more than one row per batch is a bug."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="final_runs")
    pid = models.PositiveIntegerField()
    ran_at = models.DateTimeField(auto_now_add=True)
