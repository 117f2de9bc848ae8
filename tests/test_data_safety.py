"""Data safety: each notebook's database is its own, and only `make reset` deletes learner data, after asking.

`make reset` is tried on a copy of the Makefile in a temporary folder, never on the
learner's own sandbox database.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tasklab.paths import REPO_DIR, VAR_DIR

SANDBOX_DB = VAR_DIR / "db.sqlite3"

WORK_IN_A_LAB = """
import tasklab
lab = tasklab.setup({name!r}, quiet=True)
from django.contrib.auth.models import User
from accounts.tasks import add
User.objects.create_user({user!r})
add.enqueue(1, 2)
with tasklab.Worker(batch=True) as worker:
    worker.wait(timeout=60)
print(lab.database)
"""


def work_in_a_lab(name, user):
    """Run a notebook's typical cells in a fresh interpreter, as a kernel would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKLAB_", "DJANGO_"))}
    done = subprocess.run(
        [sys.executable, "-c", WORK_IN_A_LAB.format(name=name, user=user)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def users_in(database):
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT username FROM auth_user")]


def fingerprint(path):
    """What would change if anything wrote to, replaced or deleted the file."""
    if not path.exists():
        return None
    return path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_labs():
    names = ["pytest-safety-a", "pytest-safety-b"]
    yield names
    for name in names:
        shutil.rmtree(VAR_DIR / "notebooks" / name, ignore_errors=True)


def test_each_lab_has_a_database_of_its_own_and_setup_touches_no_other(two_labs):
    a, b = two_labs
    sandbox_before = fingerprint(SANDBOX_DB)
    database_a = work_in_a_lab(a, "alice")
    a_before = fingerprint(database_a)

    database_b = work_in_a_lab(b, "bob")
    again_b = work_in_a_lab(b, "carol")  # setting up lab b again starts it afresh ...

    assert database_a != database_b == again_b
    assert (users_in(database_a), users_in(database_b)) == (["alice"], ["carol"])
    assert fingerprint(database_a) == a_before  # ... and touches nothing else
    assert fingerprint(SANDBOX_DB) == sandbox_before


def test_every_notebook_sets_up_a_lab_of_its_own():
    import nbformat

    owners = {}
    for notebook in sorted((REPO_DIR / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        cells = nbformat.read(notebook, as_version=4).cells
        code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
        for name in _setup_names(code):
            owners.setdefault(name, []).append(notebook.name)
    shared = {name: books for name, books in owners.items() if len(books) > 1}
    assert owners and not shared, f"notebooks sharing (and wiping) one lab database: {shared}"


def _setup_names(code):
    import re

    return re.findall(r"tasklab\.setup\(\s*[\"']([^\"']+)[\"']", code)


# -- make reset, on a copy of the Makefile --------------------------------------------------


@pytest.fixture
def sandbox_copy(tmp_path):
    """A folder with the real Makefile and a stand-in sandbox database (and its WAL files)."""
    shutil.copy(REPO_DIR / "Makefile", tmp_path / "Makefile")
    var = tmp_path / "sandbox_project" / "var"
    var.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        (var / f"db.sqlite3{suffix}").write_text("the learner's data")
    return tmp_path


def make_reset(folder, answer=None, *extra):
    """Run `make reset` with a terminal for its stdin, as a learner would, typing `answer`."""
    # MAKE=true: after deleting, `make reset` would rebuild the database with the project's
    # own venv; the copy has none, so that last step is replaced by a no-op.
    terminal, stdin = os.openpty()
    try:
        os.write(terminal, (answer or "\x04").encode())  # Ctrl+D: no answer at all
        return subprocess.run(
            ["make", "--no-print-directory", "reset", "MAKE=true", *extra],
            cwd=folder,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(stdin)
        os.close(terminal)


def files_left(folder):
    return sorted(p.name for p in (folder / "sandbox_project" / "var").iterdir())


@pytest.mark.parametrize(
    "answer",
    [None, "\n", "n\n", "N\n", "no\n", "sure\n", "yy\n"],
    ids=["Ctrl+D", "Enter", "n", "N", "no", "sure", "yy"],
)
def test_make_reset_deletes_nothing_unless_told_yes(sandbox_copy, answer):
    done = make_reset(sandbox_copy, answer)

    assert done.returncode != 0
    assert "Delete the sandbox database" in done.stderr  # it asked: read -p prompts on stderr
    assert "Nothing deleted." in done.stdout
    assert files_left(sandbox_copy) == ["db.sqlite3", "db.sqlite3-shm", "db.sqlite3-wal"]


def test_make_reset_without_a_terminal_deletes_nothing(sandbox_copy):
    done = subprocess.run(
        ["make", "--no-print-directory", "reset", "MAKE=true"],
        cwd=sandbox_copy,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode != 0 and "Nothing deleted." in done.stdout
    assert files_left(sandbox_copy) == ["db.sqlite3", "db.sqlite3-shm", "db.sqlite3-wal"]


@pytest.mark.parametrize(
    ("answer", "extra"), [("y\n", ()), ("yes\n", ()), (None, ("FORCE=1",))], ids=["y", "yes", "FORCE=1"]
)
def test_make_reset_deletes_when_told_yes(sandbox_copy, answer, extra):
    done = make_reset(sandbox_copy, answer, *extra)

    assert done.returncode == 0, done.stderr
    assert files_left(sandbox_copy) == []


def make_targets():
    listed = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=REPO_DIR, capture_output=True, text=True, check=True
    ).stdout
    return [line.split()[1] for line in listed.splitlines() if line.strip().startswith("make ")]


def test_no_make_target_but_reset_deletes_the_sandbox_database():
    targets = make_targets()
    assert "reset" in targets and "clean" in targets

    deleting = {}
    for target in targets:
        plan = subprocess.run(
            ["make", "--no-print-directory", "-n", target], cwd=REPO_DIR, capture_output=True, text=True
        ).stdout
        if any(_deletes_sandbox_db(line) for line in plan.splitlines()):
            deleting[target] = plan
    assert list(deleting) == ["reset"], json.dumps(deleting, indent=1)


def _deletes_sandbox_db(line):
    words = line.split()
    if "rm" not in words:
        return False
    protected = "sandbox_project/var/db.sqlite3"
    return any(
        w.rstrip("/") and protected.startswith(w.rstrip("/")) or "db.sqlite3" in w
        for w in words[words.index("rm") + 1 :]
        if not w.startswith("-")
    )
