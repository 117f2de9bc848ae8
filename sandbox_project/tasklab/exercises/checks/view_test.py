"""Exercise 6: a test that proves a view enqueued its task, and fails when it does not.

The learner's TestCase runs three times: against the real view, where it must pass, and
against broken copies of it, where it must fail. A test that cannot fail proves nothing.
"""

import unittest
from types import ModuleType

from django.db import transaction
from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import path

from accounts.tasks import send_password_reset, send_welcome_email

from ..feedback import TODO_HINT, NotYet, describe_traceback
from ..views import password_reset

QUEUES_HINT = (
    "the task goes to the `emails` queue, and your test's TASKS setting accepts only `default`: "
    "give it `\"QUEUES\": []` (any queue) or the sandbox's list."
)
ARGS_HINT = "arguments come back from JSON: `result.args` is a list, `[\"ada@example.com\"]`, never a tuple."
ON_COMMIT_HINT = (
    "a TestCase never commits, so the view's `transaction.on_commit` callback never runs on its own: "
    "send the request inside `with self.captureOnCommitCallbacks(execute=True):`."
)


def _hint_for(failure):
    if "is not valid for backend" in failure:
        return QUEUES_HINT
    if "!= (" in failure or "tuple" in failure:
        return ARGS_HINT
    return ON_COMMIT_HINT


def _forgets(request):
    return HttpResponse("If that address has an account, a reset link is on its way.")


def _wrong_task(request):
    email = request.POST["email"]
    transaction.on_commit(lambda: send_welcome_email.enqueue(user_email=email, username=email))
    return _forgets(request)


def _wrong_address(request):
    transaction.on_commit(lambda: send_password_reset.enqueue("noreply@taskdemo.com"))
    return _forgets(request)


BROKEN = [
    (_forgets, "never enqueues anything", "assert that exactly one task was enqueued."),
    (_wrong_task, "enqueues the welcome email instead", "assert which task was enqueued: `result.task.name`."),
    (_wrong_address, "sends the reset email to the wrong address",
     "assert the task's arguments too: `result.args` (a list, as stored in JSON)."),
]


def _run(test_class, view):
    """Run the learner's tests with `view` answering /password-reset/; returns unittest's result."""
    urls = ModuleType("password_reset_urls")  # a ROOT_URLCONF may be a module object
    urls.urlpatterns = [path("password-reset/", view)]
    outcome = unittest.TestResult()
    with override_settings(ROOT_URLCONF=urls):
        unittest.defaultTestLoader.loadTestsFromTestCase(test_class).run(outcome)
    return outcome


def check(test_class):
    if not (isinstance(test_class, type) and issubclass(test_class, TestCase)):
        raise NotYet(f"{test_class!r} is not a TestCase class", "pass the class itself: check(PasswordResetTests).")
    if unittest.defaultTestLoader.loadTestsFromTestCase(test_class).countTestCases() == 0:
        raise NotYet("your class has no tests", "a test is a method whose name starts with `test_`.")

    outcome = _run(test_class, password_reset)
    problems = outcome.errors + outcome.failures
    if problems:
        text = problems[0][1]
        if "NotImplementedError" in text.strip().splitlines()[-1]:
            raise NotYet("your test is not written yet: it still raises NotImplementedError", TODO_HINT)
        failure = describe_traceback(text)
        raise NotYet(f"your test fails against the correct view, with {failure}", _hint_for(failure))

    for view, broken, hint in BROKEN:
        outcome = _run(test_class, view)
        if outcome.wasSuccessful():
            raise NotYet(f"your test also passes against a broken view that {broken}, so it would not catch that bug", hint)
    return (
        "your test passes against the real view, and fails against each broken one "
        "(no task, the wrong task, the wrong address)."
    )
