import os
from importlib import import_module

from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # Lesson 13's demo receivers, only in a process started with TASKLAB_DEMO_RECEIVERS
        # (one worker of that lesson); nothing is connected anywhere else.
        if names := os.environ.get("TASKLAB_DEMO_RECEIVERS"):
            from .receivers import connect

            connect(names)
        # Periodic tasks register with the scheduler when their module is imported
        # (lesson 20): only under taskdemo.settings_periodic, which lists them.
        for module in getattr(settings, "PERIODIC_TASK_MODULES", ()):
            import_module(module)
