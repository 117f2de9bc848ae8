"""`tasklab.http`: real requests to the dev server, answers returned as curl shows them."""

import subprocess

import pytest

import tasklab
from system_packages import require
from tasklab import http

ALICE = {"username": "alice", "email": "alice@example.com", "password": "secret123"}


@pytest.fixture
def server(transactional_db):
    with tasklab.Server() as running:
        yield running


def test_post_returns_the_answer_and_the_seeds_curl_command(server):
    reply = http.post(f"{server.url}/register/", ALICE)

    assert reply.status == 200
    assert reply.text.startswith("Registration successful! Task ID: ")
    assert reply.command == (
        f"curl -X POST {server.url}/register/ \\\n"
        "  -d username=alice \\\n"
        "  -d email=alice@example.com \\\n"
        "  -d password=secret123"
    )


def test_an_error_status_is_returned_like_curl_does_not_raised(server):
    reply = http.post(f"{server.url}/register/", {**ALICE, "email": "not an email"})

    assert (reply.status, reply.text) == (400, "email: Enter a valid email address.")
    assert "--data-urlencode 'email=not an email'" in reply.command


def test_get_parses_json(server):
    reply = http.get(f"{server.url}/task/05131955-6651-40e2-9feb-a9ee0c0cd87b/")

    assert (reply.status, reply.content_type) == (404, "application/json")
    assert reply.json() == {"error": "Task not found"}
    assert reply.command == f"curl {server.url}/task/05131955-6651-40e2-9feb-a9ee0c0cd87b/"


def test_the_printed_curl_command_does_the_same(server):
    curl = require("curl")
    data = {"username": "bob", "email": "bob@example.com", "password": "pa ss&word"}
    command = http.curl_post(f"{server.url}/register/", data).replace("curl", curl, 1)

    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)

    assert out.stdout.startswith("Registration successful! Task ID: "), out
    from django.contrib.auth.models import User

    assert User.objects.get(username="bob").check_password("pa ss&word")


def test_nothing_listening_says_to_start_a_server():
    port = tasklab.server.free_port()

    with pytest.raises(tasklab.TasklabError, match=r"Nothing answered at .* Is the server running\?"):
        http.get(f"http://127.0.0.1:{port}/register/")
