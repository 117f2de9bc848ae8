"""The Redis and Celery families of the backend landscape (lesson 25), run for real.

Each candidate's settings load and its pinned version is the one installed; then the matrix
checks run on every one of them against a real Redis and PostgreSQL (quick mode: the checks
whose answer does not depend on how long one waits), and each answer is the one the lesson
reads. A changed answer means a package changed behaviour: re-read its source, then the lesson.
"""

from importlib.metadata import version

import pytest
from django.utils.module_loading import import_string

from system_packages import postgres_bindir, redis_server_path
from tasklab.landscape import candidates, matrix
from tasklab.landscape.candidates import celery, redis

FAMILY = [*redis.CANDIDATES, *celery.CANDIDATES]
NAMES = [candidate.name for candidate in FAMILY]

# Quick checks and the answer each candidate gives. Left out: the SIGKILL check (recovery
# takes longer than a quick run waits), retries (no candidate here retries), and dashboard
# (it logs in to the admin, the slowest check to set up; see the full matrix).
CHECKS = [
    "api",
    "priorities",
    "run_after",
    "queues",
    "get_result",
    "context",
    "periodic",
    "unique",
    "exactly_once",
]
EXPECTED = {
    "django-tasks-rq": {
        "api": "django_tasks backport",
        "priorities": "no",
        "run_after": "yes",
        "queues": "yes",
        "get_result": "yes",
        "context": "yes",
        "periodic": "own API",
        "unique": "no",
        "exactly_once": "yes",
    },
    "django-tasks-redis": {
        "api": "django.tasks",
        "priorities": "yes",
        "run_after": "yes",
        "queues": "yes",
        "get_result": "yes",
        "context": "yes",
        "periodic": "no",
        "unique": "no",
        "exactly_once": "yes",
    },
    "django-vtasks": {
        "api": "django.tasks",
        "priorities": "yes",
        "run_after": "yes",
        "queues": "yes",
        "get_result": "no",
        "context": "no",
        "periodic": "yes",
        "unique": "yes",
        "exactly_once": "yes",
    },
    "django-tasks-celery": {
        "api": "django.tasks",
        "priorities": "no",
        "run_after": "yes",
        "queues": "yes",
        "get_result": "yes",
        "context": "yes",
        "periodic": "yes",
        "unique": "no",
        "exactly_once": "yes",
    },
    "django-tasks-fennel": {
        "api": "django.tasks",
        "priorities": "no",
        "run_after": "yes",
        "queues": "yes",
        "get_result": "yes",
        "context": "yes",
        "periodic": "yes",
        "unique": "no",
        "exactly_once": "yes",
    },
}


@pytest.mark.parametrize("candidate", FAMILY, ids=NAMES)
def test_the_version_tried_is_the_version_installed(candidate):
    assert candidate.kept, candidate.dropped
    assert version(candidate.name) == candidate.version


@pytest.mark.parametrize("candidate", FAMILY, ids=NAMES)
def test_only_settings_change_and_they_name_a_real_backend(candidate):
    env = {"TASKLAB_REDIS_URL": "redis://127.0.0.1:6379/3"}
    settings = candidate.settings(env)
    backend = settings["TASKS"]["default"]
    assert backend["BACKEND"] == candidate.backend
    assert backend["QUEUES"] == ["default", "emails"]
    assert import_string(candidate.backend).__name__
    assert candidate.server == candidates.REDIS and candidate.needs
    assert candidates.get(candidate.name) is candidate


@pytest.fixture(scope="module")
def cells():
    """The quick checks of the whole family, two candidates at a time, on shared servers."""
    redis_server_path(), postgres_bindir()
    return matrix.run(NAMES, quick=True, checks=CHECKS, parallel=2)


@pytest.mark.parametrize("name", NAMES)
def test_each_check_gives_the_answer_the_lesson_reads(cells, name):
    answers = {check: cell.value for check, cell in cells[name].items()}
    details = {check: cell.detail for check, cell in cells[name].items()}
    expected = EXPECTED[name]
    assert {check: answers.get(check) for check in expected} == expected, details


def test_rq_refuses_a_priority_by_the_backports_exception(cells):
    assert cells["django-tasks-rq"]["priorities"].detail.startswith("raises InvalidTaskError")


def test_vtasks_has_no_results_to_read_back_nor_django_tasks_signals(cells):
    assert "NotImplementedError" in cells["django-vtasks"]["get_result"].detail
    assert "task_started on neither signal" in cells["django-vtasks"]["api"].detail


def test_fennels_task_class_is_its_own_subclass_of_django_tasks_task(cells):
    assert "@task builds django_tasks_fennel.backend.Task" in cells["django-tasks-fennel"]["api"].detail


def test_celery_priorities_are_accepted_and_ignored_on_a_redis_broker(cells):
    for name in ("django-tasks-celery", "django-tasks-fennel"):
        assert cells[name]["priorities"].detail.startswith("accepted but ignored"), name
