"""The cheap guards every Django project runs, on the sandbox: they fail fast and say why."""

import os
import subprocess
import sys

from tasklab.paths import SANDBOX_DIR


def manage(*args, settings="taskdemo.settings"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SANDBOX_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_system_checks_find_no_issue():
    done = manage("check", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_system_checks_pass_on_the_rq_settings_too():
    """Every sandbox task must be acceptable to RQ as well (no decorator priority, lesson 17)."""
    done = manage("check", "--fail-level", "WARNING", settings="taskdemo.settings_rq")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_model_change_lacks_its_migration():
    done = manage("makemigrations", "--check", "--dry-run", "accounts", "reports")
    assert done.returncode == 0, f"a model changed without a migration:\n{done.stdout}{done.stderr}"


def test_system_checks_pass_on_the_monitoring_settings_too():
    """Lesson 21's settings: django-tasks-monitor, the sandbox's task metrics and /metrics."""
    done = manage("check", "--fail-level", "WARNING", settings="taskdemo.settings_monitoring")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_task_metrics_change_lacks_its_migration():
    done = manage(
        "makemigrations", "--check", "--dry-run", "taskmetrics", settings="taskdemo.settings_monitoring"
    )
    assert done.returncode == 0, f"a model changed without a migration:\n{done.stdout}{done.stderr}"


def test_system_checks_pass_on_the_periodic_settings_too():
    """Lesson 20's settings add django-scheduled-tasks and import the schedules at start."""
    done = manage("check", "--fail-level", "WARNING", settings="taskdemo.settings_periodic")
    assert done.returncode == 0, done.stdout + done.stderr
