"""Exercise 10: enqueue a report rebuild only when none is READY or RUNNING for that account.

The checker asks twice while the first is READY, once while it is RUNNING, once after it
finished, and twice at the same moment from two threads, each time counting the tasks stored
and the reports built, with two real workers.
"""

import time
from contextlib import contextmanager

from django_tasks_db.models import DBTaskResult

from ...contention import at_once
from ...errors import StatusNotReached
from ...waiting import wait_for
from ...worker import Worker
from ..feedback import NotYet, Steps, call
from ..report_service import hold_builds, release_builds, runs_of
from ..running import TIMEOUT, require_success, require_task

KEY_HINT = Steps(
    lesson="lesson 22 (fix 1: a key the database refuses twice).",
    closer="in one `transaction.atomic()` block, enqueue the task and create a `TaskKey` for the account with "
    "the new task's id; a second key for the same account raises IntegrityError: catch it outside the block "
    "and return None.",
    answer="`with transaction.atomic(): result = rebuild_report.enqueue(account_id); "
    'TaskKey.objects.create(key=f"report:{account_id}", task_id=result.id)`, inside `try:`, with '
    "`except IntegrityError: return None`, then `return result`.",
)
RACE_HINT = Steps(
    lesson="lesson 22 (at the same moment): a check done before the enqueue, outside a transaction, lets two "
    "requests through.",
    closer="let the database refuse the second one: create the `TaskKey` in the same `transaction.atomic()` block "
    "as the enqueue, and catch IntegrityError.",
    answer='`TaskKey.objects.create(key=f"report:{account_id}", task_id=result.id)` right after '
    "`result = rebuild_report.enqueue(account_id)`, both inside `with transaction.atomic():`.",
)
RELEASE_HINT = Steps(
    lesson="lesson 22 (fix 1): the task releases its key when it ends.",
    closer="at the end of `rebuild_report`, in a `finally:` so that it also runs when the build raises, set "
    "`released_at` on the key whose `task_id` is this task's id (`context.task_result.id`).",
    answer="`try: build_report(account_id, context.task_result.id)` then `finally: "
    "TaskKey.objects.filter(task_id=context.task_result.id, released_at=None).update(released_at=timezone.now())`.",
)
EARLY_HINT = Steps(
    lesson="lesson 22 (fix 1): the key is released when the task ends, not when it starts.",
    closer="release the key after `build_report(...)`, in a `finally:` block.",
    answer="`try: build_report(account_id, context.task_result.id)` then `finally:` and the release.",
)
BUILD_HINT = "keep the given line `build_report(account_id, context.task_result.id)` in the task."
STORED_HINT = "enqueue inside the same `transaction.atomic()` block as the key, so that a refused key takes the task row with it."


def _stored(task, account_id):
    return DBTaskResult.objects.filter(task_path=task.module_path, args_kwargs__args=[account_id])


def _ask(request_rebuild, account_id, when):
    return call(
        request_rebuild,
        account_id,
        what=f"request_rebuild() {when}",
        hint="fix the line your error names (is the key's `task_id` the new task's id, `result.id`?).",
    )


@contextmanager
def _slow_enqueue(task, seconds=0.3):
    """Widen the gap between a check and the enqueue that follows it, as a busy server would."""
    backend = task.get_backend()
    enqueue = backend.enqueue

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return enqueue(*args, **kwargs)

    backend.enqueue = slow
    try:
        yield
    finally:
        del backend.enqueue


def _wait_finished(result):
    deadline = time.monotonic() + TIMEOUT
    while not result.is_finished and time.monotonic() < deadline:
        time.sleep(0.05)
        result.refresh()


def check(rebuild_report, request_rebuild):
    require_task(rebuild_report, "rebuild_report", "unique_reports")
    # Accounts of this check's own, however often it runs in the same lab.
    account = 1000 + 10 * DBTaskResult.objects.filter(task_path=rebuild_report.module_path).count()

    first = _ask(request_rebuild, account, "with nothing pending")
    if first is None:
        raise NotYet("request_rebuild() returned None although nothing was pending", KEY_HINT)
    second = _ask(request_rebuild, account, "while the first was READY")
    if second is not None:
        raise NotYet(
            "asked twice while the first rebuild was READY, request_rebuild enqueued a second one", KEY_HINT
        )
    if _stored(rebuild_report, account).count() != 1:
        raise NotYet(
            "request_rebuild returned None, but the second task was stored all the same", STORED_HINT
        )

    hold_builds()
    try:
        with Worker(), Worker():
            try:
                wait_for(first, "RUNNING", timeout=TIMEOUT)
            except StatusNotReached:  # it finished at once: failed, or never built the report
                require_success(
                    first, "rebuild_report", "fix the line your error names.", call="rebuild_report()"
                )
                raise NotYet("rebuild_report finished without building the report", BUILD_HINT) from None
            during = _ask(request_rebuild, account, "while the first was RUNNING")
            release_builds()
            _wait_finished(first)
            require_success(
                first, "rebuild_report", "fix the line your error names.", call="rebuild_report()"
            )
            if during is not None:
                raise NotYet(
                    "a request made while the first rebuild was RUNNING was enqueued too", EARLY_HINT
                )
            after = _ask(request_rebuild, account, "after the first had finished")
            if after is None:
                raise NotYet(
                    "once the first rebuild had finished, a new request was still refused: the key is never released",
                    RELEASE_HINT,
                )
            _wait_finished(after)
            require_success(
                after, "rebuild_report", "fix the line your error names.", call="rebuild_report()"
            )
    finally:
        release_builds()
    if runs_of(account) != 2:
        raise NotYet(
            f"the report of one account was built {runs_of(account)} times, not twice (once per accepted request)",
            KEY_HINT,
        )

    other = account + 1
    with _slow_enqueue(rebuild_report):
        accepted = sum(
            r is not None for r in at_once(lambda: _ask(request_rebuild, other, "at the same moment"))
        )
    stored = _stored(rebuild_report, other).count()
    if accepted != 1 or stored != 1:
        raise NotYet(
            f"two requests made at the same moment stored {stored} tasks (request_rebuild accepted {accepted})",
            RACE_HINT,
        )
    return (
        "request_rebuild enqueued one rebuild per account while one was READY or RUNNING, let a new one through "
        "once it had finished, and let only one of two simultaneous requests through."
    )
