"""The checkers answer common mistakes with what is wrong and a hint, never a traceback.

The solutions passing and the untouched exercises failing are proved by the notebooks themselves
(see test_exercises.py); these are the mistakes in between, each run for real.
"""

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
from tasklab.exercises.checks import first_task, images_queue, on_commit, retry, stuck, view_test
from tasklab.exercises.feedback import verdict


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
    passed, message = verdict(checker.check, *args)
    assert not passed and message.startswith("Not yet: ") and "\nHint: " in message, message
    assert "Traceback" not in message
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


def test_enqueuing_after_the_atomic_block_is_still_inside_the_callers_transaction(transactional_db):
    from accounts.forms import RegistrationForm
    from accounts.tasks import send_welcome_email

    def signup(request):
        form = RegistrationForm(request.POST)
        form.is_valid()
        with transaction.atomic():
            user = form.save()
        send_welcome_email.enqueue(user_email=user.email, username=user.username)
        return HttpResponse("Welcome aboard!")

    message = not_yet(on_commit, signup)
    assert "enqueued the welcome email while its transaction was still open" in message
    assert "transaction.on_commit(lambda:" in message


DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": []}}


def test_a_view_test_without_on_commit_callbacks_fails_on_the_real_view(transactional_db):
    @override_settings(TASKS=DUMMY)
    class Tests(TestCase):
        def test_it(self):
            self.client.post("/password-reset/", {"email": "ada@example.com"})
            self.assertEqual(len(default_task_backend.results), 1)

    message = not_yet(view_test, Tests)
    assert "your test fails against the correct view, with AssertionError: 0 != 1" in message
    assert "captureOnCommitCallbacks(execute=True)" in message


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
    assert "attempt 2 was allowed to run 0.0 s after attempt 1 started" in not_yet(retry, rates.update_rate)


def test_a_recent_running_task_is_not_stuck(transactional_db):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def find_stuck(older_than):
        return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)

    assert "returned a task that started a few seconds ago" in not_yet(stuck, find_stuck, lambda s: None)
