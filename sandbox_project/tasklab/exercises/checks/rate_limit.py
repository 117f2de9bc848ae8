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
SPILL = 0.1  # seconds: see _per_second
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


def _per_second(calls):
    """[(second, unix time, pid)] for each call, by the second of the clock it counts in.

    A slot taken in the last moment of a second reaches the geocoder just after it, whoever
    wrote the limit, when the machine is busy: a call in the first SPILL seconds of a second
    counts in the one before while that one has room. A limit counted in each worker is still
    caught: it lets several times the limit through in one second.
    """
    counted, attributed = Counter(), []
    for at, pid, _ in sorted(calls):
        second = int(at)
        if at - second < SPILL and counted[second - 1] < LIMIT:
            second -= 1
        counted[second] += 1
        attributed.append((second, at, pid))
    return attributed


def _explain_busy_second(attributed, second, received):
    per_worker = Counter(pid for s, _, pid in attributed if s == second)
    if max(per_worker.values()) <= LIMIT < received:
        raise NotYet(
            f"one second of the clock received {received} calls from {len(per_worker)} workers, each of which "
            f"kept to {LIMIT}: the limit is counted in each worker, not shared",
            SHARED_HINT,
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

    attributed = _per_second(calls)
    per_second = Counter(second for second, _, _ in attributed)
    second, received = max(per_second.items(), key=lambda item: item[1])
    if received > LIMIT:
        _explain_busy_second(attributed, second, received)
    return (
        f"{WORKERS} workers geocoded the {len(ADDRESSES)} addresses once each, "
        f"and no second of the clock received more than {LIMIT} calls."
    )
