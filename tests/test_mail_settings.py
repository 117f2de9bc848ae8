"""The sandbox's mail settings on each Django it runs on: MAILERS on 6.1, EMAIL_BACKEND on 6.0.

Django 6.0 has no MAILERS: there it would be ignored and every email would go to an SMTP
server on localhost. `make test-django60` runs this file on Django 6.0.x as well.
"""

import importlib.util

import django
import pytest

import taskdemo.settings

CONSOLE = "django.core.mail.backends.console.EmailBackend"


def settings_under(monkeypatch, version):
    """A fresh copy of taskdemo/settings.py, executed while django.VERSION says `version`."""
    monkeypatch.setattr(django, "VERSION", version)
    spec = importlib.util.spec_from_file_location("settings_under_test", taskdemo.settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_django_61_gets_the_console_mailer_and_no_email_backend(monkeypatch):
    settings = settings_under(monkeypatch, (6, 1, 3, "final", 0))

    assert settings.MAILERS == {"default": {"BACKEND": CONSOLE}}
    assert not hasattr(settings, "EMAIL_BACKEND")


def test_django_60_gets_the_console_email_backend_and_no_mailers(monkeypatch):
    settings = settings_under(monkeypatch, (6, 0, 10, "final", 0))

    assert settings.EMAIL_BACKEND == CONSOLE
    assert not hasattr(settings, "MAILERS")


@pytest.mark.django_db(transaction=True)
def test_a_worker_prints_the_welcome_email_on_the_installed_django():
    """On the Django that runs this test: a real db_worker sends the email to its console."""
    from accounts.tasks import send_welcome_email
    from tasklab import Worker

    result = send_welcome_email.enqueue(user_email="ada@example.com", username="ada")
    worker = Worker(batch=True)
    worker.start().wait(timeout=30)
    result.refresh()

    assert result.status == "SUCCESSFUL", worker.log_tail()
    assert "Subject: Welcome to TaskDemo" in worker.log()
    assert "To: ada@example.com" in worker.log()
