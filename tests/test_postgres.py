"""`tasklab.postgres.Postgres`: a real PostgreSQL server that listens on localhost and never outlives its owner."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import tasklab
from system_packages import postgres_bindir
from tasklab.paths import VAR_DIR
from tasklab.postgres import Postgres

OWNER = """
import sys, time
from tasklab.postgres import Postgres
pg = Postgres(bindir=sys.argv[1]).start()
print(pg.server_pid, pg.folder, flush=True)
time.sleep(120)
"""


def gone(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_until_gone(pid, folder, timeout=10):
    deadline = time.monotonic() + timeout
    while not (gone(pid) and not folder.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_it_serves_its_database_on_localhost_only(postgres):
    with postgres.connect() as connection:
        row = connection.execute(
            "SELECT current_database(), current_setting('listen_addresses'), inet_server_addr()::text"
        ).fetchone()

    assert row == ("tasklab", "127.0.0.1", "127.0.0.1/32")
    assert postgres.url == f"postgresql://postgres@127.0.0.1:{postgres.port}/tasklab"


def test_create_database_gives_an_empty_database_django_can_use(postgres):
    url = postgres.create_database("pytest_fresh")
    env = {**os.environ, "TASKLAB_DATABASE_URL": url}
    manage = [sys.executable, "manage.py"]
    sandbox = Path(__file__).resolve().parent.parent / "sandbox_project"

    subprocess.run([*manage, "migrate", "--verbosity=0"], cwd=sandbox, env=env, check=True, timeout=120)
    shown = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.db import connection; print(connection.vendor, connection.settings_dict['NAME'])",
        ],
        cwd=sandbox,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert url.endswith("/pytest_fresh")
    assert shown.stdout.splitlines()[-1] == "postgresql pytest_fresh"


def test_stop_ends_the_server_and_deletes_its_data():
    pg = Postgres(bindir=postgres_bindir()).start()
    pid, folder = pg.server_pid, pg.folder
    assert not gone(pid) and (folder / "data" / "PG_VERSION").exists()

    assert pg.stop() == 0

    assert gone(pid) and not folder.exists()
    assert "database system is shut down" in pg.log()


def test_a_killed_owner_leaves_no_server_and_no_data_behind():
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, postgres_bindir()], stdout=subprocess.PIPE, text=True
    )
    pid, folder = owner.stdout.readline().split()
    pid, folder = int(pid), Path(folder)
    assert not gone(pid)

    owner.send_signal(signal.SIGKILL)
    owner.wait()
    wait_until_gone(pid, folder)

    left = not gone(pid)
    if left:  # never leave it behind, even when the check fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "PostgreSQL outlived its owner"
    assert not folder.exists(), "its data folder was left behind"


def test_a_server_that_cannot_start_says_why_and_leaves_nothing_behind():
    pg = Postgres(bindir=postgres_bindir(), settings={"no_such_setting": "on"})

    with pytest.raises(
        tasklab.ProcessStartError, match='unrecognized configuration parameter "no_such_setting"'
    ):
        pg.start()

    assert not pg.running and pg.folder is not None and not pg.folder.exists()


# -- the server as the scaling lesson (17) and the benchmarks use it ------------------------


def test_a_fresh_server_on_localhost_that_leaves_nothing_behind():
    postgres_bindir()
    import psycopg

    from tasklab.postgres import Postgres

    with Postgres() as pg:
        assert pg.url == f"postgresql://postgres@127.0.0.1:{pg.port}/tasklab"
        with psycopg.connect(pg.url) as connection:
            listen, user, tables = connection.execute(
                "SELECT current_setting('listen_addresses'), current_user, "
                "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public')"
            ).fetchone()
        assert (listen, user, tables) == ("127.0.0.1", "postgres", 0)
        assert pg.data_dir.is_dir()

    assert not pg.running
    assert not pg.dir.exists()


def test_a_port_in_use_is_reported_with_postgres_own_words():
    postgres_bindir()
    from tasklab import ProcessStartError
    from tasklab.postgres import Postgres

    with Postgres() as first:
        with pytest.raises(ProcessStartError, match="Address already in use"):
            Postgres(port=first.port).start()


SCALE_OUT = """
import tasklab
lab = tasklab.setup({name!r}, database="postgresql")
from accounts.billing import charge_order, charges
results = [charge_order.enqueue(order, 100) for order in range(60)]
with tasklab.Worker(worker_id="a"), tasklab.Worker(worker_id="b"), tasklab.Worker(worker_id="c"):
    watched = tasklab.watch(results, timeout=60, live=False)
print(watched.summary())
print(sorted(set(charges().values())), len(charges()))
print(sorted({{len(r.worker_ids) for r in results}}))
from django.db import connection
print(connection.vendor, lab.postgres.running)
"""


def test_workers_on_postgresql_run_every_task_exactly_once():
    postgres_bindir()
    name = "pytest-postgres-scale-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKLAB_", "DJANGO_"))}
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCALE_OUT.format(name=name)],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        import shutil

        shutil.rmtree(VAR_DIR / "notebooks" / name, ignore_errors=True)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Lab {name!r} ready: Django 6.1")
    assert "fresh PostgreSQL database postgresql://postgres@127.0.0.1:" in lines[0]
    assert lines[1:] == [
        "60 x charge_order: READY -> RUNNING -> SUCCESSFUL",
        "[1] 60",  # every order charged, each exactly once
        "[1]",  # every task claimed by exactly one worker
        "postgresql True",
    ]


def test_setup_refuses_an_unknown_database():
    import tasklab

    with pytest.raises(ValueError, match="database='sqlite' or database='postgresql', not 'mysql'"):
        tasklab.setup("pytest-bad-database", database="mysql")


# -- running manage.py on it, and what a worker does when it drops a connection (lesson 16) ---


def test_manage_runs_a_command_on_one_of_its_databases(postgres):
    postgres.create_database("pytest_manage")

    postgres.manage("migrate", "--verbosity=0", database="pytest_manage")
    shown = postgres.manage("showmigrations", "django_tasks_database", database="pytest_manage")

    assert "[X] 0001_initial" in shown
    with pytest.raises(tasklab.TasklabError, match="Unknown command: 'no_such_command'"):
        postgres.manage("no_such_command")


def _run_a_task(postgres, database, worker):
    task_id = postgres.manage("enqueue_purge_progress", "--days", "7", database=database).split()[-1]
    worker.wait_for_log(
        f"Task id={task_id} path=accounts.tasks.purge_stale_progress state=SUCCESSFUL", timeout=20
    )


@pytest.mark.parametrize("health_checks", ["0", "1"])
def test_a_dropped_connection_kills_a_worker_unless_health_checks_are_on(postgres, health_checks):
    database = f"pytest_dropped_{health_checks}"
    url = postgres.create_database(database)
    postgres.manage("migrate", "--verbosity=0", database=database)
    env = {
        "TASKLAB_DATABASE_URL": url,
        "TASKLAB_CONN_MAX_AGE": "60",
        "TASKLAB_CONN_HEALTH_CHECKS": health_checks,
    }

    # The health check runs as the worker wakes: the drop must land while it sleeps.
    with tasklab.Worker(env=env, interval=1) as worker:
        _run_a_task(postgres, database, worker)
        assert postgres.end_sessions(database, just_committed=True) == 1
        if health_checks == "1":
            _run_a_task(postgres, database, worker)
            assert worker.running and "Error" not in worker.log()
        else:
            assert worker.wait(10) == 1
            # The message is psycopg's: "terminating connection due to administrator command"
            # with client-side binding, "the connection is closed" with prepared statements.
            last_words = worker.last_words()
            assert last_words.startswith("django.db.utils.OperationalError: "), worker.log_tail()


def test_a_second_server_is_a_copy_of_the_first_clusters_template(tmp_path, monkeypatch):
    """initdb runs once per machine; later servers copy its never-started cluster."""
    import psycopg

    from tasklab import postgres

    monkeypatch.setattr(postgres, "TEMPLATES_DIR", tmp_path)
    with postgres.Postgres(bindir=postgres_bindir()) as first:
        [template] = tmp_path.iterdir()
        assert (template / "PG_VERSION").is_file() and not (template / "postmaster.pid").exists()
        with psycopg.connect(first.url) as connection:
            connection.execute("CREATE TABLE only_in_the_first (id int)")
    (template / "copied-from-here").write_text("a marker initdb would not make")
    with postgres.Postgres(bindir=postgres_bindir()) as second:
        assert (second.data_dir / "copied-from-here").is_file()
        with psycopg.connect(second.url) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
        assert tables == (0,)
    assert list(tmp_path.iterdir()) == [template]  # nothing half-copied left beside it


def test_ending_sessions_just_after_a_commit_says_when_nothing_commits(postgres):
    with pytest.raises(tasklab.TasklabError, match="is a worker polling that database"):
        postgres.end_sessions(just_committed=True, timeout=0.3)
