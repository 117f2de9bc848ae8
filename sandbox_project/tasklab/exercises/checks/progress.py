"""Exercise 4: a long task reports its progress, and `percent_done()` shows it while it runs."""

import time
import uuid

from django.contrib.auth.models import User

from accounts.progress import progress_of

from ...worker import Worker
from ..feedback import NotYet, call
from ..running import TIMEOUT, require_success, require_task

EMAILS = [f"contact{n}@example.com" for n in range(1, 9)]
TASK_HINT = "report after each contact: `report_progress(context, done, len(emails))`."
PERCENT_HINT = "read the row with `progress_of(task_id)`; it has `done`, `total` and `percent`."


def _percent(percent_done, task_id):
    value = call(percent_done, task_id, what="percent_done(task_id)", hint=PERCENT_HINT)
    if value is not None and not (isinstance(value, int) and 0 <= value <= 100):
        raise NotYet(f"percent_done() returned {value!r}, not a whole number from 0 to 100 (or None)", PERCENT_HINT)
    return value


def _follow(result, percent_done):
    """Poll while a worker runs the task: the progress rows seen, and percent_done()'s answers.

    An error from percent_done() is kept for later, so that the task (TODO 1) is judged first.
    """
    rows, percents, error = [], [], None
    with Worker():
        deadline = time.monotonic() + TIMEOUT
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
    return rows, percents, error


def check(import_contacts, percent_done):
    require_task(import_contacts, "import_contacts", "contacts")
    if not import_contacts.takes_context:
        raise NotYet(
            "import_contacts does not receive its context, so it cannot say which task's progress it reports",
            "declare it with `@task(takes_context=True)` and a first parameter named `context`.",
        )
    User.objects.filter(email__in=EMAILS).delete()
    result = import_contacts.enqueue(EMAILS)
    rows, percents, error = _follow(result, percent_done)
    if not result.is_finished:
        raise NotYet(f"import_contacts did not finish within {TIMEOUT} s", TASK_HINT)

    # TODO 1: the task.
    require_success(result, "import_contacts", TASK_HINT)
    created = User.objects.filter(email__in=EMAILS).count()
    if created != len(EMAILS):
        raise NotYet(f"the task created {created} contacts out of {len(EMAILS)}", "call `create_contact(email)` for each address.")
    if result.return_value != len(EMAILS):
        raise NotYet(f"the task returned {result.return_value!r}, not how many contacts it created", "return `len(emails)`.")
    final = progress_of(result.id)
    if final is None:
        raise NotYet("the task never reported any progress", TASK_HINT)
    if (final.done, final.total) != (len(EMAILS), len(EMAILS)):
        raise NotYet(f"the task finished, but its last report says {final.done} of {final.total}", TASK_HINT)
    if not any(row and 0 < row[0] < row[1] for row in rows):
        raise NotYet(
            "while the task ran, its progress never showed it part way: a page polling it would jump "
            "from nothing to done",
            TASK_HINT,
        )

    # TODO 2: reading it back.
    if error is not None:
        raise error
    if _percent(percent_done, str(uuid.uuid4())) is not None:
        raise NotYet("percent_done() of a task that never reported progress is not None", PERCENT_HINT)
    if _percent(percent_done, result.id) != 100:
        raise NotYet(f"the task is done, but percent_done() says {_percent(percent_done, result.id)!r}, not 100", PERCENT_HINT)
    reported = [value for value in percents if value is not None]
    if any(later < earlier for earlier, later in zip(reported, reported[1:])):
        raise NotYet(f"percent_done() went backwards while the task ran: {reported}", PERCENT_HINT)
    if not any(0 < value < 100 for value in reported):
        raise NotYet("percent_done() never showed the task part way, although the task reported it", PERCENT_HINT)
    return "import_contacts created 8 contacts in a real worker, and percent_done() followed it part way through to 100%."
