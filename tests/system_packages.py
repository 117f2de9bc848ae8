"""System packages some tests need (Chromium, PostgreSQL, Redis, curl).

On a learner's machine a missing one skips the test with the exact install command;
under CI=true it fails instead: CI installs them (.ci/run), so missing means broken.
"""

import os
import shutil

import pytest

INSTALL = {
    "postgres": "sudo apt install postgresql   (macOS: brew install postgresql@16)",
    "redis-server": "sudo apt install redis-server   (macOS: brew install redis)",
    "curl": "sudo apt install curl   (macOS ships it)",
}


def require(program, path=None):
    """Return the program's path, or skip (fail under CI) saying how to install it."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(program)
    if found:
        return found
    missing(program)


def missing(program):
    """Skip (fail under CI) saying how to install `program`."""
    skip_or_fail(f"{program} is not installed. Install it with: {INSTALL.get(program, program)}")


def skip_or_fail(message):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must install it in .ci/run)", pytrace=False)
    pytest.skip(message)


def chromium_path():
    """The Chromium lesson 8 uses too (`tasklab.browser.chromium_path`: same search, same message)."""
    from tasklab.browser import ChromiumNotFound, chromium_path

    try:
        return chromium_path()
    except ChromiumNotFound as error:
        skip_or_fail(str(error))


def postgres_bindir():
    """The folder of PostgreSQL's server programs (Debian keeps initdb and postgres off PATH)."""
    from tasklab.postgres import find_bindir

    found = find_bindir()
    return str(found) if found else missing("postgres")


def redis_server_path():
    return require("redis-server")
