"""Exercise 4: a long task reports its progress, and `percent_done()` shows it while it runs.

Reporting 0 done before the first contact is required: a page then shows "0 of 8" as soon as the
task starts, instead of nothing, which looks the same as a task that no worker has taken yet.
The check holds the first `create_contact()` until it has read what the task reported by then,
so that this does not depend on how fast the machine is.
"""

import time
import uuid

from django.contrib.auth.models import User

from accounts.progress import progress_of

from ...worker import Worker
from ..feedback import NotYet, Steps, call
from ..running import TIMEOUT, require_success, require_task
from ..services import first_contact_reached, hold_first_contact, release_contacts

EMAILS = [f"contact{n}@example.com" for n in range(1, 9)]
FIX_HINT = "fix that line, run the `%%module contacts` cell again, then check() again."
REPORT_HINT = Steps(
    lesson="TODO 1: report before the first contact (0 done), then after each one; lesson 12 shows a task that does.",
    closer="call `report_progress(context, done, total)` after each contact, with how many are done so far and "
    "`len(emails)`; `enumerate(emails, start=1)` counts them for you.",
    answer="`for done, email in enumerate(emails, start=1):`, then `create_contact(email)` and "
    "`report_progress(context, done, len(emails))` in the loop.",
)
START_HINT = Steps(
    lesson='TODO 1 asks for a report at 0 done before the first contact, so that a page shows "0 of 5" at '
    "once; lesson 12's task does the same.",
    closer="report once before the loop starts, with 0 done and the total.",
    answer="`report_progress(context, 0, len(emails))` before the `for` loop.",
)
CREATE_HINT = Steps(
    lesson="TODO 1: one contact per address, each made by `create_contact(email)`.",
    closer="loop over `emails`, and call `create_contact()` once for each address.",
    answer="`for done, email in enumerate(emails, start=1):` then `create_contact(email)` inside the loop.",
)
RETURN_HINT = Steps(
    lesson="TODO 1: the task returns how many contacts it created; lesson 7 reads a result's `return_value`.",
    closer="one contact per address: the number to return is the number of addresses.",
    answer="`return len(emails)` after the loop.",
)
PERCENT_HINT = Steps(
    lesson="TODO 2 and the list above it: `progress_of(task_id)` reads what a task reported; lesson 12 goes further.",
    closer="`progress_of(task_id)` returns the task's row, with `.done`, `.total` and `.percent`, or None "
    "while the task has reported nothing: return None then, else the row's percentage.",
    answer="`progress = progress_of(task_id)`, then `return None if progress is None else progress.percent`.",
)


def _percent(percent_done, task_id):
    value = call(percent_done, task_id, what="percent_done(task_id)", hint=PERCENT_HINT)
    if value is not None and not (isinstance(value, int) and 0 <= value <= 100):
        raise NotYet(
            f"percent_done() returned {value!r}, not a whole number from 0 to 100 (or None)", PERCENT_HINT
        )
    return value


def _follow(result, percent_done):
    """Poll while a worker runs the task: what it reported before its first contact (None: nothing),
    the progress rows seen, and percent_done()'s answers.

    An error from percent_done() is kept for later, so that the task (TODO 1) is judged first.
    """
    rows, percents, error, at_start = [], [], None, None
    hold_first_contact()
    try:
        with Worker():
            deadline = time.monotonic() + TIMEOUT
            while not result.is_finished and not first_contact_reached() and time.monotonic() < deadline:
                time.sleep(0.02)
                result.refresh()
            row = progress_of(result.id)
            at_start = row and (row.done, row.total)
            release_contacts()
            while not result.is_finished and time.monotonic() < deadline:
                row = progress_of(result.id)
                rows.append(row and (row.done, row.total))
                if error is None:
                    try:
                        percents.append(_percent(percent_done, result.id))
                    except NotYet as not_yet:
                        error = not_yet
                time.sleep(0.02)
                result.refresh()
    finally:
        release_contacts()
    return at_start, rows, percents, error


def check(import_contacts, percent_done):
    require_task(import_contacts, "import_contacts", "contacts")
    if not import_contacts.takes_context:
        raise NotYet(
            "import_contacts does not receive its context, so it cannot say which task's progress it reports",
            "declare it with `@task(takes_context=True)` and a first parameter named `context`.",
        )
    User.objects.filter(email__in=EMAILS).delete()
    result = import_contacts.enqueue(EMAILS)
    at_start, rows, percents, error = _follow(result, percent_done)
    if not result.is_finished:
        raise NotYet(
            f"import_contacts did not finish within {TIMEOUT} s",
            "is it stuck in a loop, or waiting on something? Try it by hand with a Worker first (the cell above).",
        )

    # TODO 1: the task.
    require_success(result, "import_contacts", FIX_HINT)
    created = User.objects.filter(email__in=EMAILS).count()
    if created != len(EMAILS):
        raise NotYet(f"the task created {created} contacts out of {len(EMAILS)}", CREATE_HINT)
    if result.return_value != len(EMAILS):
        raise NotYet(
            f"the task returned {result.return_value!r}, not how many contacts it created", RETURN_HINT
        )
    final = progress_of(result.id)
    if final is None:
        raise NotYet("the task never reported any progress", REPORT_HINT)
    if (final.done, final.total) != (len(EMAILS), len(EMAILS)):
        raise NotYet(
            f"the task finished, but its last report says {final.done} of {final.total}", REPORT_HINT
        )
    if at_start is None:
        raise NotYet(
            "the task reported nothing before its first contact: for that time, a page would show a blank, "
            'as if no worker had taken the task yet, instead of "0 of 8"',
            START_HINT,
        )
    if at_start != (0, len(EMAILS)):
        raise NotYet(
            f"before its first contact, the task reported {at_start[0]} of {at_start[1]}, not 0 of {len(EMAILS)}",
            START_HINT,
        )
    if not any(row and 0 < row[0] < row[1] for row in rows):
        raise NotYet(
            "while the task ran, its progress never showed it part way: a page polling it would jump "
            "from 0 to done",
            REPORT_HINT,
        )

    # TODO 2: reading it back.
    if error is not None:
        raise error
    if _percent(percent_done, str(uuid.uuid4())) is not None:
        raise NotYet("percent_done() of a task that never reported progress is not None", PERCENT_HINT)
    if _percent(percent_done, result.id) != 100:
        raise NotYet(
            f"the task is done, but percent_done() says {_percent(percent_done, result.id)!r}, not 100",
            PERCENT_HINT,
        )
    reported = [value for value in percents if value is not None]
    if any(later < earlier for earlier, later in zip(reported, reported[1:])):
        raise NotYet(f"percent_done() went backwards while the task ran: {reported}", PERCENT_HINT)
    if not any(0 < value < 100 for value in reported):
        raise NotYet(
            "percent_done() never showed the task part way, although the task reported it", PERCENT_HINT
        )
    return (
        "import_contacts created 8 contacts in a real worker, reporting 0 of 8 before the first one, and "
        "percent_done() followed it part way through to 100%."
    )
