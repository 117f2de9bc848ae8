"""`setup()` copies a migrated SQLite template instead of migrating each new lab's database."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from tasklab.paths import SANDBOX_DIR

# Each run in a new interpreter, as each notebook's kernel is.
LAB = """
import sys, tasklab
from tasklab import migrated_template
lab = tasklab.setup(sys.argv[1], quiet=True, separate_queue=sys.argv[2] == "queue")
print(migrated_template.template_path())
from django.db.migrations.executor import MigrationExecutor
from django.db import connection
executor = MigrationExecutor(connection)
print("unapplied:", len(executor.migration_plan(executor.loader.graph.leaf_nodes())))
from django.contrib.auth.models import User
User.objects.create_user("ada")
print("users:", User.objects.count())
"""


def lab(name, queue=""):
    done = subprocess.run(
        [sys.executable, "-c", LAB, name, queue], capture_output=True, text=True, timeout=120, cwd=SANDBOX_DIR
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_second_lab_starts_from_the_template_fully_migrated_and_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKLAB_TEMPLATES_DIR", str(tmp_path))
    template, unapplied, users = lab("test-template-first")
    assert (unapplied, users) == ("unapplied: 0", "users: 1")
    assert template.startswith(str(tmp_path)) and Path(template).is_file()
    with sqlite3.connect(template) as saved:
        assert saved.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        tables = {name for (name,) in saved.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"auth_user", "django_tasks_database_dbtaskresult"} <= tables

    again = lab("test-template-second")
    assert again == [template, "unapplied: 0", "users: 1"]  # the template holds no user


def test_a_lab_with_a_queue_database_of_its_own_gets_another_template(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKLAB_TEMPLATES_DIR", str(tmp_path))
    [plain, *_] = lab("test-template-plain")
    [with_queue, unapplied, users] = lab("test-template-queue", "queue")
    assert with_queue != plain
    assert (unapplied, users) == ("unapplied: 0", "users: 1")
