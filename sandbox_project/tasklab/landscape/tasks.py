"""The tasks every backend of the landscape runs: plain `django.tasks.task`, nothing else.

`mark` appends one line per run to a file in ``TASKLAB_LANDSCAPE_MARKS``, a folder shared by
the enqueuing process and every worker: counting lines tells how often a task really ran,
whatever the backend stores.
"""

import os
import time
from pathlib import Path

from django.tasks import task


def _marks():
    return Path(os.environ["TASKLAB_LANDSCAPE_MARKS"])


def write_mark(name, value=""):
    """Append one line to the marks file `name`: O_APPEND keeps lines whole across processes."""
    with open(_marks() / f"{name}.txt", "a") as marks:
        marks.write(f"{value}\n")


def read_marks(name):
    path = _marks() / f"{name}.txt"
    return path.read_text().splitlines() if path.exists() else []


def _leave_signal_marks():
    """Each process that imports this module marks which `task_started` signal it saw sent:
    django.tasks' own, or the `django_tasks` backport's (a worker built on the backport)."""
    import django.tasks.signals

    signals = [("django.tasks.signals", django.tasks.signals.task_started)]
    try:
        import django_tasks.signals

        signals.append(("django_tasks.signals", django_tasks.signals.task_started))
    except ImportError:
        pass
    for label, signal in signals:
        signal.connect(lambda label=label, **kwargs: write_mark("task_started", label), weak=False)


_leave_signal_marks()


@task
def add(a, b):
    return a + b


@task
def noop():
    """What the benchmark measures: the backend's own cost per task."""


@task
def mark(name, value=""):
    """Leaves a line in the marks file `name` each time it runs."""
    write_mark(name, value)
    return value


@task
def timed(name, number):
    """The benchmark's task: does nothing but note its number, start and end (epoch seconds)."""
    started = time.time()
    write_mark(name, f"{number} {started!r} {time.time()!r}")


@task
def stamp(name):
    """Writes the wall-clock time it started: pickup latency, and run order under priorities."""
    write_mark(name, repr(time.time()))


@task
def sleep_then_mark(name, seconds):
    """Marks its start, sleeps: a worker killed meanwhile leaves it RUNNING."""
    write_mark(name, "started")
    time.sleep(seconds)
    write_mark(name, "finished")


@task(takes_context=True)
def attempt(context, name):
    """Marks the attempt number its context gives: a backend that passes no context fails it."""
    write_mark(name, context.attempt)


@task(takes_context=True)
def fail_first(context, name):
    """Fails on its first attempt and succeeds on a later one: what a retry would show."""
    write_mark(name, context.attempt)
    if context.attempt < 2:
        raise RuntimeError("first attempt fails")
    return context.attempt


@task(queue_name="emails")
def on_emails_queue(name):
    write_mark(name, "ran")
