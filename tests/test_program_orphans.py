"""No orphans, for programs that are not `manage.py` commands: when the owner of a Redis and a
PostgreSQL server dies, even by SIGKILL, both servers exit soon after (the guard allows 1.5 s for a graceful stop) and leave no files."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from process_checks import alive, survivors
from system_packages import postgres_bindir, redis_server_path

OWNER = """
import time
from tasklab.postgres import Postgres
from tasklab.redis import Redis
redis, pg = Redis().start(), Postgres().start()
print(redis.popen.pid, pg.popen.pid, pg.dir, flush=True)
time.sleep(120)
"""


def children_of(pid):
    """The processes whose parent is `pid` (the guard's program)."""
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == pid]


def _parent(proc):
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, IndexError):
        return None


@pytest.mark.parametrize("owner_signal", [signal.SIGKILL, signal.SIGTERM])
def test_servers_exit_soon_after_their_owner(owner_signal):
    redis_server_path(), postgres_bindir()
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    redis_guard, pg_guard, pg_dir = owner.stdout.readline().split()
    guards = [int(redis_guard), int(pg_guard)]
    servers = [child for guard in guards for child in children_of(guard)]
    assert len(servers) == 2 and all(alive(pid) for pid in guards + servers)

    owner.send_signal(owner_signal)
    owner.wait()

    # The guard gives 1.5 s to a graceful stop, then exits hard; a busy machine adds to that.
    left = survivors(guards + servers, seconds=10.0)
    assert not left, f"still running 10 s after the owner died: {left}"
    assert not Path(pg_dir).exists()
