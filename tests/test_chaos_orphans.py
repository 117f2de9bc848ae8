"""A chaos soak stopped midway (`make chaos` killed, or Ctrl+C) leaves no process behind.

Apart from tests/test_chaos.py so that pytest-xdist runs the two side by side.
"""

import signal
import subprocess
import time

import psutil
import pytest

from process_checks import survivors
from tasklab import chaos

SEED = 2


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_soak_stopped_midway_leaves_no_process_behind(tmp_path, how):
    """Killed (SIGKILL) or interrupted (Ctrl+C sends SIGINT): its workers, server and
    PostgreSQL stop too."""
    process = chaos.Soak(60, SEED, tmp_path).start()
    try:
        deadline = time.monotonic() + 120
        while "Soaking for" not in process.log():
            assert process.running and time.monotonic() < deadline, process.log_tail()
            time.sleep(0.2)
        [soak] = psutil.Process(process.pid).children()  # under its guard: the soak itself
        started = [child.pid for child in soak.children(recursive=True)]
        assert len(started) >= 6  # PostgreSQL, the server, 4 workers (and their helpers)

        soak.send_signal(how)

        # Ctrl+C lets each worker finish its task first: on a busy machine that takes a while.
        left = survivors([soak.pid, *started], seconds=60)
        assert left == [], f"still running after the soak was stopped: {left}"
        if how == signal.SIGINT:
            assert "Interrupted: every process the soak started has been stopped." in process.log()
    finally:
        process.stop()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
