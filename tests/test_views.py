"""The seed's `/register/` and `/task/<id>/`: success exactly as the seed shows, bad input never a 500."""

import re

import pytest
from django.contrib.auth.models import User

from accounts.tasks import send_welcome_email

pytestmark = pytest.mark.django_db(transaction=True)

VALID = {"username": "alice", "email": "alice@example.com", "password": "secret123"}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def register(client, **overrides):
    data = {k: v for k, v in {**VALID, **overrides}.items() if v is not None}
    return client.post("/register/", data)


def test_register_creates_the_user_and_enqueues_the_welcome_email(client):
    response = register(client)

    assert response.status_code == 200
    match = re.fullmatch(rf"Registration successful! Task ID: ({UUID})", response.content.decode())
    assert match, response.content
    result = send_welcome_email.get_result(match[1])
    assert result.status.name == "READY"
    assert result.kwargs == {"user_email": "alice@example.com", "username": "alice"}
    assert User.objects.get(username="alice").check_password("secret123")


def test_get_explains_how_to_register(client):
    response = client.get("/register/")

    assert response.status_code == 200
    assert response.content == b"Send POST request to register"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", None, "username: This field is required."),
        ("username", "", "username: This field is required."),
        ("username", "bad name!", "username: Enter a valid username."),
        ("email", None, "email: This field is required."),
        ("email", "not-an-email", "email: Enter a valid email address."),
        ("password", None, "password: This field is required."),
    ],
)
def test_bad_field_answers_400_naming_the_field(client, field, value, message):
    response = register(client, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not _task_rows()


def test_duplicate_username_answers_400_and_enqueues_nothing_more(client):
    register(client)
    response = register(client, email="other@example.com")

    assert response.status_code == 400
    assert response.content == b"Username already exists. Please choose another."
    assert len(_task_rows()) == 1


def test_enqueue_waits_for_the_commit(client):
    """When the welcome email is enqueued, the user's row must already be committed."""
    from django.db import connection
    from django.tasks.signals import task_enqueued

    seen = {}

    def spy(sender, task_result, **kwargs):
        seen["in_atomic_block"] = connection.in_atomic_block
        seen["user_exists"] = User.objects.filter(username=task_result.kwargs["username"]).exists()

    task_enqueued.connect(spy)
    try:
        register(client)
    finally:
        task_enqueued.disconnect(spy)

    assert seen == {"in_atomic_block": False, "user_exists": True}


def test_register_inside_an_outer_transaction_enqueues_when_it_commits(client):
    """With ATOMIC_REQUESTS, or in a test's transaction, on_commit runs after the view returns."""
    from django.db import transaction

    with transaction.atomic():
        response = register(client)
        assert (response.status_code, len(_task_rows())) == (200, 0)
    assert response.content == b"Registration successful! Your welcome email will be sent shortly."
    assert len(_task_rows()) == 1


def test_status_of_a_new_task_is_ready(client):
    task_id = register(client).content.decode().rsplit(" ", 1)[1]

    response = client.get(f"/task/{task_id}/")

    assert response.status_code == 200
    assert response.json() == {"id": task_id, "status": "READY", "finished": False, "attempts": 0}


def test_status_after_a_worker_ran_it_is_successful(client):
    from tasklab import Worker

    task_id = register(client).content.decode().rsplit(" ", 1)[1]
    Worker(batch=True).start().wait(timeout=30)

    assert client.get(f"/task/{task_id}/").json() == {
        "id": task_id,
        "status": "SUCCESSFUL",
        "finished": True,
        "attempts": 1,
    }


def test_unknown_task_id_answers_404_json(client):
    response = client.get("/task/05131955-6651-40e2-9feb-a9ee0c0cd87b/")

    assert response.status_code == 404
    assert response.json() == {"error": "Task not found"}


def test_an_unknown_id_of_the_other_shape_answers_404_json(client):
    """32 letters and digits: the shape of ImmediateBackend's, DummyBackend's and RQ's ids."""
    response = client.get("/task/d3Lw462fPX3rEwTC0YJfn76mjc8ZlEr4/")

    assert response.status_code == 404
    assert response.json() == {"error": "Task not found"}


def test_malformed_task_id_answers_404_json_with_a_hint(client):
    response = client.get("/task/not-a-task-id/")

    assert response.status_code == 404
    assert response.json()["error"] == "Task not found"
    assert "task ids are UUIDs" in response.json()["hint"]


def _task_rows():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.all())
