"""Bad input: everything a learner can get wrong, and what each gets.

One row per mistake; each row is one test. Every row must get a message that names the
problem (the row's `expect`), no 500 and no traceback, and must lose nothing: a user and a
task that existed before are still there, and nothing half-made is left behind.

Where the words are Django's own and unclear, the row says so in its id: the toolkit cannot
change them, and a lesson can warn about them.

The task-id rows run under both settings a learner can choose: the database backend
(`taskdemo.settings`, UUIDs) and RQ (`taskdemo.settings_rq`, 32 letters and digits, and the
`django_tasks` backport's exceptions, lesson 17). On RQ they do what a learner does: ask a
real dev server started with DJANGO_SETTINGS_MODULE=taskdemo.settings_rq, and type the
Python into a real `manage.py shell` with the same settings.
"""

import contextlib
import datetime
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.tasks import task
from django_tasks_db.models import DBTaskResult

import tasklab
from accounts.tasks import add, send_password_reset, send_welcome_email
from system_packages import redis_server_path
from tasklab import http, postgres, recovery
from tasklab.paths import REPO_DIR, SANDBOX_DIR

VALID = {"username": "alice", "email": "alice@example.com", "password": "secret123"}
UNKNOWN_ID = "05131955-6651-40e2-9feb-a9ee0c0cd87b"


@dataclass
class Row:
    id: str
    attempt: object  # attempt(context) -> the text the learner sees
    expect: str
    adds_tasks: int = 0  # tasks the attempt rightly leaves behind (e.g. one that FAILED)
    starts_worker: bool = False  # a worker process must see the test's data: commit it
    expect_on_rq: str | None = None  # a task-id row: it also runs on the RQ settings, and expects this


@dataclass
class Context:
    client: object
    tmp_path: object
    monkeypatch: object
    existing_id: str  # the id of the task enqueued before the attempt (the database's)
    rq: object = None  # on the RQ settings: the running Redis and dev server (`OnRQ`)


@dataclass
class OnRQ:
    redis: object
    server: object

    @property
    def env(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taskdemo.settings_rq",
            "TASKLAB_REDIS_URL": self.redis.url,
        }


# -- how each kind of attempt shows its outcome ---------------------------------------------


def register(fields, **options):
    def attempt(ctx):
        response = ctx.client.post("/register/", fields, **options)
        return f"{response.status_code} {response.content.decode()}"

    return attempt


def register_with(**changes):
    return register({k: v for k, v in {**VALID, **changes}.items() if v is not None})


def get(url):
    def attempt(ctx):
        if ctx.rq:  # curl against the dev server started on the RQ settings
            reply = http.get(ctx.rq.server.url + url)
            return f"{reply.status} {reply.text}"
        response = ctx.client.get(url)
        return f"{response.status_code} {response.content.decode()}"

    return attempt


def in_shell(code):
    """Run `code` as typed into `manage.py shell` after `from accounts.tasks import *`, and
    show the error it raises, its class named with its module. `existing_id` is the id of an
    urgent email enqueued before.

    On the database settings it runs here, in the test's database; on RQ in a real
    `manage.py shell -c` started with the RQ settings, which enqueues that email first.
    """

    def attempt(ctx):
        existing = (
            "send_password_reset.enqueue('existing@example.com').id" if ctx.rq else repr(ctx.existing_id)
        )
        program = (
            "from accounts.tasks import *\n"
            f"existing_id = {existing}\n"
            "try:\n"
            f"    {code}\n"
            "except Exception as error:\n"
            "    print(f'{type(error).__module__}.{type(error).__name__}: {error}')\n"
            "else:\n"
            "    print('no error was raised')\n"
        )
        if ctx.rq:
            done = subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", program],
                cwd=SANDBOX_DIR,
                env=ctx.rq.env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            return f"{done.stdout}{done.stderr}"
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(program, {})
        return output.getvalue()

    return attempt


def raises(call):
    def attempt(ctx):
        try:
            call(ctx)
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        raise AssertionError("no error was raised")

    return attempt


def worker_reports(call):
    """Enqueue with `call`, let a real worker run it, and show the error the result carries."""

    def attempt(ctx):
        result = call(ctx)
        tasklab.Worker(batch=True).start().wait(timeout=60)
        result.refresh()
        if not result.errors:
            return f"{result.status.name} (no error)"
        return f"{result.status.name}: {result.errors[0].traceback.strip().splitlines()[-1]}"

    return attempt


def shell(command, env=None, cwd=REPO_DIR):
    def attempt(ctx):
        done = subprocess.run(
            command,
            cwd=cwd(ctx) if callable(cwd) else cwd,
            env=env(ctx),
            capture_output=True,
            text=True,
            timeout=60,
        )
        return f"exit {done.returncode}: {done.stdout}{done.stderr}"

    return attempt


def duplicate_worker(ctx):
    with tasklab.Worker(worker_id="twin"):
        tasklab.Worker(worker_id="twin").start()


def path_without_python_312(ctx):
    """A PATH whose only python3 fails the version check, as Python 3.11 does."""
    bin_dir = ctx.tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "python3").chmod(0o755)
    (bin_dir / "cat").symlink_to(shutil.which("cat"))
    return {"PATH": str(bin_dir), "HOME": str(ctx.tmp_path)}


def copy_for_make_setup(ctx):
    """The files `make setup` needs first, in a fresh folder with no .tools/ or .venv/ yet."""
    for name in ("Makefile", "pyproject.toml", "uv.lock", "scripts"):
        source = REPO_DIR / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, ctx.tmp_path / name)
    return ctx.tmp_path


def not_python(ctx):
    return {**os.environ, "PYTHON": "/nonexistent/python3"}


TABLE = [
    # Form fields: POST /register/
    Row("form: username missing", register_with(username=None), "400 username: This field is required."),
    Row("form: username blank", register_with(username=""), "400 username: This field is required."),
    Row(
        "form: username with a space",
        register_with(username="bad name"),
        "400 username: Enter a valid username.",
    ),
    Row(
        "form: username too long",
        register_with(username="a" * 151),
        "400 username: Ensure this value has at most 150 characters (it has 151).",
    ),
    Row(
        "form: username taken",
        register_with(username="existing"),
        "400 Username already exists. Please choose another.",
    ),
    Row("form: email missing", register_with(email=None), "400 email: This field is required."),
    Row(
        "form: email malformed",
        register_with(email="alice-at-example"),
        "400 email: Enter a valid email address.",
    ),
    Row("form: password missing", register_with(password=None), "400 password: This field is required."),
    Row(
        "form: JSON instead of form fields",
        register(VALID, content_type="application/json"),
        "400 Send form fields, not JSON, e.g. curl -d username=alice",
    ),
    Row("form: GET instead of POST", get("/register/"), "200 Send POST request to register"),
    # Task ids: GET /task/<id>/ and Task.get_result(), on the database settings and on RQ
    Row(
        "id: unknown",
        get(f"/task/{UNKNOWN_ID}/"),
        '404 {"error": "Task not found"}',
        expect_on_rq='404 {"error": "Task not found"}',
    ),
    Row(
        "id: unknown, 32 letters and digits",
        get("/task/d3Lw462fPX3rEwTC0YJfn76mjc8ZlEr4/"),
        '404 {"error": "Task not found"}',
        expect_on_rq='404 {"error": "Task not found"}',
    ),
    Row(
        "id: malformed",
        get("/task/not-a-task-id/"),
        "task ids are UUIDs, such as 05131955-6651-40e2-9feb-a9ee0c0cd87b",
        expect_on_rq="task ids are UUIDs, such as 05131955-6651-40e2-9feb-a9ee0c0cd87b",
    ),
    # From Python the class's module shows which package raised it: on RQ, the backport's.
    Row(
        "id: malformed, from Python",
        in_shell("add.get_result('not-a-uuid')"),
        "django.tasks.exceptions.TaskResultDoesNotExist: not-a-uuid",
        expect_on_rq="django_tasks.exceptions.TaskResultDoesNotExist: not-a-uuid",
    ),
    Row(
        "id: another task's",
        in_shell("add.get_result(existing_id)"),
        "django.tasks.exceptions.TaskResultMismatch: Task does not match (received 'accounts.tasks.send_password_reset')",
        expect_on_rq="django_tasks.exceptions.TaskResultMismatch: Task does not match "
        "(received 'accounts.tasks.send_password_reset')",
    ),
    # Task arguments
    Row(
        "argument: a date",
        raises(lambda ctx: add.enqueue(datetime.date(2026, 1, 1), 1)),
        "TypeError: Unsupported type: <class 'datetime.date'>",
    ),
    Row(
        "argument: a model instance",
        raises(lambda ctx: send_welcome_email.enqueue(User.objects.get(), "x")),
        "TypeError: Unsupported type: <class 'django.contrib.auth.models.User'>",
    ),
    Row(
        "argument: one missing (found when the worker runs it)",
        worker_reports(lambda ctx: add.enqueue(1)),
        "FAILED: TypeError: add() missing 1 required positional argument: 'b'",
        adds_tasks=1,
        starts_worker=True,
    ),
    # Queue names
    Row(
        "queue: not declared, on a task",
        raises(lambda ctx: add.using(queue_name="emials")),
        "InvalidTask: Queue 'emials' is not valid for backend.",
    ),
    Row(
        "queue: not declared, for a worker",
        raises(lambda ctx: tasklab.Worker(queues=["emials"])),
        "UnknownQueue: No queue named 'emials' in TASKS['default']['QUEUES'] (declared: default, emails, images)",
    ),
    Row(
        "queue: none, for a worker",
        raises(lambda ctx: tasklab.Worker(queues=[])),
        "UnknownQueue: A worker needs queue names, not []",
    ),
    # Priorities
    Row(
        "priority: above 100",
        raises(lambda ctx: add.using(priority=101)),
        "InvalidTask: priority must be a whole number between -100 and 100.",
    ),
    Row(
        "priority: not whole",
        raises(lambda ctx: add.using(priority=1.5)),
        "InvalidTask: priority must be a whole number between -100 and 100.",
    ),
    Row(
        "priority: as text (Django's unclear words)",
        raises(lambda ctx: add.using(priority="high")),
        "TypeError: '<' not supported between instances of 'str' and 'int'",
    ),
    # run_after
    Row(
        "run_after: naive datetime",
        raises(lambda ctx: add.using(run_after=datetime.datetime(2030, 1, 1))),
        "InvalidTask: run_after must be an aware datetime.",
    ),
    Row(
        "run_after: in the @task decorator",
        raises(lambda ctx: task(run_after=datetime.datetime.now(datetime.UTC))(add.func)),
        "TypeError: run_after cannot be defined statically with the @task decorator. "
        "Use .using(run_after=...) to set it dynamically.",
    ),
    Row(
        "run_after: as text (Django's unclear words)",
        raises(lambda ctx: add.using(run_after="tomorrow")),
        "AttributeError: 'str' object has no attribute 'utcoffset'",
    ),
    # Worker flags
    Row(
        "worker: negative interval",
        raises(lambda ctx: tasklab.Worker(interval=-1).start()),
        "argument --interval: Must be zero or greater",
        starts_worker=True,
    ),
    Row(
        "worker: interval as text",
        raises(lambda ctx: tasklab.Worker(interval="fast")),
        "TypeError: interval is a number of seconds, e.g. interval=0.5, not 'fast'.",
    ),
    Row(
        "worker: max_tasks=0",
        raises(lambda ctx: tasklab.Worker(max_tasks=0).start()),
        "argument --max-tasks: Must be greater than zero",
        starts_worker=True,
    ),
    Row(
        "worker: id too long",
        raises(lambda ctx: tasklab.Worker(worker_id="w" * 65).start()),
        "argument --worker-id: Worker ids must be shorter than 64 characters",
        starts_worker=True,
    ),
    Row(
        "worker: id already running",
        raises(duplicate_worker),
        "DuplicateWorker: A worker named 'twin' is already running",
        starts_worker=True,
    ),
    Row(
        "worker: exclude_queues without '*'",
        raises(lambda ctx: tasklab.Worker(exclude_queues=["emails"]).start()),
        "CommandError: --exclude-queues can only be used with --queue-name=*",
        starts_worker=True,
    ),
    Row(
        "worker: unknown backend",
        raises(lambda ctx: tasklab.Worker(backend="fast").start()),
        "argument --backend: The connection 'fast' doesn't exist.",
        starts_worker=True,
    ),
    # The toolkit's own calls
    Row(
        "setup: a path for a name",
        raises(lambda ctx: tasklab.setup("../escape")),
        "ValueError: setup() needs a simple name such as '06-the-worker'",
    ),
    Row(
        "recover: unknown action",
        raises(lambda ctx: recovery.recover([], action="delete")),
        "ValueError: recover() action must be 'requeue' or 'fail', not 'delete'.",
    ),
    Row(
        "find_stuck: threshold as text",
        raises(lambda ctx: recovery.find_stuck(older_than="10 minutes")),
        "TypeError: older_than is a number of seconds or a timedelta, not '10 minutes'",
    ),
    Row(
        "postgres: not installed",
        raises(lambda ctx: postgres_without_binaries(ctx)),
        "PostgresNotInstalled: PostgreSQL is not installed (no initdb/postgres found",
    ),
    Row(
        "postgres: database name with spaces",
        raises(lambda ctx: postgres.Postgres(database="my db")),
        "ValueError: A database name here is lower-case letters, digits and '_'",
    ),
    # A missing Python 3.12
    Row(
        "python: none 3.12+ on PATH",
        shell(["/bin/sh", "scripts/find-python.sh"], env=path_without_python_312),
        "exit 1: error: no Python 3.12 or newer found",
    ),
    Row(
        "python: PYTHON= names no Python",
        shell(["/bin/sh", "scripts/find-python.sh"], env=not_python),
        "exit 1: error: PYTHON=/nonexistent/python3 is not a working Python 3.12 or newer.",
    ),
    Row(
        "python: make setup with none",
        shell(["make", "--no-print-directory", "setup"], env=not_python, cwd=copy_for_make_setup),
        "error: PYTHON=/nonexistent/python3 is not a working Python 3.12 or newer.",
    ),
]


def postgres_without_binaries(ctx):
    ctx.monkeypatch.setenv("TASKLAB_PG_BINDIR", str(ctx.tmp_path))
    postgres.Postgres()


@pytest.fixture(scope="module")
def on_rq():
    """Redis, and the dev server started as a learner starts it on RQ."""
    redis_server_path()
    with tasklab.Redis() as redis:
        env = {"DJANGO_SETTINGS_MODULE": "taskdemo.settings_rq", "TASKLAB_REDIS_URL": redis.url}
        with tasklab.Server(env=env) as server:
            yield OnRQ(redis, server)


@pytest.mark.parametrize(
    "row, settings",
    [
        pytest.param(
            row,
            settings,
            id=row.id if settings == "database" else f"{row.id}, on RQ",
            marks=pytest.mark.django_db(transaction=row.starts_worker),
        )
        for row in TABLE
        for settings in ("database", "rq")
        if settings == "database" or row.expect_on_rq
    ],
)
def test_a_mistake_gets_a_clear_error_and_loses_nothing(
    client, tmp_path, monkeypatch, request, row, settings
):
    User.objects.create_user("existing", "existing@example.com", "secret123")
    # On the `emails` queue, so that the rows that run a worker on `default` leave it alone.
    existing = send_password_reset.enqueue("existing@example.com")
    rq = request.getfixturevalue("on_rq") if settings == "rq" else None

    seen = row.attempt(Context(client, tmp_path, monkeypatch, existing.id, rq))

    assert (row.expect_on_rq if rq else row.expect) in seen
    assert "Traceback" not in seen and not seen.startswith("500")
    assert list(User.objects.values_list("username", "email")) == [("existing", "existing@example.com")]
    assert DBTaskResult.objects.filter(id=existing.id, status="READY").exists()
    assert DBTaskResult.objects.count() == 1 + row.adds_tasks
