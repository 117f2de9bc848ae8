"""`tasklab.postgres.Postgres`: a real, throw-away PostgreSQL server, and the database backend on it."""

import os
import subprocess
import sys

import pytest

from system_packages import postgres_path
from tasklab.paths import VAR_DIR


@pytest.fixture(autouse=True)
def _needs_postgres():
    postgres_path()


def test_a_fresh_server_on_localhost_that_leaves_nothing_behind():
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
    name = "pytest-postgres-scale-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKLAB_", "DJANGO_"))}
    try:
        done = subprocess.run([sys.executable, "-c", SCALE_OUT.format(name=name)], env=env,
                              capture_output=True, text=True, timeout=180)
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
