"""Exercise 11: at most 4 calls per second to a geocoder, however many workers run the task.

The count must be shared (a row in the database), and a task over the limit must come back
later (`.using(run_after=...)`), not give up. Three real workers run 16 tasks; the geocoder's
record says how many calls each second of the clock received, and from which process.
"""

from collections import Counter
from contextlib import ExitStack

from django_tasks_db.models import DBTaskResult

from ...errors import TasksNotFinished
from ...settle import settle
from ...worker import Worker
from ..feedback import TODO_HINT, NotYet, Steps, describe_traceback
from ..running import TIMEOUT, require_task
from ..services import forget_geocoder_calls, geocoder_calls

LIMIT = 4
ADDRESSES = [f"{n} Station Road" for n in range(1, 17)]
WORKERS = 3

SHARED_HINT = Steps(
    lesson="lesson 23 (a count that every worker shares): each worker is a process with its own variables.",
    closer="count the calls in the database, one `RateWindow` row per second, which every worker reads and "
    "writes, not in a variable of your module.",
    answer='in `take_slot()`: `RateWindow.objects.bulk_create([RateWindow(name="geocoder", second=second)], '
    'ignore_conflicts=True)`, then `taken = RateWindow.objects.filter(name="geocoder", second=second, '
    'calls__lt=LIMIT).update(calls=F("calls") + 1)`; return `taken == 1 and int(time.time()) == second`.',
)
LIMIT_HINT = Steps(
    lesson="lesson 23 (a count that every worker shares): take a slot in this second's row before each call.",
    closer="add one to this second's `calls` only while `calls < LIMIT`, in a single `update()`, and call the "
    "geocoder only when that `update()` changed a row.",
    answer='`taken = RateWindow.objects.filter(name="geocoder", second=second, calls__lt=LIMIT)'
    '.update(calls=F("calls") + 1)`, and `if not take_slot():` come back later instead of calling.',
)
BOUNDARY_HINT = Steps(
    lesson="lesson 23 (the last line of `take_slot`): a slot taken as a second ends can reach the geocoder in "
    "the next second.",
    closer="after taking the slot, check that the clock is still in the same second; if not, the slot is no use.",
    answer="`return taken == 1 and int(time.time()) == second`.",
)
DROP_HINT = Steps(
    lesson="lesson 23 (over the limit: wait, or come back later?), and lesson 9 (deferring a task with `run_after`).",
    closer="when `take_slot()` says no, enqueue the same task again for the next second with "
    "`.using(run_after=...)`, then return.",
    answer="`if not take_slot():` then `locate.using(run_after=datetime.fromtimestamp(int(time.time()) + 1, "
    "tz=UTC)).enqueue(address)` and `return None`.",
)
TWICE_HINT = Steps(
    lesson="lesson 23 (over the limit: come back later): a task that moved itself to a later second is done.",
    closer="return right after enqueuing the later attempt, before the line that calls the geocoder.",
    answer="`return None` as the last line of the `if not take_slot():` block.",
)


def _run(locate):
    """Three workers, then the 16 tasks; wait until none is left to run (moved ones included)."""
    forget_geocoder_calls()
    earlier = set(DBTaskResult.objects.filter(task_path=locate.module_path).values_list("id", flat=True))
    with ExitStack() as stack:
        for _ in range(WORKERS):
            stack.enter_context(Worker())
        for address in ADDRESSES:
            locate.enqueue(address)
        try:
            settle(locate, timeout=TIMEOUT)
        except TasksNotFinished:
            raise NotYet(
                f"the tasks were not all finished after {TIMEOUT} s: some keep moving to later seconds",
                "does `take_slot()` ever return True? Try `take_slot()` in a cell, once, then run it a few times.",
            ) from None
    return DBTaskResult.objects.filter(task_path=locate.module_path).exclude(id__in=earlier)


def _explain_failure(results):
    failed = results.filter(status="FAILED").first()
    if failed is None:
        return
    if failed.exception_class_path == "builtins.NotImplementedError":
        raise NotYet(
            "`take_slot()` or `locate` is not written yet: a task raised NotImplementedError", TODO_HINT
        )
    raise NotYet(
        f"a task failed in the worker with {describe_traceback(failed.traceback)}",
        "fix the line the error names, run the cell again, then check() again.",
    )


def _explain_busy_second(calls, second, received):
    in_second = [(at, pid) for at, pid, _ in calls if int(at) == second]
    per_worker = Counter(pid for _, pid in in_second)
    if max(per_worker.values()) <= LIMIT < received:
        raise NotYet(
            f"one second of the clock received {received} calls from {len(per_worker)} workers, each of which "
            f"kept to {LIMIT}: the limit is counted in each worker, not shared",
            SHARED_HINT,
        )
    if received == LIMIT + 1 and in_second[0][0] - second < 0.05:
        raise NotYet(
            f"one second of the clock received {LIMIT + 1} calls, the first of them at its very start",
            BOUNDARY_HINT,
        )
    raise NotYet(f"one second of the clock received {received} calls, more than {LIMIT}", LIMIT_HINT)


def check(locate):
    require_task(locate, "locate", "geocoding")
    results = _run(locate)
    _explain_failure(results)

    calls = geocoder_calls()
    asked = Counter(address for _, _, address in calls)
    never = [address for address in ADDRESSES if not asked[address]]
    if never:
        raise NotYet(
            f"{len(never)} of the {len(ADDRESSES)} addresses were never geocoded, e.g. {never[0]!r}: a task over "
            "the limit ended without coming back later",
            DROP_HINT,
        )
    twice = [address for address in ADDRESSES if asked[address] > 1]
    if twice:
        raise NotYet(f"{twice[0]!r} was geocoded {asked[twice[0]]} times, not once", TWICE_HINT)

    per_second = Counter(int(at) for at, _, _ in calls)
    second, received = max(per_second.items(), key=lambda item: item[1])
    if received > LIMIT:
        _explain_busy_second(calls, second, received)
    return (
        f"{WORKERS} workers geocoded the {len(ADDRESSES)} addresses once each, "
        f"and no second of the clock received more than {LIMIT} calls."
    )
