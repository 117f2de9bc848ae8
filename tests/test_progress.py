"""`report_progress` under SQLite's single writer: it waits for the lock, it never fails at once."""

import sqlite3
import threading
import time
import uuid
from types import SimpleNamespace

from django.db import connection

from accounts.models import TaskProgress
from accounts.progress import progress_of, report_progress


def context_for(task_id):
    return SimpleNamespace(task_result=SimpleNamespace(id=task_id))


def test_progress_is_created_then_updated_in_place(transactional_db):
    task_id = str(uuid.uuid4())
    report_progress(context_for(task_id), 0, 4)
    first = progress_of(task_id).updated_at
    report_progress(context_for(task_id), 3, 4)

    progress = progress_of(task_id)
    assert (progress.done, progress.total, progress.percent) == (3, 4, 75)
    assert progress.updated_at >= first
    assert TaskProgress.objects.filter(task_id=task_id).count() == 1


def test_a_write_by_another_process_in_between_makes_it_wait_not_fail(transactional_db):
    """The failure lesson 8 met under load: another writer commits while the report is under way.

    Another connection holds SQLite's write lock for half a second, then commits. A report made
    meanwhile must wait for it and succeed (update_or_create() raised "database is locked").
    """
    task_id = str(uuid.uuid4())
    report_progress(context_for(task_id), 0, 2)
    locked, done = threading.Event(), threading.Event()

    def other_writer():
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=20)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE accounts_taskprogress SET total = total")
        locked.set()
        time.sleep(0.5)
        other.execute("COMMIT")
        other.close()
        done.set()

    threading.Thread(target=other_writer).start()
    locked.wait(5)
    report_progress(context_for(task_id), 1, 2)

    assert done.wait(5)
    assert progress_of(task_id).done == 1
