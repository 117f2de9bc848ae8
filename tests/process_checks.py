"""Checks for the no-orphan tests: is a process still running, and which outlive a deadline."""

import os
import signal
import time

import psutil


def alive(pid):
    """True while `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) counts as gone."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def survivors(pids, seconds):
    """The pids still running `seconds` from now (or as soon as none is).

    Survivors are killed before returning: a failing test must not leave them behind.
    """
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = [pid for pid in pids if alive(pid)]
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left
