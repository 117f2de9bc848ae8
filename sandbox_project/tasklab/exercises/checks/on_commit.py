"""Exercise 5: a view enqueues its task only once its transaction has committed."""

from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from django.tasks.signals import task_enqueued
from django.test import RequestFactory

from ..feedback import NotYet, Steps, call
from ..running import require_success, run_in_worker

FORM = {"username": "lin", "email": "lin@example.com", "password": "a-long-sign-up-passphrase"}
THE_LINE = "`transaction.on_commit(lambda: send_welcome_email.enqueue(user_email=user.email, username=user.username))`"
ON_COMMIT_HINT = Steps(
    lesson="lesson 5 (why the enqueue waits for the commit: `transaction.on_commit()`); lesson 10 goes further.",
    closer="hand `transaction.on_commit()` a function that enqueues: Django calls it once the transaction has "
    "committed, and never if it is rolled back.",
    answer=f"{THE_LINE}, in place of the line that enqueues.",
)
CALLERS_HINT = Steps(
    lesson="lesson 5 (`transaction.on_commit()`, and the view inside an outer transaction): a transaction can be open around your whole view "
    "(lesson 14 shows one: a TestCase's).",
    closer="below your `with` block, your own transaction has committed, but not the caller's. Only "
    "`transaction.on_commit()` waits for the outermost commit: hand it a function that enqueues.",
    answer=f"{THE_LINE}; it may stay inside your `with` block.",
)
CALLABLE_HINT = Steps(
    lesson="lesson 5 (`transaction.on_commit()`): it takes a function, to call later.",
    closer="`on_commit(send_welcome_email.enqueue(...))` enqueues at once and hands on_commit what enqueue() "
    "returned; put the call inside a function written right there, a `lambda:`.",
    answer=f"{THE_LINE}.",
)


class _RolledBack(Exception):
    """Raised by the check to undo the request's transaction, as a later error would."""


@contextmanager
def _enqueues():
    """Every task enqueued meanwhile, with how many atomic blocks were open at that moment."""
    seen = []

    def record(sender, task_result, **kwargs):
        # How many atomic blocks were open: the check's own (the caller's) is the outermost.
        seen.append((task_result, len(transaction.get_connection().atomic_blocks)))

    task_enqueued.connect(record)
    try:
        yield seen
    finally:
        task_enqueued.disconnect(record)


def _post(signup):
    User.objects.filter(username=FORM["username"]).delete()
    request = RequestFactory().post("/signup/", FORM)
    try:
        response = call(
            signup,
            request,
            what="signup(request)",
            hint="fix that line, run the cell again, then check() again.",
        )
    except NotYet as not_yet:
        if "must be a callable" in not_yet.what:
            raise NotYet(not_yet.what, CALLABLE_HINT) from None
        raise
    if getattr(response, "status_code", None) != 200:
        raise NotYet(
            f"signup() answered {getattr(response, 'status_code', response)!r} to a valid sign-up, not 200",
            "keep the rest of the view as it was given: only the enqueue line should change.",
        )


def check(signup):
    # 1. The request's transaction is rolled back after the view ran, as when a later step fails
    #    (with ATOMIC_REQUESTS, an error in a middleware or in the template does that).
    with _enqueues() as seen:
        try:
            with transaction.atomic():
                _post(signup)
                raise _RolledBack
        except _RolledBack:
            pass
    consequence = (
        "when the check then rolled the transaction back, the user was gone but the email had already been handed "
        "to the task backend (with Redis or Celery, a worker would send it, or look for a user that does not exist)"
    )
    if any(depth > 1 for _, depth in seen):
        raise NotYet(
            f"your view enqueued the welcome email inside its own `transaction.atomic()` block, before anything was "
            f"committed: "
            f"{consequence}",
            ON_COMMIT_HINT,
        )
    if seen:
        raise NotYet(
            "your view enqueued the welcome email after its own `with` block, but the caller's transaction (here the "
            "check's, as with `ATOMIC_REQUESTS` or in a TestCase) was still open: " + consequence,
            CALLERS_HINT,
        )
    # 2. The transaction commits: exactly one email, enqueued after the commit, sent by a worker.
    with _enqueues() as seen:
        _post(signup)
    if len(seen) != 1:
        raise NotYet(f"a committed sign-up enqueued {len(seen)} tasks, not one welcome email", ON_COMMIT_HINT)
    result, depth = seen[0]
    if depth:
        raise NotYet("the welcome email was enqueued inside a transaction", ON_COMMIT_HINT)
    if result.task.name != "send_welcome_email":
        raise NotYet(f"the view enqueued `{result.task.name}`, not `send_welcome_email`", ON_COMMIT_HINT)
    run_in_worker([result])
    require_success(
        result, "send_welcome_email", "enqueue it with `user_email=user.email, username=user.username`."
    )
    return (
        "signup() enqueued nothing when its transaction was rolled back, and exactly one welcome email "
        "once it committed; a real worker sent it."
    )
