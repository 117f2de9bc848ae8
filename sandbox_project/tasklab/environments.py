"""`locked_environment()`: a second Python environment, installed from a lock file we keep.

Lesson 19 runs a Django 5.2 LTS project beside the lab's Django 6.1. Its packages are listed
in `lts/pyproject.toml` and pinned, with their hashes, in `lts/uv.lock`; this installs exactly
those into `sandbox_project/var/envs/lts/` with the lab's own uv (`uv sync --locked`), from
uv's cache when it holds them, from PyPI otherwise, using the lab's Python. A project of
yours does the same with `python -m venv` and `pip install`, or `uv sync`.
"""

import fcntl
import json
import os
import subprocess
import sys
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import MissingProgram, TasklabError
from .paths import REPO_DIR, VAR_DIR, shown
from .scratch_project import COMMAND_TIMEOUT, run

UV = REPO_DIR / ".tools" / "bin" / "uv"
# A first install downloads a few megabytes from PyPI; from uv's cache it takes a second.
SYNC_TIMEOUT = 600


class EnvironmentNotReady(TasklabError):
    """`uv sync --locked` could not install a locked environment; says why and what to do."""


@dataclass(frozen=True)
class LockedEnvironment:
    """A virtual environment installed from `<name>/uv.lock` (see `locked_environment`)."""

    name: str
    project: Path  # the folder holding pyproject.toml and uv.lock
    dir: Path  # the virtual environment

    @property
    def python(self):
        """Its interpreter: pass it to `tasklab.start_project(..., python=...)`."""
        return self.dir / "bin" / "python"

    @property
    def requirements(self):
        """The distributions its pyproject.toml asks for, by name, as written there."""
        declared = tomllib.loads((self.project / "pyproject.toml").read_text())["project"]["dependencies"]
        names = []
        for requirement in declared:
            name = requirement
            for stop in "<>=!~[; ":
                name = name.split(stop)[0]
            names.append(name)
        return names

    def versions(self):
        """{distribution name: installed version} of its requirements, asked of its own Python."""
        code = (
            "import json, sys\n"
            "from importlib.metadata import metadata\n"
            "found = {metadata(n)['Name']: metadata(n)['Version'] for n in sys.argv[1:]}\n"
            "print(json.dumps(found))\n"
        )
        done = self.run_python(code, *self.requirements)
        if not done.ok:
            raise EnvironmentNotReady(f"Could not read the versions in {shown(self.dir)}:\n{done.tail(5)}")
        return json.loads(done.lines[-1])

    def run_python(self, code, *args, timeout=COMMAND_TIMEOUT):
        """`python -c CODE ARGS` with its interpreter; what it printed, paths shortened."""
        return run(
            self.project,
            [str(self.python), "-c", code, *args],
            "python -c ...",
            timeout,
            python=str(self.python),
        )

    def __str__(self):
        installed = ", ".join(f"{name} {version}" for name, version in self.versions().items())
        return (
            f"Environment {self.name!r} installed from {shown(self.project / 'uv.lock')} "
            f"into {shown(self.dir)}: {installed}"
        )


def locked_environment(name="lts", *, into=None):
    """Install (or check) the environment pinned by `<repository>/<name>/uv.lock`; return it.

    The environment goes to `sandbox_project/var/envs/<name>/` (or `into`), is kept between
    runs, and is brought back to exactly the lock each time (`uv sync --locked`: a lock that
    no longer matches its pyproject.toml is refused, not silently updated). It uses the
    lab's own Python (3.12 or newer).
    """
    project = REPO_DIR / name
    if not (project / "pyproject.toml").is_file() or not (project / "uv.lock").is_file():
        raise FileNotFoundError(
            f"{shown(project)}/ holds no pyproject.toml and uv.lock: locked_environment() takes "
            "the name of a folder of the repository that has both, such as 'lts'."
        )
    if not UV.is_file():
        raise MissingProgram(f"uv is not installed in {shown(UV.parent)}/: run `make setup` first.")
    environment = LockedEnvironment(name, project, Path(into) if into else VAR_DIR / "envs" / name)
    environment.dir.parent.mkdir(parents=True, exist_ok=True)
    # uv must install into this environment, never into the lab's .venv (which the Makefile
    # exports as UV_PROJECT_ENVIRONMENT), and never fetch a Python of its own.
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["UV_PROJECT_ENVIRONMENT"] = str(environment.dir)
    argv = [
        str(UV),
        "sync",
        "--locked",
        "--project",
        str(project),
        "--python",
        sys.executable,
        "--no-python-downloads",
        "--no-progress",
    ]
    with _only_one_at_a_time(environment.dir):
        try:
            done = subprocess.run(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=SYNC_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise EnvironmentNotReady(
                f"`uv sync --locked` for {shown(project)}/uv.lock did not finish within {SYNC_TIMEOUT} s. "
                "The first install downloads its packages from PyPI: check the network, then run this again."
            ) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        if "needs to be updated" in said:
            advice = (
                f"{shown(project)}/pyproject.toml was changed without updating its lock: run "
                f"`.tools/bin/uv lock --project {shown(project)} --python .venv/bin/python`, "
                "read what moved, and commit the lock."
            )
        else:
            advice = "The first install downloads from PyPI (later ones use uv's cache): check the network."
        raise EnvironmentNotReady(
            f"`uv sync --locked` could not install {shown(project)}/uv.lock into {shown(environment.dir)}:\n"
            + "\n".join(said.splitlines()[-4:])
            + f"\n{advice}"
        )
    return environment


@contextmanager
def _only_one_at_a_time(environment_dir):
    """Two notebooks or tests installing the same environment at once wait for each other."""
    with open(f"{environment_dir}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
