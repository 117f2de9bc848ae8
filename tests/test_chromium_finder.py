"""Finding Chromium the ways learners have it (`tasklab.machine.find_chromium`).

Lesson 8 (`tasklab.browser`) and the browser tests (`tests/system_packages.py`) share one
search: $TASKLAB_CHROMIUM; chromium, chromium-browser, google-chrome, google-chrome-stable on
PATH; the macOS applications; Playwright's own Chromium. Each case points PATH and the
environment at fake executables in temporary folders; the macOS application paths and the
Python asked about Playwright are parameters (or module constants), never /Applications.
"""

import os
import sys

import pytest

import system_packages
import tasklab
from fake_programs import fake
from tasklab import machine

NAMES = list(machine.CHROMIUM_NAMES)


def no_playwright(tmp_path):
    """A Python whose Playwright has not downloaded its Chromium: it answers a path that is not there."""
    return fake(tmp_path / "py", "python", f"echo {tmp_path / 'ms-playwright' / 'chrome'}")


@pytest.mark.parametrize("first", range(len(NAMES)), ids=NAMES)
def test_names_on_path_are_tried_in_order(tmp_path, first):
    for name in NAMES[first:]:
        fake(tmp_path / "bin", name)

    found, _ = machine.find_chromium({"PATH": str(tmp_path / "bin")}, apps=[], python=False)

    assert found == str(tmp_path / "bin" / NAMES[first])


def test_the_order_of_names_comes_before_the_order_of_path(tmp_path):
    fake(tmp_path / "early", "google-chrome")
    fake(tmp_path / "late", "chromium")
    path = f"{tmp_path / 'early'}{os.pathsep}{tmp_path / 'late'}"

    assert machine.find_chromium({"PATH": path}, apps=[], python=False)[0] == str(
        tmp_path / "late" / "chromium"
    )


def test_tasklab_chromium_comes_first(tmp_path):
    fake(tmp_path / "bin", "chromium")
    chosen = fake(tmp_path / "mine", "my-browser")
    environ = {"PATH": str(tmp_path / "bin"), "TASKLAB_CHROMIUM": str(chosen)}

    assert machine.find_chromium(environ, apps=[], python=False) == (str(chosen), [])


def test_a_wrong_tasklab_chromium_is_reported_not_searched_past(tmp_path):
    fake(tmp_path / "bin", "chromium")
    environ = {"PATH": str(tmp_path / "bin"), "TASKLAB_CHROMIUM": str(tmp_path / "typo")}

    found, tried = machine.find_chromium(environ, apps=[], python=False)

    assert found is None
    assert tried == [
        f"TASKLAB_CHROMIUM={tmp_path / 'typo'} (not an executable file; unset it to search PATH and the other places)"
    ]


def test_the_macos_applications_come_after_path_chromium_first(tmp_path):
    apps = [
        str(tmp_path / "Chromium.app/Contents/MacOS/Chromium"),
        str(tmp_path / "Google Chrome.app/Contents/MacOS/Google Chrome"),
    ]
    empty = {"PATH": str(tmp_path / "bin")}
    fake(tmp_path / "Google Chrome.app/Contents/MacOS", "Google Chrome")
    assert machine.find_chromium(empty, apps=apps, python=False)[0] == apps[1]

    fake(tmp_path / "Chromium.app/Contents/MacOS", "Chromium")
    assert machine.find_chromium(empty, apps=apps, python=False)[0] == apps[0]

    fake(tmp_path / "bin", "google-chrome-stable")
    assert machine.find_chromium(empty, apps=apps, python=False)[0] == str(
        tmp_path / "bin/google-chrome-stable"
    )


def test_the_macos_applications_are_looked_at_only_on_macos(tmp_path, monkeypatch):
    app = fake(tmp_path / "Chromium.app/Contents/MacOS", "Chromium")
    monkeypatch.setattr(machine, "MACOS_APPS", (str(app),))
    empty = {"PATH": str(tmp_path / "bin")}

    monkeypatch.setattr(machine, "IS_MACOS", True)
    assert machine.find_chromium(empty, python=False)[0] == str(app)

    monkeypatch.setattr(machine, "IS_MACOS", False)
    found, tried = machine.find_chromium(empty, python=False)
    assert found is None and str(app) not in " ".join(tried)


def test_playwrights_own_chromium_comes_last_and_is_asked_of_playwright(tmp_path):
    downloaded = fake(tmp_path / "ms-playwright/chromium-1255/chrome-linux64", "chrome")
    python = fake(tmp_path / "py", "python", f'case "$2" in *sync_playwright*) echo {downloaded} ;; esac')
    app = str(tmp_path / "Chromium.app/Contents/MacOS/Chromium")
    environ = {"PATH": str(tmp_path / "bin")}

    assert machine.find_chromium(environ, apps=[app], python=python)[0] == str(downloaded)

    fake(tmp_path / "Chromium.app/Contents/MacOS", "Chromium")
    assert machine.find_chromium(environ, apps=[app], python=python)[0] == app


def test_everything_tried_is_listed_in_order_when_nothing_is_found(tmp_path):
    app = str(tmp_path / "Chromium.app/Contents/MacOS/Chromium")

    found, tried = machine.find_chromium({"PATH": str(tmp_path)}, apps=[app], python=no_playwright(tmp_path))

    assert found is None
    assert tried == [
        "TASKLAB_CHROMIUM (not set)",
        "chromium, chromium-browser, google-chrome, google-chrome-stable on PATH",
        app,
        f"Playwright's own Chromium, {tmp_path / 'ms-playwright' / 'chrome'} (not downloaded)",
    ]


def test_a_python_without_playwright_is_said_so(tmp_path):
    python = fake(tmp_path / "py", "python", "exit 3")

    _, tried = machine.find_chromium({"PATH": str(tmp_path)}, apps=[], python=python)

    assert tried[-1] == f"Playwright's own Chromium (no Playwright in {python})"


def test_the_installed_playwright_names_its_chromium_and_downloads_nothing(tmp_path):
    browsers = tmp_path / "browsers"
    browsers.mkdir()
    environ = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(browsers)}

    where = machine.playwright_chromium(sys.executable, environ)

    assert where is not None and where.startswith(str(browsers / "chromium-"))
    assert list(browsers.iterdir()) == []


@pytest.mark.parametrize("system", ["debian", "ubuntu", "fedora", "macos", None])
def test_the_message_lists_what_was_tried_and_the_install_command_for_the_system(system):
    message = machine.chromium_missing(["TASKLAB_CHROMIUM (not set)", "chromium ... on PATH"], system)

    assert message.startswith(
        "No Chromium found. Tried, in order: TASKLAB_CHROMIUM (not set); chromium ... on PATH."
    )
    assert (
        f"Install one with: {machine.install_command('chromium', system)}, or Playwright's own: " in message
    )
    assert ".venv/bin/python -m playwright install chromium" in message


# -- the two users of the search: lesson 8's toolkit and the browser tests --------------------


@pytest.fixture
def machine_without_chromium(tmp_path, monkeypatch):
    monkeypatch.delenv("TASKLAB_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))  # the real Playwright, asked
    monkeypatch.setattr(machine, "IS_MACOS", False)
    return tmp_path


def test_lesson_8_and_the_browser_tests_find_the_same_chromium(machine_without_chromium):
    chrome = fake(machine_without_chromium / "bin", "google-chrome")

    assert tasklab.browser.chromium_path() == str(chrome)
    assert system_packages.chromium_path() == str(chrome)


def test_lesson_8_says_what_was_tried_and_how_to_install_chromium(machine_without_chromium):
    with pytest.raises(tasklab.MissingProgram) as raised:
        tasklab.browser.chromium_path()

    message = str(raised.value)
    assert isinstance(raised.value, tasklab.browser.ChromiumNotFound)
    assert "chromium, chromium-browser, google-chrome, google-chrome-stable on PATH" in message
    assert f"Playwright's own Chromium, {machine_without_chromium / 'browsers' / 'chromium-'}" in message
    assert machine.install_command("chromium", machine.detect_system()) in message
    assert message.endswith("Then run this again.")


def test_a_missing_chromium_skips_a_browser_test_but_fails_it_under_ci(machine_without_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(BaseException) as outside_ci:  # a skip or a failure: both end the test
        system_packages.chromium_path()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(BaseException) as under_ci:
        system_packages.chromium_path()

    assert outside_ci.type is pytest.skip.Exception
    assert str(outside_ci.value).startswith("No Chromium found.")
    assert under_ci.type is pytest.fail.Exception
    assert str(under_ci.value).startswith("No Chromium found.")
    assert str(under_ci.value).endswith("(CI must install it in .ci/run)")


# -- the system, for the install commands ----------------------------------------------------

OS_RELEASES = [
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', "debian"),
    ('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n', "ubuntu"),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "ubuntu"),
    ('ID=fedora\nVERSION_ID=41\n', "fedora"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ("ID=arch\n", None),
]  # fmt: skip


@pytest.mark.parametrize("text, system", OS_RELEASES)
def test_the_system_is_read_from_os_release(tmp_path, text, system):
    (tmp_path / "os-release").write_text(text)

    assert machine.detect_system(tmp_path / "os-release", which=lambda name: None, uname="Linux") == system


@pytest.mark.parametrize("manager, system", [("apt-get", "debian"), ("dnf", "fedora"), ("pacman", None)])
def test_without_os_release_the_package_manager_tells(tmp_path, manager, system):
    which = {manager: f"/usr/bin/{manager}"}.get

    assert machine.detect_system(tmp_path / "none", which=which, uname="Linux") == system


def test_macos_is_told_by_uname_whatever_else_is_there(tmp_path):
    (tmp_path / "os-release").write_text("ID=debian\n")

    assert machine.detect_system(tmp_path / "os-release", which=lambda name: None, uname="Darwin") == "macos"


def test_an_unknown_system_gets_each_known_systems_command():
    assert machine.install_command("redis-server", None) == (
        "Debian/Ubuntu: sudo apt install redis-server; Fedora: sudo dnf install redis; macOS: brew install redis"
    )


# -- PostgreSQL's programs, found the same way by tasklab.postgres and make doctor ------------


def test_postgres_programs_on_path_come_first_then_the_newest_packaged_version(tmp_path):
    for version in ("14", "16", "9.6"):
        for program in ("initdb", "postgres"):
            fake(tmp_path / "lib" / version / "bin", program)
    patterns = [str(tmp_path / "lib" / "*" / "bin")]
    environ = {"PATH": str(tmp_path / "bin")}

    assert machine.find_postgres_bindir(environ, patterns) == tmp_path / "lib" / "16" / "bin"

    fake(tmp_path / "bin", "initdb")
    assert (
        machine.find_postgres_bindir(environ, patterns) == tmp_path / "lib" / "16" / "bin"
    )  # no postgres there
    fake(tmp_path / "bin", "postgres")
    assert machine.find_postgres_bindir(environ, patterns) == tmp_path / "bin"

    environ["TASKLAB_PG_BINDIR"] = str(tmp_path / "lib" / "14" / "bin")
    assert machine.find_postgres_bindir(environ, patterns) == tmp_path / "lib" / "14" / "bin"
    environ["TASKLAB_PG_BINDIR"] = str(tmp_path / "empty")
    assert machine.find_postgres_bindir(environ, patterns) is None
