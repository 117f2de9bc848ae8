"""The sandbox's settings plus a tasks dashboard and task metrics (lesson 21).

Select it with ``DJANGO_SETTINGS_MODULE=taskdemo.settings_monitoring`` in every process: the
web server and each worker, since the receivers that record tasks run in the worker.
"""

import copy

from .settings import *  # noqa: F403
from .settings import DATABASES, INSTALLED_APPS

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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # django-tasks-monitor's receivers read, then write, inside `atomic()`. On SQLite such a
    # transaction cannot take the write lock if another process wrote since its read:
    # "database is locked" at once, whatever the timeout. BEGIN IMMEDIATE takes the lock
    # first, and waits for it.
    DATABASES = copy.deepcopy(DATABASES)  # the sandbox's own settings stay as they are
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
