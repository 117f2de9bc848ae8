"""The landscape's contract (tasklab.landscape): every candidate is described fully, and its
settings load on their own."""

import os
import subprocess
import sys

import pytest

from tasklab.landscape import candidates
from tasklab.landscape.cells import Cell
from tasklab.landscape.matrix import markdown, rows
from tasklab.paths import SANDBOX_DIR


def test_names_are_unique_and_families_known():
    names = [c.name for c in candidates.all_candidates()]
    assert len(names) == len(set(names))
    assert {c.family for c in candidates.all_candidates()} <= set(candidates.FAMILIES)


def test_a_dropped_candidate_says_why_and_a_kept_one_how_it_runs():
    for candidate in candidates.all_candidates():
        assert candidate.version and candidate.url, candidate.name
        if candidate.kept:
            assert candidate.settings and candidate.backend and candidate.needs, candidate.name
        else:
            assert len(candidate.dropped) > 20, candidate.name


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(candidates.UnknownCandidate, match="django-tasks-db"):
        candidates.get("django-tasks-nope")


@pytest.mark.parametrize("name", [c.name for c in candidates.kept()])
def test_settings_load_and_pass_django_checks(name):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taskdemo.settings_landscape",
        "TASKLAB_LANDSCAPE_BACKEND": name,
        "TASKLAB_REDIS_URL": "redis://127.0.0.1:1/0",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=SANDBOX_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_matrix_shows_each_backend_as_a_column():
    cells = {
        "a": {"x": Cell("x", "yes", "because", "row x")},
        "b": {"x": Cell("x", "no", "why not", "row x")},
    }
    assert rows(cells) == [["check", "a", "b"], ["row x", "yes", "no"]]
    assert markdown(cells).splitlines()[2] == "| row x | yes | no |"


def test_the_site_page_is_written_from_the_figures_and_the_cells(tmp_path):
    from tasklab.landscape import page

    figures = {
        "measured_at": "2026-12-02T08:00:00+00:00",
        "machine": {"cpus": 2, "platform": "Linux", "python": "3.12.1"},
        "sizes": {"tasks": 1000},
        "queues": {
            "landscape-dj-queue": {
                "label": "dj-queue (database)",
                "enqueue": {"rate": 812.4},
                "drain": [{"workers": 1, "rate": 101.0, "exactly_once": True}],
                "latency": [{"interval": 0.1, "median": 0.051, "p95": 0.09}],
            },
            "rq": {"label": "RQ on Redis", "error": "exited with code 1"},
        },
    }
    cells = {"dj-queue": {"x": Cell("x", "yes", "it ran", "row x")}}
    text = page.write(figures, cells, tmp_path / "backends.md").read_text()
    assert "| row x | yes |" in text
    assert "| dj-queue (database) | 812/s | 101/s | yes |" in text
    assert "| dj-queue (database) | polls every 0.1 s | 51 ms | 90 ms |" in text
    assert "RQ on Redis: not measured (exited with code 1)" in text
    assert "django-tasks-pg 0.1.1" in text  # a dropped candidate, and why


def test_the_reading_is_built_from_the_cells():
    from tasklab.landscape import reading

    def backend(priorities, sigkill, api="django.tasks", started="django.tasks.signals"):
        cells = {check: Cell(check, "yes", "ran", check) for check in reading.CORE}
        cells["priorities"] = Cell("priorities", priorities, "why", "priorities")
        cells["sigkill"] = Cell("sigkill", sigkill, "why", "SIGKILL")
        cells["api"] = Cell("api", api, f"task_started on {started}", "api")
        return cells

    said = reading.conclusions(
        {
            "a": backend("yes", "stuck RUNNING"),
            "b": backend("no", "FAILED", "django_tasks backport", "neither"),
        }
    )
    assert said[0].endswith(": a")
    assert "b lacks: priorities" in said
    assert "A task whose worker was SIGKILLed is left RUNNING: a" in said
    assert "A task whose worker was SIGKILLed is marked FAILED: b" in said
    assert "Built on the django_tasks backport: b" in said
    assert "Workers that do not send django.tasks' task_started signal: b" in said
