"""`tasklab.async_commit_crash`: with `synchronous_commit = off`, a crash of PostgreSQL right after a
task finished makes it READY again, and a new worker runs it a second time; with `on`, once."""

import runpy

import psutil
import pytest

from tasklab.paths import SANDBOX_DIR

SETTINGS = SANDBOX_DIR / "taskdemo" / "settings.py"


@pytest.fixture(scope="module")
def pg():
    """A server of this module's own, migrated: these tests crash it (it restarts itself)."""
    from system_packages import postgres_bindir
    from tasklab.postgres import Postgres

    with Postgres(bindir=postgres_bindir()) as server:
        server.manage("migrate", "--verbosity=0")
        yield server


def running(processes):
    """(pid, command line, status) of each of `processes` still running; one that ends while we look does not count."""
    pids = []
    for process in processes:
        try:
            pids.append((process.pid, " ".join(process.cmdline()), process.status()))
        except psutil.NoSuchProcess:  # ZombieProcess included
            pass
    return pids


def workers_left():
    """db_worker processes started by this test process and still running."""
    return [
        pid
        for pid, command, _ in running(psutil.Process().children(recursive=True))
        if "db_worker" in command
    ]


def stopped_server_processes(pg):
    """The server's processes stopped by SIGSTOP (the WAL writer, had it been left so)."""
    children = psutil.Process(pg.server_pid).children()
    return [pid for pid, _, status in running(children) if status == psutil.STATUS_STOPPED]


@pytest.mark.parametrize(
    "synchronous_commit, written, after_recovery, side_effects",
    [("off", False, "READY", 2), ("on", True, "SUCCESSFUL", 1)],
)
def test_a_crash_right_after_a_task(pg, synchronous_commit, written, after_recovery, side_effects):
    from tasklab.async_commit_crash import crash_after_a_task

    facts = crash_after_a_task(pg, synchronous_commit=synchronous_commit)

    assert facts == {
        "synchronous_commit": synchronous_commit,
        "status before crash": "SUCCESSFUL",
        "side effects before crash": 1,
        "worker's commits written to WAL files before crash": written,
        "server restarted itself": True,
        "first worker's exit code": 1,  # its connection was ended by the crash
        "status after recovery": after_recovery,
        "new worker (--batch) exit code": 0,
        "status after the new worker": "SUCCESSFUL",
        "side effects": side_effects,
    }
    assert "all server processes terminated; reinitializing" in pg.log()
    assert workers_left() == []
    assert stopped_server_processes(pg) == []  # the new WAL writer runs


def test_an_unknown_value_is_refused_before_anything_runs(pg):
    from tasklab.async_commit_crash import crash_after_a_task

    with pytest.raises(ValueError, match="synchronous_commit is one of on, off"):
        crash_after_a_task(pg, synchronous_commit="of")


def test_show_prints_one_fact_a_line(capsys):
    from tasklab.async_commit_crash import show

    show({"synchronous_commit": "off", "side effects": 2})

    assert capsys.readouterr().out == "synchronous_commit  off\nside effects        2\n"


# -- the settings knob the worker uses: TASKLAB_PG_SYNCHRONOUS_COMMIT ------------------------


def database_options(monkeypatch, url, synchronous_commit):
    monkeypatch.setenv("TASKLAB_DATABASE_URL", url)
    monkeypatch.setenv("TASKLAB_PG_SYNCHRONOUS_COMMIT", synchronous_commit)
    return runpy.run_path(str(SETTINGS))["DATABASES"]["default"].get("OPTIONS", {})


def test_the_knob_adds_to_the_options_of_a_postgresql_url(monkeypatch):
    url = "postgresql://postgres@127.0.0.1:5432/tasklab?options=-c%20work_mem%3D2MB&sslmode=disable"

    options = database_options(monkeypatch, url, "off")

    assert options["options"] == "-c work_mem=2MB -c synchronous_commit=off"
    assert options["sslmode"] == "disable"


def test_the_knob_leaves_sqlite_alone(monkeypatch, tmp_path):
    options = database_options(monkeypatch, f"sqlite:///{tmp_path / 'db.sqlite3'}", "off")

    assert "options" not in options
