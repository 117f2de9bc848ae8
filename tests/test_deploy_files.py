"""The example deploy files (sandbox_project/deploy/) run: each command in them is run for real.

Their paths (/srv/taskdemo, its .venv) are examples; the test swaps in this checkout's
Python and the sandbox folder, and adds `--batch` to workers so they drain and exit.
"""

import configparser
import shlex
import subprocess
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from tasklab.paths import SANDBOX_DIR

DEPLOY = SANDBOX_DIR / "deploy"


def run_manage(argv, timeout=60):
    """Run `python manage.py ...` from a deploy file here, against the test database."""
    assert argv[:2] in (
        ["python", "manage.py"],
        ["/srv/taskdemo/.venv/bin/python", "manage.py"],
        [".venv/bin/python", "manage.py"],
    ), argv
    completed = subprocess.run(
        [sys.executable, "manage.py", *argv[2:]],
        cwd=SANDBOX_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return completed.returncode, completed.stdout + completed.stderr


def systemd_unit():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(DEPLOY / "db-worker@.service")
    return unit


def test_the_systemd_unit_stops_gracefully_and_restarts():
    service = systemd_unit()["Service"]
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) >= 60, "give the slowest task time to finish"
    assert service["KillMode"] == "mixed"
    assert service["Restart"] == "always"
    assert "--no-reload" in shlex.split(service["ExecStart"])


@pytest.mark.parametrize("queue", ["default", "emails"])
def test_the_systemd_units_worker_serves_its_queue(transactional_db, queue):
    from accounts.tasks import add, send_password_reset

    result = add.enqueue(2, 3) if queue == "default" else send_password_reset.enqueue("bob@example.com")
    command = systemd_unit()["Service"]["ExecStart"].replace("%i", queue).replace("%H", "web1")

    code, output = run_manage([*shlex.split(command), "--batch"])

    assert code == 0, output
    assert f"Starting worker worker_id=web1-{queue} queues={queue}" in output
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


def procfile():
    return dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines())


def test_the_procfile_migrates_on_release_and_runs_a_worker_per_queue(transactional_db):
    processes = procfile()
    assert set(processes) == {"release", "worker", "emails"}

    code, output = run_manage(shlex.split(processes["release"]))
    assert code == 0, output
    for name, queue in [("worker", "default"), ("emails", "emails")]:
        code, output = run_manage([*shlex.split(processes[name]), "--batch"])
        assert code == 0, output
        assert f"queues={queue}" in output


def crontab_commands():
    lines = (DEPLOY / "crontab").read_text().splitlines()
    jobs = [line for line in lines if line and not line.startswith("#") and "=" not in line.split()[0]]
    return [line.split(None, 5)[5] for line in jobs]


def test_every_cron_job_runs_and_prunes_every_queue(transactional_db):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import send_password_reset

    old_email = send_password_reset.enqueue("bob@example.com")
    DBTaskResult.objects.filter(id=old_email.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=30)
    )
    commands = crontab_commands()
    assert len(commands) == 3

    for command in commands:
        work = command.split(" && ", 1)[1].split(" >", 1)[0]
        code, output = run_manage(shlex.split(work))
        assert code == 0, f"{work}\n{output}"

    assert DBTaskResult.objects.filter(task_path="accounts.tasks.purge_stale_progress").count() == 1
    assert not DBTaskResult.objects.filter(id=old_email.id).exists(), (
        "old results on `emails` were not pruned"
    )
