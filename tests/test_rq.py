"""The same tasks on RQ (django-tasks-rq) with a real Redis, by changing settings only."""

import time

import pytest
from django.test import override_settings

import tasklab
from system_packages import redis_server_path
from tasklab.redis import Redis
from tasklab.rq_worker import RQWorker


@pytest.fixture
def redis():
    redis_server_path()
    with Redis() as server:
        yield server


def rq_settings(redis):
    return override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "emails", "images"]}},
        RQ_QUEUES={q: {"URL": redis.url} for q in ["default", "emails", "images"]},
    )


def test_rq_workers_run_each_task_exactly_once(redis):
    from accounts.billing import charge_order, charges

    before = charges()
    with rq_settings(redis):
        ids = [charge_order.enqueue(order, 250).id for order in range(1000, 1012)]
        with RQWorker(redis, skip_checks=True), RQWorker(redis, skip_checks=True):
            results = [_wait_finished(charge_order, task_id) for task_id in ids]

    assert [r.status.name for r in results] == ["SUCCESSFUL"] * 12
    assert [r.return_value for r in results] == [250] * 12
    assert {order: charges()[order] - before[order] for order in range(1000, 1012)} == dict.fromkeys(range(1000, 1012), 1)


def test_an_rq_worker_starts_with_the_sandboxs_tasks(redis):
    """No sandbox task declares a priority, which RQ refuses: the worker's system checks, which
    import accounts.tasks through the URLs, pass."""
    with RQWorker(redis) as worker:
        assert worker.running


def test_the_rq_settings_module_switches_only_the_backend():
    from taskdemo import settings, settings_rq

    assert settings_rq.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert settings_rq.TASKS["default"]["QUEUES"] == settings.TASKS["default"]["QUEUES"]
    assert set(settings_rq.RQ_QUEUES) == set(settings_rq.TASKS["default"]["QUEUES"])
    assert settings_rq.INSTALLED_APPS == [*settings.INSTALLED_APPS, "django_rq"]


def _wait_finished(task, task_id, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        result = task.get_result(task_id)
        if result.is_finished or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
