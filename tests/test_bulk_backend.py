"""`setup(bulk_backend=True)`: a second task backend that the notebook and its workers all see."""

import os
import shutil
import subprocess
import sys

from tasklab.paths import SANDBOX_DIR, VAR_DIR

SCRIPT = """
import time
import tasklab
lab = tasklab.setup("pytest-bulk-backend", bulk_backend=True)
from django.conf import settings
from accounts.tasks import record
print(sorted(settings.TASKS))
with tasklab.Worker() as default_worker:
    bulk = record.using(backend="bulk").enqueue("bulk")
    plain = record.enqueue("plain")
    tasklab.wait_for(plain, "SUCCESSFUL", timeout=20)
    time.sleep(1)
    bulk.refresh()
    print(plain.status, bulk.status)
    with tasklab.Worker(backend="bulk") as bulk_worker:
        tasklab.wait_for(bulk, "SUCCESSFUL", timeout=20)
        print(bulk.status, bulk.worker_ids == [bulk_worker.worker_id])
"""


def run(script):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKLAB_", "DJANGO_"))}
    try:
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=SANDBOX_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(VAR_DIR / "notebooks" / "pytest-bulk-backend", ignore_errors=True)


def test_a_task_on_the_second_backend_waits_for_a_worker_of_that_backend():
    completed = run(SCRIPT)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].endswith("second task backend 'bulk' (django_tasks_db.DatabaseBackend)")
    assert lines[1:] == ["['bulk', 'default']", "SUCCESSFUL READY", "SUCCESSFUL True"]


def test_without_it_the_settings_have_only_the_default_backend():
    assert "TASKLAB_BULK_BACKEND" not in os.environ
    from django.conf import settings

    assert list(settings.TASKS) == ["default"]
