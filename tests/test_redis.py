"""`tasklab.Redis`: a real redis-server on 127.0.0.1, stopped by its PID, never orphaned."""

import socket

import pytest

import tasklab.redis
from system_packages import redis_server_path


@pytest.fixture(autouse=True)
def _needs_redis():
    redis_server_path()


def test_redis_answers_on_localhost_and_stops():
    with tasklab.redis.Redis() as redis:
        assert redis.url == f"redis://127.0.0.1:{redis.port}/0"
        client = redis.client()
        client.set("greeting", "hello")
        assert client.get("greeting") == b"hello"
        assert "--bind 127.0.0.1" in " ".join(redis.program)

    assert not redis.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", redis.port), timeout=0.5)


def test_a_port_in_use_is_reported_with_redis_own_words():
    with tasklab.redis.Redis() as first:
        with pytest.raises(tasklab.ProcessStartError, match="Address already in use"):
            tasklab.redis.Redis(port=first.port).start()


def test_nothing_is_written_to_disk(tmp_path):
    with tasklab.redis.Redis() as redis:
        redis.client().set("key", "value")
        assert redis.client().config_get("save") == {"save": ""}
        assert redis.client().config_get("appendonly") == {"appendonly": "no"}
