"""Exercise 6: a test that proves a view enqueued its task, and fails when it does not.

The learner's TestCase runs three times: against the real view, where it must pass, and
against broken copies of it, where it must fail. A test that cannot fail proves nothing.
"""

import unittest
from types import ModuleType

from django.db import transaction
from django.http import HttpResponse
from django.tasks import task
from django.test import TestCase, override_settings
from django.urls import path

from accounts.tasks import send_password_reset

from ..feedback import TODO_HINT, NotYet, Steps, describe_traceback
from ..views import password_reset

QUEUES_HINT = (
    "the task goes to the `emails` queue, and your test's TASKS setting accepts only `default`: "
    'give it `"QUEUES": []` (any queue) or the sandbox\'s list.'
)
ARGS_HINT = Steps(
    lesson="lesson 3 (a task's arguments are stored as JSON); lesson 10 shows what changes on the way.",
    closer="`result.args` comes back from JSON, so it is a list, never a tuple: compare it with a list.",
    answer='`self.assertEqual(result.args, ["ada@example.com"])`.',
)
ON_COMMIT_HINT = Steps(
    lesson="lesson 5 (a view inside an outer transaction: `on_commit` waits for its commit); lesson 14 shows the same trap in a test file.",
    closer="a TestCase never commits, so the view's `transaction.on_commit` callback never runs on its own: "
    "a TestCase method runs the callbacks of the requests made inside its `with` block.",
    answer="send the request inside `with self.captureOnCommitCallbacks(execute=True):`.",
)
COUNT_HINT = Steps(
    lesson="lesson 4 (`DummyBackend` keeps what was enqueued in `results`): a test can count it; lesson 14 goes further.",
    closer="after the request, `default_task_backend.results` lists what was enqueued: assert how many there are.",
    answer="`self.assertEqual(len(default_task_backend.results), 1)`.",
)
NAME_HINT = Steps(
    lesson="lesson 4 (`DummyBackend`'s `results`): each stored result knows its task; lesson 14 goes further.",
    closer="a result's `task` is the task that was enqueued, and `task.name` its function's name: assert it.",
    answer='`self.assertEqual(result.task.name, "send_password_reset")`.',
)
ARGUMENTS_HINT = Steps(
    lesson="lesson 4 (`DummyBackend`'s `results`): each stored result keeps its arguments; lesson 14 goes further.",
    closer="assert the task's positional arguments too: `result.args`, a list, as stored in JSON.",
    answer='`self.assertEqual(result.args, ["ada@example.com"])`.',
)


@task(queue_name="emails")
def send_login_alert(user_email):
    """Another email task, with the same argument and queue as `send_password_reset`: what a broken
    view enqueues by mistake. Only the task's name tells the two apart."""


def _hint_for(failure):
    if "is not valid for backend" in failure:
        return QUEUES_HINT
    if "!= (" in failure or "tuple" in failure:
        return ARGS_HINT
    if "0 != 1" in failure or "IndexError" in failure:
        return ON_COMMIT_HINT  # nothing was enqueued, as far as the test could see
    return (
        "the view above is right, so this assertion expects something that it does not do: compare what the "
        "assertion named above expects with the view's code."
    )


def _forgets(request):
    return HttpResponse("If that address has an account, a reset link is on its way.")


def _wrong_task(request):
    email = request.POST["email"]
    transaction.on_commit(lambda: send_login_alert.enqueue(email))
    return _forgets(request)


def _wrong_address(request):
    transaction.on_commit(lambda: send_password_reset.enqueue("noreply@taskdemo.com"))
    return _forgets(request)


BROKEN = [
    (_forgets, "never enqueues anything", COUNT_HINT),
    (_wrong_task, "enqueues another email task (with the same address, on the same queue)", NAME_HINT),
    (_wrong_address, "sends the reset email to the wrong address", ARGUMENTS_HINT),
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
        raise NotYet(
            f"{test_class!r} is not a TestCase class", "pass the class itself: check(PasswordResetTests)."
        )
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
            raise NotYet(
                f"your test also passes against a broken view that {broken}, so it would not catch that bug",
                hint,
            )
    return (
        "your test passes against the real view, and fails against each broken one "
        "(no task, the wrong task, the wrong address)."
    )
