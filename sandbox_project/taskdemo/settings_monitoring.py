"""The sandbox's settings plus a tasks dashboard and task metrics (lesson 21).

Select it with ``DJANGO_SETTINGS_MODULE=taskdemo.settings_monitoring`` in every process: the
web server and each worker, since the receivers that record tasks run in the worker.
"""

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    # django-tasks-monitor: a record per task from the three task signals, and a dashboard
    # with retry in the admin.
    "tasks_monitor",
    # The sandbox's counters per task, served at /metrics for Prometheus.
    "taskmetrics",
]

ROOT_URLCONF = "taskdemo.urls_monitoring"

TASKS_MONITOR = {
    # A task RUNNING for longer than this (seconds) shows as stuck: above the slowest task.
    "STUCK_AFTER": 600,
}
