"""`tasklab.start_project()`: a throwaway project that behaves like a learner's own."""

import shutil
import sys
import sysconfig
import tomllib

import pytest

import tasklab
from tasklab.paths import REPO_DIR

SEED_APPS = """
INSTALLED_APPS += [
    'django_tasks',
    'django_tasks.backends.database',
]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = tasklab.start_project(tmp_path_factory.mktemp("scratch") / "django-tasks-demo")
    project.startapp("accounts")
    project.add_to_settings("INSTALLED_APPS += ['accounts']")
    return project


def test_startproject_writes_the_seeds_layout_with_mailers_and_no_tasks(project):
    assert project.tree().splitlines() == [
        "accounts/__init__.py",
        "accounts/admin.py",
        "accounts/apps.py",
        "accounts/migrations/__init__.py",
        "accounts/models.py",
        "accounts/tests.py",
        "accounts/views.py",
        "manage.py",
        "taskdemo/__init__.py",
        "taskdemo/asgi.py",
        "taskdemo/settings.py",
        "taskdemo/urls.py",
        "taskdemo/wsgi.py",
    ]
    assert "MAILERS = {" in project.original_settings
    assert "TASKS" not in project.original_settings


def test_its_own_apps_win_over_the_sandboxs(project):
    shown = project.manage(
        "shell", "-c", "import accounts, taskdemo; print(accounts.__file__, taskdemo.__file__)"
    )
    assert shown.ok, shown.text
    assert shown.lines[-1] == "accounts/__init__.py taskdemo/__init__.py"


def test_the_seeds_apps_fail_with_the_real_error_and_short_paths(project):
    project.add_to_settings(SEED_APPS)
    try:
        checked = project.manage("check")
    finally:
        project.change_settings(SEED_APPS.strip("\n"), "")

    assert not checked.ok
    assert checked.tail(1) == "ModuleNotFoundError: No module named 'django_tasks.backends.database'"
    assert str(project.dir) not in checked.text
    assert sysconfig.get_paths()["purelib"] not in checked.text
    assert 'File "site-packages/django/apps/config.py"' in checked.text


def test_the_fixed_settings_migrate_the_database_backend(project):
    project.add_to_settings(
        "INSTALLED_APPS += ['django_tasks_db']\n"
        "TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}"
    )
    migrated = project.manage("migrate")

    assert migrated.ok, migrated.text
    assert "django_tasks_database" in migrated.head(2)
    assert "Applying django_tasks_database.0001_initial... OK" in migrated.grep("django_tasks_database")
    assert "+TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}" in project.settings_diff()


def test_changing_text_that_is_not_there_changes_nothing(project):
    before = project.settings.read_text()

    with pytest.raises(
        ValueError, match="'EMAIL_BACKEND' is not in taskdemo/settings.py: nothing was changed"
    ):
        project.change_settings("EMAIL_BACKEND", "")

    assert project.settings.read_text() == before


def test_a_folder_with_files_is_never_overwritten(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(FileExistsError, match="is not empty"):
        tasklab.start_project(tmp_path)

    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_command_that_hangs_is_stopped(project):
    with pytest.raises(TimeoutError, match=r"`python manage.py shell -c .*` did not finish within 1 s"):
        project.manage("shell", "-c", "import time; print('waiting'); time.sleep(30)", timeout=1)


# -- a project run by another interpreter (lesson 19: Django 5.2 from lts/uv.lock) ------------


@pytest.fixture(scope="module")
def lts(tmp_path_factory):
    """The Django 5.2 environment of lts/uv.lock, installed in a folder of this test module."""
    return tasklab.locked_environment("lts", into=tmp_path_factory.mktemp("envs") / "lts")


@pytest.fixture(scope="module")
def project_52(lts, tmp_path_factory):
    return tasklab.start_project(tmp_path_factory.mktemp("scratch") / "on-5.2", python=lts.python)


def locked_django_version():
    lock = tomllib.loads((REPO_DIR / "lts" / "uv.lock").read_text())
    [django] = [p["version"] for p in lock["package"] if p["name"] == "django"]
    return django


def test_another_interpreter_runs_startproject_and_every_command(project_52, lts):
    assert project_52.python == str(lts.python)
    assert "Django 5.2" in project_52.original_settings  # written by 5.2's startproject
    assert "MAILERS" not in project_52.original_settings

    assert project_52.manage("version").text.strip() == locked_django_version()
    assert project_52.startapp("accounts").ok
    assert (project_52.dir / "accounts" / "apps.py").is_file()


def test_its_paths_are_shortened_with_that_interpreters_site_packages(project_52, lts):
    shown = project_52.manage("shell", "-c", "import django, django_tasks; print(django.__file__)")
    assert shown.ok, shown.text
    assert shown.lines[-1] == "site-packages/django/__init__.py"

    failed = project_52.manage("shell", "-c", "from django.tasks import task")
    assert not failed.ok
    assert failed.tail(1) == "ModuleNotFoundError: No module named 'django.tasks'"
    assert 'File "site-packages/django/core/management/commands/shell.py"' in failed.text
    assert str(lts.dir) not in failed.text
    assert str(project_52.dir) not in failed.text


def test_the_default_is_still_the_labs_own_python(project):
    assert project.python == sys.executable
    assert project.manage("version").text.strip().startswith("6.1.")


def test_the_environment_says_what_the_lock_installed(lts):
    versions = lts.versions()
    assert versions == {
        "Django": locked_django_version(),
        "django-tasks": versions["django-tasks"],
        "django-tasks-db": versions["django-tasks-db"],
    }
    assert versions["Django"].startswith("5.2.")
    assert f"Django {locked_django_version()}, django-tasks " in str(lts)


def test_a_lock_that_no_longer_matches_its_pyproject_is_refused(tmp_path, monkeypatch):
    """`uv sync --locked`: someone added a dependency without running `uv lock`."""
    import tasklab.environments

    shutil.copytree(REPO_DIR / "lts", tmp_path / "lts")
    pyproject = tmp_path / "lts" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"django>=5.2,<5.3",', '"django>=5.2,<5.2.5",'))
    monkeypatch.setattr(tasklab.environments, "REPO_DIR", tmp_path)

    with pytest.raises(
        tasklab.environments.EnvironmentNotReady,
        match=r"pyproject.toml was changed without updating its lock: run `.tools/bin/uv lock --project \S*lts --python",
    ):
        tasklab.locked_environment("lts", into=tmp_path / "env")


def test_public_api_describes_both_packages_alike(lts):
    core = tasklab.public_api("django.tasks")
    backport = tasklab.public_api("django_tasks", python=lts.python)

    assert core.keys() == backport.keys()
    assert "InvalidTask" in core["exceptions"] and "InvalidTaskError" in backport["exceptions"]
    assert (
        core["TaskResultStatus"]
        == backport["TaskResultStatus"]
        == ["READY", "RUNNING", "FAILED", "SUCCESSFUL"]
    )
    assert core["logger of the task signals"] == ["django.tasks"]
    assert backport["logger of the task signals"] == ["django_tasks"]


def test_the_cheat_sheets_5_2_column_names_the_locked_versions():
    """docs/cheatsheet.md says which versions lesson 19 ran its 5.2 rows on: those of the lock."""
    lock = tomllib.loads((REPO_DIR / "lts" / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"]}
    sheet = " ".join((REPO_DIR / "docs" / "cheatsheet.md").read_text().split())
    expected = (
        f"on Django {locked['django']} with `django-tasks` {locked['django-tasks']} "
        f"and `django-tasks-db` {locked['django-tasks-db']}"
    )
    assert expected in sheet
