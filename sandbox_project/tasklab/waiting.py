"""`wait_for()`: pause a lesson until a task reaches a status, e.g. RUNNING before a worker is stopped."""

import time

from .errors import StatusNotReached


def wait_for(result, status, *, timeout=30.0, poll=0.02):
    """Refresh `result` until its status is `status` ("RUNNING", "SUCCESSFUL", ...); returns it.

    Raises StatusNotReached after `timeout` seconds, or at once if the task finished in
    another status, since it can then never get there.
    """
    from django.tasks import TaskResultStatus

    status = str(status).upper()
    if status not in TaskResultStatus.values:
        raise ValueError(f"{status!r} is not a task status: use one of {', '.join(TaskResultStatus.values)}.")
    deadline = time.monotonic() + timeout
    while True:
        result.refresh()
        if result.status == status:
            return result
        if result.is_finished:
            raise StatusNotReached(
                f"Task {result.id} ({result.task.name}) finished {result.status} and will never be {status}."
            )
        if time.monotonic() > deadline:
            hint = (
                f" Is a worker running that serves the queue {result.task.queue_name!r}?"
                if result.status == "READY"
                else ""
            )
            raise StatusNotReached(
                f"Task {result.id} ({result.task.name}) is still {result.status} after "
                f"{timeout:g} s, not {status}.{hint}"
            )
        time.sleep(poll)
