"""The sandbox's settings plus a LOGGING setting for the task workers (lesson 15).

Select it with ``DJANGO_SETTINGS_MODULE=taskdemo.settings_logging``.
"""

from .settings import *  # noqa: F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "tasks": {
            "format": "{asctime} {levelname} [{name}] {message}",
            "datefmt": "%Y-%m-%dT%H:%M:%S",
            "style": "{",
        },
    },
    "handlers": {
        "tasks": {"class": "logging.StreamHandler", "formatter": "tasks"},
    },
    "loggers": {
        # One line per task started and finished; ERROR, with the traceback, when it failed.
        "django.tasks": {"handlers": ["tasks"], "level": "INFO", "propagate": False},
        # The worker itself: starting, stopping, signals.
        "django_tasks_db": {"handlers": ["tasks"], "level": "INFO", "propagate": False},
    },
}
