"""The idle sleep of `db_worker_listen`: wait for a new task's NOTIFY, at most `seconds`."""

import logging
import os
import select
import threading

from psycopg import OperationalError

from .trigger import CHANNEL

logger = logging.getLogger("django_tasks_db")


class NotificationWait:
    """Stands in for the `time` module inside db_worker, whose loop calls `time.sleep(interval)`
    after a poll that found no task. This sleep ends as soon as the trigger announces a new
    task, or after `seconds` (the interval, so that a missed notification delays a task by one
    interval at most, as plain polling would), or when `stop()` is called from a signal handler.
    """

    def __init__(self, database):
        self.database = database  # the alias of the database that holds the task table
        self.listener = None
        self.stopping = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)

    def listen(self):
        """LISTEN on a connection of its own: the worker's Django connection is closed and
        reopened between polls (`close_old_connections()`), and would forget the LISTEN."""
        from django.db import connections

        django_connection = connections[self.database]
        params = django_connection.get_connection_params()
        self.listener = django_connection.Database.connect(**params, autocommit=True)
        self.listener.execute(f"LISTEN {CHANNEL}")

    def sleep(self, seconds):
        if self.stopping.is_set():
            return
        if self.listener is None or self.listener.closed:
            # Listening again after a lost connection: poll at once, as a task may have been
            # announced while nobody listened.
            self.listen()
            return
        ready, _, _ = select.select([self.listener.fileno(), self._wake_read], [], [], seconds)
        if self.listener.fileno() in ready:
            self._read_notifications()

    def _read_notifications(self):
        """Take every notification waiting (one poll serves them all), or notice a lost connection."""
        try:
            for _ in self.listener.notifies(timeout=0):
                pass
        except OperationalError as error:
            logger.warning("Lost the LISTEN connection (%s): polling, then listening again.", error)
            self.listener.close()

    def stop(self):
        """End this sleep and every later one; safe to call from a signal handler."""
        self.stopping.set()
        try:
            os.write(self._wake_write, b"x")
        except BlockingIOError:  # the pipe is full: the sleep has been woken already
            pass

    def close(self):
        if self.listener is not None:
            self.listener.close()
        os.close(self._wake_read)
        os.close(self._wake_write)
