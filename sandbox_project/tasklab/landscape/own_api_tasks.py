"""Tasks that use a backend's own API beyond django.tasks, imported only under that backend.

A project that adopts one of these options ties its task modules to that package: switching
backends is then more than a settings change.
"""

from dj_queue.api import concurrency
from django.tasks import task

from .tasks import write_mark


# dj-queue: a second copy enqueued while one holds the key is discarded, not queued.
@task
@concurrency(key="landscape-unique", limit=1, duration=60, on_conflict="discard")
def unique_mark_dj_queue(name, value=""):
    write_mark(name, value)
