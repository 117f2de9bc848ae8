"""`make doctor`: can this machine run the lessons? One line per item, and what to do.

Runs on any Python 3.8 or newer with the standard library only, before `.venv` exists (the
facilitator asks a room to run it a week before a workshop). Each line says `ok`, or what is
missing, the command that installs it on this system (Debian, Ubuntu, Fedora, macOS with
Homebrew) and which lessons it affects.

Exit status 1 only when lessons 1-7, the core path, cannot run: no Python 3.12 or newer
(and no working `.venv` made with one), not enough disk for `.venv`, or no `make`, which
runs every command the lessons and guides give. A missing `.venv` is not one of them: `make lab`
creates it by itself from the lock file, so that line asks for `make setup` now, while there
is a network, and the status stays 0.
"""

import argparse
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIND_PYTHON = REPO / "scripts" / "find-python.sh"

# Free space needed next to .venv: make setup (.venv about 650 MB, .tools about 55 MB) and the
# lessons' databases and logs (about 50 MB after every lesson); the lessons alone, once set up.
NEED_FOR_SETUP_MB = 800
NEED_FOR_LESSONS_MB = 100

EVERY_LESSON = "every lesson (1-18): lessons 1-7 cannot run"
PORTS = [
    # (environment variable, default, what listens there, what to do when it is taken, affects)
    ("PORT", 8000, "make server", "stop what listens there, or: PORT=8080 make server", "make server (lessons 1, 5, 6, 8, 15 suggest it)"),
    ("DOCS_PORT", 8001, "make serve-docs", "stop what listens there, or: DOCS_PORT=8002 make serve-docs", "make serve-docs (this site, locally; no lesson needs it)"),
    ("JUPYTER_PORT", 8888, "make lab", "nothing to do: make lab takes the next free port, use the URL it prints (or: JUPYTER_PORT=8890 make lab)", "make lab's usual address only"),
]  # fmt: skip


# Django 6 imported (as the lessons do), the rest only looked up: importing JupyterLab takes seconds.
ENVIRONMENT_PROBE = """
import importlib.util, django, django.tasks
missing = [name for name in ("django_tasks_db", "jupyterlab", "playwright") if not importlib.util.find_spec(name)]
if missing:
    raise SystemExit("No module named " + ", ".join(missing))
print(django.get_version())
"""


def load_machine():
    """`tasklab/machine.py`, by its path: the toolkit's own finders, without importing the toolkit."""
    path = REPO / "sandbox_project" / "tasklab" / "machine.py"
    spec = importlib.util.spec_from_file_location("tasklab_machine", str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


machine = load_machine()


class Item:
    """One line: a status (ok, todo, missing, busy, FAIL), what, and what to do."""

    def __init__(self, status, name, detail, fix=None, affects=None):
        self.status, self.name, self.detail, self.fix, self.affects = status, name, detail, fix, affects

    @property
    def fatal(self):
        return self.status == "FAIL"

    def __str__(self):
        line = "{:<8}{}: {}".format(self.status, self.name, self.detail)
        if self.fix:
            line += " | " + self.fix
        if self.affects:
            line += " | affects: " + self.affects
        return line


def run(command, environ, timeout=120):
    """(exit status, stdout, stderr); (None, "", why) when it cannot start."""
    try:
        done = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as error:
        return None, "", str(error)
    return done.returncode, done.stdout.strip(), done.stderr.strip()


def check_python(environ, system, environment_ok):
    status, out, _ = run(["/bin/sh", str(FIND_PYTHON)], environ)
    if status == 0 and out:
        python = out.splitlines()[-1]
        _, version, _ = run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], environ)
        return Item("ok", "Python 3.12+", "{} ({})".format(python, version or "version unknown"))
    if environ.get("PYTHON"):
        tried = "PYTHON={} is not a working Python 3.12 or newer".format(environ["PYTHON"])
    else:
        tried = "none found (tried python3.13, python3.12, python3.14, python3 on PATH and pyenv's versions)"
    fix = "install: {}, or point at one: make setup PYTHON=/path/to/python3.13".format(
        machine.install_command("python", system)
    )
    if environment_ok:  # .venv has a Python of its own: only remaking .venv needs another
        return Item(
            "missing",
            "Python 3.12+",
            tried,
            fix,
            "make setup, to remake .venv (the lessons run on its Python)",
        )
    return Item("FAIL", "Python 3.12+", tried + "; Django 6 needs it", fix, EVERY_LESSON)


def check_environment(venv, environ):
    """(Item, the environment's Python or None)."""
    python = venv / "bin" / "python"
    shown = _shown(venv)
    if not python.exists():
        fix = "run: make setup (now, while you have a network: about a minute; make lab would do it too)"
        return Item("todo", "environment", "{} not made yet".format(shown), fix, "every lesson (1-18)"), None
    status, out, err = run([str(python), "-c", ENVIRONMENT_PROBE], environ)
    if status == 0:
        return Item("ok", "environment", "{} (Django {})".format(shown, out)), python
    why = (err.splitlines() or ["{} does not run".format(python)])[-1]
    return Item("todo", "environment", "{} is broken: {}".format(shown, why), "run: make clean setup", "every lesson (1-18)"), None  # fmt: skip


def check_program(name, environ, system, affects, fatal=False):
    found = shutil.which(name, path=environ.get("PATH", os.defpath))
    if found:
        return Item("ok", name, found)
    fix = "install: " + machine.install_command(name, system)
    return Item("FAIL" if fatal else "missing", name, "not on PATH", fix, affects)


def check_disk(venv, environment_ok, need_mb):
    if need_mb is None:
        need_mb = NEED_FOR_LESSONS_MB if environment_ok else NEED_FOR_SETUP_MB
    what = "the lessons' databases and logs" if environment_ok else "make setup and the lessons"
    folder = venv.parent
    free_mb = shutil.disk_usage(str(folder)).free // 2**20
    detail = "{} free in {} ({} need about {} MB)".format(_size(free_mb), _shown(folder), what, need_mb)
    if free_mb >= need_mb:
        return Item("ok", "disk", detail)
    return Item("FAIL", "disk", detail, "free some space on that disk", EVERY_LESSON)


def check_chromium(environ, system, python):
    found, tried = machine.find_chromium(environ, python=python or False)
    if found:
        return Item("ok", "Chromium", found)
    if not python:
        tried.append("Playwright's own Chromium (not checked: no environment yet)")
    fix = "install: {}; or set {} to a Chromium's path".format(
        machine.chromium_install(system), machine.CHROMIUM_ENV
    )
    affects = "lessons 8 and 21 (their browser parts), and make test's browser and site tests"
    return Item("missing", "Chromium", "not found (tried " + "; ".join(tried) + ")", fix, affects)


def check_postgres(environ, system):
    found = machine.find_postgres_bindir(environ)
    name = "PostgreSQL server (initdb, postgres)"
    if found:
        return Item("ok", name, str(found))
    if environ.get(machine.POSTGRES_ENV):
        where = "{}={}".format(machine.POSTGRES_ENV, environ[machine.POSTGRES_ENV])
    else:
        where = "PATH, " + ", ".join(machine.POSTGRES_BINDIRS)
    fix = "install: " + machine.install_command("postgres", system)
    return Item("missing", name, "not found (looked in {})".format(where), fix, "lessons 11, 16-18, 22 and 23, and their tests in make test")  # fmt: skip


def check_port(variable, default, what, fix, affects, environ):
    try:
        port = int(environ.get(variable) or default)
    except ValueError:
        port = default
    name = "port {} ({})".format(port, what)
    if port_is_free(port):
        return Item("ok", name, "free on 127.0.0.1")
    return Item("busy", name, "something already listens on 127.0.0.1:{}".format(port), fix, affects)


def port_is_free(port):
    """Whether a server could listen on 127.0.0.1:port now, as `make server` would (SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _shown(path):
    try:
        return str(Path(path).resolve().relative_to(REPO)) or "."
    except ValueError:
        return str(path)


def _size(mb):
    return "{:.1f} GB".format(mb / 1024) if mb >= 1024 else "{} MB".format(mb)


def describe_system(system, asked):
    if asked:
        return "install commands for {} (chosen with --system)".format(machine.SYSTEM_NAMES[system])
    if system is None:
        return "a system this script does not know: install commands for Debian, Fedora and macOS"
    pretty = machine.read_os_release().get("PRETTY_NAME") if system != "macos" else None
    name = machine.SYSTEM_NAMES[system]
    return "{}, install commands for {}".format(pretty, name) if pretty else name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", default=str(REPO / ".venv"), help="the environment make setup makes")
    parser.add_argument("--system", choices=sorted(machine.SYSTEM_NAMES), help="give install commands for this system")  # fmt: skip
    parser.add_argument("--need-mb", type=int, help="free space to require (default: {} MB before make setup, {} MB after)".format(NEED_FOR_SETUP_MB, NEED_FOR_LESSONS_MB))  # fmt: skip
    args = parser.parse_args(argv)
    environ = dict(os.environ)
    system = args.system or machine.detect_system()
    venv = Path(args.venv).absolute()

    print("tasklab doctor: what the lessons need, on " + describe_system(system, args.system))
    environment, venv_python = check_environment(venv, environ)
    items = [
        check_python(environ, system, venv_python is not None),
        environment,
        check_program("make", environ, system, "every command: make lab, make setup...", fatal=True),
        check_program(
            "git",
            environ,
            system,
            "no lesson; updating this copy (git pull) and resetting exercises (git checkout notebooks/exercises)",
        ),  # fmt: skip
        check_disk(venv, venv_python is not None, args.need_mb),
        check_chromium(environ, system, venv_python),
        check_postgres(environ, system),
        check_program("redis-server", environ, system, "lessons 17-18, and their tests in make test"),
    ]
    items += [check_port(*port, environ=environ) for port in PORTS]
    for item in items:
        print(item)

    print()
    if any(item.fatal for item in items):
        print("Not ready: lessons 1-7 cannot run until each FAIL line is fixed. Then run make doctor again.")
        return 1
    others = [item for item in items if item.status in ("missing", "busy")]
    summary = "Ready for lessons 1-7."
    if environment.status != "ok":
        summary += " Run make setup now, while you have a network."
    if others:
        summary += " The other lines affect only what they name."
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
