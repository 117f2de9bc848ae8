"""System packages some tests need (Chromium, PostgreSQL, Redis).

On a learner's machine a missing one skips the test with the exact install command;
under CI=true it fails instead: CI installs them (.ci/run), so missing means broken.
"""

import os
import shutil

import pytest

INSTALL = {
    "chromium": "sudo apt install chromium   (macOS: brew install --cask chromium)",
    "postgres": "sudo apt install postgresql   (macOS: brew install postgresql@16)",
    "redis-server": "sudo apt install redis-server   (macOS: brew install redis)",
}


def require(program, path=None):
    """Return the program's path, or skip (fail under CI) saying how to install it."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed. Install it with: {INSTALL.get(program, program)}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must install it in .ci/run)", pytrace=False)
    pytest.skip(message)


def chromium_path():
    return require("chromium", os.environ.get("TASKLAB_CHROMIUM", "/usr/bin/chromium"))


def redis_server_path():
    return require("redis-server")


def postgres_path():
    """Debian keeps the server binary off PATH; the toolkit knows where to look."""
    from tasklab.errors import MissingProgram
    from tasklab.postgres import find_postgres

    try:
        return find_postgres()
    except MissingProgram:
        return require("postgres")
