"""The traffic of a soak: tasks enqueued directly, registrations through the dev server, and
visitors polling the status page. Each keeps what it did in `Traffic`, for the report.
"""

import re
import threading
from dataclasses import dataclass, field

from .. import http

# The mix of directly enqueued tasks: seconds of work, and how many attempts fail first.
WORK_SECONDS = (0.1, 0.5)
MAX_ATTEMPTS = 3
FAILURES = [(0, 0.80), (1, 0.08), (2, 0.07), (MAX_ATTEMPTS, 0.05)]  # MAX_ATTEMPTS: fails for good
ENQUEUE_EVERY = (0.05, 0.25)  # seconds between two tasks: about 7 a second
REGISTER_EVERY = (1.0, 3.0)  # a password hash costs the server a fraction of a second
POLL_EVERY = (0.3, 0.9)  # each status-page visitor waits this long between two requests
STATUSES = {"READY", "RUNNING", "SUCCESSFUL", "FAILED"}
TASK_ID = re.compile(r"Task ID: ([0-9a-f-]{36})")


@dataclass
class Traffic:
    """What the load sent: planned outcome per key, registrations, status-page answers."""

    plan: dict = field(
        default_factory=dict
    )  # key -> True if it should be applied, False if it fails for good
    direct: set = field(default_factory=set)  # ids of the tasks enqueued directly
    registered: dict = field(default_factory=dict)  # email -> its welcome email's task id
    registration_errors: list = field(default_factory=list)
    requests: int = 0
    status_errors: list = field(default_factory=list)
    recent: list = field(default_factory=list)  # ids the visitors poll
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, task_id):
        with self.lock:
            self.recent.append(str(task_id))
            del self.recent[:-200]


def enqueue_effects(rng, stop, traffic):
    from accounts.effects import apply_effect

    number = 0
    while not stop.wait(rng.uniform(*ENQUEUE_EVERY)):
        number += 1
        key = f"effect-{number}"
        failures = rng.choices([f for f, _ in FAILURES], [w for _, w in FAILURES])[0]
        seconds = round(rng.uniform(*WORK_SECONDS), 3)
        result = apply_effect.enqueue(key=key, seconds=seconds, failures=failures, max_attempts=MAX_ATTEMPTS)
        traffic.plan[key] = failures < MAX_ATTEMPTS
        traffic.direct.add(str(result.id))
        traffic.remember(result.id)


def register_users(url, rng, stop, traffic):
    """Sign up through the real `/register/` view, which enqueues a welcome email."""
    number = 0
    while not stop.wait(rng.uniform(*REGISTER_EVERY)):
        number += 1
        email = f"chaos{number}@example.com"
        data = {"username": f"chaos{number}", "email": email, "password": f"chaos-pass-{number}"}
        try:
            reply = http.post(f"{url}/register/", data, timeout=30)
        except Exception as error:  # noqa: BLE001 - any failure to register is counted
            traffic.registration_errors.append(f"{email}: {error}")
            continue
        found = TASK_ID.search(reply.text)
        if reply.status != 200 or not found:
            traffic.registration_errors.append(f"{email}: HTTP {reply.status} {reply.text[:80]!r}")
            continue
        traffic.registered[email] = found.group(1)
        traffic.remember(found.group(1))


def poll_status(url, rng, stop, traffic, max_requests):
    """One visitor: ask `/task/<id>/` about a recent task, again and again (at most max_requests)."""
    for _ in range(max_requests):
        if stop.wait(rng.uniform(*POLL_EVERY)):
            return
        with traffic.lock:
            if not traffic.recent:
                continue
            task_id = rng.choice(traffic.recent)
        problem = _check_status(url, task_id)
        with traffic.lock:
            traffic.requests += 1
            if problem:
                traffic.status_errors.append(f"/task/{task_id}/: {problem}")


def _check_status(url, task_id):
    """None if the page answered as it should, else what was wrong."""
    try:
        reply = http.get(f"{url}/task/{task_id}/", timeout=10)
        if reply.status != 200:
            return f"HTTP {reply.status}"
        answer = reply.json()
    except Exception as error:  # noqa: BLE001 - a timeout, a reset, bad JSON: all errors
        return f"{type(error).__name__}: {error}"
    if answer.get("id") != task_id or answer.get("status") not in STATUSES:
        return f"unexpected answer {answer}"
    return None
