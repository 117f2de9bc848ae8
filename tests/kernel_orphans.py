"""Kill a real Jupyter kernel that runs a worker and a server; see how long they outlive it.

Shared by `tests/test_orphans.py` (a few times, in `make test`) and
`scripts/reliability.py` (20 times, printing the figures).
"""

import os
import shutil
import signal
import time
from dataclasses import dataclass

import psutil
from jupyter_client import KernelManager

from process_checks import alive
from tasklab.paths import VAR_DIR

LAB = "kernel-orphans-check"
CELL = f"""
import tasklab
lab = tasklab.setup({LAB!r}, quiet=True)
worker = tasklab.Worker().start()
server = tasklab.Server().start()
print(worker.pid, server.pid)
"""
LIMIT = 2.0  # seconds a child may outlive its kernel


@dataclass
class KernelKill:
    started: list  # pids the cell printed: the worker's and the server's
    children: list  # every process below the kernel just before it was killed
    seconds: float  # from SIGKILL until the last of them was gone (or LIMIT, if some were not)
    left: list  # pids still running LIMIT seconds after the kill


def kill_kernel_once():
    """Start a kernel, run CELL, SIGKILL the kernel, wait up to LIMIT s for its children."""
    manager = KernelManager(kernel_name="python3", transport="ipc")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        printed = []
        reply = client.execute_interactive(
            CELL,
            timeout=90,
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        started = [int(pid) for pid in "".join(printed).split()]
        kernel = psutil.Process(manager.provisioner.process.pid)
        children = [child.pid for child in kernel.children(recursive=True)]

        os.kill(kernel.pid, signal.SIGKILL)
        killed = time.monotonic()
        while (left := [pid for pid in children if alive(pid)]) and time.monotonic() - killed < LIMIT:
            time.sleep(0.02)
        seconds = time.monotonic() - killed
    finally:
        client.stop_channels()
        manager.cleanup_resources()
    for pid in left:  # never leave them behind, even when the check fails
        os.kill(pid, signal.SIGKILL)
    return KernelKill(started, children, seconds, left)


def remove_lab():
    shutil.rmtree(VAR_DIR / "notebooks" / LAB, ignore_errors=True)
