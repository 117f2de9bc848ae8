"""No orphans, for lesson 20's scheduler: when the owner of a `tasklab.Scheduler` dies, even by
SIGKILL, the scheduler exits within 2 s, as a worker does (tests/test_orphans.py)."""

import os
import shutil
import signal
import subprocess
import sys

import pytest

from process_checks import alive, survivors
from tasklab.paths import VAR_DIR

OWNER = """
import sys, time
import tasklab
tasklab.setup(sys.argv[1], settings="taskdemo.settings_periodic", quiet=True)
scheduler = tasklab.Scheduler().start()
print(scheduler.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("owner_signal", [signal.SIGKILL, signal.SIGTERM])
def test_a_scheduler_exits_within_2_seconds_of_its_owner(owner_signal):
    lab = f"test-scheduler-orphans-{os.getpid()}-{owner_signal.name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TASKLAB_"))}
    owner = subprocess.Popen([sys.executable, "-c", OWNER, lab], stdout=subprocess.PIPE, text=True, env=env)
    try:
        pid = int(owner.stdout.readline())
        assert alive(pid)

        owner.send_signal(owner_signal)
        owner.wait()

        left = survivors([pid], seconds=2.0)
        assert not left, f"the scheduler still ran 2 s after its owner died: {left}"
    finally:
        owner.kill()
        owner.wait()
        shutil.rmtree(VAR_DIR / "notebooks" / lab, ignore_errors=True)
