"""Toolkit helpers of the production lessons: wait_for(), run_pytest(), a separate queue database."""

import shutil
import subprocess
import sys
import textwrap

import pytest

import tasklab
from accounts.tasks import add, failing_task, slow_task
from tasklab.paths import SANDBOX_DIR


def test_wait_for_returns_once_the_task_is_running(worker):
    result = slow_task.enqueue(1)
    assert tasklab.wait_for(result, "RUNNING") is result
    assert result.status == "RUNNING"


def test_wait_for_gives_up_at_once_on_a_task_that_finished_otherwise(worker):
    result = failing_task.enqueue()
    with pytest.raises(tasklab.StatusNotReached, match="finished FAILED and will never be SUCCESSFUL"):
        tasklab.wait_for(result, "SUCCESSFUL")


def test_wait_for_says_when_no_worker_picks_a_task_up(transactional_db):
    result = add.enqueue(1, 2)
    with pytest.raises(
        tasklab.StatusNotReached,
        match=r"still READY after 0.2 s, not RUNNING\. "
        r"Is a worker running that serves the queue 'default'\?",
    ):
        tasklab.wait_for(result, "running", timeout=0.2)


def test_wait_for_refuses_a_status_that_does_not_exist(transactional_db):
    with pytest.raises(ValueError, match="'DONE' is not a task status: use one of READY, RUNNING"):
        tasklab.wait_for(add.enqueue(1, 2), "done")


def test_run_pytest_reports_counts_by_outcome(tmp_path, monkeypatch):
    monkeypatch.setenv("PY_COLORS", "1")  # as Jupyter's environment may ask
    monkeypatch.setenv("COLUMNS", "40")
    test_file = tmp_path / "test_sample.py"
    test_file.write_text(
        textwrap.dedent("""
        from accounts.tasks import add

        def test_passes():
            assert add.call(1, 2) == 3

        def test_fails():
            assert add.call(1, 2) == 4
    """)
    )

    run = tasklab.run_pytest(test_file, "-q")

    assert run.returncode == 1
    assert run.counts == {"failed": 1, "passed": 1}
    assert str(run) == "pytest exit code 1: 1 failed, 1 passed"
    assert "\x1b[" not in run.output, "plain text, no colour codes"
    assert "FAILED test_sample.py::test_fails - AssertionError: assert 3 == 4\n" in run.output, (
        "not cut short"
    )


def test_run_pytest_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="No test file or folder at .*: write it first"):
        tasklab.run_pytest(tmp_path / "test_nothing.py")


SEPARATE_QUEUE = """
import sqlite3
import tasklab
lab = tasklab.setup("test-separate-queue", quiet=True, separate_queue=True)
from django.contrib.auth.models import User
from django.db import transaction
from accounts.tasks import welcome_user

def tables(path):
    with sqlite3.connect(path) as db:
        return {name for (name,) in db.execute("select name from sqlite_master where type='table'")}

assert "django_tasks_database_dbtaskresult" in tables(lab.queue_database)
assert "django_tasks_database_dbtaskresult" not in tables(lab.database)
assert "auth_user" not in tables(lab.queue_database)

with tasklab.Worker():
    with transaction.atomic():
        user = User.objects.create_user("alice", "alice@example.com", "pw")
        early = welcome_user.enqueue(user.id)
        tasklab.watch(early, live=False, timeout=20)
    tasklab.watch(late := welcome_user.enqueue(user.id), live=False, timeout=20)
print(early.status, early.errors[0].exception_class_path, late.status)
"""


def test_a_separate_queue_database_is_not_covered_by_the_datas_transaction():
    try:
        completed = subprocess.run(
            [sys.executable, "-c", SEPARATE_QUEUE],
            cwd=SANDBOX_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(SANDBOX_DIR / "var" / "notebooks" / "test-separate-queue", ignore_errors=True)
    assert completed.returncode == 0, completed.stderr
    assert (
        completed.stdout.splitlines()[-1] == "FAILED django.contrib.auth.models.User.DoesNotExist SUCCESSFUL"
    )
