from django.apps import AppConfig


class TaskMetricsConfig(AppConfig):
    name = "taskmetrics"
    verbose_name = "Task metrics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every process that loads the app connects the receivers: the web server (which
        # enqueues) and each db_worker (which starts and finishes tasks).
        from . import receivers

        receivers.connect()
