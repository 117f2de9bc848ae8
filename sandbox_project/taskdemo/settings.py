"""Settings for the tasklab sandbox: the `taskdemo` project of the late-2025
introductions to Django 6.0 tasks, corrected for Django 6.1.

Every path can be moved with an environment variable, so that each notebook and each
test gets a database of its own:

- ``TASKLAB_DATABASE_URL``: any URL dj-database-url understands
  (default: ``sqlite:///<sandbox_project>/var/db.sqlite3``).
- ``TASKLAB_CONN_MAX_AGE``: seconds a database connection is kept (default 60).
- ``TASKLAB_CONN_HEALTH_CHECKS``: ``1`` sets ``CONN_HEALTH_CHECKS = True``, so that a kept
  connection is tested before it is reused (default 0, Django's default); lesson 16 shows
  what it changes for a worker whose connection the server dropped.
- ``TASKLAB_DEBUG``: ``0`` sets ``DEBUG = False``, as in production (default 1); lesson 15
  shows what it changes in a worker's log.
- ``TASKLAB_SQLITE_WAL``: ``0`` keeps SQLite's default journal instead of WAL (default 1);
  the benchmarks use it to measure what WAL changes.
- ``TASKLAB_SQLITE_TIMEOUT``: seconds SQLite waits for another writer's lock before it raises
  "database is locked" (default 20; Django's own default is 5).
- ``TASKLAB_PG_PREPARED``: ``1`` binds parameters on the server, so that psycopg prepares a
  statement on its fifth run (default 0, Django's default: no prepared statements); lesson 16
  measures it.
- ``TASKLAB_PG_POOL``: ``1`` opens connections from a psycopg pool (``OPTIONS["pool"]``)
  instead of keeping one per thread; Django refuses a pool with ``CONN_MAX_AGE``, so it is 0.
- ``TASKLAB_PG_SYNCHRONOUS_COMMIT``: ``off`` sets PostgreSQL's ``synchronous_commit`` for this
  process's connections only (a worker's, say); lesson 16 shows what a crash then costs.
- ``TASKLAB_BULK_BACKEND``: ``1`` adds a second task backend, ``bulk`` (lesson 9); unset, TASKS
  has only ``default``.
"""

import os
from pathlib import Path

import dj_database_url
import django

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# A sandbox for learning, never deployed: a fixed development key is fine here.
SECRET_KEY = "django-insecure-tasklab-sandbox-only-never-deploy-this"
DEBUG = os.environ.get("TASKLAB_DEBUG", "1") != "0"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The database task backend. On Django 6 the `django_tasks` app is not needed:
    # `django.tasks` is part of Django itself.
    "django_tasks_db",
    "django_extensions",
    "accounts",
    "coordination",
    "reports",  # lesson 22: unique tasks and time limits; exercise 9: a job that claims each tick
    "tasknotify",  # lesson 16: a NOTIFY trigger on the task table and `db_worker_listen`
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "taskdemo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "taskdemo.wsgi.application"

# A per-database setting (DATABASES[...]["CONN_HEALTH_CHECKS"]), not a top-level one.
conn_health_checks = os.environ.get("TASKLAB_CONN_HEALTH_CHECKS", "0") == "1"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TASKLAB_DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("TASKLAB_CONN_MAX_AGE", "60")),
        conn_health_checks=conn_health_checks,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the notebook read while a worker writes; SQLite still has one writer.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": float(os.environ.get("TASKLAB_SQLITE_TIMEOUT", "20")),
    }
    if os.environ.get("TASKLAB_SQLITE_WAL", "1") == "0":
        del DATABASES["default"]["OPTIONS"]["init_command"]

# PostgreSQL's knobs for a worker, each measured by `make bench` and explained in lesson 16.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if os.environ.get("TASKLAB_PG_PREPARED") == "1":
        # Django binds parameters on the client by default, and then psycopg never prepares.
        pg_options.update(server_side_binding=True, prepare_threshold=5)
    if os.environ.get("TASKLAB_PG_POOL") == "1":
        pg_options["pool"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    if os.environ.get("TASKLAB_PG_SYNCHRONOUS_COMMIT"):
        # libpq's `options` sets a server setting for the session; added to any the URL gave.
        synchronous_commit = f"-c synchronous_commit={os.environ['TASKLAB_PG_SYNCHRONOUS_COMMIT']}"
        pg_options["options"] = f"{pg_options.get('options', '')} {synchronous_commit}".strip()

# The task queue in a database of its own (lesson 10 shows what that changes for
# `transaction.atomic()`): set TASKLAB_QUEUE_DATABASE_URL.
if os.environ.get("TASKLAB_QUEUE_DATABASE_URL"):
    DATABASES["queue"] = dj_database_url.parse(
        os.environ["TASKLAB_QUEUE_DATABASE_URL"],
        conn_max_age=int(os.environ.get("TASKLAB_CONN_MAX_AGE", "60")),
        conn_health_checks=conn_health_checks,
    )
    if DATABASES["queue"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["queue"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    DATABASE_ROUTERS = ["taskdemo.routers.QueueDatabaseRouter"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django 6.1 configures mail with MAILERS. The older EMAIL_BACKEND setting may not be
# used beside it (ImproperlyConfigured): the console backend prints each email.
# Django 6.0 has no MAILERS (it would be ignored, and mail would go to SMTP on localhost):
# there the same console backend is EMAIL_BACKEND (`make test-django60` runs the sandbox's
# tests on 6.0).
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.console.EmailBackend",
        },
    }
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Without TASKS, Django uses ImmediateBackend: tasks run inside the request.
# DatabaseBackend stores them instead, and a `db_worker` process runs them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails", "images"],
    }
}

# A second backend, for lesson 9 only (`tasklab.setup(..., bulk_backend=True)` sets the variable,
# so that the notebook and its workers all see it): tasks sent there with
# `.using(backend="bulk")` wait for a `db_worker --backend bulk`.
if os.environ.get("TASKLAB_BULK_BACKEND") == "1":
    TASKS["bulk"] = {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
