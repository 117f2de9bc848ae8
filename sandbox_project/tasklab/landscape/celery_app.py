"""The Celery app django-tasks-celery needs: the package ships none (django-tasks-fennel does).

This is the app Celery's own Django guide writes: settings from ``CELERY_*`` Django settings.
``CELERY_IMPORTS`` names the task modules, so that the worker imports them at start-up: the
backend registers a django.tasks task with Celery when the task's module is imported.
"""

from celery import Celery

app = Celery("tasklab_landscape")
app.config_from_object("django.conf:settings", namespace="CELERY")
