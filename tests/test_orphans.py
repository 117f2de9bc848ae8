"""No orphans: when the owner of a worker and a server dies, even by SIGKILL, both exit within 2 s."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OWNER = """
import django, sys, time
django.setup()
import tasklab
worker = tasklab.Worker().start()
server = tasklab.Server().start()
print(worker.pid, server.pid, flush=True)
time.sleep(120)
"""


def alive(pid):
    """True while `pid` runs; a zombie (dead, not yet reaped) counts as gone."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("owner_signal", [signal.SIGKILL, signal.SIGTERM])
def test_children_exit_within_2_seconds_of_their_owner(django_db_setup, owner_signal):
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    pids = [int(pid) for pid in owner.stdout.readline().split()]
    assert len(pids) == 2 and all(alive(pid) for pid in pids)

    owner.send_signal(owner_signal)
    owner.wait()
    deadline = time.monotonic() + 2.0
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)

    left = [pid for pid in pids if alive(pid)]
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running 2 s after the owner died: {left}"


KERNEL_REPEATS = 3  # scripts/reliability.py runs 20 and prints the figures


def test_a_killed_jupyter_kernel_leaves_no_worker_or_server_behind(django_db_setup):
    from kernel_orphans import LIMIT, kill_kernel_once, remove_lab

    try:
        kills = [kill_kernel_once() for _ in range(KERNEL_REPEATS)]
    finally:
        remove_lab()

    for kill in kills:
        assert len(kill.started) == 2 and set(kill.started) <= set(kill.children)
    assert [kill.left for kill in kills] == [[]] * KERNEL_REPEATS, f"alive {LIMIT} s after the kill"
