"""`tasklab.browser`: headless Chromium from a notebook (inside an event loop), and no orphans."""

import asyncio
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import tasklab
from process_checks import survivors
from system_packages import chromium_path
from tasklab import machine

ROLE_STATUS = "<p role=status>RUNNING: 3 of 10 steps done.</p>"


def test_run_works_inside_a_running_event_loop_as_in_jupyter(tmp_path):
    chromium_path()

    def show(page):
        page.set_content(ROLE_STATUS)
        return page.get_by_role("status").inner_text()

    async def plain_playwright_cell():
        from playwright.sync_api import sync_playwright

        with sync_playwright():
            pass

    async def cell():  # a Jupyter cell runs inside an asyncio loop
        return tasklab.browser.run(show, screenshot=tmp_path / "shot.png")

    with pytest.raises(Exception, match="Sync API inside the asyncio loop"):
        in_a_jupyter_like_thread(plain_playwright_cell)
    visit = in_a_jupyter_like_thread(cell)

    assert visit.value == "RUNNING: 3 of 10 steps done."
    assert visit.console_errors == []
    assert visit.screenshot.read_bytes().startswith(b"\x89PNG")


def in_a_jupyter_like_thread(cell):
    """Run `cell` inside an asyncio loop, in a thread of its own (this one may run a loop already)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, cell()).result()


def test_console_errors_and_script_errors_come_back_to_the_caller():
    chromium_path()

    visit = tasklab.browser.run(lambda page: page.set_content("<script>nope()</script>"))
    assert visit.console_errors == ["ReferenceError: nope is not defined"]

    with pytest.raises(ZeroDivisionError):
        tasklab.browser.run(lambda page: 1 / 0)


def test_missing_chromium_says_what_to_install(monkeypatch):
    monkeypatch.setenv("TASKLAB_CHROMIUM", "/nonexistent/chromium")
    install = machine.install_command("chromium", machine.detect_system())

    with pytest.raises(tasklab.browser.ChromiumNotFound, match=re.escape(install)):
        tasklab.browser.run(lambda page: None)


OWNER = """
import tasklab
from tasklab import machine
tasklab.browser.run(lambda page: (print("ready", flush=True), page.wait_for_timeout(60_000)))
"""


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="lists child processes from /proc")
def test_the_browser_exits_within_5_seconds_of_its_owner_being_killed():
    chromium_path()
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout.readline() == "ready\n"
    children = _descendants(owner.pid)
    assert children, "the browser runs in child processes"

    owner.send_signal(signal.SIGKILL)
    owner.wait()

    left = survivors(children, seconds=5.0)
    assert not left, f"still running 5 s after the owner died: {left}"


def _descendants(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found
