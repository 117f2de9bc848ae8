from django.apps import AppConfig


class TaskNotifyConfig(AppConfig):
    name = "tasknotify"
    verbose_name = "Task notifications (LISTEN/NOTIFY wake-up for db_worker)"
