"""`tasklab.start_project()`: a throwaway project that behaves like a learner's own."""

import sysconfig

import pytest

import tasklab

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
