"""The landscape's checks on the Redis and Celery backends (lesson 25), one test per backend
and check, plus what the lesson says each needs beyond settings.

One PostgreSQL and one Redis for the module; each backend runs its checks once, in a process
of its own. Valkey is not packaged here: the Valkey backends run on Redis, the same protocol.
"""

from importlib.metadata import version

import pytest
from django.utils.module_loading import import_string

from landscape_expectations import cases
from system_packages import postgres_bindir, redis_server_path
from tasklab.landscape import candidates
from tasklab.landscape.candidates import celery, redis

FAMILY = [*redis.CANDIDATES, *celery.CANDIDATES]
NAMES = [candidate.name for candidate in FAMILY]


@pytest.mark.parametrize("candidate", FAMILY, ids=NAMES)
def test_the_version_tried_is_the_version_installed(candidate):
    assert candidate.kept, candidate.dropped
    assert version(candidate.name) == candidate.version


@pytest.mark.parametrize("candidate", FAMILY, ids=NAMES)
def test_only_settings_change_and_they_name_a_real_backend(candidate):
    settings = candidate.settings({"TASKLAB_REDIS_URL": "redis://127.0.0.1:6379/3"})
    backend = settings["TASKS"]["default"]
    assert backend["BACKEND"] == candidate.backend
    assert backend["QUEUES"] == ["default", "emails"]
    assert import_string(candidate.backend).__name__
    assert candidate.server == candidates.REDIS and candidate.needs
    assert candidates.get(candidate.name) is candidate


@pytest.fixture(scope="module")
def cells():
    from tasklab.landscape import matrix

    redis_server_path(), postgres_bindir()
    return matrix.run(NAMES, quick=True, parallel=2)


@pytest.mark.parametrize(("backend", "check", "expected"), cases(NAMES))
def test_cell(cells, backend, check, expected):
    cell = cells[backend][check]
    assert cell.value == expected, f"{backend} {check}: {cell.value} ({cell.detail})"
    assert cell.detail


def test_rq_refuses_a_priority_with_the_backports_exception(cells):
    assert cells["django-tasks-rq"]["priorities"].detail.startswith("raises InvalidTaskError")


def test_vtasks_keeps_no_results_and_sends_no_django_tasks_signal(cells):
    assert "NotImplementedError" in cells["django-vtasks"]["get_result"].detail
    assert "task_started on neither signal" in cells["django-vtasks"]["api"].detail


def test_fennel_builds_its_own_subclass_of_django_tasks_task(cells):
    assert "@task builds django_tasks_fennel.backend.Task" in cells["django-tasks-fennel"]["api"].detail


def test_celery_priorities_are_accepted_and_ignored_on_a_redis_broker(cells):
    for name in ("django-tasks-celery", "django-tasks-fennel"):
        assert cells[name]["priorities"].detail.startswith("accepted but ignored"), name


def test_the_benchmark_measures_each_of_them_like_the_others(tmp_path):
    """`make bench ONLY=landscape` on one backend with a `manage.py` worker and one with Celery's
    worker, 20 tasks: each drains with every worker count, every task exactly once, and its
    pickup latency is sampled. (The checks above start every candidate's workers already.)"""
    import json
    import subprocess
    import sys

    from tasklab.bench.systems import QUICK

    redis_server_path(), postgres_bindir()
    systems = ["landscape-django-tasks-redis", "landscape-django-tasks-celery"]
    done = subprocess.run(
        [sys.executable, "-m", "tasklab.bench", "--quick", "--tasks", "20", "--only", "landscape"]
        + ["--systems", ",".join(systems), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    queues = json.loads((tmp_path / "quick-results.json").read_text())["queues"]
    assert list(queues) == systems
    for name, result in queues.items():
        assert "error" not in result, result
        assert result["enqueue"]["tasks"] == 20 and result["enqueue"]["rate"] > 0
        assert [d["workers"] for d in result["drain"]] == list(QUICK.workers), name
        assert all(d["exactly_once"] and d["tasks"] == 20 and d["rate"] > 0 for d in result["drain"]), name
        [latency] = result["latency"]
        assert len(latency["all"]) == QUICK.latency_samples
        assert 0 < latency["median"] <= latency["p95"] < 30
