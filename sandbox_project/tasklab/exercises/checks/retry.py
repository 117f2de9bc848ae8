"""Exercise 7: retry a flaky task later, waiting twice as long each time, and give up in the end.

`django.tasks` has no retries of its own: the task enqueues its next attempt itself, with
`.using(run_after=...)`, then re-raises, so each failed attempt is recorded as FAILED.
"""

import time

from django_tasks_db.models import DBTaskResult, get_date_max

from ...worker import Worker
from ..feedback import TODO_HINT, NotYet, Steps, describe_traceback
from ..running import TIMEOUT, require_task
from ..services import rates_service_down_for

RETRY_HINT = Steps(
    lesson="lesson 11 (retrying with backoff, by hand), and lesson 9 (deferring a task with `run_after`).",
    closer="in the `except` block, while `attempt < MAX_ATTEMPTS`, enqueue the same task for later with "
    "`.using(run_after=...)`, passing `attempt=attempt + 1`; then re-raise, in every case.",
    answer="in the `except` block: `if attempt < MAX_ATTEMPTS:` enqueue "
    "`update_rate.using(run_after=timezone.now() + timedelta(seconds=FIRST_DELAY * 2 ** (attempt - 1)))"
    ".enqueue(currency, attempt=attempt + 1)`; then a bare `raise` in every case.",
)
RAISE_HINT = Steps(
    lesson="lesson 11 (retrying with backoff, by hand): the task re-raises, so that the attempt is recorded FAILED "
    "with its error.",
    closer="end the `except` block by raising the error again, after enqueuing the next attempt.",
    answer="a bare `raise` as the last line of the `except` block.",
)
COUNT_HINT = Steps(
    lesson="lesson 11 (retrying with backoff, by hand): the attempt number travels as an argument.",
    closer="pass the next attempt's number to `enqueue()` as the keyword argument `attempt`.",
    answer="`.enqueue(currency, attempt=attempt + 1)`.",
)
LIMIT_HINT = Steps(
    lesson="lesson 11 (retrying with backoff, by hand): the number of attempts is capped.",
    closer="count the attempts (pass `attempt=attempt + 1` on), and enqueue another one only while "
    "`attempt < MAX_ATTEMPTS`.",
    answer="`if attempt < MAX_ATTEMPTS:` around the enqueue, which passes `attempt=attempt + 1`.",
)
DELAY_HINT = Steps(
    lesson="lesson 9 (deferring a task): `.using(run_after=...)` keeps a task from running before that time.",
    closer="delay each retry by `FIRST_DELAY * 2 ** (attempt - 1)` seconds from now: "
    "`timezone.now() + timedelta(seconds=...)`, an aware datetime, given to `.using(run_after=...)`.",
    answer="`update_rate.using(run_after=timezone.now() + timedelta(seconds=FIRST_DELAY * 2 ** (attempt - 1)))"
    ".enqueue(currency, attempt=attempt + 1)`.",
)
DELAYS = [0.5, 1.0, 2.0]  # FIRST_DELAY, doubled before each further attempt
MAX_ATTEMPTS = 4


def _attempts(task, currency, earlier=frozenset()):
    """This check's attempts for `currency`, oldest first: not those of an earlier check() in the
    same lab (`earlier`: their ids), which would make a task that gives up look as if it never did."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return [
        row
        for row in rows
        if row.id not in earlier
        and (
            row.args_kwargs["args"][:1] == [currency] or row.args_kwargs["kwargs"].get("currency") == currency
        )
    ]


def _run_chain(task, currency, failures):
    """Let the service fail `failures` times, enqueue once, and wait until no attempt is left to run."""
    rates_service_down_for(failures)
    earlier = frozenset(row.id for row in _attempts(task, currency))
    task.enqueue(currency)
    deadline = time.monotonic() + TIMEOUT
    with Worker():
        while time.monotonic() < deadline:
            rows = _attempts(task, currency, earlier)
            if len(rows) > MAX_ATTEMPTS + 1:
                break  # it never gives up: enough to say so
            if all(row.status in ("SUCCESSFUL", "FAILED") for row in rows):
                return rows
            time.sleep(0.05)
    rows = _attempts(task, currency, earlier)
    if len(rows) > MAX_ATTEMPTS:
        raise NotYet(
            f"update_rate made more than {MAX_ATTEMPTS} attempts while the service stayed down: it never gives up",
            LIMIT_HINT,
        )
    raise NotYet(
        f"the attempts did not finish within {TIMEOUT} s", "are the delays in seconds, as FIRST_DELAY is?"
    )


def _explain_first(row):
    if row.status == "SUCCESSFUL":
        raise NotYet(
            "the first attempt ended SUCCESSFUL although the service was down, so nobody can see that it failed",
            RAISE_HINT,
        )
    if row.exception_class_path == "builtins.NotImplementedError":
        raise NotYet(
            "the retry is not written yet: the `except` block still raises NotImplementedError", TODO_HINT
        )
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
                COUNT_HINT,
            )
    for number, (before, after) in enumerate(zip(rows, rows[1:]), start=1):
        wanted = DELAYS[number - 1]
        if _delay(before, after) < wanted:
            raise NotYet(
                f"attempt {number + 1} was allowed to run {_delay(before, after):.1f} s after attempt {number} "
                f"started, not at least {wanted:g} s later",
                DELAY_HINT,
            )
    statuses = [row.status for row in rows]
    if statuses != ["FAILED", "FAILED", "SUCCESSFUL"]:
        raise NotYet(
            f"with the service down twice, the attempts ended {statuses}, not FAILED, FAILED, SUCCESSFUL",
            RETRY_HINT,
        )
    if rows[-1].return_value != 0.92:
        raise NotYet(
            f"the last attempt returned {rows[-1].return_value!r}, not the rate 0.92",
            "return `fetch_rate(currency)`.",
        )

    rows = _run_chain(update_rate, "GBP", failures=1000)
    if len(rows) != MAX_ATTEMPTS:
        raise NotYet(
            f"with the service down for good, update_rate gave up after {len(rows)} attempts, not {MAX_ATTEMPTS}",
            LIMIT_HINT,
        )
    return (
        "update_rate survived two failures, waiting at least 0.5 s then 1 s before retrying, "
        "and gave up after 4 attempts when the service stayed down."
    )
