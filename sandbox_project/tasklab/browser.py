"""Headless Chromium driven by Playwright, from a notebook as well as from the tests.

The browser is the system's Chromium (Debian's `/usr/bin/chromium`), not one downloaded by
Playwright. Playwright's sync API refuses to run inside a running asyncio loop, which is
where every Jupyter cell runs: `run()` therefore drives the browser from a thread of its own.
"""

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TasklabError

# Flags that let Debian's Chromium run headless as root on a machine with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_CHROMIUM = "sudo apt install chromium   (macOS: brew install --cask chromium)"


class ChromiumNotFound(TasklabError):
    """No Chromium to drive: says how to install one."""


def chromium_path():
    """The Chromium to use: $TASKLAB_CHROMIUM, /usr/bin/chromium, or `chromium` on PATH."""
    named = os.environ.get("TASKLAB_CHROMIUM", "/usr/bin/chromium")
    if os.access(named, os.X_OK):
        return named
    found = shutil.which("chromium")
    if found:
        return found
    raise ChromiumNotFound(
        f"Chromium is not installed (looked for {named} and `chromium` on PATH). "
        f"Install it with: {INSTALL_CHROMIUM}; or set TASKLAB_CHROMIUM to a Chromium's path. "
        "Then run this cell again."
    )


def launch(playwright):
    """Start headless Chromium with the flags above (used by `run()` and tests/conftest.py)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


@dataclass
class Visit:
    """What `run()` brought back: the script's return value, and what the page complained of."""

    value: object
    console_errors: list = field(default_factory=list)
    screenshot: Path | None = None


def run(script, *, screenshot=None, width=800, height=560):
    """Open a fresh browser (a new visitor, no cookies), call `script(page)`, and close it.

    screenshot: a PNG path to save the whole page to once the script has returned.
    Returns a `Visit`; an exception raised by the script (e.g. a Playwright timeout) is
    raised here.
    """
    chromium_path()  # fail at once, with the install command, when there is no Chromium
    outcome = {}

    def drive():
        try:
            outcome["visit"] = _visit(script, screenshot, {"width": width, "height": height})
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    thread = threading.Thread(target=drive, name="tasklab-browser", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["visit"]


def _visit(script, screenshot, viewport):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=viewport)
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(f"{e.name}: {e.message}"))
            value = script(page)
            if screenshot is not None:
                screenshot = Path(screenshot)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=screenshot, full_page=True)
            return Visit(value, errors, screenshot)
        finally:
            browser.close()
