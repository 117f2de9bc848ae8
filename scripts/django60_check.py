"""`make test-django60`: the sandbox's unit tests on Django 6.0.x as well (part of `make test`).

The lessons and `.venv/` use Django 6.1 (uv.lock). Many readers come from Django 6.0
introductions and still run 6.0, so the sandbox itself (`accounts`, `taskdemo`, the register,
status and status-page views, the tasks, a real `db_worker`) must work there too. This builds
`.venv-django60/` with the same builder as `make test-latest` (scripts/drift_check.py), or
syncs it when it exists: every package at its version in uv.lock, except Django, which is the
newest 6.0.x; then runs the tests in SANDBOX_TESTS there (about a minute on a busy 2-core
machine).

Not selected: tests of the lab toolkit alone (benchmarks, orphans, PostgreSQL, Redis,
exercises, browsers), which run once, on 6.1, in `make test-unit`; lesson 13's demo receivers
(`django/tasks/signals.py` is the same in 6.0 and 6.1); and tests of what 6.1 itself prints
(startproject's MAILERS, the decorator's run_after message, the version), which differ on 6.0
by design: `make test-latest PIN='django==6.0.10'` lists those, and the lessons say them.

Usage (the Makefile passes the interpreter):
    python scripts/django60_check.py --python PYTHON [--jobs 2]
Exit status: pytest's (0 when every test passed); 2 when the environment could not be built
or did not get a Django 6.0.x.
"""

import argparse
import sys

from drift_check import REPO, build_environment, installed, locked_requirements, run

ENVIRONMENT = REPO / ".venv-django60"
DJANGO = "django>=6.0,<6.1"

# The sandbox's own code, each file a part a learner runs on their Django:
SANDBOX_TESTS = [
    "tests/test_django_guards.py",  # manage.py check and makemigrations --check on the settings
    "tests/test_views.py",  # /register/ and /task/<id>/, bad input never a 500
    "tests/test_status_page_views.py",  # the status page's views (lesson 8)
    "tests/test_signup.py",  # lesson 1's signups, inline and enqueued
    "tests/test_tasks.py",  # accounts/tasks.py called directly
    "tests/test_json_and_context_tasks.py",  # the JSON round trip and the task context (lesson 3)
    "tests/test_production_tasks.py",  # the production lessons' tasks, run by a real db_worker
    "tests/test_health.py",  # accounts/health.py and `manage.py tasks_health`
    "tests/test_mail_settings.py",  # EMAIL_BACKEND on 6.0, MAILERS on 6.1; a worker prints the email
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the interpreter for the new environment")
    parser.add_argument("--jobs", default="2", help="pytest-xdist processes")
    options = parser.parse_args()

    build_environment(options.python, locked_requirements([DJANGO]), ENVIRONMENT, fresh=False)
    version = installed(ENVIRONMENT).get("django", "(none)")
    if not version.startswith("6.0."):
        print(f"{ENVIRONMENT.name}/ got Django {version}, not a 6.0.x: nothing was tested.", file=sys.stderr)
        return 2
    print(f"The sandbox's unit tests on Django {version}, in {ENVIRONMENT.name}/", flush=True)
    tests = run(
        [ENVIRONMENT / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["-n", options.jobs, "--dist", "loadfile", *SANDBOX_TESTS]
    )
    return tests.returncode


if __name__ == "__main__":
    sys.exit(main())
