"""A pretend outside provider that allows only so many calls per second.

Each call appends one line, "<unix time> <pid> <what>", to a file in the current lab's log
folder, so that a lesson can count the calls per second whichever worker made them. (Appends
of one short line are atomic, even from many processes.)
"""

import os
import time
from collections import Counter
from pathlib import Path

WORK_SECONDS = 0.02  # how long the provider takes to answer


def record_path():
    """The current lab's record of calls, shared by the notebook and its workers."""
    return Path(os.environ.get("TASKLAB_LOG_DIR", ".")) / "provider-calls.txt"


def call_provider(what):
    """Call the provider about `what`; returns its answer."""
    with record_path().open("a") as record:
        record.write(f"{time.time():.6f} {os.getpid()} {what}\n")
    time.sleep(WORK_SECONDS)
    return f"answer for {what}"


def calls():
    """Every call so far, oldest first: [(unix time, pid, what)]."""
    try:
        lines = record_path().read_text().splitlines()
    except FileNotFoundError:
        return []
    rows = [line.split(" ", 2) for line in lines]
    return sorted((float(at), int(pid), what) for at, pid, what in rows)


def calls_per_second(rows=None):
    """How many calls each second of the clock received: {int(unix time): calls}."""
    return Counter(int(at) for at, _, _ in (calls() if rows is None else rows))
