"""What `synchronous_commit = off` on a worker's connection can cost when PostgreSQL crashes.

    from tasklab.async_commit_crash import crash_after_a_task, show
    show(crash_after_a_task(pg, synchronous_commit="off"))   # pg: a started, migrated Postgres

With `off`, PostgreSQL answers COMMIT before the commit's WAL record is on disk; its WAL
writer writes it soon after (within three `wal_writer_delay`s, 200 ms each by default). A
crash in between loses the commit, although every session had already seen it. For a
`db_worker`, the commits at risk are its claim (RUNNING) and its result (SUCCESSFUL): lose
both and the task is READY again after recovery, so the next worker runs it a second time,
while its effect outside the database (an email; here a line in a file) already happened.

All of it runs for real: a worker, a crash of the server (the postmaster restarts itself and
runs crash recovery, as `restart_after_crash = on`, the default, makes it do), and a second
worker. Only the window is held open, so that the outcome does not depend on luck.
"""

import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

from .errors import TasklabError
from .worker import Worker

# PostgreSQL's values; `off` is the only one that does not wait for the local disk.
VALUES = ("on", "off", "local", "remote_write", "remote_apply")
CRASH_LINE = "all server processes terminated; reinitializing"
READY_LINE = "database system is ready to accept connections"
TIMEOUT = 60.0  # seconds for any one step; a busy 2-core machine can be slow, never this slow


def crash_after_a_task(pg, *, synchronous_commit):
    """Run one task under a worker whose connection has `synchronous_commit`, crash PostgreSQL
    right after the task finished, and let a new worker run what is READY after recovery.

    Returns stable facts: the statuses before and after the crash, whether the worker's commits
    had reached the disk, and how many times the task's effect happened.
    """
    if synchronous_commit not in VALUES:
        raise ValueError(f"synchronous_commit is one of {', '.join(VALUES)}, not {synchronous_commit!r}.")
    with tempfile.TemporaryDirectory(prefix="tasklab-effects-") as folder:
        effects = Path(folder) / "effects.txt"
        task_id = _enqueue(pg, effects)
        _quiet(pg)
        walwriter = _stop_walwriter(pg)
        workers = []
        try:
            written_before = _wal_written(pg)
            env = {"TASKLAB_DATABASE_URL": pg.url, "TASKLAB_PG_SYNCHRONOUS_COMMIT": synchronous_commit}
            workers.append(Worker(env=env).start())
            before = _wait_for_status(pg, task_id, "SUCCESSFUL")
            effects_before = _lines(effects)
            commits_written = _wal_written(pg) != written_before
            restarted = _crash(pg, walwriter)
            first_exit = _exit_code(workers[0])
            after = _status(pg, task_id)
            workers.append(Worker(env={"TASKLAB_DATABASE_URL": pg.url}, batch=True).start())
            second_exit = _exit_code(workers[1])
            final = _status(pg, task_id)
        finally:
            for worker in workers:
                worker.stop()
            if walwriter.is_running():  # something failed before the crash: let the server go on
                walwriter.resume()
        return {
            "synchronous_commit": synchronous_commit,
            "status before crash": before,
            "side effects before crash": effects_before,
            "worker's commits written to WAL files before crash": commits_written,
            "server restarted itself": restarted,
            "first worker's exit code": first_exit,
            "status after recovery": after,
            "new worker (--batch) exit code": second_exit,
            "status after the new worker": final,
            "side effects": _lines(effects),
        }


def show(facts):
    """Print the facts one per line, as a lesson shows them."""
    width = max(map(len, facts))
    for name, value in facts.items():
        print(f"{name:<{width}}  {value}")


def _enqueue(pg, effects):
    """Enqueue from another process, with ordinary (synchronous) commits: the task itself is durable."""
    code = f"from accounts.tasks import append_line; print(append_line.enqueue({str(effects)!r}, 'ran').id)"
    return pg.manage("shell", "--verbosity=0", "-c", code).split()[-1]


def _quiet(pg):
    """Give the server no reason to flush its WAL while the window is open.

    Any flush, by any session, writes all the WAL inserted so far, the worker's async commits
    with it (another session's CREATE TABLE does). On a freshly migrated database, autovacuum
    ANALYZEs the tables the migration filled a minute or two later, and commits synchronously;
    a timed checkpoint (every 5 minutes) flushes too. Done now, neither is due for minutes.
    """
    with pg.connect() as admin:
        admin.execute("VACUUM ANALYZE")
        admin.execute("CHECKPOINT")


def _stop_walwriter(pg):
    """SIGSTOP the WAL writer: async commits then stay in memory (WAL buffers) until the crash.

    Running, it writes them within three `wal_writer_delay`s, so a crash would lose them only
    if it came by chance inside that window; stopped, it holds the window open as long as needed.
    """
    for child in psutil.Process(pg.server_pid).children():
        if "walwriter" in " ".join(child.cmdline()):
            child.suspend()
            return child
    raise TasklabError(f"No WAL writer among the processes of {pg.describe()}.")


def _crash(pg, walwriter):
    """SIGKILL the stopped WAL writer: the postmaster treats its death as a crash, ends every
    session, resets shared memory (the unwritten WAL with it) and runs crash recovery from the
    files, all without exiting. Returns whether it came back by itself.
    """
    postmaster, seen = pg.server_pid, len(pg.log())
    walwriter.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + TIMEOUT
    while True:
        since = pg.log()[seen:]
        if CRASH_LINE in since and READY_LINE in since.split(CRASH_LINE, 1)[1]:
            break
        if time.monotonic() > deadline or not pg.running:
            raise TasklabError(f"{pg.describe()} did not restart after the crash:\n{since[-2000:]}")
        time.sleep(0.05)
    return pg.running and pg.server_pid == postmaster


def _reader(pg):
    """A connection that cannot write: a read-only SELECT writes no commit record, so reading
    the status never flushes the WAL that this demonstration keeps in memory."""
    connection = pg.connect()
    connection.execute("SET default_transaction_read_only = on")
    return connection


def _status(pg, task_id):
    with _reader(pg) as db:
        return _read_status(db, task_id)


def _read_status(db, task_id):
    row = db.execute(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id]
    ).fetchone()
    return row[0]


def _wait_for_status(pg, task_id, status):
    with _reader(pg) as db:
        deadline = time.monotonic() + TIMEOUT
        while (current := _read_status(db, task_id)) != status:
            if time.monotonic() > deadline:
                raise TasklabError(f"Task {task_id} is still {current} after {TIMEOUT:g} s, not {status}.")
            time.sleep(0.05)
    return status


def _wal_written(pg):
    """How far the server has written its WAL out of memory (to the operating system)."""
    with _reader(pg) as db:
        return db.execute("SELECT pg_current_wal_lsn()").fetchone()[0]


def _exit_code(worker):
    """The worker's exit code once it exits by itself (lost connection, or --batch done)."""
    try:
        return worker.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        raise TasklabError(f"{worker.describe()} was still running after {TIMEOUT:g} s.") from None


def _lines(path):
    return len(path.read_text().splitlines()) if path.exists() else 0
