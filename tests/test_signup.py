"""Lesson 1's two signups: the same user, the slow email sent inline or enqueued."""

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail

from accounts.tasks import send_welcome_email_slowly

pytestmark = pytest.mark.django_db(transaction=True)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def signup(client, how, username="ann", **fields):
    data = {"username": username, "email": f"{username}@example.com", "password": "secret123"}
    data.update(fields)
    return client.post(f"/signup/{how}/", {k: v for k, v in data.items() if v is not None})


def test_inline_signup_waits_for_the_email_and_sends_it(client):
    started = time.monotonic()
    response = signup(client, "inline")
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert response.content == b"Welcome, ann! Your welcome email has been sent."
    assert waited >= 2.0  # the slow mail server's time, spent inside the request
    [email] = mail.outbox
    assert (email.to, email.body) == (["ann@example.com"], "Hi ann, thanks for joining TaskDemo!")
    assert not _task_rows()


def test_queued_signup_answers_with_a_task_and_sends_nothing_yet(client):
    response = signup(client, "queued")

    assert response.status_code == 200
    body = response.content.decode()
    match = re.fullmatch(rf"Welcome, ann! Your welcome email is on its way\. Task ID: ({UUID})", body)
    assert match, body
    result = send_welcome_email_slowly.get_result(match[1])
    assert result.status.name == "READY"
    assert result.kwargs == {"user_email": "ann@example.com", "username": "ann"}
    assert User.objects.filter(username="ann").exists()
    assert mail.outbox == []


def test_a_worker_sends_the_queued_email(client):
    from tasklab import Worker

    task_id = signup(client, "queued", username="bea").content.decode().rsplit(" ", 1)[1]
    worker = Worker(batch=True).start()
    worker.wait(timeout=30)

    assert send_welcome_email_slowly.get_result(task_id).status.name == "SUCCESSFUL"
    assert "Welcome email sent to bea@example.com" in worker.log()


@pytest.mark.parametrize("how", ["inline", "queued"])
def test_a_get_is_told_how_to_sign_up(client, how):
    response = client.get(f"/signup/{how}/")

    assert response.status_code == 405
    assert response.content == b"Send a POST request with username, email and password to sign up."


@pytest.mark.parametrize("how", ["inline", "queued"])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": None}, "email: This field is required."),
        ({"email": "not-an-email"}, "email: Enter a valid email address."),
        ({"password": None}, "password: This field is required."),
        ({"username": "bad name!"}, "username: Enter a valid username."),
    ],
)
def test_bad_fields_answer_400_naming_the_field_and_send_nothing(client, how, fields, message):
    response = signup(client, how, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert (mail.outbox, _task_rows()) == ([], [])


def test_a_taken_username_answers_400(client):
    signup(client, "queued")
    response = signup(client, "queued", email="other@example.com")

    assert response.status_code == 400
    assert response.content == b"username: A user with that username already exists."
    assert len(_task_rows()) == 1


def _task_rows():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.all())
