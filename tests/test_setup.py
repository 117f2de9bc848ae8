"""`tasklab.setup()`: one call gives a notebook a fresh, migrated database of its own."""

import os
import subprocess
import sys

import pytest

from tasklab.paths import VAR_DIR

SCRIPT = """
import tasklab
lab = tasklab.setup({name!r})
from django.contrib.auth.models import User
print(User.objects.count())
User.objects.create_user("alice")
import os
print(os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"], lab.database)
"""


def run_setup(name):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKLAB_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(name=name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_each_run_starts_from_a_fresh_database():
    name = "pytest-setup-check"
    try:
        first, second = run_setup(name), run_setup(name)
    finally:
        import shutil

        shutil.rmtree(VAR_DIR / "notebooks" / name, ignore_errors=True)

    assert first.stdout.startswith(f"Lab {name!r} ready: Django 6.1")
    assert "fresh database sandbox_project/var/notebooks/pytest-setup-check/db.sqlite3" in first.stdout
    assert second.stdout.splitlines()[1] == "0"  # alice from the first run is gone
    assert f"true {VAR_DIR / 'notebooks' / name / 'db.sqlite3'}" in second.stdout


def test_a_name_that_is_not_a_folder_name_is_refused():
    import tasklab

    with pytest.raises(ValueError, match="setup\\(\\) needs a simple name"):
        tasklab.setup("../escape")


def test_async_safety_on_turns_djangos_check_back_on_for_a_block():
    import asyncio

    from django.core.exceptions import SynchronousOnlyOperation
    from django.utils.asyncio import async_unsafe

    import tasklab

    @async_unsafe
    def sync_only():  # as Django marks its database calls
        return "ran"

    async def query():
        return sync_only()

    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"  # as after setup()
    with tasklab.async_safety_on():
        assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
        with pytest.raises(SynchronousOnlyOperation):
            asyncio.run(query())
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    assert asyncio.run(query()) == "ran"
