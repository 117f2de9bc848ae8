"""The status page's views: a visitor sees only their own tasks, bad input never gets a 500."""

import re

import pytest
from django.test import Client

from accounts.status_page import REMEMBERED, SESSION_KEY
from accounts.tasks import process_with_progress

pytestmark = pytest.mark.django_db(transaction=True)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
NOT_FOUND = {"error": "Task not found"}


def start(client, **data):
    """Submit the form; return the id of the task it started (from the redirect)."""
    response = client.post("/jobs/", {"steps": 4, **data})
    assert response.status_code == 302, response.content
    match = re.fullmatch(rf"/jobs/({UUID})/", response["Location"])
    assert match, response["Location"]
    return match[1]


def test_the_form_page_carries_a_csrf_token_and_an_accessible_form(client):
    html = client.get("/jobs/").content.decode()

    assert 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'<label for="id_steps">Steps:?</label>', html)
    assert 'type="number" name="steps" value="10" min="1" max="50"' in html
    assert 'role="status"' not in html  # no task yet, so no status area


def test_csrf_stays_on_for_the_form():
    visitor = Client(enforce_csrf_checks=True)

    without_token = visitor.post("/jobs/", {"steps": 3})
    visitor.get("/jobs/")  # sets the csrftoken cookie, as a browser would
    with_token = visitor.post(
        "/jobs/", {"steps": 3, "csrfmiddlewaretoken": visitor.cookies["csrftoken"].value}
    )

    assert without_token.status_code == 403
    assert with_token.status_code == 302


def test_starting_a_task_enqueues_it_and_remembers_it_for_this_visitor(client):
    task_id = start(client, steps=7)

    result = process_with_progress.get_result(task_id)
    assert result.kwargs == {"steps": 7, "step_seconds": 0.3}
    assert client.session[SESSION_KEY] == [task_id]


def test_make_it_fail_starts_the_failing_task_failing_halfway(client):
    from accounts.tasks import process_then_fail

    task_id = start(client, steps=6, fail="on")

    assert process_then_fail.get_result(task_id).kwargs == {
        "steps": 6,
        "step_seconds": 0.3,
        "fail_after": 3,
    }


def test_the_task_page_shows_the_status_area_and_its_json_url(client):
    task_id = start(client)

    html = client.get(f"/jobs/{task_id}/").content.decode()

    assert re.search(r'role="status" aria-live="polite"', html)
    assert f'data-status-url="/jobs/{task_id}/status/"' in html
    assert '<progress id="task-progress" max="100" value="0">' in html
    assert "Waiting for a worker to start your task." in html


def test_the_status_json_of_a_new_task(client):
    task_id = start(client)

    response = client.get(f"/jobs/{task_id}/status/")

    assert response.status_code == 200
    assert response.json() == {
        "id": task_id,
        "status": "READY",
        "finished": False,
        "percent": 0,
        "message": "Waiting for a worker to start your task.",
    }


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("51", "Ensure this value is less than or equal to 50."),
        ("ten", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_bad_input_gets_a_friendly_message_in_the_page_and_starts_nothing(client, steps, message):
    from django_tasks_db.models import DBTaskResult

    response = client.post("/jobs/", {"steps": steps})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your task was not started: please correct the field below" in html
    assert message in html
    assert f'value="{steps}"' in html or not steps  # what the visitor typed is kept
    assert not DBTaskResult.objects.exists()
    assert SESSION_KEY not in client.session


def test_another_visitors_task_and_an_unknown_id_answer_404_alike(client):
    task_id = start(client)
    other = Client()

    answers = [
        other.get(f"/jobs/{task_id}/status/"),  # exists, but not theirs
        client.get("/jobs/05131955-6651-40e2-9feb-a9ee0c0cd87b/status/"),  # never existed
        client.get("/jobs/not-a-uuid/status/"),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert [a.json() for a in answers] == [NOT_FOUND] * 3
    assert client.get(f"/jobs/{task_id}/status/").status_code == 200


def test_another_visitors_task_page_is_a_friendly_404(client):
    task_id = start(client)

    response = Client().get(f"/jobs/{task_id}/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We found no task of yours with that id." in html
    assert 'name="steps"' in html  # and the form, to start one of their own
    assert task_id not in html


def test_the_seeds_status_endpoint_still_answers_anyone(client):
    """Kept for the curl lessons: this is exactly what the scoped endpoint prevents."""
    task_id = start(client)

    assert Client().get(f"/task/{task_id}/").json()["status"] == "READY"


def test_a_session_remembers_only_its_latest_tasks(client):
    ids = [start(client, steps=1) for _ in range(REMEMBERED + 1)]

    assert client.session[SESSION_KEY] == ids[1:]
    assert client.get(f"/jobs/{ids[0]}/status/").status_code == 404


def test_finished_tasks_report_100_percent_or_a_plain_failure_message(client):
    from tasklab import Worker

    succeeds = start(client, steps=2)
    fails = start(client, steps=4, fail="on")
    Worker(batch=True).start().wait(timeout=60)

    done = client.get(f"/jobs/{succeeds}/status/").json()
    failed = client.get(f"/jobs/{fails}/status/").json()

    assert done == {
        "id": succeeds,
        "status": "SUCCESSFUL",
        "finished": True,
        "percent": 100,
        "message": "Done: all 2 steps finished.",
    }
    assert failed == {
        "id": fails,
        "status": "FAILED",
        "finished": True,
        "percent": 50,
        "message": "Sorry, your task failed after 2 of 4 steps. "
        "Nothing else was affected: you can start it again.",
    }
