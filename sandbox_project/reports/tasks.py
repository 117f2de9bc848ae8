"""Report rebuilds: slow, repeatable work that should not run twice at once, nor for ever.

Each section a rebuild writes is a `ReportSection` row, so a lesson can count how many
times a rebuild ran and how far each run got.
"""

import time

from django.tasks import task

from .deadlines import Deadline
from .models import ReportSection
from .unique import release_key

# How long the "bank" takes to answer in a section that hangs: far longer than any lesson.
HANG_SECONDS = 3600


def write_sections(context, account_id, sections, seconds, deadline=None, hang_at=None):
    """Write the report's sections one by one; returns how many were written."""
    for number in range(1, sections + 1):
        if deadline is not None:
            deadline.check(f"{number - 1} of {sections} sections written")
        time.sleep(HANG_SECONDS if number == hang_at else seconds)
        ReportSection.objects.create(account_id=account_id, task_id=context.task_result.id, number=number)
    return sections


@task(takes_context=True)
def rebuild_report(context, account_id, sections=3, seconds=0.2):
    """Rebuild the report of one account, one section at a time."""
    return write_sections(context, account_id, sections, seconds)


@task(takes_context=True)
def rebuild_report_once(context, account_id, sections=3, seconds=0.2):
    """`rebuild_report` for a task enqueued with a unique key: it releases the key when it ends,
    whether it succeeded or raised."""
    try:
        return write_sections(context, account_id, sections, seconds)
    finally:
        release_key(context.task_result.id)


@task(takes_context=True)
def rebuild_from_bank(context, account_id, sections=5, seconds=0.2, limit=None, hang_at=None):
    """Rebuild a report from bank statements, giving up between sections once `limit` seconds
    have passed. Section `hang_at` waits for a bank that never answers."""
    deadline = Deadline(limit) if limit is not None else None
    return write_sections(context, account_id, sections, seconds, deadline, hang_at)
