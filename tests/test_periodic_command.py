"""`manage.py enqueue_purge_progress`: what cron runs; it enqueues, a worker purges."""

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def test_it_enqueues_one_purge_with_its_days(capsys):
    call_command("enqueue_purge_progress", "--days", "3")

    row = DBTaskResult.objects.get()
    assert (row.task_path, row.args_kwargs) == (
        "accounts.tasks.purge_stale_progress",
        {"args": [], "kwargs": {"days": 3}},
    )
    assert capsys.readouterr().out == f"Enqueued purge_stale_progress(days=3): task {row.id}\n"


def test_it_refuses_days_that_would_purge_running_tasks():
    with pytest.raises(CommandError, match="--days must be 1 or more, not 0"):
        call_command("enqueue_purge_progress", "--days", "0")
    assert not DBTaskResult.objects.exists()
