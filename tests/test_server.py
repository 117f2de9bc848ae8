"""`tasklab.Server`: the real dev server, answering over real HTTP."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

import tasklab


def test_the_server_answers_the_seeds_endpoints(transactional_db):
    with tasklab.Server() as server:
        body = urllib.parse.urlencode(
            {"username": "carol", "email": "carol@example.com", "password": "secret123"}
        ).encode()
        reply = urllib.request.urlopen(f"{server.url}/register/", body, timeout=10).read().decode()
        task_id = reply.rsplit(" ", 1)[1]
        status = json.load(urllib.request.urlopen(f"{server.url}/task/{task_id}/", timeout=10))

    assert reply.startswith("Registration successful! Task ID: ")
    assert status == {"id": task_id, "status": "READY", "finished": False, "attempts": 0}
    assert not server.running


def test_the_server_listens_on_localhost_only(transactional_db):
    with tasklab.Server() as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert "runserver" in server.command and f"127.0.0.1:{server.port}" in server.command


def test_a_port_in_use_is_reported_with_the_servers_own_words(transactional_db):
    with tasklab.Server() as first:
        with pytest.raises(tasklab.ProcessStartError, match="That port is already in use"):
            tasklab.Server(port=first.port).start()
