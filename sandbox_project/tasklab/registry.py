"""Which workers are alive: each toolkit worker leaves a card (its host and pid) in the lab.

`db_worker` writes only a worker's id on the tasks it claims, so a task RUNNING for an hour
looks the same whether its worker is busy or was killed. Every `tasklab.Worker` therefore
writes `workers/<worker id>.json` next to the lab's database before it claims anything;
`state()` reads that card back and asks the operating system whether that process is still
running that worker. The cards are never deleted by the worker (a dead worker cannot), so
a card whose process is gone means exactly that: the worker is gone.
"""

import json
import os
import socket
import time
from pathlib import Path
from urllib.parse import quote

import psutil

from .paths import log_dir

ALIVE, GONE, UNKNOWN = "alive", "gone", "unknown"


def workers_dir():
    """The lab's `workers/` folder, beside its `logs/` (TASKLAB_WORKERS_DIR overrides it)."""
    explicit = os.environ.get("TASKLAB_WORKERS_DIR")
    return Path(explicit) if explicit else log_dir().parent / "workers"


def card_path(worker_id):
    return workers_dir() / f"{quote(worker_id, safe='')}.json"


def register(worker_id, pid=None):
    """Record that `worker_id` runs as `pid` (default: this process) on this host."""
    card = {
        "worker_id": worker_id,
        "host": socket.gethostname(),
        "pid": pid or os.getpid(),
        "started": time.time(),
    }
    path = card_path(worker_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(card))


def card(worker_id):
    """The worker's card as a dict, or None if no toolkit worker ever used this id here."""
    try:
        return json.loads(card_path(worker_id).read_text())
    except (FileNotFoundError, ValueError):
        return None


def state(worker_id):
    """ALIVE, GONE, or UNKNOWN (no card, or a card from another host: we cannot tell)."""
    found = card(worker_id)
    if found is None or found["host"] != socket.gethostname():
        return UNKNOWN
    return ALIVE if runs_worker(found["pid"], worker_id) else GONE


def runs_worker(pid, worker_id):
    """True if `pid` is a live process running this worker (a reused pid is not).

    A process we may not inspect counts as alive: recovery must never take a task away
    from a worker that might still be running it.
    """
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:  # killed, not yet reaped by its owner
            return False
        return f"--worker-id={worker_id}" in process.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return True
