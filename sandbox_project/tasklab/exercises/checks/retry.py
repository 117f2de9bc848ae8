"""Exercise 7: retry a flaky task later, waiting twice as long each time, and give up in the end.

`django.tasks` has no retries of its own: the task enqueues its next attempt itself, with
`.using(run_after=...)`, then re-raises, so each failed attempt is recorded as FAILED.
"""

import time

from django_tasks_db.models import DBTaskResult, get_date_max

from ...worker import Worker
from ..feedback import TODO_HINT, NotYet, describe_traceback
from ..running import TIMEOUT, require_task
from ..services import rates_service_down_for

RETRY_HINT = (
    "in the `except` block: if `attempt < MAX_ATTEMPTS`, enqueue the next attempt with "
    "`update_rate.using(run_after=timezone.now() + delay).enqueue(currency, attempt=attempt + 1)`; "
    "then `raise` in every case."
)
DELAYS = [0.5, 1.0, 2.0]  # FIRST_DELAY, doubled before each further attempt
MAX_ATTEMPTS = 4


def _attempts(task, currency):
    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return [row for row in rows if row.args_kwargs["args"][:1] == [currency] or row.args_kwargs["kwargs"].get("currency") == currency]


def _run_chain(task, currency, failures):
    """Let the service fail `failures` times, enqueue once, and wait until no attempt is left to run."""
    rates_service_down_for(failures)
    task.enqueue(currency)
    deadline = time.monotonic() + TIMEOUT
    with Worker():
        while time.monotonic() < deadline:
            rows = _attempts(task, currency)
            if len(rows) > MAX_ATTEMPTS + 1:
                break  # it never gives up: enough to say so
            if all(row.status in ("SUCCESSFUL", "FAILED") for row in rows):
                return rows
            time.sleep(0.05)
    rows = _attempts(task, currency)
    if len(rows) > MAX_ATTEMPTS:
        raise NotYet(f"update_rate made more than {MAX_ATTEMPTS} attempts while the service stayed down: it never gives up",
                     "enqueue another attempt only while `attempt < MAX_ATTEMPTS`, and pass `attempt=attempt + 1`.")
    raise NotYet(f"the attempts did not finish within {TIMEOUT} s", "are the delays in seconds, as FIRST_DELAY is?")


def _explain_first(row):
    if row.status == "SUCCESSFUL":
        raise NotYet(
            "the first attempt ended SUCCESSFUL although the service was down, so nobody can see that it failed",
            "after enqueuing the next attempt, `raise` again, so that this attempt is recorded as FAILED.",
        )
    if row.exception_class_path == "builtins.NotImplementedError":
        raise NotYet("the retry is not written yet: the `except` block still raises NotImplementedError", TODO_HINT)
    if not row.exception_class_path.endswith("ServiceUnavailable"):
        raise NotYet(f"the first attempt failed with {describe_traceback(row.traceback)}", RETRY_HINT)


def _attempt_number(row):
    args, kwargs = row.args_kwargs["args"], row.args_kwargs["kwargs"]
    return kwargs.get("attempt", args[1] if len(args) > 1 else 1)


def _delay(before, after):
    """Seconds between an attempt's start and the earliest moment its retry was allowed to run."""
    allowed = after.enqueued_at if after.run_after == get_date_max() else after.run_after
    return (allowed - before.started_at).total_seconds()


def check(update_rate):
    require_task(update_rate, "update_rate", "rates")

    rows = _run_chain(update_rate, "EUR", failures=2)
    _explain_first(rows[0])
    if len(rows) == 1:
        raise NotYet("the first attempt failed and no second attempt was enqueued", RETRY_HINT)
    for number, row in enumerate(rows, start=1):
        if _attempt_number(row) != number:
            raise NotYet(
                f"attempt {number} was enqueued as attempt={_attempt_number(row)!r}: the task cannot know when to give up",
                "pass the count on to the next attempt: `.enqueue(currency, attempt=attempt + 1)`.",
            )
    for number, (before, after) in enumerate(zip(rows, rows[1:]), start=1):
        wanted = DELAYS[number - 1]
        if _delay(before, after) < wanted:
            raise NotYet(
                f"attempt {number + 1} was allowed to run {_delay(before, after):.1f} s after attempt {number} "
                f"started, not at least {wanted:g} s later",
                "delay each retry: FIRST_DELAY before attempt 2, then twice as long each time, "
                "`FIRST_DELAY * 2 ** (attempt - 1)` seconds.",
            )
    statuses = [row.status for row in rows]
    if statuses != ["FAILED", "FAILED", "SUCCESSFUL"]:
        raise NotYet(
            f"with the service down twice, the attempts ended {statuses}, not FAILED, FAILED, SUCCESSFUL",
            RETRY_HINT,
        )
    if rows[-1].return_value != 0.92:
        raise NotYet(f"the last attempt returned {rows[-1].return_value!r}, not the rate 0.92", "return `fetch_rate(currency)`.")

    rows = _run_chain(update_rate, "GBP", failures=1000)
    if len(rows) != MAX_ATTEMPTS:
        raise NotYet(
            f"with the service down for good, update_rate gave up after {len(rows)} attempts, not {MAX_ATTEMPTS}",
            "count the attempts: pass `attempt=attempt + 1` to the next one, and stop when `attempt == MAX_ATTEMPTS`.",
        )
    return (
        "update_rate survived two failures, retrying after 0.5 s then 1 s, "
        "and gave up after 4 attempts when the service stayed down."
    )
