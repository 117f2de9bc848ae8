"""`manage.py db_worker_listen`: django-tasks-db's `db_worker`, woken by PostgreSQL's NOTIFY.

Same options, same loop, same claim: only the idle sleep differs. Where `db_worker` sleeps
`--interval` seconds after a poll that found nothing, this one waits for the trigger's
notification of a new task, and `--interval` becomes the longest wait.
"""

from django.core.management.base import CommandError
from django.db import connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tasknotify.trigger import TRIGGER, task_table
from tasknotify.wait import NotificationWait


class Command(db_worker.Command):
    help = "Run a database background worker that wakes up when PostgreSQL announces a new task"

    def handle(self, **options):
        database = DBTaskResult.objects.db
        self._check_trigger(connections[database])
        wait = NotificationWait(database)
        wait.listen()  # before the first poll, so that no task can slip in between
        # db_worker's loop sleeps with its module's `time.sleep(self.interval)`: that one call
        # (and the startup delay's) becomes the wait for a notification.
        db_worker.time = wait
        try:
            super().handle(**options)
        finally:
            wait.close()

    @staticmethod
    def _check_trigger(connection):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"db_worker_listen waits for PostgreSQL's NOTIFY, and the task table is in the "
                f"database {connection.alias!r}, which is {connection.vendor}. Run "
                "`python manage.py db_worker` there instead."
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [TRIGGER, task_table()],
            )
            if not cursor.fetchone()[0]:
                raise CommandError(
                    f"The trigger {TRIGGER} is missing on {task_table()}, so no worker would ever be "
                    "notified. Run `python manage.py migrate tasknotify` first."
                )
