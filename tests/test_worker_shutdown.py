"""A stop signal never cuts a `db_worker` poll in half (`tasklab.worker_shutdown`).

Upstream, a SIGTERM that lands in the COMMIT of a poll's claim makes the worker exit 1
(django-tasks-db issue #61). The race is made certain here: a deferred trigger slows the
claim's COMMIT down by 2 s on PostgreSQL, and the signal is sent while that COMMIT runs.
"""

import json
import shutil
import subprocess
import sys
import uuid

from tasklab.paths import VAR_DIR

STOP_IN_COMMIT = """
import json, sys, time
import tasklab

tasklab.setup(sys.argv[1], database="postgresql", quiet=True)
from django.db import connection
from django_tasks_db.models import DBTaskResult
from accounts.tasks import add

table = DBTaskResult._meta.db_table
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE FUNCTION slow_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.status = 'RUNNING' THEN PERFORM pg_sleep(2); END IF; RETURN NULL; END $$"
    )
    cursor.execute(
        f"CREATE CONSTRAINT TRIGGER slow_claim AFTER UPDATE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_claim()"
    )

result = add.enqueue(2, 3)
worker = tasklab.Worker(worker_id="committing").start()
deadline = time.monotonic() + 30
committing = False
while not committing and time.monotonic() < deadline:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query = 'COMMIT' AND state = 'active' "
            "AND pid <> pg_backend_pid()"
        )
        committing = cursor.fetchone()[0] == 1
    time.sleep(0.02)
code = worker.stop()
result.refresh()

sleeper = tasklab.Worker(worker_id="sleeper", interval=60).start()
print(json.dumps({
    "signal_sent_during_commit": committing,
    "code": code,
    "status": result.status,
    "graceful": "shutting down gracefully" in worker.log(),
    "sleeper": sleeper.stop(),
}))
"""


def test_a_worker_stopped_during_its_claim_commit_runs_the_task_and_exits_0(django_db_setup):
    lab_name = f"shutdown-{uuid.uuid4().hex[:8]}"
    try:
        run = subprocess.run(
            [sys.executable, "-c", STOP_IN_COMMIT, lab_name], capture_output=True, text=True, timeout=120
        )
    finally:
        shutil.rmtree(VAR_DIR / "notebooks" / lab_name, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.splitlines()[-1])

    assert report["signal_sent_during_commit"]
    assert report["graceful"]
    assert (report["code"], report["status"]) == (0, "SUCCESSFUL")
    # A sleeping worker is woken by the signal: without that, stop() would wait out its
    # 10 s timeout and kill it (-9), the interval being 60 s.
    assert report["sleeper"] == 0
