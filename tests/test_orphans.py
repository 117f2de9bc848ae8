"""No orphans: when the owner of a worker and a server dies, even by SIGKILL, both exit within 2 s."""

import signal
import subprocess
import sys

import pytest

from process_checks import alive, survivors

OWNER = """
import django, sys, time
django.setup()
import tasklab
worker = tasklab.Worker().start()
server = tasklab.Server().start()
print(worker.pid, server.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("owner_signal", [signal.SIGKILL, signal.SIGTERM])
def test_children_exit_within_2_seconds_of_their_owner(django_db_setup, owner_signal):
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    pids = [int(pid) for pid in owner.stdout.readline().split()]
    assert len(pids) == 2 and all(alive(pid) for pid in pids)

    owner.send_signal(owner_signal)
    owner.wait()

    left = survivors(pids, seconds=2.0)
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
