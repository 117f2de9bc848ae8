"""The chaos soak (`make chaos`, lesson 11), short: many faults at once, and nothing lost.

About 25 s of chaos on PostgreSQL: 4 real workers, one killed with SIGKILL and one stopped
with SIGTERM mid-task at random intervals, 20 status-page clients, the recovery sweep every
2 s. The report counts from the database and the logs; these tests check that the faults
really happened, then that nothing was lost or duplicated. No test here asserts a time.
"""

import pytest

from system_packages import postgres_bindir
from tasklab import chaos

SEED = 2


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    postgres_bindir()  # a clear message when PostgreSQL is not installed
    return chaos.soak(25, seed=SEED, folder=tmp_path_factory.mktemp("chaos"))


def test_the_faults_really_happened(report):
    assert report.sigkills_mid_task >= 1, report
    assert report.sigterms_mid_task >= 1, report
    assert report.sweeps >= 1 and report.recovered >= 1, report
    assert report.failed_worker_lost == report.recovered  # each killed task: failed, and a copy
    assert report.retries_enqueued >= 1 and report.failed_for_good >= 1, report
    assert report.registrations >= 1 and report.status_requests >= 1, report


def test_nothing_was_lost_or_duplicated(report):
    assert report.left == 0, report
    assert report.drained, report
    assert report.never_applied == 0 and report.emails_never_sent == 0, report
    assert report.applied_more_than_once == 0, report
    assert report.failed_unexpected == {}, report
    assert report.problems() == [], report


def test_the_status_page_never_erred(report):
    assert report.status_errors == [] and report.registration_errors == [], report


def test_the_report_says_so_in_plain_words(report):
    assert report.verdict().splitlines() == [
        "still READY/RUNNING: 0",
        "applied more than once: 0",
        "status-page errors: 0",
        "workers killed mid-task: True | stopped mid-task: True | tasks recovered: True",
        "OK: nothing lost, nothing duplicated.",
    ]
    assert f"Chaos soak, seed {SEED}:" in str(report)
    assert str(report).endswith("Nothing lost, nothing duplicated.")
