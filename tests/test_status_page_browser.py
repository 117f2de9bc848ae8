"""The status page in headless Chromium, against the real dev server and a real db_worker."""

import re

import pytest
from playwright.sync_api import expect

import tasklab
from tasklab.paths import REPO_DIR

ARTIFACTS = REPO_DIR / "test-artifacts"
FINISHED = 60_000  # ms; generous: a slow machine waits longer, it does not fail

# Every status text the page shows, in order: a MutationObserver on the live region.
RECORD_STATUSES = """
    window.seenStatuses = [];
    document.addEventListener("DOMContentLoaded", () => {
        const status = document.querySelector('[data-field="status"]');
        if (!status) return;
        const record = () => {
            const seen = window.seenStatuses;
            if (seen[seen.length - 1] !== status.textContent) seen.push(status.textContent);
        };
        record();
        new MutationObserver(record).observe(status, {childList: true, characterData: true, subtree: true});
    });
"""


def start_task(page, server, steps, fail=False):
    page.goto(f"{server.url}/jobs/")
    page.get_by_label("Steps").fill(str(steps))
    if fail:
        page.get_by_label("Make it fail halfway").check()
    page.get_by_role("button", name="Start the task").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))


@pytest.fixture
def server(transactional_db):
    with tasklab.Server() as running:
        yield running


def test_the_page_follows_a_task_live_to_successful_and_100_percent(page, server):
    page.add_init_script(RECORD_STATUSES)
    # No worker yet: the page is bound to show READY first, then change without a reload.
    start_task(page, server, steps=4)
    status = page.get_by_role("status")
    expect(status).to_have_text("READY: Waiting for a worker to start your task.")

    with tasklab.Worker():
        expect(status).to_have_text("SUCCESSFUL: Done: all 4 steps finished.", timeout=FINISHED)

    bar = page.locator("progress")
    expect(bar).to_have_js_property("value", 100)
    expect(page.locator('[data-field="percent"]')).to_have_text("100 %")
    expect(page).to_have_title("Your task: SUCCESSFUL · TaskDemo")
    seen = page.evaluate("window.seenStatuses")
    assert seen[0] == "READY" and seen[-1] == "SUCCESSFUL"
    assert seen in (["READY", "SUCCESSFUL"], ["READY", "RUNNING", "SUCCESSFUL"]), seen
    assert page.console_errors == []
    page.screenshot(path=ARTIFACTS / "status-page-successful.png", full_page=True)


def test_a_failing_task_shows_a_plain_message_and_where_it_stopped(page, server, worker):
    start_task(page, server, steps=4, fail=True)

    status = page.get_by_role("status")
    expect(status).to_have_text(
        "FAILED: Sorry, your task failed after 2 of 4 steps. "
        "Nothing else was affected: you can start it again.",
        timeout=FINISHED,
    )
    expect(page.locator("progress")).to_have_js_property("value", 50)
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "RuntimeError" not in body and "went wrong" not in body
    assert page.console_errors == []
    page.screenshot(path=ARTIFACTS / "status-page-failed.png", full_page=True)


def test_another_visitor_cannot_follow_the_task(page, server, browser):
    start_task(page, server, steps=1)
    task_url = page.url

    stranger = browser.new_context()
    try:
        response = stranger.new_page().goto(task_url + "status/")
        assert response.status == 404
        assert response.json() == {"error": "Task not found"}
    finally:
        stranger.close()
