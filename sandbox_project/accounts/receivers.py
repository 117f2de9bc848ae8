"""Task signal receivers that lesson 13 connects inside one worker, to show what a failing
receiver does there, and lesson 20 inside its schedulers, to slow their enqueues down.

They are off by default: `AccountsConfig.ready()` connects them only in a process whose
environment variable TASKLAB_DEMO_RECEIVERS names some of them (comma-separated), e.g.
``tasklab.Worker(env={"TASKLAB_DEMO_RECEIVERS": "metrics_on_finished"})``. Every other
worker's log stays as the lessons print it.
"""

import logging
import time

from django.core.exceptions import ImproperlyConfigured
from django.tasks.signals import task_enqueued, task_finished, task_started

logger = logging.getLogger(__name__)


class MetricsUnavailable(Exception):
    """The receiver's own failure: here, a metrics service that does not answer."""


def send_metrics(task_result):
    """Stands in for a call to a metrics service, which is down."""
    raise MetricsUnavailable(f"metrics service down ({task_result.task.name}: {task_result.status})")


def metrics_on_started(sender, task_result, **kwargs):
    send_metrics(task_result)


def metrics_on_finished(sender, task_result, **kwargs):
    send_metrics(task_result)


def careful_metrics_on_finished(sender, task_result, **kwargs):
    """The same call, but a receiver's failure stays the receiver's: logged, never raised."""
    try:
        send_metrics(task_result)
    except Exception:
        logger.exception("Could not send the metrics of task id=%s", task_result.id)


def slow_enqueue(sender, task_result, **kwargs):
    """Lesson 20: an enqueue that takes half a second, as to a busy database or a remote broker.

    The row is already saved when the signal is sent: only the caller is kept waiting.
    """
    time.sleep(0.5)


RECEIVERS = {
    "metrics_on_started": (task_started, metrics_on_started),
    "metrics_on_finished": (task_finished, metrics_on_finished),
    "careful_metrics_on_finished": (task_finished, careful_metrics_on_finished),
    "slow_enqueue": (task_enqueued, slow_enqueue),
}


def connect(names):
    """Connect the receivers named in `names` ("a,b"); refuse a name that does not exist."""
    for name in filter(None, (part.strip() for part in names.split(","))):
        if name not in RECEIVERS:
            raise ImproperlyConfigured(
                f"TASKLAB_DEMO_RECEIVERS names no receiver {name!r}; choose from {', '.join(RECEIVERS)}."
            )
        signal, receiver = RECEIVERS[name]
        signal.connect(receiver, dispatch_uid=f"tasklab-demo-{name}")
