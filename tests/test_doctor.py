"""`make doctor` (scripts/doctor.py) on machines made of fake programs in temporary folders.

Each test runs the script as a subprocess, as a learner would, with PATH and the environment
pointing only at tiny shell scripts standing in for python3.13, make, chromium... Take one
away and its line must say it is missing, with the install command for this system and the
lessons it affects; the exit status is 1 only when lessons 1-7 cannot run. The script runs
on the oldest Python 3.8+ found here (pyenv's), since it must run before .venv exists.
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fake_programs import fake
from tasklab import machine
from tasklab.paths import REPO_DIR

DOCTOR = REPO_DIR / "scripts" / "doctor.py"
SYSTEM = machine.detect_system()  # the install commands the doctor must give on this machine


def oldest_python():
    """A Python 3.8 or 3.9 when pyenv has one (the doctor must run there), else this one."""
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for pattern in ("3.8.*", "3.9.*"):
        for candidate in sorted(versions.glob(pattern)):
            if os.access(candidate / "bin" / "python3", os.X_OK):
                return str(candidate / "bin" / "python3")
    return sys.executable


PYTHON = oldest_python()


def fake_python(folder, name, version):
    """Answers find-python.sh's two questions and the doctor's version question."""
    good = 0 if tuple(int(n) for n in version.split(".")) >= (3, 12) else 1
    return fake(
        folder,
        name,
        f"""case "$2" in
  *"sys.exit(sys.version_info"*) exit {good} ;;
  *sys.executable*) echo "$0" ;;
  *) echo {version} ;;
esac""",
    )


def fake_venv(folder, playwright_chromium="/nowhere/ms-playwright/chrome", broken=False):
    """A .venv whose python answers the doctor's environment probe and Playwright's question."""
    environment = (
        "echo \"ModuleNotFoundError: No module named 'django'\" >&2; exit 1" if broken else "echo 6.1.3"
    )
    fake(
        folder / "bin",
        "python",
        f"""case "$2" in
  *sync_playwright*) echo {playwright_chromium} ;;
  *django*) {environment} ;;
  *) exit 1 ;;
esac""",
    )
    return folder


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Machine:
    """A machine with everything the lessons need, as fakes; tests take pieces away."""

    def __init__(self, root):
        self.root = root
        self.bin = root / "bin"
        fake_python(self.bin, "python3.13", "3.13.0")
        for name in ("make", "git", "chromium", "redis-server", "initdb", "postgres"):
            fake(self.bin, name)
        self.venv = fake_venv(root / "venv")
        self.env = {
            "PATH": str(self.bin),
            "HOME": str(root),
            "PORT": str(free_port()),
            "DOCS_PORT": str(free_port()),
            "JUPYTER_PORT": str(free_port()),
        }

    def remove(self, *names):
        for name in names:
            (self.bin / name).unlink()

    def doctor(self, *args):
        done = subprocess.run(
            [PYTHON, str(DOCTOR), "--venv", str(self.venv), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.stderr == ""
        return Report(done.returncode, done.stdout)


class Report:
    def __init__(self, status, output):
        self.status = status
        self.output = output
        self.lines = {}
        for line in output.splitlines():
            match = re.match(r"^(ok|todo|missing|busy|FAIL) +(.+?): (.*)$", line)
            if match:
                self.lines[match.group(2)] = (match.group(1), match.group(3))

    def line(self, name):
        return self.lines[name]

    def statuses(self):
        return {name: status for name, (status, _) in self.lines.items()}


@pytest.fixture
def box(tmp_path):
    return Machine(tmp_path)


def test_a_machine_with_everything_gets_one_ok_line_per_item_and_exit_0(box):
    report = box.doctor()

    assert report.status == 0, report.output
    names = [
        "Python 3.12+",
        "environment",
        "make",
        "git",
        "disk",
        "Chromium",
        "PostgreSQL server (initdb, postgres)",
        "redis-server",
        f"port {box.env['PORT']} (make server)",
        f"port {box.env['DOCS_PORT']} (make serve-docs)",
        f"port {box.env['JUPYTER_PORT']} (make lab)",
    ]
    assert report.statuses() == dict.fromkeys(names, "ok"), report.output
    assert report.line("Python 3.12+")[1] == f"{box.bin / 'python3.13'} (3.13.0)"
    assert report.line("environment")[1] == f"{box.venv} (Django 6.1.3)"
    assert report.line("Chromium")[1] == str(box.bin / "chromium")
    assert report.line("PostgreSQL server (initdb, postgres)")[1] == str(box.bin)
    assert report.output.rstrip().endswith("Ready for lessons 1-7.")


# Missing pieces the core path does without: (what to take away, its line, its install
# command's key in tasklab.machine.INSTALL, the lessons it affects).
OPTIONAL = [
    (["chromium"], "Chromium", "chromium", "lessons 8 and 21 (their browser parts), and make test's browser and site tests"),
    (["redis-server"], "redis-server", "redis-server", "lessons 17-18, and their tests in make test"),
    (["initdb", "postgres"], "PostgreSQL server (initdb, postgres)", "postgres", "lessons 11, 16-18, 22 and 23, and their tests in make test"),
    (["git"], "git", "git", "no lesson; updating this copy (git pull) and resetting exercises"),
]  # fmt: skip


@pytest.mark.parametrize("programs, name, install, affects", OPTIONAL, ids=[o[1] for o in OPTIONAL])
def test_a_missing_optional_program_says_how_to_install_it_and_what_it_affects(box, programs, name, install, affects):  # fmt: skip
    if name == "Chromium" and any(Path(app).exists() for app in machine.MACOS_APPS) and machine.IS_MACOS:
        pytest.skip("this Mac has Chromium or Chrome in /Applications, which the doctor rightly finds")
    box.remove(*programs)
    if install == "postgres":  # this machine may have PostgreSQL in /usr/lib/postgresql/*/bin
        box.env["TASKLAB_PG_BINDIR"] = str(box.root / "empty")

    report = box.doctor()

    status, detail = report.line(name)
    assert status == "missing", report.output
    assert machine.install_command(install, SYSTEM) in detail
    assert f"affects: {affects}" in detail
    assert [n for n, s in report.statuses().items() if s != "ok"] == [name]
    assert report.status == 0
    assert "Ready for lessons 1-7. The other lines affect only what they name." in report.output


def test_missing_chromium_lists_what_was_tried_in_order_and_playwrights_way(box):
    box.remove("chromium")

    detail = box.doctor().line("Chromium")[1]

    tried = detail.split("(tried ", 1)[1]
    assert tried.index("TASKLAB_CHROMIUM (not set)") < tried.index(
        "chromium, chromium-browser, google-chrome, google-chrome-stable on PATH"
    )
    assert "Playwright's own Chromium, /nowhere/ms-playwright/chrome (not downloaded)" in tried
    assert "-m playwright install chromium; or set TASKLAB_CHROMIUM to a Chromium's path" in detail


@pytest.mark.parametrize("name", ["google-chrome-stable", "chromium-browser"])
def test_chromium_under_another_name_on_path_is_found(box, name):
    box.remove("chromium")
    fake(box.bin, name)

    assert box.doctor().line("Chromium") == ("ok", str(box.bin / name))


def test_chromium_that_playwright_downloaded_is_found_by_asking_the_environments_playwright(box):
    box.remove("chromium")
    downloaded = fake(box.root / "ms-playwright" / "chromium-1255" / "chrome-linux64", "chrome")
    fake_venv(box.venv, playwright_chromium=downloaded)

    assert box.doctor().line("Chromium") == ("ok", str(downloaded))


def test_tasklab_chromium_is_used_first_and_a_wrong_one_is_reported(box):
    chosen = fake(box.root / "elsewhere", "my-chrome")
    box.env["TASKLAB_CHROMIUM"] = str(chosen)
    assert box.doctor().line("Chromium") == ("ok", str(chosen))

    box.env["TASKLAB_CHROMIUM"] = str(box.root / "nothing-here")
    status, detail = box.doctor().line("Chromium")
    assert status == "missing"
    assert f"TASKLAB_CHROMIUM={box.root / 'nothing-here'} (not an executable file" in detail


@pytest.mark.parametrize("system", ["debian", "ubuntu", "fedora", "macos"])
def test_install_commands_are_the_chosen_systems(box, system):
    box.remove("chromium", "redis-server")

    report = box.doctor("--system", system)

    assert f"install commands for {machine.SYSTEM_NAMES[system]}" in report.output.splitlines()[0]
    assert f"install: {machine.install_command('redis-server', system)} |" in report.line("redis-server")[1]
    assert f"install: {machine.INSTALL['chromium'][system]}, or" in report.line("Chromium")[1]


def test_no_python_312_fails_the_core_path(box):
    box.venv = box.root / "no-venv"
    box.remove("python3.13")
    fake_python(box.bin, "python3", "3.11.7")

    report = box.doctor()

    status, detail = report.line("Python 3.12+")
    assert status == "FAIL", report.output
    assert (
        "none found (tried python3.13, python3.12, python3.14, python3 on PATH and pyenv's versions)"
        in detail
    )
    assert machine.install_command("python", SYSTEM) in detail
    assert "affects: every lesson (1-18): lessons 1-7 cannot run" in detail
    assert report.status == 1
    assert "Not ready: lessons 1-7 cannot run until each FAIL line is fixed." in report.output


def test_no_python_312_is_not_fatal_once_the_environment_has_its_own(box):
    box.remove("python3.13")

    report = box.doctor()

    status, detail = report.line("Python 3.12+")
    assert status == "missing", report.output
    assert "affects: make setup, to remake .venv (the lessons run on its Python)" in detail
    assert report.status == 0


def test_a_python_named_by_PYTHON_that_is_too_old_fails_and_is_named(box):
    old = fake_python(box.root / "old", "python3", "3.11.7")
    box.env["PYTHON"] = str(old)
    box.venv = box.root / "no-venv"

    report = box.doctor()

    assert report.line("Python 3.12+")[0] == "FAIL"
    assert f"PYTHON={old} is not a working Python 3.12 or newer" in report.line("Python 3.12+")[1]
    assert report.status == 1


def test_no_make_fails_the_core_path(box):
    box.remove("make")

    report = box.doctor()

    status, detail = report.line("make")
    assert (status, report.status) == ("FAIL", 1), report.output
    assert f"install: {machine.install_command('make', SYSTEM)}" in detail


def test_not_enough_disk_fails_the_core_path(box):
    report = box.doctor("--need-mb", str(10**12))

    status, detail = report.line("disk")
    assert (status, report.status) == ("FAIL", 1), report.output
    assert "need about 1000000000000 MB" in detail


def test_no_environment_yet_asks_for_make_setup_and_is_not_fatal(box):
    box.venv = box.root / "no-venv"
    box.remove("chromium")  # Playwright's Chromium cannot be asked without the environment

    report = box.doctor()

    status, detail = report.line("environment")
    assert status == "todo"
    assert f"{box.venv} not made yet | run: make setup" in detail
    assert "make setup and the lessons need about 800 MB" in report.line("disk")[1]
    assert "Playwright's own Chromium (not checked: no environment yet)" in report.line("Chromium")[1]
    assert report.status == 0
    assert "Ready for lessons 1-7. Run make setup now, while you have a network." in report.output


def test_a_broken_environment_says_why_and_how_to_remake_it(box):
    fake_venv(box.venv, broken=True)

    report = box.doctor()

    status, detail = report.line("environment")
    assert status == "todo"
    assert "is broken: ModuleNotFoundError: No module named 'django' | run: make clean setup" in detail
    assert report.status == 0


def test_a_port_held_by_a_listening_socket_is_busy(box):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        box.env["PORT"] = str(port)
        box.env["JUPYTER_PORT"] = str(port)

        report = box.doctor()

    status, detail = report.line(f"port {port} (make server)")
    assert status == "busy"
    assert f"something already listens on 127.0.0.1:{port} | stop what listens there, or: PORT=8080 make server" in detail  # fmt: skip
    assert "make lab takes the next free port" in report.line(f"port {port} (make lab)")[1]
    assert report.line(f"port {box.env['DOCS_PORT']} (make serve-docs)")[0] == "ok"
    assert report.status == 0


def test_make_doctor_needs_no_setup_and_is_listed_in_make_help(tmp_path):
    dry_run = subprocess.run(
        ["make", "-n", "doctor", f"VENV={tmp_path / 'venv'}"], cwd=REPO_DIR, capture_output=True, text=True
    )
    assert dry_run.returncode == 0, dry_run.stderr
    assert "scripts/doctor.py --venv" in dry_run.stdout
    assert "uv" not in dry_run.stdout and "migrate" not in dry_run.stdout

    listed = subprocess.run(["make", "help"], cwd=REPO_DIR, capture_output=True, text=True).stdout
    assert re.search(r"make doctor +Check this machine", listed)
