"""`start_project()`: a throwaway Django project, to follow a tutorial's steps literally.

Lesson 2 runs a project's setup as a learner types it (`django-admin startproject`, edits to
settings.py, `manage.py migrate`) and shows the errors today's packages really give. The
project is an ordinary one, run by ordinary `python manage.py ...` subprocesses: nothing
of the sandbox's settings leaks into it.

By default its commands run with the lab's own Python (Django 6.1). `python=` runs every one
of them with another interpreter instead, as activating another virtual environment would:
lesson 19 gives it the Django 5.2 environment of `tasklab.locked_environment("lts")`.
"""

import difflib
import functools
import json
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from .paths import SANDBOX_DIR

# The venv puts the sandbox on sys.path, so `startproject taskdemo` and `startapp accounts`
# would refuse those names as "conflicting with an existing Python module". A learner's own
# environment has no sandbox: run these two commands without it, as theirs would.
_DJANGO_ADMIN_WITHOUT_SANDBOX = (
    "import os, sys\n"
    "sys.path = [p for p in sys.path if os.path.realpath(p or '.') != {sandbox!r}]\n"
    "from django.core.management import execute_from_command_line\n"
    "execute_from_command_line(['django-admin', *sys.argv[1:]])\n"
)

# One-shot commands (check, migrate, db_worker --batch) end by themselves; this bounds them.
COMMAND_TIMEOUT = 120


@dataclass(frozen=True)
class CommandOutput:
    """What a command printed (stdout and stderr, in order) and how it exited."""

    command: str
    returncode: int
    text: str

    @property
    def ok(self):
        return self.returncode == 0

    @property
    def lines(self):
        return self.text.rstrip("\n").splitlines()

    def head(self, lines=5):
        return "\n".join(self.lines[:lines])

    def tail(self, lines=3):
        return "\n".join(self.lines[-lines:])

    def grep(self, text):
        """The lines that contain `text`."""
        return "\n".join(line for line in self.lines if text in line)

    def __str__(self):
        return self.text.rstrip("\n")


class ScratchProject:
    """A project folder made by `startproject`, with its settings.py as first generated."""

    def __init__(self, folder, name, python=None):
        self.dir = Path(folder)
        self.name = name
        self.python = str(python or sys.executable)  # the interpreter that runs its commands
        self.settings = self.dir / name / "settings.py"
        self.original_settings = self.settings.read_text()

    def __repr__(self):
        return f"<ScratchProject {self.name!r} in {self.dir.name}/>"

    # -- running commands --------------------------------------------------------------
    def manage(self, *args, timeout=COMMAND_TIMEOUT):
        """`python manage.py ARGS` in the project folder, as a learner would type it."""
        return run(
            self.dir,
            [self.python, "manage.py", *args],
            f"python manage.py {' '.join(args)}",
            timeout,
            python=self.python,
        )

    def startapp(self, name):
        """`python manage.py startapp NAME`, run as the same `django-admin startapp NAME`."""
        return django_admin(self.dir, "startapp", name, python=self.python)

    # -- editing files -----------------------------------------------------------------
    def add_to_settings(self, text):
        """Append `text` at the end of settings.py, as a tutorial's "add this" says."""
        with self.settings.open("a") as settings:
            settings.write("\n" + text.strip("\n") + "\n")

    def change_settings(self, old, new):
        """Replace `old` (which must appear exactly once) with `new` in settings.py."""
        text = self.settings.read_text()
        count = text.count(old)
        if count != 1:
            where = "is not in" if count == 0 else f"appears {count} times in"
            raise ValueError(
                f"{old!r} {where} {self.name}/settings.py: nothing was changed. "
                f"Look at the file ({self.settings}) and pass text that appears exactly once."
            )
        self.settings.write_text(text.replace(old, new))

    def settings_diff(self):
        """What was changed in settings.py since `startproject` wrote it (a unified diff)."""
        path = f"{self.name}/settings.py"
        return "".join(
            difflib.unified_diff(
                self.original_settings.splitlines(keepends=True),
                self.settings.read_text().splitlines(keepends=True),
                f"{path} (as generated)",
                f"{path} (now)",
                n=1,
            )
        )

    def write(self, relative_path, text):
        """Create or overwrite a file of the project, e.g. accounts/tasks.py."""
        path = self.dir / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"))
        return path

    def tree(self):
        """The project's files, like a tutorial's tree listing (no caches, no database)."""
        skipped = {"__pycache__", "db.sqlite3"}
        return "\n".join(
            str(path.relative_to(self.dir))
            for path in sorted(self.dir.rglob("*"))
            if path.is_file() and not skipped & set(path.relative_to(self.dir).parts)
        )


def django_admin(folder, *args, python=None):
    """`django-admin ARGS` in `folder`, without the sandbox on sys.path (see above)."""
    python = str(python or sys.executable)
    code = _DJANGO_ADMIN_WITHOUT_SANDBOX.format(sandbox=str(SANDBOX_DIR))
    return run(folder, [python, "-c", code, *args], f"django-admin {' '.join(args)}", python=python)


def run(folder, argv, shown_as, timeout=COMMAND_TIMEOUT, *, python=None):
    """Run a one-shot command in `folder`; its output, paths shortened as a learner reads them.

    python: the interpreter the command runs with (default: this one), whose site-packages
    and standard library paths are shortened.
    """
    # The kernel's Django settings and toolkit variables belong to the sandbox, not here.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TASKLAB_")) and key != "PYTHONPATH"
    }
    env["PYTHONUNBUFFERED"] = "1"  # keep stdout and stderr in the order they happened
    try:
        done = subprocess.run(
            argv,
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as late:
        output = late.stdout or ""  # bytes, even with text=True
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        raise TimeoutError(
            f"`{shown_as}` did not finish within {timeout} s (stopped). It printed:\n{output}"
        ) from None
    return CommandOutput(shown_as, done.returncode, _shorten_paths(done.stdout, Path(folder), python))


@functools.cache
def interpreter_paths(python):
    """`sysconfig.get_paths()` of another interpreter (asked once), or of this one."""
    # Not realpath: a virtual environment's python is a symlink to the same base interpreter.
    if python is None or os.path.abspath(python) == os.path.abspath(sys.executable):
        return sysconfig.get_paths()
    code = "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"
    done = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=True
    )
    return json.loads(done.stdout)


def _shorten_paths(text, folder, python=None):
    """Paths relative to the project, or to site-packages, so outputs do not vary by machine."""
    paths = interpreter_paths(python)
    replacements = {
        f"{folder.resolve()}/": "",
        f"{folder}/": "",
        f"{paths['purelib']}/": "site-packages/",
        f"{paths['stdlib']}/": "python/",
    }
    # The longest first: an environment may live inside the folder, or the folder inside it.
    for long in sorted(replacements, key=len, reverse=True):
        text = text.replace(long, replacements[long])
    return text


def start_project(folder, name="taskdemo", *, python=None):
    """`django-admin startproject NAME .` in a new, empty `folder`; returns the project.

    Refuses a folder that already holds files: nothing of yours is ever overwritten.
    python: the interpreter of another environment (e.g. `locked_environment("lts").python`)
    that runs `startproject` and every later command of the project; default: this one.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(
            f"{folder} is not empty: start_project() only creates projects in a new folder. "
            "Pick another folder, or delete this one if it holds nothing you need."
        )
    folder.mkdir(parents=True, exist_ok=True)
    created = django_admin(folder, "startproject", name, ".", python=python)
    if not created.ok:
        raise RuntimeError(f"`{created.command}` failed:\n{created.tail(5)}")
    return ScratchProject(folder, name, python=python)
