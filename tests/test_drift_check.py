"""`make test-latest`'s report: the parts that decide what it says, on small inputs."""

import importlib.util
import subprocess
import textwrap

import pytest

from tasklab.paths import REPO_DIR

spec = importlib.util.spec_from_file_location("drift_check", REPO_DIR / "scripts" / "drift_check.py")
drift_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drift_check)


def test_the_newest_requirements_drop_every_bound_and_keep_extras_and_pins(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        textwrap.dedent("""
        [project]
        name = "x"
        dependencies = ["django>=6.1,<6.2", "django-tasks-db>=0.13,<0.14"]
        [dependency-groups]
        scale = ["psycopg[binary]>=3.2", "celery[redis]>=5.5; python_version >= '3.12'"]
    """)
    )

    wanted = drift_check.newest_requirements(pyproject, ["django-tasks-db==0.12.0"])

    assert wanted == [
        "django",
        "psycopg[binary]",
        'celery[redis]; python_version >= "3.12"',
        "django-tasks-db==0.12.0",
    ]


def test_package_changes_list_what_differs_only():
    lines = drift_check.package_changes(
        {"django": "6.1.3", "django-tasks-db": "0.13.0", "tasklab": "0.1.0"},
        {"django": "6.1.3", "django-tasks-db": "0.14.0", "new-dep": "1.0", "tasklab": "0.1.0"},
    )
    assert [line.split() for line in lines] == [
        ["django-tasks-db", "0.13.0", "->", "0.14.0"],
        ["new-dep", "(none)", "->", "1.0"],
    ]


def test_a_changed_cell_shows_its_differing_lines(tmp_path):
    report = tmp_path / "junit.xml"
    report.write_text("""<testsuites><testsuite>
      <testcase classname="notebooks/09-x.ipynb" name="Cell 7"><failure message="Cell outputs differ">
      Skipping 10 identical leading characters in diff
        - 1 password reset
        + 1 overdue reminder
      </failure></testcase>
      <testcase classname="notebooks/09-x.ipynb" name="Cell 8"/>
      <testcase classname="notebooks/10-y.ipynb" name="Cell 1"/>
      <testcase classname="tests/test_z.py" name="test_skip"><skipped/></testcase>
    </testsuite></testsuites>""")

    results = drift_check.outcomes(report)
    lines, changed = drift_check.section("Notebook cells", results)

    assert changed
    assert lines == [
        "Notebook cells: 3 run, 1 changed, 2 unchanged",
        "  CHANGED notebooks/09-x.ipynb::Cell 7",
        "      - 1 password reset",
        "      + 1 overdue reminder",
    ]
    assert drift_check.notebook_summary(results) == ["10-y.ipynb"]


# -- make test-django60: the same builder, uv.lock's versions, Django 6.0.x -----------------


def test_locked_requirements_keep_the_lock_and_replace_only_the_pinned_package():
    import tomllib

    lock = tomllib.loads((REPO_DIR / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"] if p["name"] != "tasklab"}

    wanted = drift_check.locked_requirements(["django>=6.0,<6.1"])

    assert wanted[-1] == "django>=6.0,<6.1"
    assert not [line for line in wanted[:-1] if line.startswith("django==")]
    assert f"django-tasks-db=={locked['django-tasks-db']}" in wanted
    # Every other package at its locked version: only Django differs from .venv/.
    assert len(wanted) == len(locked)


def load_django60_check(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_DIR / "scripts"))  # it imports drift_check
    spec = importlib.util.spec_from_file_location(
        "django60_check", REPO_DIR / "scripts" / "django60_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_django60_selection_names_existing_sandbox_tests_and_no_toolkit_only_ones(monkeypatch):
    selection = load_django60_check(monkeypatch).SANDBOX_TESTS

    assert len(set(selection)) == len(selection)
    assert [path for path in selection if not (REPO_DIR / path).is_file()] == []
    toolkit_only = {"tests/test_bench.py", "tests/test_orphans.py", "tests/test_drift_check.py"}
    assert toolkit_only.isdisjoint(selection)
    # The flow every lesson builds on: the views, the tasks, the status page, the mail settings.
    assert {"tests/test_views.py", "tests/test_tasks.py", "tests/test_status_page_views.py"} <= set(selection)
    assert "tests/test_mail_settings.py" in selection


def test_make_test_runs_it_and_the_readme_names_the_tested_versions():
    import tomllib

    makefile = (REPO_DIR / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/run_tests.py" in test_recipe
    runner = importlib.util.spec_from_file_location("run_tests", REPO_DIR / "scripts" / "run_tests.py")
    run_tests = importlib.util.module_from_spec(runner)
    runner.loader.exec_module(run_tests)
    [django60] = [p for p in run_tests.phases("python3", run_tests.JOBS) if p.name == "django60"]
    assert "scripts/django60_check.py" in django60.command

    lock = tomllib.loads((REPO_DIR / "uv.lock").read_text())
    [django] = [p["version"] for p in lock["package"] if p["name"] == "django"]
    readme = (REPO_DIR / "README.md").read_text()
    tested = readme.split("## Tested versions\n", 1)[1].split("\n## ", 1)[0]
    assert f"**Django {django}** (`uv.lock`)" in tested
    assert "**Django 6.0.x**" in tested and "`make test-django60`" in tested


def test_the_builder_rebuilds_or_syncs_and_stops_at_the_first_failure(tmp_path, monkeypatch):
    commands = []

    def fake_run(argv, **options):
        commands.append(" ".join(str(a) for a in argv[1:3]))
        return subprocess.CompletedProcess(argv, 1 if argv[1:3] == ["pip", "sync"] and fail else 0)

    monkeypatch.setattr(drift_check, "run", fake_run)
    environment = tmp_path / ".venv-x"
    environment.mkdir()
    fail = False

    drift_check.build_environment("python3.12", ["django>=6.0,<6.1"], environment, fresh=False)
    assert commands == ["venv --quiet", "pip install", "pip install"]  # no interpreter yet: built
    assert (environment / "requirements.txt").read_text() == "django>=6.0,<6.1\n"

    (environment / "bin").mkdir()
    (environment / "bin" / "python").touch()
    commands.clear()
    drift_check.build_environment("python3.12", ["django>=6.0,<6.1"], environment, fresh=False)
    assert commands == ["pip sync", "pip install", "pip install"]  # it exists: synced, not rebuilt

    commands.clear()
    drift_check.build_environment("python3.12", ["django"], environment)
    assert commands == ["venv --quiet", "pip install", "pip install"]  # test-latest: always afresh

    fail = True
    commands.clear()
    with pytest.raises(SystemExit, match="Could not build .venv-x/"):
        drift_check.build_environment("python3.12", ["django"], environment, fresh=False)
    assert commands == ["pip sync"]
