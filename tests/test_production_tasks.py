"""The tasks added for the production lessons (09-15), called directly and run by a real worker."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import tasklab
from accounts import tasks
from accounts.models import TaskProgress
from accounts.retries import backoff, retry_later


def test_record_takes_its_time_then_prints_and_returns_its_label(capsys):
    started = time.monotonic()
    assert tasks.record.call("first", seconds=0.2) == "first"
    assert time.monotonic() - started >= 0.2
    assert capsys.readouterr().out == "ran first\n"


@pytest.mark.django_db
def test_welcome_email_to_user_looks_the_user_up_when_it_runs():
    user = User.objects.create_user("alice", "alice@example.com", "pw")
    tasks.welcome_user.call(user.id)
    assert mail.outbox[0].to == ["alice@example.com"]
    with pytest.raises(User.DoesNotExist):
        tasks.welcome_user.call(user.id + 1)


def test_backoff_doubles_from_half_a_second_up_to_a_cap():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff(40) == timedelta(seconds=300)


@pytest.mark.django_db
def test_retry_later_enqueues_the_next_attempt_deferred_by_the_backoff():
    before = timezone.now()
    result = retry_later(tasks.sync_exchange_rates, 2, failures=5)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.args_kwargs["kwargs"] == {"attempt": 3, "failures": 5}
    assert before + backoff(2) <= row.run_after <= timezone.now() + backoff(2)


@pytest.mark.django_db
def test_a_failed_attempt_raises_and_enqueues_the_next_until_the_last():
    with pytest.raises(tasks.ServiceUnavailable, match="attempt 1"):
        tasks.sync_exchange_rates.call(attempt=1, failures=2)
    assert DBTaskResult.objects.get().args_kwargs["kwargs"]["attempt"] == 2

    with pytest.raises(tasks.ServiceUnavailable, match="attempt 4"):
        tasks.sync_exchange_rates.call(attempt=4, failures=9, max_attempts=4)
    assert DBTaskResult.objects.count() == 1, "the last attempt must not enqueue another"

    assert tasks.sync_exchange_rates.call(attempt=3, failures=2) == {"EUR": 1.0, "USD": 1.08}


def test_a_worker_retries_with_backoff_until_success(worker):
    tasks.sync_exchange_rates.enqueue(failures=2)

    deadline = time.monotonic() + 30
    while not DBTaskResult.objects.successful().exists():
        assert time.monotonic() < deadline, "the third attempt never succeeded"
        time.sleep(0.1)

    attempts = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [(a.status, a.args_kwargs["kwargs"].get("attempt", 1)) for a in attempts] == [
        ("FAILED", 1),
        ("FAILED", 2),
        ("SUCCESSFUL", 3),
    ]
    for previous, retry in zip(attempts, attempts[1:]):
        waited = retry.started_at - previous.started_at
        assert waited >= backoff(previous.args_kwargs["kwargs"].get("attempt", 1))


@pytest.mark.django_db
def test_activate_account_does_its_work_once_however_often_it_runs():
    user = User.objects.create_user("bob", "bob@example.com", "pw", is_active=False)
    assert tasks.activate_account.call(user.id) is True
    assert tasks.activate_account.call(user.id) is False
    assert [m.subject for m in mail.outbox] == ["Your TaskDemo account is active"]
    assert User.objects.get(pk=user.id).is_active


def test_inspect_context_sees_the_running_result(worker):
    result = tasks.inspect_context.enqueue()
    tasklab.watch(result, timeout=20)
    assert result.return_value == {
        "attempt": 1,
        "id": result.id,
        "task": "inspect_context",
        "queue": "default",
        "status": "RUNNING",
        "worker_ids": [worker.worker_id],
    }


def test_fetch_all_waits_concurrently():
    started = time.monotonic()
    assert tasks.fetch_all.call(count=4, seconds=0.3) == 4
    assert time.monotonic() - started < 4 * 0.3


def test_a_worker_runs_an_async_task(worker):
    result = tasks.fetch_all.enqueue(count=2, seconds=0.1)
    tasklab.watch(result, timeout=20)
    assert result.return_value == 2


@pytest.mark.django_db
def test_purge_stale_progress_deletes_only_old_progress():
    TaskProgress.objects.create(task_id="05131955-6651-40e2-9feb-a9ee0c0cd87b", done=1, total=2)
    TaskProgress.objects.create(task_id="15131955-6651-40e2-9feb-a9ee0c0cd87b", done=2, total=2)
    TaskProgress.objects.filter(done=2).update(updated_at=timezone.now() - timedelta(days=8))

    assert tasks.purge_stale_progress.call(days=7) == 1
    assert list(TaskProgress.objects.values_list("done", flat=True)) == [1]
