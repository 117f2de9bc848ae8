"""Exercise 10's pretend report builder: counted per run, and held on demand by the check.

State lives in files of the current lab (see `services`): the build runs in a worker, the
check in the kernel.
"""

import time

from .services import lab_dir

BUILD_SECONDS = 0.2
HOLD_SECONDS = 30  # the longest a held build waits for the check (which never takes so long)


def _hold():
    return lab_dir() / "reports-hold"


def hold_builds():
    """Make every `build_report()` wait until `release_builds()`: the check can ask again while a
    rebuild is RUNNING, however slow the machine is."""
    _hold().touch()


def release_builds():
    _hold().unlink(missing_ok=True)


def build_report(account_id, task_id):
    """Build one account's report; records one `ReportSection` per run."""
    from reports.models import ReportSection

    deadline = time.monotonic() + HOLD_SECONDS
    while _hold().exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(BUILD_SECONDS)
    ReportSection.objects.create(account_id=account_id, task_id=task_id, number=1)


def runs_of(account_id):
    """How many times a report of this account was built."""
    from reports.models import ReportSection

    return ReportSection.objects.filter(account_id=account_id).count()
