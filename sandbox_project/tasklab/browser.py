"""Headless Chromium driven by Playwright, from a notebook as well as from the tests.

The browser is a Chromium or Chrome the learner already has, found by
`tasklab.machine.find_chromium` (the browser tests use the same): $TASKLAB_CHROMIUM, then
`chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH, then the
macOS applications, then Playwright's own Chromium if `playwright install chromium` fetched
it. Nothing is downloaded. Playwright's sync API refuses to run inside a running asyncio
loop, which is where every Jupyter cell runs: `run()` therefore drives the browser from a
thread of its own.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MissingProgram
from .machine import chromium_missing, detect_system, find_chromium

# Flags that let Chromium or Chrome run headless as root on a machine with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumNotFound(MissingProgram):
    """No Chromium to drive: says what was tried and how to install one."""


def chromium_path():
    """The Chromium to use (see the module's docstring for the order), or ChromiumNotFound."""
    found, tried = find_chromium()
    if found is None:
        raise ChromiumNotFound(f"{chromium_missing(tried, detect_system())} Then run this again.")
    return found


def launch(playwright, executable_path=None):
    """Start headless Chromium with the flags above (default: the one `chromium_path()` finds)."""
    return playwright.chromium.launch(executable_path=executable_path or chromium_path(), args=CHROMIUM_ARGS)


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
    executable = chromium_path()  # fail at once, with the install command, when there is none
    outcome = {}

    def drive():
        try:
            outcome["visit"] = _visit(executable, script, screenshot, {"width": width, "height": height})
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    thread = threading.Thread(target=drive, name="tasklab-browser", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["visit"]


def _visit(executable, script, screenshot, viewport):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
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
