"""Exercise 12: a minimal task backend that runs each task in `enqueue()` and keeps its result.

The learner's class becomes the `default` backend for the length of the check (only `TASKS`
changes), and the sandbox's own tasks go through the unchanged `django.tasks` API: `add`, the
welcome email, a failing task, then `get_result()` by id, from this thread and another.
"""

import contextlib
import io
import threading

from django.core import mail
from django.tasks import TaskResult, default_task_backend
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.test import override_settings

from accounts.tasks import add, failing_task, send_welcome_email

from ..feedback import TODO_HINT, NotYet, Steps, call, describe_exception

IN_MEMORY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

STATUS_HINT = Steps(
    lesson="lesson 24 (a backend in a dozen lines): a result says what happened through its `status`.",
    closer="after the task has run, set the result's status to `TaskResultStatus.SUCCESSFUL`; a TaskResult is "
    "frozen, so change it with `object.__setattr__`.",
    answer='`object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)` after the call.',
)
RETURN_HINT = Steps(
    lesson="lesson 24 (a backend in a dozen lines): `result.return_value` reads what the backend recorded.",
    closer="record what `task.call(...)` returned in the result's `_return_value` field, through JSON as a "
    "worker stores it (`normalize_json`).",
    answer='`object.__setattr__(result, "_return_value", normalize_json(value))`.',
)
FAILURE_HINT = Steps(
    lesson="lesson 24 (the thread-pool backend's `_run`): a task's exception is its result's failure, not the "
    "caller's.",
    closer="call the task inside `try`; in `except Exception`, record the error in `result.errors` and set the "
    "status to FAILED, instead of letting it out.",
    answer="`except Exception as error:` then `result.errors.append(TaskError(exception_class_path=...))` and "
    '`object.__setattr__(result, "status", TaskResultStatus.FAILED)`.',
)
ERRORS_HINT = Steps(
    lesson="lesson 24 (the thread-pool backend's `_run`): a FAILED result carries its error in `errors`.",
    closer="append a `TaskError` to `result.errors`, whose `exception_class_path` is the exception's module and "
    "class name.",
    answer='`result.errors.append(TaskError(exception_class_path=f"{type(error).__module__}.'
    '{type(error).__qualname__}", traceback="".join(format_exception(error))))`.',
)
FLAG_HINT = Steps(
    lesson="lesson 24 (the four `supports_*` flags): one of them promises that results can be looked up.",
    closer="set the class attribute that says `get_result()` works; nothing in Django checks it, but users do.",
    answer="`supports_get_result = True` in the class body.",
)
STORE_HINT = Steps(
    lesson="lesson 24 (`get_result()`): a backend finds a result by the id that `enqueue()` gave it.",
    closer="in `enqueue()`, keep each result in `RESULTS` under its id; in `get_result()`, return it from there.",
    answer="`RESULTS[result.id] = result` in `enqueue()`, and `return RESULTS[result_id]` in `get_result()`.",
)
SHARED_HINT = Steps(
    lesson="lesson 24 (a thread-pool backend): Django makes one backend object per thread, and new ones whenever "
    "`TASKS` changes.",
    closer="keep the results in the module (the `RESULTS` dict), where every backend object finds them, not on "
    "`self`.",
    answer="`RESULTS[result.id] = result` (not `self.results`), and look them up in `RESULTS` too.",
)
UNKNOWN_HINT = Steps(
    lesson="lesson 24 (`get_result()` and the contract in `BaseTaskBackend.get_result`'s docstring).",
    closer="for an id it does not know, `get_result()` raises Django's own exception, from "
    "`django.tasks.exceptions`, which callers catch.",
    answer="`except KeyError: raise TaskResultDoesNotExist(result_id) from None`.",
)


def _require_backend_class(backend_class):
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseTaskBackend)):
        raise NotYet(
            f"{backend_class!r} is not a task backend class",
            "pass the class itself, a subclass of BaseTaskBackend: check(RunAndKeepBackend).",
        )
    if backend_class.__module__ == "__main__":
        raise NotYet(
            f"`{backend_class.__name__}` is defined in the notebook itself, so TASKS cannot name it by a module path",
            "keep `%%module memory_backend` as the first line of the cell that defines it, and run that cell again.",
        )


def _enqueue(task, *args, **kwargs):
    """Enqueue on the learner's backend; their errors become a NotYet that names their line."""
    described = f"{task.name}.enqueue(...)"
    with contextlib.redirect_stdout(io.StringIO()):  # the welcome email prints a line
        return call(task.enqueue, *args, what=f"`{described}` on your backend", hint=_fix_line(), **kwargs)


def _fix_line():
    return "fix the line your error names; lesson 24's `RunNowBackend` shows each step of an `enqueue()`."


def _check_success():
    result = _enqueue(add, 2, 3)
    if not isinstance(result, TaskResult):
        raise NotYet(
            f"`add.enqueue(2, 3)` returned {result!r}, not a TaskResult",
            "end `enqueue()` with `return result`.",
        )
    if result.status != "SUCCESSFUL":
        raise NotYet(
            f"`add.enqueue(2, 3)` returned a result whose status is {result.status}, not SUCCESSFUL: "
            "nobody can tell that it ran",
            STATUS_HINT,
        )
    try:
        value = result.return_value
    except ValueError as error:
        raise NotYet(f"reading `return_value` raised ValueError: {error}", STATUS_HINT) from None
    if value != 5:
        raise NotYet(f"`add.enqueue(2, 3)` has the return value {value!r}, not 5", RETURN_HINT)

    mail.outbox = []
    _enqueue(send_welcome_email, user_email="alice@example.com", username="alice")
    if [email.to for email in mail.outbox] != [["alice@example.com"]]:
        raise NotYet(
            f"`send_welcome_email.enqueue(...)` sent {len(mail.outbox)} emails, not one to alice@example.com",
            "`enqueue()` runs the task it is given, with its arguments: `task.call(*result.args, **result.kwargs)`.",
        )
    return result


def _check_failure():
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            failed = failing_task.enqueue("disk full")
    except RuntimeError:
        raise NotYet(
            "`failing_task.enqueue(...)` let the task's RuntimeError out of `enqueue()`: "
            "the view that enqueued it would fail too",
            FAILURE_HINT,
        ) from None
    except NotImplementedError:
        raise NotYet(
            "your `enqueue()` is not written yet: it still raises NotImplementedError", TODO_HINT
        ) from None
    except Exception as error:
        raise NotYet(
            f"`failing_task.enqueue(...)` raised {describe_exception(error)}", FAILURE_HINT
        ) from None
    if failed.status != "FAILED":
        raise NotYet(f"the task raised, but its result's status is {failed.status}, not FAILED", FAILURE_HINT)
    if not failed.errors or failed.errors[-1].exception_class_path != "builtins.RuntimeError":
        recorded = [error.exception_class_path for error in failed.errors]
        raise NotYet(
            f"the FAILED result's errors are {recorded}, not the task's builtins.RuntimeError", ERRORS_HINT
        )


def _check_get_result(backend_class, result):
    if not backend_class.supports_get_result:
        raise NotYet(
            f"`{backend_class.__name__}.supports_get_result` is False: it says results cannot be looked up",
            FLAG_HINT,
        )
    try:
        found = add.get_result(result.id)
    except TaskResultDoesNotExist:
        raise NotYet(
            "`add.get_result(id)` could not find the result that `enqueue()` returned", STORE_HINT
        ) from None
    except NotImplementedError:
        raise NotYet(
            "your `get_result()` is not written yet: it still raises NotImplementedError", TODO_HINT
        ) from None
    except Exception as error:
        raise NotYet(f"`add.get_result(id)` raised {describe_exception(error)}", STORE_HINT) from None
    if not isinstance(found, TaskResult) or found.id != result.id:
        raise NotYet(f"`add.get_result(id)` returned {found!r}, not the result with that id", STORE_HINT)

    elsewhere = {}

    def enqueue_in_another_thread():
        with contextlib.suppress(Exception):  # its errors were already met in this thread
            elsewhere["result"] = add.enqueue(1, 1)

    thread = threading.Thread(target=enqueue_in_another_thread)
    thread.start()
    thread.join()
    try:
        add.get_result(elsewhere["result"].id)
    except (KeyError, TaskResultDoesNotExist):
        raise NotYet(
            "a result enqueued in another thread (another request) was not found from this one", SHARED_HINT
        ) from None

    try:
        answer = default_task_backend.get_result("no-such-id")
    except TaskResultDoesNotExist:
        return
    except Exception as error:
        raise NotYet(
            f"`get_result('no-such-id')` raised {describe_exception(error)}, not TaskResultDoesNotExist",
            UNKNOWN_HINT,
        ) from None
    raise NotYet(
        f"`get_result('no-such-id')` returned {answer!r} instead of raising TaskResultDoesNotExist",
        UNKNOWN_HINT,
    )


def check(backend_class):
    _require_backend_class(backend_class)
    path = f"{backend_class.__module__}.{backend_class.__qualname__}"
    tasks = {"default": {"BACKEND": path, "QUEUES": []}}
    with override_settings(TASKS=tasks, MAILERS=IN_MEMORY_MAIL):
        result = _check_success()
        _check_failure()
        _check_get_result(backend_class, result)
    return (
        "the sandbox's add, welcome email and failing task ran on your backend through django.tasks, each with "
        "its outcome recorded, and get_result() found results by id (from another thread too) and raised "
        "TaskResultDoesNotExist for an unknown one."
    )
