"""Keeps the task queue (django_tasks_db's table) in the `queue` database, everything else in `default`.

Active only when TASKLAB_QUEUE_DATABASE_URL is set (see settings). Its consequence is the
lesson: a transaction on `default` no longer covers the rows that enqueue a task.
"""

QUEUE_APP = "django_tasks_database"  # django_tasks_db's app label
QUEUE_DATABASE = "queue"


class QueueDatabaseRouter:
    def db_for_read(self, model, **hints):
        return QUEUE_DATABASE if model._meta.app_label == QUEUE_APP else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, **hints):
        return (app_label == QUEUE_APP) == (db == QUEUE_DATABASE)
