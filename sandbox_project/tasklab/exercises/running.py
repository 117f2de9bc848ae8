"""What every checker does with the learner's tasks: make sure a worker can run them, run them
in a real `db_worker`, and turn each way they can go wrong into a `NotYet`."""

from django.tasks import Task

from ..errors import TasksNotFinished
from ..watch import watch
from ..worker import Worker
from .feedback import TODO_HINT, NotYet, describe_failure, failed_with_todo

# Generous: a check passes as soon as the tasks finish, so a slow machine only waits longer.
TIMEOUT = 60


def require_task(obj, name, module):
    """`obj` must be a task that a worker can import: decorated, and defined in a `%%module` cell."""
    if not isinstance(obj, Task):
        if callable(obj):
            raise NotYet(
                f"`{name}` is a plain function, not a task",
                f"put `@task` on the line above `def {name}(...)` (from django.tasks import task).",
            )
        raise NotYet(f"`{name}` is {obj!r}, not a task", f"pass the task itself: check({name}).")
    if obj.func.__module__ == "__main__":
        raise NotYet(
            f"`{name}` is defined in the notebook itself, so a worker (another process) cannot import it",
            f"keep `%%module {module}` as the first line of the cell that defines `{name}`, and run that cell again.",
        )
    return obj


def run_in_worker(results, queues=("*",), timeout=TIMEOUT):
    """Start a real worker on `queues`, wait until every result has finished, stop the worker."""
    with Worker(queues=queues):
        try:
            watch(results, timeout=timeout, live=False)
        except TasksNotFinished as stuck:
            raise NotYet(
                f"the tasks did not finish within {timeout} s. {stuck}",
                "is your task stuck in a loop or waiting on something? Try it by hand with a Worker first.",
            ) from None
    return results


def require_success(result, name, hint, call=None):
    """A FAILED result becomes a NotYet naming the exception and the learner's line.

    name: the task's name, as the learner wrote it; call: how it was called, e.g. "make_thumbnail(3)".
    """
    if result.status.name == "SUCCESSFUL":
        return result
    if failed_with_todo(result):
        raise NotYet(f"`{name}` is not written yet: it raised NotImplementedError in the worker", TODO_HINT)
    failure = describe_failure(result)
    if "JSON serializable" in failure:
        hint = (
            "what a task returns is stored as JSON: return numbers, strings, lists or dicts "
            "(not a set, a date or a model instance)."
        )
    elif "FileNotFoundError" in failure:
        hint = f"a file, or the folder it goes in, does not exist (yet?): {hint}"
    raise NotYet(f"{call or name} failed in the worker with {failure}", hint)
