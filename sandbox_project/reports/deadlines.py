"""A deadline a task checks between steps: the cooperative time limit.

`django.tasks` 6.1 and `db_worker` have no time limit of their own, so a task that must
not run for ever keeps its own clock, and stops itself with a clear error when time is up.
It can only stop between steps: a step that never returns never reaches the next check.
"""

import time


class DeadlineExceeded(Exception):
    """A task ran past its time limit and stopped itself."""


class Deadline:
    """`limit` seconds from now: `check(progress)` raises DeadlineExceeded once they have passed."""

    def __init__(self, limit):
        self.limit = limit
        self.ends = time.monotonic() + limit

    def check(self, progress):
        if time.monotonic() > self.ends:
            raise DeadlineExceeded(f"stopped after its {self.limit:g} s limit, with {progress}")
