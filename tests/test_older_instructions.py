"""What the troubleshooting page (docs/setup.md) says older setup instructions give today.

Each error is produced for real, on a fresh project made by `django-admin startproject`, the
way a learner following a late-2025 introduction would meet it. The page quotes these messages.
"""

import pytest

import tasklab

TASK = """
from django.core.mail import send_mail
from django.tasks import task

@task
def send_welcome_email(user_email, username):
    send_mail('Welcome to TaskDemo', f'Hi {username}!', 'noreply@taskdemo.com', [user_email])
"""
IMPORT_TASKS = "import accounts.tasks"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = tasklab.start_project(tmp_path_factory.mktemp("older") / "django-tasks-demo")
    project.startapp("accounts")
    project.write("accounts/tasks.py", TASK)
    project.add_to_settings("INSTALLED_APPS += ['django_tasks_db', 'accounts']")
    return project


def test_the_older_apps_stop_every_command(project):
    older = "INSTALLED_APPS += ['django_tasks', 'django_tasks.backends.database']"
    project.add_to_settings(older)
    try:
        checked = project.manage("check")
    finally:
        project.change_settings(older, "")
    assert checked.tail(1) == "ModuleNotFoundError: No module named 'django_tasks.backends.database'"


def test_the_older_backend_path_fails_where_task_is_applied_at_import(project):
    older = "TASKS = {'default': {'BACKEND': 'django_tasks.backends.database.DatabaseBackend'}}"
    project.add_to_settings(older)
    try:
        imported = project.manage("shell", "-c", IMPORT_TASKS)
    finally:
        project.change_settings(older, "")
    assert imported.tail(1) == (
        "django.tasks.exceptions.InvalidTaskBackend: Could not find backend "
        "'django_tasks.backends.database.DatabaseBackend': No module named 'django_tasks.backends.database'"
    )
    assert 'File "accounts/tasks.py", line 4, in <module>' in imported.text  # the @task line


def test_email_backend_beside_mailers_is_refused(project):
    older = "EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'"
    project.add_to_settings(older)
    try:
        checked = project.manage("check")
    finally:
        project.change_settings(older, "")
    assert checked.tail(1) == (
        "django.core.exceptions.ImproperlyConfigured: Deprecated email settings are not allowed "
        "when MAILERS is defined: EMAIL_BACKEND."
    )
    assert project.manage("check").ok
