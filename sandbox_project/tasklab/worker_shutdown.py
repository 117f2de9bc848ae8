"""A stop signal that waits for db_worker's current poll, the fix proposed upstream.

django-tasks-db 0.13.0's `db_worker` calls `sys.exit(0)` from its signal handler whenever no
task is running, wherever the worker is. A SIGTERM that lands in the COMMIT of a poll's claim
transaction turns into `ProgrammingError: can't change 'autocommit' now` (exit code 1), and one
that lands after a claim committed but before the task started leaves that task RUNNING for
good (django-tasks-db issue #61, open). `install()` applies the fix that issue proposes: the
handler only asks the loop to stop and wakes its sleep; the worker leaves at its next
`while self.running`, after the poll's transaction and after any task it claimed.
A second signal still forces the exit, as upstream.

The handler wakes whatever stands in for `time` in db_worker when the signal comes: the
sleep installed here, or a command's own idle wait that replaced it (`db_worker_listen`'s
`tasknotify.wait.NotificationWait`); each has a `stop()` that ends its sleep.
"""

import logging
import signal
import threading

logger = logging.getLogger("django_tasks_db")


class WakeableSleep:
    """Stands in for the `time` module inside db_worker: a sleep a stop signal can cut short."""

    def __init__(self):
        self.wake = threading.Event()

    def sleep(self, seconds):
        self.wake.wait(seconds)

    def stop(self):
        self.wake.set()


def install():
    """Patch db_worker's Worker before the command runs; call it once, in the worker process."""
    from django_tasks_db.management.commands import db_worker

    forced_exit = db_worker.Worker.shutdown

    def shutdown(self, signum, frame):
        if not self.running:
            forced_exit(self, signum, frame)
        logger.warning(
            "Received %s - shutting down gracefully... (press Ctrl+C again to force)",
            signal.strsignal(signum),
        )
        self.running = False
        db_worker.time.stop()

    db_worker.Worker.shutdown = shutdown
    db_worker.time = WakeableSleep()
