"""Exercise 9: a periodic job whose side effect happens once per tick, however many copies run.

Two schedulers (lesson 20), a retry, a redeploy: each can enqueue the same tick twice. The task
itself claims its tick in the database, where a unique constraint lets one insert win. The
checker runs the learner's task in two real workers: two copies for one day, one after the
other, then two copies for a later day at once (the workers' runs must overlap, or it tries the
day after); and it counts the reports sent, per day, in the database.
"""

from datetime import date, timedelta

from django_tasks_db.models import DBTaskResult

from reports.models import JobRun, SentReport

from ...errors import TasksNotFinished
from ...watch import watch
from ...worker import Worker
from ..feedback import NotYet, Steps
from ..running import TIMEOUT, require_success, require_task
from ..services import reports_sent

GUARD_HINT = Steps(
    lesson="lesson 20 (the fix: claim the tick): before the side effect, the task claims its tick in the "
    "database, and a copy that finds the tick already claimed returns without sending.",
    closer="claim the day with `JobRun.objects.get_or_create(job=..., tick=day)`: its second value says "
    "whether this call created the row; return early when it did not.",
    answer='`_, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick=day)`, then '
    "`if not claimed: return ...` before `send_report(day)`.",
)
RACE_HINT = Steps(
    lesson="lesson 20 (two schedulers at once, and the fix): a look, then a write, leaves a gap in which a "
    "second copy looks too; let one statement of the database decide instead.",
    closer="`JobRun` has a unique constraint on (job, tick): insert the claim first, and send only if this "
    "insert created the row (`get_or_create` returns that flag; a plain `create` raises IntegrityError "
    "for the copy that lost).",
    answer='`_, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick=day)` as the first line, '
    "`if not claimed: return ...`, and only then `send_report(day)`.",
)
KEY_HINT = Steps(
    lesson="lesson 20 (the fix: claim the tick): each tick is claimed once, so the claim names the tick, "
    "not only the job.",
    closer="the tick of this job is its `day` argument: put it in the claim, beside the job's name.",
    answer='`JobRun.objects.get_or_create(job="send_daily_report", tick=day)`.',
)
QUIET_HINT = Steps(
    lesson="lesson 11 (when tasks fail): a FAILED result is something to look into; a copy that finds its "
    "tick claimed has nothing wrong with it.",
    closer="let the copy that lost the claim return instead of raising: `get_or_create` tells you without "
    "an exception.",
    answer='`_, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick=day)`, then '
    '`if not claimed: return "already sent"`.',
)
FIRST_DAY = date(2026, 12, 1)
TRIES = 3  # attempts at making two workers run copies of one day at the same time


def _start_afresh():
    """Forget the claims and reports of an earlier check(): its days would look already sent."""
    JobRun.objects.all().delete()
    SentReport.objects.all().delete()
    return ((FIRST_DAY + timedelta(days=offset)).isoformat() for offset in range(1 + TRIES))


def _finish(results):
    """Wait for the copies; a copy that failed with anything but IntegrityError is named at once."""
    try:
        watch(results, timeout=TIMEOUT, live=False)
    except TasksNotFinished as stuck:
        raise NotYet(
            f"the copies did not finish within {TIMEOUT} s. {stuck}",
            "is your task waiting on something? Try it by hand with a Worker first.",
        ) from None
    for result in results:
        result.refresh()
        if not _lost_the_insert(result):
            require_success(
                result, "send_daily_report", GUARD_HINT, call=f"send_daily_report({result.args[0]!r})"
            )


def _lost_the_insert(result):
    return result.status.name == "FAILED" and result.errors[-1].exception_class_path.endswith(
        "IntegrityError"
    )


def _require_quiet(results):
    """Checked after the reports are counted: a report sent twice matters more than a FAILED copy."""
    for result in results:
        if _lost_the_insert(result):
            raise NotYet(
                f"a copy for {result.args[0]} failed with IntegrityError: the report went out once, but every "
                "duplicate shows up as a FAILED task",
                QUIET_HINT,
            )


def _ran_together(results):
    """True when the two copies were RUNNING at the same moment, in two workers."""
    rows = DBTaskResult.objects.filter(id__in=[result.id for result in results])
    starts = [row.started_at for row in rows]
    ends = [row.finished_at for row in rows]
    workers = {row.worker_ids[-1] for row in rows if row.worker_ids}
    return len(workers) == 2 and max(starts) < min(ends)


def _never_sent(day, when):
    raise NotYet(f"the report for {day} was never sent, {when}", KEY_HINT)


def check(send_daily_report):
    require_task(send_daily_report, "send_daily_report", "daily_report")
    days = _start_afresh()
    with Worker(), Worker():
        first = next(days)
        copies = [send_daily_report.enqueue(first)]
        _finish(copies)
        if reports_sent(first) == 0:
            _never_sent(first, "by the only copy enqueued for it")
        copies.append(send_daily_report.enqueue(first))
        _finish(copies[1:])
        if reports_sent(first) > 1:
            raise NotYet(
                f"a second copy for {first}, run after the first had finished, sent the report again: "
                f"it went out {reports_sent(first)} times",
                GUARD_HINT,
            )

        for _ in range(TRIES):
            day = next(days)
            pair = [send_daily_report.enqueue(day), send_daily_report.enqueue(day)]
            _finish(pair)
            if reports_sent(day) == 0:
                _never_sent(day, f"a later day than {first}, whose report did go out")
            if reports_sent(day) > 1:
                raise NotYet(
                    f"two copies for {day}, run by two workers at the same time, both sent the report: it went "
                    f"out {reports_sent(day)} times (one after the other, a second copy was stopped)",
                    RACE_HINT,
                )
            _require_quiet(copies + pair)
            if _ran_together(pair):
                break
        else:
            raise NotYet(
                f"in {TRIES} tries, the two workers never ran two copies at the same time, so the check could "
                "not see what your task does then",
                "the machine may be busy: run check() again.",
            )
    return (
        f"send_daily_report sent the report for {first} once although a second copy ran after the first, "
        "and the report of a later day once although two workers ran a copy each at the same time."
    )
