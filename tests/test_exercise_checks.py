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
    minimal_backend,
    on_commit,
    progress,
    rate_limit,
    retry,
    run_once,
    stuck,
    unique_task,
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


GEOCODING = """
    import time
    from datetime import UTC, datetime

    from coordination.models import RateWindow
    from django.db.models import F
    from django.tasks import task

    from tasklab.exercises.services import geocode

    LIMIT = 4
    calls_here = {}  # only this worker's calls


    def shared_slot():
        second = int(time.time())
        RateWindow.objects.bulk_create([RateWindow(name="geocoder", second=second)], ignore_conflicts=True)
        taken = RateWindow.objects.filter(name="geocoder", second=second, calls__lt=LIMIT).update(calls=F("calls") + 1)
        return taken == 1 and int(time.time()) == second


    def slot_in_this_worker():
        second = int(time.time())
        calls_here[second] = calls_here.get(second, 0) + 1
        return calls_here[second] <= LIMIT


    def come_back_next_second(address):
        locate.using(run_after=datetime.fromtimestamp(int(time.time()) + 1, tz=UTC)).enqueue(address)


    @task
    def locate(address):
        if not TAKE_SLOT():
            OVER_THE_LIMIT
            return None
        return geocode(address)
"""


def _geocoding(learner, take_slot, over_the_limit):
    return learner(GEOCODING.replace("TAKE_SLOT", take_slot).replace("OVER_THE_LIMIT", over_the_limit)).locate


def test_a_limit_counted_in_each_worker_is_caught(transactional_db, learner):
    locate = _geocoding(learner, "slot_in_this_worker", "come_back_next_second(address)")
    message = not_yet(rate_limit, locate)
    assert re.search(
        r"one second of the clock received \d+ calls from [23] workers, each of which kept to 4", message
    )
    assert "Hint: lesson 23 (a count that every worker shares)" in message


def test_a_limit_that_drops_the_tasks_over_it_is_caught(transactional_db, learner):
    locate = _geocoding(learner, "shared_slot", "pass")
    message = not_yet(rate_limit, locate)
    assert re.search(r"\d+ of the 16 addresses were never geocoded", message)
    assert "Hint: lesson 23 (over the limit: wait, or come back later?)" in message


def test_a_shared_limit_that_comes_back_later_passes(transactional_db, learner):
    locate = _geocoding(learner, "shared_slot", "come_back_next_second(address)")
    passed, message = verdict(rate_limit.check, locate)
    assert passed, message


UNIQUE_TASK = """
    from django.db import IntegrityError, transaction
    from django.tasks import task
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reports.models import TaskKey
    from tasklab.exercises.report_service import build_report


    @task(takes_context=True)
    def rebuild_report(context, account_id):
        {task_body}


    def request_rebuild(account_id):
        {request_body}
"""
RELEASED = """try:
            build_report(account_id, context.task_result.id)
        finally:
            TaskKey.objects.filter(task_id=context.task_result.id).update(released_at=timezone.now())"""
KEYED = """try:
            with transaction.atomic():
                result = rebuild_report.enqueue(account_id)
                TaskKey.objects.create(key=f"report:{account_id}", task_id=result.id)
        except IntegrityError:
            return None
        return result"""


def _unique_task(learner, task_body=RELEASED, request_body=KEYED):
    module = learner(UNIQUE_TASK.format(task_body=task_body, request_body=request_body))
    return module.rebuild_report, module.request_rebuild


def test_a_unique_task_with_its_key_released_passes(transactional_db, learner):
    passed, message = verdict(unique_task.check, *_unique_task(learner))
    assert passed, message


def test_a_key_never_released_is_caught(transactional_db, learner):
    never_released = "build_report(account_id, context.task_result.id)"
    message = not_yet(unique_task, *_unique_task(learner, task_body=never_released))
    assert "a new request was still refused: the key is never released" in message
    assert "Hint: lesson 22" in message


def test_a_check_outside_a_transaction_lets_two_simultaneous_requests_through(transactional_db, learner):
    check_first = """pending = DBTaskResult.objects.filter(
            task_path=rebuild_report.module_path, status__in=["READY", "RUNNING"], args_kwargs__args=[account_id]
        )
        if pending.exists():
            return None
        return rebuild_report.enqueue(account_id)"""
    message = not_yet(unique_task, *_unique_task(learner, request_body=check_first))
    assert "two requests made at the same moment stored 2 tasks" in message
    assert "Hint: lesson 22" in message


# -- exercise 12: a minimal backend -------------------------------------------------------

BACKEND = """
    from traceback import format_exception

    from django.tasks import TaskResult, TaskResultStatus
    from django.tasks.backends.base import BaseTaskBackend
    from django.tasks.base import TaskError
    from django.tasks.exceptions import TaskResultDoesNotExist
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django.utils.json import normalize_json

    RESULTS = {}


    class RunAndKeepBackend(BaseTaskBackend):
        supports_get_result = True

        def __init__(self, alias, params):
            super().__init__(alias, params)
            self.results = {}

        def enqueue(self, task, args, kwargs):
            self.validate_task(task)
            result = TaskResult(
                task=task, id=get_random_string(32), status=TaskResultStatus.READY, enqueued_at=timezone.now(),
                started_at=None, last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs,
                backend=self.alias, errors=[], worker_ids=[],
            )
            try:
                value = task.call(*result.args, **result.kwargs)
            except Exception as error:
                result.errors.append(TaskError(
                    exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
                    traceback="".join(format_exception(error)),
                ))
                object.__setattr__(result, "status", TaskResultStatus.FAILED)
            else:
                object.__setattr__(result, "_return_value", normalize_json(value))
                object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
            RESULTS[result.id] = result
            return result

        def get_result(self, result_id):
            try:
                return RESULTS[result_id]
            except KeyError:
                raise TaskResultDoesNotExist(result_id) from None
"""


def backend(learner, *changes):
    """The learner's backend module: the correct one, with each (old, new) replacement made."""
    source = textwrap.dedent(BACKEND)
    for old, new in changes:
        assert old in source, old
        source = source.replace(old, new)
    return learner(source).RunAndKeepBackend


def test_a_correct_minimal_backend_passes(learner):
    passed, message = verdict(minimal_backend.check, backend(learner))
    assert passed, message


def test_a_backend_that_never_sets_the_status_is_caught(learner):
    forgets = backend(learner, ('object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)', "pass"))
    message = not_yet(minimal_backend, forgets)
    assert "returned a result whose status is READY, not SUCCESSFUL" in message
    assert "Hint: lesson 24" in message


def test_a_backend_that_lets_the_tasks_exception_out_is_caught(learner):
    lets_out = backend(learner, ("except Exception as error:", "except ValueError as error:"))
    assert "let the task's RuntimeError out of `enqueue()`" in not_yet(minimal_backend, lets_out)


def test_supports_get_result_left_false_is_caught(learner):
    silent = backend(learner, ("supports_get_result = True", "supports_get_result = False"))
    assert "`RunAndKeepBackend.supports_get_result` is False" in not_yet(minimal_backend, silent)


def test_results_kept_on_the_backend_object_are_not_found_from_another_thread(learner):
    on_self = backend(
        learner,
        ("RESULTS[result.id] = result", "self.results[result.id] = result"),
        ("return RESULTS[result_id]", "return self.results[result_id]"),
    )
    message = not_yet(minimal_backend, on_self)
    assert "a result enqueued in another thread (another request) was not found" in message
    assert "one backend object per thread" in message


def test_get_result_raising_key_error_for_an_unknown_id_is_caught(learner):
    key_error = backend(learner, ("raise TaskResultDoesNotExist(result_id) from None", "raise"))
    message = not_yet(minimal_backend, key_error)
    assert "`get_result('no-such-id')` raised KeyError: 'no-such-id'" in message
    assert "not TaskResultDoesNotExist" in message


def test_a_backend_defined_in_the_notebook_cannot_be_named_in_tasks():
    from django.tasks.backends.immediate import ImmediateBackend

    class InTheNotebook(ImmediateBackend):
        pass

    InTheNotebook.__module__ = "__main__"
    assert "defined in the notebook itself" in not_yet(minimal_backend, InTheNotebook)


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
