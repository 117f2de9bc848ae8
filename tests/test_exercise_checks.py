"""The checkers answer common mistakes with what is wrong and a hint, never a traceback.

The solutions passing and the untouched exercises failing are proved by the notebooks themselves
(see test_exercises.py); these are the mistakes in between, each run for real.
"""

import re
import shutil
import sys
import textwrap
import uuid

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.tasks import default_task_backend, task
from django.test import TestCase, override_settings

from tasklab.exercises import cellmodule
from tasklab.exercises.checks import (
    first_task,
    images_queue,
    on_commit,
    progress,
    retry,
    run_once,
    stuck,
    view_test,
)
from tasklab.exercises.feedback import Steps, verdict


@pytest.fixture
def learner(monkeypatch):
    """Write a learner's `%%module` cell: `learner(source)` returns the module."""
    lab = cellmodule.VAR_DIR / "notebooks" / f"test-{uuid.uuid4().hex[:8]}"
    directory = cellmodule.code_dir(lab)
    directory.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(directory))
    monkeypatch.setenv("PYTHONPATH", str(directory))
    names = []

    def write(source):
        names.append(f"learner_{uuid.uuid4().hex[:8]}")
        return cellmodule.write_module(directory, names[-1], textwrap.dedent(source))

    yield write
    for name in names:
        sys.modules.pop(name, None)
    shutil.rmtree(lab, ignore_errors=True)


def not_yet(checker, *args):
    """The first "Not yet" a learner would see for this mistake: it must not give the answer away."""
    passed, message = verdict(checker.check, *args)
    assert not passed and message.startswith("Not yet: ") and "\nHint: " in message, message
    assert "Traceback" not in message
    answers = [value.answer for value in vars(checker).values() if isinstance(value, Steps)]
    assert not any(answer in message for answer in answers), message
    return message


def test_a_plain_function_is_not_a_task():
    def count_words(text):
        return len(text.split())

    assert "`count_words` is a plain function, not a task" in not_yet(first_task, count_words)


def test_a_task_defined_in_the_notebook_cannot_reach_a_worker():
    def count_words(text):
        return len(text.split())

    count_words.__module__, count_words.__qualname__ = "__main__", "count_words"  # as in a notebook cell
    message = not_yet(first_task, task(count_words))
    assert "defined in the notebook itself" in message and "%%module words" in message


def test_a_wrong_answer_names_the_input(transactional_db, learner):
    words = learner("""
        from django.tasks import task

        @task
        def count_words(text):
            return len(text.split(" "))
    """)
    assert "count_words('') returned 1, but that text has 0 words" in not_yet(first_task, words.count_words)


def test_a_worker_on_the_wrong_queue_is_caught_before_anyone_waits(learner):
    from tasklab import Worker

    previews = learner("""
        from django.tasks import task

        @task(queue_name="images")
        def make_preview(user_id):
            return [1, 1]
    """)
    message = not_yet(images_queue, previews.make_preview, lambda: Worker(queues=["default"]))
    assert "your worker serves ['default'], so make_preview would wait on `images` forever" in message


def _signup_enqueuing(where):
    from accounts.forms import RegistrationForm
    from accounts.tasks import send_welcome_email

    def signup(request):
        form = RegistrationForm(request.POST)
        form.is_valid()
        with transaction.atomic():
            user = form.save()
            if where == "inside":
                send_welcome_email.enqueue(user_email=user.email, username=user.username)
        if where == "after":
            send_welcome_email.enqueue(user_email=user.email, username=user.username)
        return HttpResponse("Welcome aboard!")

    return signup


def test_enqueuing_inside_the_atomic_block_is_named_as_the_views_own_transaction(transactional_db):
    message = not_yet(on_commit, _signup_enqueuing("inside"))
    assert (
        "enqueued the welcome email inside its own `transaction.atomic()` block, before anything was committed"
        in message
    )
    assert "Hint: lesson 5" in message


def test_enqueuing_after_the_atomic_block_is_named_as_the_callers_transaction(transactional_db):
    message = not_yet(on_commit, _signup_enqueuing("after"))
    assert "after its own `with` block, but the caller's transaction (here the check's" in message
    assert "its own `transaction.atomic()` block" not in message
    assert "Hint: lesson 5" in message


DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": []}}


def test_a_view_test_without_on_commit_callbacks_fails_on_the_real_view(transactional_db):
    @override_settings(TASKS=DUMMY)
    class Tests(TestCase):
        def test_it(self):
            self.client.post("/password-reset/", {"email": "ada@example.com"})
            self.assertEqual(len(default_task_backend.results), 1)

    message = not_yet(view_test, Tests)
    assert "your test fails against the correct view, with AssertionError: 0 != 1" in message
    assert "Hint: lesson 5" in message


def test_a_view_test_that_cannot_fail_is_caught(transactional_db):
    @override_settings(TASKS=DUMMY)
    class Tests(TestCase):
        def test_it(self):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post("/password-reset/", {"email": "ada@example.com"})
            self.assertEqual(response.status_code, 200)

    assert "also passes against a broken view that never enqueues anything" in not_yet(view_test, Tests)


def test_a_retry_without_backoff(transactional_db, learner):
    rates = learner("""
        from django.tasks import task
        from tasklab.exercises.services import ServiceUnavailable, fetch_rate

        @task
        def update_rate(currency, attempt=1):
            try:
                return fetch_rate(currency)
            except ServiceUnavailable:
                if attempt < 4:
                    update_rate.enqueue(currency, attempt=attempt + 1)
                raise
    """)
    # How soon it was allowed to run is measured: about 0.0 s, more on a busy machine.
    assert re.search(
        r"attempt 2 was allowed to run \d+\.\d s after attempt 1 started, not at least 0\.5 s later",
        not_yet(retry, rates.update_rate),
    )


def test_a_recent_running_task_is_not_stuck(transactional_db):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def find_stuck(older_than):
        return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)

    assert "returned a task that started a few seconds ago" in not_yet(stuck, find_stuck, lambda s: None)


def test_a_view_test_that_never_checks_the_tasks_name_is_caught(transactional_db):
    """The arguments alone cannot tell send_password_reset from another email task given the same address."""

    @override_settings(TASKS=DUMMY)
    class Tests(TestCase):
        def test_it(self):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post("/password-reset/", {"email": "ada@example.com"})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(default_task_backend.results), 1)
            self.assertEqual(default_task_backend.results[0].args, ["ada@example.com"])

    message = not_yet(view_test, Tests)
    assert "also passes against a broken view that enqueues another email task" in message
    assert "each stored result knows its task" in message


def test_a_task_that_does_not_report_zero_done_is_caught(transactional_db, learner):
    contacts = learner("""
        from django.tasks import task

        from accounts.progress import report_progress
        from tasklab.exercises.services import create_contact

        @task(takes_context=True)
        def import_contacts(context, emails):
            for done, email in enumerate(emails, start=1):
                create_contact(email)
                report_progress(context, done, len(emails))
            return len(emails)
    """)

    def percent_done(task_id):
        from accounts.progress import progress_of

        row = progress_of(task_id)
        return None if row is None else row.percent

    message = not_yet(progress, contacts.import_contacts, percent_done)
    assert "the task reported nothing before its first contact" in message
    assert 'instead of "0 of 8"' in message


def test_set_failed_given_a_message_says_it_takes_an_exception(transactional_db):
    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def find_stuck(older_than):
        return DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
        )

    def recover(stuck):
        stuck.set_failed("worker died")
        return stuck.task.enqueue(*stuck.args_kwargs["args"], **stuck.args_kwargs["kwargs"])

    message = not_yet(stuck, find_stuck, recover)
    assert "`stuck.set_failed()` raised TypeError" in message
    assert "it takes an exception object" in message


def test_a_thumbnail_saved_without_its_folder_hints_at_the_folder(transactional_db, learner):
    """The baseline trial's mistake: the generic "fix that line" did not say what was missing."""
    from tasklab.exercises.checks import thumbnail

    avatars = learner("""
        from django.contrib.auth.models import User
        from django.tasks import task
        from PIL import Image

        from tasklab.exercises.services import avatar_path, thumbnail_path


        @task
        def make_thumbnail(user_id):
            user = User.objects.get(pk=user_id)
            with Image.open(avatar_path(user.username)) as image:
                image.thumbnail((64, 64))
                image.save(thumbnail_path(user.username))
            return list(image.size)
    """)

    def welcome_new_user(user):
        return avatars.make_thumbnail.enqueue(user.pk)

    message = not_yet(thumbnail, avatars.make_thumbnail, welcome_new_user)
    assert "FileNotFoundError" in message and "the folder it goes in, does not exist" in message


def test_a_correct_retry_passes_again_when_checked_twice(transactional_db, learner):
    """The final trial's finding: a second check() in the same lab counted the first one's attempts
    and said the task never gives up."""
    rates = learner("""
        from datetime import timedelta

        from django.tasks import task
        from django.utils import timezone

        from tasklab.exercises.services import ServiceUnavailable, fetch_rate

        MAX_ATTEMPTS = 4
        FIRST_DELAY = 0.5


        @task
        def update_rate(currency, attempt=1):
            try:
                return fetch_rate(currency)
            except ServiceUnavailable:
                if attempt < MAX_ATTEMPTS:
                    delay = timedelta(seconds=FIRST_DELAY * 2 ** (attempt - 1))
                    update_rate.using(run_after=timezone.now() + delay).enqueue(currency, attempt=attempt + 1)
                raise
    """)
    for _ in range(2):
        passed, message = verdict(retry.check, rates.update_rate)
        assert passed, message


DAILY_REPORT = """
    from django.tasks import task

    from reports.models import JobRun
    from tasklab.exercises.services import send_report


    @task
    def send_daily_report(day):
        {guard}
        send_report(day)
        return "sent"
"""


def daily_report(learner, guard):
    """The exercise's task with `guard` (lines of code) where the learner writes theirs."""
    guard = textwrap.indent(textwrap.dedent(guard).strip(), " " * 4).lstrip()
    return learner(textwrap.dedent(DAILY_REPORT).replace("{guard}", guard)).send_daily_report


def test_a_periodic_job_that_claims_its_tick_passes_twice_in_a_row(transactional_db, learner):
    task_ = daily_report(
        learner,
        """
        _, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick=day)
        if not claimed:
            return "already sent"
        """,
    )
    for _ in range(2):
        passed, message = verdict(run_once.check, task_)
        assert passed, message


def test_a_periodic_job_without_a_guard_sends_twice(transactional_db, learner):
    message = not_yet(run_once, daily_report(learner, "pass"))
    assert "a second copy for 2026-12-01, run after the first had finished, sent the report again" in message
    assert "lesson 20" in message


def test_a_periodic_job_with_a_check_then_act_guard_lets_two_workers_through(transactional_db, learner):
    task_ = daily_report(
        learner,
        """
        if JobRun.objects.filter(job="send_daily_report", tick=day).exists():
            return "already sent"
        send_report(day)
        JobRun.objects.create(job="send_daily_report", tick=day)
        return "sent"
        """,
    )
    message = not_yet(run_once, task_)
    assert "run by two workers at the same time, both sent the report: it went out 2 times" in message


def test_a_periodic_job_keyed_on_the_job_alone_never_runs_a_later_day(transactional_db, learner):
    task_ = daily_report(
        learner,
        """
        _, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick="daily")
        if not claimed:
            return "already sent"
        """,
    )
    assert "the report for 2026-12-02 was never sent, a later day than 2026-12-01" in not_yet(run_once, task_)


def test_a_periodic_job_keyed_on_each_copy_lets_every_copy_through(transactional_db, learner):
    task_ = daily_report(
        learner,
        """
        import uuid  # a new key for every copy, as the task result's id would be

        _, claimed = JobRun.objects.get_or_create(job="send_daily_report", tick=str(uuid.uuid4()))
        if not claimed:
            return "already sent"
        """,
    )
    assert "sent the report again: it went out 2 times" in not_yet(run_once, task_)


def test_a_periodic_job_whose_duplicate_raises_integrity_error_is_named(transactional_db, learner):
    task_ = daily_report(learner, 'JobRun.objects.create(job="send_daily_report", tick=day)')
    assert "failed with IntegrityError: the report went out once" in not_yet(run_once, task_)
