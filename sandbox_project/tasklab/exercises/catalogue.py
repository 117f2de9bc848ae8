"""The workshop's exercises, in lesson order: notebook name, title, and checker module."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    name: str  # notebooks/exercises/<name>.ipynb
    title: str
    checker: str  # module in tasklab.exercises.checks

    @property
    def number(self):
        return int(self.name[:2])


EXERCISES = [
    Entry("01-first-task", "Your first task", "first_task"),
    Entry("02-thumbnail-for-a-new-user", "A thumbnail for a new user", "thumbnail"),
    Entry("03-images-queue", "Route a task to the images queue", "images_queue"),
    Entry("04-show-progress", "Show the progress of a long task", "progress"),
    Entry("05-enqueue-on-commit", "Make a view enqueue on commit", "on_commit"),
    Entry("06-test-a-view", "Test that a view enqueued a task", "view_test"),
    Entry("07-retry-with-backoff", "Retry a flaky task with backoff", "retry"),
    Entry("08-recover-a-stuck-task", "Recover a stuck task", "stuck"),
    Entry("09-periodic-job-runs-once", "A periodic job that never runs twice at once", "run_once"),
    Entry("10-unique-task", "Make a task unique per key", "unique_task"),
    Entry("11-rate-limit", "Limit a task to N calls per second", "rate_limit"),
    Entry("12-minimal-backend", "Write a minimal task backend", "minimal_backend"),
]


def entry(name):
    for candidate in EXERCISES:
        if candidate.name == name:
            return candidate
    names = ", ".join(e.name for e in EXERCISES)
    raise LookupError(f"No exercise named {name!r}. The exercises are: {names}.")
