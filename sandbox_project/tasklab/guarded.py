"""Run a `manage.py` command that cannot outlive its owner.

The owner (a notebook kernel, a test) passes the read end of a pipe whose write end only
it holds. When the owner dies, even by SIGKILL, the pipe reads end-of-file: this process
then stops itself gracefully (SIGTERM, as Ctrl+C would) and, if that takes too long,
exits hard. Usage: ``python -m tasklab.guarded OWNER_FD COMMAND [ARGS...]``.
"""

import os
import signal
import sys
import threading
import time

# Seconds between the graceful stop and the hard exit, once the owner is gone.
ORPHAN_GRACE = 1.5


def _exit_when_owner_dies(owner_fd):
    while os.read(owner_fd, 1):
        pass
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(ORPHAN_GRACE)
    os._exit(70)


def _refuse_unapplied_migrations():
    """A worker on an unmigrated database fails at its first poll with a bare SQL error."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.close()
    if plan:
        apps = sorted({migration.app_label for migration, _ in plan})
        sys.exit(
            f"The database {connection.settings_dict['NAME']} has unapplied migrations "
            f"({', '.join(apps)}). Run `python manage.py migrate` (or tasklab.setup() in "
            "a notebook) first."
        )


def _register_worker(command):
    """Leave this worker's card before it claims a task, so recovery can tell it is alive."""
    from tasklab import registry

    for arg in command:
        if arg.startswith("--worker-id="):
            registry.register(arg.removeprefix("--worker-id="))


def main(argv):
    owner_fd, *command = argv
    threading.Thread(target=_exit_when_owner_dies, args=(int(owner_fd),), daemon=True).start()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskdemo.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if command[0] in ("db_worker", "db_worker_listen"):
        from tasklab import worker_shutdown

        _refuse_unapplied_migrations()
        _register_worker(command)
        worker_shutdown.install()
    execute_from_command_line(["manage.py", *command])


if __name__ == "__main__":
    main(sys.argv[1:])
