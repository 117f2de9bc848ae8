import os

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # Lesson 13's demo receivers, only in a process started with TASKLAB_DEMO_RECEIVERS
        # (one worker of that lesson); nothing is connected anywhere else.
        if names := os.environ.get("TASKLAB_DEMO_RECEIVERS"):
            from .receivers import connect

            connect(names)
