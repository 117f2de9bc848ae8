"""Every test session gets its own SQLite file, shared with the workers the tests start.

pytest-django's default test database for SQLite lives in memory, where a `db_worker`
subprocess cannot see it; so the session's database is a real file, migrated once.
pytest-django has loaded the settings before this file runs: the database is moved in
place (no connection exists yet), and the environment tells the subprocesses the same.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

SESSION_DIR = Path(tempfile.mkdtemp(prefix="tasklab-tests-"))
os.environ["TASKLAB_DATABASE_URL"] = f"sqlite:///{SESSION_DIR / 'db.sqlite3'}"
os.environ["TASKLAB_LOG_DIR"] = str(SESSION_DIR / "logs")
# Playwright's sync API runs an event loop in this thread, and Django then refuses ORM
# calls (SynchronousOnlyOperation) although the tests' code is plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

assert connections["default"].connection is None, "connected before the database was moved"
settings.DATABASES["default"]["NAME"] = str(SESSION_DIR / "db.sqlite3")


def pytest_unconfigure(config):
    shutil.rmtree(SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", verbosity=0)


@pytest.fixture
def worker(transactional_db):
    """A real `db_worker` on every queue, stopped after the test."""
    from tasklab import Worker

    with Worker(queues=["*"]) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright: the one lesson 8 finds (no browser download).

    Module-scoped: Playwright's sync API keeps an event loop running in this thread while
    it is open, which would break later tests that run async code (async_to_sync).
    """
    from playwright.sync_api import sync_playwright

    from system_packages import chromium_path
    from tasklab.browser import CHROMIUM_ARGS

    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that fails the test on any console error."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server of the session's own on 127.0.0.1 (`tasklab.postgres.Postgres`)."""
    from system_packages import postgres_bindir
    from tasklab.postgres import Postgres

    with Postgres(bindir=postgres_bindir()) as server:
        yield server
