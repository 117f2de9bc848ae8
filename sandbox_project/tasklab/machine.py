"""What this machine is and has: its system, install commands, Chromium, PostgreSQL's programs.

Shared by the toolkit (lesson 8's browser, `tasklab.postgres`), the tests and `make doctor`.
`scripts/doctor.py` runs before `.venv` exists, on whatever `python3` the machine has, and
loads this file by its path: so it uses only the standard library, imports nothing from
`tasklab`, and stays valid Python 3.8 (ruff checks it as such: `per-file-target-version`).
"""

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

# -- the system, and how to install things on it ---------------------------------------------

SYSTEM_NAMES = {
    "debian": "Debian",
    "ubuntu": "Ubuntu",
    "fedora": "Fedora",
    "macos": "macOS (Homebrew)",
}

# What to type on each system. Ubuntu differs from Debian only for Chromium (a snap there).
INSTALL = {
    "python": {
        "debian": "sudo apt install python3.12 python3.12-venv (or python3.13 python3.13-venv)",
        "fedora": "sudo dnf install python3.12",
        "macos": "brew install python@3.13",
    },
    "chromium": {
        "debian": "sudo apt install chromium",
        "ubuntu": "sudo snap install chromium",
        "fedora": "sudo dnf install chromium",
        "macos": "brew install --cask chromium",
    },
    "postgres": {
        "debian": "sudo apt install postgresql",
        "fedora": "sudo dnf install postgresql-server",
        "macos": "brew install postgresql@16",
    },
    "redis-server": {
        "debian": "sudo apt install redis-server",
        "fedora": "sudo dnf install redis",
        "macos": "brew install redis",
    },
    "make": {
        "debian": "sudo apt install make",
        "fedora": "sudo dnf install make",
        "macos": "xcode-select --install",
    },
    "git": {
        "debian": "sudo apt install git",
        "fedora": "sudo dnf install git",
        "macos": "xcode-select --install",
    },
}


def read_os_release(path="/etc/os-release"):
    """The fields of an os-release file (ID, ID_LIKE, PRETTY_NAME...); {} when there is none."""
    fields = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return fields
    for line in text.splitlines():
        match = re.match(r"^([A-Z_]+)=(.*)$", line.strip())
        if match:
            fields[match.group(1)] = match.group(2).strip().strip("\"'")
    return fields


def detect_system(os_release="/etc/os-release", which=shutil.which, uname=None):
    """ "debian", "ubuntu", "fedora", "macos", or None when this is none of those.

    macOS by `uname`; Linux by /etc/os-release's ID and ID_LIKE (Mint is an Ubuntu, Rocky a
    Fedora), else by the package manager on PATH (apt-get, dnf).
    """
    if (uname or platform.system()) == "Darwin":
        return "macos"
    fields = read_os_release(os_release)
    ids = [fields.get("ID", "")] + fields.get("ID_LIKE", "").split()
    if "ubuntu" in ids:
        return "ubuntu"
    if "debian" in ids:
        return "debian"
    if any(name in ids for name in ("fedora", "rhel", "centos")):
        return "fedora"
    if which("apt-get"):
        return "debian"
    if which("dnf"):
        return "fedora"
    return None


def install_command(item, system):
    """The command that installs `item` ("chromium", "postgres"...) on `system`.

    An unknown system (None) gets each known system's command.
    """
    commands = INSTALL[item]
    if system == "ubuntu" and "ubuntu" not in commands:
        system = "debian"
    if system in commands:
        return commands[system]
    shown = {"debian": "Debian/Ubuntu", "fedora": "Fedora", "macos": "macOS"}
    return "; ".join("{}: {}".format(shown[name], commands[name]) for name in ("debian", "fedora", "macos"))


# -- Chromium ----------------------------------------------------------------------------------

CHROMIUM_ENV = "TASKLAB_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MACOS_APPS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
IS_MACOS = platform.system() == "Darwin"
PLAYWRIGHT_INSTALL = "playwright install chromium"

# Asks the installed Playwright where its own Chromium lives. Reading `executable_path`
# downloads nothing: the file is there only if someone ran `playwright install chromium`.
PLAYWRIGHT_QUERY = """
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    raise SystemExit(3)
with sync_playwright() as playwright:
    print(playwright.chromium.executable_path)
"""


def _executable(path):
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def playwright_chromium(python, environ=None):
    """Where the Playwright installed for `python` keeps its own Chromium (the file may not
    exist); None when that Python has no Playwright. Runs `python`: a Jupyter cell's event
    loop does not get in the way, and nothing is left running.
    """
    environ = os.environ if environ is None else environ
    try:
        done = subprocess.run(
            [str(python), "-c", PLAYWRIGHT_QUERY],
            env=dict(environ),
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[-1].strip() if done.returncode == 0 and lines else None


def find_chromium(environ=None, apps=None, python=None):
    """Look for a Chromium or Chrome, in this order, and return `(path, tried)`.

    1. $TASKLAB_CHROMIUM (when set, nothing else is tried: a wrong value is reported);
    2. `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH;
    3. on macOS, the applications in MACOS_APPS (`apps` replaces them);
    4. Playwright's own Chromium, asked of the Playwright installed for `python` (default:
       this Python; False skips the step), which is there after `playwright install chromium`.

    path is None when none was found; tried lists what was looked at, in order.
    """
    environ = os.environ if environ is None else environ
    tried = []
    named = environ.get(CHROMIUM_ENV)
    if named:
        if _executable(named):
            return named, tried
        tried.append(
            "{}={} (not an executable file; unset it to search PATH and the other places)".format(
                CHROMIUM_ENV, named
            )
        )
        return None, tried
    tried.append("{} (not set)".format(CHROMIUM_ENV))

    search_path = environ.get("PATH", os.defpath)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return found, tried
    tried.append("{} on PATH".format(", ".join(CHROMIUM_NAMES)))

    for app in (MACOS_APPS if IS_MACOS else ()) if apps is None else apps:
        if _executable(app):
            return app, tried
        tried.append(app)

    python = sys.executable if python is None else python
    if python is False:
        return None, tried
    where = playwright_chromium(python, environ)
    if where is None:
        tried.append("Playwright's own Chromium (no Playwright in {})".format(python))
    elif _executable(where):
        return where, tried
    else:
        tried.append("Playwright's own Chromium, {} (not downloaded)".format(where))
    return None, tried


def chromium_install(system, python=".venv/bin/python"):
    """How to get a Chromium on `system`: its package, or Playwright's download."""
    return "{}, or Playwright's own: {} -m {}".format(
        install_command("chromium", system), python, PLAYWRIGHT_INSTALL
    )


def chromium_missing(tried, system):
    """The message for `find_chromium()` having found nothing: what it tried, how to install."""
    return "No Chromium found. Tried, in order: {}. Install one with: {}; or set {} to a Chromium's path.".format(
        "; ".join(tried), chromium_install(system), CHROMIUM_ENV
    )


# -- PostgreSQL's server programs ----------------------------------------------------------------

# Where packages put initdb and postgres: Debian keeps them off PATH, one folder per version;
# Homebrew's versioned formulae are keg-only.
POSTGRES_BINDIRS = [
    "/usr/lib/postgresql/*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
]
POSTGRES_ENV = "TASKLAB_PG_BINDIR"


def find_postgres_bindir(environ=None, patterns=None):
    """The folder that holds `initdb` and `postgres`, newest version first; None if none does.

    $TASKLAB_PG_BINDIR names one explicitly; else `initdb` on PATH, then POSTGRES_BINDIRS.
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get(POSTGRES_ENV)
    if explicit:
        candidates = [Path(explicit)]
    else:
        on_path = shutil.which("initdb", path=environ.get("PATH", os.defpath))
        candidates = [Path(on_path).parent] if on_path else []
        found = [
            Path(p)
            for pattern in (POSTGRES_BINDIRS if patterns is None else patterns)
            for p in _glob(pattern)
        ]
        candidates += sorted(found, key=_version_of, reverse=True)
    for folder in candidates:
        if all(_executable(str(folder / program)) for program in ("initdb", "postgres")):
            return folder
    return None


def _glob(pattern):
    return Path("/").glob(pattern.lstrip("/"))


def _version_of(folder):
    return tuple(int(n) for n in re.findall(r"\d+", str(folder)))
