"""Exercise 8: find the task a killed worker left RUNNING, and run it again.

SIGKILL (the OOM killer, a power cut, `kill -9`) leaves the task's row RUNNING for ever: nothing in
`django-tasks-db` reclaims it. The checker makes such a task for real, and leaves beside it a READY
one, and a SUCCESSFUL and a FAILED one that started long ago, none of which may be mistaken for it.
"""

import signal
import time
import traceback
from datetime import timedelta

from django.db.models import F
from django_tasks_db.models import DBTaskResult

from accounts.tasks import add, failing_task, slow_task

from ...worker import Worker
from ..feedback import NotYet, Steps, call, describe_exception
from ..running import TIMEOUT, require_success, run_in_worker

FIND_HINT = Steps(
    lesson="lesson 11 (finding stuck tasks): a stuck task is told apart from a slow one by its age.",
    closer="two conditions in one ORM filter: the status is RUNNING, and `started_at` is earlier than "
    "`timezone.now() - older_than`.",
    answer="`return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, "
    "started_at__lt=timezone.now() - older_than)`.",
)
AGE_HINT = Steps(
    lesson="lesson 11 (finding stuck tasks): from the database alone, a stuck task looks like a long one; "
    "what tells them apart is age.",
    closer="keep only the results that started more than `older_than` ago: compare `started_at` with "
    "`timezone.now() - older_than`.",
    answer="add `started_at__lt=timezone.now() - older_than` to the filter.",
)
RECOVER_HINT = Steps(
    lesson="lesson 11 (recovering stuck tasks): the old row is marked FAILED, and a fresh copy of the task is "
    "enqueued with the same arguments.",
    closer="two steps: `stuck.set_failed()` with an exception of your choice, then `stuck.task.enqueue(...)` with the "
    "arguments in `stuck.args_kwargs`; return what enqueue() returns.",
    answer='`stuck.set_failed(RuntimeError("its worker died"))`, then '
    '`return stuck.task.enqueue(*stuck.args_kwargs["args"], **stuck.args_kwargs["kwargs"])`.',
)
EXCEPTION_HINT = Steps(
    lesson="`set_failed()` records an exception's class and traceback as the task's error; it is not run in a "
    "lesson: see `django_tasks_db/models.py`, `DBTaskResult.set_failed`.",
    closer="make an exception with your message, and pass that: any exception class will do, such as "
    "`RuntimeError`.",
    answer='`stuck.set_failed(RuntimeError("its worker died"))`.',
)
FIVE_MINUTES = timedelta(minutes=5)


def _kill_while_running():
    """A real worker, SIGKILLed in the middle of a task: returns that task's id."""
    with Worker() as worker:
        run = slow_task.enqueue(3)
        deadline = time.monotonic() + TIMEOUT
        while run.status.name != "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.02)
            run.refresh()
        worker.signal(signal.SIGKILL)
        worker.wait()
    return run.id


def _ids(found):
    try:
        return {str(getattr(item, "id", item)) for item in found}
    except TypeError:
        raise NotYet(
            f"find_stuck() returned {found!r}, not a list or a queryset of results", FIND_HINT
        ) from None


def _find(find_stuck):
    return _ids(call(find_stuck, FIVE_MINUTES, what="find_stuck(timedelta(minutes=5))", hint=FIND_HINT))


def _describe(ids):
    names = sorted(
        f"a {status} task"
        for status in DBTaskResult.objects.filter(id__in=ids).values_list("status", flat=True)
    )
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else "nothing"


def _in_set_failed(error):
    frames = traceback.extract_tb(error.__traceback__)
    return any(
        frame.name == "set_failed" and frame.filename.endswith("django_tasks_db/models.py")
        for frame in frames
    )


def _recover(recover, stuck):
    """`recover(stuck)`; `set_failed()` given something other than an exception is named as such."""
    try:
        return recover(stuck)
    except TypeError as error:
        if not _in_set_failed(error):
            raise
        raise NotYet(
            f"`stuck.set_failed()` raised {describe_exception(error)}: it takes an exception object, such as "
            '`SomeError("your message")`, not a message, and records its class and traceback as the task\'s error',
            EXCEPTION_HINT,
        ) from None


def check(find_stuck, recover):
    DBTaskResult.objects.all().delete()
    finished = [add.enqueue(2, 2), failing_task.enqueue("for the check")]
    run_in_worker(finished, queues=["default"])
    stuck_id = _kill_while_running()
    ready = add.enqueue(5, 5)

    found = _find(find_stuck)
    if stuck_id in found:
        raise NotYet(
            "find_stuck() returned a task that started a few seconds ago: it may simply be a long task "
            "still running",
            AGE_HINT,
        )
    if found:
        raise NotYet(f"find_stuck() returned {_describe(found)}, which is not stuck", FIND_HINT)

    # Pretend the worker died ten minutes ago, and the finished tasks ran an hour ago.
    DBTaskResult.objects.filter(id=stuck_id).update(started_at=F("started_at") - timedelta(minutes=10))
    DBTaskResult.objects.filter(id__in=[r.id for r in finished]).update(
        started_at=F("started_at") - timedelta(hours=1)
    )
    found = _find(find_stuck)
    if stuck_id not in found:
        raise NotYet(
            "find_stuck() did not return the task left RUNNING ten minutes ago by a killed worker", FIND_HINT
        )
    if found != {stuck_id}:
        raise NotYet(
            f"besides the stuck task, find_stuck() returned {_describe(found - {stuck_id})}", FIND_HINT
        )

    stuck = DBTaskResult.objects.get(id=stuck_id)
    again = call(_recover, recover, stuck, what="recover(stuck)", hint=RECOVER_HINT)
    if not hasattr(again, "refresh") or str(getattr(again, "id", "")) == stuck_id:
        raise NotYet(f"recover() returned {again!r}, not the result of a new enqueue", RECOVER_HINT)
    stuck.refresh_from_db()
    if stuck.status == "RUNNING":
        raise NotYet(
            "the stuck row is still RUNNING, so the next recovery pass would enqueue it once more",
            RECOVER_HINT,
        )
    copy = DBTaskResult.objects.get(id=again.id)
    if (copy.task_path, copy.args_kwargs) != (stuck.task_path, stuck.args_kwargs):
        raise NotYet(
            f"the new task is {copy.task_path} {copy.args_kwargs}, not the same task with the same arguments",
            RECOVER_HINT,
        )
    run_in_worker([again, ready], queues=["default"])
    require_success(again, "slow_task", RECOVER_HINT)
    found = _find(find_stuck)
    if found:
        raise NotYet(f"after recovery, find_stuck() still returns {_describe(found)}", FIND_HINT)
    return (
        "find_stuck() found only the task a killed worker left RUNNING ten minutes ago (not the recent, "
        "READY or finished ones), and recover() failed it and enqueued it again: a real worker finished the copy."
    )
