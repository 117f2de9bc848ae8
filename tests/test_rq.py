"""The same tasks on RQ (django-tasks-rq) with a real Redis.

Settings select the backend; django-tasks-rq is built on the `django_tasks` backport, so
what the sandbox's code catches must be the backport's classes as well (lesson 17).
"""

import re
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
        TASKS={
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "emails", "images"]}
        },
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
    assert {order: charges()[order] - before[order] for order in range(1000, 1012)} == dict.fromkeys(
        range(1000, 1012), 1
    )


def test_an_rq_worker_starts_with_the_sandboxs_tasks(redis):
    """No sandbox task declares a priority, which RQ refuses: the worker's system checks, which
    import accounts.tasks through the URLs, pass."""
    with RQWorker(redis) as worker:
        assert worker.running


def rq_env(redis):
    """What a learner sets to run the sandbox on RQ, for the server and the shell alike."""
    return {"DJANGO_SETTINGS_MODULE": "taskdemo.settings_rq", "TASKLAB_REDIS_URL": redis.url}


def test_register_then_status_on_rq_through_the_real_server(redis, transactional_db):
    """POST /register/, then GET /task/<its id>/, on a dev server started with the RQ settings.

    Under RQ, `get_result` raises the backport's TaskResultDoesNotExist, which django.tasks'
    class does not catch: the unknown ids answer 404 only because the view catches both.
    """
    with tasklab.Server(env=rq_env(redis)) as server:
        reply = tasklab.http.post(
            f"{server.url}/register/",
            {"username": "rqalice", "email": "rqalice@example.com", "password": "secret123"},
        )
        assert reply.status == 200, reply.text
        task_id = reply.text.rsplit(" ", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9]{32}", task_id), reply.text  # RQ's ids, not UUIDs

        before = tasklab.http.get(f"{server.url}/task/{task_id}/")
        with RQWorker(redis):
            after = _poll_until_finished(f"{server.url}/task/{task_id}/")

        unknown = {
            task_id: tasklab.http.get(f"{server.url}/task/{task_id}/")
            for task_id in (
                "05131955-6651-40e2-9feb-a9ee0c0cd87b",
                "d3Lw462fPX3rEwTC0YJfn76mjc8ZlEr4",
                "not-a-task-id",
            )
        }

    assert (before.status, before.json()) == (
        200,
        {"id": task_id, "status": "READY", "finished": False, "attempts": 0},
    )
    assert (after.status, after.json()) == (
        200,
        {"id": task_id, "status": "SUCCESSFUL", "finished": True, "attempts": 1},
    )
    assert {i: (r.status, r.content_type, r.json()["error"]) for i, r in unknown.items()} == dict.fromkeys(
        unknown, (404, "application/json", "Task not found")
    )
    assert [i for i, r in unknown.items() if "hint" in r.json()] == ["not-a-task-id"]


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


def _poll_until_finished(status_url, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        reply = tasklab.http.get(status_url)
        if reply.status != 200 or reply.json()["finished"] or time.monotonic() > deadline:
            return reply
        time.sleep(0.05)
